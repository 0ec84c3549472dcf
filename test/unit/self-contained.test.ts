// The tests read nothing from outside the repository: no test, CI script, tool or benchmark
// names a folder beside the clone (as the JSON schemas once were, in ../shared/schemas through
// two environment variables), and the schemas vendored in test/fixtures/schemas are exactly the
// ones their README lists, with the checksums it gives.

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { describe, it } from 'node:test';
import { ROOT } from '../helpers/cli.js';
import { SCHEMAS_DIR } from '../helpers/file-checks.js';

const SCANNED = ['test', '.ci', 'tools', 'bench', 'package.json'];
/** Repository paths (with '/') not scanned, each with its reason. */
const SKIPPED: { path: string; why: string }[] = [
  { path: 'test/snapshot/__snapshots__/', why: 'recorded output of the generator' },
  { path: 'test/unit/self-contained.test.ts', why: 'this file names the patterns it looks for' },
  { path: 'bench/results/', why: 'recorded output of earlier benchmark runs (bench/run.mjs writes it)' },
];
const SKIPPED_DIRS = new Set(['node_modules', '__pycache__', '.venv']);

/** A reference to a location outside the clone, the way the schemas used to be found. */
const OUTSIDE: { what: string; re: RegExp }[] = [
  { what: '../shared', re: /\.\.[\\/]shared(?![\w-])/ },
  { what: "'..', 'shared'", re: /['"]\.\.['"]\s*,\s*['"]shared['"]/ },
  { what: '/work/shared', re: /\/work\/shared(?![\w-])/ },
  { what: 'SHARED_SCHEMAS_DIR', re: /\bSHARED_SCHEMAS_DIR\b/ },
  { what: 'BATECT_SCHEMA', re: /\bBATECT_SCHEMA\b/ },
];

function outsideRefs(text: string): string[] {
  const found: string[] = [];
  text.split('\n').forEach((line, i) => {
    for (const { what, re } of OUTSIDE) if (re.test(line)) found.push(`line ${i + 1}: ${what}: ${line.trim().slice(0, 160)}`);
  });
  return found;
}

function repoPath(abs: string): string {
  return relative(ROOT, abs).split(sep).join('/');
}

function* filesUnder(abs: string): Generator<string> {
  const rel = repoPath(abs);
  if (SKIPPED.some((s) => rel.startsWith(s.path) || `${rel}/` === s.path)) return;
  const st = lstatSync(abs, { throwIfNoEntry: false });
  if (st?.isFile()) yield abs;
  if (!st?.isDirectory()) return;
  for (const name of readdirSync(abs)) if (!SKIPPED_DIRS.has(name)) yield* filesUnder(join(abs, name));
}

/** The `sha256sum`-format lines of the README's sha256 block: file name -> checksum. */
function readmeChecksums(readme: string): Map<string, string> {
  const block = /^```sha256\n([\s\S]*?)^```$/m.exec(readme);
  assert.ok(block, 'test/fixtures/schemas/README.md has no ```sha256 block');
  const sums = new Map<string, string>();
  for (const line of block[1]!.split('\n').filter((l) => l.trim() !== '')) {
    const m = /^([0-9a-f]{64}) {2}(\S+)$/.exec(line);
    assert.ok(m, `README.md sha256 block: not a "<sha256>  <file>" line: ${line}`);
    assert.ok(!sums.has(m[2]!), `README.md sha256 block lists ${m[2]} twice`);
    sums.set(m[2]!, m[1]!);
  }
  return sums;
}

describe('the tests are self-contained', () => {
  it('the pattern finds references outside the clone and leaves ordinary words alone', () => {
    for (const bad of [
      "join(ROOT, '..', 'shared', 'schemas')",
      "join(REPO, '../shared/schemas/x.json')",
      'see /work/shared/guides/containers.md',
      'process.env.SHARED_SCHEMAS_DIR',
      'BATECT_SCHEMA=/tmp/x.json npm test',
    ]) {
      assert.equal(outsideRefs(bad).length, 1, bad);
    }
    for (const ok of ['the shared schemas', 'sharedState', 'a shared/ folder', '../shared-config', 'SCHEMAS_DIR', 'BATECT_SCHEMA_URL']) {
      assert.deepEqual(outsideRefs(ok), [], ok);
    }
  });

  it('no test, CI script, tool, benchmark or package.json refers to a path outside the repository', () => {
    const problems: string[] = [];
    let scanned = 0;
    for (const top of SCANNED) {
      for (const file of filesUnder(join(ROOT, top))) {
        const content = readFileSync(file);
        if (content.includes(0)) continue; // binary
        scanned++;
        for (const p of outsideRefs(content.toString('utf8'))) problems.push(`${repoPath(file)} ${p}`);
      }
    }
    assert.ok(scanned > 50, `only ${scanned} files scanned: is the walk broken?`);
    assert.deepEqual(problems, [], `read everything the tests need from the repository (schemas: test/fixtures/schemas):\n${problems.join('\n')}`);
  });

  it('test/fixtures/schemas holds exactly the schemas its README lists, with the checksums it gives', () => {
    const readme = readFileSync(join(SCHEMAS_DIR, 'README.md'), 'utf8');
    const sums = readmeChecksums(readme);
    assert.ok(sums.size > 0, 'README.md lists no schema');
    for (const [file, expected] of sums) {
      const path = join(SCHEMAS_DIR, file);
      assert.ok(existsSync(path), `${file} is listed in README.md but missing from test/fixtures/schemas`);
      const actual = createHash('sha256').update(readFileSync(path)).digest('hex');
      assert.equal(actual, expected, `${file}: sha256 differs from README.md (refresh with tools/refresh-test-schemas.sh, which rewrites the README line)`);
      JSON.parse(readFileSync(path, 'utf8'));
    }
    const present = readdirSync(SCHEMAS_DIR).filter((f) => f.endsWith('.json'));
    assert.deepEqual(present.filter((f) => !sums.has(f)), [], 'schemas in test/fixtures/schemas without a checksum line in README.md');
    // Each row of the README's table names a file that has a checksum line, and each file has a row.
    const rows = [...readme.matchAll(/^\| `([^`]+\.json)` \|/gm)].map((m) => m[1]!);
    assert.deepEqual([...rows].sort(), [...sums.keys()].sort(), 'README.md table rows and checksum lines name different files');
  });
});
