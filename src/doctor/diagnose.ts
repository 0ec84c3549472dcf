// Which checks a project needs, from its answers: Java only for batect, the Compose plugin only
// for compose. Independent checks run in parallel; the order of the result is fixed.

import { checkBatectApi } from './batect.js';
import { checkCompose } from './compose.js';
import { dockerClientCheck, dockerEngineCheck, inspectDocker } from './docker.js';
import { checkGit } from './git.js';
import { checkJava } from './java.js';
import { checkPackageManager } from './package-manager.js';
import { checkPorts } from './ports.js';
import { checkPython } from './python.js';
import type { CheckResult, Host, ProjectNeeds } from './types.js';

export async function diagnose(host: Host, project: ProjectNeeds): Promise<CheckResult[]> {
  const batect = project.answers.runner === 'batect';
  const [python, pm, git, docker, java, ports] = await Promise.all([
    checkPython(host, project),
    checkPackageManager(host, project),
    checkGit(host),
    inspectDocker(host),
    batect ? checkJava(host) : undefined,
    checkPorts(project, host.os),
  ]);
  const checks = [python, pm, git, dockerClientCheck(docker, host.os), dockerEngineCheck(docker, host.os)];
  if (batect) checks.push(checkBatectApi(docker, host.os));
  if (java) checks.push(java);
  if (!batect) checks.push(await checkCompose(host, docker));
  if (ports) checks.push(ports);
  return checks;
}

/** Nothing blocking: warnings are fine. */
export function healthy(checks: readonly CheckResult[]): boolean {
  return checks.every((c) => c.status !== 'fail');
}
