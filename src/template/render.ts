// Renders a template folder into a (staging) folder for one set of answers.
// Pure file work: no prompts, no processes, no network.

// Synchronous file calls on purpose: a scaffold is a few dozen small files, and awaiting each one
// through the thread pool made most of the run idle time (see bench/README.md).
import { chmodSync, lstatSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, posix, relative, resolve, sep } from 'node:path';
import type { Answers } from '../options.js';
import { packageName } from '../validate.js';
import { readManifest, readPins, targetOf, type TemplateManifest } from './manifest.js';
import { quote } from './quote.js';

export interface RenderedFile {
  /** Path relative to the project root, with forward slashes. */
  path: string;
  mode: number;
  content: Buffer;
}

export interface Generator {
  name: string;
  version: string;
}

/** The values an EJS template sees (docs/template-contract.md). */
export function templateData(answers: Answers, pins: Record<string, unknown>, generator: Generator) {
  return {
    name: answers.name,
    pkg: packageName(answers.name),
    title: answers.name
      .split('-')
      .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
      .join(' '),
    os: { mac: answers.os.includes('mac'), linux: answers.os.includes('linux'), windows: answers.os.includes('windows') },
    osList: [...answers.os],
    cloud: answers.cloud,
    api: answers.api,
    training: answers.training,
    runner: answers.runner,
    python: answers.python,
    pm: answers.packageManager,
    automerge: answers.automerge,
    pins,
    generator,
    q: quote,
  };
}

export class TemplateError extends Error {}

/** All regular files below `dir`, as sorted forward-slash paths. Links are refused. */
export async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  async function walk(rel: string): Promise<void> {
    const entries = readdirSync(join(dir, rel), { withFileTypes: true });
    for (const entry of entries) {
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) await walk(child);
      else if (entry.isFile()) out.push(child);
      else throw new TemplateError(`template file ${child} is a link or special file; templates may only hold regular files`);
    }
  }
  await walk('');
  return out.sort();
}

/** Final project path for a manifest target: `.ejs` stripped, `__pkg__` and `_gitignore` replaced. */
export function outputPath(target: string, pkg: string): string {
  const parts = target.split('/').map((part) => (part === '__pkg__' ? pkg : part));
  const last = parts.length - 1;
  let base = parts[last] ?? '';
  if (base.endsWith('.ejs')) base = base.slice(0, -'.ejs'.length);
  // Git config files named with a leading underscore: npm strips a real .gitignore from packages,
  // and a real .gitattributes would apply its rules to this repository's own template/ folder.
  if (base === '_gitignore' || base === '_gitattributes') base = `.${base.slice(1)}`;
  parts[last] = base;
  return parts.join('/');
}

const MARKER = /<%|%>/;

/** Renders every file this combination gets, in memory. Throws TemplateError on a broken template. */
export async function renderTemplate(templateDir: string, answers: Answers, generator: Generator): Promise<RenderedFile[]> {
  // Loaded here, not at the top: --help and argument errors never pay for the template engine.
  const { default: ejs } = await import('ejs');
  const manifest: TemplateManifest = await readManifest(templateDir);
  const data = templateData(answers, await readPins(templateDir), generator);
  const files: RenderedFile[] = [];
  const seen = new Map<string, string>();
  for (const source of await listFiles(templateDir)) {
    const target = targetOf(manifest, source, answers);
    if (target === undefined) continue;
    const path = outputPath(target, data.pkg);
    if (posix.isAbsolute(path) || posix.normalize(path).split('/').includes('..')) {
      throw new TemplateError(`template file ${source} would be written outside the project (${path})`);
    }
    const previous = seen.get(path);
    if (previous) throw new TemplateError(`template files ${previous} and ${source} both write ${path}`);
    seen.set(path, source);

    const abs = join(templateDir, source);
    const stat = lstatSync(abs);
    let content: Buffer = readFileSync(abs);
    if (target.endsWith('.ejs')) {
      const text = renderEjs(ejs, content.toString('utf8'), data, abs, source);
      if (MARKER.test(text)) throw new TemplateError(`rendering ${source} left a template marker (<% or %>) in ${path}`);
      content = Buffer.from(text, 'utf8');
    }
    if (/\.(bat|cmd)$/i.test(path)) content = Buffer.from(content.toString('utf8').replace(/\r?\n/g, '\r\n'), 'utf8');
    files.push({ path, mode: stat.mode & 0o111 ? 0o755 : 0o644, content });
  }
  return files;
}

type Ejs = typeof import('ejs');

/**
 * One EJS file. Compiled without line tracking, which halves EJS's compile time (the largest
 * single cost of rendering); a file that fails is rendered again with it, for an error with a line.
 */
function renderEjs(ejs: Ejs, template: string, data: object, filename: string, source: string): string {
  const options = { filename, escape: (s: unknown) => String(s), compileDebug: false };
  try {
    return ejs.render(template, data, options);
  } catch {
    try {
      ejs.render(template, data, { ...options, compileDebug: true });
    } catch (error) {
      // EJS's debug message: "<file>:<line>", the lines around it, a blank line, the cause.
      const message = (error as Error).message;
      const line = /^.*:(\d+)\n/.exec(message)?.[1];
      throw new TemplateError(`cannot render ${source}${line ? ` (line ${line})` : ''}: ${message.split('\n').slice(-1)[0]}`);
    }
    throw new TemplateError(`cannot render ${source}: it fails only without EJS's debug mode`);
  }
}

/** Writes rendered files below `root`, which must exist. */
export async function writeFiles(root: string, files: readonly RenderedFile[]): Promise<void> {
  const base = resolve(root);
  // Each system call counts when a scaffold is dozens of files: make each folder once, and fix a
  // file's mode only when the umask took bits away from it.
  const made = new Set<string>([base]);
  const umask = process.umask();
  for (const file of files) {
    const abs = resolve(base, ...file.path.split('/'));
    if (relative(base, abs).startsWith('..') || !abs.startsWith(base + sep)) {
      throw new TemplateError(`refusing to write ${file.path} outside ${root}`);
    }
    const folder = dirname(abs);
    if (!made.has(folder)) {
      mkdirSync(folder, { recursive: true });
      made.add(folder);
    }
    writeFileSync(abs, file.content, { mode: file.mode });
    if (file.mode & umask) chmodSync(abs, file.mode);
  }
}
