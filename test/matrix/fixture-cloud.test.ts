// Adding a cloud touches at most five files, all its own. A test-only cloud (test/fixtures/
// fixture-cloud/) is added to a copy of the template the way docs/architecture.md says: its folder
// in clouds/, its pins in pins.json. The copy must differ from template/ in those files only, and
// render for that cloud a project whose files parse, validate against their schemas and pass
// shellcheck, with the cloud's own values everywhere a cloud shows. (test/e2e/ci-workflows.test.ts
// runs actionlint, zizmor and every workflow check on the same fixture cloud.)
// Run: node --import tsx --test test/matrix/fixture-cloud.test.ts

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Answers } from '../../src/options.js';
import { readTemplateFolder, type TemplatePack } from '../../src/template/pack.js';
import type { RenderedFile } from '../../src/template/render.js';
import { TemplateError } from '../../src/template/manifest.js';
import { kindOf, parseYaml, run, schemaValidator, TOOLS, toolMissing } from '../helpers/file-checks.js';
import { FIXTURE_CLOUD, fixtureCloudChanges, templateWithFixtureCloud } from '../helpers/fixture-cloud.js';
import { render } from '../helpers/render.js';

let template = '';
let pack: TemplatePack;
const projects: { label: string; answers: Partial<Answers>; files: RenderedFile[] }[] = [];

before(async () => {
  template = await templateWithFixtureCloud();
  pack = readTemplateFolder(template);
  // Each runner, each project kind, every OS: every file a cloud can show up in.
  for (const runner of ['batect', 'compose'] as const) {
    for (const [api, training] of [[true, true], [true, false], [false, true]] as const) {
      const answers: Partial<Answers> = { cloud: FIXTURE_CLOUD, runner, api, training, os: ['mac', 'linux', 'windows'] };
      projects.push({ label: `${runner} api=${api} training=${training}`, answers, files: await render(answers, pack) });
    }
  }
});

after(async () => {
  if (template) await rm(join(template, '..'), { recursive: true, force: true });
});

const text = (files: RenderedFile[], path: string) => files.find((f) => f.path === path)?.content.toString('utf8');

describe('a cloud added as its own files', () => {
  test('touches five files of the template, all its own: its folder in clouds/ and pins.json', async () => {
    const changed = await fixtureCloudChanges(template);
    assert.deepEqual(changed.sort(), [
      `clouds/${FIXTURE_CLOUD}/ci-deploy.yml.ejs`,
      `clouds/${FIXTURE_CLOUD}/cloud.json`,
      `clouds/${FIXTURE_CLOUD}/deploy.sh`,
      `clouds/${FIXTURE_CLOUD}/readme.md.ejs`,
      'pins.json',
    ]);
  });

  test('the template offers it after the others, and writes its script only with an API', () => {
    assert.deepEqual(pack.clouds.map((c) => c.name).at(-1), FIXTURE_CLOUD);
    for (const { label, answers, files } of projects) {
      const paths = files.map((f) => f.path);
      assert.ok(!paths.some((p) => p.startsWith('clouds/')), `${label}: the clouds/ folder is never copied`);
      const deploys = answers.api === true;
      assert.equal(paths.includes(`scripts/deploy/${FIXTURE_CLOUD}.sh`), deploys, `${label}: its deploy script`);
      assert.equal(paths.includes('scripts/deploy/deploy-api.sh'), deploys, `${label}: deploy-api.sh`);
      if (deploys) {
        assert.equal(files.find((f) => f.path === `scripts/deploy/${FIXTURE_CLOUD}.sh`)?.mode, 0o755);
        assert.match(text(files, 'scripts/deploy/deploy-api.sh') ?? '', new RegExp(`for cloud in .*\\b${FIXTURE_CLOUD}\\b.*; do`));
      }
    }
  });

  test('its record fills the README, the workflow and the runner files', () => {
    const record = pack.clouds.find((c) => c.name === FIXTURE_CLOUD)!;
    const image = (pack.pins.cloud as Record<string, string>)[record.ci.cliImagePin];
    for (const { label, answers, files } of projects) {
      const readme = text(files, 'README.md') ?? '';
      // Without an API nothing is deployed (the fixture cloud has no training job either).
      const published = answers.api ? `${record.label} (${record.service.name})` : 'GitHub Container Registry (no deploy)';
      assert.ok(readme.includes(`| Image published to | ${published} |`), `${label}: README summary`);
      assert.ok(readme.includes(`### ${record.label}: ${answers.api ? record.service.name : ''}`), `${label}: the cloud's README section`);
      if (!answers.api) continue;
      const ci = text(files, '.github/workflows/ci.yml') ?? '';
      assert.ok(ci.includes(`name: Deploy to staging (${record.service.name})`), `${label}: deploy job`);
      assert.ok(ci.includes(`CLOUD_CLI_IMAGE: ${image}`), `${label}: CLI image pin`);
      for (const v of record.variables.required) assert.ok(ci.includes(`${v}: \${{ vars.${v} }}`), `${label}: ${v}`);
      const runnerFile = text(files, answers.runner === 'batect' ? 'batect.yml' : 'compose.yaml') ?? '';
      assert.ok(runnerFile.includes(`image: ${image}`), `${label}: deploy container image`);
      assert.ok(runnerFile.includes(record.laptop.loginFolder), `${label}: login folder mounted`);
      for (const v of Object.keys(record.laptop.variables)) assert.ok(runnerFile.includes(`${v}:`), `${label}: ${v} passed to the deploy task`);
    }
  });

  test('every file parses, YAML validates against its schema, and no value is missing', () => {
    const schemas = { 'batect.yml': schemaValidator('batect-configSchema.json'), '.github/workflows/ci.yml': schemaValidator('github-workflow.json') };
    const problems: string[] = [];
    for (const { label, files } of projects) {
      for (const file of files) {
        const content = file.content.toString('utf8');
        if (/\bundefined\b|\[object Object\]/.test(content) && !file.path.endsWith('.lock')) problems.push(`${label}: ${file.path} prints undefined or an object`);
        const kind = kindOf(file.path, file.content);
        try {
          if (kind === 'yaml') {
            const value = parseYaml(content);
            const validate = schemas[file.path as keyof typeof schemas];
            if (validate) problems.push(...validate(value).map((p) => `${label}: ${file.path} ${p}`));
          }
          if (kind === 'json') JSON.parse(content);
        } catch (error) {
          problems.push(`${label}: ${file.path}: ${(error as Error).message}`);
        }
      }
    }
    assert.deepEqual(problems, []);
  });

  test('its shell scripts pass shellcheck with the rest of the project', (t) => {
    if (toolMissing(TOOLS.shellcheck)) return t.skip('shellcheck missing: run .ci/tools.d/10-lint-tools.sh');
    const { files } = projects.find((p) => p.answers.api)!;
    const dir = mkdtempSync(join(tmpdir(), 'fixture-cloud-sh-'));
    try {
      const scripts = files.filter((f) => f.path.startsWith('scripts/') && f.path.endsWith('.sh'));
      for (const f of scripts) {
        mkdirSync(join(dir, f.path, '..'), { recursive: true });
        writeFileSync(join(dir, f.path), f.content);
      }
      const r = run(TOOLS.shellcheck, ['-x', '--source-path=SCRIPTDIR', '-f', 'gcc', ...scripts.map((f) => f.path)], { cwd: dir });
      assert.equal(r.stdout, '', r.stdout);
      assert.equal(r.status, 0, r.stderr);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a cloud the template has no record for is refused when rendering, naming the clouds it has', async () => {
    await assert.rejects(render({ cloud: 'mars' }, pack), (error: unknown) => {
      assert.ok(error instanceof TemplateError);
      assert.match(error.message, new RegExp(`cannot deploy to mars: it has no clouds/mars/cloud\\.json \\(its clouds: ${pack.clouds.map((c) => c.name).join(', ')}\\)`));
      return true;
    });
  });
});
