// One snapshot file per generated file of the default project (sv style), so a review shows
// exactly how a template change alters what users get.
//
//   test/snapshot/__snapshots__/default/<path>.snap   the file's text (CRLF shown as LF; the
//                                                     CRLF rule is checked by the option matrix)
//   test/snapshot/__snapshots__/default/_files.txt    every path with its mode, and size + sha256
//                                                     for binary files and lock files (those two
//                                                     are not snapshotted as text)
//   test/snapshot/__snapshots__/default/_not-from-registry/<path>.snap
//                                                     the files that differ when create-ml-project
//                                                     was not run from the npm registry (a checkout,
//                                                     a tarball): the README's commands
//
// The project is rendered as from the registry, and again as from a checkout: the invocation is
// given, never read from the environment the tests run in (src/invocation.ts).
//
// Every snapshot name ends in .snap, so a generated .gitignore or .gitattributes never acts on
// this repository. Volatile values are normalised: the generator version (answers file,
// `create-ml-project@x.y.z`, `create-ml-project x.y.z`), the answers file's $schema URL and the
// template hash.
//
// Run:    npm run test:snapshot
// Update: UPDATE_SNAPSHOTS=1 npm run test:snapshot   (writes every snapshot, removes stale ones)

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { defaultAnswers } from '../../src/options.js';
import { packageVersion } from '../../src/paths.js';
import { DEFAULT_NAME } from '../../src/options.js';
import { renderProject } from '../../src/project/render.js';
import { bundledTemplate } from '../../src/template/source.js';

const DIR = fileURLToPath(new URL('./__snapshots__/default/', import.meta.url));
const UPDATE = process.env.UPDATE_SNAPSHOTS === '1';
const VERSION = packageVersion();
const LISTING = '_files.txt';

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The stable text of one generated file. */
function normalise(path: string, content: Buffer): string {
  let text = content.toString('utf8').replace(/\r\n/g, '\n');
  if (path === '.create-ml-project.json') {
    const record = JSON.parse(text) as { $schema: string; generator: { version: string }; template: { hash: string } };
    record.$schema = record.$schema.replace(VERSION, '<version>');
    record.generator.version = '<version>';
    record.template.hash = '<template hash>';
    return `${JSON.stringify(record, null, 2)}\n`;
  }
  const v = escapeRe(VERSION);
  text = text.replace(new RegExp(`create-ml-project(@| )${v}\\b`, 'g'), 'create-ml-project$1<version>');
  return text;
}

/** Lock files are made by tools/lock-template.sh and copied verbatim: listed with their hash only. */
const LISTED_ONLY = /(^|\/)(poetry|uv)\.lock$/;

function isBinary(content: Buffer): boolean {
  return content.includes(0) || content.subarray(0, 2).equals(Buffer.from([0x1f, 0x8b]));
}

function walk(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...walk(path));
    else out.push(relative(DIR, path).split('\\').join('/'));
  }
  return out.sort();
}

/** A unified diff from `diff -u`, or the first differing lines when diff is missing. */
function showDiff(name: string, want: string, got: string): string {
  const tmp = mkdtempSync(join(tmpdir(), 'cmlp-snap-'));
  try {
    writeFileSync(join(tmp, 'snapshot'), want);
    writeFileSync(join(tmp, 'generated'), got);
    const r = spawnSync('diff', ['-u', '--label', `snapshot ${name}`, '--label', `generated ${name}`, 'snapshot', 'generated'], { cwd: tmp, encoding: 'utf8' });
    if (r.error === undefined) return r.stdout.split('\n').slice(0, 80).join('\n');
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  const a = want.split('\n');
  const b = got.split('\n');
  const i = a.findIndex((line, j) => line !== b[j]);
  return `first difference at line ${i + 1}:\n- ${a[i]}\n+ ${b[i]}`;
}

const answers = defaultAnswers(DEFAULT_NAME);
const files = await renderProject({ answers, template: bundledTemplate(), version: VERSION, invocation: { kind: 'registry' } });
const notFromRegistry = await renderProject({ answers, template: bundledTemplate(), version: VERSION, invocation: { kind: 'checkout' } });
const VARIANT = '_not-from-registry';

const expected = new Map<string, string>();
const listing: string[] = [];
for (const f of files) {
  const mode = (f.mode & 0o111 ? 0o755 : 0o644).toString(8);
  if (isBinary(f.content) || LISTED_ONLY.test(f.path)) {
    listing.push(`${f.path} ${mode} ${isBinary(f.content) ? 'binary' : 'text'} ${f.content.length} bytes sha256:${createHash('sha256').update(f.content).digest('hex')}`);
  } else {
    listing.push(`${f.path} ${mode}`);
    expected.set(`${f.path}.snap`, normalise(f.path, f.content));
  }
}
expected.set(LISTING, `${listing.join('\n')}\n`);
for (const f of notFromRegistry) {
  const same = files.find((g) => g.path === f.path);
  if (same?.content.equals(f.content)) continue;
  assert.ok(same && !isBinary(f.content) && !LISTED_ONLY.test(f.path), `${f.path}: only text files may differ when not run from the registry`);
  expected.set(`${VARIANT}/${f.path}.snap`, normalise(f.path, f.content));
}

describe(`snapshot: default project (${answers.name}, ${files.length} files)`, () => {
  if (UPDATE) {
    test('UPDATE_SNAPSHOTS=1: rewrites every snapshot and removes stale ones', () => {
      for (const stale of walk(DIR).filter((p) => !expected.has(p))) rmSync(join(DIR, stale));
      for (const [name, text] of expected) {
        mkdirSync(dirname(join(DIR, name)), { recursive: true });
        writeFileSync(join(DIR, name), text);
      }
    });
    return;
  }

  test('no stale snapshots (files the project no longer has)', () => {
    const stale = walk(DIR).filter((p) => !expected.has(p));
    assert.deepEqual(stale, [], 'the project no longer generates these; run UPDATE_SNAPSHOTS=1 npm run test:snapshot to remove them');
  });

  for (const [name, text] of expected) {
    test(name, () => {
      const path = join(DIR, name);
      if (!existsSync(path)) assert.fail(`no snapshot ${relative(process.cwd(), path)}: a new file? run UPDATE_SNAPSHOTS=1 npm run test:snapshot and review the result`);
      const want = readFileSync(path, 'utf8');
      if (want !== text) {
        assert.fail(`${name} differs from its snapshot (if the change is intended: UPDATE_SNAPSHOTS=1 npm run test:snapshot, then review git diff):\n${showDiff(name, want, text)}`);
      }
    });
  }
});
