// Every valid combination of the answer options, rendered in memory and checked file by file.
//
//   os: 7 non-empty subsets × cloud 4 (none and each record in template/clouds/) × api/training 3
//   (not both off) × tracking 2 × runner 2 × python 3 × package manager 2 × automerge 3 = 6048
//   combinations.
//
// Rule for what is enumerated: all of them. One render takes ~20 ms here, so the whole matrix
// renders in about a minute; no pairwise reduction is needed. (Should the template grow so that
// this no longer fits, the fallback is: every pair of option values, plus every
// cloud × runner × api/training combination, with the other options at their defaults.)
//
// Per combination: the exact file set (from the oracle below, written from the contract, not
// from template.json), executable bits of scripts. Per distinct file content (deduplicated by
// hash across all combinations, so external tools run once per distinct file): no EJS marker,
// YAML/JSON/TOML parse, Python compiles (python3, batched), shell scripts pass `bash -n` and
// shellcheck, Dockerfiles pass hadolint, .bat/.cmd are CRLF and pass Blinter, workflows,
// dependabot.yml and batect.yml validate against the schemas vendored in test/fixtures/schemas
// (a missing schema fails the test).
//
// Run: node --import tsx --test test/matrix/option-matrix.test.ts   (needs no build)
// Tools: .ci/tools.d/10-lint-tools.sh (shellcheck, blinter), .ci/tools.d/50-matrix-tools.sh (hadolint).
// A failure message lists each distinct problem once, with how many combinations have it and one
// combination that shows it (reproduce with `npx tsx test/helpers/render.ts OUT key=value …`).

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  AUTOMERGE_VALUES,
  CLOUD_VALUES,
  OS_VALUES,
  PM_VALUES,
  PYTHON_VALUES,
  RUNNER_VALUES,
  TRACKING_VALUES,
  type Answers,
  type Os,
} from '../../src/options.js';
import { renderTemplate } from '../../src/template/render.js';
import {
  TOOLS,
  blinterProblems,
  kindOf,
  parseYaml,
  pythonBatch,
  run,
  schemaValidator,
  sha,
  toolMissing,
  writeByHash,
  type Kind,
} from '../helpers/file-checks.js';
import { bundledPack } from '../helpers/render.js';
import { CLOUDS } from '../helpers/clouds.js';

const NAME = 'matrix-demo';

// ---------------------------------------------------------------------------------------------
// The combinations

function subsets<T>(values: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let mask = 1; mask < 1 << values.length; mask++) out.push(values.filter((_, i) => mask & (1 << i)));
  return out;
}

export function allCombinations(name = NAME): Answers[] {
  const out: Answers[] = [];
  for (const os of subsets<Os>(OS_VALUES))
    for (const cloud of CLOUD_VALUES)
      for (const [api, training] of [[true, true], [true, false], [false, true]] as const)
        for (const tracking of TRACKING_VALUES)
          for (const runner of RUNNER_VALUES)
            for (const python of PYTHON_VALUES)
              for (const packageManager of PM_VALUES)
                for (const automerge of AUTOMERGE_VALUES) out.push({ name, os, cloud, api, training, tracking, runner, python, packageManager, automerge });
  return out;
}

/** The combination as the key=value pairs test/helpers/render.ts takes. */
function label(a: Answers): string {
  return `os=${a.os.join(',')} cloud=${a.cloud} api=${a.api} training=${a.training} tracking=${a.tracking} runner=${a.runner} python=${a.python} packageManager=${a.packageManager} automerge=${a.automerge}`;
}

// ---------------------------------------------------------------------------------------------
// The oracle: which files a project has, from the answers. Written from docs/template-contract.md
// (names shared across the template) and the option descriptions, on purpose not derived from
// template.json, so a wrong rule there shows up here as a missing or unexpected file.

export function expectedFiles(a: Answers): string[] {
  const has = (cond: boolean, ...paths: string[]) => (cond ? paths : []);
  const pkg = `src/${a.name.replaceAll('-', '_')}`;
  const trainsInCloud = a.training && CLOUDS.find((c) => c.name === a.cloud)?.training !== undefined;
  return [
    // Always: project metadata, container, CI, Dependabot, setup and the shared task scripts.
    '.devcontainer/devcontainer.json',
    '.dockerignore',
    '.editorconfig',
    '.gitattributes',
    '.github/dependabot.yml',
    '.github/workflows/ci.yml',
    '.gitignore',
    '.python-version',
    'Dockerfile',
    'README.md',
    // The dataset, its committed checksums and the script that moves it (issue 21).
    'data/manifest.sha256',
    'data/test.csv.gz',
    'data/train.csv.gz',
    'notebooks/explore-data.ipynb',
    'pyproject.toml',
    'scripts/configure-github.sh',
    'scripts/data.sh',
    'scripts/go/setup_host.py',
    'scripts/lib/python.sh',
    'scripts/lint.sh',
    'scripts/make_dataset.py',
    'scripts/setup.sh',
    'scripts/start-jupyter.sh',
    'scripts/tests/unit-test.sh',
    `${pkg}/__init__.py`,
    `${pkg}/checksums.py`,
    `${pkg}/features.py`,
    `${pkg}/model_io.py`,
    `${pkg}/pipeline.py`,
    `${pkg}/settings.py`,
    'tests/conftest.py',
    'tests/unit/test_data_manifest.py',
    'tests/unit/test_features.py',
    'tests/unit/test_make_dataset.py',
    'tests/unit/test_model_io.py',
    'tests/unit/test_notebooks.py',
    'tests/unit/test_settings.py',
    // FastAPI service: code, its tests, the local run/request scripts, the post-deployment test.
    ...has(
      a.api,
      `${pkg}/api/__init__.py`,
      `${pkg}/api/__main__.py`,
      `${pkg}/api/app.py`,
      `${pkg}/api/limits.py`,
      `${pkg}/api/schemas.py`,
      `${pkg}/api/scoring.py`,
      `${pkg}/api/server.py`,
      // The ONNX export the API serves, made by training and by the tests' fixture model.
      `${pkg}/export.py`,
      'tests/api/test_app.py',
      'tests/api/test_contract.py',
      'tests/api/test_hostile_requests.py',
      'tests/api/test_onnx_export.py',
      'tests/api/test_server_limits.py',
      'tests/post_deployment/test_post_deployment.py',
      'scripts/start-api-locally.sh',
      'scripts/request-local-api.sh',
      'scripts/request-local-api-payload.json',
      'scripts/tests/api-test.sh',
      'scripts/tests/post-deployment-test.sh',
    ),
    // Training pipeline and its tests.
    ...has(
      a.training,
      `${pkg}/training/__init__.py`,
      `${pkg}/training/train.py`,
      'tests/training/test_train_smoke.py',
      'tests/model/test_model_metrics.py',
      'scripts/train-model.sh',
      'scripts/tests/smoke-test-model-training.sh',
      'scripts/tests/model-metrics-test.sh',
    ),
    // MLflow tracking applies to training: the logging and registry code, its tests and script.
    ...has(a.training && a.tracking === 'mlflow', `${pkg}/training/tracking.py`, 'tests/training/test_tracking.py', 'scripts/register-model.sh'),
    // An API without training fetches its model instead (contract: fetch-model.sh is api-only).
    ...has(a.api && !a.training, 'scripts/fetch-model.sh'),
    // One go script per OS; the shared host installer for the two POSIX ones.
    ...has(a.os.includes('mac'), 'scripts/go/go-mac.sh'),
    ...has(a.os.includes('linux'), 'scripts/go/go-linux-ubuntu.sh'),
    ...has(a.os.includes('windows'), 'scripts/go/go-windows.bat'),
    ...has(a.os.includes('mac') || a.os.includes('linux'), 'scripts/go/install-dependencies-on-host.sh'),
    // Task runner: batect config + both wrappers; or compose + the tasks wrapper (a .cmd one only
    // for teams on Windows).
    ...has(a.runner === 'batect', 'batect.yml', 'batect', 'batect.cmd'),
    ...has(a.runner === 'compose', 'compose.yaml', 'tasks'),
    ...has(a.runner === 'compose' && a.os.includes('windows'), 'tasks.cmd'),
    // Package manager: its settings and its lock file.
    ...has(a.packageManager === 'poetry', 'poetry.toml', 'poetry.lock'),
    ...has(a.packageManager === 'uv', 'uv.lock'),
    // Deploying means deploying the API: only a project with an API and a cloud gets the deploy
    // scripts (the contract's `deploy-api` task "only where it applies").
    ...has(a.api && a.cloud !== 'none', 'scripts/deploy/deploy-api.sh', 'scripts/lib/deploy-checks.sh', `scripts/deploy/${a.cloud}.sh`),
    // A training project on a cloud whose record has an ML platform submits its training there
    // (issue 21), with a test of the request against that cloud's SDK.
    ...has(trainsInCloud, 'scripts/train_in_cloud.py', 'tests/cloud/test_training_job.py', '.github/workflows/train-in-cloud.yml'),
    // The cloud side as code (Terraform) with its own workflow (format, checkov, plan, apply) for
    // what the project does there: deploy its API, train, or both...
    ...has(a.cloud !== 'none' && (a.api || trainsInCloud), 'infra/main.tf', '.github/workflows/infra.yml'),
    // ...with the cloud training job's identities when it trains there.
    ...has(trainsInCloud, 'infra/training.tf'),
    // Dependabot auto-merge workflow unless auto-merge is off.
    ...has(a.automerge !== 'off', '.github/workflows/dependabot-automerge.yml'),
  ].sort();
}

// ---------------------------------------------------------------------------------------------
// Rendering every combination; distinct contents are kept once.

interface Distinct {
  path: string;
  kind: Kind;
  content: Buffer;
  count: number;
  sample: string;
}

const COMBOS = allCombinations();
const distinct = new Map<string, Distinct>(); // key: path + content hash
const fileSetProblems = new Map<string, { count: number; sample: string }>();
const modeProblems = new Map<string, { count: number; sample: string }>();
const referenceProblems = new Map<string, { count: number; sample: string }>();
const bareReferenceProblems = new Map<string, { count: number; sample: string }>();
const traceProblems = new Map<string, { count: number; sample: string }>();
const deployTraceProblems = new Map<string, { count: number; sample: string }>();

/** Files that tools and people run from: every scripts/… path they name must exist. */
const REFERRERS = /^(batect\.yml|compose\.yaml|tasks|tasks\.cmd|batect|Dockerfile|\.devcontainer\/devcontainer\.json|\.github\/workflows\/.*\.ya?ml|scripts\/.*\.(sh|bat|py))$/;
const SCRIPT_REF = /(?<![\w./-])scripts[/\\][\w./\\-]+\.(?:sh|py|bat|json)\b/g;
// A task script that only some answers generate, named by its file name alone ("HOST as for
// start-api-locally.sh"), in a script or a README: it must exist in that combination.
const BARE_REFERRERS = /^(README\.md|scripts\/.*\.(sh|bat|py))$/;
const BARE_SCRIPT_REF =
  /(?<![\w./\\-])(?:start-api-locally|request-local-api|fetch-model|train-model|api-test|post-deployment-test|smoke-test-model-training|model-metrics-test|register-model)\.sh\b/g;
/** Shell scripts per combination, grouped by the library files they source (scripts/lib/*). */
const shellContexts = new Map<string, { lib: Map<string, string>; scripts: Map<string, Set<string>> }>();
let renderMs = 0;
const WORK = mkdtempSync(join(tmpdir(), 'cmlp-matrix-'));

function note(map: Map<string, { count: number; sample: string }>, problem: string, sample: string): void {
  const seen = map.get(problem);
  if (seen) seen.count++;
  else map.set(problem, { count: 1, sample });
}

function listProblems(map: Map<string, { count: number; sample: string }>): string {
  return [...map.entries()].map(([problem, { count, sample }]) => `- ${problem}\n    in ${count} combination(s), e.g. ${sample}`).join('\n');
}

/** Distinct files of one kind. */
function ofKind(kind: Kind, pathTest: (path: string) => boolean = () => true): Distinct[] {
  return [...distinct.values()].filter((d) => d.kind === kind && pathTest(d.path));
}

function problemsText(problems: string[]): string {
  return `${problems.length} problem(s):\n${problems.join('\n')}`;
}

before(async () => {
  const started = performance.now();
  const generator = { name: 'create-ml-project', version: '0.0.0-matrix' };
  const BATCH = 8;
  for (let i = 0; i < COMBOS.length; i += BATCH) {
    const chunk = COMBOS.slice(i, i + BATCH);
    const rendered = await Promise.all(chunk.map(async (a) => renderTemplate(await bundledPack(), a, generator)));
    chunk.forEach((a, j) => {
      const files = rendered[j] ?? [];
      const sample = label(a);
      const got = new Set(files.map((f) => f.path));
      const want = new Set(expectedFiles(a));
      for (const p of want) if (!got.has(p)) note(fileSetProblems, `missing ${p}`, sample);
      for (const p of got) if (!want.has(p)) note(fileSetProblems, `unexpected ${p}`, sample);

      // --tracking none (or no training) leaves no trace of MLflow: no file, line or word.
      if (!(a.training && a.tracking === 'mlflow')) {
        for (const f of files) if (/mlflow|mlruns/i.test(f.content.toString('utf8'))) note(traceProblems, `${f.path} mentions MLflow`, sample);
      }
      const readme = files.find((f) => f.path === 'README.md')?.content.toString('utf8') ?? '';
      // Without training, the model is fetched: the README must not say training writes it.
      if (!a.training && /\btraining writes\b/i.test(readme)) note(bareReferenceProblems, 'README.md says training writes the model', sample);
      // Without an API nothing is deployed: no heading or summary row of the README offers the
      // cloud's service (prose may still name it, e.g. as a place to host MLflow), and it names no
      // infra/ folder the project does not have.
      const service = CLOUDS.find((c) => c.name === a.cloud)?.service.name;
      const offers = readme.split('\n').filter((line) => /^(#|\| Image published to)/.test(line));
      if (!a.api && service && offers.some((line) => line.includes(service))) note(deployTraceProblems, `README.md offers ${service}`, sample);
      if (!got.has('infra/main.tf') && /\binfra\//.test(readme)) note(deployTraceProblems, 'README.md names infra/, which this combination does not have', sample);
      for (const f of files) {
        if (!BARE_REFERRERS.test(f.path)) continue;
        for (const ref of new Set(f.content.toString('utf8').match(BARE_SCRIPT_REF) ?? [])) {
          if (!got.has(`scripts/${ref}`) && !got.has(`scripts/tests/${ref}`)) note(bareReferenceProblems, `${f.path} names ${ref}, which this combination does not have`, sample);
        }
      }
      for (const f of files) {
        if (!REFERRERS.test(f.path)) continue;
        for (const ref of new Set(f.content.toString('utf8').match(SCRIPT_REF) ?? [])) {
          const path = ref.replace(/[\\/]+/g, '/');
          if (!got.has(path)) note(referenceProblems, `${f.path} names ${path}, which this combination does not have`, sample);
        }
      }

      const lib = new Map<string, string>();
      const scripts = new Map<string, string>();
      for (const f of files) {
        const hash = sha(f.content);
        const key = `${f.path}\0${hash}`;
        const seen = distinct.get(key);
        const kind = kindOf(f.path, f.content);
        if (seen) seen.count++;
        else distinct.set(key, { path: f.path, kind, content: f.content, count: 1, sample });
        const executable = (f.mode & 0o111) !== 0;
        const shouldRun = kind === 'shell' && !f.path.startsWith('scripts/lib/');
        if (shouldRun && !executable) note(modeProblems, `${f.path} is a script but not executable`, sample);
        if (kind === 'shell') (f.path.startsWith('scripts/lib/') ? lib : scripts).set(f.path, hash);
      }
      const libKey = [...lib.entries()].sort().join('\n');
      let ctx = shellContexts.get(libKey);
      if (!ctx) shellContexts.set(libKey, (ctx = { lib, scripts: new Map() }));
      for (const [path, hash] of scripts) {
        if (!ctx.scripts.has(path)) ctx.scripts.set(path, new Set());
        ctx.scripts.get(path)?.add(hash);
      }
    });
  }
  renderMs = performance.now() - started;
});

after(() => rmSync(WORK, { recursive: true, force: true }));

function contentOf(path: string, hash: string): Buffer {
  const d = distinct.get(`${path}\0${hash}`);
  if (!d) throw new Error(`no content for ${path} ${hash}`);
  return d.content;
}

describe(`option matrix: ${COMBOS.length} combinations`, () => {
  test('enumerates every valid combination once', (t) => {
    assert.equal(COMBOS.length, 7 * 4 * 3 * 2 * 2 * 3 * 2 * 3);
    assert.equal(new Set(COMBOS.map(label)).size, COMBOS.length);
    assert.ok(COMBOS.every((a) => a.api || a.training));
    t.diagnostic(`rendered ${COMBOS.length} combinations in ${(renderMs / 1000).toFixed(1)} s; ${distinct.size} distinct (path, content) pairs`);
  });

  test('each combination has exactly the files the oracle derives from its answers', () => {
    assert.equal(fileSetProblems.size, 0, `file set differs from the oracle:\n${listProblems(fileSetProblems)}`);
  });

  test('every scripts/… path named by a runner, workflow, Dockerfile or script exists', () => {
    assert.equal(referenceProblems.size, 0, listProblems(referenceProblems));
  });

  test('every script a script or the README names by its file name alone exists', () => {
    assert.equal(bareReferenceProblems.size, 0, listProblems(bareReferenceProblems));
  });

  test('without MLflow tracking no file mentions MLflow', () => {
    assert.equal(traceProblems.size, 0, listProblems(traceProblems));
  });

  test('without an API the README names no deploy service and no infra/', () => {
    assert.equal(deployTraceProblems.size, 0, listProblems(deployTraceProblems));
  });

  test('scripts are executable', () => {
    assert.equal(modeProblems.size, 0, listProblems(modeProblems));
  });

  test('no EJS marker (<% or %>) survives in any file', () => {
    const bad = [...distinct.values()].filter((d) => /<%|%>/.test(d.content.toString('latin1')));
    assert.deepEqual(bad.map((d) => `${d.path} (e.g. ${d.sample})`), []);
  });

  test('every YAML and JSON file parses (YAML strictly: no duplicate keys)', () => {
    const problems: string[] = [];
    for (const d of [...ofKind('yaml'), ...ofKind('json')]) {
      try {
        const text = d.content.toString('utf8');
        if (d.kind === 'yaml') parseYaml(text);
        else JSON.parse(text);
      } catch (error) {
        problems.push(`${d.path}: ${(error as Error).message}\n    e.g. ${d.sample}`);
      }
    }
    assert.deepEqual(problems, [], problemsText(problems));
  });

  test('every TOML file parses and every Python file compiles (python3, one batched call)', (t) => {
    const dir = join(WORK, 'py');
    const toml = ofKind('toml').map((d) => ({ d, file: writeByHash(dir, d.path.split('/').pop() ?? 'x', d.content) }));
    const py = ofKind('python').map((d) => ({ d, file: writeByHash(dir, d.path.split('/').pop() ?? 'x', d.content) }));
    const version = run('python3', ['--version']).stdout.trim();
    const result = pythonBatch(
      toml.map((x) => x.file),
      py.map((x) => x.file),
    );
    const problems: string[] = [];
    for (const { d, file } of toml) if (!result.toml[file]?.ok) problems.push(`${d.path}: TOML: ${result.toml[file]?.error}\n    e.g. ${d.sample}`);
    for (const { d, file } of py) if (!result.python[file]?.ok) problems.push(`${d.path}: Python (${version}): ${result.python[file]?.error}\n    e.g. ${d.sample}`);
    t.diagnostic(`${toml.length} distinct TOML files, ${py.length} distinct Python files, ${version}`);
    assert.deepEqual(problems, [], problemsText(problems));
  });

  test('every shell script passes bash -n', () => {
    const problems: string[] = [];
    for (const d of ofKind('shell')) {
      const file = writeByHash(join(WORK, 'bash-n'), d.path.split('/').pop() ?? 'x', d.content);
      const r = run('bash', ['-n', file]);
      if (r.status !== 0) problems.push(`${d.path}: ${r.stderr.trim().replaceAll(file, d.path)}\n    e.g. ${d.sample}`);
    }
    assert.deepEqual(problems, [], problemsText(problems));
  });

  test('every shell script passes shellcheck (following sourced scripts/lib files)', (t) => {
    if (toolMissing(TOOLS.shellcheck)) return t.skip('shellcheck missing: run .ci/tools.d/10-lint-tools.sh');
    // Each distinct script is checked once, next to the library variant it is rendered with:
    // one folder per (library variant, slot), slot k holding the k-th distinct content of each path.
    const found = new Map<string, { count: number; sample: string }>();
    let calls = 0;
    let n = 0;
    for (const { lib, scripts } of shellContexts.values()) {
      const slots = Math.max(0, ...[...scripts.values()].map((s) => s.size));
      for (let k = 0; k < slots; k++) {
        const dir = join(WORK, 'shellcheck', String(n++));
        const files: string[] = [];
        const written = new Map<string, Distinct | undefined>();
        for (const [path, hash] of lib) {
          mkdirSync(join(dir, path, '..'), { recursive: true });
          writeFileSync(join(dir, path), contentOf(path, hash));
          written.set(path, distinct.get(`${path}\0${hash}`));
          if (k === 0) files.push(path);
        }
        for (const [path, hashes] of scripts) {
          const hash = [...hashes][k];
          if (hash === undefined) continue;
          mkdirSync(join(dir, path, '..'), { recursive: true });
          writeFileSync(join(dir, path), contentOf(path, hash));
          written.set(path, distinct.get(`${path}\0${hash}`));
          files.push(path);
        }
        if (files.length === 0) continue;
        calls++;
        const r = run(TOOLS.shellcheck, ['-x', '--source-path=SCRIPTDIR', '-f', 'gcc', ...files], { cwd: dir });
        for (const line of r.stdout.split('\n').filter(Boolean)) {
          const d = written.get(line.split(':')[0] ?? '');
          const text = d?.content.toString('utf8').split('\n')[Number(line.split(':')[1]) - 1]?.trim() ?? '';
          const key = `${line} | ${text.slice(0, 120)}`;
          const seen = found.get(key);
          if (!seen) found.set(key, { count: d?.count ?? 0, sample: d?.sample ?? '?' });
          else if (d && seen.sample !== d.sample) seen.count += d.count;
        }
        if (r.status !== 0 && r.stdout.trim() === '') note(found, `shellcheck failed: ${r.stderr.trim()}`, '?');
      }
    }
    t.diagnostic(`${calls} shellcheck call(s) over ${ofKind('shell').length} distinct scripts`);
    assert.equal(found.size, 0, listProblems(found));
  });

  test('every Dockerfile passes hadolint', (t) => {
    if (toolMissing(TOOLS.hadolint)) return t.skip('hadolint missing: run .ci/tools.d/50-matrix-tools.sh');
    const docker = ofKind('dockerfile').map((d) => ({ d, file: writeByHash(join(WORK, 'hadolint'), 'Dockerfile', d.content) }));
    const r = run(TOOLS.hadolint, ['--no-color', '--format', 'json', ...docker.map((x) => x.file)]);
    const findings = JSON.parse(r.stdout || '[]') as { file: string; line: number; code: string; level: string; message: string }[];
    // One entry per finding and source line, however many Dockerfile variants share it.
    const problems = new Map<string, { count: number; sample: string }>();
    for (const f of findings) {
      const src = docker.find((x) => x.file === f.file);
      const text = src?.d.content.toString('utf8').split('\n')[f.line - 1]?.trim() ?? '';
      const key = `${f.code} ${f.level}: ${f.message} | ${text.slice(0, 120)}`;
      const seen = problems.get(key);
      if (seen) seen.count += src?.d.count ?? 0;
      else problems.set(key, { count: src?.d.count ?? 0, sample: `${src?.d.sample} (Dockerfile line ${f.line})` });
    }
    t.diagnostic(`${docker.length} distinct Dockerfile(s)`);
    assert.equal(problems.size, 0, listProblems(problems));
  });

  test('every .bat/.cmd file uses CRLF and passes Blinter', (t) => {
    const batch = ofKind('batch');
    const problems: string[] = [];
    for (const d of batch) {
      const text = d.content.toString('utf8');
      if (/(^|[^\r])\n/.test(text)) problems.push(`${d.path}: has LF line endings without CR\n    e.g. ${d.sample}`);
    }
    if (toolMissing(TOOLS.blinter)) {
      t.diagnostic('blinter missing: run .ci/tools.d/10-lint-tools.sh (CRLF checked only)');
    } else {
      for (const d of batch) {
        const file = writeByHash(join(WORK, 'blinter'), d.path.split('/').pop() ?? 'x.bat', d.content);
        for (const p of blinterProblems(file)) problems.push(`${d.path}: ${p}\n    e.g. ${d.sample}`);
      }
    }
    t.diagnostic(`${batch.length} distinct batch file(s)`);
    assert.deepEqual(problems, [], problemsText(problems));
  });

  const schemaCases: [string, string, (path: string) => boolean][] = [
    ['GitHub workflows', 'github-workflow.json', (p) => p.startsWith('.github/workflows/')],
    ['dependabot.yml', 'dependabot-2.0.json', (p) => p === '.github/dependabot.yml'],
    ['batect.yml', 'batect-configSchema.json', (p) => p === 'batect.yml'],
  ];
  for (const [what, schema, match] of schemaCases) {
    test(`${what} validate against ${schema}`, (t) => {
      const validate = schemaValidator(schema);
      const files = ofKind('yaml', match);
      const problems: string[] = [];
      for (const d of files) {
        let value: unknown;
        try {
          value = parseYaml(d.content.toString('utf8'));
        } catch {
          continue; // reported by the YAML test
        }
        for (const e of validate(value)) problems.push(`${d.path}: ${e}\n    e.g. ${d.sample}`);
      }
      t.diagnostic(`${files.length} distinct file(s)`);
      assert.ok(files.length > 0, `no ${what} rendered at all`);
      assert.deepEqual(problems, [], problemsText(problems));
    });
  }
});
