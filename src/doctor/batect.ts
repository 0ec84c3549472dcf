// batect's known incompatibility: its Docker client speaks API ≤ 1.43, and Docker Engine 29
// raised the engine's minimum to 1.44, so every batect task fails with "client version too old".

import { versionIn, atLeast } from './version.js';
import { FIXES } from './fixes.js';
import type { DockerState } from './docker.js';
import type { Os } from '../options.js';
import type { CheckResult } from './types.js';

export const BATECT_MAX_API = [1, 43];

export function checkBatectApi(state: DockerState, os: Os): CheckResult {
  const name = 'batect ↔ docker API';
  if (!state.engine) return { name, status: 'warn', detail: 'not checked: the Docker engine did not answer', fix: 'fix the Docker engine first, then run doctor again' };
  const min = versionIn(state.engine.minApiVersion ?? '');
  if (min && !atLeast(BATECT_MAX_API, min)) {
    return {
      name,
      status: 'fail',
      detail: `the engine (${state.engine.version}) refuses API versions below ${state.engine.minApiVersion}; batect speaks at most ${BATECT_MAX_API.join('.')}, so batect tasks fail`,
      fix: FIXES.batectApi[os],
    };
  }
  return { name, status: 'ok', detail: `the engine accepts API ${BATECT_MAX_API.join('.')} (minimum ${state.engine.minApiVersion ?? 'not reported'})` };
}
