// The wizard driven in-process with scripted answers (no terminal): what is asked, what is
// echoed, what is written, and that a cancel leaves nothing behind.

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { main } from '../../src/main.js';
import { CANCEL, captureUi, scriptedPrompter, type Script } from '../helpers/scripted.js';

const MINI = fileURLToPath(new URL('../fixtures/mini-template', import.meta.url));

const everything: Script = {
  'Project name': 'churn-model',
  'operating systems': ['linux', 'windows'],
  'Which cloud': 'aws',
  'Serve the model': true,
  'Train the model': true,
  'task runner': 'compose',
  'Python version': '3.12',
  'package manager': 'uv',
  'Dependabot': 'minor',
};

async function run(argv: string[], script: Script, interactive = true) {
  const cwd = await mkdtemp(join(tmpdir(), 'cmlp-steps-'));
  const prompt = scriptedPrompter(script);
  const ui = captureUi();
  const code = await main({ argv: [...argv, '--no-install', '--no-git'], cwd, env: {}, interactive, prompt, ui, templateDir: MINI });
  return { code, cwd, asked: prompt.asked, lines: ui.lines };
}

describe('wizard steps with scripted answers', () => {
  it('asks every question once and renders the answers', async () => {
    const r = await run([], everything);
    assert.equal(r.code, 0, r.lines.join('\n'));
    assert.equal(r.asked.length, 9);
    const project = join(r.cwd, 'churn-model');
    assert.deepEqual((await readdir(project)).sort(), ['.create-ml-project.json', '.gitignore', 'README.md', 'api.txt', 'deploy-aws.txt', 'src']);
    assert.equal(await readFile(join(project, 'README.md'), 'utf8'), '# Churn Model\nos: linux,windows\n');
    assert.ok(existsSync(join(project, 'src/churn_model/__init__.py')));
    const reproduce = r.lines.find((l) => l.startsWith('Make this project again'));
    // The fixture is not the bundled template, so the command pins it by source and hash.
    assert.match(reproduce ?? '', /churn-model --template \S+mini-template --template-hash sha256:[0-9a-f]{64} --os linux,windows --cloud aws --api --training --runner compose --python 3\.12 --package-manager uv --automerge minor --yes/);
  });

  it('does not ask what a flag answered, and echoes it instead', async () => {
    const r = await run(['given-name', '--cloud', 'gcp', '--python', '3.14'], everything);
    assert.equal(r.code, 0, r.lines.join('\n'));
    assert.ok(!r.asked.some((q) => /Project name|Which cloud|Python version/.test(q)));
    assert.ok(r.lines.some((l) => l.startsWith('Which cloud does it deploy to? gcp')));
    assert.ok(!existsSync(join(r.cwd, 'given-name/deploy-aws.txt')));
  });

  it('does not ask about training when there is no API', async () => {
    const r = await run([], { ...everything, 'Serve the model': false });
    assert.equal(r.code, 0, r.lines.join('\n'));
    assert.ok(!r.asked.some((q) => q.includes('Train the model')));
    assert.ok(!existsSync(join(r.cwd, 'churn-model/api.txt')));
  });

  it('refuses no API and no training given as flags', async () => {
    const r = await run(['x', '--no-api', '--no-training'], everything);
    assert.equal(r.code, 2);
    assert.ok(r.lines.some((l) => l.includes('leaves nothing to generate')));
  });

  it('writes nothing when cancelled mid-way (exit 130)', async () => {
    const r = await run([], { ...everything, 'task runner': CANCEL });
    assert.equal(r.code, 130);
    assert.deepEqual(await readdir(r.cwd), []);
    assert.ok(!r.asked.some((q) => q.includes('Dependabot')), 'stops asking after a cancel');
  });

  it('without a terminal lists every missing answer once, asks nothing, exits 2', async () => {
    const r = await run(['demo', '--cloud', 'aws'], {}, false);
    assert.equal(r.code, 2);
    assert.deepEqual(r.asked, []);
    assert.deepEqual(await readdir(r.cwd), []);
  });

  it('with --yes uses the defaults without asking', async () => {
    const r = await run(['--yes'], {}, false);
    assert.equal(r.code, 0, r.lines.join('\n'));
    assert.deepEqual(await readdir(r.cwd), ['ml-project']);
    assert.ok(!existsSync(join(r.cwd, 'ml-project/deploy-aws.txt')));
  });
});
