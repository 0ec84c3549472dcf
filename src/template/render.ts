// Renders a template (pack.ts) for one set of answers, in memory: which files, where, and their
// content. Writing them is write/open-ahead.ts's job.
import type { Answers } from '../options.js';
import { packageName } from '../validate.js';
import { targetOf } from './manifest.js';
import { TemplateError, type TemplateFile, type TemplatePack } from './pack.js';
import { isPlainRelative } from './plain-path.js';
import { quote } from './quote.js';
import { describeFailure, loadEjs, runEjs } from './run-ejs.js';

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

/** Where one template file goes for one set of answers. */
export interface PlannedFile {
  file: TemplateFile;
  /** The template.json target; a file to render still ends in `.ejs`. */
  target: string;
  /** Path in the project, with forward slashes. */
  path: string;
  mode: number;
}

/**
 * Every file this combination gets, where it goes and with which mode, in template order, without
 * rendering any: the writing can start on this while the content is rendered (steps/scaffold.ts).
 * Throws TemplateError on a rule that maps outside the project or two files onto one path.
 */
export function planFiles(pack: TemplatePack, answers: Answers): PlannedFile[] {
  const pkg = packageName(answers.name);
  const planned: PlannedFile[] = [];
  const seen = new Map<string, string>();
  for (const file of pack.files) {
    const target = targetOf(pack.manifest, file.path, answers);
    if (target === undefined) continue;
    const path = outputPath(target, pkg);
    if (!isPlainRelative(path)) {
      throw new TemplateError(`template file ${file.path} would be written to ${JSON.stringify(path)}, which is not a plain path inside the project`);
    }
    const previous = seen.get(path);
    if (previous) throw new TemplateError(`template files ${previous} and ${file.path} both write ${path}`);
    seen.set(path, file.path);
    planned.push({ file, target, path, mode: file.executable ? 0o755 : 0o644 });
  }
  return planned;
}

/** Renders every file this combination gets, in memory. Throws TemplateError on a broken template. */
export async function renderTemplate(pack: TemplatePack, answers: Answers, generator: Generator): Promise<RenderedFile[]> {
  try {
    return await renderFiles(pack, answers, generator);
  } finally {
    pack.release?.();
  }
}

async function renderFiles(pack: TemplatePack, answers: Answers, generator: Generator): Promise<RenderedFile[]> {
  const data = templateData(answers, pack.pins, generator);
  // EJS itself loads only for a template whose files were not compiled ahead (not the bundled one).
  const ejs = pack.compiledAhead ? undefined : await loadEjs();
  const files: RenderedFile[] = [];
  for (const { file, target, path, mode } of planFiles(pack, answers)) {
    let content: Buffer;
    if (target.endsWith('.ejs')) {
      // Only the compiled code is needed: a packed file's EJS source is not even read.
      let text: string;
      try {
        text = runEjs(pack, file, data, ejs);
      } catch (error) {
        throw await describeFailure(pack, file, data, error);
      }
      if (MARKER.test(text)) throw new TemplateError(`rendering ${file.path} left a template marker (<% or %>) in ${path}`);
      content = Buffer.from(text, 'utf8');
    } else {
      content = file.content;
    }
    if (/\.(bat|cmd)$/i.test(path)) content = Buffer.from(content.toString('utf8').replace(/\r?\n/g, '\r\n'), 'utf8');
    files.push({ path, mode, content });
  }
  return files;
}
