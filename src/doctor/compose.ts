// The Compose plugin (`docker compose`, v2): the compose runner's tasks scripts call it.

import { versionIn } from './version.js';
import { FIXES } from './fixes.js';
import type { DockerState } from './docker.js';
import type { CheckResult, Host } from './types.js';

export async function checkCompose(host: Host, docker: DockerState): Promise<CheckResult> {
  if (docker.missing) return { name: 'docker compose', status: 'fail', detail: 'not checked: no docker client', fix: FIXES.dockerClient[host.os] };
  const r = await host.run('docker', ['compose', 'version']);
  if (r.missing || r.code !== 0) return { name: 'docker compose', status: 'fail', detail: 'the Compose plugin is missing (docker compose version failed)', fix: FIXES.compose[host.os] };
  return { name: 'docker compose', status: 'ok', detail: `Compose ${versionIn(r.stdout)?.join('.') ?? r.stdout.trim()}` };
}
