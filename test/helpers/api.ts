// Requests to a generated project's API, served however it is (on the host or in its image): the
// answers every serving test expects.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';

/** /health is ok; the project's own example request gets a prediction; bad input is a 422, never a 500. */
export async function requestApi(base: string, project: string): Promise<{ prediction: number; probability: number }> {
  const health = await fetch(`${base}/health`);
  assert.equal(health.status, 200);
  assert.equal(((await health.json()) as { status: string }).status, 'ok');

  const payload = await readFile(join(project, 'scripts', 'request-local-api-payload.json'), 'utf8');
  const predict = await fetch(`${base}/predict`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: payload });
  assert.equal(predict.status, 200, await predict.clone().text());
  const body = (await predict.json()) as { prediction: number; probability: number };
  assert.ok(body.prediction === 0 || body.prediction === 1, JSON.stringify(body));
  assert.ok(body.probability >= 0 && body.probability <= 1, JSON.stringify(body));

  const bad = await fetch(`${base}/predict`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"INCOME": "a lot"}' });
  assert.equal(bad.status, 422);
  // NaN is not JSON but Python's parser reads it: refused with a JSON 422, not a 500.
  const nan = await fetch(`${base}/predict`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"INCOME": NaN}' });
  assert.equal(nan.status, 422, await nan.clone().text());
  assert.ok(Array.isArray(((await nan.json()) as { detail: unknown }).detail));
  return body;
}

/** A TCP port free on 127.0.0.1 right now, for a server a test starts. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
