// The bundled template of an older create-ml-project, fetched from the npm registry with the
// user's own npm (its registry, proxy and auth settings apply) and cached per version:
// ~/.cache/create-ml-project/templates/<version>/ holds that version's template/ folder.

import { mkdir, mkdtemp, readFile, rename, rm, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { CliError, ExitCode, show } from '../errors.js';
import { unpackTemplate, UnsafeArchiveError } from '../template/untar.js';

/** Where fetched templates are kept: $XDG_CACHE_HOME, %LOCALAPPDATA% or ~/.cache. */
export function templateCacheDir(env: NodeJS.ProcessEnv): string {
  const base = env.XDG_CACHE_HOME || (process.platform === 'win32' && env.LOCALAPPDATA) || join(homedir(), '.cache');
  return join(base, 'create-ml-project', 'templates');
}

const VERSION = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;

/** The template folder of create-ml-project@version, from the cache or the registry. */
export async function publishedTemplate(version: string, env: NodeJS.ProcessEnv, signal?: AbortSignal): Promise<string> {
  // The version comes from a file in the project; it must be a plain version before npm sees it.
  if (!VERSION.test(version)) throw new CliError(`the recorded generator version ${show(version)} is not a version number`, ExitCode.templateFetch);
  const root = templateCacheDir(env);
  const dir = join(root, version);
  if (await stat(join(dir, 'template.json')).then((s) => s.isFile(), () => false)) return dir;

  await mkdir(root, { recursive: true });
  const work = await mkdtemp(join(root, `.fetch-${version}-`));
  try {
    const tarball = await npmPack(`create-ml-project@${version}`, work, env, signal);
    const out = join(work, 'template');
    await mkdir(out);
    try {
      // npm tarballs wrap the package in "package/"; only its template/ folder is wanted.
      await unpackTemplate(await readFile(tarball), out, { strip: 1, subdir: 'template' });
    } catch (error) {
      if (!(error instanceof UnsafeArchiveError)) throw error;
      throw new CliError(`create-ml-project@${version} from the registry: refusing its archive: ${error.message}`, ExitCode.templateFetch);
    }
    if (!(await stat(join(out, 'template.json')).then(() => true, () => false))) {
      throw new CliError(`create-ml-project@${version} from the registry has no template/template.json`, ExitCode.templateFetch);
    }
    // A rename publishes the folder whole, so a cut-off fetch never leaves a half cache entry.
    await rename(out, dir).catch(async (error: NodeJS.ErrnoException) => {
      if (!(await stat(join(dir, 'template.json')).then(() => true, () => false))) throw error; // else a parallel run won
    });
    return dir;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

async function npmPack(spec: string, into: string, env: NodeJS.ProcessEnv, signal?: AbortSignal): Promise<string> {
  const { execa } = await import('execa');
  // Under `npm create`/`npx`, npm tells us its own CLI script: use that exact npm.
  const npmCli = env.npm_execpath && /npm-cli\.[cm]?js$/.test(env.npm_execpath) ? env.npm_execpath : undefined;
  const [file, args] = npmCli ? [process.execPath, [npmCli]] : ['npm', []];
  const result = await execa(file, [...args, 'pack', spec, '--json', '--pack-destination', into], {
    cwd: into,
    env,
    extendEnv: false,
    reject: false,
    stdin: 'ignore',
    // npm is npm.cmd on Windows, which only a shell runs; the spec was checked above.
    shell: !npmCli && process.platform === 'win32',
    ...(signal ? { cancelSignal: signal } : {}),
  });
  if (result.exitCode !== 0) {
    const reason = String(result.stderr ?? '').trim().split('\n').filter(Boolean).slice(-3);
    throw new CliError(`cannot fetch ${spec} from the npm registry to rebuild the project's original template`, ExitCode.templateFetch, reason);
  }
  let filename: string | undefined;
  try {
    filename = (JSON.parse(String(result.stdout)) as Array<{ filename?: string }>)[0]?.filename;
  } catch {
    filename = undefined;
  }
  if (!filename) throw new CliError(`npm pack ${spec} printed no tarball name`, ExitCode.templateFetch);
  // npm names scoped tarballs with "/" replaced; the base name is always inside `into`.
  return join(into, filename.replace(/^.*[\\/]/, ''));
}
