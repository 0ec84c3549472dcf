// Java ≥ 8: the ./batect wrapper runs batect's JAR with $JAVA_HOME/bin/java or the java on PATH.

import { join } from 'node:path';
import { FIXES } from './fixes.js';
import type { CheckResult, Host } from './types.js';

/** "1.8.0_392" → 8, "17.0.9" → 17 (as the ./batect wrapper reads it). */
function javaMajor(output: string): number | undefined {
  const quoted = /version "([^"]+)"/.exec(output)?.[1];
  const parts = (quoted ?? '').split(/[._-]/).map(Number);
  if (parts[0] === undefined || Number.isNaN(parts[0])) return undefined;
  return parts[0] === 1 ? parts[1] : parts[0];
}

export async function checkJava(host: Host): Promise<CheckResult> {
  const javaHome = host.env.JAVA_HOME;
  const java = javaHome ? join(javaHome, 'bin', host.os === 'windows' ? 'java.exe' : 'java') : 'java';
  const where = javaHome ? `$JAVA_HOME (${javaHome})` : 'PATH';
  const r = await host.run(java, ['-version']);
  if (r.missing || r.code !== 0) return { name: 'java', status: 'fail', detail: `no java in ${where}; batect needs Java 8 or newer`, fix: FIXES.java[host.os] };
  const major = javaMajor(r.stderr + r.stdout);
  if (major === undefined) return { name: 'java', status: 'warn', detail: `cannot read the version of ${java}`, fix: FIXES.java[host.os] };
  if (major < 8) return { name: 'java', status: 'fail', detail: `Java ${major} in ${where}; batect needs 8 or newer`, fix: FIXES.java[host.os] };
  return { name: 'java', status: 'ok', detail: `Java ${major} (${where})` };
}
