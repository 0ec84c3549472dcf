// The built bin, spawned with no terminal, as CI and agents run it.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { ANSWER_OPTIONS, defaultAnswers, type Answers } from '../../src/options.js';
import { renderProject } from '../../src/project/render.js';
import { writeFiles } from '../../src/write/files.js';
import { bundledTemplate } from '../../src/template/source.js';
import { BIN, cli, tempDir } from '../helpers/cli.js';
import { CLOUD_VALUES_TEXT } from '../helpers/clouds.js';
import { tree } from '../helpers/tree.js';

const pkgVersion = (JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/** What the renderer gives for these answers, as a tree, to compare with what the CLI wrote. */
async function expectedTree(answers: Answers): Promise<Record<string, string>> {
  const dir = await tempDir('cmlp-expected-');
  await writeFiles(dir, await renderProject({ answers, template: bundledTemplate(), version: pkgVersion }));
  return tree(dir);
}

describe('create-ml-project without a terminal', () => {
  it('--yes --no-install scaffolds the defaults with a first commit', async () => {
    const cwd = await tempDir();
    const r = cli(['demo', '--yes', '--no-install'], { cwd });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(await tree(join(cwd, 'demo')), await expectedTree(defaultAnswers('demo')));
    const log = spawnSync('git', ['log', '--format=%s'], { cwd: join(cwd, 'demo'), encoding: 'utf8' });
    assert.equal(log.stdout.trim(), `Initial commit from create-ml-project ${pkgVersion}`);
    const status = spawnSync('git', ['status', '--porcelain'], { cwd: join(cwd, 'demo'), encoding: 'utf8' });
    assert.equal(status.stdout, '', 'everything generated is committed');
    // Run from this checkout, it says to run this checkout's bin again (test/cli/invocation.test.ts).
    assert.ok(r.stdout.includes(`node ${BIN} demo --os mac,linux,windows --cloud none --api --training `), r.stdout);
    assert.match(r.stdout, /--automerge patch --yes$/m);
    assert.doesNotMatch(r.stdout + r.stderr, /\x1b\[/, 'no colour codes without a terminal');
  });

  it('names the project after the folder, or --name', async () => {
    const cwd = await tempDir();
    assert.equal(cli(['nested/dir/churn', '--yes', '--no-install', '--no-git'], { cwd }).code, 0);
    assert.ok(existsSync(join(cwd, 'nested/dir/churn/pyproject.toml')));
    const r = cli(['x-folder', '--name', 'real-name', '--yes', '--no-install', '--no-git'], { cwd });
    assert.equal(r.code, 0, r.stderr);
    assert.match(await readFile(join(cwd, 'x-folder/pyproject.toml'), 'utf8'), /name = "real-name"/);
  });

  // Every answer flag, every non-default value: the CLI writes exactly what the renderer makes for
  // those answers, and the project differs from the default one (no answer is ignored).
  const defaults = defaultAnswers('flagged');
  const defaultTree = expectedTree(defaults);
  for (const option of ANSWER_OPTIONS) {
    if (option.key === 'name') continue;
    const values: [string[], unknown][] =
      option.kind === 'boolean'
        ? [[[`--no-${option.flag}`], false]]
        : option.kind === 'list'
          ? [[[`--${option.flag}`, 'linux'], ['linux']], [[`--${option.flag}`, 'windows,mac'], ['mac', 'windows']]]
          : option.kind === 'choice'
            ? option.choices.filter((c) => c.value !== option.default).map((c) => [[`--${option.flag}`, c.value], c.value])
            : [];
    for (const [flags, value] of values) {
      it(`${flags.join(' ')} changes the project as the renderer says`, async () => {
        const cwd = await tempDir();
        const r = cli(['flagged', ...flags, '--yes', '--no-install', '--no-git'], { cwd });
        assert.equal(r.code, 0, r.stderr);
        const got = await tree(join(cwd, 'flagged'));
        assert.deepEqual(got, await expectedTree({ ...defaults, [option.key]: value }));
        assert.notDeepEqual(got, await defaultTree, `${flags.join(' ')} made no difference to the project`);
      });
    }
  }

  it('lists every missing answer with its flag and exits 2 (no --yes)', async () => {
    const cwd = await tempDir();
    const r = cli(['demo', '--cloud', 'aws', '--no-api'], { cwd });
    assert.equal(r.code, 2);
    for (const flag of ['--os', '--runner', '--python', '--package-manager', '--automerge']) {
      assert.equal(r.stderr.split(flag).length - 1, 1, `${flag} listed once`);
    }
    // Given flags are not missing; training is implied when there is no API.
    assert.doesNotMatch(r.stderr, /missing: --cloud|missing: --api|missing: --training/);
    assert.ok(r.stderr.includes(`usage: node ${BIN} [dir] [options] (see --help)`), r.stderr);
    assert.deepEqual(await readdir(cwd), []);
  });

  for (const [args, pattern] of [
    [['--cloud', 'heroku', '--yes'], new RegExp(`^error: --cloud heroku is not allowed: use one of ${CLOUD_VALUES_TEXT}$`, 'm')],
    [['Bad Name', '--yes'], /^error: folder "Bad Name" gives the project name "Bad Name", which .*--name bad-name\)$/m],
    [['--name', '$(touch pwned)', '--yes'], /^error: --name "\$\(touch pwned\)" may use lowercase/m],
    [['demo', '--no-api', '--no-training', '--yes'], /leaves nothing to generate/],
    [['demo', '--wat'], /^error: unknown option --wat/m],
    [['scikit-learn', '--yes'], /gives the project name scikit-learn, which is taken by a dependency the project installs \(scikit-learn\)/],
    [['demo', '--api', '--no-api', '--yes'], /^error: --api and --no-api contradict each other: give --api once$/m],
    [['demo', '--offline', '--yes'], /^error: --offline applies only to a downloaded template/m],
    [['', '--yes'], /^error: the folder argument is empty/m],
  ] as const) {
    it(`refuses ${args.join(' ')} with exit 2 and writes nothing`, async () => {
      const cwd = await tempDir();
      const r = cli([...args], { cwd });
      assert.equal(r.code, 2);
      assert.match(r.stderr, pattern);
      assert.deepEqual(await readdir(cwd), []);
    });
  }

  it('refuses a non-empty folder with exit 3 and leaves it as it was', async () => {
    const cwd = await tempDir();
    await mkdir(join(cwd, 'demo'));
    await writeFile(join(cwd, 'demo/notes.txt'), 'mine');
    const before = await tree(join(cwd, 'demo'));
    const r = cli(['demo', '--yes', '--no-install'], { cwd });
    assert.equal(r.code, 3);
    assert.match(r.stderr, /is not empty \(notes\.txt\).*--force/);
    assert.deepEqual(await tree(join(cwd, 'demo')), before);
    assert.deepEqual(await readdir(cwd), ['demo'], 'no staging folder left behind');
  });

  it('a template (not the bundled one) that fails to render part-way exits 4 and leaves nothing', async () => {
    const cwd = await tempDir();
    const tpl = await tempDir('cmlp-broken-tpl-');
    await writeFile(join(tpl, 'template.json'), JSON.stringify({ name: 'broken', version: '1', files: [] }));
    for (let i = 0; i < 40; i++) await writeFile(join(tpl, `f${String(i).padStart(2, '0')}.txt`), `file ${i}\n`);
    await writeFile(join(tpl, 'zz.txt.ejs'), 'fine\n<%- notDefined %>\n');
    const r = cli(['demo', '--trust', '--template', tpl, '--yes', '--no-install', '--no-git'], { cwd });
    // The template is at fault, not this tool: exit 1 is kept for bugs (issue 16).
    assert.equal(r.code, 4, r.stderr);
    assert.match(r.stderr, /^error: the template is broken: cannot render zz\.txt\.ejs \(line 2\): notDefined is not defined$/m);
    assert.deepEqual(await readdir(cwd), [], 'no project and no staging folder left');
  });

  it('accepts a folder holding only a fresh git repository', async () => {
    const cwd = await tempDir();
    await mkdir(join(cwd, 'demo'));
    spawnSync('git', ['init', '-q'], { cwd: join(cwd, 'demo') });
    const r = cli(['demo', '--yes', '--no-install'], { cwd });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Skipped git init: already inside the repository/);
  });

  it('--force adds the project and keeps every file the user had', async () => {
    const cwd = await tempDir();
    const project = join(cwd, 'demo');
    await mkdir(join(project, 'src'), { recursive: true });
    await writeFile(join(project, 'notes.txt'), 'mine');
    await writeFile(join(project, 'pyproject.toml'), 'my pyproject');
    const r = cli(['demo', '--yes', '--no-install', '--no-git', '--force'], { cwd });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(await readFile(join(project, 'notes.txt'), 'utf8'), 'mine');
    assert.equal(await readFile(join(project, 'pyproject.toml'), 'utf8'), 'my pyproject');
    assert.match(r.stderr, /kept your existing pyproject\.toml/);
    // The count is of files written, not of the template's files.
    const written = Number(/Wrote (\d+) files to demo \(kept 1 of yours\)/.exec(r.stdout)?.[1]);
    assert.equal(written, Object.keys(await tree(project)).length - 2, r.stdout);
    assert.ok(existsSync(join(project, 'Dockerfile')) || existsSync(join(project, 'poetry.toml')));
    assert.deepEqual((await readdir(cwd)).sort(), ['demo'], 'no staging folder left behind');
  });

  it('--force keeps a secrets file the user had out of the first commit', async () => {
    // .env is where python-dotenv, Compose and most tools keep secrets: the generated .gitignore
    // must keep it, and its per-environment variants, out of git; an example file is shared.
    const cwd = await tempDir();
    const project = join(cwd, 'demo');
    await mkdir(project);
    await writeFile(join(project, '.env'), 'API_TOKEN=secret\n');
    await writeFile(join(project, '.env.production'), 'API_TOKEN=secret\n');
    await writeFile(join(project, '.env.example'), 'API_TOKEN=\n');
    const r = cli(['demo', '--yes', '--no-install', '--force'], { cwd });
    assert.equal(r.code, 0, r.stderr);
    const committed = spawnSync('git', ['ls-files'], { cwd: project, encoding: 'utf8' }).stdout.split('\n');
    assert.ok(committed.includes('README.md'), `the first commit holds the project: ${committed.join(' ')}`);
    assert.ok(!committed.includes('.env') && !committed.includes('.env.production'), `a secrets file was committed: ${committed.join(' ')}`);
    assert.ok(committed.includes('.env.example'), 'the example file is shared');
  });

  it("warns when the deploy's service names will not fit the cloud's limits, and only then", async () => {
    // App Runner: 4 to 40 characters; Container Apps: 2 to 32, with "-staging" counted.
    const cwd = await tempDir();
    const short = cli(['qrz', '--cloud', 'aws', '--yes', '--no-install', '--no-git'], { cwd });
    assert.equal(short.code, 0, short.stderr);
    assert.match(short.stderr, /^warning: App Runner takes service names of 4 to 40 characters, and qrz-staging and qrz do not fit: set the repository variable SERVICE_NAME before the first deploy \(README\.md, "CI\/CD"\)$/m);
    const long = 'a-very-long-project-name-x';
    const json = cli([long, '--cloud', 'azure', '--yes', '--no-install', '--no-git', '--json'], { cwd });
    assert.equal(json.code, 0, json.stderr);
    const { warnings } = JSON.parse(json.stdout) as { warnings: string[] };
    assert.deepEqual(warnings.filter((w) => w.includes('SERVICE_NAME')), [`Container Apps takes service names of 2 to 32 characters, and ${long}-staging and ${long} do not fit: set the repository variable SERVICE_NAME before the first deploy (README.md, "CI/CD")`]);
    for (const args of [['fits', '--cloud', 'aws'], ['qry', '--cloud', 'gcp'], ['qrx', '--cloud', 'aws', '--no-api']]) {
      const r = cli([...args, '--yes', '--no-install', '--no-git'], { cwd });
      assert.equal(r.code, 0, r.stderr);
      assert.doesNotMatch(r.stderr, /SERVICE_NAME/, args.join(' '));
    }
  });

  it('--force refuses a folder holding a project this tool made, and points at update --set', async () => {
    const cwd = await tempDir();
    assert.equal(cli(['demo', '--yes', '--no-install', '--no-git'], { cwd }).code, 0);
    const before = await tree(join(cwd, 'demo'));
    const r = cli(['demo', '--cloud', 'aws', '--yes', '--no-install', '--no-git', '--force'], { cwd });
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, /^error: .*demo already holds a project made by create-ml-project \(\.create-ml-project\.json\); to change its answers, run node \S+\/dist\/index\.cjs update .*--set/m);
    assert.deepEqual(await tree(join(cwd, 'demo')), before);
  });

  it('refuses a target that cannot be created with exit 3, one line, nothing written', async () => {
    const cwd = await tempDir();
    await writeFile(join(cwd, 'file'), 'mine');
    const inFile = cli(['file/sub/demo', '--yes', '--no-install', '--no-git'], { cwd });
    assert.equal(inFile.code, 3, inFile.stderr);
    assert.match(inFile.stderr, /^error: .*file\/sub\/demo cannot be a project folder: part of that path is a file; pick another project folder$/m);
    assert.doesNotMatch(inFile.stderr, /at .*\.cjs:\d+/, 'no stack trace');
    assert.deepEqual(await readdir(cwd), ['file']);
    // A parent reached through a symlink is a folder like any other.
    await mkdir(join(cwd, 'real'));
    await symlink(join(cwd, 'real'), join(cwd, 'linked'));
    const linked = cli(['linked/new/demo', '--yes', '--no-install', '--no-git'], { cwd });
    assert.equal(linked.code, 0, linked.stderr);
    assert.ok(existsSync(join(cwd, 'real/new/demo/pyproject.toml')));
    // So is a target that is a link to an empty folder (a folder on another disk): the files go there.
    await mkdir(join(cwd, 'elsewhere'));
    await symlink(join(cwd, 'elsewhere'), join(cwd, 'link'));
    const target = cli(['link', '--yes', '--no-install', '--no-git'], { cwd });
    assert.equal(target.code, 0, target.stderr);
    assert.ok(existsSync(join(cwd, 'elsewhere/pyproject.toml')));
    // /proc takes no new folders, whoever runs the tests (root included).
    if (existsSync('/proc/self')) {
      const proc = cli(['/proc/cmlp-demo', '--yes', '--no-install', '--no-git'], { cwd });
      assert.equal(proc.code, 3, proc.stderr);
      assert.match(proc.stderr, /^error: cannot create \/proc\/cmlp-demo: /m);
    }
  });

  it('creates no repository with --no-git, and none inside an existing one', async () => {
    const cwd = await tempDir();
    assert.equal(cli(['a', '--yes', '--no-install', '--no-git'], { cwd }).code, 0);
    assert.ok(!existsSync(join(cwd, 'a/.git')));
    spawnSync('git', ['init', '-q'], { cwd });
    const r = cli(['b', '--yes', '--no-install'], { cwd });
    assert.equal(r.code, 0, r.stderr);
    assert.ok(!existsSync(join(cwd, 'b/.git')));
  });

  it('exits 5 when setup cannot find Python, keeping the project and its repository', async () => {
    const cwd = await tempDir();
    const gitDir = dirname(spawnSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).stdout.trim());
    const r = cli(['demo', '--yes'], { cwd, env: { PATH: gitDir === '/usr/bin' ? '/usr/bin/nonexistent:/usr/lib/git-core' : gitDir } });
    // PATH above has git (or nothing at all) but no python: a real setup failure.
    assert.equal(r.code, 5, r.stderr);
    assert.match(r.stderr, /setup needs Python 3\.11 or newer/);
    assert.match(r.stderr, /cd demo && python3 scripts\/go\/setup_host\.py/);
    assert.ok(existsSync(join(cwd, 'demo/pyproject.toml')), 'project kept');
    // The retry is a command to paste: a folder with a space in its path is quoted.
    const spaced = cli(['my work/demo', '--yes', '--no-git'], { cwd, env: { PATH: '/usr/bin/nonexistent' } });
    assert.equal(spaced.code, 5, spaced.stderr);
    assert.match(spaced.stderr, /^ {2}cd 'my work\/demo' && python3 scripts\/go\/setup_host\.py$/m);
  });

  it('prints --version and --help', () => {
    const v = cli(['--version'], { cwd: process.cwd() });
    assert.equal(v.code, 0);
    assert.equal(v.stdout.trim(), pkgVersion);
    const h = cli(['-h'], { cwd: process.cwd() });
    assert.equal(h.code, 0);
    assert.match(h.stdout, /--package-manager <value>/);
  });

  it('answers `help` as --help, and `help <command>` as that command\'s --help', () => {
    const main = cli(['--help'], { cwd: process.cwd() });
    const help = cli(['help'], { cwd: process.cwd() });
    assert.equal(help.code, 0, help.stderr);
    assert.equal(help.stdout, main.stdout);
    for (const command of ['update', 'check-update', 'doctor']) {
      const own = cli([command, '--help'], { cwd: process.cwd() });
      const viaHelp = cli(['help', command], { cwd: process.cwd() });
      assert.equal(viaHelp.code, 0, viaHelp.stderr);
      assert.equal(viaHelp.stdout, own.stdout, command);
      assert.match(viaHelp.stdout, new RegExp(command));
    }
    // Flags after it are those of the help it shows; a topic that is no command is named as such.
    const flagged = cli(['help', 'update', '--no-color'], { cwd: process.cwd() });
    assert.equal(flagged.code, 0, flagged.stderr);
    assert.equal(flagged.stdout, cli(['update', '--help'], { cwd: process.cwd() }).stdout);
    const typo = cli(['help', 'updte'], { cwd: process.cwd() });
    assert.equal(typo.code, 2);
    assert.equal(typo.stdout, '');
    assert.equal(typo.stderr, 'error: help: updte is not a command; the commands are update, check-update, doctor (help alone shows the options)\n');
  });
});
