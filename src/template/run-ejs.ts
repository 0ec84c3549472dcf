// How an EJS file becomes text. EJS's own compiler turns the file into the body of a JavaScript
// function (compileEjs); that happens ahead of time for the bundled template (build.mjs packs the
// result) and on first use for any other. runEjs then calls the body as EJS's compiled templates
// are called — (locals, escapeFn, include, rethrow) — plus the source it slices its literal text
// from (see compileEjs), so a packed file renders as EJS would render the source, without EJS's
// parser (or EJS at all) in the run.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { Script } from 'node:vm';
import { dirname, join, relative, sep, posix } from 'node:path';
import { BODY_PARAMETERS } from './bodies-script.js';
import { TemplateError, type CompiledEjs, type TemplateFile, type TemplatePack } from './pack.js';
import { below } from './plain-path.js';

type Ejs = typeof import('ejs');
export type Body = (
  locals: object,
  escapeFn: (value: unknown) => string,
  include: (path: string, data?: object) => string,
  rethrow: undefined,
  __text: string | SliceRecorder,
) => string;

/** What a body that prints only slices of its source is given in place of that source (sliced()). */
interface SliceRecorder {
  slice(start: number, end: number): string;
}

/** `<%= %>` prints values as they are: the output is code and config, not HTML. */
const escape = (value: unknown): string => String(value);

export async function loadEjs(): Promise<Ejs> {
  const module = await import('ejs');
  // From source this is EJS's ES module. In the published package it is dist/lib/ejs.cjs, and
  // Node's CommonJS interop hands over that file's exports as the default: { default: ejs }.
  const exported = module.default as Ejs | { default: Ejs };
  return 'render' in exported ? exported : exported.default;
}

/**
 * EJS's compiled JavaScript for one template text (the body of the function EJS would build), with
 * the template's literal text taken out of it: the body slices it from `text` itself.
 */
export function compileEjs(ejs: Ejs, text: string, path: string, hoist = true): CompiledEjs {
  // Template#source is the body EJS hands to `new Function` (documented in @types/ejs). Without
  // compileDebug EJS leaves out its line tracking, which halves its work; a file that fails is
  // rendered again with it (describeFailure).
  const template = new ejs.Template(text, { filename: path, compileDebug: false, escape });
  template.compile();
  if (!hoist) return { body: template.source };
  const hoisted = hoistLiterals(template.source, text);
  if (!printsOnlySource(hoisted.body)) return hoisted;
  // Only its own text: slice it from the bytes instead (CompiledEjs.bytes), and copy the output
  // straight from them (sliced()). A lock file is ~0.4 MB of text with one em dash in it: read as
  // UTF-8 that made a string of two bytes a character, and decoding it and encoding the output
  // again cost a scaffold ~15 M instructions.
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length === text.length) return { ...hoisted, bytes: true };
  return { ...hoistLiterals(template.source, bytes.toString('latin1'), (value) => Buffer.from(value, 'utf8').toString('latin1')), bytes: true };
}

// EJS emits each run of literal text as one line of the body: `    ; __append("…")`, the text
// escaped with \\ \n \r \" only. Left as string literals, V8 must scan, unescape and hash every
// byte of them on every run (the body of a uv.lock template is ~450 KB of them). Each such text is
// a piece of the template's source (EJS only cuts the source at its tags and trims whitespace
// next to them), so the body slices it from there: `    ; __append(__text.slice(0, 812))`, and a
// pack stores the text once, as the file itself. A text that is not in the source as printed
// (`<%%` prints `<%`), and a line whose string uses any other escape (only possible in
// hand-written code such as `<%-"a\tb"%>`), stay as they are; the escapes taken out mean the same
// in JavaScript, so the rendered output cannot change (tests compare both ways on every template
// file). (Lines are split on \n alone: the text may hold U+2028, which a multiline regex's ^ and $
// treat as a line end.)
const LITERAL_LINE = /(?<=^|\n)    ; __append\("((?:[^"\\\r\n]|\\[\\nr"])*)"\)(?=\n)/g;
const UNESCAPE: Record<string, string> = { '\\': '\\', n: '\n', r: '\r', '"': '"' };

function hoistLiterals(compiled: string, source: string, form: (text: string) => string = (text) => text): CompiledEjs {
  let from = 0;
  const body = compiled.replace(LITERAL_LINE, (line, literal: string) => {
    const value = form(literal.replace(/\\([\\nr"])/g, (_escape, c: string) => UNESCAPE[c] as string));
    // Texts come in source order: look after the previous one first.
    let start = source.indexOf(value, from);
    if (start === -1) start = source.indexOf(value);
    if (start === -1) return line;
    from = start + value.length;
    return `    ; __append(__text.slice(${start}, ${from}))`;
  });
  return { body };
}

/**
 * Every __append of the body prints a slice of the source, and nothing else touches the output:
 * no value, no include, no string left in the code (the definition of __append, and __output's
 * three lines, are EJS's own).
 */
function printsOnlySource(body: string): boolean {
  const appends = body.split('__append(').length - 1;
  const slices = body.split('; __append(__text.slice(').length - 1;
  return appends === slices + 1 && body.split('__output').length - 1 === 3;
}

// One function per compiled file for the life of the pack (the option matrix renders thousands of
// projects from one pack); a WeakMap, so a dropped pack takes its functions with it.
const bodies = new WeakMap<TemplateFile, { run: Body; text: string; bytes: boolean }>();
// Functions made ahead for a pack's files, all at once (cached-bodies.ts), used in place of
// compiling each body on its first use.
const madeAhead = new WeakMap<TemplateFile, { run: Body; bytes: boolean }>();

const packsLoaded = new WeakSet<TemplatePack>();

/**
 * Makes the functions of every compiled body of a pack file in one go: all bodies as one script
 * (bodies-script.ts), compiled by `compile` (cached-bodies.ts hands it V8's cached code) or
 * plainly. A pack renders through this one path, whether the code cache is on or off; only a
 * folder compiles each file's body on its first use.
 */
export function loadPackedBodies(pack: TemplatePack, compile: (source: string, filename: string) => Script = (source, filename) => new Script(source, { filename })): void {
  const code = pack.code;
  if (!code || packsLoaded.has(pack)) return;
  packsLoaded.add(pack);
  const functions = compile(code.script(), code.path).runInThisContext() as Body[];
  code.files.forEach((file, i) => madeAhead.set(file, { run: functions[i] as Body, bytes: code.bytes[i] === true }));
}

function bodyOf(file: TemplateFile, ejs: Ejs | undefined): { run: Body; text: string; bytes: boolean } {
  let body = bodies.get(file);
  if (body) return body;
  let made = madeAhead.get(file);
  if (!made) {
    if (file.compiled === undefined) {
      if (!ejs) throw new TemplateError(`${file.path} was not compiled ahead, and EJS is not loaded`);
      file.compiled = compileEjs(ejs, file.content.toString('utf8'), file.path);
    }
    // The constructor call EJS makes for a compiled template.
    made = { run: new Function(BODY_PARAMETERS, file.compiled.body) as Body, bytes: file.compiled.bytes === true };
  }
  // The source it slices; a body that prints only slices of it never needs it as text (sliced()).
  body = { ...made, text: made.bytes ? '' : file.content.toString('utf8') };
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
  return asText(renderEjs(pack, file, data, ejs));
}

const asText = (output: string | Buffer[]): string => (typeof output === 'string' ? output : Buffer.concat(output).toString('utf8'));

/**
 * Renders one `.ejs` file as runEjs does: its text, or, for a file whose body prints only slices of
 * its source (CompiledEjs.bytes), the UTF-8 bytes of that text as those slices, in order.
 */
export function renderEjs(pack: TemplatePack, file: TemplateFile, data: object, ejs: Ejs | undefined): string | Buffer[] {
  loadPackedBodies(pack);
  const byPath = indexOf(pack);
  const run = (current: TemplateFile, locals: object): string | Buffer[] => {
    // As EJS does: the template sees a copy of the data without a prototype, and an include sees
    // the includer's data plus whatever it passes.
    const own = Object.assign(Object.create(null) as object, locals);
    const include = (path: string, extra?: object): string => {
      const target = includeTarget(current.path, path);
      const included = byPath.get(target);
      if (!included) throw new TemplateError(`${current.path} includes ${path}, which the template does not have (${target})`);
      return asText(run(included, extra ? { ...locals, ...extra } : locals));
    };
    const body = bodyOf(current, ejs);
    return body.bytes ? sliced(body.run, own, include, current.content) : body.run(own, escape, include, undefined, body.text);
  };
  return run(file, data);
}

/**
 * Runs a body that prints only slices of its source (CompiledEjs.bytes) with, in place of that
 * source, something that notes the byte range of each slice and prints nothing; the output is
 * those ranges of the source's bytes, not copied (write/files.ts writes them with one writev). A
 * lock file (~0.4 MB) is then neither decoded into a string, nor built up as one and encoded back,
 * nor joined into one buffer, each of which cost a scaffold a copy of it and the fresh memory
 * pages to hold the copy (bench/README.md).
 */
function sliced(run: Body, locals: object, include: (path: string, data?: object) => string, source: Buffer): Buffer[] {
  const ranges: number[] = [];
  const recorder: SliceRecorder = {
    slice(start, end) {
      ranges.push(start, end);
      return '';
    },
  };
  run(locals, escape, include, undefined, recorder);
  const parts: Buffer[] = [];
  for (let i = 0; i < ranges.length; i += 2) parts.push(source.subarray(ranges[i], ranges[i + 1]));
  return parts;
}

/**
 * A file that failed: render it again through EJS itself, with line tracking on, for a message
 * that names the line. EJS resolves includes on disk, so the template's files are written to a
 * temporary folder first (a pack has no folder; this is the error path of a broken template).
 */
export async function describeFailure(pack: TemplatePack, file: TemplateFile, data: object, cause: unknown): Promise<TemplateError> {
  if (cause instanceof TemplateError) return cause;
  const ejs = await loadEjs();
  const root = mkdtempSync(join(tmpdir(), 'cmlp-template-'));
  try {
    for (const each of pack.files) {
      const abs = below(root, each.path);
      mkdirSync(dirname(abs), { recursive: true });
      writeFileSync(abs, each.content);
    }
    ejs.render(file.content.toString('utf8'), data, { filename: below(root, file.path), escape, compileDebug: true });
  } catch (error) {
    // EJS's debug message: "<file>:<line>" and the lines around it, once per include level (the
    // outermost first), a blank line, the cause.
    const message = (error as Error).message;
    const [outer, ...inner] = [...message.matchAll(/^(.+):(\d+)$/gm)]
      .filter((m) => m[1]?.startsWith(root))
      .map((m) => ({ path: relative(root, m[1] as string).split(sep).join('/'), line: m[2] }));
    const where = outer ? ` (line ${outer.line}${inner.map((f) => `; ${f.path} line ${f.line}`).join('')})` : '';
    return new TemplateError(`cannot render ${file.path}${where}: ${message.split('\n').slice(-1)[0]}`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  return new TemplateError(`cannot render ${file.path}: ${(cause as Error)?.message ?? String(cause)}`);
}
