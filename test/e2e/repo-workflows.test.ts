// This repository's own GitHub workflows (.github/workflows/*.yml: CI, release, the template
// dependency bot), checked with the real tools and on their parsed YAML:
//   - actionlint (shellcheck on every `run:` block) and zizmor (offline, pedantic persona, the
//     same invocation as test/e2e/ci-workflows.test.ts) report nothing; a broken canary workflow
//     proves both really look;
//   - each validates against SchemaStore's github-workflow.json, vendored in
//     test/fixtures/schemas/ (a missing schema fails the test);
//   - every workflow: no token permissions at the top, explicit permissions and a timeout on every
//     job, actions pinned to a commit SHA with the version in a comment (the same SHA wherever an
//     action is used; not necessarily the one template/pins.json holds: Dependabot moves these,
//     the pins bot moves pins.json, and the bot's token may not push workflow files),
//     credential-less checkouts, no
//     `${{ }}` inside `run:` scripts, no npm token anywhere;
//   - ci.yml runs `bash .ci/run` on push to main, pull requests and the merge queue, on Node 20,
//     22 and 24, after installing every system package the .ci scripts would apt-get as root;
//   - release.yml: tag-triggered, verify -> test -> publish -> release, publish in the "npm"
//     environment with only id-token: write added, `npm publish --provenance` of the packed
//     tarball, contents: write only in the job that makes the GitHub release.
// Tools come from .ci/tools.d/40-ci-lint-tools.sh (run here when missing).
// Run: node --import tsx --test test/e2e/repo-workflows.test.ts

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { parseDocument } from 'yaml';

const run = promisify(execFile);
// ajv-formats is CommonJS: under NodeNext its default export arrives wrapped.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv) => Ajv;
const REPO = fileURLToPath(new URL('../..', import.meta.url));
const TOOLS = join(REPO, '.tools', 'bin');
const WORKFLOW_DIR = join(REPO, '.github', 'workflows');
const SCHEMA = join(REPO, 'test', 'fixtures', 'schemas', 'github-workflow.json');
const WORKFLOWS = readdirSync(WORKFLOW_DIR).filter((f) => /\.ya?ml$/.test(f)).sort().map((f) => join(WORKFLOW_DIR, f));
const CI = join(WORKFLOW_DIR, 'ci.yml');
const RELEASE = join(WORKFLOW_DIR, 'release.yml');
// Commands the .ci scripts may find without apt-get on GitHub's ubuntu-24.04 runner image, which
// ships Docker (docker-ce: installing Debian's docker.io over it would conflict).
const PREINSTALLED_ON_RUNNER = new Set(['dockerd']);

let work = '';

function parseYaml(file: string): any {
  const doc = parseDocument(readFileSync(file, 'utf8'), { uniqueKeys: true });
  assert.deepEqual(doc.errors.map((e) => e.message), [], `${file} is not valid YAML`);
  return doc.toJS();
}

function steps(job: any): any[] {
  return job.steps ?? [];
}

/** `run:` is the script, alone or as root through `sudo env "PATH=$PATH" … <script>`. */
function runsScript(step: any, script: string): boolean {
  const run = String(step.run ?? '').trim();
  return run === script || new RegExp(`^sudo env "PATH=\\$PATH"(?: \\w+=\\S+)* ${script.replace(/[.]/g, '\\.')}$`).test(run);
}

function runs(job: any): string {
  return steps(job).map((s) => String(s.run ?? '')).join('\n');
}

/** The job (exactly one) whose steps include `run: <script>` (after a `sudo env …` prefix, if any). */
function jobRunning(wf: any, script: string): [string, any] {
  const found = Object.entries<any>(wf.jobs).filter(([, job]) => steps(job).some((s) => runsScript(s, script)));
  assert.equal(found.length, 1, `jobs running "${script}": ${found.map(([id]) => id).join(', ') || 'none'}`);
  return found[0]!;
}

/** Packages `sudo apt-get install` gets in a job (continuation lines joined, options dropped). */
function aptInstalled(job: any): Set<string> {
  const text = runs(job).replace(/\\\n/g, ' ');
  const out = new Set<string>();
  for (const m of text.matchAll(/apt-get install ([^\n]*)/g)) {
    for (const word of m[1]!.split(/\s+/)) if (/^[a-z0-9][a-z0-9.+-]*$/.test(word)) out.add(word);
  }
  return out;
}

/**
 * What .ci/install-tools.sh and .ci/tools.d/*.sh would apt-get on a bare machine, as
 * [command they test for, package they install] pairs: `for tool in a b; ... need+=("$tool")`,
 * `command -v x ... || missing+=(pkg)` and literal package names after `apt-get install`.
 */
function ciAptNeeds(): { script: string; command: string; pkg: string }[] {
  const scripts = [join(REPO, '.ci', 'install-tools.sh'), ...readdirSync(join(REPO, '.ci', 'tools.d')).filter((f) => f.endsWith('.sh')).map((f) => join(REPO, '.ci', 'tools.d', f))];
  const needs: { script: string; command: string; pkg: string }[] = [];
  for (const file of scripts) {
    const text = readFileSync(file, 'utf8');
    if (!/apt-get install/.test(text)) continue;
    const script = basename(file);
    for (const m of text.matchAll(/for (\w+) in ([^;\n]+);[^\n]*command -v "\$\1"[^\n]*\+=\("\$\1"\)/g)) {
      for (const name of m[2]!.trim().split(/\s+/)) needs.push({ script, command: name, pkg: name });
    }
    for (const m of text.matchAll(/command -v ([\w.+-]+)[^\n]*\+=\(([\w.+-]+)\)/g)) needs.push({ script, command: m[1]!, pkg: m[2]! });
    for (const m of text.matchAll(/apt-get install ([^\n]*)/g)) {
      for (const word of m[1]!.split(/\s+/)) {
        if (/^[a-z0-9][a-z0-9.+-]*$/.test(word) && !['sudo', 'apt-get'].includes(word)) needs.push({ script, command: word, pkg: word });
      }
    }
  }
  return needs;
}

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'repo-workflows-'));
  if (!existsSync(join(TOOLS, 'actionlint')) || !existsSync(join(TOOLS, 'zizmor'))) {
    await run('bash', [join(REPO, '.ci/tools.d/40-ci-lint-tools.sh')], { maxBuffer: 1 << 24 });
  }
});

after(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

async function actionlint(files: string[]): Promise<string[]> {
  const { stdout } = await run(join(TOOLS, 'actionlint'), ['-no-color', '-format', '{{json .}}', ...files], { cwd: REPO, maxBuffer: 1 << 24 }).catch((e) => e);
  const errors = JSON.parse(stdout || '[]') as { filepath: string; line: number; message: string }[];
  return errors.map((e) => `${basename(e.filepath)}:${e.line}: ${e.message}`);
}

async function zizmor(files: string[]): Promise<{ findings: string[]; stderr: string }> {
  const result = await run(
    join(TOOLS, 'zizmor'),
    ['--offline', '--no-config', '--persona', 'pedantic', '--format', 'json', '--collect', 'all', '--strict-collection', ...files],
    { maxBuffer: 1 << 24 },
  ).catch((e) => e);
  const findings = JSON.parse(result.stdout || 'null') as { ident: string; desc: string; locations: any[] }[] | null;
  assert.ok(Array.isArray(findings), `zizmor did not produce a JSON report: ${result.stderr}`);
  return { findings: findings.map((f) => `${f.ident}: ${f.desc} @ ${f.locations?.[0]?.symbolic?.key?.Local?.given_path ?? '?'}`), stderr: result.stderr };
}

/** A workflow with a shellcheck warning, an injectable expression and an unpinned action. */
const CANARY = `name: canary
on: pull_request
jobs:
  canary:
    runs-on: ubuntu-24.04
    steps:
      - uses: actions/checkout@v4
      - run: echo \${{ github.event.pull_request.title }} $UNQUOTED_VARIABLE
`;

describe("this repository's workflows (.github/workflows)", () => {
  it('holds ci.yml, release.yml and refresh-template-deps.yml', () => {
    const names = WORKFLOWS.map((f) => basename(f));
    for (const name of ['ci.yml', 'release.yml', 'refresh-template-deps.yml']) assert.ok(names.includes(name), `${name} missing`);
  });

  it('actionlint (with shellcheck on run: blocks) finds nothing', async () => {
    assert.deepEqual(await actionlint(WORKFLOWS), []);
  });

  it('zizmor (offline, pedantic) finds nothing', async () => {
    const { findings, stderr } = await zizmor(WORKFLOWS);
    assert.deepEqual(findings, []);
    for (const file of WORKFLOWS) assert.match(stderr, new RegExp(`completed \\S*${basename(file).replace(/\./g, '\\.')}`), `zizmor did not audit ${file}`);
  });

  it('the linters do look: a broken canary workflow is reported by both', async () => {
    const canary = join(work, 'canary.yml');
    await writeFile(canary, CANARY);
    const lint = (await actionlint([canary])).join('\n');
    assert.match(lint, /shellcheck reported issue.*SC2086/, 'actionlint ran without shellcheck');
    assert.match(lint, /github\.event\.pull_request\.title.*potentially untrusted/);
    const { findings } = await zizmor([canary]);
    const idents = new Set(findings.map((f) => f.split(':')[0]));
    for (const ident of ['unpinned-uses', 'template-injection', 'artipacked', 'excessive-permissions']) assert.ok(idents.has(ident), `zizmor missed ${ident}: ${findings.join('; ')}`);
  });

  it('each validates against the vendored SchemaStore github-workflow.json', () => {
    assert.ok(existsSync(SCHEMA), `${SCHEMA} is missing: the workflow schema must be vendored in test/fixtures/schemas/`);
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    const validate = ajv.compile(JSON.parse(readFileSync(SCHEMA, 'utf8')));
    const problems: string[] = [];
    for (const file of WORKFLOWS) if (!validate(parseYaml(file))) problems.push(`${basename(file)}: ${ajv.errorsText(validate.errors)}`);
    assert.deepEqual(problems, []);
    // The schema really checks: a job without runs-on or uses is refused.
    assert.equal(validate({ on: 'push', jobs: { broken: { steps: [{ run: 'true' }] } } }), false, 'the schema accepts anything');
  });

  it('every workflow: least privilege, timeouts, SHA pins with versions, no injection, no npm token', () => {
    const shaOf = new Map<string, string>();
    for (const file of WORKFLOWS) {
      const name = basename(file);
      const wf = parseYaml(file);
      const text = readFileSync(file, 'utf8');
      assert.deepEqual(wf.permissions, {}, `${name}: top-level permissions must be {}`);
      assert.ok(wf.concurrency?.group, `${name}: concurrency group`);
      for (const [id, job] of Object.entries<any>(wf.jobs)) {
        const where = `${name} ${id}`;
        assert.ok(Number.isInteger(job['timeout-minutes']) && job['timeout-minutes'] > 0 && job['timeout-minutes'] <= 180, `${where}: timeout-minutes`);
        assert.ok(job.permissions && typeof job.permissions === 'object' && !Array.isArray(job.permissions), `${where}: explicit permissions (a map)`);
        for (const [scope, level] of Object.entries(job.permissions)) assert.ok(['read', 'write', 'none'].includes(String(level)), `${where}: ${scope}: ${level}`);
        for (const step of steps(job)) {
          if (step.run !== undefined) assert.doesNotMatch(String(step.run), /\$\{\{/, `${where}: \${{ }} inside run: (pass it through env)`);
          if (!step.uses) continue;
          const uses = String(step.uses);
          const m = /^([\w.-]+\/[\w.-]+(?:\/[\w./-]+)?)@([0-9a-f]{40})$/.exec(uses);
          assert.ok(m, `${where}: ${uses} is not pinned to a full commit SHA`);
          const [, action, sha] = m;
          const comment = new RegExp(`uses: ${uses} # (v\\d+(?:\\.\\d+){0,2})\\s*$`, 'm').exec(text);
          assert.ok(comment, `${where}: ${uses} lacks its "# vX.Y.Z" version comment`);
          assert.equal(shaOf.get(action!) ?? sha, sha, `${where}: ${action} pinned to another SHA elsewhere`);
          shaOf.set(action!, sha!);
          if (action === 'actions/checkout') assert.equal(step.with?.['persist-credentials'], false, `${where}: checkout keeps credentials`);
          if (action === 'actions/setup-node') {
            assert.equal(step.with?.['registry-url'], undefined, `${where}: registry-url writes an .npmrc that expects a token`);
            assert.equal(step.with?.['package-manager-cache'], false, `${where}: no npm cache (cache poisoning)`);
          }
        }
      }
      assert.doesNotMatch(text, /NPM_TOKEN|NODE_AUTH_TOKEN|secrets\.\w*NPM\w*/i, `${name}: references an npm token`);
      assert.doesNotMatch(text.replace(/secrets\.GITHUB_TOKEN/g, ''), /secrets\./, `${name}: uses a secret (only the workflow token is expected)`);
      assert.doesNotMatch(text, /write-all|read-all/, `${name}: blanket permissions`);
    }
  });

  it('ci.yml: bash .ci/run on push to main, pull requests and the merge queue, Node 20/22/24, read-only', () => {
    const wf = parseYaml(CI);
    assert.deepEqual(Object.keys(wf.on).sort(), ['merge_group', 'pull_request', 'push', 'workflow_dispatch']);
    assert.deepEqual(wf.on.push, { branches: ['main'] });
    assert.ok(wf.on.pull_request === null || (wf.on.pull_request.branches === undefined && wf.on.pull_request.paths === undefined), 'every pull request, whatever it touches');
    // Superseded runs of a pull request are cancelled; main's never are.
    assert.match(String(wf.concurrency['cancel-in-progress']), /^\$\{\{ github\.ref != 'refs\/heads\/main' \}\}$/);
    assert.match(String(wf.concurrency.group), /github\.ref == 'refs\/heads\/main' && github\.run_id \|\| github\.ref/);

    const [id, job] = jobRunning(wf, 'bash .ci/run');
    assert.deepEqual(Object.keys(wf.jobs), [id], 'one job');
    assert.deepEqual(job.permissions, { contents: 'read' });
    assert.equal(job['timeout-minutes'], 60);
    assert.match(String(job['runs-on']), /^ubuntu-/);
    assert.deepEqual(job.strategy.matrix.node, ['20', '22', '24']);
    assert.equal(job.strategy['fail-fast'], false, 'each Node version reports on its own');
    assert.match(job.name, /\$\{\{ matrix\.node \}\}/, 'the check name says which Node');
    const at = (pred: (s: any) => boolean): number => steps(job).findIndex(pred);
    const setupNode = at((s) => String(s.uses ?? '').startsWith('actions/setup-node@'));
    assert.ok(setupNode >= 0, 'actions/setup-node');
    assert.equal(steps(job)[setupNode].with['node-version'], '${{ matrix.node }}');
    const apt = at((s) => /sudo (\S+=\S+ )*apt-get install/.test(String(s.run ?? '')));
    const suite = at((s) => runsScript(s, 'bash .ci/run'));
    assert.ok(setupNode < suite && apt >= 0 && apt < suite, 'Node and the system packages come before the suite');
    // The container tests start their own engine: the runner's is stopped before the suite.
    const stopDocker = at((s) => /^sudo systemctl stop docker\.service docker\.socket$/.test(String(s.run ?? '').trim()));
    assert.ok(stopDocker >= 0 && stopDocker < suite, "the runner's Docker engine is stopped before the suite");

    // The runner user is not root: everything the .ci scripts would apt-get is installed first.
    const installed = aptInstalled(job);
    const needs = ciAptNeeds();
    assert.ok(needs.length >= 5, `found only ${needs.length} apt needs in .ci/`);
    for (const pkg of ['debootstrap', 'shellcheck', 'tmux']) assert.ok(needs.some((n) => n.pkg === pkg), `${pkg} not found in .ci/ (extraction broke)`);
    const missing = needs.filter((n) => !installed.has(n.pkg) && !PREINSTALLED_ON_RUNNER.has(n.command));
    assert.deepEqual(missing.map((n) => `${n.script}: ${n.pkg}`), [], 'packages the .ci scripts would apt-get without sudo');
  });

  it('release.yml: tag-triggered verify -> test -> publish (npm environment, OIDC, provenance) -> release', () => {
    const wf = parseYaml(RELEASE);
    assert.deepEqual(wf.on, { push: { tags: ['v*.*.*'] } });
    assert.equal(wf.concurrency['cancel-in-progress'], false, 'a release is never cancelled half-way');
    assert.deepEqual(Object.keys(wf.jobs), ['verify', 'test', 'publish', 'release']);
    const { verify, test, publish, release } = wf.jobs;
    assert.equal(test.needs, 'verify');
    assert.equal(publish.needs, 'test');
    assert.equal(release.needs, 'publish');

    // verify: the tag reaches the script through env, never through ${{ }} in the script.
    const check = steps(verify).find((s) => /tools\/check-release\.mjs/.test(String(s.run ?? '')));
    assert.ok(check, 'verify runs tools/check-release.mjs');
    assert.match(check.run, /^node tools\/check-release\.mjs "\$TAG" --repository "\$REPOSITORY"\s*$/);
    assert.deepEqual(check.env, { TAG: '${{ github.ref_name }}', REPOSITORY: '${{ github.repository }}' });
    assert.ok(existsSync(join(REPO, 'tools', 'check-release.mjs')));
    assert.deepEqual(verify.permissions, { contents: 'read' });

    // test: the whole suite on every supported Node.
    assert.equal(jobRunning(wf, 'bash .ci/run')[0], 'test');
    assert.deepEqual(test.strategy.matrix.node, ['20', '22', '24']);
    assert.deepEqual(test.permissions, { contents: 'read' });

    // publish: OIDC only here, inside the environment that can require approval.
    assert.equal(typeof publish.environment === 'string' ? publish.environment : publish.environment?.name, 'npm');
    assert.deepEqual(publish.permissions, { contents: 'read', 'id-token': 'write' });
    const script = runs(publish);
    const order = ['npm ci', 'npm run build', 'npm pack', 'npm publish'].map((cmd) => script.indexOf(cmd));
    assert.ok(order.every((i, n) => i >= 0 && (n === 0 || i > order[n - 1]!)), `npm ci, build, pack, publish in that order: ${order}`);
    const publishLine = script.split('\n').find((l) => /\bnpm publish\b/.test(l))!;
    assert.match(publishLine, /^npm publish "\$TARBALL" --provenance --access public$/);
    const node = steps(publish).find((s) => String(s.uses ?? '').startsWith('actions/setup-node@'));
    assert.ok(node, 'publish sets up Node');
    assert.ok(Number(String(node.with['node-version']).split('.')[0]) >= 24 && node.with['check-latest'] === true, 'the newest Node 24+: >= 22.14 with npm >= 11.5.1');
    assert.match(script, /at_least "\$\(node --version \| tr -d v\)" 22\.14\.0/, 'checks Node >= 22.14');
    assert.match(script, /at_least "\$\(npm --version\)" 11\.5\.1/, 'checks npm >= 11.5.1');

    // release: contents: write only here; notes from the CHANGELOG through check-release --notes.
    assert.deepEqual(release.permissions, { contents: 'write' });
    const releaseScript = runs(release);
    assert.match(releaseScript, /node tools\/check-release\.mjs "\$TAG" --notes >"\$RUNNER_TEMP\/notes\.md"/);
    assert.match(releaseScript.replace(/\\\n\s*/g, ''), /gh release create "\$TAG" "\$RUNNER_TEMP"\/package\/\*\.tgz --verify-tag --title "\$TAG" --notes-file "\$RUNNER_TEMP\/notes\.md"/);
    assert.equal(release.env.TAG, '${{ github.ref_name }}');
    assert.doesNotMatch(releaseScript, /npm |\.ci\/run/, 'the writing job runs no project build or tests');

    for (const [id, job] of Object.entries<any>(wf.jobs)) {
      if (id !== 'publish') assert.equal(job.permissions['id-token'], undefined, `${id}: id-token`);
      if (id !== 'release') assert.notEqual(job.permissions.contents, 'write', `${id}: contents: write`);
    }
  });
});
