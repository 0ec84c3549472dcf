// A --template brings its own clouds (issue 20, item 1): with a template that has a cloud the
// bundled one lacks (a copy of the bundled template plus the test-only fixture cloud, built in a
// temporary folder, no network), --cloud accepts it, the wizard offers it, the project renders and
// its record reads back; a cloud the template lacks is refused in one line naming the flag, the
// value and the template's clouds (exit 2), before anything is written. Without --template,
// --cloud stays the bundled template's, worded as before.
// Run: npm run build && node --import tsx --test test/cli/template-clouds.test.ts

import assert from 'node:assert/strict';
import { readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { main } from '../../src/main.js';
import { CLOUD_VALUES } from '../../src/options.js';
import { readProjectRecord } from '../../src/project/record.js';
import { cli, tempDir } from '../helpers/cli.js';
import { FIXTURE_CLOUD, templateWithFixtureCloud } from '../helpers/fixture-cloud.js';
import { captureUi, scriptedPrompter } from '../helpers/scripted.js';

const exists = (path: string) => stat(path).then(() => true, () => false);
const QUICK = ['--yes', '--no-git', '--no-install'];
const TEMPLATE_CLOUDS = [...CLOUD_VALUES, FIXTURE_CLOUD].join(', ');

let template = '';
before(async () => {
  template = await templateWithFixtureCloud();
});
after(async () => {
  if (template) await rm(join(template, '..'), { recursive: true, force: true });
});

describe('--template with a cloud the bundled template lacks', () => {
  it('--cloud takes it, the project renders for it, and its record reads back', async () => {
    const cwd = await tempDir('cmlp-template-clouds-');
    const r = cli(['proj', '--template', template, '--trust', '--cloud', FIXTURE_CLOUD, ...QUICK], { cwd });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const project = join(cwd, 'proj');
    assert.ok(await exists(join(project, `scripts/deploy/${FIXTURE_CLOUD}.sh`)), 'its deploy script');
    const recorded = JSON.parse(await readFile(join(project, '.create-ml-project.json'), 'utf8'));
    assert.equal(recorded.answers.cloud, FIXTURE_CLOUD);
    // update and doctor read the project through this reader: the template's cloud passes the schema.
    const { answers } = await readProjectRecord(project, cwd);
    assert.equal(answers.cloud, FIXTURE_CLOUD);
    // And --answers replays it with the same template.
    const again = cli(['again', '--answers', join(project, '.create-ml-project.json'), '--template', template, '--trust', ...QUICK, '--dry-run'], { cwd });
    assert.equal(again.code, 0, again.stdout + again.stderr);
  });

  it('a cloud the template lacks: exit 2, one line naming --cloud, the value and its clouds, nothing written', async () => {
    const cwd = await tempDir('cmlp-template-clouds-');
    for (const value of ['mars', 'Not a cloud!']) {
      for (const extra of [[], ['--dry-run']]) {
        const r = cli(['proj', '--template', template, '--trust', '--cloud', value, ...QUICK, ...extra], { cwd });
        assert.equal(r.code, 2, `${value} ${extra.join(' ')}: ${r.stdout}${r.stderr}`);
        const errors = r.stderr.split('\n').filter((line) => line.startsWith('error:'));
        assert.equal(errors.length, 1, r.stderr);
        assert.ok(errors[0]!.includes('--cloud') && errors[0]!.includes(value), errors[0]);
        assert.ok(errors[0]!.includes(`use one of ${TEMPLATE_CLOUDS}`), errors[0]);
        assert.equal(await exists(join(cwd, 'proj')), false, 'nothing written');
      }
    }
  });

  it("the wizard's cloud question offers the template's clouds", async () => {
    const cwd = await tempDir('cmlp-template-clouds-');
    const prompt = scriptedPrompter({ 'Which cloud does it deploy to?': FIXTURE_CLOUD });
    const argv = ['proj', '--template', template, '--trust', '--os', 'linux', '--api', '--training', '--tracking', 'mlflow', '--runner', 'compose', '--python', '3.13', '--package-manager', 'uv', '--automerge', 'patch', '--no-git', '--no-install', '--dry-run'];
    const ui = captureUi();
    const code = await main({ argv, cwd, env: {}, interactive: true, prompt, ui });
    assert.equal(code, 0, ui.lines.join('\n'));
    assert.deepEqual(prompt.choices['Which cloud does it deploy to?'], [...CLOUD_VALUES, FIXTURE_CLOUD]);
    assert.ok(ui.lines.some((line) => line.includes(`scripts/deploy/${FIXTURE_CLOUD}.sh`)), 'the dry run lists its deploy script');
  });
});

describe('without --template, --cloud is the bundled template\'s', () => {
  it('a cloud only a template has is refused as before, at the flag', async () => {
    const cwd = await tempDir('cmlp-template-clouds-');
    const r = cli(['proj', '--cloud', FIXTURE_CLOUD, ...QUICK], { cwd });
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.match(r.stderr, new RegExp(`^error: --cloud ${FIXTURE_CLOUD} is not allowed: use one of ${CLOUD_VALUES.join(', ')}$`, 'm'));
    assert.equal(await exists(join(cwd, 'proj')), false);
  });

  it("an answers file naming such a cloud is refused against the bundled template's clouds", async () => {
    const cwd = await tempDir('cmlp-template-clouds-');
    const made = cli(['proj', '--template', template, '--trust', '--cloud', FIXTURE_CLOUD, ...QUICK, '--dry-run', '--json'], { cwd });
    assert.equal(made.code, 0, made.stdout + made.stderr);
    const file = join(cwd, 'answers.json');
    const record = { generator: { name: 'create-ml-project', version: '0.0.0' }, template: { source: 'x', name: 'x', version: '0', hash: `sha256:${'0'.repeat(64)}` }, answers: JSON.parse(made.stdout).answers };
    await writeFile(file, JSON.stringify(record));
    const r = cli(['other', '--answers', file, ...QUICK], { cwd });
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.match(r.stderr, new RegExp(`^error: --cloud ${FIXTURE_CLOUD} is not allowed: use one of ${CLOUD_VALUES.join(', ')}$`, 'm'));
    assert.equal(await exists(join(cwd, 'other')), false);
  });
});

describe("update --set cloud with the template's own clouds", () => {
  it("switches a project between the clouds of the template it was made from, and refuses one the template lacks", async () => {
    const cwd = await tempDir('cmlp-template-clouds-');
    const made = cli(['proj', '--template', template, '--trust', '--cloud', 'aws', ...QUICK], { cwd });
    assert.equal(made.code, 0, made.stdout + made.stderr);
    const project = join(cwd, 'proj');
    const script = join(project, `scripts/deploy/${FIXTURE_CLOUD}.sh`);
    assert.equal(await exists(script), false);

    // To the template's own cloud: its deploy script is added, the answer recorded.
    const to = cli(['update', '--trust', 'proj', '--set', `cloud=${FIXTURE_CLOUD}`, '--json'], { cwd });
    assert.equal(to.code, 0, to.stdout + to.stderr);
    assert.deepEqual(JSON.parse(to.stdout).changed, { cloud: { from: 'aws', to: FIXTURE_CLOUD } });
    assert.ok(await exists(script), 'its deploy script');
    assert.equal(JSON.parse(await readFile(join(project, '.create-ml-project.json'), 'utf8')).answers.cloud, FIXTURE_CLOUD);
    assert.equal(await exists(join(project, 'scripts/deploy/aws.sh')), false, "aws's deploy script went");

    // And back: from the template's own cloud to one the bundled template has too.
    const back = cli(['update', '--trust', 'proj', '--set', 'cloud=gcp', '--json'], { cwd });
    assert.equal(back.code, 0, back.stdout + back.stderr);
    assert.deepEqual(JSON.parse(back.stdout).changed, { cloud: { from: FIXTURE_CLOUD, to: 'gcp' } });
    assert.equal(await exists(script), false, 'its deploy script went');
    assert.ok(await exists(join(project, 'scripts/deploy/gcp.sh')));

    // A cloud the template lacks: exit 2, one line naming --set, the value and the template's clouds.
    const before = await readFile(join(project, '.create-ml-project.json'));
    const bad = cli(['update', '--trust', 'proj', '--set', 'cloud=mars'], { cwd });
    assert.equal(bad.code, 2, bad.stdout + bad.stderr);
    assert.match(bad.stderr, new RegExp(`^error: update: --set "cloud=mars" is not allowed: use one of ${TEMPLATE_CLOUDS}$`, 'm'));
    assert.equal(bad.stderr.trimEnd().split('\n').length, 1, bad.stderr);
    assert.deepEqual(await readFile(join(project, '.create-ml-project.json')), before);
  });

  it("a project of the bundled template still gets the bundled clouds only", async () => {
    const cwd = await tempDir('cmlp-template-clouds-');
    assert.equal(cli(['proj', ...QUICK], { cwd }).code, 0);
    const r = cli(['update', 'proj', '--set', `cloud=${FIXTURE_CLOUD}`], { cwd });
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.match(r.stderr, new RegExp(`^error: update: --set "cloud=${FIXTURE_CLOUD}" is not allowed: use one of ${CLOUD_VALUES.join(', ')}$`, 'm'));
  });
});
