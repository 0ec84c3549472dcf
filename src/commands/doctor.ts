// `create-ml-project doctor [dir]`: for a new team member, checks that this machine has what the
// project in `dir` needs (read from its .create-ml-project.json and pyproject.toml) and prints one
// fix per problem for this OS. Exit 0 when nothing blocks, 1 otherwise, 2 for argument errors.

import { resolve } from 'node:path';
import { diagnose, healthy } from '../doctor/diagnose.js';
import { projectNeeds } from '../doctor/project.js';
import { formatChecks } from '../doctor/report.js';
import type { Host } from '../doctor/types.js';
import { ExitCode } from '../errors.js';
import { hostOs } from '../host.js';
import { runProgram } from '../process.js';
import { readProjectRecord } from '../project/record.js';
import { colorsFor } from '../ui.js';
import { frame, type Invoked } from './frame.js';
import type { Command, CommandIO } from './index.js';

/** The longest a check's program may take: a hung `docker version` must not hang the doctor. */
const CHECK_TIMEOUT_MS = 20_000;

const SUMMARY = "check this machine has what a generated project needs (Python, package manager, git, Docker, batect's Java)";

function help(run: string): string {
  return [
    `${run} doctor [dir] [options]`,
    '',
    `  ${SUMMARY}.`,
    '  dir is the project folder (default: the current folder); it must hold .create-ml-project.json.',
    '',
    '  Checks: Python ≥ the project\'s requires-python, the package manager at the version the project',
    '  pins, git, the Docker client and a reachable engine at least Docker Engine 19.03 (API 1.40); for',
    '  batect: Java ≥ 8 and the engine still accepting batect\'s Docker API 1.43; for compose: the Compose',
    '  plugin; the host ports the tasks publish (8000, 8888) free.',
    '',
    'Options',
    '  --json       print one JSON object: { ok, exitCode, project, os, checks: [{ name, status, detail, fix }] }',
    '  --no-color   plain output (also NO_COLOR or TERM=dumb)',
    '  -h, --help   show this help',
    '',
    'Exit codes',
    '    0  nothing blocking is missing (warnings may remain)',
    '    1  at least one blocking problem (✖); each has a fix line',
    '    2  bad arguments, or the folder is not a create-ml-project project',
    '',
  ].join('\n');
}

async function diagnoseMachine(io: CommandIO, { args, json }: Invoked): Promise<number> {
  const c = colorsFor(io.argv, io.env, io.interactive);
  const project = await projectNeeds(await readProjectRecord(resolve(io.cwd, args.dir ?? '.'), io.cwd));
  const host: Host = { os: hostOs(), env: io.env, run: (command, args) => runProgram(command, args, { env: io.env, timeoutMs: CHECK_TIMEOUT_MS }) };
  const checks = await diagnose(host, project);
  const ok = healthy(checks);
  const exitCode = ok ? ExitCode.ok : ExitCode.unexpected;
  if (json) io.stdout(`${JSON.stringify({ ok, exitCode, project: project.dir, os: host.os, checks })}\n`);
  else io.stdout(`${c.bold(`doctor: ${project.answers.name}`)} (${project.answers.runner}, ${project.answers.packageManager}) on ${host.os}\n${formatChecks(checks, c)}`);
  return exitCode;
}

export const doctor: Command = {
  name: 'doctor',
  run: (io) => frame(io, 'doctor', help, (invoked) => diagnoseMachine(io, invoked), { checks: [] }),
};
