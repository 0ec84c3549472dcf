// Finds a Python 3.11+ to run the project's host setup with.

import { hostOs } from '../host.js';
import { runCommand } from '../process.js';

export interface PythonCommand {
  file: string;
  args: string[];
  /** How to type it in a shell, for retry hints. */
  display: string;
}

const CANDIDATES: PythonCommand[] =
  hostOs() === 'windows'
    ? [
        { file: 'py', args: ['-3'], display: 'py -3' },
        { file: 'python', args: [], display: 'python' },
      ]
    : [
        { file: 'python3', args: [], display: 'python3' },
        { file: 'python', args: [], display: 'python' },
      ];

export async function findPython(env: NodeJS.ProcessEnv): Promise<PythonCommand | undefined> {
  for (const candidate of CANDIDATES) {
    const probe = await runCommand(candidate.file, [...candidate.args, '-c', 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)'], {
      cwd: process.cwd(),
      env,
    }).catch(() => undefined);
    if (probe?.ok) return candidate;
  }
  return undefined;
}
