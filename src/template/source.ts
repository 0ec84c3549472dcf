// Which template a run renders: the one bundled in the package, a local folder given with
// --template, or a remote source (remote.ts) checked in memory, then unpacked into a temporary folder.

import { lstatSync } from 'node:fs';
import { resolve } from 'node:path';
import { CliError, ExitCode, show } from '../errors.js';
import { BUNDLED_PACK, BUNDLED_TEMPLATE } from '../paths.js';
import { unpackedCache } from './cached-bodies.js';
import { hashMismatch, packHash } from './hash.js';
import { readPack, readTemplateFolder, TemplateError, type TemplatePack } from './pack.js';
import { fetchRemote, isRemoteSource, type RemoteOptions } from './remote.js';

export interface TemplateSource {
  /** As recorded in the answers file: "bundled" or what the user gave. */
  source: string;
  /** Local folder holding template.json; with `pack`, only where the template came from. */
  dir: string;
  /** The template packed ahead (pack.ts), read instead of `dir`: the bundled one in the published package. */
  pack?: string;
  /** Content hash, once computed (renderProject records it). */
  hash?: string;
}

/** True in the published bundle (build.mjs writes dist/template.pack); not defined when running from source (tests). */
declare const __BUNDLED_TEMPLATE_PACKED__: boolean | undefined;

export function bundledTemplate(): TemplateSource {
  // typeof: from source the name is not defined at all, and the folder is read instead.
  const packed = typeof __BUNDLED_TEMPLATE_PACKED__ === 'boolean' && __BUNDLED_TEMPLATE_PACKED__;
  return { source: 'bundled', dir: BUNDLED_TEMPLATE, ...(packed ? { pack: BUNDLED_PACK } : {}) };
}

// Read once per source and run: --template-hash and the scaffold both need it.
const loaded = new WeakMap<TemplateSource, TemplatePack>();

/**
 * The template's files in memory: its pack when it has one, else its folder. With `env`, a pack
 * read here keeps its unpacked blocks in the compile cache (cached-bodies.ts) when that is on.
 */
export function loadTemplate(template: TemplateSource, env?: NodeJS.ProcessEnv): TemplatePack {
  let pack = loaded.get(template);
  if (!pack) loaded.set(template, (pack = template.pack ? readPack(template.pack, env && unpackedCache(env)) : readTemplateFolder(template.dir)));
  return pack;
}

function isFile(path: string): boolean {
  try {
    return lstatSync(path).isFile();
  } catch {
    return false;
  }
}

export async function localTemplate(spec: string, cwd: string): Promise<TemplateSource> {
  const dir = resolve(cwd, spec);
  if (!isFile(resolve(dir, 'template.json'))) throw new CliError(`--template ${show(spec)}: no template.json in ${show(dir)}`, ExitCode.templateFetch);
  return { source: spec, dir };
}

export interface ResolveOptions extends RemoteOptions {
  cwd: string;
  /** Shown before a third-party template is used. */
  warn: (message: string) => void;
}

/** --template: nothing → bundled; "<provider>:…" → downloaded (or cached); anything else → a local folder. */
export async function resolveTemplate(spec: string | undefined, options: ResolveOptions): Promise<TemplateSource> {
  if (!spec) return bundledTemplate();
  // Templates are EJS, and EJS is JavaScript: rendering one runs its code with the user's rights.
  options.warn(`template ${show(spec)} is not the bundled one: its EJS code runs on this machine while the project is generated; use templates you trust`);
  if (!isRemoteSource(spec)) return localTemplate(spec, options.cwd);
  // fetchRemote has checked template.json and --template-hash before writing anything.
  const { dir } = await fetchRemote(spec, options);
  return { source: spec, dir };
}

/** A TemplateError as the run's failure: the bundled template broken is a bug of this tool (exit 1), any other template is at fault itself (exit 4). */
export function brokenTemplate(error: unknown, template: TemplateSource): unknown {
  if (!(error instanceof TemplateError)) return error;
  return new CliError(`the template is broken: ${error.message}`, template.source === 'bundled' ? ExitCode.unexpected : ExitCode.templateFetch);
}

/** --template-hash: the template's content must hash to exactly this. */
export async function checkTemplateHash(template: TemplateSource, expected: string): Promise<void> {
  let pack;
  try {
    pack = loadTemplate(template);
  } catch (error) {
    throw brokenTemplate(error, template);
  }
  const actual = await packHash(pack);
  if (actual !== expected) throw hashMismatch(template.source, actual, expected);
}
