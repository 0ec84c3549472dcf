// The compile cache of the published bin (src/compile-cache.ts): a run after the first loads its
// bundle, and the bundled template's compiled code (src/template/cached-bodies.ts), with V8's
// cached code, and whatever is wrong with the cache, a run still works as without. On Node 22.1+
// Node's own compile cache loads the bundles instead, and that path is checked there.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { appendFileSync, chmodSync, chownSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import * as nodeModule from 'node:module';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { BIN, ROOT, tempDir } from '../helpers/cli.js';

const nodeHasOwnCache = typeof (nodeModule as { enableCompileCache?: unknown }).enableCompileCache === 'function';
const skipPolyfill = nodeHasOwnCache ? `Node ${process.version} has module.enableCompileCache, so the bin uses Node's own cache` : false;

const SCAFFOLD = ['--name', 'cache-demo', '--yes', '--no-install', '--no-git', '--dry-run', '--json'];

interface Run {
  code: number | null;
  stdout: string;
  /** The bin's cache log lines ("cli.cjs-…: hit"), the file name reduced to the bundle, or to "template". */
  log: string[];
  /** Its lines about the template's unpacked blocks ("unpacked-…-1.bin: hit"), as "1 hit". */
  unpacked: string[];
}

/** One run of `bin` (the built one unless given) with its cache in `cache`. */
function run(cache: string, options: { bin?: string; env?: NodeJS.ProcessEnv; args?: string[] } = {}): Run {
  const result = spawnSync(process.execPath, [options.bin ?? BIN, ...(options.args ?? SCAFFOLD)], {
    cwd: ROOT,
    // CI unset: the cache is off in CI (the suite itself runs with CI=true there).
    env: { ...process.env, NO_COLOR: '1', CI: '', NODE_COMPILE_CACHE: cache, NODE_DEBUG_NATIVE: 'COMPILE_CACHE', ...options.env },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines = result.stderr.split('\n').filter((l) => l.startsWith('create-ml-project compile cache: '));
  const unpacked = lines.filter((l) => l.includes(': unpacked-')).map((l) => l.replace(/^.*-(\d+)\.bin: /, '$1 '));
  const log = lines.filter((l) => !l.includes(': unpacked-')).map((l) => l.replace(/^create-ml-project compile cache: (?:([a-z-]+)\.cjs|(template))-[^:]*: /, '$1$2 '));
  return { code: result.status, stdout: result.stdout, log, unpacked };
}

/** The code cache files of the one folder the bin keeps its cache in, below NODE_COMPILE_CACHE (`unpacked`: the template's blocks instead). */
function cacheFiles(cache: string, unpacked = false): string[] {
  const [folder, ...others] = readdirSync(cache).filter((e) => e.startsWith('create-ml-project-'));
  assert.equal(others.length, 0);
  assert.ok(folder, 'a cache folder was made');
  return readdirSync(join(cache, folder))
    .filter((f) => f.startsWith('unpacked-') === unpacked)
    .sort()
    .map((f) => join(cache, folder, f));
}

describe('compile cache (Node before 22.1)', { skip: skipPolyfill }, () => {
  it('misses and writes on the first run, hits after, and the output does not change', async () => {
    const cache = await tempDir('cmlp-cache-');
    const first = run(cache);
    assert.equal(first.code, 0);
    assert.deepEqual(first.log, ['cli miss', 'template miss', 'cli written', 'template written']);
    const [file, template] = cacheFiles(cache);
    assert.ok(file && template);
    // Private: code from this file runs as the user.
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.equal(statSync(join(file, '..')).mode & 0o777, 0o700);

    assert.equal(statSync(template).mode & 0o777, 0o600);
    const second = run(cache);
    assert.deepEqual(second.log, ['cli hit', 'template hit']);
    assert.equal(second.code, 0);
    assert.equal(second.stdout, first.stdout);
    // --help has its own bundle, and its own cache file.
    assert.deepEqual(run(cache, { args: ['--help'] }).log, ['help miss', 'help written']);
    assert.deepEqual(run(cache, { args: ['--help'] }).log, ['help hit']);
  });

  it('removes the entries not written for 30 days, of any Node, when a run writes one', async () => {
    const cache = await tempDir('cmlp-cache-');
    run(cache);
    const [file, template] = cacheFiles(cache);
    assert.ok(file && template);
    const folder = dirname(file);
    const written = readdirSync(folder);
    const old = Date.now() / 1000 - 40 * 86_400;
    const aged = (path: string) => {
      writeFileSync(path, 'x', { mode: 0o600 });
      utimesSync(path, old, old);
    };
    // An entry of an older build, the folder of an older Node, an entry another build wrote
    // recently, and Node's own cache beside ours (not ours: left alone).
    aged(join(folder, 'cli.cjs-0123456789abcdef-1-1.bin'));
    mkdirSync(join(cache, 'create-ml-project-v18.0.0-x64'), { mode: 0o700 });
    aged(join(cache, 'create-ml-project-v18.0.0-x64', 'cli.cjs-0123456789abcdef-1-1.bin'));
    writeFileSync(join(folder, 'template-fedcba9876543210-1-1.bin'), 'y', { mode: 0o600 });
    mkdirSync(join(cache, 'v20.20.2-x64-nodes-own'));
    aged(join(cache, 'v20.20.2-x64-nodes-own', 'entry'));
    // Nothing is removed by a run that writes nothing.
    assert.deepEqual(run(cache).log, ['cli hit', 'template hit']);
    assert.ok(existsSync(join(folder, 'cli.cjs-0123456789abcdef-1-1.bin')));
    // A run that writes an entry (its bundle's cache is gone) removes the stale ones.
    rmSync(file);
    const writing = run(cache);
    assert.deepEqual(writing.log, ['cli miss', 'template hit', 'cli written', 'create-ml-project compile cache: removed 2 entries not written for 30 days']);
    assert.deepEqual(readdirSync(folder).sort(), [...written, 'template-fedcba9876543210-1-1.bin'].sort());
    assert.ok(!existsSync(join(cache, 'create-ml-project-v18.0.0-x64')), "the older Node's folder, emptied, is removed");
    assert.ok(existsSync(join(cache, 'v20.20.2-x64-nodes-own', 'entry')), "Node's own cache is not touched");
  });

  it('runs as without a cache when the cache is damaged, and replaces it', async () => {
    const cache = await tempDir('cmlp-cache-');
    const clean = run(cache);
    const [file] = cacheFiles(cache);
    assert.ok(file);
    writeFileSync(file, Buffer.alloc(statSync(file).size, 0x5a));
    const damaged = run(cache);
    assert.deepEqual(damaged.log, ['cli rejected', 'template hit', 'cli written']);
    assert.equal(damaged.code, 0);
    assert.equal(damaged.stdout, clean.stdout);
    assert.deepEqual(run(cache).log, ['cli hit', 'template hit']);
    const [, template] = cacheFiles(cache);
    assert.ok(template);
    writeFileSync(template, Buffer.alloc(statSync(template).size, 0x5a));
    const damagedTemplate = run(cache);
    assert.deepEqual(damagedTemplate.log, ['cli hit', 'template rejected', 'template written']);
    assert.equal(damagedTemplate.stdout, clean.stdout);
  });

  it('does not trust a cache file others could have written', async () => {
    const cache = await tempDir('cmlp-cache-');
    run(cache);
    const [file] = cacheFiles(cache);
    assert.ok(file);
    chmodSync(file, 0o666);
    assert.deepEqual(run(cache).log, ['cli miss', 'template hit', 'cli written'], 'a group/world-writable file is ignored, then replaced');
    assert.equal(statSync(file).mode & 0o777, 0o600);
    if (process.getuid?.() === 0) {
      chownSync(file, 65534, 65534); // root can make it another user's file
      assert.deepEqual(run(cache).log, ['cli miss', 'template hit', 'cli written'], "another user's file is ignored");
    }
  });

  it('misses when the bundle was edited after the cache was written', async () => {
    // A copy of the package, so the test can change a bundle.
    const pkg = await tempDir('cmlp-cache-pkg-');
    for (const part of ['dist', 'template', 'package.json']) cpSync(join(ROOT, part), join(pkg, part), { recursive: true });
    const cache = await tempDir('cmlp-cache-');
    const bin = join(pkg, 'dist/index.cjs');
    assert.deepEqual(run(cache, { bin }).log, ['cli miss', 'template miss', 'cli written', 'template written']);
    assert.deepEqual(run(cache, { bin }).log, ['cli hit', 'template hit']);
    appendFileSync(join(pkg, 'dist/cli.cjs'), '\n// edited by hand\n');
    const edited = run(cache, { bin });
    assert.deepEqual(edited.log, ['cli miss', 'template hit', 'cli written']);
    assert.equal(edited.code, 0);
    // The template's pack: its code's hash, size and modification time name its cache entry.
    const pack = join(pkg, 'dist/template.pack');
    utimesSync(pack, new Date(), new Date(Date.now() + 5000));
    assert.deepEqual(run(cache, { bin }).log, ['cli hit', 'template miss', 'template written']);
  });

  it('writes the same project from cached template code as without the cache', async () => {
    const cache = await tempDir('cmlp-cache-');
    const out = await tempDir('cmlp-cache-out-');
    const scaffold = (dir: string, env: NodeJS.ProcessEnv) =>
      run(cache, { env, args: [join(out, dir), '--name', 'cache-demo', '--yes', '--no-install', '--no-git'] });
    assert.equal(scaffold('plain', { NODE_DISABLE_COMPILE_CACHE: '1' }).code, 0);
    assert.deepEqual(scaffold('first', {}).log, ['cli miss', 'template miss', 'cli written', 'template written']);
    assert.deepEqual(scaffold('cached', {}).log, ['cli hit', 'template hit']);
    const files = (dir: string) => readdirSync(join(out, dir), { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name).slice(join(out, dir).length));
    assert.ok(files('plain').length > 50);
    for (const dir of ['first', 'cached']) {
      assert.deepEqual(files(dir).sort(), files('plain').sort());
      for (const file of files('plain')) {
        assert.ok(readFileSync(join(out, dir, file)).equals(readFileSync(join(out, 'plain', file))), `${dir}${file}`);
      }
    }
  });

  it("keeps the template's blocks as unpacked: a later run reads them, and unpacks again what they lack", async () => {
    const cache = await tempDir('cmlp-cache-');
    const first = run(cache);
    assert.equal(first.code, 0);
    // Block 1: the code and the small files; block 2: the lock files, as far as a Poetry project's.
    assert.deepEqual(first.unpacked, ['1 miss', '2 miss', '1 written', '2 written']);
    const [block1, block2] = cacheFiles(cache, true);
    assert.ok(block1 && block2);
    assert.equal(statSync(block1).mode & 0o777, 0o600);
    const second = run(cache);
    assert.deepEqual(second.unpacked, ['1 hit', '2 hit']);
    assert.equal(second.stdout, first.stdout);
    // A uv project's lock lies beyond a Poetry project's in block 2: unpacked again, further, and kept.
    const uvArgs = [...SCAFFOLD, '--package-manager', 'uv'];
    const poetrySize = statSync(block2).size;
    const uv = run(cache, { args: uvArgs });
    assert.deepEqual(uv.unpacked, ['1 hit', '2 hit', '2 written']);
    assert.ok(statSync(block2).size > poetrySize);
    assert.equal(run(cache, { args: uvArgs }).stdout, uv.stdout);
    assert.equal(run(cache, { args: uvArgs, env: { NODE_DISABLE_COMPILE_CACHE: '1' } }).stdout, uv.stdout);
    // Cut short (a damaged file): too short for any file, so unpacked again, and replaced.
    writeFileSync(block1, readFileSync(block1).subarray(0, 100), { mode: 0o600 });
    const short = run(cache);
    assert.deepEqual(short.unpacked, ['1 hit', '2 hit', '1 written']);
    assert.equal(short.stdout, first.stdout);
    assert.deepEqual(run(cache).unpacked, ['1 hit', '2 hit']);
    // Like the code: a file others could have written is not read.
    chmodSync(block1, 0o666);
    assert.deepEqual(run(cache).unpacked, ['1 miss', '2 hit', '1 written']);
  });

  it('works without a cache when the cache folder cannot be made, or the cache is off (NODE_DISABLE_COMPILE_CACHE, CI)', async () => {
    const dir = await tempDir('cmlp-cache-');
    const notAFolder = join(dir, 'file');
    writeFileSync(notAFolder, 'x');
    const unusable = run(notAFolder);
    assert.equal(unusable.code, 0);
    assert.deepEqual(unusable.log, ['cli unusable', 'template unusable']);
    assert.deepEqual(unusable.unpacked, ['1 unusable', '2 unusable']);

    for (const env of [{ NODE_DISABLE_COMPILE_CACHE: '1' }, { CI: 'true' }, { CI: '1' }]) {
      const off = run(dir, { env });
      assert.equal(off.code, 0);
      assert.deepEqual(off.log, [], JSON.stringify(env));
      assert.deepEqual(off.unpacked, [], JSON.stringify(env));
      assert.deepEqual(readdirSync(dir), ['file'], `nothing written with ${JSON.stringify(env)}`);
    }
    assert.deepEqual(run(dir, { env: { CI: 'false' } }).log, ['cli miss', 'template miss', 'cli written', 'template written'], 'CI=false is not CI');
  });
});

describe("compile cache (Node 22.1+: Node's own)", { skip: nodeHasOwnCache ? false : `Node ${process.version} has no module.enableCompileCache` }, () => {
  it('leaves caching the bundles to Node, which fills NODE_COMPILE_CACHE', async () => {
    const cache = await tempDir('cmlp-cache-');
    const r = run(cache);
    assert.equal(r.code, 0);
    // Node's cache does not cover code made at run time: the template's code is still ours to cache.
    assert.deepEqual(r.log, ['template miss', 'template written'], 'our own cache is not used for the bundles');
    assert.ok(readdirSync(cache).length > 0, "Node's cache wrote its files");
  });
});
