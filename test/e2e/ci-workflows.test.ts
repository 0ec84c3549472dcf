// The generated repository's GitHub automation, checked with the real tools for every cloud ×
// (api, training) × automerge combination (9 projects per cloud and for "none"). The clouds come
// from the template's records (template/clouds/<name>/cloud.json), plus a test-only fixture cloud
// injected into a copy of the template the way a cloud is added (test/helpers/fixture-cloud.ts),
// so every check below also proves that a new cloud needs nothing but its own files:
//   - actionlint (with shellcheck on every `run:` block) and zizmor (offline, pedantic persona)
//     report nothing; the linters run once over all rendered projects to keep this file fast;
//   - every workflow validates against SchemaStore's github-workflow.json and dependabot.yml
//     against dependabot-2.0.json;
//   - assertions on the parsed YAML: SHA-pinned actions, least-privilege permissions, gated
//     auto-merge, deploy jobs only where they belong, timeouts, credential-less checkouts, and
//     `run:` steps that call scripts present in the project or tools named in the step.
// Tools come from .ci/tools.d/40-ci-lint-tools.sh (installed into .tools/, run here if missing).
// Run: node --import tsx --test test/e2e/ci-workflows.test.ts

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { parseDocument } from 'yaml';
import type { Answers } from '../../src/options.js';
import type { CloudRecord } from '../../src/template/clouds.js';
import { readTemplateFolder, type TemplatePack } from '../../src/template/pack.js';
import { CLOUDS } from '../helpers/clouds.js';
import { readSchema, varsIn } from '../helpers/file-checks.js';
import { FIXTURE_CLOUD, templateWithFixtureCloud } from '../helpers/fixture-cloud.js';
import { renderTo, TEMPLATE_DIR } from '../helpers/render.js';

const run = promisify(execFile);
// ajv-formats is CommonJS: under NodeNext its default export arrives wrapped.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv) => Ajv;
const REPO = fileURLToPath(new URL('../..', import.meta.url));
const TOOLS = join(REPO, '.tools', 'bin');
type Pins = Record<string, unknown> & {
  actions: Record<string, { sha: string; version: string }>;
  tools: { trivy: { version: string; linuxAmd64Sha256: string }; pipAudit: string; hadolint: string };
  cloud: Record<string, string>;
};
const PINS = JSON.parse(readFileSync(join(REPO, 'template', 'pins.json'), 'utf8')) as Pins;

type Cloud = Answers['cloud'];
type Automerge = Answers['automerge'];
interface Combo {
  id: string;
  dir: string;
  answers: Partial<Answers>;
  cloud: Cloud;
  api: boolean;
  training: boolean;
  automerge: Automerge;
  pm: Answers['packageManager'];
  /** Training runs logged to MLflow and registered (--tracking mlflow with training). */
  tracks: boolean;
  /** The chosen cloud's record; none has none. */
  record: CloudRecord | undefined;
  /** The template it was rendered from, its records and its pins. */
  templateDir: string;
  records: readonly CloudRecord[];
  pins: Pins;
}
const KINDS = [
  { api: true, training: true },
  { api: true, training: false },
  { api: false, training: true },
];
const AUTOMERGE: Automerge[] = ['patch', 'minor', 'off'];
const PYTHONS: Answers['python'][] = ['3.12', '3.13', '3.14'];

// The only permissions each job may hold, exactly (job id -> permissions).
const ALLOWED_PERMISSIONS: Record<string, Record<string, string>> = {
  lint: { contents: 'read' },
  test: { contents: 'read' },
  train: { contents: 'read' },
  build: { contents: 'read' },
  scan: { contents: 'read' },
  publish: { packages: 'write' },
  'deploy-staging': { contents: 'read', 'id-token': 'write' },
  'deploy-production': { contents: 'read', 'id-token': 'write' },
  automerge: { contents: 'write', 'pull-requests': 'write' },
  'infra-check': { contents: 'read' },
  'infra-plan': { contents: 'read', 'id-token': 'write' },
  'infra-apply': { contents: 'read', 'id-token': 'write' },
  'train-in-cloud': { contents: 'read', 'id-token': 'write' },
};

// Commands a `run:` step may start with besides the project's own scripts: shell built-ins and
// keywords, and tools either preinstalled on the runner (docker, git, gh, curl, tar, shellcheck,
// python from setup-python) or installed by the same step into $RUNNER_TEMP (hadolint, pip-audit,
// trivy, and the pip of the venv that installs them).
const ALLOWED_COMMANDS = new Set([
  'echo', 'printf', 'exit', 'for', 'do', 'done', 'if', 'then', 'else', 'fi', 'case', 'esac', '}',
  'docker', 'git', 'gh', 'curl', 'tar', 'sha256sum', 'mkdir', 'cp', 'python',
  'pip', 'hadolint', 'pip-audit', 'trivy', 'aws_cli', 'terraform', 'checkov', 'cat', 'rm',
]);

let root = '';
let fixtureTemplate = '';
const combos: Combo[] = [];
const workflowFiles: string[] = [];
/** Every cloud record the combinations use: the template's and the fixture cloud's. */
let allRecords: CloudRecord[] = [];

/** The pins of the template a workflow file was rendered from. */
function pinsOf(file: string): Pins {
  const combo = combos.find((c) => file.startsWith(`${c.dir}/`));
  assert.ok(combo, `${file} belongs to no combination`);
  return combo.pins;
}

function parseYaml(file: string): any {
  const doc = parseDocument(readFileSync(file, 'utf8'), { uniqueKeys: true });
  assert.deepEqual(doc.errors.map((e) => e.message), [], `${file} is not valid YAML`);
  return doc.toJS();
}

/** Every workflow the project has (ci.yml always; the others by answers). */
function workflowsOf(c: Combo): string[] {
  const dir = join(c.dir, '.github/workflows');
  return readdirSync(dir).filter((f) => f.endsWith('.yml')).sort().map((f) => join(dir, f));
}

function allSteps(wf: any): { job: string; step: any }[] {
  return Object.entries<any>(wf.jobs).flatMap(([job, j]) => (j.steps ?? []).map((step: any) => ({ job, step })));
}

/** First word of each command line in a `run:` script (continuations joined, comments dropped). */
function commandWords(script: string): string[] {
  const lines = script.replace(/\\\n/g, ' ').split('\n').map((l) => l.trim());
  const words: string[] = [];
  for (const line of lines) {
    if (!line || line.startsWith('#')) continue;
    if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(line)) continue; // assignment (may hold $(...) checked below)
    if (/^[^\s()]*\)\s/.test(line) || /^\*\)/.test(line) || line === ';;') continue; // case pattern
    if (/^[A-Za-z_][A-Za-z0-9_]*\(\)\s*\{$/.test(line)) continue; // function definition
    let word = line.split(/\s+/)[0]!.replace(/^"|"$/g, '');
    if (word.includes('/') && !word.startsWith('scripts/')) word = word.split('/').pop()!;
    words.push(word);
  }
  // Commands inside $(...) in assignments: their first word too.
  for (const m of script.matchAll(/\$\(\s*([^\s)]+)/g)) {
    let word = m[1]!.replace(/^"|"$/g, '');
    if (word.includes('/') && !word.startsWith('scripts/')) word = word.split('/').pop()!;
    words.push(word);
  }
  return words;
}

before(async () => {
  if (!existsSync(join(TOOLS, 'actionlint')) || !existsSync(join(TOOLS, 'zizmor'))) {
    await run('bash', [join(REPO, '.ci/tools.d/40-ci-lint-tools.sh')], { maxBuffer: 1 << 24 });
  }
  root = await mkdtemp(join(tmpdir(), 'ci-workflows-'));
  fixtureTemplate = await templateWithFixtureCloud();
  const fixture = readTemplateFolder(fixtureTemplate);
  allRecords = [...CLOUDS, ...fixture.clouds.filter((r) => r.name === FIXTURE_CLOUD)];
  // The bundled template with "none" and each of its clouds; the copy with the fixture cloud only
  // (its other clouds render as the bundled template's do).
  const sources: { clouds: Cloud[]; pack?: TemplatePack; templateDir: string; records: readonly CloudRecord[]; pins: Pins }[] = [
    { clouds: ['none', ...CLOUDS.map((r) => r.name)], templateDir: TEMPLATE_DIR, records: CLOUDS, pins: PINS },
    { clouds: [FIXTURE_CLOUD], pack: fixture, templateDir: fixtureTemplate, records: fixture.clouds, pins: fixture.pins as Pins },
  ];
  let i = 0;
  const packs = new Map<Combo, TemplatePack | undefined>();
  for (const source of sources) {
    for (const cloud of source.clouds) {
      for (const kind of KINDS) {
        for (const automerge of AUTOMERGE) {
          // Package manager and Python vary too, so both lock files and all versions are covered.
          const pm: Answers['packageManager'] = i % 2 ? 'uv' : 'poetry';
          const python = PYTHONS[i % PYTHONS.length]!;
          // MLflow tracking with every automerge level but off, so each cloud and kind has both.
          const tracking: Answers['tracking'] = automerge === 'off' ? 'none' : 'mlflow';
          const id = `${cloud}-${kind.api ? 'api' : 'noapi'}-${kind.training ? 'train' : 'notrain'}-${automerge}`;
          const dir = join(root, id);
          const answers: Partial<Answers> = { name: 'demo-project', cloud, ...kind, automerge, packageManager: pm, python, tracking };
          const record = source.records.find((r) => r.name === cloud);
          const tracks = kind.training && tracking === 'mlflow';
          const combo: Combo = { id, dir, answers, cloud, ...kind, automerge, pm, tracks, record, templateDir: source.templateDir, records: source.records, pins: source.pins };
          combos.push(combo);
          packs.set(combo, source.pack);
          i++;
        }
      }
    }
  }
  for (const c of combos) {
    await renderTo(c.dir, c.answers, packs.get(c));
    workflowFiles.push(...workflowsOf(c));
  }
});

after(async () => {
  if (root) await rm(root, { recursive: true, force: true });
  if (fixtureTemplate) await rm(join(fixtureTemplate, '..'), { recursive: true, force: true });
});

describe('generated GitHub automation (every cloud of the template, and a fixture cloud)', () => {
  it('renders the workflows and configs each combination needs', () => {
    // 9 per cloud: "none", each record, and the fixture cloud.
    assert.equal(combos.length, 9 * (CLOUDS.length + 2));
    for (const c of combos) {
      assert.ok(existsSync(join(c.dir, '.github/workflows/ci.yml')), `${c.id}: ci.yml`);
      assert.ok(existsSync(join(c.dir, '.github/dependabot.yml')), `${c.id}: dependabot.yml`);
      assert.equal(
        existsSync(join(c.dir, '.github/workflows/dependabot-automerge.yml')),
        c.automerge !== 'off',
        `${c.id}: dependabot-automerge.yml exactly when automerge is on`,
      );
      assert.ok(existsSync(join(c.dir, 'scripts/configure-github.sh')), `${c.id}: configure-github.sh`);
      // A cloud whose folder has infra/ gives a deployed API or a cloud training job (a record
      // with an ML platform) its Terraform and infra.yml.
      const record = allRecords.find((r) => r.name === c.cloud);
      const infra = !!record && (c.api || (c.training && record.training !== undefined)) && record.files.some((f) => f.to === 'infra/');
      assert.equal(existsSync(join(c.dir, '.github/workflows/infra.yml')), infra, `${c.id}: infra.yml`);
      assert.equal(existsSync(join(c.dir, 'infra/main.tf')), infra, `${c.id}: infra/`);
      const deployScripts = ['deploy-api', ...allRecords.map((r) => r.name)].filter((s) => existsSync(join(c.dir, `scripts/deploy/${s}.sh`)));
      // Only a project with an API deploys a service; a training-only one publishes its image.
      assert.deepEqual(deployScripts, c.cloud === 'none' || !c.api ? [] : ['deploy-api', c.cloud], `${c.id}: deploy scripts`);
    }
  });

  it('actionlint (with shellcheck on run: blocks) finds nothing', async () => {
    const { stdout } = await run(join(TOOLS, 'actionlint'), ['-no-color', '-format', '{{json .}}', ...workflowFiles], {
      maxBuffer: 1 << 26,
    }).catch((e) => e);
    const errors = JSON.parse(stdout || '[]') as { filepath: string; line: number; message: string }[];
    assert.deepEqual(errors.map((e) => `${e.filepath}:${e.line}: ${e.message}`), []);
  });

  it('zizmor (offline, pedantic) finds nothing in workflows and dependabot.yml', async () => {
    const result = await run(
      join(TOOLS, 'zizmor'),
      ['--offline', '--no-config', '--persona', 'pedantic', '--format', 'json', '--collect', 'all', '--strict-collection', ...combos.map((c) => c.dir)],
      { maxBuffer: 1 << 26 },
    ).catch((e) => e);
    const findings = JSON.parse(result.stdout || 'null') as { ident: string; desc: string; locations: any[] }[] | null;
    assert.ok(Array.isArray(findings), `zizmor did not produce a JSON report: ${result.stderr}`);
    assert.deepEqual(
      findings.map((f) => `${f.ident}: ${f.desc} @ ${f.locations?.[0]?.symbolic?.key?.Local?.given_path ?? '?'}`),
      [],
    );
    // It did look at every file: its log names each input it audited.
    for (const file of workflowFiles) assert.match(result.stderr, new RegExp(`completed .*${file.split('/').slice(-4).join('/')}`));
  });

  it('workflows and dependabot.yml validate against the SchemaStore schemas', () => {
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    const workflowSchema = ajv.compile(readSchema('github-workflow.json'));
    const dependabotSchema = ajv.compile(readSchema('dependabot-2.0.json'));
    const problems: string[] = [];
    for (const file of workflowFiles) {
      if (!workflowSchema(parseYaml(file))) problems.push(`${file}: ${ajv.errorsText(workflowSchema.errors)}`);
    }
    for (const c of combos) {
      const file = join(c.dir, '.github/dependabot.yml');
      if (!dependabotSchema(parseYaml(file))) problems.push(`${file}: ${ajv.errorsText(dependabotSchema.errors)}`);
    }
    assert.deepEqual(problems, []);
  });

  it('every action is pinned to a full commit SHA from pins.json, with its version in a comment', () => {
    for (const file of workflowFiles) {
      const wf = parseYaml(file);
      const text = readFileSync(file, 'utf8');
      for (const { job, step } of allSteps(wf)) {
        if (!step.uses) continue;
        const [action, ref] = String(step.uses).split('@');
        assert.match(ref ?? '', /^[0-9a-f]{40}$/, `${file} ${job}: ${step.uses} is not pinned to a commit SHA`);
        const pin = pinsOf(file).actions[action!];
        assert.ok(pin, `${file}: ${action} is not in pins.json "actions"`);
        assert.equal(ref, pin.sha, `${file}: ${action} SHA differs from pins.json`);
        assert.ok(text.includes(`uses: ${step.uses} # ${pin.version}`), `${file}: ${action} lacks its "# ${pin.version}" comment`);
      }
      for (const [job, j] of Object.entries<any>(wf.jobs)) assert.equal(j.uses, undefined, `${file} ${job}: reusable workflow call`);
    }
  });

  it('token permissions: none at the top, an exact allow-list per job', () => {
    for (const file of workflowFiles) {
      const wf = parseYaml(file);
      assert.deepEqual(wf.permissions, {}, `${file}: top-level permissions must be {}`);
      for (const [job, j] of Object.entries<any>(wf.jobs)) {
        assert.ok(ALLOWED_PERMISSIONS[job], `${file}: job ${job} has no permission allow-list in this test`);
        assert.deepEqual(j.permissions, ALLOWED_PERMISSIONS[job], `${file}: job ${job} permissions`);
      }
    }
  });

  it('every job has a timeout and every checkout drops its credentials', () => {
    for (const file of workflowFiles) {
      const wf = parseYaml(file);
      for (const [job, j] of Object.entries<any>(wf.jobs)) {
        assert.ok(Number.isInteger(j['timeout-minutes']) && j['timeout-minutes'] > 0, `${file}: job ${job} has no timeout-minutes`);
      }
      for (const { job, step } of allSteps(wf)) {
        if (String(step.uses ?? '').startsWith('actions/checkout@')) {
          assert.equal(step.with?.['persist-credentials'], false, `${file}: checkout in ${job} keeps credentials`);
        }
      }
    }
  });

  it('ci.yml: triggers, concurrency, job graph, caching, scanners and publishing', () => {
    for (const c of combos) {
      const wf = parseYaml(join(c.dir, '.github/workflows/ci.yml'));
      assert.deepEqual(Object.keys(wf.on).sort(), ['pull_request', 'push', 'workflow_dispatch']);
      assert.deepEqual(wf.on.push.branches, ['main']);
      assert.match(String(wf.concurrency['cancel-in-progress']), /github\.ref != 'refs\/heads\/main'/);
      const jobs = Object.keys(wf.jobs);
      const deploys = c.api && c.cloud !== 'none';
      const expected = ['lint', 'test', ...(c.training ? ['train'] : []), 'build', 'scan', 'publish', ...(deploys ? ['deploy-staging', 'deploy-production'] : [])];
      assert.deepEqual(jobs, expected, `${c.id}: jobs`);
      assert.equal(wf.jobs.test.needs, 'lint');
      assert.deepEqual([wf.jobs.build.needs].flat(), c.api && c.training ? ['test', 'train'] : ['test']);
      assert.equal(wf.jobs.scan.needs, 'build');
      assert.equal(wf.jobs.publish.needs, 'scan');
      for (const job of ['publish', 'deploy-staging', 'deploy-production'].filter((j) => wf.jobs[j])) {
        assert.match(wf.jobs[job].if, /github\.ref == 'refs\/heads\/main'/, `${c.id}: ${job} runs on main only`);
        assert.match(wf.jobs[job].if, /github\.event_name != 'pull_request'/, `${c.id}: ${job} never on PRs`);
      }
      for (const job of ['lint', 'test', 'build', 'scan']) assert.equal(wf.jobs[job].if, undefined, `${c.id}: ${job} runs always`);

      // Dependency cache keyed on the lock file of the package manager in use.
      const lock = c.pm === 'poetry' ? 'poetry.lock' : 'uv.lock';
      const caches = allSteps(wf).filter(({ step }) => String(step.uses ?? '').startsWith('actions/cache@'));
      assert.ok(caches.length >= 2, `${c.id}: dependency caching`);
      for (const { step } of caches) assert.ok(String(step.with.key).includes(`hashFiles('${lock}')`), `${c.id}: cache key on ${lock}`);

      // Train job and its artifacts.
      if (c.training) {
        const upload = wf.jobs.train.steps.find((s: any) => String(s.uses ?? '').startsWith('actions/upload-artifact@'));
        // The fitted pipeline, and with an API its ONNX export: the file the build job's image serves.
        const served = c.api ? ['artifacts/model.onnx', 'artifacts/model.onnx.sha256'] : [];
        const tracked = c.tracks ? ['artifacts/tracking.json'] : [];
        assert.deepEqual(upload.with.path.trim().split('\n'), ['artifacts/model.skops', 'artifacts/model.skops.sha256', ...served, 'artifacts/metrics.json', ...tracked]);
        assert.equal(upload.with['if-no-files-found'], 'error');
        // The model that passed the gate is registered on main only, and only with a server.
        const names = wf.jobs.train.steps.map((s: any) => String(s.name));
        const register = wf.jobs.train.steps.find((s: any) => String(s.run ?? '').includes('scripts/register-model.sh'));
        assert.equal(register !== undefined, c.tracks, `${c.id}: registry step exactly with tracking`);
        if (register) {
          assert.ok(names.indexOf(register.name) > names.findIndex((n: string) => n.startsWith('Check the model')), `${c.id}: registered after the gate`);
          assert.match(register.if, /github\.ref == 'refs\/heads\/main'/);
          assert.equal(register.env.MLFLOW_TRACKING_URI, '${{ vars.MLFLOW_TRACKING_URI }}');
          assert.match(register.run, /if \[ -z "\$MLFLOW_TRACKING_URI" \]; then[\s\S]*rm artifacts\/tracking\.json[\s\S]*::notice::Registration skipped: no MLFLOW_TRACKING_URI[\s\S]*exit 0\n\s*fi\n\s*scripts\/register-model\.sh --alias staging/);
          const train = wf.jobs.train.steps.find((s: any) => String(s.run ?? '') === 'scripts/train-model.sh');
          assert.match(train.env.MLFLOW_TRACKING_URI, /github\.event_name != 'pull_request' && github\.ref == 'refs\/heads\/main' && vars\.MLFLOW_TRACKING_URI/);
        }
      }
      assert.ok(!/mlflow/i.test(JSON.stringify(wf)) || c.tracks, `${c.id}: MLflow only with tracking`);
      const buildRuns = wf.jobs.build.steps.map((s: any) => s.run ?? '').join('\n');
      assert.match(buildRuns, /docker build --target prod/);
      if (c.api && !c.training) {
        const fetch = wf.jobs.build.steps.find((s: any) => String(s.run ?? '').includes('scripts/fetch-model.sh'));
        assert.deepEqual(fetch.env, { MODEL_URL: '${{ vars.MODEL_URL }}', MODEL_SHA256: '${{ vars.MODEL_SHA256 }}' });
      }

      // Scan: Trivy binary pinned by version and checksum, failing on HIGH/CRITICAL; pip-audit pinned.
      const scan = wf.jobs.scan;
      assert.equal(scan.env.TRIVY_VERSION, PINS.tools.trivy.version);
      assert.equal(scan.env.TRIVY_SHA256, PINS.tools.trivy.linuxAmd64Sha256);
      const scanRuns = scan.steps.map((s: any) => s.run ?? '').join('\n');
      assert.match(scanRuns, /sha256sum --check/);
      assert.match(scanRuns, /--severity HIGH,CRITICAL/);
      assert.match(scanRuns, /--exit-code 1/);
      assert.ok(scanRuns.includes(`pip-audit==${PINS.tools.pipAudit}`));
      assert.ok(!allSteps(wf).some(({ step }) => String(step.uses ?? '').includes('trivy-action')), 'no trivy-action');

      // Publish: immutable commit-SHA tag on GHCR.
      const publishRuns = wf.jobs.publish.steps.map((s: any) => s.run ?? '').join('\n');
      assert.match(publishRuns, /ghcr\.io\/.*:\$GITHUB_SHA"/);
    }
  });

  it('deploy jobs exist exactly for the chosen cloud, with OIDC login, variable checks and smoke tests', () => {
    for (const c of combos) {
      const wf = parseYaml(join(c.dir, '.github/workflows/ci.yml'));
      const uses = allSteps(wf).map(({ step }) => String(step.uses ?? '').split('@')[0]);
      const deploys = c.api && c.cloud !== 'none';
      for (const record of allRecords) {
        const action = record.ci.loginAction;
        assert.equal(uses.includes(action), deploys && c.cloud === record.name, `${c.id}: ${action}`);
      }
      const idTokenJobs = Object.entries<any>(wf.jobs).filter(([, j]) => j.permissions?.['id-token']).map(([id]) => id);
      assert.deepEqual(idTokenJobs, deploys ? ['deploy-staging', 'deploy-production'] : [], `${c.id}: id-token only on deploy jobs`);
      if (!deploys) continue;
      assert.equal(wf.jobs['deploy-staging'].environment.name, 'staging');
      assert.equal(wf.jobs['deploy-production'].environment.name, 'production');
      assert.equal(wf.jobs['deploy-staging'].needs, 'publish');
      assert.equal(wf.jobs['deploy-production'].needs, 'deploy-staging');
      for (const job of ['deploy-staging', 'deploy-production']) {
        const j = wf.jobs[job];
        assert.equal(j.concurrency['cancel-in-progress'], false);
        const record = c.record!;
        assert.ok(c.pins.cloud[record.ci.cliImagePin], `${c.id}: pins.json "cloud" has no ${record.ci.cliImagePin}`);
        assert.equal(j.env.CLOUD_CLI_IMAGE, c.pins.cloud[record.ci.cliImagePin]);
        // First step: the variable check, naming each variable the cloud needs (not the optional ones).
        const check = j.steps[0];
        assert.equal(check.name, `Check the ${record.label} variables`);
        for (const v of [...record.variables.required, ...record.variables.optional]) assert.equal(j.env[v], `\${{ vars.${v} }}`, `${c.id} ${job}: env ${v}`);
        const checked = check.run.match(/for var in (.*); do/)?.[1]?.split(' ');
        assert.deepEqual(checked, record.variables.required, `${c.id} ${job}: the variables checked`);
        assert.match(check.run, /::error title=Missing repository variable::\$var is not set/);
        const runs = j.steps.map((s: any) => s.run ?? '').join('\n');
        assert.match(runs, /scripts\/deploy\/deploy-api\.sh/);
        const smoke = j.steps.find((s: any) => s.run === 'scripts/tests/post-deployment-test.sh');
        assert.equal(smoke.env.API_URL, '${{ steps.deploy.outputs.url }}');
        // The approved production deployment, once its test passed, promotes the model it serves.
        const promote = j.steps.findIndex((s: any) => String(s.run ?? '').includes('scripts/register-model.sh --promote production'));
        assert.equal(promote !== -1, job === 'deploy-production' && c.tracks, `${c.id} ${job}: promotion step`);
        if (promote !== -1) assert.ok(promote > j.steps.indexOf(smoke), `${c.id}: promoted after the post-deployment test`);
      }
    }
  });

  it('dependabot-automerge.yml: Dependabot-authored PRs only, gated on the chosen semver level', () => {
    for (const c of combos.filter((x) => x.automerge !== 'off')) {
      const wf = parseYaml(join(c.dir, '.github/workflows/dependabot-automerge.yml'));
      assert.deepEqual(Object.keys(wf.on), ['pull_request'], `${c.id}: trigger`);
      const job = wf.jobs.automerge;
      assert.equal(job.if, "github.event.pull_request.user.login == 'dependabot[bot]'");
      const meta = job.steps.find((s: any) => String(s.uses ?? '').startsWith('dependabot/fetch-metadata@'));
      assert.ok(meta?.id, `${c.id}: fetch-metadata step`);
      const merge = job.steps.find((s: any) => String(s.run ?? '').includes('gh pr merge --auto'));
      const allowed = [...String(merge.if).matchAll(/steps\.(\w+)\.outputs\.update-type == 'version-update:(semver-\w+)'/g)];
      assert.ok(allowed.every((m) => m[1] === meta.id), `${c.id}: condition reads the metadata step`);
      assert.deepEqual(
        allowed.map((m) => m[2]).sort(),
        c.automerge === 'minor' ? ['semver-minor', 'semver-patch'] : ['semver-patch'],
        `${c.id}: update types`,
      );
      assert.doesNotMatch(JSON.stringify(wf), /semver-major|pull_request_target|github\.actor/);
      assert.match(merge.run, /required_status_checks/, `${c.id}: refuses when main has no required checks`);
      assert.equal(merge.env.PR_URL, '${{ github.event.pull_request.html_url }}');
    }
  });

  it('dependabot.yml: the right ecosystems, weekly, cooldown >= 7 days, grouped, no Python minor/major bumps', () => {
    for (const c of combos) {
      const cfg = parseYaml(join(c.dir, '.github/dependabot.yml'));
      const ecosystems = cfg.updates.map((u: any) => u['package-ecosystem']);
      assert.deepEqual(ecosystems, [c.pm === 'poetry' ? 'pip' : 'uv', 'docker', 'github-actions'], `${c.id}`);
      for (const u of cfg.updates) {
        assert.equal(u.schedule.interval, 'weekly');
        assert.ok(u.cooldown['default-days'] >= 7, `${c.id}: ${u['package-ecosystem']} cooldown`);
      }
      for (const u of cfg.updates.filter((x: any) => x['package-ecosystem'] !== 'docker')) {
        const groups = Object.values<any>(u.groups);
        assert.ok(groups.some((g) => [...g['update-types']].sort().join() === 'minor,patch'), `${c.id}: grouped minor/patch`);
      }
      const docker = cfg.updates.find((u: any) => u['package-ecosystem'] === 'docker');
      assert.deepEqual(docker.ignore, [
        { 'dependency-name': 'python', 'update-types': ['version-update:semver-major', 'version-update:semver-minor'] },
      ]);
    }
  });

  it('run: steps call scripts that exist (and are executable) or tools named in the step', () => {
    for (const c of combos) {
      for (const file of workflowsOf(c)) {
        for (const { job, step } of allSteps(parseYaml(file))) {
          if (!step.run) continue;
          for (const m of String(step.run).matchAll(/(?:^|[\s"'(])((?:\.\/)?scripts\/[\w./-]+)/g)) {
            const path = join(c.dir, m[1]!);
            assert.ok(existsSync(path), `${c.id} ${job} "${step.name}": ${m[1]} does not exist in the project`);
            if (m[1]!.endsWith('.sh')) assert.ok(statSync(path).mode & 0o111, `${c.id}: ${m[1]} is not executable`);
          }
          for (const word of commandWords(String(step.run))) {
            assert.ok(
              ALLOWED_COMMANDS.has(word) || word.startsWith('scripts/'),
              `${c.id} ${job} "${step.name}": runs '${word}', neither a project script nor a tool this step names`,
            );
          }
        }
      }
    }
  });

  it('configure-github.sh requires exactly the checks ci.yml reports on pull requests', () => {
    for (const c of combos) {
      const wf = parseYaml(join(c.dir, '.github/workflows/ci.yml'));
      const prJobs = Object.values<any>(wf.jobs).filter((j) => j.if === undefined).map((j) => j.name);
      const script = readFileSync(join(c.dir, 'scripts/configure-github.sh'), 'utf8');
      const line = script.match(/^REQUIRED_CHECKS=\((.*)\)$/m);
      assert.ok(line, `${c.id}: REQUIRED_CHECKS line`);
      const checks = [...line[1]!.matchAll(/'([^']*)'/g)].map((m) => m[1]);
      assert.deepEqual(checks, prJobs, `${c.id}: required checks = PR job names`);
      assert.ok(statSync(join(c.dir, 'scripts/configure-github.sh')).mode & 0o111);
    }
  });

  it('deploy scripts and configure-github.sh pass shellcheck', async () => {
    // Run from each project's root with -x, so shellcheck follows what the scripts source.
    const outputs = await Promise.all(
      combos.map(async (c) => {
        const files = ['scripts/configure-github.sh', 'scripts/deploy/deploy-api.sh', `scripts/deploy/${c.cloud}.sh`].filter((p) => existsSync(join(c.dir, p)));
        const result = await run('shellcheck', ['-x', '--format', 'gcc', ...files], { cwd: c.dir, maxBuffer: 1 << 24 }).catch((e) => e);
        return result.stdout ? `${c.id}:\n${result.stdout}` : '';
      }),
    );
    assert.equal(outputs.join(''), '');
  });

  it('deploy-api.sh names every missing variable before touching the cloud', async () => {
    for (const record of allRecords) {
      const cloud = record.name;
      const c = combos.find((x) => x.cloud === cloud && x.api)!;
      const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', IMAGE: 'registry.example/demo:abc' };
      const result = await run('bash', [join(c.dir, 'scripts/deploy/deploy-api.sh')], { env }).catch((e) => e);
      assert.equal(result.code, 1, `${cloud}: exit code`);
      // What the cloud's script requires is what its record promises: required in CI, and passed
      // by the laptop's deploy-api task; its service name limits are the record's.
      const script = readFileSync(join(c.dir, `scripts/deploy/${cloud}.sh`), 'utf8');
      const needed = script.match(new RegExp(`^require_vars ${cloud} IMAGE SERVICE_NAME (.*)$`, 'm'))?.[1]?.split(' ') ?? [];
      assert.ok(needed.length > 0, `${cloud}.sh calls require_vars ${cloud} IMAGE SERVICE_NAME …`);
      for (const v of needed) {
        assert.ok(record.variables.required.includes(v), `${cloud}: ${v} is required by ${cloud}.sh but not by the record`);
        assert.ok(v in record.laptop.variables, `${cloud}: ${v} is required by ${cloud}.sh but the laptop task does not pass it`);
      }
      const { min, max } = record.service.nameLength;
      assert.match(script, new RegExp(`^require_name_length ${cloud} "${record.service.name}" ${min} ${max}$`, 'm'));
      assert.match(result.stderr, new RegExp(`deploy-api \\(${cloud}\\): missing variable\\(s\\): ${needed.join(' ')}$`, 'm'));
      // The service name defaults to the project name from pyproject.toml.
      assert.match(result.stderr, /as service 'demo-project'/);
      const noImage = await run('bash', [join(c.dir, 'scripts/deploy/deploy-api.sh')], { env: { PATH: env.PATH } }).catch((e) => e);
      assert.match(noImage.stderr, /IMAGE is not set/);
    }
  });

  it('the README partial renders for every combination without leftovers', async () => {
    const ejs = (await import('ejs')).default;
    const { templateData } = await import('../../src/template/render.js');
    const { answers } = await import('../helpers/render.js');
    for (const c of combos) {
      const partial = join(c.templateDir, '_partials/readme-ci.md.ejs');
      const source = await readFile(partial, 'utf8');
      const text = ejs.render(source, templateData(answers(c.answers), c.pins, { name: 'create-ml-project', version: '0.0.0-test' }, c.records), {
        filename: partial,
        escape: (s: unknown) => String(s),
      });
      assert.doesNotMatch(text, /<%|%>|undefined/, `${c.id}: README partial`);
      assert.match(text, /scripts\/configure-github\.sh/);
      const wf = parseYaml(join(c.dir, '.github/workflows/ci.yml'));
      for (const j of Object.values<any>(wf.jobs)) assert.ok(text.includes(`**${j.name.split(' (')[0]}**`), `${c.id}: README mentions job ${j.name}`);
      // The deploy variables with an API (without one nothing is deployed), and every repository
      // variable a workflow of this project reads.
      const deployVariables = c.record && c.answers.api !== false ? [...c.record.variables.required, ...c.record.variables.optional] : [];
      const workflows = join(c.dir, '.github/workflows');
      const read = readdirSync(workflows).flatMap((f) => [...varsIn(readFileSync(join(workflows, f), 'utf8'))]);
      for (const v of new Set([...deployVariables, ...read])) {
        assert.ok(text.includes(`\`${v}\``), `${c.id}: README documents ${v}`);
      }
    }
  });
});
