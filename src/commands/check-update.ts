// `create-ml-project check-update [dir]`: is the project at the current template? Compares the
// template hash recorded in the project with the hash of the template update would use. One line
// (or one JSON object); the exit code is what scripts and scheduled CI jobs branch on.

import { relative, resolve } from 'node:path';
import { clean, ExitCode } from '../errors.js';
import { commandLine } from '../invocation.js';
import { readProjectRecord } from '../project/record.js';
import { isBundled } from '../template/trust.js';
import { targetTemplate } from '../update/locate.js';
import { consent, shortHash } from '../update/report.js';
import { frame, type Invoked } from './frame.js';
import type { Command, CommandIO } from './index.js';

const help = (run: string): string => `Usage: ${run} check-update [dir] [options]

Tells whether a project (default: the current folder) was generated from the current template:
the bundled template of this create-ml-project, or the recorded template folder.

Options:
  --template <folder>  compare with this template folder instead
  --trust              let a template other than the bundled one be fetched and read (the one
                       the answers file names, or --template); at a terminal you are asked instead
  --json               print one JSON object
  -h, --help           show this help

Exit codes: 0 up to date, 10 an update is available (run ${run} update),
2 usage (e.g. not a create-ml-project project, or a template that needs --trust), 4 the template cannot be read.
`;

export const checkUpdate: Command = {
  name: 'check-update',
  run: (io) => frame(io, 'check-update', help, (invoked) => checkProject(io, invoked)),
};

async function checkProject(io: CommandIO, { args, json, version, invocation, scratch }: Invoked): Promise<number> {
  const projectDir = resolve(io.cwd, args.dir ?? '.');
  const { record } = await readProjectRecord(projectDir, io.cwd);
  await consent(io, json, args.trust, [args.template ?? record.template.source]);
  const target = await targetTemplate(args.template, record, { cwd: io.cwd, projectDir, env: io.env, version, signal: io.signal, scratch });
  const { manifest } = target;
  const upToDate = target.hash === record.template.hash;
  const exitCode = upToDate ? ExitCode.ok : ExitCode.updateAvailable;
  if (json) {
    io.stdout(
      `${JSON.stringify({
        ok: true,
        exitCode,
        upToDate,
        path: projectDir,
        current: { ...record.template, generator: record.generator.version },
        latest: { source: target.source, name: manifest.name, version: manifest.version, hash: target.hash, generator: version },
      })}\n`,
    );
    return exitCode;
  }
  const where = clean(relative(io.cwd, projectDir) || '.');
  const recorded = clean(`${record.template.name} ${record.template.version} (${shortHash(record.template.hash)})`);
  io.stdout(
    upToDate
      ? `${where} is up to date: template ${recorded}\n`
      : `${where} can be updated: template ${recorded} → ${clean(`${manifest.name} ${manifest.version}`)} (${shortHash(target.hash)}); run ${commandLine(invocation.run, ['update', ...(args.dir ? [args.dir] : []), ...(args.template ? ['--template', args.template] : []), ...(args.trust && [record.template.source, target.source].some((s) => !isBundled(s)) ? ['--trust'] : [])])}\n`,
  );
  return exitCode;
}
