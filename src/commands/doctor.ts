// `create-ml-project doctor [dir]`: for a new team member, checks that this machine has what the
// project in `dir` needs (read from its .create-ml-project.json and pyproject.toml) and prints one
// fix per problem for this OS. Exit 0 when nothing blocks, 1 otherwise, 2 for argument errors.

import { diagnose, healthy } from '../doctor/diagnose.js';
import { runProgram } from '../doctor/exec.js';
import { readProject } from '../doctor/project.js';
import { formatChecks } from '../doctor/report.js';
import type { Host } from '../doctor/types.js';
import { CliError, ExitCode, UsageError, show } from '../errors.js';
import { hostOs } from '../host.js';
import { commandLine, howRun } from '../invocation.js';
import { packageVersion } from '../paths.js';
import { colorsFor } from '../ui.js';
import type { Command, CommandIO } from './index.js';

const SUMMARY = "check this machine has what a generated project needs (Python, package manager, git, Docker, batect's Java)";

function help(run: string): string {
  return [
    `${run} doctor [dir] [options]`,
    '',
    `  ${SUMMARY}.`,
    '  dir is the project folder (default: the current folder); it must hold .create-ml-project.json.',
    '',
    '  Checks: Python ≥ the project\'s requires-python, the package manager at the version the project',
    '  pins, git, the Docker client and a reachable engine (with its API version); for batect: Java ≥ 8',
    '  and the engine still accepting batect\'s Docker API 1.43; for compose: the Compose plugin.',
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

interface DoctorArgs {
  dir: string;
  json: boolean;
  help: boolean;
}

function parse(argv: readonly string[], run: string): DoctorArgs {
  const args: DoctorArgs = { dir: '.', json: false, help: false };
  const positionals: string[] = [];
  for (const arg of argv) {
    if (arg === '--json') args.json = true;
    else if (arg === '--help' || arg === '-h') args.help = true;
    // Accepted here; colour itself is decided from argv by colorsFor, as for every command.
    else if (arg === '--no-color' || arg === '--color') continue;
    else if (arg.startsWith('-') && arg !== '-') throw new UsageError(`doctor: unknown option ${show(arg)}: see ${run} doctor --help`);
    else positionals.push(arg);
  }
  if (positionals.length > 1) throw new UsageError(`doctor: expected at most one folder, got ${positionals.length}: ${positionals.map(show).join(' ')}`);
  if (positionals[0] !== undefined) args.dir = positionals[0];
  return args;
}

async function run(io: CommandIO): Promise<number> {
  const json = io.argv.includes('--json');
  try {
    const run = commandLine((io.invocation ?? howRun(io.env, packageVersion())).run);
    const args = parse(io.argv, run);
    if (args.help) {
      io.stdout(help(run));
      return ExitCode.ok;
    }
    const c = colorsFor(io.argv, io.env, io.interactive);
    const project = await readProject(args.dir, io.cwd);
    const host: Host = { os: hostOs(), env: io.env, run: runProgram(io.env) };
    const checks = await diagnose(host, project);
    const ok = healthy(checks);
    const exitCode = ok ? ExitCode.ok : ExitCode.unexpected;
    if (json) io.stdout(`${JSON.stringify({ ok, exitCode, project: project.dir, os: host.os, checks })}\n`);
    else io.stdout(`${c.bold(`doctor: ${project.answers.name}`)} (${project.answers.runner}, ${project.answers.packageManager}) on ${host.os}\n${formatChecks(checks, c)}`);
    return exitCode;
  } catch (error) {
    const failure = error instanceof CliError ? error : new CliError(`doctor: unexpected failure: ${(error as Error)?.message ?? String(error)}`, ExitCode.unexpected);
    if (json) io.stdout(`${JSON.stringify({ ok: false, exitCode: failure.exitCode, error: failure.message, checks: [] })}\n`);
    else io.stderr(`error: ${failure.message}\n`);
    return failure.exitCode;
  }
}

export const doctor: Command = { name: 'doctor', run };
