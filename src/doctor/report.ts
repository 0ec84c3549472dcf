// How doctor shows its checks: one line each (✔ ok, ! warning, ✖ blocking), the fix indented below.

import type { Colors } from 'picocolors/types.js';
import type { CheckResult } from './types.js';

export function formatChecks(checks: readonly CheckResult[], c: Colors): string {
  const width = Math.max(...checks.map((x) => x.name.length)) + 2;
  const mark = { ok: c.green('✔'), warn: c.yellow('!'), fail: c.red('✖') };
  const lines: string[] = [];
  for (const check of checks) {
    lines.push(`${mark[check.status]} ${check.name.padEnd(width)}${check.detail}`);
    if (check.fix && check.status !== 'ok') lines.push(`  ${' '.repeat(width)}${c.dim('fix:')} ${check.fix}`);
  }
  const blocking = checks.filter((x) => x.status === 'fail').length;
  const warnings = checks.filter((x) => x.status === 'warn').length;
  lines.push('');
  lines.push(
    blocking > 0
      ? c.red(`${blocking} blocking problem${blocking === 1 ? '' : 's'}: fix ${blocking === 1 ? 'it' : 'them'}, then run doctor again`)
      : c.green(`ready${warnings > 0 ? ` (${warnings} warning${warnings === 1 ? '' : 's'}, nothing blocking)` : ''}`),
  );
  return `${lines.join('\n')}\n`;
}
