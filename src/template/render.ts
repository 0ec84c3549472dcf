// Renders a template (pack.ts) for one set of answers, in memory (write/files.ts writes the
// result). No prompts, no processes, no network, no disk.

import { cancelPoints } from '../cancel-point.js';
import type { Answers } from '../options.js';
import { packageName } from '../validate.js';
import type { CloudRecord } from './clouds.js';
import { targetOf } from './manifest.js';
import { TemplateError, type TemplatePack } from './pack.js';
import { foldedPath, isPlainRelative, unportable } from './plain-path.js';
import { quote } from './quote.js';
import { projectTitle } from './title.js';
import { describeFailure, loadEjs, renderEjs } from './run-ejs.js';

export interface RenderedFile {
  /** Path relative to the project root, with forward slashes. */
  path: string;
  mode: number;
  content: Buffer;
  /**
   * The same bytes as pieces, when the file was rendered as slices of its source (a lock file):
   * write/files.ts writes them as they are, and `content` joins them only when something reads it.
   */
  parts?: readonly Buffer[];
}

/** A file rendered as `parts`; its `content` is joined on first read (one copy of a ~0.4 MB lock that a scaffold never needs). */
function pieced(path: string, mode: number, parts: readonly Buffer[]): RenderedFile {
  let joined: Buffer | undefined;
  return {
    path,
    mode,
    parts,
    get content() {
      return (joined ??= Buffer.concat(parts));
    },
  };
}

/** Whether the bytes of `parts`, one after the other, hold `<%` or `%>` (also across two parts). */
function holdsMarker(parts: readonly Buffer[]): boolean {
  let before = -1;
  for (const part of parts) {
    if (part.length === 0) continue;
    if (part.includes('<%') || part.includes('%>')) return true;
    const first = part[0] as number;
    if ((before === 0x3c && first === 0x25) || (before === 0x25 && first === 0x3e)) return true;
    before = part[part.length - 1] as number;
  }
  return false;
}

export interface Generator {
  name: string;
  version: string;
  /**
   * It was run from the npm registry (npm create, npx, pnpm create…), so the project may tell its
   * readers to run `npx create-ml-project@latest …`. Not given: false (it may not be published).
   */
  fromRegistry?: boolean;
}

/** The values an EJS template sees (docs/template-contract.md). */
export function templateData(answers: Answers, pins: Record<string, unknown>, generator: Generator, clouds: readonly CloudRecord[] = []) {
  return {
    name: answers.name,
    pkg: packageName(answers.name),
    title: projectTitle(answers.name),
    os: { mac: answers.os.includes('mac'), linux: answers.os.includes('linux'), windows: answers.os.includes('windows') },
    osList: [...answers.os],
    cloud: answers.cloud,
    /** The template's clouds, in order, and the chosen one's record (none has no record). */
    clouds,
    cloudRecord: clouds.find((record) => record.name === answers.cloud),
    api: answers.api,
    training: answers.training,
    tracking: answers.tracking,
    runner: answers.runner,
    python: answers.python,
    pm: answers.packageManager,
    automerge: answers.automerge,
    pins,
    generator: { ...generator, fromRegistry: generator.fromRegistry ?? false },
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

/**
 * Renders every file this combination gets, in memory, in this thread. Throws TemplateError on a
 * broken template. Only for the bundled template: any other renders through render-isolated.ts,
 * which runs this in a worker thread. `onCode` is told each file before its code runs.
 */
export async function renderTemplate(pack: TemplatePack, answers: Answers, generator: Generator, signal?: AbortSignal, onCode?: (source: string) => void): Promise<RenderedFile[]> {
  try {
    return await renderFiles(pack, answers, generator, signal, onCode);
  } finally {
    pack.release?.();
  }
}

async function renderFiles(pack: TemplatePack, answers: Answers, generator: Generator, signal: AbortSignal | undefined, onCode: ((source: string) => void) | undefined): Promise<RenderedFile[]> {
  const point = cancelPoints(signal);
  // A template with cloud records deploys only to those (one without any handles --cloud itself).
  if (pack.clouds.length > 0 && answers.cloud !== 'none' && !pack.clouds.some((record) => record.name === answers.cloud)) {
    const known = pack.clouds.map((record) => record.name).join(', ');
    throw new TemplateError(`the template in ${pack.dir} cannot deploy to ${answers.cloud}: it has no clouds/${answers.cloud}/cloud.json (its clouds: ${known})`);
  }
  const data = templateData(answers, pack.pins, generator, pack.clouds);
  // EJS itself loads only for a template whose files were not compiled ahead (not the bundled one).
  const ejs = pack.compiledAhead ? undefined : await loadEjs();
  const files: RenderedFile[] = [];
  const seen = new Map<string, string>();
  // Every path and folder written, by the name Windows and macOS see (case and Unicode folded).
  const folded = new Map<string, string>();
  const checked = new Set<string>();
  for (const file of pack.files) {
    await point();
    const source = file.path;
    const target = targetOf(pack.manifest, source, answers);
    if (target === undefined) continue;
    const path = outputPath(target, data.pkg);
    if (!isPlainRelative(path)) {
      throw new TemplateError(`template file ${source} would be written to ${JSON.stringify(path)}, which is not a plain path inside the project`);
    }
    const previous = seen.get(path);
    if (previous) throw new TemplateError(`template files ${previous} and ${source} both write ${path}`);
    seen.set(path, source);
    const problem = unportable(path);
    if (problem) throw new TemplateError(`template file ${source} would be written to ${path}, which cannot be checked out on Windows: ${problem}`);
    // The path and each folder on its way, outermost first; a folder checked for an earlier file
    // is not checked again (nor are the folders around it).
    const unchecked: string[] = [];
    for (let end = path.length; end !== -1; end = path.lastIndexOf('/', end - 1)) {
      const prefix = path.slice(0, end);
      if (end !== path.length && checked.has(prefix)) break;
      unchecked.push(prefix);
    }
    for (const prefix of unchecked.reverse()) {
      checked.add(prefix);
      const key = foldedPath(prefix);
      const other = folded.get(key);
      if (other !== undefined && other !== prefix) {
        throw new TemplateError(`template file ${source} would write ${prefix} beside ${other}: the same name on Windows and macOS, where letter case does not tell files apart`);
      }
      folded.set(key, prefix);
    }

    const mode = file.executable ? 0o755 : 0o644;
    // Batch files get CRLF line ends, whatever the template's checkout has.
    const batch = /\.(bat|cmd)$/i.test(path);
    let content: Buffer;
    if (target.endsWith('.ejs')) {
      // Only the compiled code is needed: a packed file's EJS source is not even read.
      let output: string | Buffer[];
      onCode?.(source);
      try {
        output = renderEjs(pack, file, data, ejs);
      } catch (error) {
        // A Ctrl+C that came while the code ran is a cancel, not a broken template: let the
        // signal's handler run (a cancel point turns the event loop after a long file) first.
        await point();
        throw await describeFailure(pack, file, data, error);
      }
      // Two plain searches: V8's string search skips ahead where the regular expression /<%|%>/
      // stepped through every character of the ~0.7 MB a scaffold renders (~2.5 M instructions).
      // (Bytes have the markers where the text has them: UTF-8 encodes ASCII as itself.)
      if (typeof output === 'string' ? output.includes('<%') || output.includes('%>') : holdsMarker(output)) {
        throw new TemplateError(`rendering ${source} left a template marker (<% or %>) in ${path}`);
      }
      if (typeof output !== 'string' && !batch) {
        files.push(pieced(path, mode, output));
        continue;
      }
      content = typeof output === 'string' ? Buffer.from(output, 'utf8') : Buffer.concat(output);
    } else {
      content = file.content;
    }
    if (batch) content = Buffer.from(content.toString('utf8').replace(/\r?\n/g, '\r\n'), 'utf8');
    files.push({ path, mode, content });
  }
  return files;
}
