// How the tool was run (src/invocation.ts), from folders laid out the way each package manager
// lays out what it installs (npm 11's _npx and pnpm 9's dlx folders were copied from real runs),
// and everything that prints a command of the tool: the reproduce line, --help, the README.

import assert from 'node:assert/strict';
import { mkdirSync, realpathSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { helpText } from '../../src/help.js';
import { commandLine, fromRegistry, howRun, PACKAGE_ROOT, type Invocation } from '../../src/invocation.js';
import { defaultAnswers } from '../../src/options.js';
import { renderProject } from '../../src/project/render.js';
import { reproduceCommand } from '../../src/steps/next-steps.js';
import { bundledTemplate } from '../../src/template/source.js';
import { colors } from '../../src/ui.js';
import { scratchDirSync } from '../helpers/scratch.js';

const VERSION = '0.1.0';
const base = realpathSync(scratchDirSync('cmlp-invocation-'));

/** Makes `<base>/<path>` (the package root) and, when given, the installing folder's package.json. */
function layout(path: string, installer?: { at: string; spec: string }): string {
  const root = join(base, path);
  mkdirSync(join(root, 'dist'), { recursive: true });
  writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'create-ml-project', version: VERSION }));
  if (installer) {
    mkdirSync(join(base, installer.at), { recursive: true });
    writeFileSync(join(base, installer.at, 'package.json'), JSON.stringify({ dependencies: { 'create-ml-project': installer.spec } }));
  }
  return root;
}

const npm = { npm_config_user_agent: 'npm/11.19.1 node/v20.20.2 linux x64 workspaces/false' };
const pnpm = { npm_config_user_agent: 'pnpm/9.15.0 npm/? node/v20.20.2 linux x64' };
const yarn1 = { npm_config_user_agent: 'yarn/1.22.22 npm/? node/v20.20.2 linux x64' };
const yarn4 = { npm_config_user_agent: 'yarn/4.5.0 npm/? node/v20.20.2 linux x64' };
const bun = { npm_config_user_agent: 'bun/1.1.30 npm/? node/v22.6.0 linux x64' };

function line(invocation: Invocation): { run: string; create: string } {
  return { run: commandLine(invocation.run), create: commandLine(invocation.create) };
}

describe('how the tool was run', () => {
  it('from a checkout (npm start, node dist/index.cjs, npx <checkout>): node <root>/dist/index.cjs', () => {
    const root = layout('work/create-ml-project');
    mkdirSync(join(root, 'src'));
    mkdirSync(join(root, '.git'));
    for (const env of [{}, npm, pnpm]) {
      const got = howRun(env, VERSION, { root });
      assert.equal(got.kind, 'checkout');
      assert.deepEqual(line(got), { run: `node ${root}/dist/index.cjs`, create: `node ${root}/dist/index.cjs` });
    }
    // This repository, as the tests run it.
    assert.deepEqual(howRun(npm, VERSION).run, ['node', join(PACKAGE_ROOT, 'dist', 'index.cjs')]);
  });

  it('from an unpacked package folder outside node_modules: node <root>/dist/index.cjs', () => {
    const root = layout('unpacked/package');
    assert.equal(howRun({}, VERSION, { root }).kind, 'checkout');
  });

  it('quotes a path a shell would split', () => {
    const root = layout('my work/create-ml-project');
    assert.equal(line(howRun({}, VERSION, { root })).run, `node '${root}/dist/index.cjs'`);
  });

  it('npm create / npx from the registry: npm create ml-project@<version> -- and npx create-ml-project@<version>', () => {
    for (const spec of ['^0.1.0', '0.1.0', 'latest', 'npm:create-ml-project@0.1.0']) {
      const root = layout('cache/_npx/3f1e/node_modules/create-ml-project', { at: 'cache/_npx/3f1e', spec });
      const got = howRun(npm, VERSION, { root });
      assert.equal(got.kind, 'registry', spec);
      assert.deepEqual(line(got), { run: 'npx create-ml-project@0.1.0', create: 'npm create ml-project@0.1.0 --' });
    }
  });

  it('npx ./create-ml-project-0.1.0.tgz: npm exec of that tarball by absolute path', () => {
    // npm writes the spec relative to the _npx/<hash> folder.
    const root = layout('home/.npm/_npx/87ff/node_modules/create-ml-project', { at: 'home/.npm/_npx/87ff', spec: 'file:../../../../downloads/create-ml-project-0.1.0.tgz' });
    const got = howRun(npm, VERSION, { root });
    assert.equal(got.kind, 'package');
    const exec = `npm exec --yes --package=${base}/downloads/create-ml-project-0.1.0.tgz -- create-ml-project`;
    assert.deepEqual(line(got), { run: exec, create: exec });
    const absolute = layout('c2/_npx/1/node_modules/create-ml-project', { at: 'c2/_npx/1', spec: 'file:/srv/create-ml-project-0.1.0.tgz' });
    assert.equal(line(howRun(npm, VERSION, { root: absolute })).run, 'npm exec --yes --package=/srv/create-ml-project-0.1.0.tgz -- create-ml-project');
  });

  it('npx of a git URL: npm exec of that spec', () => {
    const root = layout('c3/_npx/2/node_modules/create-ml-project', { at: 'c3/_npx/2', spec: 'github:acme/create-ml-project#v0.1.0' });
    assert.equal(line(howRun(npm, VERSION, { root })).run, "npm exec --yes '--package=github:acme/create-ml-project#v0.1.0' -- create-ml-project");
  });

  it('an _npx folder whose package.json is gone or unreadable: the bare name', () => {
    const root = layout('c4/_npx/3/node_modules/create-ml-project');
    assert.equal(howRun(npm, VERSION, { root }).kind, 'global');
    assert.equal(howRun(npm, VERSION, { root, readFile: () => '{not json' }).kind, 'global');
  });

  it('pnpm create / pnpm dlx from the registry: pnpm create ml-project@<version> and pnpm dlx', () => {
    const root = layout('pnpm-cache/dlx/pwx2/1a24-3d41/node_modules/.pnpm/create-ml-project@0.1.0/node_modules/create-ml-project', { at: 'pnpm-cache/dlx/pwx2/1a24-3d41', spec: '0.1.0' });
    const got = howRun(pnpm, VERSION, { root });
    assert.equal(got.kind, 'registry');
    assert.deepEqual(line(got), { run: 'pnpm dlx create-ml-project@0.1.0', create: 'pnpm create ml-project@0.1.0' });
  });

  it('pnpm dlx of a tarball: npm exec of that tarball', () => {
    const root = layout('p2/dlx/h/i/node_modules/.pnpm/create-ml-project@file+x.tgz/node_modules/create-ml-project', { at: 'p2/dlx/h/i', spec: 'file:/srv/x.tgz' });
    assert.equal(line(howRun(pnpm, VERSION, { root })).run, 'npm exec --yes --package=/srv/x.tgz -- create-ml-project');
  });

  it('yarn create (yarn 1, a global add): npm forms, as yarn 1 cannot pin a version', () => {
    const root = layout('home/.config/yarn/global/node_modules/create-ml-project', { at: 'home/.config/yarn/global', spec: '^0.1.0' });
    assert.deepEqual(line(howRun(yarn1, VERSION, { root })), { run: 'npx create-ml-project@0.1.0', create: 'npm create ml-project@0.1.0 --' });
    // yarn 1 writes a tarball as a bare path.
    const tgz = layout('h2/.config/yarn/global/node_modules/create-ml-project', { at: 'h2/.config/yarn/global', spec: '/srv/x.tgz' });
    assert.equal(howRun(yarn1, VERSION, { root: tgz }).kind, 'package');
    // The same folder used as a global install, run from a shell: the bare name.
    assert.equal(howRun({}, VERSION, { root }).kind, 'global');
  });

  it('yarn create / yarn dlx (yarn 2+): yarn create ml-project@<version> and yarn dlx', () => {
    const root = layout('tmp/xfs-1a2b/dlx-4242/node_modules/create-ml-project', { at: 'tmp/xfs-1a2b/dlx-4242', spec: '0.1.0' });
    assert.deepEqual(line(howRun(yarn4, VERSION, { root })), { run: 'yarn dlx create-ml-project@0.1.0', create: 'yarn create ml-project@0.1.0' });
  });

  it('bun create / bunx: bunx create-ml-project@<version>', () => {
    const root = layout('tmp/bunx-0-create-ml-project@0.1.0/node_modules/create-ml-project', { at: 'tmp/bunx-0-create-ml-project@0.1.0', spec: '0.1.0' });
    assert.deepEqual(line(howRun(bun, VERSION, { root })), { run: 'bunx create-ml-project@0.1.0', create: 'bunx create-ml-project@0.1.0' });
  });

  it('a global install or a project dependency: the bare name, whatever the user agent', () => {
    const global = layout('usr/lib/node_modules/create-ml-project');
    const dependency = layout('app/node_modules/create-ml-project', { at: 'app', spec: '^0.1.0' });
    for (const root of [global, dependency]) {
      for (const env of [{}, npm, pnpm, yarn1, yarn4, bun]) {
        const got = howRun(env, VERSION, { root });
        assert.deepEqual(got, { kind: 'global', run: ['create-ml-project'], create: ['create-ml-project'] }, `${root} ${JSON.stringify(env)}`);
      }
    }
  });

  it('only a registry run counts as from the registry', () => {
    assert.equal(fromRegistry({ kind: 'registry' }), true);
    for (const kind of ['checkout', 'package', 'global'] as const) assert.equal(fromRegistry({ kind }), false);
    assert.equal(fromRegistry(undefined), false);
  });
});

describe('commands printed for each way of running', () => {
  const checkout = howRun({}, VERSION, { root: layout('repo') });
  const tarball: Invocation = { kind: 'package', run: ['npm', 'exec', '--yes', '--package=/t/x.tgz', '--', 'create-ml-project'], create: ['npm', 'exec', '--yes', '--package=/t/x.tgz', '--', 'create-ml-project'] };
  const registry = howRun(npm, VERSION, { root: layout('r/_npx/1/node_modules/create-ml-project', { at: 'r/_npx/1', spec: '^0.1.0' }) });
  const answers = defaultAnswers('demo');

  it('the reproduce line starts with the invocation, then every answer', () => {
    const tail = 'demo --os mac,linux,windows --cloud none --api --training --tracking mlflow --runner batect --python 3.13 --package-manager poetry --automerge patch --yes';
    assert.equal(reproduceCommand(answers, 'demo', checkout), `node ${base}/repo/dist/index.cjs ${tail}`);
    assert.equal(reproduceCommand(answers, 'demo', tarball), `npm exec --yes --package=/t/x.tgz -- create-ml-project ${tail}`);
    assert.equal(reproduceCommand(answers, 'demo', registry), `npm create ml-project@0.1.0 -- ${tail}`);
    assert.ok(reproduceCommand({ ...answers, name: 'my-dir' }, 'my dir', checkout).startsWith(`node ${base}/repo/dist/index.cjs 'my dir' --name my-dir --os `));
  });

  it('--help shows usage and examples the way it was run', () => {
    const help = helpText(VERSION, colors(false), tarball);
    assert.match(help, /^ {2}npm exec --yes --package=\/t\/x\.tgz -- create-ml-project \[dir\] \[options\]$/m);
    assert.match(help, /^ {2}npm exec --yes --package=\/t\/x\.tgz -- create-ml-project update \[dir\]/m);
    assert.match(help, /^ {2}npm exec --yes --package=\/t\/x\.tgz -- create-ml-project loan-default --yes$/m);
    assert.doesNotMatch(help, /npm create|npx/);
    assert.match(helpText(VERSION, colors(false), registry), /^ {2}npm create ml-project@0\.1\.0 -- loan-default --yes$/m);
  });

  it("the generated README names the registry only when the tool came from it, and no machine's path", async () => {
    const readme = async (invocation?: Pick<Invocation, 'kind'>) => {
      const files = await renderProject({ answers, template: bundledTemplate(), version: VERSION, ...(invocation ? { invocation } : {}) });
      return files.find((f) => f.path === 'README.md')!.content.toString('utf8');
    };
    const published = await readme(registry);
    assert.match(published, /^- `npx create-ml-project@latest check-update` /m);
    assert.match(published, /^- `npx create-ml-project@latest doctor` /m);
    // A scheduled job branches on check-update's code: 10 is "an update exists", other non-zero codes are failures.
    assert.match(published.replace(/\s+/g, ' '), /`npx create-ml-project@latest check-update` tells whether a newer template exists: exit code 10 means yes and 0 no/);
    assert.doesNotMatch(published, /not run from the npm registry/);
    for (const kind of [checkout, tarball, { kind: 'global' as const }, undefined]) {
      const local = await readme(kind);
      assert.doesNotMatch(local, /npx|npm create|@latest/, kind?.kind);
      assert.match(local, /^- `create-ml-project update` /m);
      assert.match(local, /not run from the npm registry/);
      assert.match(local, /`node <checkout>\/dist\/index\.cjs <command>`/);
      assert.match(local, /`npm exec --yes --package=<file>\.tgz -- create-ml-project <command>`/);
      assert.ok(!local.includes(base) && !local.includes(resolve(PACKAGE_ROOT)), 'no path of this machine');
      assert.equal(local, await readme(checkout), 'one text for every way but the registry');
    }
  });
});
