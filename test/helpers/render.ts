// Renders the bundled template straight from source (no build, no setup) for tests that only need
// the generated files. End-to-end tests that need the real CLI use test/helpers/cli.ts instead.
// Run it by hand too:  npx tsx test/helpers/render.ts /tmp/out name=demo cloud=aws api=false os=mac,linux

import { mkdir, rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import { defaultAnswers, type Answers } from '../../src/options.js';
import { packHash } from '../../src/template/hash.js';
import { parsePack, readTemplateFolder, type TemplatePack } from '../../src/template/pack.js';
import { packFileFor } from '../../src/template/pack-ahead.js';
import { renderTemplate, type RenderedFile } from '../../src/template/render.js';
import { writeFiles } from '../../src/write/files.js';

export const TEMPLATE_DIR = fileURLToPath(new URL('../../template', import.meta.url));

let bundled: Promise<TemplatePack> | undefined;

/**
 * The bundled template as the published package renders it: packed ahead by the code build.mjs
 * runs, and read back from the same bytes dist/template.pack holds.
 */
export function bundledPack(): Promise<TemplatePack> {
  bundled ??= packFileFor(TEMPLATE_DIR).then((bytes) => parsePack(bytes, 'template.pack'));
  return bundled;
}

/** The content hash of a template folder: what a project made from it records as template.hash. */
export function templateHash(dir: string): Promise<string> {
  return packHash(readTemplateFolder(dir));
}

export function answers(overrides: Partial<Answers> = {}): Answers {
  return { ...defaultAnswers(overrides.name ?? 'demo-project'), ...overrides };
}

/** Renders the bundled template, or `pack` (another template, e.g. readTemplateFolder's). */
export async function render(overrides: Partial<Answers> = {}, pack?: TemplatePack): Promise<RenderedFile[]> {
  return renderTemplate(pack ?? (await bundledPack()), answers(overrides), { name: 'create-ml-project', version: '0.0.0-test' });
}

/** Renders into `dir` (emptied first) and returns the files. */
export async function renderTo(dir: string, overrides: Partial<Answers> = {}, pack?: TemplatePack): Promise<RenderedFile[]> {
  const files = await render(overrides, pack);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  await writeFiles(dir, files);
  return files;
}

/** `key=value` pairs from the command line; lists are comma separated, booleans true/false. */
export function parsePairs(pairs: string[]): Partial<Answers> {
  const out: Record<string, unknown> = {};
  for (const pair of pairs) {
    const [key = '', value = ''] = pair.split('=');
    out[key] = key === 'os' ? value.split(',') : value === 'true' ? true : value === 'false' ? false : value;
  }
  return out as Partial<Answers>;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [dir, ...pairs] = process.argv.slice(2);
  if (!dir) throw new Error('usage: tsx test/helpers/render.ts OUTDIR [key=value ...]');
  const files = await renderTo(resolve(dir), parsePairs(pairs));
  console.log(`rendered ${files.length} files into ${resolve(dir)}`);
}
