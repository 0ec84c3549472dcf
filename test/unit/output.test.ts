// src/output.ts writes to a pipe itself. A pipe that another holder made non-blocking (a Node
// parent sharing it, or Node's own stream for it) refuses a write while it is full (EAGAIN): the
// rest must then go through Node's stream, in order, nothing lost, nothing thrown.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';

const OUTPUT = fileURLToPath(new URL('../../src/output.ts', import.meta.url));
const LINES = 64;
const line = (i: number) => `${String(i).padStart(4, '0')}:${'x'.repeat(32 * 1024)}\n`;

describe('output', () => {
  it("a full non-blocking pipe: the rest goes through Node's stream, in order (2 MiB, reader asleep at first)", async () => {
    // process.stdout first: Node's handle for the pipe makes it non-blocking for everyone who shares it.
    const script = [
      'process.stdout;',
      `const { output } = await import(${JSON.stringify(OUTPUT)});`,
      'const out = output(1);',
      `for (let i = 0; i < ${LINES}; i++) out.write(String(i).padStart(4, '0') + ':' + 'x'.repeat(32 * 1024) + '\\n');`,
    ].join('\n');
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.pause();
    setTimeout(() => child.stdout.resume(), 300);
    const chunks: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => chunks.push(d));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.equal(stderr, '');
    assert.equal(code, 0);
    const expected = Array.from({ length: LINES }, (_, i) => line(i)).join('');
    const got = Buffer.concat(chunks).toString('utf8');
    assert.equal(got.length, expected.length);
    assert.ok(got === expected, 'the lines arrive whole and in order');
  });
});
