// A small open-loop HTTP load generator for loopback benchmarks: sends requests at a fixed rate
// for a fixed time, whatever the server's speed, and measures each latency from the moment the
// request was *scheduled* (so a slow server cannot hide its queueing: no coordinated omission).
// Bounded: `rate × seconds` requests at most, each with a timeout, loopback URLs only.
//
//   node bench/load.mjs http://127.0.0.1:8000/predict body.json [rate=200] [seconds=10]

import { readFileSync } from 'node:fs';
import http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

export function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

/**
 * `onSend(scheduled, sent)` is told both moments of each request (test/unit/bench-load.test.ts).
 * @param {{ url: string, body?: string, rate: number, seconds: number, timeoutMs?: number, onSend?: (scheduled: number, sent: number) => void }} options
 * @returns {Promise<{ sent: number, ok: number, errors: number, seconds: number, min: number, p50: number, p90: number, p99: number, max: number }>}
 */
export async function load({ url, body, rate, seconds, timeoutMs = 5000, onSend }) {
  const target = new URL(url);
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(target.hostname)) throw new Error(`load: loopback only, not ${target.hostname}`);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const total = Math.round(rate * seconds);
  const interval = 1000 / rate;
  const latencies = [];
  let errors = 0;
  const request = (scheduled) =>
    new Promise((resolve) => {
      const req = http.request(
        target,
        { method: body ? 'POST' : 'GET', agent, headers: body ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } : {}, timeout: timeoutMs },
        (res) => {
          res.resume();
          res.on('end', () => {
            const latency = performance.now() - scheduled;
            if (latency < 0) throw new Error(`load: a latency of ${latency} ms: a request left before its time`);
            if (res.statusCode === 200) latencies.push(latency);
            else errors++;
            resolve();
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', () => {
        errors++;
        resolve();
      });
      req.end(body);
    });
  const start = performance.now();
  const pending = [];
  for (let i = 0; i < total; i++) {
    const scheduled = start + i * interval;
    // Never before its time: a request sent early and answered fast would measure a negative
    // latency (sending whenever less than 1 ms was left did, on a quiet run). Node's timers never
    // fire early; a late send is counted, as it must be, since latencies run from `scheduled`.
    while (performance.now() < scheduled) await sleep(Math.max(1, scheduled - performance.now()));
    onSend?.(scheduled, performance.now());
    pending.push(request(scheduled));
  }
  await Promise.all(pending);
  const elapsed = (performance.now() - start) / 1000;
  agent.destroy();
  const sorted = latencies.sort((a, b) => a - b);
  return { sent: total, ok: sorted.length, errors, seconds: elapsed, min: sorted[0] ?? NaN, p50: percentile(sorted, 50), p90: percentile(sorted, 90), p99: percentile(sorted, 99), max: sorted.at(-1) ?? NaN };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const [url, bodyFile, rate = '200', seconds = '10'] = process.argv.slice(2);
  if (!url) throw new Error('usage: node bench/load.mjs URL [BODY.json] [rate] [seconds]');
  const body = bodyFile ? readFileSync(bodyFile, 'utf8') : undefined;
  console.log(JSON.stringify(await load({ url, body, rate: Number(rate), seconds: Number(seconds) })));
}
