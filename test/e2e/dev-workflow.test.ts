// The generated project's developer workflow, checked for several option combinations:
//   - the Linux go script runs for real, twice (as CI would: root, no TTY, stdin closed), and the
//     second run installs nothing; the resulting .venv imports the project;
//   - batect.yml passes batect's JSON schema and a cross-reference check; compose.yaml and ./tasks
//     agree with it (same task names and prerequisites, every script exists and is executable);
//   - the ./batect wrapper downloads a stand-in JAR from a file:// URL once, reuses its cache and
//     refuses a wrong checksum;
//   - every shell script passes shellcheck and bash -n, every .bat/.cmd passes Blinter and is CRLF;
//   - the devcontainer and the README partial match the combination.
// go-mac.sh and go-windows.bat cannot run on Linux: they get the static checks only.
//
// Run: node --import tsx --test test/e2e/dev-workflow.test.ts
// Needs: shellcheck and Blinter (.ci/tools.d/10-lint-tools.sh, run by the test if missing), Java 17
// (javac, jar), PyPI access for the real go-script runs. With a Poetry that cannot use this
// machine's PyPI proxy, .tools/venv from .ci/tools.d/20-python-tools.sh provides a patched one.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import ejs from 'ejs';
import { parse as parseYaml, parseDocument } from 'yaml';
import { CLOUDS } from '../helpers/clouds.js';
import { readSchema } from '../helpers/file-checks.js';
import { answers, renderTo, TEMPLATE_DIR } from '../helpers/render.js';
import { templateData } from '../../src/template/render.js';
import type { Answers } from '../../src/options.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const BLINTER = join(REPO, '.tools/venv-lint/bin/blinter');
const PINS = JSON.parse(readFileSync(join(TEMPLATE_DIR, 'pins.json'), 'utf8'));
const WORK = mkdtempSync(join(tmpdir(), 'dev-workflow-'));

interface Combo {
  label: string;
  answers: Partial<Answers>;
  /** Run scripts/go/go-linux-ubuntu.sh for real (only combinations that include linux). */
  goRun?: boolean;
  /** A Python module only this combination's .venv has (dependency check). */
  module: string;
}

const COMBOS: Combo[] = [
  {
    label: 'batect, poetry, api+training, aws, all OSes',
    answers: { runner: 'batect', packageManager: 'poetry', api: true, training: true, cloud: 'aws', os: ['mac', 'linux', 'windows'] },
    goRun: true,
    module: 'fastapi',
  },
  {
    label: 'compose, uv, api only, gcp, linux+windows',
    answers: { runner: 'compose', packageManager: 'uv', api: true, training: false, cloud: 'gcp', os: ['linux', 'windows'] },
    goRun: true,
    module: 'fastapi',
  },
  {
    // A training job on Vertex AI: compose's `cloud` service and its train-in-cloud task.
    label: 'compose, uv, api+training, gcp, linux+windows',
    answers: { runner: 'compose', packageManager: 'uv', api: true, training: true, cloud: 'gcp', os: ['linux', 'windows'] },
    module: 'sklearn',
  },
  {
    label: 'compose, poetry, training only, no cloud, linux',
    answers: { runner: 'compose', packageManager: 'poetry', api: false, training: true, cloud: 'none', os: ['linux'] },
    module: 'sklearn',
  },
  {
    label: 'batect, uv, training only, azure, mac+windows',
    answers: { runner: 'batect', packageManager: 'uv', api: false, training: true, cloud: 'azure', os: ['mac', 'windows'], python: '3.12' },
    module: 'sklearn',
  },
];

// ---------------------------------------------------------------------------------------------
// helpers

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

function run(command: string, args: string[], options: SpawnSyncOptions = {}): Run {
  const started = Date.now();
  const result = spawnSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20, ...options });
  if (result.error) throw result.error;
  return { status: result.status, stdout: String(result.stdout), stderr: String(result.stderr), ms: Date.now() - started };
}

function show(r: Run): string {
  return `exit ${r.status}\n--- stdout\n${r.stdout.slice(-4000)}\n--- stderr\n${r.stderr.slice(-4000)}`;
}

function walk(dir: string, base = dir): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (['.venv', '.git', 'node_modules'].includes(entry.name)) continue;
    const abs = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...walk(abs, base));
    else out.push(relative(base, abs));
  }
  return out.sort();
}

function isExecutable(path: string): boolean {
  return existsSync(path) && (statSync(path).mode & 0o111) !== 0;
}

/** Stage names of a Dockerfile (FROM ... AS name). */
function dockerStages(dockerfile: string): string[] {
  return [...readFileSync(dockerfile, 'utf8').matchAll(/^\s*FROM\s+(?:--\S+\s+)*\S+\s+AS\s+(\S+)\s*$/gim)].map((m) => m[1]!.toLowerCase());
}

/** Repository-relative script paths a command line mentions (scripts/...). */
function scriptsIn(command: string): string[] {
  return [...command.matchAll(/(?:^|[\s'";|&(])((?:\.\/)?scripts\/[\w./-]+\.sh)\b/g)].map((m) => m[1]!.replace(/^\.\//, ''));
}

interface TaskInfo {
  after: string[];
  /** The task's own scripts (not its prerequisites'). */
  scripts: string[];
  /** The whole command the task runs in the container. */
  command: string;
  /** Environment variables the task passes into the container from the host. */
  env: string[];
  /** Ports published on the host, as host:container. */
  ports: string[];
}

function batectTasks(dir: string): Map<string, TaskInfo> {
  const config = parseYaml(readFileSync(join(dir, 'batect.yml'), 'utf8'));
  const tasks = new Map<string, TaskInfo>();
  for (const [name, task] of Object.entries<any>(config.tasks)) {
    tasks.set(name, {
      after: task.prerequisites ?? [],
      scripts: scriptsIn(task.run?.command ?? ''),
      command: task.run?.command ?? '',
      env: Object.keys(task.run?.environment ?? {}).sort(),
      ports: (task.run?.ports ?? []).map((p: { local: number; container: number }) => `${p.local}:${p.container}`).sort(),
    });
  }
  return tasks;
}

function composeTasks(dir: string): Map<string, TaskInfo> {
  const services = parseYaml(readFileSync(join(dir, 'compose.yaml'), 'utf8'), { merge: true }).services as Record<string, { ports?: string[]; environment?: Record<string, unknown> }>;
  const list = run('./tasks', ['--list'], { cwd: dir });
  assert.equal(list.status, 0, show(list));
  const tasks = new Map<string, TaskInfo>();
  for (const line of list.stdout.split('\n')) {
    const m = /^ {2}([a-z][a-z-]*) {2,}.*?(?: \(after ([^)]+)\))?$/.exec(line);
    if (!m) continue;
    // The task's own command is the last one a dry run prints.
    const dry = run('./tasks', [m[1]!], { cwd: dir, env: { ...process.env, TASKS_DRY_RUN: '1' } });
    assert.equal(dry.status, 0, `./tasks ${m[1]} (dry run)\n${show(dry)}`);
    const commands = dry.stdout.trim().split('\n');
    assert.ok(commands.every((c) => c.startsWith('+ docker compose ')), dry.stdout);
    // + docker compose [--profile P] run --rm [-e NAME] [--service-ports] <service> <command...>
    const own = /^\+ docker compose(?: --profile \S+)* run --rm((?: -e \S+| --service-ports)*) (\S+) (.*)$/.exec(commands.at(-1)!);
    assert.ok(own, commands.at(-1));
    const [, flags = '', service = '', command = ''] = own;
    const published = flags.includes('--service-ports') ? ((services[service]?.ports ?? []) as string[]) : [];
    tasks.set(m[1]!, {
      after: m[2] ? m[2].split(', ') : [],
      scripts: scriptsIn(command),
      command,
      // Taken from the host: `-e NAME`, and the service's variables listed without a value.
      env: [...[...flags.matchAll(/-e (\S+)/g)].map((e) => e[1]!), ...Object.entries(services[service]?.environment ?? {}).filter(([, v]) => v === null).map(([k]) => k)].sort(),
      // 127.0.0.1:8000:8000 -> 8000:8000 (localhost only is checked on its own)
      ports: published.map((p) => p.split(':').slice(-2).join(':')).sort(),
    });
  }
  return tasks;
}

function assertNoCycles(tasks: Map<string, TaskInfo>): void {
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string, path: string[]): void => {
    if (state.get(name) === 'visiting') assert.fail(`prerequisite cycle: ${[...path, name].join(' -> ')}`);
    if (state.get(name) === 'done') return;
    state.set(name, 'visiting');
    for (const p of tasks.get(name)?.after ?? []) visit(p, [...path, name]);
    state.set(name, 'done');
  };
  for (const name of tasks.keys()) visit(name, []);
}

/** The task names the contract allows for a combination, in the contract's order. */
function expectedTasks(a: Answers): string[] {
  return [
    'setup', 'start-dev-container', 'lint', 'unit-test',
    ...(a.training ? ['smoke-test-model-training', 'model-metrics-test'] : []),
    ...(a.api ? ['api-test'] : []),
    ...(a.training ? ['train-model'] : []),
    ...(a.api ? ['start-api-locally'] : []),
    'start-jupyter',
    ...(a.api ? ['post-deployment-test'] : []),
    ...(a.api && a.cloud !== 'none' ? ['deploy-api'] : []),
    // A training project on a cloud with an ML platform (its record's `training`) trains there too.
    ...(a.training && CLOUDS.find((r) => r.name === a.cloud)?.training ? ['train-in-cloud'] : []),
  ].sort();
}

/** Blinter findings that are accepted, each with the reason. */
const BLINTER_ACCEPTED: { code: string; line: RegExp; why: string }[] = [
  { code: 'SEC014', line: /%\*/, why: 'wrappers pass all their arguments on, unchanged, by design (task names are checked first)' },
  { code: 'SEC011', line: /^cd \/d "%~dp0\.\.\\\.\."$/, why: "go-windows.bat moves to its own project folder, derived from the script's location" },
];

function blinterProblems(file: string): string[] {
  const r = run(BLINTER, ['--no-config', '--format', 'json', file]);
  const report = JSON.parse(r.stdout);
  const lines = readFileSync(file, 'utf8').split('\r\n');
  const problems: string[] = [];
  for (const issue of report.issues as { line: number; code: string; severity: string; context: string }[]) {
    if (issue.severity !== 'Error' && issue.severity !== 'Security') continue;
    const text = lines[issue.line - 1] ?? '';
    if (BLINTER_ACCEPTED.some((a) => a.code === issue.code && a.line.test(text.trim()))) continue;
    problems.push(`${file}:${issue.line} ${issue.code} ${issue.severity}: ${issue.context} | ${text.trim()}`);
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------

before(() => {
  // Idempotent; installs shellcheck and Blinter only when missing.
  const tools = run('bash', [join(REPO, '.ci/tools.d/10-lint-tools.sh')]);
  assert.equal(tools.status, 0, show(tools));
});

after(() => rmSync(WORK, { recursive: true, force: true }));

for (const combo of COMBOS) {
  describe(`dev workflow: ${combo.label}`, () => {
    const a = answers(combo.answers);
    const dir = join(WORK, combo.label.replace(/[^a-z0-9]+/gi, '-'));
    // The same answers with the other runner: both runners must offer the same tasks.
    const otherDir = `${dir}-other-runner`;
    const batectDir = a.runner === 'batect' ? dir : otherDir;
    const composeDir = a.runner === 'compose' ? dir : otherDir;

    before(async () => {
      await renderTo(dir, a);
      await renderTo(otherDir, { ...a, runner: a.runner === 'batect' ? 'compose' : 'batect' });
    });

    test('only the chosen runner and OS files are written', () => {
      const files = walk(dir);
      const has = (p: string) => files.includes(p);
      assert.equal(has('batect.yml') && has('batect') && has('batect.cmd'), a.runner === 'batect');
      assert.equal(has('compose.yaml') && has('tasks'), a.runner === 'compose');
      assert.equal(has('tasks.cmd'), a.runner === 'compose' && a.os.includes('windows'));
      assert.equal(has('scripts/go/go-mac.sh'), a.os.includes('mac'));
      assert.equal(has('scripts/go/go-linux-ubuntu.sh'), a.os.includes('linux'));
      assert.equal(has('scripts/go/go-windows.bat'), a.os.includes('windows'));
      assert.ok(has('scripts/go/setup_host.py') && has('.devcontainer/devcontainer.json'));
      for (const f of ['batect', 'tasks', 'scripts/go/setup_host.py', 'scripts/go/go-mac.sh', 'scripts/go/go-linux-ubuntu.sh']) {
        if (has(f)) assert.ok(isExecutable(join(dir, f)), `${f} is not executable`);
      }
      // setup_host.py has the pinned package manager baked in.
      const setupHost = readFileSync(join(dir, 'scripts/go/setup_host.py'), 'utf8');
      assert.match(setupHost, new RegExp(`PACKAGE_MANAGER = "${a.packageManager}"`));
      assert.match(setupHost, new RegExp(`PACKAGE_MANAGER_VERSION = "${PINS.python[a.packageManager]}"`));
    });

    test('batect.yml passes the schema and the cross-references hold', (t) => {
      const schema = readSchema('batect-configSchema.json');
      const validate = new Ajv({ strict: false, allErrors: true }).compile(schema);
      const doc = parseDocument(readFileSync(join(batectDir, 'batect.yml'), 'utf8'), { uniqueKeys: true });
      assert.deepEqual(doc.errors, []);
      const config = doc.toJS() as { containers: Record<string, any>; tasks: Record<string, any> };
      assert.ok(validate(config), JSON.stringify(validate.errors, null, 2));

      const containers = config.containers as Record<string, any>;
      for (const [name, task] of Object.entries<any>(config.tasks)) {
        assert.ok(containers[task.run.container], `task ${name}: no container ${task.run.container}`);
        for (const p of task.prerequisites ?? []) assert.ok(config.tasks[p], `task ${name}: no prerequisite task ${p}`);
        for (const script of scriptsIn(task.run.command ?? '')) {
          assert.ok(isExecutable(join(batectDir, script)), `task ${name}: ${script} is missing or not executable`);
        }
      }
      assertNoCycles(batectTasks(batectDir));
      assert.deepEqual([...batectTasks(batectDir).keys()].sort(), expectedTasks(a));
      // Test tasks install dependencies first; the metrics test has a trained model.
      const tasks = batectTasks(batectDir);
      const closure = (n: string): string[] => (tasks.get(n)?.after ?? []).flatMap((p) => [p, ...closure(p)]);
      for (const n of tasks.keys()) if (n !== 'setup' && n !== 'deploy-api') assert.ok(closure(n).includes('setup'), `${n} does not run setup first`);
      if (a.training) assert.ok(closure('model-metrics-test').includes('train-model'));
      // Files written by tasks must not be root-owned on Linux.
      assert.equal(containers.dev.run_as_current_user?.enabled, true);
      assert.ok(containers.dev.volumes.some((v: any) => v.type === 'cache' && v.container === '/opt/venv'));
      assert.ok(containers.dev.volumes.some((v: any) => v.local === '.' && v.container === '/code'));
      if (tasks.has('deploy-api')) {
        const image: string = containers.deploy.image;
        const record = CLOUDS.find((r) => r.name === a.cloud)!;
        assert.equal(image, PINS.cloud[record.ci.cliImagePin]);
      }

      const dockerfile = join(batectDir, containers.dev.build_directory, containers.dev.dockerfile ?? 'Dockerfile');
      if (!existsSync(dockerfile)) {
        t.skip('template/Dockerfile.ejs is not written yet (another area); build_target not checked');
        return;
      }
      assert.ok(dockerStages(dockerfile).includes(containers.dev.build_target), `build_target ${containers.dev.build_target} is not a stage of ${dockerfile}`);
    });

    test('compose.yaml and ./tasks offer the same tasks as batect.yml', () => {
      const compose = parseYaml(readFileSync(join(composeDir, 'compose.yaml'), 'utf8'), { merge: true });
      const services = compose.services as Record<string, any>;
      assert.equal(services.dev.build.target, 'dev');
      assert.ok(services.dev.volumes.some((v: any) => v.type === 'volume' && v.target === '/opt/venv'));
      assert.ok(services.dev.volumes.some((v: any) => v.type === 'bind' && v.target === '/code'));
      assert.match(services.dev.user, /HOST_UID/);
      for (const s of Object.values(services)) for (const p of s.ports ?? []) assert.match(p, /^127\.0\.0\.1:/, 'ports are published on localhost only');
      if (existsSync(join(composeDir, 'Dockerfile'))) assert.ok(dockerStages(join(composeDir, 'Dockerfile')).includes('dev'));

      const composed = composeTasks(composeDir);
      const batected = batectTasks(batectDir);
      assert.deepEqual([...composed.keys()].sort(), [...batected.keys()].sort(), 'task names differ between runners');
      assertNoCycles(composed);
      // batect cannot run here (its JAR is only on GitHub), so its tasks are held to the Compose
      // tasks the container tests run for real: same image stage, working folder and mounts, and
      // per task the same command, prerequisites, environment and published ports.
      const containers = parseYaml(readFileSync(join(batectDir, 'batect.yml'), 'utf8')).containers as Record<string, any>;
      const dev = containers.dev;
      assert.equal(dev.build_target, services.dev.build.target, 'image stage differs');
      for (const [name, container] of Object.entries(containers)) {
        assert.ok(services[name], `batect container ${name} has no Compose service`);
        assert.equal(container.working_directory, services[name].working_dir, `${name}: working folder differs`);
        if (container.image) assert.equal(container.image, services[name].image, `${name}: image differs`);
      }
      assert.ok(dev.volumes.some((v: any) => v.local === '.' && v.container === '/code'), 'batect mounts the repository at /code');
      assert.ok(dev.volumes.some((v: any) => v.type === 'cache' && v.container === '/opt/venv'), 'batect keeps the virtualenv at /opt/venv');
      assert.ok(services.dev.volumes.some((v: any) => v.type === 'bind' && v.source === '.' && v.target === dev.volumes[0].container));
      assert.equal(dev.run_as_current_user?.enabled, true, 'both run as the host user');
      for (const [name, info] of composed) {
        const other = batected.get(name)!;
        assert.deepEqual(info.after, other.after, `${name}: prerequisites differ`);
        assert.deepEqual(info.scripts, other.scripts, `${name}: scripts differ`);
        // ./tasks forwards extra arguments to a `bash -c` command (`"$@"`, with the task as $0) and
        // its dry run prints words unquoted; batect appends them itself. Compared without those.
        const words = (command: string) => command.replace(/['"]/g, '').replace(/ \$@/g, '').replace(new RegExp(`^(bash -c .*) ${name}$`), '$1');
        assert.equal(words(info.command), words(other.command), `${name}: commands differ`);
        assert.deepEqual(info.env, other.env, `${name}: environment differs`);
        assert.deepEqual(info.ports, other.ports, `${name}: published ports differ`);
        for (const script of info.scripts) assert.ok(isExecutable(join(composeDir, script)), `${name}: ${script} missing or not executable`);
      }
      // Every service a task uses exists; prerequisites run before the task, once each.
      const dry = run('./tasks', ['start-jupyter'], { cwd: composeDir, env: { ...process.env, TASKS_DRY_RUN: '1' } });
      assert.deepEqual(dry.stdout.trim().split('\n'), [
        '+ docker compose build dev',
        '+ docker compose run --rm dev scripts/setup.sh',
        '+ docker compose run --rm --service-ports jupyter scripts/start-jupyter.sh',
      ]);
      const unknown = run('./tasks', ['no-such-task'], { cwd: composeDir, env: { ...process.env, TASKS_DRY_RUN: '1' } });
      assert.equal(unknown.status, 2);
      // A typo is named as one before Docker is checked: here no engine answers, and the task name is still what is wrong.
      const typo = run('./tasks', ['unit-tests'], { cwd: composeDir, env: { ...process.env, DOCKER_HOST: 'unix:///nonexistent.sock' } });
      assert.equal(typo.status, 2, show(typo));
      assert.match(typo.stderr, /^tasks: unknown task 'unit-tests'$/m);

      if (a.os.includes('windows')) {
        const cmd = readFileSync(join(composeDir, 'tasks.cmd'), 'utf8');
        const labels = [...cmd.matchAll(/^:task_([a-z-]+)\r$/gm)].map((m) => m[1]);
        assert.deepEqual(labels.sort(), [...composed.keys()].sort(), 'tasks.cmd offers other tasks');
        // As ./tasks: a mistyped task is named before Docker is checked (no cmd.exe here to run it).
        assert.ok(cmd.indexOf('unknown task') < cmd.indexOf('docker compose version'), 'tasks.cmd checks Docker before the task name');
        const services = new Set(Object.keys(compose.services));
        for (const m of cmd.matchAll(/^call :(?:compose|deploy) (.*)\r$/gm)) {
          // Options and the variables `-e` passes on go; the service comes first after them.
          const words = m[1]!.replace(/(^| )-e [A-Z0-9_]+/g, '').split(' ').filter((w) => w !== '' && !w.startsWith('-'));
          assert.ok(services.has(words[0]!), `tasks.cmd uses unknown service ${words[0]}`);
        }
      }
    });

    test('shell scripts pass shellcheck and bash -n', () => {
      const files = walk(dir).filter((f) => f.endsWith('.sh') || ['batect', 'tasks'].includes(f));
      assert.ok(files.length > 5);
      for (const f of files) {
        const syntax = run('bash', ['-n', f], { cwd: dir });
        assert.equal(syntax.status, 0, `bash -n ${f}\n${show(syntax)}`);
      }
      const sc = run('shellcheck', ['-x', '--source-path=SCRIPTDIR', ...files], { cwd: dir });
      assert.equal(sc.status, 0, `shellcheck\n${sc.stdout}${sc.stderr}`);
    });

    test('batch files pass Blinter and use CRLF line endings', (t) => {
      const files = walk(dir).filter((f) => /\.(bat|cmd)$/i.test(f));
      if (!a.os.includes('windows') && a.runner !== 'batect') {
        assert.deepEqual(files, []);
        return;
      }
      assert.ok(files.length > 0);
      for (const f of files) {
        const bytes = readFileSync(join(dir, f), 'latin1');
        assert.equal(bytes.split('\n').length, bytes.split('\r\n').length, `${f}: a line ends without CR`);
        assert.ok(!/\r(?!\n)/.test(bytes), `${f}: a stray CR`);
        assert.deepEqual(blinterProblems(join(dir, f)), []);
      }
      if (a.os.includes('windows')) t.diagnostic('go-windows.bat and batect.cmd/tasks.cmd cannot run here (no cmd.exe): static checks only');
    });

    test('go-mac.sh: static checks only', (t) => {
      if (!a.os.includes('mac')) return t.skip('mac not chosen');
      const script = readFileSync(join(dir, 'scripts/go/go-mac.sh'), 'utf8');
      // Bash 3.2 (macOS): no associative arrays, mapfile or ${var,,}.
      assert.doesNotMatch(script, /declare -A|mapfile|readarray|\$\{\w+,,\}/);
      assert.doesNotMatch(script, /curl[^\n|]*\|\s*(ba)?sh/, 'no curl | bash installers');
      assert.match(script, a.runner === 'batect' ? /temurin/ : /compose/);
      t.diagnostic('go-mac.sh needs macOS and Homebrew: shellcheck and these checks only, it is not run here');
    });

    test('devcontainer.json builds the dev stage with current keys', () => {
      const dc = JSON.parse(readFileSync(join(dir, '.devcontainer/devcontainer.json'), 'utf8'));
      assert.equal(dc.build.target, 'dev');
      assert.equal(dc.workspaceFolder, '/code');
      assert.ok(!('settings' in dc) && !('extensions' in dc), 'deprecated top-level settings/extensions');
      assert.ok(Array.isArray(dc.customizations.vscode.extensions));
      assert.notEqual(dc.remoteUser, 'root');
      // No Dev Container features: each is fetched from a container registry (ghcr.io) at `devcontainer up`.
      assert.ok(!('features' in dc), 'devcontainer.json needs a feature from a registry');
      assert.deepEqual(dc.forwardPorts, a.api ? [8000, 8888] : [8888]);
      assert.ok(isExecutable(join(dir, dc.postCreateCommand)));
    });

    test('README partial: chosen OSes, runner tasks, batect caveats', () => {
      const partial = join(TEMPLATE_DIR, '_partials/readme-dev.md.ejs');
      const text = ejs.render(readFileSync(partial, 'utf8'), templateData(a, PINS, { name: 'create-ml-project', version: '0.0.0-test' }, CLOUDS), {
        filename: partial,
        escape: (s: unknown) => String(s),
      });
      assert.equal(text.includes('### macOS'), a.os.includes('mac'));
      assert.equal(text.includes('### Linux'), a.os.includes('linux'));
      assert.equal(text.includes('### Windows'), a.os.includes('windows'));
      const tableTasks = [...text.matchAll(/^\| `([a-z-]+)` \|/gm)].map((m) => m[1]);
      assert.deepEqual(tableTasks.sort(), expectedTasks(a));
      assert.equal(/archived/.test(text), a.runner === 'batect');
      if (a.runner === 'batect') assert.match(text, /1\.44[\s\S]*1\.43[\s\S]*--runner compose/);
      assert.doesNotMatch(text, /<%|%>/);
      // The project README includes it, once README.md.ejs does (lead's file).
      const readme = join(dir, 'README.md');
      if (existsSync(readme) && readFileSync(readme, 'utf8').includes('check out and go')) {
        assert.ok(readFileSync(readme, 'utf8').includes(text.trim().split('\n')[0]!));
      }
    });
  });
}

// ---------------------------------------------------------------------------------------------
// The Linux go script for real, as CI runs it.

describe('go-linux-ubuntu.sh for real (root, no TTY, stdin closed)', () => {
  const toolsDir = join(WORK, 'tools');
  // Poetry reads PyPI's per-release JSON, which some proxies do not serve; .ci/tools.d/20-python-
  // tools.sh then patches the Poetry in .tools/venv. Offer just that poetry on PATH (not uv, so the
  // uv combination exercises the private tool venv install).
  const pathBin = join(WORK, 'path-bin');
  const repoPoetry = join(REPO, '.tools/venv/bin/poetry');

  before(() => {
    mkdirSync(pathBin, { recursive: true });
    if (existsSync(repoPoetry)) symlinkSync(repoPoetry, join(pathBin, 'poetry'));
  });

  const env = {
    ...process.env,
    CI: 'true',
    PATH: `${pathBin}:${process.env.PATH}`,
    SETUP_HOST_TOOLS_DIR: toolsDir,
    DEBIAN_FRONTEND: 'noninteractive',
  };
  // Only the packages the go script manages: other processes on a shared machine may install
  // unrelated ones meanwhile. dpkg-query exits 1 for unknown names, which is fine here.
  const managed = ['git', 'ca-certificates', 'python3', 'python3-venv', 'python3.11', 'python3.11-venv', 'python3.12-venv',
    'python3.13-venv', 'docker.io', 'docker-compose-plugin', 'docker-compose-v2', 'default-jre-headless'];
  const dpkg = () => run('dpkg-query', ['-W', '-f=${Package} ${Version} ${Status}\n', ...managed]).stdout;

  /**
   * The machine running the suite may have a docker client and no engine at its default socket
   * (the container tests start their own elsewhere), and no Compose plugin: the go script then
   * makes .venv all the same and ends with one `go: error:` line per problem, exit 1
   * (test/e2e/docker-faults.test.ts checks each line). Any other error line is a failure.
   */
  const dockerProblems = (stderr: string): boolean => {
    const errors = stderr.split('\n').filter((l) => l.startsWith('go: error: '));
    const known = /^go: error: (no Docker engine answers|Docker Compose v2 \('docker compose'\) is missing|the Docker engine runs but)/;
    assert.deepEqual(errors.filter((l) => !known.test(l)), [], stderr);
    return errors.length > 0;
  };

  for (const combo of COMBOS.filter((c) => c.goRun)) {
    test(`${combo.label}: installs, then a second run changes nothing`, { timeout: 420_000 }, async (t) => {
      const a = answers(combo.answers);
      const dir = join(WORK, `go-${a.packageManager}-${a.runner}`);
      await renderTo(dir, a);
      const go = join(dir, 'scripts/go/go-linux-ubuntu.sh');

      const first = run('bash', [go], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
      t.diagnostic(`first run: ${(first.ms / 1000).toFixed(1)} s`);
      assert.equal(first.status, dockerProblems(first.stderr) ? 1 : 0, show(first));
      // "All set" only when nothing is left to fix: not right above the error lines of exit 1.
      assert.equal(/^go: all set\./m.test(first.stdout), first.status === 0, show(first));
      assert.match(first.stdout, /setup_host: done\. IDE interpreter: .*\.venv\/bin\/python/);
      assert.match(first.stdout, a.runner === 'batect' ? /\.\/batect unit-test/ : /\.\/tasks unit-test/);
      const pm = `${a.packageManager} ${PINS.python[a.packageManager]}`;
      assert.match(first.stdout, new RegExp(`setup_host: (installing ${pm} into ${toolsDir}|${pm} (found on PATH|already installed))`));
      if (a.runner === 'batect') assert.match(first.stdout, /go: ok: (openjdk|java) version/);
      assert.match(first.stdout, /^go: (ok: Docker|skipped: installing Docker)/m);

      const python = join(dir, '.venv/bin/python');
      const imports = run(python, ['-c', `import ${a.name.replace(/-/g, '_')}, ${combo.module}, pytest; print("ok")`], { cwd: '/' });
      assert.equal(imports.stdout.trim(), 'ok', show(imports));
      // setup_host.py is part of the project: it passes the project's own ruff rules.
      const ruff = run(join(dir, '.venv/bin/ruff'), ['check', 'scripts/go/setup_host.py'], { cwd: dir });
      assert.equal(ruff.status, 0, show(ruff));
      const fmt = run(join(dir, '.venv/bin/ruff'), ['format', '--check', 'scripts/go/setup_host.py'], { cwd: dir });
      assert.equal(fmt.status, 0, show(fmt));
      // The notebook group stays out of the host venv.
      assert.notEqual(run(python, ['-c', 'import jupyterlab']).status, 0, 'jupyterlab was installed on the host');

      const packagesBefore = dpkg();
      const toolsBefore = existsSync(toolsDir) ? readdirSync(toolsDir).sort() : [];
      const venvCfg = statSync(join(dir, '.venv/pyvenv.cfg')).mtimeMs;
      const second = run('bash', [go], { cwd: dir, env });
      t.diagnostic(`second run: ${(second.ms / 1000).toFixed(1)} s`);
      assert.equal(second.status, dockerProblems(second.stderr) ? 1 : 0, show(second));
      assert.doesNotMatch(second.stdout, /^go: installing:/m, 'second run installed system packages');
      assert.doesNotMatch(second.stdout, /setup_host: installing (poetry|uv) /, 'second run reinstalled the package manager');
      assert.match(second.stdout, new RegExp(`setup_host: ${pm} (found on PATH|already installed)`));
      assert.equal(dpkg(), packagesBefore, 'second run changed the installed Debian packages');
      assert.deepEqual(existsSync(toolsDir) ? readdirSync(toolsDir).sort() : [], toolsBefore);
      assert.equal(statSync(join(dir, '.venv/pyvenv.cfg')).mtimeMs, venvCfg, '.venv was recreated');
    });
  }

  test('setup_host.py fails clearly on a Python older than 3.11', (t) => {
    const old = ['/usr/bin/python3.10', '/usr/bin/python3.9', '/root/.pyenv/versions/3.10.13/bin/python3', '/root/.pyenv/versions/3.9.18/bin/python3'].find((p) =>
      existsSync(p),
    );
    if (!old) return t.skip('no Python < 3.11 on this machine');
    const dir = join(WORK, 'go-poetry-batect');
    const r = run(old, [join(dir, 'scripts/go/setup_host.py')], { cwd: dir });
    // 3.10 cannot even import tomllib: the script must still say what is wrong, in one line.
    assert.equal(r.status, 1);
    assert.match(r.stderr.trim(), /^setup_host: error: Python 3\.11 or newer is needed, this is 3\.\d+\.\d+ \(.*\); run the go script/);
    assert.equal(r.stderr.trim().split('\n').length, 1);
  });
});

// ---------------------------------------------------------------------------------------------
// The ./batect wrapper against a stand-in JAR.

describe('./batect wrapper', () => {
  const dir = join(WORK, 'wrapper');
  const jar = join(dir, 'fake', 'batect-fake.jar');
  let sha = '';

  before(async () => {
    await renderTo(dir, answers({ runner: 'batect', os: ['linux'] }));
    const src = join(dir, 'fake');
    mkdirSync(src, { recursive: true });
    // Prints what the wrapper handed over: arguments and the BATECT_WRAPPER_* variables.
    writeFileSync(
      join(src, 'Main.java'),
      `public class Main { public static void main(String[] a) {
        System.out.println("FAKE-BATECT args=" + String.join(" ", a)
          + " did_download=" + System.getenv("BATECT_WRAPPER_DID_DOWNLOAD")
          + " script_dir=" + System.getenv("BATECT_WRAPPER_SCRIPT_DIR"));
        System.exit(a.length > 0 && a[0].equals("--fail") ? 3 : 0); } }`,
    );
    writeFileSync(join(src, 'manifest.txt'), 'Main-Class: Main\n');
    const javac = run('javac', ['-d', src, join(src, 'Main.java')]);
    assert.equal(javac.status, 0, show(javac));
    const jarRun = run('jar', ['cfm', jar, join(src, 'manifest.txt'), '-C', src, 'Main.class']);
    assert.equal(jarRun.status, 0, show(jarRun));
    sha = createHash('sha256').update(readFileSync(jar)).digest('hex');
  });

  const wrapper = (cache: string, extra: Record<string, string | undefined>, ...args: string[]) =>
    run(join(dir, 'batect'), args, {
      cwd: dir,
      env: { ...process.env, BATECT_CACHE_DIR: cache, BATECT_DOWNLOAD_URL: `file://${jar}`, BATECT_DOWNLOAD_CHECKSUM: sha, ...extra },
    });

  test('pins batect 0.85.0 with its published SHA-256 (and batect.cmd agrees)', () => {
    const sh = readFileSync(join(dir, 'batect'), 'utf8');
    const cmd = readFileSync(join(dir, 'batect.cmd'), 'utf8');
    const wanted = '901ed73295be75d295cec1d06315f7026b36ccb1666660b8af432cfbbc7feae8';
    assert.match(sh, /batect_version="0\.85\.0"/);
    assert.match(sh, new RegExp(`batect_sha256="${wanted}"`));
    assert.match(cmd, /BATECT_VERSION=0\.85\.0"/);
    assert.match(cmd, new RegExp(`BATECT_SHA256=${wanted}"`));
    if (PINS.batect?.version) assert.equal(PINS.batect.version, '0.85.0');
    if (PINS.batect?.jarSha256) assert.equal(PINS.batect.jarSha256, wanted);
  });

  test('downloads once, then runs from the cache', () => {
    const cache = join(WORK, 'batect-cache-1');
    const first = wrapper(cache, {}, '--list-tasks');
    assert.equal(first.status, 0, show(first));
    assert.match(first.stdout, /FAKE-BATECT args=--list-tasks did_download=true script_dir=.*wrapper\//);
    assert.ok(existsSync(join(cache, '0.85.0', 'batect-0.85.0.jar')));
    const second = wrapper(cache, {}, 'unit-test', '--output=all');
    assert.equal(second.status, 0, show(second));
    assert.match(second.stdout, /args=unit-test --output=all did_download=false/);
    assert.doesNotMatch(second.stderr, /Downloading/);
    // The JAR's exit code is the wrapper's.
    assert.equal(wrapper(cache, {}, '--fail').status, 3);
  });

  test('refuses a wrong checksum and leaves nothing in the cache', () => {
    const cache = join(WORK, 'batect-cache-2');
    const bad = wrapper(cache, { BATECT_DOWNLOAD_CHECKSUM: '0'.repeat(64) }, '--list-tasks');
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /checksum mismatch/);
    assert.doesNotMatch(bad.stdout, /FAKE-BATECT/);
    assert.deepEqual(readdirSync(join(cache, '0.85.0')), []);
    // Without the override the real pinned SHA-256 applies, which the stand-in does not have.
    const pinned = wrapper(cache, { BATECT_DOWNLOAD_CHECKSUM: undefined }, '--list-tasks');
    assert.equal(pinned.status, 1);
    assert.match(pinned.stderr, /expected 901ed732/);
  });

  test('a failed download says how to use a mirror (BATECT_DOWNLOAD_URL), in both wrappers', () => {
    const cache = join(WORK, 'batect-cache-mirror');
    const missing = wrapper(cache, { BATECT_DOWNLOAD_URL: `file://${join(WORK, 'no-such.jar')}` }, '--list-tasks');
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /could not download/);
    assert.match(missing.stderr, /mirror/);
    assert.match(missing.stderr, /BATECT_DOWNLOAD_URL=/);
    assert.match(missing.stderr, /BATECT_DOWNLOAD_CHECKSUM/);
    // batect.cmd cannot run here: its failure message is checked as text.
    const cmd = readFileSync(join(dir, 'batect.cmd'), 'utf8');
    assert.match(cmd, /could not get a verified batect JAR[^\r]*\r\n[^\r]*mirror[^\r]*BATECT_DOWNLOAD_URL/);
  });

  test('a tampered cached JAR is fetched again, not run', () => {
    const cache = join(WORK, 'batect-cache-3');
    assert.equal(wrapper(cache, {}, 'x').status, 0);
    writeFileSync(join(cache, '0.85.0', 'batect-0.85.0.jar'), 'not a jar');
    const again = wrapper(cache, {}, 'x');
    assert.equal(again.status, 0, show(again));
    assert.match(again.stdout, /did_download=true/);
  });

  test('says so when Java is missing or JAVA_HOME is wrong', () => {
    const cache = join(WORK, 'batect-cache-4');
    const badHome = wrapper(cache, { JAVA_HOME: join(WORK, 'no-such-jdk') }, 'x');
    assert.equal(badHome.status, 1, show(badHome));
    assert.match(badHome.stderr, /JAVA_HOME is .*no-such-jdk/);
    // A PATH with everything the wrapper uses except java.
    const bin = join(WORK, 'bin-without-java');
    mkdirSync(bin, { recursive: true });
    for (const tool of ['bash', 'curl', 'sha256sum', 'cut', 'dirname', 'mkdir', 'mktemp', 'mv', 'rm', 'grep', 'hostname']) {
      const found = run('bash', ['-c', `command -v ${tool}`]).stdout.trim();
      if (found) symlinkSync(found, join(bin, tool));
    }
    const noJava = wrapper(cache, { PATH: bin, JAVA_HOME: undefined }, 'x');
    assert.equal(noJava.status, 1, show(noJava));
    assert.match(noJava.stderr, /Java 8 or newer is needed/);
  });
});
