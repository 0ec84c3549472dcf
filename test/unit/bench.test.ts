// The bench's own correctness (its figures are in bench/README.md): bench/load.mjs, the open-loop
// load generator behind the API latency figures, measures a latency from the moment a request was
// scheduled, so a request must never leave before that moment (a quiet run once printed a negative
// p50); and bench/run.mjs says which tool is missing instead of failing with "failed (null): null".
// Loopback only, bounded in count and time.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
// @ts-expect-error: a plain JavaScript module of the bench, typed by its JSDoc
import { load } from '../../bench/load.mjs';
// @ts-expect-error: a plain JavaScript module of the bench
import { writeResults } from '../../bench/stats.mjs';

describe('bench load generator', () => {
  it('never measures a negative latency: no request leaves before its scheduled time', async () => {
    const server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => res.end('{}'));
    });
    await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/predict`;
      let early = 0;
      const onSend = (scheduled: number, sent: number) => void (sent < scheduled && early++);
      const result = (await load({ url, body: '{}', rate: 400, seconds: 2, onSend })) as { ok: number; min: number; p50: number };
      assert.equal(result.ok, 800);
      assert.equal(early, 0, 'requests sent before their scheduled time');
      assert.ok(result.min >= 0, `a latency of ${result.min} ms`);
      assert.ok(result.p50 >= 0);
    } finally {
      server.close();
    }
  });

  it('refuses anything but loopback', async () => {
    await assert.rejects(load({ url: 'http://192.0.2.1/x', rate: 1, seconds: 1 }), /loopback only/);
  });

  it('bench/run.mjs names a missing tool and how to install it, before running anything', () => {
    const run = fileURLToPath(new URL('../../bench/run.mjs', import.meta.url));
    // A PATH with node's own folder only: no hyperfine on it.
    const r = spawnSync(process.execPath, [run, '--skip-project'], { encoding: 'utf8', env: { ...process.env, PATH: '/nonexistent' } });
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /^bench: hyperfine is not installed; bash bench\/install-tools\.sh installs hyperfine, wrk and copier/m);
  });

  it("writes results.json and replaces only its own block of a copy of bench/README.md", () => {
    const root = mkdtempSync(join(tmpdir(), 'cmlp-bench-results-'));
    try {
      mkdirSync(join(root, 'bench'));
      copyFileSync(fileURLToPath(new URL('../../bench/README.md', import.meta.url)), join(root, 'bench/README.md'));
      const before = readFileSync(join(root, 'bench/README.md'), 'utf8');
      const block = (text: string, marker: string) => text.slice(text.indexOf(`<!-- bench:${marker} -->`), text.indexOf(`<!-- /bench:${marker} -->`));
      for (const [name, marker] of [['latest', 'results'], ['tricks', 'tricks']] as const) {
        const text = `| ${name} | 1 $& 2 |`;
        writeResults(name, { name }, text, marker, root);
        assert.deepEqual(JSON.parse(readFileSync(join(root, 'bench/results', `${name}.json`), 'utf8')), { name });
        assert.equal(block(readFileSync(join(root, 'bench/README.md'), 'utf8'), marker), `<!-- bench:${marker} -->\n${text}\n`);
      }
      const after = readFileSync(join(root, 'bench/README.md'), 'utf8');
      assert.equal(after.replace(block(after, 'results'), '').replace(block(after, 'tricks'), ''), before.replace(block(before, 'results'), '').replace(block(before, 'tricks'), ''), 'text outside the two blocks changed');
      writeResults('quiet', {}, 'x', undefined, root);
      assert.equal(readFileSync(join(root, 'bench/README.md'), 'utf8'), after, 'no marker: the README is left alone');
      assert.throws(() => writeResults('none', {}, 'x', 'no-such-block', root), /has no <!-- bench:no-such-block --> block/);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
