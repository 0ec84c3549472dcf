// Standard output and error without Node's streams (src/output.ts): a run into a file, a pipe, a
// socket or /dev/null writes its own bytes and never loads Node's stream modules (~3 ms of a
// scaffold), and prints the same whichever of them it writes to. A terminal still gets Node's
// stream (interactive.test.ts drives the prompts); a reader that goes away is faults.test.ts's.
// Nor does a run load node:module where Node has no compile cache of its own (src/builtin.ts).

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { closeSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { BIN, TEST_COMPILE_CACHE, tempDir } from '../helpers/cli.js';

// Node's stream machinery, as process.stdout would load it for a file (SyncWriteStream) or a pipe (net).
const STREAM_MODULES = /^NativeModule (stream|internal\/streams\/\S+|internal\/fs\/sync_write_stream|net|tty)$/;

type Sink = 'file' | 'socket' | 'fifo' | 'null';

/**
 * Runs the bin with its stdout and stderr going to `sink`; returns what it printed (nothing for
 * /dev/null) and the Node modules it loaded after start-up, which a preload notes at exit.
 */
async function runInto(sink: Sink, args: readonly string[], cwd: string): Promise<{ code: number | null; stdout: string; stderr: string; loaded: string[] }> {
  const scratch = await tempDir('cmlp-output-');
  const modules = join(scratch, 'modules.txt');
  const preload = join(scratch, 'preload.cjs');
  writeFileSync(preload, `const seen = new Set(process.moduleLoadList);\nprocess.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(modules)}, process.moduleLoadList.filter((m) => !seen.has(m)).join('\\n')));\n`);
  // CI turns the compile cache off (compile-cache.ts); these runs read the template's kept blocks.
  const env = { ...process.env, NO_COLOR: '1', NODE_COMPILE_CACHE: TEST_COMPILE_CACHE, CI: '' };
  const argv = ['-r', preload, BIN, ...args];
  let result: { code: number | null; stdout: string; stderr: string };
  if (sink === 'file') {
    const [out, err] = [join(scratch, 'out.txt'), join(scratch, 'err.txt')];
    const fds = [openSync(out, 'w'), openSync(err, 'w')] as const;
    try {
      const r = spawnSync(process.execPath, argv, { cwd, env, stdio: ['ignore', fds[0], fds[1]] });
      result = { code: r.status, stdout: '', stderr: '' };
    } finally {
      fds.forEach((fd) => closeSync(fd));
    }
    result = { ...result, stdout: readFileSync(out, 'utf8'), stderr: readFileSync(err, 'utf8') };
  } else if (sink === 'fifo') {
    // A shell pipeline: the bin's stdout and stderr are pipes (FIFOs), not sockets.
    const r = spawnSync('bash', ['-c', 'set -o pipefail; "$@" 2>&1 | cat', 'bash', process.execPath, ...argv], { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    result = { code: r.status, stdout: r.stdout, stderr: '' };
  } else {
    // Node's own 'pipe' is a socket pair; 'ignore' is /dev/null.
    const io = sink === 'socket' ? 'pipe' : 'ignore';
    const r = spawnSync(process.execPath, argv, { cwd, env, encoding: 'utf8', stdio: ['ignore', io, io] });
    result = { code: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
  }
  return { ...result, loaded: readFileSync(modules, 'utf8').split('\n').filter(Boolean) };
}

describe('standard output without Node streams', () => {
  const fast = ['--yes', '--no-git', '--no-install'];

  // A run that unpacks the template's blocks (the first after a build, or with the cache off) loads
  // node:zlib, and zlib loads the stream modules: fill the cache first, as a user's first run does.
  before(async () => {
    const r = await runInto('file', ['warm-up', ...fast], await tempDir());
    assert.equal(r.code, 0, r.stderr);
  });

  for (const sink of ['file', 'socket', 'fifo', 'null'] as const) {
    it(`a scaffold into a ${sink === 'null' ? '/dev/null' : sink} loads none of Node's stream modules`, async () => {
      const cwd = await tempDir();
      const r = await runInto(sink, ['demo', ...fast], cwd);
      assert.equal(r.code, 0, r.stderr || r.stdout);
      assert.deepEqual(r.loaded.filter((m) => STREAM_MODULES.test(m)), []);
      // The run really ran with its preload (the list is not empty for want of the hook).
      assert.ok(r.loaded.includes('NativeModule vm'), r.loaded.join(', '));
      if (sink !== 'null') assert.match(r.stdout, /Wrote \d+ files to demo/);
    });
  }

  // Node 22.1+ loads it to turn its own compile cache on (compile-cache.ts).
  const nodeCache = Number(process.versions.node.split('.')[0]) > 22 || /^22\.([1-9]|\d\d)\./.test(process.versions.node);
  it('a scaffold and a bare --help load neither node:module nor the ES module loader it brings', { skip: nodeCache && `Node ${process.versions.node} loads node:module for its own compile cache` }, async () => {
    const cwd = await tempDir();
    for (const args of [['demo', ...fast], ['--help']]) {
      const r = await runInto('file', args, cwd);
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(r.loaded.filter((m) => /^NativeModule (module|internal\/modules\/esm\/\S+)$/.test(m)), [], args.join(' '));
    }
  });

  it('prints the same into a file, a socket and a pipe (help, a scaffold, a refused flag)', async () => {
    const outputs = new Map<Sink, string>();
    for (const sink of ['file', 'socket', 'fifo'] as const) {
      const cwd = await tempDir();
      const printed: string[] = [];
      for (const args of [['--help'], ['demo', ...fast, '--cloud', 'nowhere'], ['demo', ...fast]]) {
        const r = await runInto(sink, args, cwd);
        // The pipe carries stdout and stderr together; the others are joined the same way here.
        printed.push(`exit ${r.code}\n${r.stdout}${r.stderr}`.replace(/\(\d+\.\ds\)/g, '(N.Ns)'));
      }
      outputs.set(sink, printed.join('\n---\n'));
    }
    const file = outputs.get('file') as string;
    assert.match(file, /exit 2\nerror: .*--cloud/);
    assert.match(file, /Usage/i);
    assert.equal(outputs.get('socket'), file);
    assert.equal(outputs.get('fifo'), file);
  });
});
