// The closing "Next steps" (src/steps/next-steps.ts): they name only what the run wrote, and say
// which OS they are for when this machine is not one of the project's.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Context } from '../../src/context.js';
import type { Answers } from '../../src/options.js';
import { hostOs } from '../../src/host.js';
import { summarise } from '../../src/steps/next-steps.js';
import { answers, render } from '../helpers/render.js';

const global = { kind: 'global', run: ['create-ml-project'], create: ['create-ml-project'] } as const;

function steps(overrides: Partial<Answers>, written: readonly string[]): string[] {
  const ctx = {
    answers: answers(overrides),
    target: '/work/demo',
    cwd: '/work',
    invocation: global,
    run: { install: false, dryRun: false },
    template: { source: 'bundled', dir: '' },
  } as unknown as Pick<Context, 'answers' | 'target' | 'cwd' | 'invocation' | 'run' | 'template'>;
  return summarise(ctx, written).nextSteps;
}

const host = hostOs();

describe('next steps', () => {
  it('for the bundled template: the go script of this OS, then the runner\'s tasks', async () => {
    const written = (await render({ os: [host], runner: 'compose' })).map((f) => f.path);
    const got = steps({ os: [host], runner: 'compose' }, written);
    assert.equal(got[0], 'cd demo');
    assert.match(got[1] ?? '', /scripts.go.go-/);
    // On Windows the .cmd wrapper by its path, which cmd.exe and PowerShell both run: PowerShell,
    // Windows Terminal's default shell, does not run a command from the current folder by name.
    assert.deepEqual(got.slice(2), host === 'windows'
      ? ['.\\tasks.cmd setup', '.\\tasks.cmd unit-test', '.\\tasks.cmd train-model', '.\\tasks.cmd start-api-locally']
      : ['./tasks setup', './tasks unit-test', './tasks train-model', './tasks start-api-locally']);
  });

  it('for a template without go scripts or a task runner: no steps it does not have', () => {
    assert.deepEqual(steps({ os: [host] }, ['README.md', 'main.py']), ['cd demo', '# then follow README.md']);
    assert.deepEqual(steps({ os: [host] }, ['main.py']), ['cd demo']);
  });

  it('labels the steps with the OS they are for when this machine is not one of the project\'s', async () => {
    const other = host === 'windows' ? 'linux' : 'windows';
    const written = (await render({ os: [other], runner: 'batect' })).map((f) => f.path);
    const got = steps({ os: [other], runner: 'batect' }, written);
    assert.match(got[0] ?? '', other === 'windows' ? /^# on Windows \(this machine is not one of the project's OSes\)$/ : /^# on Linux/);
    assert.equal(got[1], 'cd demo');
    assert.ok(got.includes(other === 'windows' ? '.\\batect.cmd setup' : './batect setup'), got.join('\n'));
  });
});
