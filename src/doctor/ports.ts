// The host ports the project's task runner publishes (compose.yaml, batect.yml): a port another
// program already listens on makes start-api-locally or start-jupyter fail after their
// prerequisites, so doctor names it first. Read from the project's file: the user may change it.

import { connect } from 'node:net';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FIXES } from './fixes.js';
import type { Os } from '../options.js';
import type { CheckResult, ProjectNeeds } from './types.js';

/** compose.yaml: `- "127.0.0.1:8000:8000"`; batect.yml: `- local: 8000`. */
export async function publishedPorts(project: ProjectNeeds): Promise<number[]> {
  const batect = project.answers.runner === 'batect';
  const text = await readFile(join(project.dir, batect ? 'batect.yml' : 'compose.yaml'), 'utf8').catch(() => '');
  const pattern = batect ? /^\s*-\s*local:\s*(\d+)\s*$/gm : /^\s*-\s*"?(?:[\d.]+:)?(\d+):\d+(?:\/\w+)?"?\s*$/gm;
  return [...new Set([...text.matchAll(pattern)].map((m) => Number(m[1])))];
}

/** True when something accepts connections on 127.0.0.1:port (what publishing it would collide with). */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const done = (answer: boolean) => {
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

export async function checkPorts(project: ProjectNeeds, os: Os): Promise<CheckResult | undefined> {
  const ports = await publishedPorts(project);
  if (ports.length === 0) return undefined;
  const taken = (await Promise.all(ports.map(async (port) => ((await listening(port)) ? port : undefined)))).filter((p) => p !== undefined);
  const name = 'ports';
  if (taken.length === 0) return { name, status: 'ok', detail: `${ports.join(', ')} free on 127.0.0.1` };
  const [first] = taken as [number];
  return {
    name,
    status: 'fail',
    detail: `port${taken.length > 1 ? 's' : ''} ${taken.join(', ')} already in use on this machine; the project's tasks publish ${taken.length > 1 ? 'them' : 'it'}`,
    fix: FIXES.portInUse(first)[os],
  };
}
