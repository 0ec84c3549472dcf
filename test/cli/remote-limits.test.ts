// Limits on a downloaded template (issue 16 item 9): the download's size, the archive's entry
// count and its size once inflated are enforced on the stream, before anything reaches the disk,
// and --template-hash is checked before anything is unpacked. Each refusal is one line naming the
// source, the limit and the value, exit 4, and nothing written: a watcher on the run's whole
// sandbox (working folder, cache, TMPDIR) sees no change at all. Memory is measured as the
// child's peak RSS by /usr/bin/time.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { constants, crc32, createGzip, deflateRawSync } from 'node:zlib';
import { templateHash } from '../helpers/render.js';
import { BIN, cliAsync, TEST_COMPILE_CACHE, type CliResult } from '../helpers/cli.js';
import { FIXTURE, fixtureArchive, fixtureEntries, padding, sandbox, serve, tar, tarGz, tarHeader, watchWrites, type Route, type Sandbox, type TestServer } from '../helpers/remote.js';

const FLAGS = ['demo', '--yes', '--no-install', '--no-git', '--trust'];
const MiB = 1024 * 1024;
const TIME = '/usr/bin/time';

/**
 * gzip of `piece` repeated: each piece is deflated once on its own and flushed to a byte boundary
 * (no back-references across pieces), so the copies can be joined into one valid deflate stream.
 * A 2 GiB bomb costs a second this way, instead of 20 s of gzip -9.
 */
function gzipRepeated(parts: readonly [piece: Buffer, times: number][]): Buffer {
  const body: Buffer[] = [Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 2, 0xff])];
  let crc = 0;
  let size = 0;
  const done = new Map<Buffer, Buffer>();
  for (const [piece, times] of parts) {
    const deflated = done.get(piece) ?? deflateRawSync(piece, { level: 9, finishFlush: constants.Z_FULL_FLUSH });
    done.set(piece, deflated);
    for (let i = 0; i < times; i++) {
      body.push(deflated);
      crc = crc32(piece, crc);
      size += piece.length;
    }
  }
  body.push(deflateRawSync(Buffer.alloc(0)));
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(crc >>> 0, 0);
  trailer.writeUInt32LE(size % 2 ** 32, 4);
  return Buffer.concat([...body, trailer]);
}

/** gzip of a stream of pieces, made without holding the inflated bytes. */
async function gzipStream(pieces: Iterable<Buffer>, level = 6): Promise<Buffer> {
  const out: Buffer[] = [];
  const sink = new Writable({ write: (chunk: Buffer, _e, done) => void (out.push(chunk), done()) });
  await pipeline(Readable.from(pieces), createGzip({ level }), sink);
  return Buffer.concat(out);
}

/** The built bin under /usr/bin/time: its result and its peak resident memory in MB. */
function measured(args: readonly string[], box: Sandbox): Promise<CliResult & { peakMb: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(TIME, ['-f', 'PEAK_RSS_KB=%M', process.execPath, BIN, ...args], {
      cwd: box.cwd,
      env: { ...process.env, NO_COLOR: '1', NODE_COMPILE_CACHE: TEST_COMPILE_CACHE, ...box.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const peak = /PEAK_RSS_KB=(\d+)\n?$/.exec(stderr);
      resolve({ code, stdout, stderr: stderr.replace(/PEAK_RSS_KB=\d+\n?$/, ''), peakMb: peak ? Number(peak[1]) / 1024 : Number.NaN });
    });
  });
}

/** The run's one error line: it names the source, and says what was refused. */
function errorLine(stderr: string): string {
  const lines = stderr.split('\n').filter((l) => l.startsWith('error:'));
  assert.equal(lines.length, 1, stderr);
  return lines[0] as string;
}

describe('limits on a downloaded template, enforced before anything is written', { skip: !existsSync(TIME) && `${TIME} is missing (apt-get install time): peak memory cannot be measured` }, () => {
  const routes = new Map<string, Route>();
  let server: TestServer;
  let fixtureHash = '';

  before(async () => {
    server = await serve(routes);
    fixtureHash = await templateHash(FIXTURE);
  });
  after(() => server.close());

  /** Runs the bin against `route` with a watcher on the whole sandbox; asserts nothing was written. */
  async function refused(path: string, extra: readonly string[] = []): Promise<{ line: string; peakMb: number; source: string }> {
    const box = await sandbox();
    const source = `${server.base}${path}`;
    const watcher = watchWrites([box.root]);
    let r;
    try {
      r = await measured([...FLAGS, '--template', source, ...extra], box);
      await sleep(200);
    } finally {
      watcher.stop();
    }
    assert.equal(r.code, 4, r.stdout + r.stderr);
    assert.deepEqual(watcher.events, [], 'nothing was written anywhere: no project, no temporary folder, no cache entry');
    const line = errorLine(r.stderr);
    assert.ok(line.includes(source), line);
    return { line, peakMb: r.peakMb, source };
  }

  it('a 2 MB download that inflates to 2 GiB in one file stops at its header, in bounded memory', async () => {
    const size = 2 * 1024 * MiB;
    const head = tar(await fixtureEntries()).subarray(0, -1024);
    routes.set('/bomb.tar.gz', gzipRepeated([[Buffer.concat([head, tarHeader({ name: 'org-repo-0123abc/big.bin', size })]), 1], [Buffer.alloc(MiB), size / MiB], [Buffer.alloc(1024), 1]]));
    assert.ok((routes.get('/bomb.tar.gz') as Buffer).length < 2.5 * 1e6);
    const { line, peakMb } = await refused('/bomb.tar.gz');
    assert.match(line, /refusing the downloaded archive: it unpacks to more than 64 MiB \(the limit\): ".*\/big\.bin" alone is 2 GiB/);
    assert.ok(peakMb < 300, `peak memory ${peakMb.toFixed(0)} MB`);
    console.log(`# 2 GiB bomb in one file: peak RSS ${peakMb.toFixed(0)} MB`);
  });

  it('many files that inflate past the limit stop at the limit, in bounded memory', async () => {
    const head = tar(await fixtureEntries()).subarray(0, -1024);
    const files: [Buffer, number][] = [[head, 1]];
    const data = Buffer.alloc(MiB);
    for (let i = 0; i < 2048; i++) files.push([tarHeader({ name: `org-repo-0123abc/data/${i}.bin`, size: MiB }), 1], [data, 1]);
    routes.set('/many-big.tar.gz', gzipRepeated([...files, [Buffer.alloc(1024), 1]]));
    assert.ok((routes.get('/many-big.tar.gz') as Buffer).length < 2.5 * 1e6);
    const { line, peakMb } = await refused('/many-big.tar.gz');
    assert.match(line, /refusing the downloaded archive: it unpacks to more than 64 MiB \(the limit\)/);
    assert.ok(peakMb < 300, `peak memory ${peakMb.toFixed(0)} MB`);
    console.log(`# 2 GiB in 1 MiB files: peak RSS ${peakMb.toFixed(0)} MB`);
  });

  it('a 500,000-entry archive is refused at the entry limit', async () => {
    const head = tar(await fixtureEntries()).subarray(0, -1024);
    const entries = function* () {
      yield head;
      for (let i = 0; i < 500_000; i++) yield tarHeader({ name: `org-repo-0123abc/many/${i}` });
      yield Buffer.alloc(1024);
    };
    routes.set('/many.tar.gz', await gzipStream(entries(), 1));
    const { line, peakMb } = await refused('/many.tar.gz');
    assert.match(line, /refusing the downloaded archive: it holds more than 20000 entries \(the limit\)/);
    console.log(`# 500,000 entries: peak RSS ${peakMb.toFixed(0)} MB`);
  });

  describe('a download larger than the limit', () => {
    let big: Buffer;
    before(async () => {
      // 40 MiB that gzip cannot shrink: under the inflated limit, over the download limit.
      big = tarGz([...(await fixtureEntries()), { name: 'org-repo-0123abc/noise.bin', content: randomBytes(40 * MiB) }]);
    });

    it('is refused before a byte of it is read when the server announces its size', async () => {
      routes.set('/announced.tar.gz', big);
      const { line } = await refused('/announced.tar.gz');
      assert.match(line, /refusing the download: it is larger than 32 MiB \(the limit\): the server announced 40 MiB/);
    });

    it('is cut at the limit when the server does not', async () => {
      let sent = 0;
      let finished = false;
      routes.set('/streamed.tar.gz', (_req, res: ServerResponse) => {
        res.writeHead(200, { 'content-type': 'application/gzip' });
        void (async () => {
          for (let at = 0; at < big.length && !res.destroyed; at += MiB) {
            const piece = big.subarray(at, at + MiB);
            sent += piece.length;
            if (!res.write(piece)) await new Promise<void>((ok) => {
              const go = () => {
                res.off('drain', go).off('close', go);
                ok();
              };
              res.on('drain', go).on('close', go);
            });
          }
          if (!res.destroyed) res.end(() => (finished = true));
        })();
      });
      const { line } = await refused('/streamed.tar.gz');
      assert.match(line, /refusing the download: it is larger than 32 MiB \(the limit\): cut after 32 MiB/);
      assert.ok(!finished && sent < big.length, `the download stopped early (${sent} of ${big.length} bytes sent)`);
    });
  });

  it('--template-hash: a wrong hash is refused before anything is unpacked', async () => {
    routes.set('/good.tar.gz', await fixtureArchive());
    const wrong = `sha256:${'0'.repeat(64)}`;
    const { line } = await refused('/good.tar.gz', ['--template-hash', wrong]);
    assert.ok(line.includes(`has ${fixtureHash}, expected ${wrong}`), line);
  });

  it('--template-hash covers the template\'s files, not the archive: the same files packed another way have the same hash', async () => {
    const other = (await fixtureEntries({ top: 'another-top-folder' })).reverse();
    routes.set('/repacked.tar.gz', await gzipStream([tar(other)], 1));
    routes.set('/good.tar.gz', await fixtureArchive());
    for (const path of ['/good.tar.gz', '/repacked.tar.gz']) {
      const box = await sandbox();
      const r = await cliAsync([...FLAGS, '--template', `${server.base}${path}`, '--template-hash', fixtureHash], box.cwd, box.env);
      assert.equal(r.code, 0, r.stdout + r.stderr);
    }
  });
});
