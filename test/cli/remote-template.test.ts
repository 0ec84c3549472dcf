// --template with a remote source: a real HTTP server on 127.0.0.1 serves tarballs, the built bin
// downloads them. Every run gets its own download cache (XDG_CACHE_HOME) and its own TMPDIR, so the
// tests can prove where files did and did not land. The cache itself: remote-cache.test.ts; the
// limits: remote-limits.test.ts; interrupting a download: remote-interrupt.test.ts.

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { templateHash } from '../helpers/render.js';
import { listFiles } from '../../src/template/pack.js';
import { cliAsync } from '../helpers/cli.js';
import { FIXTURE, fixtureArchive, sandbox, serve, tarGz, type Route, type TarEntry, type TestServer } from '../helpers/remote.js';

/** The fixture inside a folder of a bigger repository, with a file beside it. */
async function nestedArchive(folder: string): Promise<Buffer> {
  const entries: TarEntry[] = [{ name: 'org-repo-0123abc/other.txt', content: 'not the template' }];
  for (const path of listFiles(FIXTURE)) {
    entries.push({ name: `org-repo-0123abc/${folder}/${path}`, content: await readFile(join(FIXTURE, path)) });
  }
  return tarGz(entries);
}

const FLAGS = ['demo', '--yes', '--no-install', '--no-git'];

describe('--template <remote source>', () => {
  const routes = new Map<string, Route>();
  let base = '';
  let server: TestServer;
  let fixtureHash = '';

  before(async () => {
    server = await serve(routes);
    base = server.base;
    routes.set('/good.tar.gz', await fixtureArchive());
    fixtureHash = await templateHash(FIXTURE);
  });
  after(() => server.close());

  it('downloads, renders and records the template (with a warning about third-party code)', async () => {
    const box = await sandbox();
    const r = await cliAsync([...FLAGS, '--trust', '--template', `${base}/good.tar.gz`], box.cwd, box.env);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stderr, /warning: template .* is not the bundled one: its EJS code runs on this machine/);
    assert.match(await readFile(join(box.cwd, 'demo/README.md'), 'utf8'), /^# Demo\n\nRendered from a downloaded template for demo \(runner batect\)/);
    assert.equal(await readFile(join(box.cwd, 'demo/src/demo/__init__.py'), 'utf8'), '"""demo."""\n');
    const record = JSON.parse(await readFile(join(box.cwd, 'demo/.create-ml-project.json'), 'utf8'));
    assert.deepEqual(record.template, { source: `${base}/good.tar.gz`, name: 'remote-fixture', version: '2.0.0', hash: fixtureHash });
    assert.deepEqual(await readdir(box.cwd), ['demo'], 'nothing but the project in the working folder');
  });

  it('takes a gh:org/repo/folder#ref source (GitHub API pointed at the local server)', async () => {
    const box = await sandbox();
    routes.set('/repos/org/repo/tarball/v1', await nestedArchive('templates/ml'));
    const r = await cliAsync([...FLAGS, '--trust', '--template', 'gh:org/repo/templates/ml#v1'], box.cwd, { ...box.env, GIGET_GITHUB_URL: base });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const record = JSON.parse(await readFile(join(box.cwd, 'demo/.create-ml-project.json'), 'utf8'));
    assert.deepEqual(record.template, { source: 'gh:org/repo/templates/ml#v1', name: 'remote-fixture', version: '2.0.0', hash: fixtureHash });
    assert.ok(!existsSync(join(box.cwd, 'demo/other.txt')), 'files outside the folder are not part of the template');
  });

  it('reports a 404 in one line with exit 4, as text and as --json', async () => {
    const box = await sandbox();
    const r = await cliAsync([...FLAGS, '--trust', '--template', `${base}/missing.tar.gz`], box.cwd, box.env);
    assert.equal(r.code, 4, r.stdout + r.stderr);
    assert.match(r.stderr, /error: cannot download template http:\/\/127\.0\.0\.1:\d+\/missing\.tar\.gz: not found \(HTTP 404\) \(127\.0\.0\.1:\d+\)/);
    assert.deepEqual(await readdir(box.cwd), []);
    assert.deepEqual(await readdir(box.tmp), [], 'the temporary folder is removed');
    const j = await cliAsync([...FLAGS, '--trust', '--template', `${base}/missing.tar.gz`, '--json'], box.cwd, box.env);
    const out = JSON.parse(j.stdout);
    assert.equal(j.code, 4);
    assert.equal(out.exitCode, 4);
    assert.match(out.error, /HTTP 404/);
    assert.equal(j.stderr, '');
  });

  it('classifies an unreachable host, mentions proxy variables and suggests --offline', async () => {
    const box = await sandbox();
    const closed = createServer();
    await new Promise<void>((ok) => closed.listen(0, '127.0.0.1', ok));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((ok) => closed.close(() => ok()));
    const r = await cliAsync([...FLAGS, '--trust', '--template', `http://127.0.0.1:${port}/t.tar.gz`], box.cwd, { ...box.env, HTTPS_PROXY: 'http://proxy.invalid:3128' });
    assert.equal(r.code, 4, r.stdout + r.stderr);
    assert.match(r.stderr, new RegExp(`cannot download template http://127\\.0\\.0\\.1:${port}/t\\.tar\\.gz: connection refused \\(127\\.0\\.0\\.1:${port}\\)`));
    assert.match(r.stderr, /HTTPS_PROXY is set, but .* ignores proxy variables/);
    assert.match(r.stderr, /--offline \(or --prefer-offline\) uses the cached copy/);
    const j = await cliAsync([...FLAGS, '--trust', '--template', `http://127.0.0.1:${port}/t.tar.gz`, '--json'], box.cwd, box.env);
    assert.equal(JSON.parse(j.stdout).exitCode, 4);
  });

  it('refuses source forms it does not download (git clones, giget\'s template registry) with exit 2, before any network', async () => {
    const box = await sandbox();
    for (const [spec, why] of [
      ['git:example.invalid/org/repo', /: git: sources are not supported; use gh:owner\/repo/],
      ['github+git:org/repo', /: github\+git: sources are not supported/],
      ['nuxt:starter', /: nuxt: sources are not supported/],
      ['gh:not-a-repo', /is not a repository source/],
      ['gh:org/repo/../../x', /the folder must be a plain path/],
    ] as const) {
      const r = await cliAsync([...FLAGS, '--trust', '--template', spec], box.cwd, box.env);
      assert.equal(r.code, 2, r.stdout + r.stderr);
      assert.match(r.stderr, why);
      assert.equal(r.stderr.split('\n').filter((l) => l.startsWith('error:')).length, 1, r.stderr);
    }
    assert.deepEqual(await readdir(box.cwd), []);
    assert.deepEqual(await readdir(box.cache), [], 'nothing cached');
  });

  it('uses the cached copy with --offline once the template was fetched', async () => {
    const box = await sandbox();
    const once = await serve(new Map([['/cached.tar.gz', await fixtureArchive()]]));
    const onceBase = once.base;
    const first = await cliAsync([...FLAGS, '--trust', '--template', `${onceBase}/cached.tar.gz`], box.cwd, box.env);
    assert.equal(first.code, 0, first.stderr);
    await once.close();
    const offline = await cliAsync(['again', '--yes', '--no-install', '--no-git', '--offline', '--trust', '--template', `${onceBase}/cached.tar.gz`], box.cwd, box.env);
    assert.equal(offline.code, 0, offline.stdout + offline.stderr);
    assert.ok(existsSync(join(box.cwd, 'again/README.md')));
    const empty = await sandbox();
    const miss = await cliAsync([...FLAGS, '--offline', '--trust', '--template', `${onceBase}/cached.tar.gz`], empty.cwd, empty.env);
    assert.equal(miss.code, 4);
    assert.match(miss.stderr, /no cached copy to use offline/);
  });

  it('--template-hash accepts the matching hash and refuses another, naming both', async () => {
    const box = await sandbox();
    const ok = await cliAsync([...FLAGS, '--trust', '--template', `${base}/good.tar.gz`, '--template-hash', fixtureHash], box.cwd, box.env);
    assert.equal(ok.code, 0, ok.stderr);
    const wrong = `sha256:${'0'.repeat(64)}`;
    const bad = await cliAsync(['other', '--yes', '--no-install', '--no-git', '--trust', '--template', `${base}/good.tar.gz`, '--template-hash', wrong], box.cwd, box.env);
    assert.equal(bad.code, 4);
    assert.ok(bad.stderr.includes(`has ${fixtureHash}, expected ${wrong}`), bad.stderr);
    assert.ok(!existsSync(join(box.cwd, 'other')));
    const malformed = await cliAsync([...FLAGS, '--template-hash', 'md5:abc'], box.cwd, box.env);
    assert.equal(malformed.code, 2);
    assert.match(malformed.stderr, /--template-hash md5:abc is not a template hash/);
  });

  describe('refuses a hostile archive with exit 4 and writes nothing outside a temporary folder', () => {
    const hostile: [string, (canary: string) => TarEntry[]][] = [
      ['a ../ entry', () => [{ name: 'org-repo-0123abc/../../../../evil.txt', content: 'pwned' }]],
      ['an entry that climbs after the top folder', () => [{ name: 'org-repo-0123abc/src/../../../evil.txt', content: 'pwned' }]],
      ['an absolute path', (canary) => [{ name: `${canary}/evil.txt`, content: 'pwned' }]],
      [
        'a symlink and a file written through it',
        (canary) => [
          { name: 'org-repo-0123abc/escape', type: '2', linkname: canary },
          { name: 'org-repo-0123abc/escape/evil.txt', content: 'pwned' },
        ],
      ],
      ['a symlink to a secret', () => [{ name: 'org-repo-0123abc/notes.txt', type: '2', linkname: '/etc/passwd' }]],
      ['a hard link', () => [{ name: 'org-repo-0123abc/hard.txt', type: '1', linkname: '/etc/passwd' }]],
    ];
    for (const [what, entries] of hostile) {
      it(what, async () => {
        const box = await sandbox();
        const canary = join(box.root, 'canary');
        await mkdir(canary);
        const route = `/hostile-${routes.size}.tar.gz`;
        routes.set(route, await fixtureArchive(entries(canary)));
        for (const json of [false, true]) {
          const r = await cliAsync([...FLAGS, '--trust', '--template', `${base}${route}`, ...(json ? ['--json'] : [])], box.cwd, box.env);
          assert.equal(r.code, 4, r.stdout + r.stderr);
          if (json) {
            const out = JSON.parse(r.stdout);
            assert.equal(out.exitCode, 4);
            assert.match(out.error, /refusing the downloaded archive/);
          } else {
            assert.match(r.stderr, /refusing the downloaded archive: archive entry .* (points outside|absolute path|is a symbolic link|is a hard link)/);
          }
          assert.deepEqual(await readdir(box.cwd), [], 'no project folder');
          assert.deepEqual(await readdir(canary), [], 'nothing through a link or an absolute path');
          assert.deepEqual((await readdir(box.root)).sort(), ['cache', 'canary', 'tmp', 'work'], 'nothing beside the working folder');
          assert.deepEqual(await readdir(box.tmp), [], 'the temporary folder is removed');
        }
      });
    }
  });
});
