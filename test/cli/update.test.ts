// `update` and `check-update` against real projects: generated from a small template (v1), edited
// the way a team would, updated to v2; and against the bundled template for the same-version no-op
// and --set cloud=gcp. The three-way merge is cross-checked with `git merge-file` where git exists.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cp, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ANSWERS_FILE } from '../../src/answers-file.js';
import { templateHash } from '../helpers/render.js';
import { packFileFor } from '../../src/template/pack-ahead.js';
import { merge3 } from '../../src/update/merge3.js';
import { cli, cliAsync, ROOT, tempDir } from '../helpers/cli.js';
import { CLOUD_VALUES_TEXT } from '../helpers/clouds.js';
import { tree } from '../helpers/tree.js';

const FIXTURES = join(ROOT, 'test/fixtures/update');
const NEW_PROJECT = ['--yes', '--no-install', '--no-git'];

/** Copies of v1 and v2 in a fresh folder, and a project `proj` generated there from v1. */
async function v1Project(): Promise<{ cwd: string; v1: string; v2: string; proj: string }> {
  const cwd = await tempDir('cmlp-update-');
  const v1 = join(cwd, 'tpl-v1');
  const v2 = join(cwd, 'tpl-v2');
  await cp(join(FIXTURES, 'v1'), v1, { recursive: true });
  await cp(join(FIXTURES, 'v2'), v2, { recursive: true });
  const r = cli(['proj', '--trust', '--template', v1, ...NEW_PROJECT], { cwd });
  assert.equal(r.code, 0, r.stderr);
  return { cwd, v1, v2, proj: join(cwd, 'proj') };
}

/** The user's edits: their own module, a README edit away from v2's change, an edited legacy file. */
async function editLikeAUser(proj: string, { overlapping }: { overlapping: boolean }): Promise<void> {
  await writeFile(join(proj, 'src/proj/model.py'), 'def predict(x):\n    return x\n');
  await writeFile(join(proj, 'src/proj/__init__.py'), '__version__ = "mine"\n');
  const readme = await readFile(join(proj, 'README.md'), 'utf8');
  await writeFile(join(proj, 'README.md'), readme.replace('Intro paragraph.', 'Our own intro.'));
  await writeFile(join(proj, 'legacy.txt'), 'legacy, but we still use it\n');
  if (overlapping) {
    const config = await readFile(join(proj, 'config.yml'), 'utf8');
    await writeFile(join(proj, 'config.yml'), config.replace('timeout: 30', 'timeout: 60'));
  }
}

const text = (path: string) => readFile(path, 'utf8');
const exists = (path: string) => stat(path).then(() => true, () => false);
const record = async (proj: string) => JSON.parse(await text(join(proj, ANSWERS_FILE)));

describe('update from template v1 to v2', () => {
  it('merges clean changes, marks the overlapping one, keeps user code byte-identical, exits 6', async () => {
    const { cwd, v2, proj } = await v1Project();
    await editLikeAUser(proj, { overlapping: true });
    const userFiles = ['src/proj/model.py', 'src/proj/__init__.py', 'tests/test_basic.py'];
    const before = await Promise.all(userFiles.map((f) => readFile(join(proj, f))));

    const r = cli(['update', '--trust', 'proj', '--template', v2], { cwd });
    assert.equal(r.code, 6, r.stdout + r.stderr);
    assert.match(r.stdout, /^ {2}merge {6}README\.md$/m);
    assert.match(r.stdout, /^ {2}conflict {3}config\.yml$/m);
    assert.match(r.stdout, /^ {2}update {5}ci\.yml$/m);
    assert.match(r.stdout, /^ {2}add {8}new\.txt$/m);
    assert.match(r.stdout, /^ {2}delete {5}obsolete\.txt$/m);
    assert.match(r.stdout, /^ {2}keep-user {2}legacy\.txt /m);
    assert.match(r.stdout, /resolve the <<<<<<< yours/);

    const readme = await text(join(proj, 'README.md'));
    assert.match(readme, /Our own intro\./);
    assert.match(readme, /Apache-2\.0/);
    assert.doesNotMatch(readme, /<<<<<<<|>>>>>>>/);
    assert.equal(await text(join(proj, 'config.yml')), 'name: proj\nreplicas: 1\n<<<<<<< yours\ntimeout: 60\n=======\ntimeout: 45\n>>>>>>> template\n');
    assert.equal(await text(join(proj, 'ci.yml')), 'steps: [lint, test]\n');
    assert.equal(await text(join(proj, 'new.txt')), 'new in v2\n');
    assert.equal(await exists(join(proj, 'obsolete.txt')), false);
    assert.equal(await text(join(proj, 'legacy.txt')), 'legacy, but we still use it\n');
    const after = await Promise.all(userFiles.map((f) => readFile(join(proj, f))));
    assert.deepEqual(after, before, 'user-owned files are byte-identical');
    assert.ok((await stat(join(proj, 'scripts/run.sh'))).mode & 0o100, 'executable bit kept');

    const rec = await record(proj);
    assert.equal(rec.template.version, '2.0.0');
    assert.equal(rec.template.source, v2);
    assert.equal(rec.template.hash, await templateHash(v2));
  });

  it('applies a clean update with exit 0, after which check-update against v2 is happy', async () => {
    const { cwd, v2, proj } = await v1Project();
    await editLikeAUser(proj, { overlapping: false });
    const r = cli(['update', '--trust', 'proj', '--template', v2], { cwd });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal(await text(join(proj, 'config.yml')), 'name: proj\nreplicas: 1\ntimeout: 45\n');
    assert.equal(cli(['check-update', '--trust', 'proj'], { cwd }).code, 0);
    // A second update has nothing left to do.
    const again = cli(['update', '--trust', 'proj'], { cwd });
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /Already up to date/);
  });

  it('--dry-run prints the plan (text and JSON) and writes nothing', async () => {
    const { cwd, v2, proj } = await v1Project();
    await editLikeAUser(proj, { overlapping: true });
    const before = await tree(cwd);
    const r = cli(['update', '--trust', 'proj', '--template', v2, '--dry-run'], { cwd });
    assert.equal(r.code, 6, r.stderr);
    assert.match(r.stdout, /^Dry run: update proj/);
    assert.match(r.stdout, /nothing was written/);
    const j = cli(['update', '--trust', 'proj', '--template', v2, '--dry-run', '--json'], { cwd });
    assert.equal(j.code, 6);
    assert.equal(j.stderr, '');
    const plan = JSON.parse(j.stdout);
    assert.equal(plan.dryRun, true);
    assert.equal(plan.exitCode, 6);
    const actions = Object.fromEntries(plan.files.map((f: { path: string; action: string }) => [f.path, f.action]));
    assert.deepEqual(actions, {
      '.create-ml-project.json': 'update',
      'README.md': 'merge',
      'ci.yml': 'update',
      'config.yml': 'conflict',
      'legacy.txt': 'keep-user',
      'new.txt': 'add',
      'obsolete.txt': 'delete',
      'src/proj/__init__.py': 'keep-user',
      'tests/test_basic.py': 'keep-user',
    });
    assert.deepEqual(plan.conflicts, ['config.yml']);
    assert.deepEqual(await tree(cwd), before);
  });

  it('--set changes an answer: the files it turns on are added, and turned off again removed', async () => {
    const { cwd, proj } = await v1Project();
    const on = cli(['update', '--trust', 'proj', '--set', 'cloud=gcp'], { cwd });
    assert.equal(on.code, 0, on.stderr);
    assert.equal(await text(join(proj, 'deploy-gcp.txt')), 'deploy to gcp\n');
    assert.equal((await record(proj)).answers.cloud, 'gcp');
    const off = cli(['update', '--trust', 'proj', '--set', 'cloud=none', '--json'], { cwd });
    assert.equal(off.code, 0, off.stderr);
    assert.deepEqual(JSON.parse(off.stdout).changed, { cloud: { from: 'gcp', to: 'none' } });
    assert.equal(await exists(join(proj, 'deploy-gcp.txt')), false);
  });

  it('refuses with exit 4 when the recorded template folder changed in place', async () => {
    const { cwd, v1 } = await v1Project();
    await writeFile(join(v1, 'ci.yml'), 'changed in place\n');
    const r = cli(['update', '--trust', 'proj'], { cwd });
    assert.equal(r.code, 4, r.stderr);
    assert.match(r.stderr, /changed since this project was generated/);
  });
});

describe('update of a bundled-template project', () => {
  it('right after generation changes nothing', async () => {
    const cwd = await tempDir('cmlp-update-');
    assert.equal(cli(['demo', ...NEW_PROJECT], { cwd }).code, 0);
    const before = await tree(cwd);
    const r = cli(['update'], { cwd: join(cwd, 'demo') });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Already up to date: nothing to change\./);
    assert.deepEqual(await tree(cwd), before);
  });

  it('--set cloud=gcp adds the GCP deploy files and records the answer', async () => {
    const cwd = await tempDir('cmlp-update-');
    assert.equal(cli(['demo', ...NEW_PROJECT], { cwd }).code, 0);
    await writeFile(join(cwd, 'demo/src/demo/extra.py'), 'X = 1\n');
    const r = cli(['update', '--trust', 'demo', '--set', 'cloud=gcp', '--json'], { cwd });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const out = JSON.parse(r.stdout);
    const added = out.files.filter((f: { action: string }) => f.action === 'add').map((f: { path: string }) => f.path);
    assert.ok(added.includes('scripts/deploy/gcp.sh'), added.join(' '));
    assert.ok(added.includes('scripts/deploy/deploy-api.sh'), added.join(' '));
    for (const f of ['infra/main.tf', '.github/workflows/infra.yml']) assert.ok(added.includes(f), `${f} added: ${added.join(' ')}`);
    assert.ok((await stat(join(cwd, 'demo/scripts/deploy/gcp.sh'))).isFile());
    assert.equal((await record(join(cwd, 'demo'))).answers.cloud, 'gcp');
    assert.equal(await text(join(cwd, 'demo/src/demo/extra.py')), 'X = 1\n');
    // The result is exactly what create makes with --cloud gcp (apart from the user's own file).
    const fresh = await tempDir('cmlp-update-');
    assert.equal(cli(['demo', '--cloud', 'gcp', ...NEW_PROJECT], { cwd: fresh }).code, 0);
    const updated = await tree(join(cwd, 'demo'));
    delete updated['src/demo/extra.py'];
    assert.deepEqual(updated, await tree(join(fresh, 'demo')));
  });

  it('--set tracking=none takes MLflow out of what the template owns and names the code left to the user; tracking=mlflow puts it back', async () => {
    const cwd = await tempDir('cmlp-update-');
    assert.equal(cli(['demo', ...NEW_PROJECT], { cwd }).code, 0);
    const proj = join(cwd, 'demo');
    const tracked = await tree(proj);
    const off = cli(['update', '--trust', 'demo', '--set', 'tracking=none', '--json'], { cwd });
    assert.equal(off.code, 0, off.stdout + off.stderr);
    const actions = Object.fromEntries(JSON.parse(off.stdout).files.map((f: { path: string; action: string }) => [f.path, f.action]));
    assert.equal(actions['scripts/register-model.sh'], 'delete');
    for (const f of ['pyproject.toml', 'poetry.lock', '.github/workflows/ci.yml', 'Dockerfile', '.gitignore', 'README.md']) assert.equal(actions[f], 'update', f);
    // src/ and tests/ are the team's: update lists what to take out, and never deletes it.
    for (const f of ['src/demo/training/tracking.py', 'tests/training/test_tracking.py', 'src/demo/training/train.py']) assert.equal(actions[f], 'keep-user', f);
    const fresh = await tempDir('cmlp-update-');
    assert.equal(cli(['demo', '--tracking', 'none', ...NEW_PROJECT], { cwd: fresh }).code, 0);
    const made = await tree(join(fresh, 'demo'));
    const updated = await tree(proj);
    for (const f of ['pyproject.toml', 'poetry.lock', '.github/workflows/ci.yml', '.gitignore', '.create-ml-project.json']) assert.equal(updated[f], made[f], f);
    const on = cli(['update', '--trust', 'demo', '--set', 'tracking=mlflow'], { cwd });
    assert.equal(on.code, 0, on.stdout + on.stderr);
    assert.deepEqual(await tree(proj), tracked);
  });

  it('--set cloud=… swaps infra/ to the new cloud, and cloud=none removes it with the deploy files', async () => {
    const cwd = await tempDir('cmlp-update-');
    assert.equal(cli(['demo', '--cloud', 'aws', ...NEW_PROJECT], { cwd }).code, 0);
    const proj = join(cwd, 'demo');
    assert.match(await text(join(proj, 'infra/main.tf')), /hashicorp\/aws/);
    const toAzure = cli(['update', '--trust', 'demo', '--set', 'cloud=azure'], { cwd });
    assert.equal(toAzure.code, 0, toAzure.stdout + toAzure.stderr);
    assert.match(await text(join(proj, 'infra/main.tf')), /hashicorp\/azurerm/);
    assert.match(await text(join(proj, 'infra/main.tf')), /AZURE_ACR_PULL_IDENTITY/);
    const off = cli(['update', '--trust', 'demo', '--set', 'cloud=none', '--json'], { cwd });
    assert.equal(off.code, 0, off.stdout + off.stderr);
    const deleted = JSON.parse(off.stdout).files.filter((f: { action: string }) => f.action === 'delete').map((f: { path: string }) => f.path).sort();
    assert.deepEqual(deleted.filter((p: string) => p.includes('infra')), ['.github/workflows/infra.yml', 'infra/main.tf', 'infra/training.tf']);
    assert.ok(deleted.includes('scripts/deploy/azure.sh'), deleted.join(' '));
    assert.equal(await exists(join(proj, 'infra')), false, 'infra/ is gone');
  });

  it('rebuilds an older version\'s template from the cache of fetched templates', async () => {
    // The registry cannot be used in tests; a pre-filled cache entry stands in for `npm pack`.
    const { cwd, v1, proj } = await v1Project();
    const cache = join(cwd, 'cache');
    await mkdir(join(cache, 'create-ml-project/templates/0.0.1'), { recursive: true });
    await writeFile(join(cache, 'create-ml-project/templates/0.0.1/template.pack'), await packFileFor(v1));
    const rec = await record(proj);
    await writeFile(join(proj, ANSWERS_FILE), JSON.stringify({ ...rec, generator: { ...rec.generator, version: '0.0.1' }, template: { ...rec.template, source: 'bundled' } }));
    const r = cli(['update', '--trust', 'proj', '--dry-run', '--json'], { cwd, env: { XDG_CACHE_HOME: cache } });
    const plan = JSON.parse(r.stdout);
    assert.equal(plan.from.generator, '0.0.1');
    assert.equal(plan.to.source, 'bundled');
    const actions = Object.fromEntries(plan.files.map((f: { path: string; action: string }) => [f.path, f.action]));
    assert.equal(actions['obsolete.txt'], 'delete');
    assert.equal(actions['Dockerfile'], 'add');
  });
});

describe('update and check-update refusals', () => {
  it('rejects a bad --set key or value with exit 2, one line, nothing written', async () => {
    const { cwd } = await v1Project();
    const before = await tree(cwd);
    for (const [pair, message] of [
      ['cloud=mars', new RegExp(`^error: update: --set "cloud=mars" is not allowed: use one of ${CLOUD_VALUES_TEXT}$`, 'm')],
      ['api=maybe', /--set "api=maybe" is not allowed: use true or false/],
      ['colour=red', /--set "colour=red": expected key=value with key one of os, cloud/],
      ['name=other', /update cannot rename a project/],
      ['api', /expected key=value/],
    ] as const) {
      const r = cli(['update', '--trust', 'proj', '--set', pair], { cwd });
      assert.equal(r.code, 2, `${pair}: ${r.stderr}`);
      assert.match(r.stderr, message);
      assert.equal(r.stderr.trimEnd().split('\n').length, 1, r.stderr);
    }
    // Two values for one answer are refused, as create refuses --cloud aws --cloud gcp; the same
    // value twice (by key or by flag name) is no contradiction.
    const twice = cli(['update', '--trust', 'proj', '--set', 'cloud=aws', '--set', 'cloud=gcp'], { cwd });
    assert.equal(twice.code, 2, twice.stderr);
    assert.match(twice.stderr, /^error: update: --set "cloud=aws" and --set "cloud=gcp" contradict each other: give --set cloud=… once$/m);
    assert.equal(twice.stderr.trimEnd().split('\n').length, 1, twice.stderr);
    const j = cli(['update', '--trust', 'proj', '--set', 'python=2.7', '--json'], { cwd });
    assert.equal(j.code, 2);
    assert.equal(JSON.parse(j.stdout).exitCode, 2);
    assert.deepEqual(await tree(cwd), before);
  });

  it('refuses a folder that is not a generated project with exit 2', async () => {
    const cwd = await tempDir('cmlp-update-');
    for (const command of ['update', 'check-update']) {
      const r = cli([command], { cwd });
      assert.equal(r.code, 2);
      assert.match(r.stderr, new RegExp(`^error: ${command}: the current folder has no \\.create-ml-project\\.json: is it a project made by create-ml-project\\?`));
    }
    // A folder outside the current one is named as given, not as a climb of ../ from here.
    const elsewhere = await tempDir('cmlp-elsewhere-');
    assert.equal(cli(['check-update', elsewhere], { cwd }).stderr.split('\n')[0], `error: check-update: ${elsewhere} has no .create-ml-project.json: is it a project made by create-ml-project? (give the project's root folder)`);
    assert.equal(cli(['update', '/no-such-dir'], { cwd }).stderr, 'error: update: /no-such-dir is not a folder: give the folder of a project made by create-ml-project\n');
  });
});

describe('check-update', () => {
  it('exits 0 at the current template and 10 when an update is available', async () => {
    const cwd = await tempDir('cmlp-update-');
    assert.equal(cli(['demo', ...NEW_PROJECT], { cwd }).code, 0);
    const ok = cli(['check-update', 'demo'], { cwd });
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(ok.stdout.trimEnd().split('\n').length, 1);
    assert.match(ok.stdout, /^demo is up to date: template default /);

    // A project made from another bundled template (as recorded) is behind this one.
    const rec = await record(join(cwd, 'demo'));
    await writeFile(join(cwd, 'demo', ANSWERS_FILE), JSON.stringify({ ...rec, template: { ...rec.template, hash: `sha256:${'0'.repeat(64)}` } }));
    const behind = cli(['check-update', 'demo'], { cwd });
    assert.equal(behind.code, 10, behind.stderr);
    assert.match(behind.stdout, /^demo can be updated: .*run node \S+\/dist\/index\.cjs update demo\n$/);
    const j = JSON.parse(cli(['check-update', 'demo', '--json'], { cwd }).stdout);
    assert.equal(j.upToDate, false);
    assert.equal(j.exitCode, 10);
  });

  it('compares a local-template project with its folder, or with --template', async () => {
    const { cwd, v2 } = await v1Project();
    assert.equal(cli(['check-update', '--trust', 'proj'], { cwd }).code, 0);
    const r = cli(['check-update', '--trust', 'proj', '--template', v2, '--json'], { cwd });
    assert.equal(r.code, 10, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.equal(out.current.version, '1.0.0');
    assert.equal(out.latest.version, '2.0.0');
  });
});

const hasTar = spawnSync('tar', ['--version']).status === 0;

/** folder → .tar.gz with one top-level folder, as GitHub serves archives and npm packs packages. */
async function tarGz(folder: string, top: string): Promise<Buffer> {
  const work = await tempDir('cmlp-tar-');
  await cp(folder, join(work, top), { recursive: true });
  const r = spawnSync('tar', ['-czf', 'out.tgz', top], { cwd: work });
  assert.equal(r.status, 0, String(r.stderr));
  return readFile(join(work, 'out.tgz'));
}

describe('update of a project made from a remote template', { skip: !hasTar && 'tar is not installed' }, () => {
  it('rebuilds the original from the download cache, updates to what the source serves now, refuses when neither matches', async () => {
    const routes = new Map<string, Buffer>([['/tpl.tar.gz', await tarGz(join(FIXTURES, 'v1'), 'org-tpl-v1')]]);
    const server = createServer((req, res) => {
      const body = routes.get(req.url ?? '');
      if (!body) return void res.writeHead(404).end('not found');
      res.writeHead(200, { 'content-type': 'application/gzip', 'content-length': body.length }).end(req.method === 'HEAD' ? undefined : body);
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    try {
      const source = `http://127.0.0.1:${(server.address() as AddressInfo).port}/tpl.tar.gz`;
      const cwd = await tempDir('cmlp-update-');
      const env = { XDG_CACHE_HOME: join(cwd, 'cache'), TMPDIR: join(cwd, 'tmp') };
      await mkdir(env.TMPDIR);
      const made = await cliAsync(['proj', '--trust', '--template', source, ...NEW_PROJECT], cwd, env);
      assert.equal(made.code, 0, made.stderr);
      assert.equal((await record(join(cwd, 'proj'))).template.source, source);

      // The source moves on (a branch gets a new commit): it now serves v2.
      routes.set('/tpl.tar.gz', await tarGz(join(FIXTURES, 'v2'), 'org-tpl-v2'));
      const tmpBefore = await readdir(env.TMPDIR);
      const r = await cliAsync(['update', '--trust', 'proj', '--json'], cwd, env);
      assert.equal(r.code, 0, r.stdout + r.stderr);
      const out = JSON.parse(r.stdout);
      assert.equal(out.from.version, '1.0.0');
      assert.equal(out.to.version, '2.0.0');
      assert.equal(await text(join(cwd, 'proj/new.txt')), 'new in v2\n');
      assert.deepEqual(await readdir(env.TMPDIR), tmpBefore, 'update removes its downloads');

      // A project whose recorded template is neither in the download cache (here: empty) nor what the
      // source serves now cannot be rebuilt, so update refuses instead of guessing a base.
      const lost = { ...env, XDG_CACHE_HOME: join(cwd, 'empty-cache') };
      const old = join(cwd, 'old');
      await cp(join(cwd, 'proj'), old, { recursive: true });
      const rec = await record(old);
      await writeFile(join(old, ANSWERS_FILE), JSON.stringify({ ...rec, template: { ...rec.template, hash: `sha256:${'1'.repeat(64)}` } }));
      const refused = await cliAsync(['update', '--trust', 'old'], cwd, lost);
      assert.equal(refused.code, 4, refused.stdout + refused.stderr);
      assert.match(refused.stderr, /changed since this project was generated/);
    } finally {
      server.close();
    }
  });
});

describe('update of a project made by an older create-ml-project', { skip: !hasTar && 'tar is not installed' }, () => {
  /** A stand-in npm on PATH: `npm pack <spec> --json --pack-destination <dir>` copies a tarball laid out like the published package (package/dist/template.pack), and logs what it was asked. */
  async function fakeNpm(cwd: string, pack: Buffer) {
    const bin = join(cwd, 'fake-npm');
    await mkdir(bin);
    const packageDir = join(cwd, 'package-src');
    await mkdir(join(packageDir, 'dist'), { recursive: true });
    await writeFile(join(packageDir, 'dist/template.pack'), pack);
    await writeFile(join(packageDir, 'dist/cli.cjs'), '// the published bundles, unused here\n');
    await writeFile(join(cwd, 'pkg.tgz'), await tarGz(packageDir, 'package'));
    await writeFile(
      join(bin, 'npm'),
      `#!/bin/sh\necho "$@" >> ${JSON.stringify(join(cwd, 'npm.log'))}\nwhile [ "$1" != "--pack-destination" ]; do shift; done\ncp ${JSON.stringify(join(cwd, 'pkg.tgz'))} "$2/create-ml-project-0.0.2.tgz"\necho '[{"filename":"create-ml-project-0.0.2.tgz"}]'\n`,
      { mode: 0o755 },
    );
    return { PATH: `${bin}:${process.env.PATH}`, XDG_CACHE_HOME: join(cwd, 'cache'), npm_execpath: '' };
  }

  async function recordedAs002(proj: string) {
    const rec = await record(proj);
    await writeFile(join(proj, ANSWERS_FILE), JSON.stringify({ ...rec, generator: { ...rec.generator, version: '0.0.2' }, template: { ...rec.template, source: 'bundled' } }));
  }

  it('fetches that version\'s template pack with npm pack into the cache, then reuses the cache', async () => {
    const { cwd, v1, proj } = await v1Project();
    await recordedAs002(proj);
    const env = await fakeNpm(cwd, await packFileFor(v1));
    for (let run = 0; run < 2; run++) {
      const r = cli(['update', '--trust', 'proj', '--dry-run', '--json'], { cwd, env });
      const plan = JSON.parse(r.stdout);
      assert.equal(plan.from.generator, '0.0.2', r.stdout);
      assert.equal(plan.files.find((f: { path: string }) => f.path === 'obsolete.txt')?.action, 'delete');
    }
    const calls = (await text(join(cwd, 'npm.log'))).trimEnd().split('\n');
    assert.equal(calls.length, 1, 'the second run used the cache');
    assert.match(calls[0] ?? '', /^pack create-ml-project@0\.0\.2 --json --pack-destination \S+$/);
    assert.deepEqual(await readdir(join(cwd, 'cache/create-ml-project/templates')), ['0.0.2'], 'no half-fetched folders left');
    assert.deepEqual(await readdir(join(cwd, 'cache/create-ml-project/templates/0.0.2')), ['template.pack'], 'only the pack is kept');
  });

  it('refuses a fetched pack whose files are not the ones its header names, and caches nothing', async () => {
    const { cwd, v1, proj } = await v1Project();
    await recordedAs002(proj);
    // The header's hash is of other files: a pack damaged or made by hand.
    const pack = await packFileFor(v1);
    const end = pack.indexOf(10);
    const header = JSON.parse(pack.toString('utf8', 0, end)) as { hash: string };
    header.hash = `sha256:${'0'.repeat(64)}`;
    const env = await fakeNpm(cwd, Buffer.concat([Buffer.from(JSON.stringify(header)), pack.subarray(end)]));
    const r = cli(['update', '--trust', 'proj', '--dry-run'], { cwd, env });
    assert.equal(r.code, 4, r.stdout + r.stderr);
    assert.match(r.stderr, /create-ml-project@0\.0\.2 from the registry: cannot use its template: .*does not hold the files its header names/);
    assert.deepEqual(await readdir(join(cwd, 'cache/create-ml-project/templates')), [], 'nothing cached');
  });
});

const hasGit = spawnSync('git', ['--version']).status === 0;

describe('three-way merge', () => {
  it('agrees with git merge-file on generated edit pairs', { skip: !hasGit && 'git is not installed' }, async () => {
    const dir = await tempDir('cmlp-merge-');
    let seed = 42;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return Math.floor((seed / 2147483648) * n);
    };
    const edit = (lines: string[]) => {
      const out = [...lines];
      for (let n = 1 + random(2); n > 0; n--) {
        const at = random(out.length + 1);
        const kind = random(3);
        if (kind === 0) out.splice(at, 1);
        else if (kind === 1) out.splice(at, 0, `new ${random(9)}`);
        else if (at < out.length) out[at] = `changed ${random(9)}`;
      }
      return out;
    };
    const join_ = (lines: string[]) => lines.map((l) => `${l}\n`).join('');
    let same = 0;
    const runs = 200;
    for (let run = 0; run < runs; run++) {
      const base = Array.from({ length: 4 + random(10) }, (_, i) => `line ${i} ${'abcdefgh'[random(8)]}`);
      const [o, a, b] = [join_(base), join_(edit(base)), join_(edit(base))];
      await writeFile(join(dir, 'o'), o);
      await writeFile(join(dir, 'a'), a);
      await writeFile(join(dir, 'b'), b);
      const git = spawnSync('git', ['merge-file', '-p', '-L', 'yours', '-L', 'base', '-L', 'template', 'a', 'o', 'b'], { cwd: dir, encoding: 'utf8' });
      const ours = merge3(o, a, b);
      // Both must agree on whether the edits conflict; the text is compared below in aggregate
      // because git joins conflict blocks that are a few lines apart and we keep them separate.
      assert.equal(ours.conflicts > 0, (git.status ?? 0) > 0, JSON.stringify({ o, a, b, git: git.stdout, ours: ours.text }));
      if (ours.conflicts === 0) assert.equal(ours.text, git.stdout, JSON.stringify({ o, a, b }));
      if (ours.text === git.stdout) same++;
    }
    assert.ok(same > runs * 0.9, `identical output in ${same} of ${runs} merges`);
    await rm(dir, { recursive: true, force: true });
  });

  it('handles a missing final newline, CRLF files and identical changes', () => {
    assert.deepEqual(merge3('a\nb\nc', 'A\nb\nc', 'a\nb\nC'), { text: 'A\nb\nC', conflicts: 0 });
    assert.deepEqual(merge3('a\r\nb\r\n', 'x\r\nb\r\n', 'y\r\nb\r\n'), { text: '<<<<<<< yours\r\nx\r\n=======\r\ny\r\n>>>>>>> template\r\nb\r\n', conflicts: 1 });
    assert.deepEqual(merge3('a\nb\n', 'a\nz\n', 'a\nz\n'), { text: 'a\nz\n', conflicts: 0 });
    assert.deepEqual(merge3('a\n', 'a\nx', 'a\ny'), { text: 'a\n<<<<<<< yours\nx\n=======\ny\n>>>>>>> template\n', conflicts: 1 });
  });
});

