// A template whose code never returns (`<% while (true) {} %>`) must not hold the run hostage:
// its code runs under a time limit (RENDER_LIMIT_SECONDS per file). Left alone, the run ends with
// one line and exit 4; after a Ctrl+C (SIGINT), with exit 130 once the limit stops the loop. Either
// way nothing of the run is left.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, describe, it } from 'node:test';
import { RENDER_LIMIT_SECONDS } from '../../src/template/render.js';
import { BIN, tempDir } from '../helpers/cli.js';

async function loopingTemplate(): Promise<string> {
  const dir = join(await tempDir('cmlp-loop-'), 'template');
  mkdirSync(dir);
  writeFileSync(join(dir, 'template.json'), JSON.stringify({ name: 'loop', version: '1.0.0', files: [] }));
  writeFileSync(join(dir, 'a.txt'), 'fine\n');
  writeFileSync(join(dir, 'loop.txt.ejs'), '<% while (true) {} %>never\n');
  return dir;
}

// A run that is not stopped would spin forever: whatever is still running at the end is killed.
const children = new Set<import('node:child_process').ChildProcess>();
after(() => {
  for (const child of children) child.kill('SIGKILL');
});

/** Runs the bin; `signalAfterMs` sends SIGINT then. Resolves with the exit code, output and time. */
function run(template: string, cwd: string, signalAfterMs?: number): Promise<{ code: number | null; out: string; ms: number; signalledAt: number }> {
  return new Promise((resolve) => {
    const started = Date.now();
    let signalledAt = 0;
    const child = spawn(process.execPath, [BIN, 'demo', '--template', template, '--trust', '--yes', '--no-install', '--no-git'], { cwd, env: { ...process.env, CI: 'true' } });
    children.add(child);
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    if (signalAfterMs !== undefined) {
      void sleep(signalAfterMs).then(() => {
        signalledAt = Date.now();
        child.kill('SIGINT');
      });
    }
    child.on('exit', (code) => resolve({ code, out, ms: Date.now() - started, signalledAt: signalledAt ? Date.now() - signalledAt : 0 }));
  });
}

describe('a template whose code never returns', () => {
  it('after Ctrl+C inside the loop: exit 130 once the time limit stops it, nothing left', { timeout: (RENDER_LIMIT_SECONDS + 30) * 1000 }, async () => {
    const cwd = await tempDir('cmlp-loop-run-');
    const r = await run(await loopingTemplate(), cwd, 1500);
    assert.equal(r.code, 130, r.out);
    assert.ok(r.signalledAt < (RENDER_LIMIT_SECONDS + 2) * 1000, `ended ${r.signalledAt} ms after SIGINT`);
    assert.deepEqual(await readdir(cwd), [], 'nothing of the run is left');
  });

  it(`is stopped after ${RENDER_LIMIT_SECONDS} s with one line naming the file (exit 4)`, { timeout: (RENDER_LIMIT_SECONDS + 30) * 1000 }, async () => {
    const cwd = await tempDir('cmlp-loop-run-');
    const r = await run(await loopingTemplate(), cwd);
    assert.equal(r.code, 4, r.out);
    assert.match(r.out, new RegExp(`loop\\.txt\\.ejs did not finish rendering within ${RENDER_LIMIT_SECONDS} s`));
    assert.doesNotMatch(r.out, /\n\s+at /, 'no stack trace');
    assert.deepEqual(await readdir(cwd), []);
  });
});
