// One record per cloud (template/clouds/<name>/cloud.json): the --cloud values, --help and the
// answers schema come from the records, a record is checked before anything renders, and its
// rules decide which of its files a project gets.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { answersSchema } from '../../src/answers-file.js';
import { helpText } from '../../src/help.js';
import { howRun } from '../../src/invocation.js';
import { CLOUD_VALUES, defaultAnswers, optionByKey, type ChoiceOption } from '../../src/options.js';
import { CLOUD_NAME, cloudRules, parseCloudRecords } from '../../src/template/clouds.js';
import { TemplateError, targetOf, type TemplateManifest } from '../../src/template/manifest.js';
import { CLOUDS } from '../helpers/clouds.js';
import { render, TEMPLATE_DIR } from '../helpers/render.js';

const plain = { bold: (s: string) => s, dim: (s: string) => s } as never;

describe('cloud records', () => {
  it('each folder of template/clouds is one record, named after its folder', () => {
    const folders = readdirSync(join(TEMPLATE_DIR, 'clouds')).sort();
    assert.deepEqual(CLOUDS.map((c) => c.name).sort(), folders);
    assert.ok(CLOUDS.length > 0);
  });

  it('--cloud offers "none" and then every record, in the records\' order, with their labels', () => {
    const byOrder = [...CLOUDS].sort((a, b) => a.order - b.order);
    assert.deepEqual(CLOUD_VALUES, ['none', ...byOrder.map((c) => c.name)]);
    const option = optionByKey('cloud') as ChoiceOption;
    assert.deepEqual(option.choices.map((c) => c.value), CLOUD_VALUES);
    for (const record of CLOUDS) {
      const choice = option.choices.find((c) => c.value === record.name);
      assert.equal(choice?.label, record.label);
      assert.equal(choice?.hint, `${record.registry.short} + ${record.service.name}`);
    }
  });

  it('--help and the answers schema list the same values', () => {
    const help = helpText('1.0.0', plain, howRun({}, '1.0.0'), 400);
    assert.ok(help.includes(CLOUD_VALUES.join('|')), 'help lists every cloud');
    // The schema lists the bundled clouds for editors, and allows any record name a --template may add.
    type CloudSchema = { properties: { answers: { properties: { cloud: { anyOf: [{ enum: string[] }, { pattern: string }] } } } } };
    const schema = answersSchema() as CloudSchema;
    assert.deepEqual(schema.properties.answers.properties.cloud.anyOf[0].enum, CLOUD_VALUES);
    assert.equal(schema.properties.answers.properties.cloud.anyOf[1].pattern, CLOUD_NAME.source);
    // The committed schema (npm run schema) is what the records make.
    const committed = JSON.parse(readFileSync(new URL('../../schema/answers.schema.json', import.meta.url), 'utf8')) as CloudSchema;
    assert.deepEqual(committed.properties.answers.properties.cloud.anyOf, schema.properties.answers.properties.cloud.anyOf);
  });

  it('every record names a pinned CLI image and a pinned login action', () => {
    const pins = JSON.parse(readFileSync(join(TEMPLATE_DIR, 'pins.json'), 'utf8'));
    for (const record of CLOUDS) {
      assert.match(pins.cloud[record.ci.cliImagePin] ?? '', /^\S+:\S+$/, `${record.name}: pins.json "cloud" ${record.ci.cliImagePin}`);
      assert.match(pins.actions[record.ci.loginAction]?.sha ?? '', /^[0-9a-f]{40}$/, `${record.name}: pins.json "actions" ${record.ci.loginAction}`);
    }
  });
});

describe('parseCloudRecords', () => {
  const good = JSON.parse(readFileSync(join(TEMPLATE_DIR, 'clouds', CLOUDS[0]!.name, 'cloud.json'), 'utf8'));
  const parse = (record: unknown, folder = good.name) =>
    parseCloudRecords([`clouds/${folder}/cloud.json`, 'clouds/README.md', 'other.json'], () => JSON.stringify(record), 'tpl');

  it('reads only clouds/<name>/cloud.json files, sorted by order and then name', () => {
    const records = parseCloudRecords(
      ['clouds/b/cloud.json', 'clouds/a/cloud.json', 'clouds/c/cloud.json', 'clouds/c/deploy.sh'],
      (path) => JSON.stringify({ ...good, name: path.split('/')[1], order: path.includes('/c/') ? 0 : 1 }),
      'tpl',
    );
    assert.deepEqual(records.map((r) => r.name), ['c', 'a', 'b']);
  });

  const refusals: [string, unknown, RegExp][] = [
    ['a name that is not its folder', { ...good, name: 'other' }, /"name" must be its folder's name/],
    ['a label that would break YAML', { ...good, label: 'AWS"\nx: 1' }, /"label" must be one short line of plain text/],
    ['a variable that is not a variable name', { ...good, variables: { ...good.variables, required: ['AWS REGION'] } }, /"variables\.required" must be a list of variable names/],
    ['limits that cannot hold', { ...good, service: { ...good.service, nameLength: { min: 9, max: 3 } } }, /"service\.nameLength"/],
    ['a login folder outside $HOME', { ...good, laptop: { ...good.laptop, loginFolder: '../.ssh' } }, /"laptop\.loginFolder"/],
    ['a rule that names a cloud', { ...good, files: [{ path: 'x', when: { cloud: 'gcp' } }] }, /"files\[\]\.when\.cloud" must be left out/],
    ['a data CLI that is not a command name', { ...good, data: { ...good.data, cli: 'aws; rm -rf ~' } }, /"data\.cli" must be the name of a command/],
    ['a data URL scheme without "://"', { ...good, data: { ...good.data, scheme: 's3' } }, /"data\.scheme" must be a URL scheme/],
    ['a data variable that is not a variable name', { ...good, data: { ...good.data, variables: ['bucket'] } }, /"data\.variables" must be a list of variable names/],
    ['a training job without a data store', { ...good, data: undefined, training: { platform: 'SageMaker', job: 'training job', variables: [] } }, /"training" must be left out, or given with "data"/],
    ['a training platform that would break YAML', { ...good, training: { platform: 'a: "b"', job: 'training job', variables: [] } }, /"training\.platform" must be one short line/],
    ['no object', [1, 2], /must be one JSON object/],
  ];
  for (const [what, record, message] of refusals) {
    it(`refuses ${what}, naming the file`, () => {
      assert.throws(() => parse(record), (error: unknown) => error instanceof TemplateError && /^tpl\/clouds\/\S+\/cloud\.json: /.test(error.message) && message.test(error.message));
    });
  }

  it('takes a record without a data store (scripts/data.sh then offers a folder only)', () => {
    // Without its training job too: a job reads the data from that store.
    const { data: _store, training: _job, ...withoutData } = good;
    assert.equal(parse(withoutData)[0]!.data, undefined);
  });

  it('refuses "none", which is the absence of a cloud', () => {
    assert.throws(() => parse({ ...good, name: 'none' }, 'none'), /not "none"/);
  });

  it('refuses a record that is not JSON', () => {
    assert.throws(() => parseCloudRecords(['clouds/x/cloud.json'], () => '{', 'tpl'), /tpl\/clouds\/x\/cloud\.json is not valid JSON/);
  });
});

describe('the rules records add', () => {
  const record = (name: string) => ({ ...CLOUDS[0]!, name, files: [{ path: `clouds/${name}/deploy.sh`, to: `scripts/deploy/${name}.sh`, when: { api: true } }] });
  const manifest: TemplateManifest = {
    name: 't',
    version: '1',
    files: [{ path: 'shared.sh', when: { api: true }, unless: { cloud: 'none' } }, ...cloudRules([record('one'), record('two')])],
  };
  const answers = (cloud: string, api = true) => ({ ...defaultAnswers('demo'), cloud, api });

  it('a record\'s files go to a project of that cloud only', () => {
    assert.equal(targetOf(manifest, 'clouds/one/deploy.sh', answers('one')), 'scripts/deploy/one.sh');
    assert.equal(targetOf(manifest, 'clouds/one/deploy.sh', answers('two')), undefined);
    assert.equal(targetOf(manifest, 'clouds/one/deploy.sh', answers('one', false)), undefined);
  });

  it('anything else in clouds/ (the record, the partials) is never copied', () => {
    for (const path of ['clouds/one/cloud.json', 'clouds/one/readme.md.ejs']) assert.equal(targetOf(manifest, path, answers('one')), undefined);
  });

  it('"unless" drops a file when its answers match', () => {
    assert.equal(targetOf(manifest, 'shared.sh', answers('one')), 'shared.sh');
    assert.equal(targetOf(manifest, 'shared.sh', answers('none')), undefined);
    assert.equal(targetOf(manifest, 'shared.sh', answers('two', false)), undefined);
  });
});

describe("a record's words in the project", () => {
  it('read right where a sentence puts them: no "a Amazon …" or "a Azure …"', async () => {
    for (const { name } of CLOUDS) {
      for (const runner of ['batect', 'compose'] as const) {
        const files = await render({ cloud: name, runner });
        for (const path of ['README.md', 'batect.yml', 'tasks']) {
          const text = files.find((f) => f.path === path)?.content.toString('utf8') ?? '';
          assert.doesNotMatch(text, /\ba [AEIO][a-z]/, `${name}, ${runner}: ${path}`);
        }
      }
    }
  });
});
