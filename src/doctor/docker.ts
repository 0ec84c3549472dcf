// The Docker client and a reachable engine: every dev-container task runs in Docker.
// `docker version --format '{{json .}}'` answers both at once: the client part always, the
// server part only when the engine answered (exit 1 and an error on stderr otherwise).

import { atLeast, versionIn } from './version.js';
import { FIXES } from './fixes.js';
import type { Os } from '../options.js';
import type { CheckResult, Host } from './types.js';

/**
 * Docker Engine 19.03 (API 1.40): the oldest engine that runs the Compose specification
 * (compose.yaml) and batect. The generated ./tasks and go script hold the same floor.
 */
export const ENGINE_MIN_API = [1, 40];

export interface DockerEngine {
  version: string;
  apiVersion: string;
  minApiVersion: string | undefined;
  platform: string | undefined;
}

export interface DockerState {
  /** No docker program on PATH. */
  missing: boolean;
  client: { version: string; apiVersion: string } | undefined;
  engine: DockerEngine | undefined;
  /** Why the engine did not answer (first line of docker's stderr). */
  problem: string | undefined;
}

interface VersionJson {
  Client?: { Version?: string; ApiVersion?: string };
  Server?: { Version?: string; ApiVersion?: string; MinAPIVersion?: string; Platform?: { Name?: string } } | null;
}

export async function inspectDocker(host: Host): Promise<DockerState> {
  const r = await host.run('docker', ['version', '--format', '{{json .}}']);
  if (r.missing) return { missing: true, client: undefined, engine: undefined, problem: undefined };
  let parsed: VersionJson = {};
  const line = r.stdout.split('\n').find((l) => l.trim().startsWith('{'));
  try {
    if (line) parsed = JSON.parse(line) as VersionJson;
  } catch {
    // An unparsable answer is reported below through `problem`.
  }
  const client = parsed.Client?.Version ? { version: parsed.Client.Version, apiVersion: parsed.Client.ApiVersion ?? '?' } : undefined;
  const s = parsed.Server;
  // Platform.Name is empty on engines not built by Docker Inc. (Debian's docker.io): said generically then.
  const engine =
    s?.Version && s.ApiVersion ? { version: s.Version, apiVersion: s.ApiVersion, minApiVersion: s.MinAPIVersion, platform: s.Platform?.Name || undefined } : undefined;
  const problem = engine ? undefined : (r.stderr.split('\n').map((l) => l.trim()).find(Boolean) ?? `docker version exited with ${r.code}`);
  return { missing: false, client, engine, problem };
}

export function dockerClientCheck(state: DockerState, os: Os): CheckResult {
  if (state.missing) return { name: 'docker client', status: 'fail', detail: 'docker not on PATH', fix: FIXES.dockerClient[os] };
  if (!state.client) return { name: 'docker client', status: 'fail', detail: `docker does not answer: ${state.problem}`, fix: FIXES.dockerClient[os] };
  return { name: 'docker client', status: 'ok', detail: `docker ${state.client.version} (API ${state.client.apiVersion})` };
}

export function dockerEngineCheck(state: DockerState, os: Os): CheckResult {
  const name = 'docker engine';
  if (state.missing) return { name, status: 'fail', detail: 'not checked: no docker client', fix: FIXES.dockerClient[os] };
  const tooOld = `older than Docker Engine 19.03 (API ${ENGINE_MIN_API.join('.')}), which the project needs`;
  // A daemon older than the client's oldest API refuses it before saying its own version.
  if (!state.engine && /is too new\. Maximum supported API version is/.test(state.problem ?? '')) {
    return { name, status: 'fail', detail: `${tooOld}: ${state.problem}`, fix: FIXES.dockerUpgrade[os] };
  }
  if (!state.engine) {
    const denied = /permission denied/i.test(state.problem ?? '');
    return { name, status: 'fail', detail: `not reachable: ${state.problem}`, fix: (denied ? FIXES.dockerPermission : FIXES.dockerEngine)[os] };
  }
  const e = state.engine;
  const api = versionIn(e.apiVersion);
  if (api && !atLeast(api, ENGINE_MIN_API)) {
    return { name, status: 'fail', detail: `${e.platform ?? 'Docker Engine'} ${e.version}, API ${e.apiVersion}: ${tooOld}`, fix: FIXES.dockerUpgrade[os] };
  }
  const min = e.minApiVersion ? `, accepts API ≥ ${e.minApiVersion}` : '';
  return { name, status: 'ok', detail: `${e.platform ?? 'Docker Engine'} ${e.version}, API ${e.apiVersion}${min}` };
}
