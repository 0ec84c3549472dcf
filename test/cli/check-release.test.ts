// tools/check-release.mjs, the release workflow's first gate, run as the workflow runs it (a
// plain `node` process) against temporary folders holding a package.json and a CHANGELOG.md:
//   - tag, version and a dated CHANGELOG section agree: exit 0, one summary line;
//   - wrong tag, wrong version, no section, an [Unreleased]-only changelog, an undated or empty
//     section, a malformed tag, a repository.url that npm provenance would refuse: exit 1, one
//     line per mismatch naming it;
//   - --notes prints exactly the section body (the GitHub release notes);
//   - usage errors: exit 2.
// Run: node --import tsx --test test/cli/check-release.test.ts

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const SCRIPT = fileURLToPath(new URL('../../tools/check-release.mjs', import.meta.url));

const NOTES_123 = `### Added

- \`--widget\` flag.

### Fixed

- The gadget no longer spins.`;

/** A changelog in Keep a Changelog form with the given sections (heading line -> body). */
function changelog(sections: [string, string][], footer = ''): string {
  const body = sections.map(([heading, text]) => `${heading}\n\n${text}\n`).join('\n');
  return `# Changelog\n\nAll notable changes to this project are documented here.\n\n${body}${footer}`;
}

const GOOD = changelog(
  [
    ['## [Unreleased]', ''],
    ['## [1.2.3] - 2026-03-14', NOTES_123],
    ['## [1.2.2] - 2026-01-05', '### Fixed\n\n- Older fix.'],
  ],
  '\n[Unreleased]: https://github.com/acme/widgets/compare/v1.2.3...HEAD\n[1.2.3]: https://github.com/acme/widgets/compare/v1.2.2...v1.2.3\n',
);

let root = '';
let n = 0;

/** A fresh folder with the given package.json fields (or raw text) and CHANGELOG.md (or none). */
async function fixture(pkg: Record<string, unknown> | string | null, log: string | null): Promise<string> {
  const dir = join(root, `case-${n++}`);
  await mkdir(dir);
  if (pkg !== null) await writeFile(join(dir, 'package.json'), typeof pkg === 'string' ? pkg : JSON.stringify({ name: 'widgets', ...pkg }, null, 2));
  if (log !== null) await writeFile(join(dir, 'CHANGELOG.md'), log);
  return dir;
}

async function check(dir: string, ...args: string[]) {
  return run(process.execPath, [SCRIPT, ...args, '--dir', dir]).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );
}

/** stderr as its lines, each checked to carry the script's prefix. */
function lines(stderr: string): string[] {
  const all = stderr.trimEnd().split('\n');
  for (const l of all) assert.match(l, /^check-release: /);
  return all;
}

before(async () => {
  root = await mkdtemp(join(tmpdir(), 'check-release-'));
});

after(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

describe('tools/check-release.mjs', () => {
  it('tag, package.json and a dated CHANGELOG section agree: exit 0 and one line', async () => {
    const dir = await fixture({ version: '1.2.3' }, GOOD);
    const r = await check(dir, 'v1.2.3');
    assert.equal(r.stderr, '');
    assert.equal(r.code, 0);
    assert.equal(r.stdout, 'check-release: v1.2.3, package.json 1.2.3 and CHANGELOG.md "## [1.2.3] - 2026-03-14" agree\n');
    // The first section, the last one (before the link definitions) and a bare version all pass.
    const last = await fixture({ version: '1.2.2' }, GOOD);
    assert.equal((await check(last, 'v1.2.2')).code, 0);
    assert.equal((await check(dir, '1.2.3')).code, 0);
  });

  it('wrong tag: exit 1, names the tag, the package.json version and the missing section', async () => {
    const dir = await fixture({ version: '1.2.3' }, GOOD);
    const r = await check(dir, 'v1.2.4');
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    assert.deepEqual(lines(r.stderr), [
      'check-release: package.json version is 1.2.3 but the tag v1.2.4 says 1.2.4',
      'check-release: CHANGELOG.md has no section ## [1.2.4] - YYYY-MM-DD for version 1.2.4 (it has [Unreleased], [1.2.3], [1.2.2])',
    ]);
  });

  it('wrong package.json version: exit 1, one line naming package.json', async () => {
    const dir = await fixture({ version: '1.2.2' }, GOOD);
    const r = await check(dir, 'v1.2.3');
    assert.equal(r.code, 1);
    assert.deepEqual(lines(r.stderr), ['check-release: package.json version is 1.2.2 but the tag v1.2.3 says 1.2.3']);
    const none = await check(await fixture({}, GOOD), 'v1.2.3');
    assert.deepEqual(lines(none.stderr), ['check-release: package.json version is (missing) but the tag v1.2.3 says 1.2.3']);
  });

  it('no CHANGELOG section for the version: exit 1, one line naming CHANGELOG.md and the version', async () => {
    const dir = await fixture({ version: '1.3.0' }, GOOD);
    const r = await check(dir, 'v1.3.0');
    assert.equal(r.code, 1);
    assert.deepEqual(lines(r.stderr), [
      'check-release: CHANGELOG.md has no section ## [1.3.0] - YYYY-MM-DD for version 1.3.0 (it has [Unreleased], [1.2.3], [1.2.2])',
    ]);
    // A version mentioned only inside another section's text is not a section.
    const mention = await fixture({ version: '1.3.0' }, changelog([['## [1.2.3] - 2026-03-14', '- Prepares [1.3.0].']]));
    assert.equal((await check(mention, 'v1.3.0')).code, 1);
  });

  it('an [Unreleased]-only changelog: exit 1, says to move the entries under a dated section', async () => {
    const dir = await fixture({ version: '0.1.0' }, changelog([['## [Unreleased]', NOTES_123]]));
    const r = await check(dir, 'v0.1.0');
    assert.equal(r.code, 1);
    assert.deepEqual(lines(r.stderr), [
      'check-release: CHANGELOG.md has no section ## [0.1.0] - YYYY-MM-DD for version 0.1.0 (it has only ## [Unreleased]: move those entries under ## [0.1.0] - <date>)',
    ]);
  });

  it('a section without a real date, or empty, or twice: exit 1 naming the heading', async () => {
    for (const [heading, why] of [
      ['## [1.2.3]', 'no date'],
      ['## [1.2.3] - 2026-02-30', 'not a calendar date'],
      ['## [1.2.3] - 14.03.2026', 'not YYYY-MM-DD'],
      ['## [1.2.3] - 2026-03-14 (hotfix)', 'text after the date'],
    ] as const) {
      const dir = await fixture({ version: '1.2.3' }, changelog([[heading, NOTES_123]]));
      const r = await check(dir, 'v1.2.3');
      assert.equal(r.code, 1, why);
      assert.deepEqual(lines(r.stderr), [`check-release: CHANGELOG.md heading "${heading}" is not of the form ## [1.2.3] - YYYY-MM-DD with a real date`], why);
    }
    const empty = await fixture({ version: '1.2.3' }, changelog([['## [1.2.3] - 2026-03-14', ''], ['## [1.2.2] - 2026-01-05', '- x']]));
    assert.deepEqual(lines((await check(empty, 'v1.2.3')).stderr), ['check-release: CHANGELOG.md section [1.2.3] is empty']);
    const twice = await fixture({ version: '1.2.3' }, changelog([['## [1.2.3] - 2026-03-14', '- a'], ['## [1.2.3] - 2026-03-15', '- b']]));
    assert.deepEqual(lines((await check(twice, 'v1.2.3')).stderr), ['check-release: CHANGELOG.md has 2 sections for version 1.2.3']);
  });

  it('a tag that is not vX.Y.Z, or missing files: exit 1 naming them', async () => {
    const dir = await fixture({ version: '1.2.3' }, GOOD);
    for (const tag of ['release-1.2.3', 'v1.2', 'v1.2.3-rc.1', 'v01.2.3']) {
      const r = await check(dir, tag);
      assert.equal(r.code, 1, tag);
      assert.equal(lines(r.stderr)[0], `check-release: tag ${tag} is not a release tag of the form vX.Y.Z`);
    }
    const bare = await fixture(null, null);
    const r = await check(bare, 'v1.2.3');
    assert.equal(r.code, 1);
    assert.deepEqual(lines(r.stderr), ['check-release: package.json cannot be read: no such file', 'check-release: CHANGELOG.md cannot be read: no such file']);
    const broken = await fixture('{ "version": ', GOOD);
    assert.match(lines((await check(broken, 'v1.2.3')).stderr)[0]!, /^check-release: package\.json cannot be read: .*JSON/);
  });

  it('--notes prints exactly the section body: no heading, no other section, no link definitions', async () => {
    const dir = await fixture({ version: '1.2.3' }, GOOD);
    const r = await check(dir, 'v1.2.3', '--notes');
    assert.equal(r.code, 0);
    assert.equal(r.stderr, '');
    assert.equal(r.stdout, `${NOTES_123}\n`);
    // The last section: the link definitions that close the file are not part of the notes.
    const last = await check(await fixture({ version: '1.2.2' }, GOOD), 'v1.2.2', '--notes');
    assert.equal(last.stdout, '### Fixed\n\n- Older fix.\n');
    // On a mismatch nothing reaches stdout (the workflow writes it to the notes file).
    const bad = await check(dir, 'v1.2.4', '--notes');
    assert.equal(bad.code, 1);
    assert.equal(bad.stdout, '');
  });

  it('--repository: package.json must name the same GitHub repository (npm provenance)', async () => {
    for (const repository of ['git+https://github.com/acme/widgets.git', 'https://github.com/Acme/Widgets', { type: 'git', url: 'git+https://github.com/acme/widgets.git' }, 'github:acme/widgets']) {
      const r = await check(await fixture({ version: '1.2.3', repository }, GOOD), 'v1.2.3', '--repository', 'acme/widgets');
      assert.equal(r.code, 0, `${JSON.stringify(repository)}: ${r.stderr}`);
    }
    const missing = await check(await fixture({ version: '1.2.3' }, GOOD), 'v1.2.3', '--repository', 'acme/widgets');
    assert.equal(missing.code, 1);
    assert.deepEqual(lines(missing.stderr), ['check-release: package.json has no GitHub repository.url; npm provenance needs it to be git+https://github.com/acme/widgets.git']);
    const other = await check(await fixture({ version: '1.2.3', repository: 'git+https://github.com/fork/widgets.git' }, GOOD), 'v1.2.3', '--repository', 'acme/widgets');
    assert.deepEqual(lines(other.stderr), ['check-release: package.json repository.url names fork/widgets but this is acme/widgets; npm provenance needs them to match']);
  });

  it('usage errors: exit 2 with the usage line', async () => {
    const dir = await fixture({ version: '1.2.3' }, GOOD);
    for (const args of [[], ['v1.2.3', 'v1.2.4'], ['v1.2.3', '--nope'], ['v1.2.3', '--repository']]) {
      const r = await check(dir, ...args);
      assert.equal(r.code, 2, JSON.stringify(args));
      assert.match(r.stderr, /^check-release: .+\nusage: node tools\/check-release\.mjs <tag>/);
    }
  });
});
