// The wizard driven in-process with scripted answers (no terminal): what is asked, what is
// echoed, what is written, and that a cancel leaves nothing behind.

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { main } from '../../src/main.js';
import { scratchDir } from '../helpers/scratch.js';
import { CANCEL, captureUi, ENTER, scriptedPrompter, type Script } from '../helpers/scripted.js';

const MINI = fileURLToPath(new URL('../fixtures/mini-template', import.meta.url));

const everything: Script = {
  'Project name': 'churn-model',
  'operating systems': ['linux', 'windows'],
  'Which cloud': 'aws',
  'Serve the model': true,
  'Train the model': true,
  'Track training runs': 'none',
  'task runner': 'compose',
  'Python version': '3.12',
  'package manager': 'uv',
  'Dependabot': 'minor',
};

async function run(argv: string[], script: Script, interactive = true) {
  const cwd = await scratchDir('cmlp-steps-');
  const prompt = scriptedPrompter(script);
  const ui = captureUi();
  const code = await main({ argv: [...argv, '--no-install', '--no-git', '--trust'], cwd, env: {}, interactive, prompt, ui, templateDir: MINI });
  return { code, cwd, asked: prompt.asked, lines: ui.lines };
}

describe('wizard steps with scripted answers', () => {
  it('asks every question once and renders the answers', async () => {
    const r = await run([], everything);
    assert.equal(r.code, 0, r.lines.join('\n'));
    assert.equal(r.asked.length, 10);
    const project = join(r.cwd, 'churn-model');
    assert.deepEqual((await readdir(project)).sort(), ['.create-ml-project.json', '.gitignore', 'README.md', 'api.txt', 'deploy-aws.txt', 'src']);
    assert.equal(await readFile(join(project, 'README.md'), 'utf8'), '# Churn Model\nos: linux,windows\n');
    assert.ok(existsSync(join(project, 'src/churn_model/__init__.py')));
    const reproduce = r.lines.find((l) => l.startsWith('Make this project again'));
    // The fixture is not the bundled template, so the command pins it by source and hash.
    assert.match(reproduce ?? '', /churn-model --template \S+mini-template --template-hash sha256:[0-9a-f]{64} --os linux,windows --cloud aws --api --training --tracking none --runner compose --python 3\.12 --package-manager uv --automerge minor --yes/);
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

  it('does not ask about tracking when the project does not train, and records the default', async () => {
    const r = await run([], { ...everything, 'Train the model': false });
    assert.equal(r.code, 0, r.lines.join('\n'));
    assert.ok(!r.asked.some((q) => q.includes('Track training runs')));
    const record = JSON.parse(await readFile(join(r.cwd, 'churn-model/.create-ml-project.json'), 'utf8'));
    assert.equal(record.answers.tracking, 'mlflow');
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

describe('a folder name or target that does not fit, at a terminal', () => {
  /** main() in a folder that already holds `files`, with scripted answers. */
  async function runIn(files: Record<string, string>, argv: string[], script: Script) {
    const cwd = await scratchDir('cmlp-steps-');
    for (const [path, content] of Object.entries(files)) {
      await mkdir(join(cwd, path, '..'), { recursive: true });
      await writeFile(join(cwd, path), content);
    }
    const prompt = scriptedPrompter(script);
    const ui = captureUi();
    const code = await main({ argv: [...argv, '--no-install', '--no-git', '--trust'], cwd, env: {}, interactive: true, prompt, ui, templateDir: MINI });
    return { code, cwd, prompt, lines: ui.lines };
  }
  const rest: Script = { ...everything };
  delete rest['Project name'];

  it('asks for a valid name, the folder\'s own filled in, when the folder name is not one', async () => {
    const r = await runIn({}, ['My Project'], { 'Project name': ENTER, ...rest });
    assert.equal(r.code, 0, r.lines.join('\n'));
    assert.equal(Object.entries(r.prompt.defaults).find(([message]) => message.includes('Project name'))?.[1], 'my-project');
    assert.ok(r.lines.some((l) => l.includes('gives the project name "My Project"')), r.lines.join('\n'));
    // The folder keeps the name it was given; the project inside is named validly.
    assert.ok(existsSync(join(r.cwd, 'My Project/src/my_project/__init__.py')));
  });

  it('offers another folder for a non-empty one, and the name follows the folder', async () => {
    const r = await runIn({ 'churn/notes.txt': 'mine' }, ['churn'], { 'What now': 'another', 'Project folder': 'churn-v2', ...rest });
    assert.equal(r.code, 0, r.lines.join('\n'));
    assert.deepEqual(Object.values(r.prompt.choices)[0], ['another', 'beside', 'cancel']);
    assert.ok(existsSync(join(r.cwd, 'churn-v2/src/churn_v2/__init__.py')));
    assert.deepEqual(await readdir(join(r.cwd, 'churn')), ['notes.txt'], 'the first folder is untouched');
  });

  it('adds the project beside the files when asked to, changing none of them', async () => {
    const r = await runIn({ 'churn/README.md': 'my own readme' }, ['churn'], { 'What now': 'beside', ...rest });
    assert.equal(r.code, 0, r.lines.join('\n'));
    assert.equal(await readFile(join(r.cwd, 'churn/README.md'), 'utf8'), 'my own readme');
    assert.ok(existsSync(join(r.cwd, 'churn/src/churn/__init__.py')));
  });

  it('cancels (exit 130) and leaves the folder as it was', async () => {
    const r = await runIn({ 'churn/notes.txt': 'mine' }, ['churn'], { 'What now': 'cancel', ...rest });
    assert.equal(r.code, 130);
    assert.deepEqual(await readdir(join(r.cwd, 'churn')), ['notes.txt']);
  });

  it('never offers to mix a new project into one this tool made, and names update instead', async () => {
    const r = await runIn({ 'churn/.create-ml-project.json': '{}' }, ['churn'], { 'What now': 'another', 'Project folder': 'other', ...rest });
    assert.equal(r.code, 0, r.lines.join('\n'));
    const [message, offered] = Object.entries(r.prompt.choices)[0] ?? [];
    assert.deepEqual(offered, ['another', 'cancel']);
    assert.match(message ?? '', /already holds a project made by create-ml-project .* update .*churn --set <answer>=<value>/);
    assert.ok(existsSync(join(r.cwd, 'other/src/other/__init__.py')));
  });
});
