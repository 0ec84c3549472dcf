// How this create-ml-project was run, so that every command it prints (the reproduce line, --help,
// "run create-ml-project update ...") is one that works the way the user got the tool. Before the
// first release the package is not on the npm registry, so `npm create ml-project` cannot work for
// anyone who ran it from a checkout or a tarball.
//
//   checkout   the package is a folder of its own, not inside node_modules: this repository's
//              checkout (npm start, node dist/index.cjs, npx <checkout>, npm link), or any unpacked
//              copy              → node /abs/<root>/dist/index.cjs …
//   registry   a package manager installed it for this one run from the registry
//              (npm create / npx / npm exec, pnpm create / dlx, yarn create / dlx, bunx)
//                                → npm create ml-project@<version> -- … (or that manager's form)
//   package    the same, from anything else: a tarball, a git URL
//                                → npm exec --yes --package=/abs/x.tgz -- create-ml-project …
//   global     installed anywhere else (npm i -g, a project's dependency) or unknown
//                                → create-ml-project …
//
// A one-run install is recognised by where it lives (checked with npm 11 and pnpm 9): npm puts
// the package in <cache>/_npx/<hash>/node_modules/create-ml-project and writes
// <cache>/_npx/<hash>/package.json whose dependencies name the spec it was asked for ("^0.1.0"
// for the registry, "file:../../../x.tgz" relative to that folder for a tarball); pnpm dlx does
// the same in <cache>/dlx/<hash>/<id>/ (its package under node_modules/.pnpm/…, with an absolute
// "file:/abs/x.tgz"). yarn 1 `create` is a global add (<yarn>/global/, the spec a bare path for a
// tarball); yarn 2+ dlx and bunx use a dlx-<pid> or bunx-<uid>-<spec> temporary folder.
//
// Pure given its inputs (environment, package root, a file reader): tests pass folders they made.

import { readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';

export const BIN_NAME = 'create-ml-project';

export type InvocationKind = 'checkout' | 'registry' | 'package' | 'global';

export interface Invocation {
  kind: InvocationKind;
  /** Words that run this create-ml-project; a subcommand (update, doctor, …) and its arguments follow. */
  run: readonly string[];
  /** Words that make a new project; its folder and flags follow. `run` itself except for the registry (`npm create …`). */
  create: readonly string[];
}

/** The package root: src/ (tests run from source) and dist/ (the bundles) both sit one level below it. */
export const PACKAGE_ROOT = join(import.meta.dirname, '..');

export interface HowRunOptions {
  /** The package root (default: this package's). */
  root?: string;
  /** Reads a text file, or undefined when it cannot be read. */
  readFile?: (path: string) => string | undefined;
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** Shell-safe word: plain when it can be, single-quoted otherwise. */
export function shellWord(value: string): string {
  return /^[\w./,:@=+-]+$/.test(value) ? value : `'${value.replaceAll("'", `'\\''`)}'`;
}

/** The words of a command as one line to paste into a shell. */
export function commandLine(words: readonly string[], args: readonly string[] = []): string {
  return [...words, ...args].map(shellWord).join(' ');
}

type Manager = 'npm' | 'pnpm' | 'yarn' | 'bun';

/** `npm_config_user_agent`, e.g. "pnpm/9.15.0 npm/? node/v20.20.2 linux x64". */
export function userAgent(env: NodeJS.ProcessEnv): { name: string; version: string } | undefined {
  const first = env.npm_config_user_agent?.split(' ')[0];
  if (!first?.includes('/')) return undefined;
  const [name = '', version = ''] = first.split('/');
  return { name, version };
}

function checkout(root: string): Invocation {
  const words = ['node', join(root, 'dist', 'index.cjs')];
  return { kind: 'checkout', run: words, create: words };
}

const GLOBAL: Invocation = { kind: 'global', run: [BIN_NAME], create: [BIN_NAME] };

/** The registry forms, pinned to this version so a printed command makes exactly the same project. */
function registry(manager: Manager, env: NodeJS.ProcessEnv, version: string): Invocation {
  const pinned = `${BIN_NAME}@${version}`;
  const agent = userAgent(env);
  switch (manager) {
    case 'pnpm':
      return { kind: 'registry', run: ['pnpm', 'dlx', pinned], create: ['pnpm', 'create', `ml-project@${version}`] };
    case 'bun':
      // bunx takes an exact version; `bun create <name>` may not.
      return { kind: 'registry', run: ['bunx', pinned], create: ['bunx', pinned] };
    case 'yarn':
      // yarn 1's `create` cannot pin a version and it has no dlx: npm's forms (npm comes with Node).
      if (!agent || agent.name !== 'yarn' || agent.version.startsWith('1.')) break;
      return { kind: 'registry', run: ['yarn', 'dlx', pinned], create: ['yarn', 'create', `ml-project@${version}`] };
    case 'npm':
      break;
  }
  return { kind: 'registry', run: ['npx', pinned], create: ['npm', 'create', `ml-project@${version}`, '--'] };
}

/** What the one-run install's package.json says it was asked for. */
function dependencySpec(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  try {
    const spec = (JSON.parse(text) as { dependencies?: Record<string, unknown> }).dependencies?.[BIN_NAME];
    return typeof spec === 'string' ? spec : undefined;
  } catch {
    return undefined;
  }
}

/** A spec that names a file or folder (npm's file:, yarn 1's bare path), as an absolute path. */
function localPath(spec: string, base: string): string | undefined {
  if (spec.startsWith('file:')) {
    const path = spec.slice('file:'.length);
    return isAbsolute(path) ? path : resolve(base, path);
  }
  if (/^(\.{1,2}[\\/]|[\\/]|[A-Za-z]:[\\/])/.test(spec)) return resolve(base, spec);
  return undefined;
}

function fromSpec(spec: string, base: string, manager: Manager, env: NodeJS.ProcessEnv, version: string): Invocation {
  const path = localPath(spec, base);
  // A git URL, a tarball URL, github:owner/repo: anything but a version, range, tag or npm: alias.
  const other = path ?? (!spec.startsWith('npm:') && /[:/]/.test(spec) ? spec : undefined);
  if (other === undefined) return registry(manager, env, version);
  const words = ['npm', 'exec', '--yes', `--package=${other}`, '--', BIN_NAME];
  return { kind: 'package', run: words, create: words };
}

/**
 * The folder a package manager installed this package into for one run (the one holding
 * node_modules and the package.json naming the spec), and which manager it was.
 */
function oneRunInstall(parts: readonly string[], env: NodeJS.ProcessEnv): { depth: number; manager: Manager } | undefined {
  // The first node_modules on the way down is the installing folder's own.
  const depth = parts.indexOf('node_modules');
  if (depth < 1) return undefined;
  const folder = parts[depth - 1] ?? '';
  const parent = parts[depth - 2] ?? '';
  const grandparent = parts[depth - 3] ?? '';
  if (parent === '_npx') return { depth, manager: 'npm' };
  if (grandparent === 'dlx') return { depth, manager: 'pnpm' };
  if (folder.startsWith('bunx-')) return { depth, manager: 'bun' };
  const agent = userAgent(env)?.name;
  // Older pnpm and yarn 2+ dlx: a temporary dlx-<pid> folder.
  if (folder.startsWith('dlx-') && (agent === 'pnpm' || agent === 'yarn')) return { depth, manager: agent };
  // yarn 1 `create` adds the package to yarn's global folder, then runs it.
  if (folder === 'global' && agent === 'yarn' && /yarn/i.test(parts.slice(0, depth).join('/'))) return { depth, manager: 'yarn' };
  return undefined;
}

/** How this create-ml-project was run (see the top of this file). */
export function howRun(env: NodeJS.ProcessEnv, version: string, options: HowRunOptions = {}): Invocation {
  const root = resolve(options.root ?? PACKAGE_ROOT);
  const read = options.readFile ?? readText;
  const parts = root.split(/[\\/]+/);
  if (!parts.includes('node_modules')) return checkout(root);
  const install = oneRunInstall(parts, env);
  if (install) {
    const base = parts.slice(0, install.depth).join('/') || '/';
    const spec = dependencySpec(read(join(base, 'package.json')));
    if (spec !== undefined) return fromSpec(spec, base, install.manager, env, version);
  }
  return GLOBAL;
}

/** Answers "was it run from the npm registry?" — what a generated project's README may rely on. */
export function fromRegistry(invocation: Pick<Invocation, 'kind'> | undefined): boolean {
  return invocation?.kind === 'registry';
}
