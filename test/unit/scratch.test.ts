// test/helpers/scratch.ts: a test process removes the temporary folders it made when it ends,
// passed, failed or stopped by a signal, read-only folders inside them included, and keeps them
// with CMLP_KEEP_TEST_TMP=1. Each case is a child process run the way node --test runs a test file
// (node --import tsx), with a TMPDIR of its own.

import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { ROOT } from '../helpers/cli.js';
import { scratchDirSync } from '../helpers/scratch.js';

const HELPER = pathToFileURL(join(ROOT, 'test/helpers/scratch.ts')).href;
const NOBODY = 65534;
const isRoot = process.getuid?.() === 0;

interface Child {
  /** The child's TMPDIR, made by this process. */
  tmp: string;
  /** The folders the child made: one in its TMPDIR, one in a parent it named. */
  dirs: string[];
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
}

/**
 * Runs a child that makes two scratch folders (a read-only folder with a file inside the first),
 * prints their paths and then ends as `end` says: returns normally, throws, or waits for SIGTERM.
 */
function child(end: 'exit' | 'throw' | 'signal', options: { keep?: boolean; uid?: number } = {}): Promise<Child> {
  const tmp = scratchDirSync('cmlp-scratch-test-');
  const parent = join(tmp, 'parent');
  mkdirSync(parent);
  if (options.uid !== undefined) for (const dir of [tmp, parent]) chownSync(dir, options.uid, options.uid);
  const script = [
    "import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';",
    "import { join } from 'node:path';",
    `const { scratchDir, scratchDirSync } = await import(${JSON.stringify(HELPER)});`,
    "const first = scratchDirSync('cmlp-scratch-child-');",
    `const second = await scratchDir('cmlp-scratch-child-', ${JSON.stringify(parent)});`,
    "mkdirSync(join(first, 'ro/inner'), { recursive: true });",
    "writeFileSync(join(first, 'ro/inner/file'), 'x');",
    "chmodSync(join(first, 'ro/inner'), 0o500);",
    "chmodSync(join(first, 'ro'), 0o500);",
    "process.stdout.write(JSON.stringify([first, second]) + '\\n');",
    end === 'throw' ? "throw new Error('a failing test file');" : '',
    end === 'signal' ? 'setInterval(() => undefined, 1000);' : '',
  ].join('\n');
  const env = { ...process.env, TMPDIR: tmp, CMLP_KEEP_TEST_TMP: options.keep ? '1' : '' };
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(options.uid !== undefined ? { uid: options.uid, gid: options.uid } : {}),
    });
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (end === 'signal' && stdout.includes('\n')) proc.kill('SIGTERM');
    });
    proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => proc.kill('SIGKILL'), 30_000);
    proc.on('error', reject);
    proc.on('close', (code, signal) => {
      clearTimeout(timer);
      const line = stdout.split('\n')[0] ?? '';
      if (!line.startsWith('[')) return reject(new Error(`the child printed no folders (exit ${code}, ${signal}):\n${stdout}${stderr}`));
      resolve({ tmp, dirs: JSON.parse(line) as string[], code, signal, stderr });
    });
  });
}

/** Why nobody cannot run the helper here (a checkout it may not read), or false. */
function nobodyCannot(): string | false {
  const tmp = scratchDirSync('cmlp-scratch-test-');
  chownSync(tmp, NOBODY, NOBODY);
  const script = `await import(${JSON.stringify(HELPER)});`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: ROOT, env: { ...process.env, TMPDIR: tmp }, uid: NOBODY, gid: NOBODY, encoding: 'utf8', timeout: 30_000 });
  return r.status === 0 ? false : `nobody (uid ${NOBODY}) cannot run test/helpers/scratch.ts here: ${r.error?.message ?? r.stderr.split('\n').find((l) => /Error/.test(l)) ?? r.stderr.trim()}`;
}

function assertGone(dirs: string[]): void {
  assert.equal(dirs.length, 2);
  for (const dir of dirs) {
    assert.ok(dir.includes('cmlp-scratch-child-'), dir);
    assert.equal(existsSync(dir), false, `${dir} is left behind`);
  }
}

describe('scratch folders (test/helpers/scratch.ts)', () => {
  it('are removed when the process ends, read-only folders inside included', async () => {
    const r = await child('exit');
    assert.equal(r.code, 0, r.stderr);
    assertGone(r.dirs);
  });

  it('are removed when the process fails', async () => {
    const r = await child('throw');
    assert.equal(r.code, 1);
    assert.match(r.stderr, /a failing test file/);
    assertGone(r.dirs);
  });

  it('are removed when SIGTERM ends the process, which still ends by the signal', async () => {
    const r = await child('signal');
    assert.equal(r.signal, 'SIGTERM', r.stderr);
    assertGone(r.dirs);
  });

  it('are removed for a user other than root, whom the read-only folder would stop', async (t) => {
    // Root's removal ignores the read-only folder: run the child as nobody to prove the chmod.
    const cannot = isRoot && nobodyCannot();
    if (cannot) return t.skip(cannot);
    const r = await child('exit', isRoot ? { uid: NOBODY } : {});
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
    assertGone(r.dirs);
  });

  it('stay with CMLP_KEEP_TEST_TMP=1', async () => {
    const r = await child('exit', { keep: true });
    assert.equal(r.code, 0, r.stderr);
    for (const dir of r.dirs) assert.ok(existsSync(dir), `${dir} is kept`);
    assert.deepEqual(readdirSync(join(r.dirs[0] as string, 'ro')), ['inner']);
    chmodSync(join(r.dirs[0] as string, 'ro'), 0o700);
    chmodSync(join(r.dirs[0] as string, 'ro/inner'), 0o700);
    rmSync(r.tmp, { recursive: true, force: true });
  });
});
