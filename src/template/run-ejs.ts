// How an EJS file becomes text. EJS's own compiler turns the file into the body of a JavaScript
// function (compileEjs); that happens ahead of time for the bundled template (build.mjs packs the
// result) and on first use for any other. runEjs then calls the body exactly as EJS's compiled
// templates call it — (locals, escapeFn, include, rethrow) — so a packed file renders as EJS would
// render the source, without EJS's parser (or EJS at all) in the run.

import { join, posix, relative, resolve, sep } from 'node:path';
import { TemplateError, type TemplateFile, type TemplatePack } from './pack.js';

type Ejs = typeof import('ejs');
type Body = (locals: object, escapeFn: (value: unknown) => string, include: (path: string, data?: object) => string, rethrow: undefined) => string;

/** `<%= %>` prints values as they are: the output is code and config, not HTML. */
const escape = (value: unknown): string => String(value);

export async function loadEjs(): Promise<Ejs> {
  const module = await import('ejs');
  // From source this is EJS's ES module. In the published package it is dist/lib/ejs.cjs, and
  // Node's CommonJS interop hands over that file's exports as the default: { default: ejs }.
  const exported = module.default as Ejs | { default: Ejs };
  return 'render' in exported ? exported : exported.default;
}

/** EJS's compiled JavaScript for one template text (the body of the function EJS would build). */
export function compileEjs(ejs: Ejs, text: string, path: string): string {
  // Template#source is the body EJS hands to `new Function` (documented in @types/ejs). Without
  // compileDebug EJS leaves out its line tracking, which halves its work; a file that fails is
  // rendered again with it (describeFailure).
  const template = new ejs.Template(text, { filename: path, compileDebug: false, escape });
  template.compile();
  return template.source;
}

// One function per compiled file for the life of the pack (the option matrix renders thousands of
// projects from one pack); a WeakMap, so a dropped pack takes its functions with it.
const bodies = new WeakMap<TemplateFile, Body>();

function bodyOf(file: TemplateFile, ejs: Ejs | undefined): Body {
  let body = bodies.get(file);
  if (body) return body;
  if (file.code === undefined) {
    if (!ejs) throw new TemplateError(`${file.path} was not compiled ahead, and EJS is not loaded`);
    file.code = compileEjs(ejs, file.content.toString('utf8'), file.path);
  }
  // The same constructor call EJS makes for a compiled template.
  body = new Function('locals, escapeFn, include, rethrow', file.code) as Body;
  bodies.set(file, body);
  return body;
}

const indexes = new WeakMap<TemplatePack, Map<string, TemplateFile>>();

function indexOf(pack: TemplatePack): Map<string, TemplateFile> {
  let index = indexes.get(pack);
  if (!index) indexes.set(pack, (index = new Map(pack.files.map((f) => [f.path, f]))));
  return index;
}

/** Where `include(path)` inside `from` points: relative to `from`'s folder, `.ejs` added when the name has no extension (as EJS does). */
export function includeTarget(from: string, path: string): string {
  if (path.startsWith('/')) throw new TemplateError(`${from} includes ${path}: include paths are relative to the including file`);
  const joined = posix.normalize(posix.join(posix.dirname(from), path));
  if (joined.startsWith('../')) throw new TemplateError(`${from} includes ${path}, which is outside the template`);
  return posix.extname(joined) ? joined : `${joined}.ejs`;
}

/** Renders one `.ejs` file of `pack` with `data`. `ejs` is needed only for files not compiled ahead. */
export function runEjs(pack: TemplatePack, file: TemplateFile, data: object, ejs: Ejs | undefined): string {
  const byPath = indexOf(pack);
  const run = (current: TemplateFile, locals: object): string => {
    // As EJS does: the template sees a copy of the data without a prototype, and an include sees
    // the includer's data plus whatever it passes.
    const own = Object.assign(Object.create(null) as object, locals);
    const include = (path: string, extra?: object): string => {
      const target = includeTarget(current.path, path);
      const included = byPath.get(target);
      if (!included) throw new TemplateError(`${current.path} includes ${path}, which the template does not have (${target})`);
      return run(included, extra ? { ...locals, ...extra } : locals);
    };
    return bodyOf(current, ejs)(own, escape, include, undefined);
  };
  return run(file, data);
}

/**
 * A file that failed: render it again through EJS itself, from the template folder and with line
 * tracking on, for a message that names the line (EJS resolves the includes on disk).
 */
export async function describeFailure(pack: TemplatePack, file: TemplateFile, data: object, cause: unknown): Promise<TemplateError> {
  if (cause instanceof TemplateError) return cause;
  const ejs = await loadEjs();
  const root = resolve(pack.dir);
  try {
    ejs.render(file.content.toString('utf8'), data, { filename: join(root, file.path), escape, compileDebug: true });
  } catch (error) {
    // EJS's debug message: "<file>:<line>" and the lines around it, once per include level (the
    // outermost first), a blank line, the cause.
    const message = (error as Error).message;
    const [outer, ...inner] = [...message.matchAll(/^(.+):(\d+)$/gm)]
      .filter((m) => m[1]?.startsWith(root))
      .map((m) => ({ path: relative(root, m[1] as string).split(sep).join('/'), line: m[2] }));
    const where = outer ? ` (line ${outer.line}${inner.map((f) => `; ${f.path} line ${f.line}`).join('')})` : '';
    return new TemplateError(`cannot render ${file.path}${where}: ${message.split('\n').slice(-1)[0]}`);
  }
  return new TemplateError(`cannot render ${file.path}: ${(cause as Error)?.message ?? String(cause)}`);
}
