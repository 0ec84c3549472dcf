// The commands the tool prints work the way it was run (src/invocation.ts). create-ml-project is
// not on the npm registry before its first release, so a printed `npm create ml-project@…` could
// not work: run from the packed tarball, a global install and this checkout, the reproduce line
// names that same way, and running it makes the same project byte for byte.
// `npm run build` first (the tarball packs dist/).

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { before, describe, it } from 'node:test';
import { BIN, ROOT, TEST_COMPILE_CACHE, tempDir } from '../helpers/cli.js';
import { tree } from '../helpers/tree.js';

const QUICK = ['--yes', '--no-install', '--no-git', '--json'];

/** npm and the bin with a private npm cache (npm's own cache is never touched), no terminal. */
function environment(cache: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NO_COLOR: '1',
    NODE_COMPILE_CACHE: TEST_COMPILE_CACHE,
    npm_config_cache: cache,
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
    // As this test's own runner may have been started by npm: the bin must not take its word.
    npm_config_user_agent: undefined,
    ...extra,
  };
}

function run(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv) {
  const r = spawnSync(command, args, { cwd, env, encoding: 'utf8', timeout: 180_000, stdio: ['ignore', 'pipe', 'pipe'] });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, shown: `${command} ${args.join(' ')}\n${r.stdout}\n${r.stderr}` };
}

/** The reproduce line printed by a --json scaffold (the field name is part of the JSON contract). */
function reproduced(stdout: string): string {
  const out = JSON.parse(stdout) as { ok: boolean; reproduce: string };
  assert.equal(out.ok, true, stdout);
  return out.reproduce;
}

/** Runs a printed command line as a user pastes it into a shell, in another folder. */
async function again(line: string, env: NodeJS.ProcessEnv): Promise<string> {
  const cwd = await tempDir('cmlp-again-');
  const r = run('sh', ['-c', line], cwd, env);
  assert.equal(r.code, 0, r.shown);
  return cwd;
}

describe('printed commands run the way the tool was run', () => {
  let tarball = '';
  let cache = '';
  before(async () => {
    cache = await tempDir('cmlp-npm-cache-');
    const out = await tempDir('cmlp-pack-');
    const r = run('npm', ['pack', '--json', '--pack-destination', out], ROOT, environment(cache));
    assert.equal(r.code, 0, r.shown);
    tarball = join(out, (JSON.parse(r.stdout) as { filename: string }[])[0]!.filename);
  });

  it('from the tarball (npm exec --package=<tgz>): npm exec of that tarball by absolute path, which works', async () => {
    const env = environment(cache);
    const first = await tempDir('cmlp-tgz-');
    // Given by a relative path, as a user types it: the printed one is absolute.
    const r = run('npm', ['exec', '--yes', `--package=${relative(first, tarball)}`, '--', 'create-ml-project', 'demo', ...QUICK], first, env);
    assert.equal(r.code, 0, r.shown);
    const line = reproduced(r.stdout);
    assert.ok(line.startsWith(`npm exec --yes --package=${tarball} -- create-ml-project demo --os `), line);
    assert.doesNotMatch(line, /npm create|npx/);

    const second = await again(line, env);
    assert.deepEqual(await tree(join(second, 'demo')), await tree(join(first, 'demo')), 'the printed command makes the same project');

    // Its hints are run the same way: --help, and the refusal to scaffold over a project.
    const help = run('npm', ['exec', '--yes', `--package=${tarball}`, '--', 'create-ml-project', '--help'], first, env);
    // --help wraps usage lines to 80 columns with a hanging indent of six: read them unwrapped.
    assert.match(help.stdout.replace(/\n {6}/g, ' '), new RegExp(`^ {2}npm exec --yes --package=${tarball.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} -- create-ml-project check-update \\[dir\\]`, 'm'));
    const over = run('npm', ['exec', '--yes', `--package=${tarball}`, '--', 'create-ml-project', 'demo', '--yes', '--no-install', '--no-git'], first, env);
    assert.equal(over.code, 3, over.shown);
    assert.ok(over.stderr.includes(`run npm exec --yes --package=${tarball} -- create-ml-project update `), over.stderr);
    // The generated README does not send anyone to the registry either.
    const readme = await readFile(join(first, 'demo/README.md'), 'utf8');
    assert.doesNotMatch(readme, /npx|npm create|@latest/);
    assert.match(readme, /not run from the npm registry/);
  });

  it('from a global install (npm i -g <tgz>): the bare create-ml-project, which works', async () => {
    const prefix = await tempDir('cmlp-global-');
    const env = environment(cache, { npm_config_prefix: prefix, PATH: `${join(prefix, 'bin')}:${process.env.PATH}` });
    const install = run('npm', ['install', '--global', '--offline', tarball], prefix, env);
    assert.equal(install.code, 0, install.shown);
    const first = await tempDir('cmlp-global-run-');
    const r = run('create-ml-project', ['demo', ...QUICK], first, env);
    assert.equal(r.code, 0, r.shown);
    const line = reproduced(r.stdout);
    assert.ok(line.startsWith('create-ml-project demo --os '), line);
    const second = await again(line, env);
    assert.deepEqual(await tree(join(second, 'demo')), await tree(join(first, 'demo')));
  });

  it('from this checkout (node dist/index.cjs): node <checkout>/dist/index.cjs, which works', async () => {
    const env = environment(cache, { npm_config_user_agent: 'npm/11.19.1 node/v20.20.2 linux x64 workspaces/false' });
    const first = await tempDir('cmlp-checkout-');
    const r = run(process.execPath, [BIN, 'demo', ...QUICK], first, env);
    assert.equal(r.code, 0, r.shown);
    const line = reproduced(r.stdout);
    assert.ok(line.startsWith(`node ${BIN} demo --os `), line);
    const second = await again(line, env);
    assert.deepEqual(await tree(join(second, 'demo')), await tree(join(first, 'demo')));
    // --dry-run --json carries the same command.
    const dry = run(process.execPath, [BIN, 'other', '--yes', '--dry-run', '--json'], first, env);
    assert.ok(reproduced(dry.stdout).startsWith(`node ${BIN} other --os `), dry.stdout);
    const help = run(process.execPath, [BIN, '--help'], first, env);
    assert.match(help.stdout.replace(/\n {6}/g, ' '), new RegExp(`^ {2}node ${BIN.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\[dir\\] \\[options\\]$`, 'm'));
    assert.doesNotMatch(help.stdout, /npm create|npx/);
  });
});
