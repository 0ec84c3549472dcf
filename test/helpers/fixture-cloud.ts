// A copy of the bundled template with one more cloud, made the way docs/architecture.md says a
// cloud is added: its folder (test/fixtures/fixture-cloud/clouds/example/) dropped into clouds/,
// and its pins merged into pins.json. Nothing else of the template is touched; the tests check
// that (fixtureCloudChanges) and that the copy renders, lints and passes the workflow checks.

import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { listFiles } from '../../src/template/pack.js';
import { TEMPLATE_DIR } from './render.js';

export const FIXTURE_CLOUD_DIR = fileURLToPath(new URL('../fixtures/fixture-cloud', import.meta.url));
export const FIXTURE_CLOUD = 'example';

type Json = Record<string, unknown>;

/** `extra` merged into `base`, objects key by key (a new cloud only adds pins). */
function merge(base: Json, extra: Json): Json {
  const out: Json = { ...base };
  for (const [key, value] of Object.entries(extra)) {
    const current = out[key];
    const bothObjects = [current, value].every((v) => typeof v === 'object' && v !== null && !Array.isArray(v));
    out[key] = bothObjects ? merge(current as Json, value as Json) : value;
  }
  return out;
}

/** A new folder holding the template plus the fixture cloud; the caller removes it. */
export async function templateWithFixtureCloud(): Promise<string> {
  const dir = join(await mkdtemp(join(tmpdir(), 'fixture-cloud-')), 'template');
  await cp(TEMPLATE_DIR, dir, { recursive: true });
  await cp(join(FIXTURE_CLOUD_DIR, 'clouds'), join(dir, 'clouds'), { recursive: true });
  const pins = JSON.parse(await readFile(join(dir, 'pins.json'), 'utf8')) as Json;
  const extra = JSON.parse(await readFile(join(FIXTURE_CLOUD_DIR, 'pins.json'), 'utf8')) as Json;
  await writeFile(join(dir, 'pins.json'), `${JSON.stringify(merge(pins, extra), null, 2)}\n`);
  return dir;
}

/** Every file of `dir` that is new or different from the bundled template's. */
export async function fixtureCloudChanges(dir: string): Promise<string[]> {
  const original = new Set(listFiles(TEMPLATE_DIR));
  const copy = new Set(listFiles(dir));
  const changed: string[] = [];
  for (const path of copy) {
    if (!original.has(path) || !(await readFile(join(dir, path))).equals(await readFile(join(TEMPLATE_DIR, path)))) changed.push(path);
  }
  for (const path of original) if (!copy.has(path)) changed.push(path);
  return changed;
}
