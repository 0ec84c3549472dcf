// Answers file, replay, --dry-run and --json: the features that let scripts and teams rely on
// the tool after day one.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFile, readdir, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Ajv } from 'ajv';
import { answersSchema } from '../../src/answers-file.js';
import { templateHash } from '../helpers/render.js';
import { BIN, cli, ROOT, TEST_COMPILE_CACHE, tempDir } from '../helpers/cli.js';
import { tree } from '../helpers/tree.js';

const schema = JSON.parse(await readFile(join(ROOT, 'schema/answers.schema.json'), 'utf8')) as Record<string, unknown>;
const validate = new Ajv({ strict: false, allErrors: true }).compile(schema);

describe('answers file', () => {
  it('the published schema is the one the option table makes (npm run schema)', () => {
    assert.deepEqual(schema, answersSchema());
  });

  it('is written into every project and validates against the schema', async () => {
    // dist/template.pack carries the bundled template's hash from build time (build.mjs): it must
    // be the hash of the template folder as it is now, or the build is stale.
    const bundledHash = await templateHash(join(ROOT, 'template'));
    for (const flags of [[], ['--os', 'linux', '--cloud', 'gcp', '--no-api', '--package-manager', 'uv'], ['--no-training', '--automerge', 'off']]) {
      const cwd = await tempDir();
      const r = cli(['p', ...flags, '--yes', '--no-install', '--no-git'], { cwd });
      assert.equal(r.code, 0, r.stderr);
      const record = JSON.parse(await readFile(join(cwd, 'p/.create-ml-project.json'), 'utf8')) as { template: { source: string; hash: string } };
      assert.ok(validate(record), JSON.stringify(validate.errors));
      assert.equal(record.template.source, 'bundled');
      assert.equal(record.template.hash, bundledHash, 'dist/ was built from another template: npm run build');
    }
    assert.ok(!validate({ generator: { name: 'create-ml-project', version: '1' }, template: {}, answers: { name: 'x' } }), 'the schema rejects junk');
  });

  it('replays to a byte-identical project', async () => {
    const first = await tempDir();
    const flags = ['--os', 'mac,windows', '--cloud', 'azure', '--runner', 'compose', '--python', '3.14', '--package-manager', 'uv', '--automerge', 'minor'];
    assert.equal(cli(['replayed', ...flags, '--yes', '--no-install', '--no-git'], { cwd: first }).code, 0);
    const second = await tempDir();
    const r = cli(['--answers', join(first, 'replayed/.create-ml-project.json'), '--no-install', '--no-git'], { cwd: second });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(await tree(join(second, 'replayed')), await tree(join(first, 'replayed')));
  });

  it('lets flags override a replayed answer', async () => {
    const first = await tempDir();
    assert.equal(cli(['orig', '--cloud', 'aws', '--yes', '--no-install', '--no-git'], { cwd: first }).code, 0);
    const r = cli(['copied', '--answers', join(first, 'orig/.create-ml-project.json'), '--cloud', 'gcp', '--no-install', '--no-git'], { cwd: first });
    assert.equal(r.code, 0, r.stderr);
    const record = JSON.parse(await readFile(join(first, 'copied/.create-ml-project.json'), 'utf8'));
    assert.equal(record.answers.cloud, 'gcp');
    assert.equal(record.answers.name, 'copied');
  });

  it('reads the answers from standard input (-) or a pipe (/dev/stdin, a shell\'s <(…))', async () => {
    const first = await tempDir();
    assert.equal(cli(['piped', '--os', 'linux', '--cloud', 'gcp', '--yes', '--no-install', '--no-git'], { cwd: first }).code, 0);
    const recorded = join(first, 'piped/.create-ml-project.json');
    const expected = await tree(join(first, 'piped'));
    const env = { ...process.env, NO_COLOR: '1', NODE_COMPILE_CACHE: TEST_COMPILE_CACHE };
    // From a shell: a pipe into -, a pipe into /dev/stdin, a process substitution; from a parent
    // process's pipe (a socket here): -.
    const shell = (line: string, cwd: string) => spawnSync('bash', ['-c', line, 'bash', process.execPath, BIN, recorded], { cwd, env, encoding: 'utf8', timeout: 60_000 });
    for (const line of ['cat "$3" | "$1" "$2" --answers - --no-install --no-git', 'cat "$3" | "$1" "$2" --answers /dev/stdin --no-install --no-git', '"$1" "$2" --answers <(cat "$3") --no-install --no-git']) {
      const cwd = await tempDir();
      const r = shell(line, cwd);
      assert.equal(r.status, 0, `${line}: ${r.stderr}`);
      assert.deepEqual(await tree(join(cwd, 'piped')), expected, line);
    }
    const cwd = await tempDir();
    const r = spawnSync(process.execPath, [BIN, '--answers', '-', '--no-install', '--no-git'], { cwd, env, input: await readFile(recorded), encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(await tree(join(cwd, 'piped')), expected);
    // What is neither a file nor a pipe is still refused, in one line naming it.
    const device = cli(['--answers', '/dev/null', '--no-install'], { cwd });
    assert.equal(device.code, 2);
    assert.match(device.stderr, /--answers \/dev\/null cannot be read: not a regular file or a pipe/);
    const terminalLike = spawnSync(process.execPath, [BIN, '--answers', '-', '--no-install'], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', timeout: 60_000 });
    assert.equal(terminalLike.status, 2);
    assert.match(terminalLike.stderr, /--answers - cannot be read: standard input is a terminal or a device: pipe the file in, or name it/);
  });

  it('refuses a broken answers file with exit 2, writing nothing', async () => {
    const cwd = await tempDir();
    await writeFile(join(cwd, 'bad.json'), JSON.stringify({ answers: { name: 'ok-name', cloud: 'mars' } }));
    const r = cli(['--answers', 'bad.json', '--no-install'], { cwd });
    assert.equal(r.code, 2);
    // Checked by the published schema itself: a file of answers alone is not an answers file.
    assert.match(r.stderr, /--answers bad\.json does not match the answers schema: the file: misses "generator"/);
    assert.deepEqual(await readdir(cwd), ['bad.json']);
    const missing = cli(['--answers', 'nope.json'], { cwd });
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /--answers nope\.json cannot be read: no such file/);
  });
});

describe('--dry-run', () => {
  it('prints the plan and leaves the file system untouched', async () => {
    const cwd = await tempDir();
    await mkdir(join(cwd, 'existing'));
    await writeFile(join(cwd, 'existing/pyproject.toml'), 'mine');
    const before = await tree(cwd);
    const r = cli(['existing', '--yes', '--force', '--dry-run'], { cwd });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Dry run: would write \d+ files to existing/);
    assert.match(r.stdout, /scripts\/go\/setup_host\.py/);
    assert.deepEqual(await tree(cwd), before);
    const j = cli(['existing', '--yes', '--force', '--dry-run', '--json'], { cwd });
    const plan = JSON.parse(j.stdout);
    assert.equal(plan.dryRun, true);
    assert.deepEqual(plan.kept, ['pyproject.toml']);
    assert.ok(plan.files.includes('.create-ml-project.json'));
    assert.deepEqual(await tree(cwd), before);
  });
});

describe('--json', () => {
  it('prints one JSON object for a success, and nothing else', async () => {
    const cwd = await tempDir();
    const r = cli(['demo', '--yes', '--no-install', '--json'], { cwd, env: { FORCE_COLOR: '1', NO_COLOR: undefined } });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
    const out = JSON.parse(r.stdout);
    assert.equal(out.ok, true);
    assert.equal(out.path, join(cwd, 'demo'));
    assert.equal(out.answers.name, 'demo');
    assert.ok(out.files.length > 20);
    assert.ok(out.nextSteps[0] === 'cd demo');
    assert.match(out.reproduce, /--yes$/);
    assert.doesNotMatch(r.stdout, /\x1b\[/);
  });

  const failures: [string, string[], number, (cwd: string) => Promise<void>, NodeJS.ProcessEnv?][] = [
    ['a bad flag', ['--cloud', 'mars'], 2, async () => {}],
    ['missing answers', ['demo'], 2, async () => {}],
    ['a non-empty target', ['demo', '--yes'], 3, async (cwd) => { await mkdir(join(cwd, 'demo')); await writeFile(join(cwd, 'demo/x'), ''); }],
    ['a missing template', ['demo', '--yes', '--trust', '--template', './no-such-template'], 4, async () => {}],
    ['a setup failure', ['demo', '--yes'], 5, async () => {}, { PATH: '/nonexistent' }],
  ];
  for (const [what, args, code, prepare, env] of failures) {
    it(`reports ${what} as JSON with exit code ${code}`, async () => {
      const cwd = await tempDir();
      await prepare(cwd);
      const r = cli([...args, '--json'], { cwd, ...(env ? { env } : {}) });
      assert.equal(r.code, code, r.stdout + r.stderr);
      const out = JSON.parse(r.stdout);
      assert.equal(out.ok, false);
      assert.equal(out.exitCode, code);
      assert.equal(typeof out.error, 'string');
      assert.equal(r.stderr, '');
    });
  }
});
