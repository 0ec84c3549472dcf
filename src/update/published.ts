// The bundled template of an older create-ml-project, fetched from the npm registry with the
// user's own npm (its registry, proxy and auth settings apply) and cached per version:
// ~/.cache/create-ml-project/templates/<version>/template.pack is that version's
// dist/template.pack, which holds its whole template (src/template/pack.ts).

import { mkdir, mkdtemp, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { CliError, ExitCode, show } from '../errors.js';
import { hostOs } from '../host.js';
import { runProgram } from '../process.js';
import { cacheHome } from '../template/cache.js';
import { packHash } from '../template/hash.js';
import { readPack, TemplateError } from '../template/pack.js';
import { unpackTemplate, UnsafeArchiveError } from '../template/untar.js';

/** Where fetched templates are kept: $XDG_CACHE_HOME, %LOCALAPPDATA% or ~/.cache, then create-ml-project/templates. */
export function templateCacheDir(env: NodeJS.ProcessEnv): string {
  return join(cacheHome(env), 'templates');
}

const VERSION = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;

const isFile = (path: string) => stat(path).then((s) => s.isFile(), () => false);

/** The template pack of create-ml-project@version, from the cache or the registry. */
export async function publishedTemplate(version: string, env: NodeJS.ProcessEnv, signal?: AbortSignal): Promise<string> {
  // The version comes from a file in the project; it must be a plain version before npm sees it.
  if (!VERSION.test(version)) throw new CliError(`the recorded generator version ${show(version)} is not a version number`, ExitCode.templateFetch);
  const root = templateCacheDir(env);
  const dir = join(root, version);
  const cached = join(dir, 'template.pack');
  if (await isFile(cached)) return cached;

  await mkdir(root, { recursive: true });
  const work = await mkdtemp(join(root, `.fetch-${version}-`));
  try {
    const tarball = await npmPack(`create-ml-project@${version}`, work, env, signal);
    const out = join(work, 'out');
    await mkdir(out);
    try {
      // npm tarballs wrap the package in "package/"; only its dist/ folder holds the pack.
      await unpackTemplate(await readFile(tarball), out, { strip: 1, subdir: 'dist' });
    } catch (error) {
      if (!(error instanceof UnsafeArchiveError)) throw error;
      throw new CliError(`create-ml-project@${version} from the registry: refusing its archive: ${error.message}`, ExitCode.templateFetch);
    }
    const pack = join(out, 'template.pack');
    if (!(await isFile(pack))) throw new CliError(`create-ml-project@${version} from the registry has no dist/template.pack`, ExitCode.templateFetch);
    await checkPack(pack, version);
    // A rename publishes the entry whole, so a cut-off fetch never leaves a half cache entry.
    await mkdir(join(out, 'entry'));
    await rename(pack, join(out, 'entry', 'template.pack'));
    await rename(join(out, 'entry'), dir).catch(async (error: NodeJS.ErrnoException) => {
      if (!(await isFile(cached))) throw error; // else a parallel run won
    });
    return cached;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** The pack must be one this version can read, and hold the files its header's hash names. */
async function checkPack(path: string, version: string): Promise<void> {
  try {
    const pack = readPack(path);
    try {
      const recorded = pack.hash;
      if (!recorded || (await packHash({ ...pack, hash: undefined })) !== recorded) throw new TemplateError(`${path} does not hold the files its header names`);
    } finally {
      pack.release?.();
    }
  } catch (error) {
    if (!(error instanceof TemplateError)) throw error;
    throw new CliError(`create-ml-project@${version} from the registry: cannot use its template: ${error.message}`, ExitCode.templateFetch);
  }
}

async function npmPack(spec: string, into: string, env: NodeJS.ProcessEnv, signal?: AbortSignal): Promise<string> {
  // Under `npm create`/`npx`, npm tells us its own CLI script: use that exact npm.
  const npmCli = env.npm_execpath && /npm-cli\.[cm]?js$/.test(env.npm_execpath) ? env.npm_execpath : undefined;
  const [file, args] = npmCli ? [process.execPath, [npmCli]] : ['npm', []];
  const result = await runProgram(file, [...args, 'pack', spec, '--json', '--pack-destination', into], {
    cwd: into,
    env,
    // npm is npm.cmd on Windows, which only a shell runs; the spec was checked above.
    shell: !npmCli && hostOs() === 'windows',
    ...(signal ? { signal } : {}),
  });
  if (result.code !== 0) {
    const reason = result.stderr.trim().split('\n').filter(Boolean).slice(-3);
    throw new CliError(`cannot fetch ${spec} from the npm registry to rebuild the project's original template`, ExitCode.templateFetch, reason);
  }
  let filename: string | undefined;
  try {
    filename = (JSON.parse(result.stdout) as Array<{ filename?: string }>)[0]?.filename;
  } catch {
    filename = undefined;
  }
  if (!filename) throw new CliError(`npm pack ${spec} printed no tarball name`, ExitCode.templateFetch);
  // npm names scoped tarballs with "/" replaced; the base name is always inside `into`.
  return join(into, filename.replace(/^.*[\\/]/, ''));
}
