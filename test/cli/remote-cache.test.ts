// Our own download cache for remote templates (issue 16 item 8): one entry per source, named by
// a sha256 of the URL the archive comes from, written whole or not at all. A real HTTP server on
// 127.0.0.1 serves the archives; the built bin downloads them.

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, chown, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { templateHash } from '../helpers/render.js';
import { cliAsync, tempDir } from '../helpers/cli.js';
import { downloadsDir, filesBelow, fixtureArchive, fixtureEntries, sandbox, serve, type Route, type TestServer } from '../helpers/remote.js';

const FLAGS = ['--yes', '--no-install', '--no-git', '--trust'];

/** The cache entry a URL gets: the documented key is the sha256 of the URL, as hex. */
function entryName(url: string): string {
  return `${createHash('sha256').update(url).digest('hex')}.tar.gz`;
}

async function record(project: string): Promise<{ source: string; name: string; hash: string }> {
  return JSON.parse(await readFile(join(project, '.create-ml-project.json'), 'utf8')).template;
}

/** The content hash of the fixture with its template.json renamed, from a folder written out. */
async function hashOf(name: string): Promise<string> {
  const dir = await tempDir('cmlp-variant-');
  for (const entry of await fixtureEntries({ name })) {
    const path = join(dir, entry.name.split('/').slice(1).join('/'));
    if (entry.type === '5') continue;
    await mkdir(join(path, '..'), { recursive: true });
    await writeFile(path, entry.content ?? '', { mode: entry.mode });
  }
  return templateHash(dir);
}

describe('the remote template download cache', () => {
  const routes = new Map<string, Route>();
  let server: TestServer;
  const archives: Record<string, Buffer> = {};
  const hashes: Record<string, string> = {};

  before(async () => {
    server = await serve(routes);
    for (const name of ['alpha', 'beta', 'gamma']) {
      archives[name] = await fixtureArchive([], { name });
      hashes[name] = await hashOf(name);
    }
  });
  after(() => server.close());

  it('gives two sources with the same file name their own entries: --offline renders and records each one\'s own template', async () => {
    const box = await sandbox();
    const a = `${server.base}/a/template.tar.gz`;
    const b = `${server.base}/b/template.tar.gz`;
    routes.set('/a/template.tar.gz', archives.alpha as Buffer);
    routes.set('/b/template.tar.gz', archives.beta as Buffer);
    for (const [dir, source] of [['first-a', a], ['first-b', b]] as const) {
      const r = await cliAsync([dir, ...FLAGS, '--template', source], box.cwd, box.env);
      assert.equal(r.code, 0, r.stdout + r.stderr);
    }
    // Our cache, one entry per source, holding exactly what was served; nothing in giget's.
    assert.deepEqual(await filesBelow(box.cache), [entryName(a), entryName(b)].sort().map((f) => `create-ml-project/downloads/${f}`));
    assert.deepEqual(await readFile(join(downloadsDir(box), entryName(a))), archives.alpha);
    assert.ok(!existsSync(join(box.cache, 'giget')), 'giget\'s cache is not used');

    routes.delete('/a/template.tar.gz');
    routes.delete('/b/template.tar.gz');
    for (const [dir, source, name] of [['off-a', a, 'alpha'], ['off-b', b, 'beta']] as const) {
      for (const flag of ['--offline', '--prefer-offline']) {
        const r = await cliAsync([`${dir}${flag.slice(1)}`, ...FLAGS, flag, '--template', source], box.cwd, box.env);
        assert.equal(r.code, 0, r.stdout + r.stderr);
        assert.deepEqual(await record(join(box.cwd, `${dir}${flag.slice(1)}`)), { source, name, version: '2.0.0', hash: hashes[name] });
      }
    }
    // A third source with the same file name was never downloaded: no other source's entry stands in.
    const c = `${server.base}/c/template.tar.gz`;
    const offline = await cliAsync(['off-c', ...FLAGS, '--offline', '--template', c], box.cwd, box.env);
    assert.equal(offline.code, 4, offline.stdout + offline.stderr);
    assert.match(offline.stderr, /no cached copy to use offline/);
    const prefer = await cliAsync(['prefer-c', ...FLAGS, '--prefer-offline', '--template', c], box.cwd, box.env);
    assert.equal(prefer.code, 4, prefer.stdout + prefer.stderr);
    assert.match(prefer.stderr, /HTTP 404/, 'not in the cache: downloaded, and the server has no such file');
    assert.ok(!existsSync(join(box.cwd, 'off-c')) && !existsSync(join(box.cwd, 'prefer-c')));
  });

  it('keys gh: sources on the repository and the ref', async () => {
    const box = await sandbox();
    const env = { ...box.env, GIGET_GITHUB_URL: server.base };
    routes.set('/repos/org/repo/tarball/v1', archives.alpha as Buffer);
    routes.set('/repos/org/repo/tarball/v2', archives.beta as Buffer);
    for (const ref of ['v1', 'v2']) assert.equal((await cliAsync([`on-${ref}`, ...FLAGS, '--template', `gh:org/repo#${ref}`], box.cwd, env)).code, 0);
    routes.delete('/repos/org/repo/tarball/v1');
    routes.delete('/repos/org/repo/tarball/v2');
    for (const [ref, name] of [['v1', 'alpha'], ['v2', 'beta']] as const) {
      const r = await cliAsync([`off-${ref}`, ...FLAGS, '--offline', '--template', `gh:org/repo#${ref}`], box.cwd, env);
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.deepEqual(await record(join(box.cwd, `off-${ref}`)), { source: `gh:org/repo#${ref}`, name, version: '2.0.0', hash: hashes[name] });
    }
  });

  it('reads only entries this user wrote: a planted group/world-writable or foreign-owned entry is no cached copy', async () => {
    const box = await sandbox();
    const source = `${server.base}/planted/template.tar.gz`;
    await mkdir(downloadsDir(box), { recursive: true });
    const entry = join(downloadsDir(box), entryName(source));
    await writeFile(entry, archives.beta as Buffer, { mode: 0o666 });
    await chmod(entry, 0o666);
    const plants: [string, () => Promise<void>][] = [['world-writable', async () => {}]];
    const toAnotherUser = async () => {
      await chmod(entry, 0o600);
      await chown(entry, 12345, 12345);
    };
    // Only root can give a file away; as another user the world-writable case still runs.
    if (process.getuid?.() === 0) plants.push(['owned by another user', toAnotherUser]);
    for (const [what, plant] of plants) {
      await plant();
      const r = await cliAsync([`planted-${what.split(' ')[0]}`, ...FLAGS, '--offline', '--template', source], box.cwd, box.env);
      assert.equal(r.code, 4, `${what}: ${r.stdout}${r.stderr}`);
      assert.match(r.stderr, /no cached copy to use offline/);
    }
    // The same file as this user's own entry is used: the refusals above were about who wrote it.
    await chown(entry, process.getuid?.() ?? 0, process.getgid?.() ?? 0);
    await chmod(entry, 0o600);
    const ours = await cliAsync(['ours', ...FLAGS, '--offline', '--template', source], box.cwd, box.env);
    assert.equal(ours.code, 0, ours.stdout + ours.stderr);
    assert.equal((await record(join(box.cwd, 'ours'))).name, 'beta');
  });

  describe('a failed download never replaces a good cached copy', () => {
    const half = (res: ServerResponse, body: Buffer) => {
      res.writeHead(200, { 'content-type': 'application/gzip', 'content-length': body.length });
      res.write(body.subarray(0, body.length >> 1), () => res.socket?.destroy());
    };
    const failures: [string, RegExp, () => Route | Promise<Route>][] = [
      ['the connection is cut halfway', /the connection was cut/, () => (_req, res) => half(res, archives.beta as Buffer)],
      ['the server answers 500', /HTTP 500/, () => (_req, res) => void res.writeHead(500).end('oops')],
      ['the body is empty', /refusing the downloaded archive/, () => (_req, res) => void res.writeHead(200, { 'content-length': 0 }).end()],
      ['the body is not a gzip archive', /refusing the downloaded archive/, () => Buffer.from('<html>sign in</html>')],
      ['the archive is hostile', /refusing the downloaded archive/, () => fixtureArchive([{ name: 'org-repo-0123abc/x', type: '2', linkname: '/etc/passwd' }], { name: 'beta' })],
    ];
    for (const [what, message, failing] of failures) {
      it(what, async () => {
        const box = await sandbox();
        const path = `/keep-${what.replaceAll(' ', '-')}.tar.gz`;
        const source = `${server.base}${path}`;
        routes.set(path, archives.alpha as Buffer);
        assert.equal((await cliAsync(['good', ...FLAGS, '--template', source], box.cwd, box.env)).code, 0);
        const entry = join(downloadsDir(box), entryName(source));
        const before = await readFile(entry);
        routes.set(path, await failing());
        const r = await cliAsync(['bad', ...FLAGS, '--template', source], box.cwd, box.env);
        assert.equal(r.code, 4, r.stdout + r.stderr);
        assert.match(r.stderr, message);
        assert.deepEqual(await readFile(entry), before, 'the cached copy is untouched');
        assert.deepEqual(await readdir(downloadsDir(box)), [entryName(source)], 'no temporary file left beside it');
        assert.deepEqual(await readdir(box.tmp), []);
        assert.ok(!existsSync(join(box.cwd, 'bad')));
        routes.delete(path);
        const offline = await cliAsync(['again', ...FLAGS, '--offline', '--template', source], box.cwd, box.env);
        assert.equal(offline.code, 0, offline.stdout + offline.stderr);
        assert.equal((await record(join(box.cwd, 'again'))).name, 'alpha');
      });
    }
  });

  it('two runs downloading the same source at once each get a whole archive, and the cache holds one of them', async () => {
    const box = await sandbox();
    const path = '/race.tar.gz';
    const source = `${server.base}${path}`;
    // Both requests are held until the second arrives, then both bodies are sent interleaved, in
    // small pieces: the two downloads are certainly in flight at the same time.
    const waiting: ServerResponse[] = [];
    routes.set(path, (req, res) => {
      if (req.method !== 'GET') return void res.writeHead(200, { 'content-type': 'application/gzip' }).end();
      waiting.push(res);
      if (waiting.length < 2) return;
      const bodies = [archives.alpha as Buffer, archives.gamma as Buffer];
      void (async () => {
        waiting.forEach((r, i) => r.writeHead(200, { 'content-type': 'application/gzip', 'content-length': (bodies[i] as Buffer).length }));
        for (let at = 0; at < Math.max(...bodies.map((b) => b.length)); at += 256) {
          waiting.forEach((r, i) => r.write((bodies[i] as Buffer).subarray(at, at + 256)));
          await sleep(5);
        }
        waiting.forEach((r) => r.end());
      })();
    });
    const [one, two] = await Promise.all([cliAsync(['one', ...FLAGS, '--template', source], box.cwd, box.env), cliAsync(['two', ...FLAGS, '--template', source], box.cwd, box.env)]);
    assert.equal(one.code, 0, one.stdout + one.stderr);
    assert.equal(two.code, 0, two.stdout + two.stderr);
    const made = [await record(join(box.cwd, 'one')), await record(join(box.cwd, 'two'))];
    assert.deepEqual(made.map((m) => m.name).sort(), ['alpha', 'gamma'], 'each run rendered the archive it downloaded');
    for (const m of made) assert.equal(m.hash, hashes[m.name]);
    assert.deepEqual(await readdir(downloadsDir(box)), [entryName(source)]);
    const cached = await readFile(join(downloadsDir(box), entryName(source)));
    assert.ok(cached.equals(archives.alpha as Buffer) || cached.equals(archives.gamma as Buffer), 'the entry is one whole archive');
  });
});
