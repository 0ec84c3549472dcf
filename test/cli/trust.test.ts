// Consent before template code runs (issue 16, item 7): a template other than the bundled one is
// EJS, and EJS is JavaScript. create, update and check-update run it only with --trust (or a yes
// at a terminal); --dry-run is no consent. Without a terminal and without --trust: exit 2, one
// line naming --trust and the template, and nothing of the template has run.

import assert from 'node:assert/strict';
import { cp, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { main } from '../../src/main.js';
import { cli, ROOT, tempDir } from '../helpers/cli.js';
import { captureUi, scriptedPrompter } from '../helpers/scripted.js';

const FIXTURES = join(ROOT, 'test/fixtures/update');
const NEW_PROJECT = ['--yes', '--no-install', '--no-git'];
const exists = (path: string) => stat(path).then(() => true, () => false);

/** A template whose code writes $CMLP_MARKER whenever it is rendered: what a hostile clone would ship. */
async function markingTemplate(cwd: string): Promise<string> {
  const tpl = join(cwd, 'tpl');
  await cp(join(FIXTURES, 'v1'), tpl, { recursive: true });
  await writeFile(join(tpl, 'hook.txt.ejs'), "<% if (process.env.CMLP_MARKER) process.mainModule.require('fs').writeFileSync(process.env.CMLP_MARKER, 'ran') %>hook\n");
  return tpl;
}

describe('--trust: consent before a non-bundled template runs', () => {
  it('create without --trust and without a terminal: exit 2 naming --trust and the template, nothing run or written', async () => {
    const cwd = await tempDir('cmlp-trust-');
    const tpl = await markingTemplate(cwd);
    const marker = join(cwd, 'MARKER');
    for (const extra of [[], ['--dry-run'], ['--json']]) {
      const r = cli(['proj', '--template', tpl, ...NEW_PROJECT, ...extra], { cwd, env: { CMLP_MARKER: marker } });
      assert.equal(r.code, 2, `${extra.join(' ')}: ${r.stdout}${r.stderr}`);
      const out = extra.includes('--json') ? JSON.parse(r.stdout).error : r.stderr;
      assert.match(out, /--trust/);
      assert.ok(out.includes(tpl), out);
      assert.equal(await exists(marker), false, extra.join(' '));
      assert.equal(await exists(join(cwd, 'proj')), false);
    }
    const ok = cli(['proj', '--template', tpl, '--trust', ...NEW_PROJECT], { cwd, env: { CMLP_MARKER: marker } });
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(await exists(marker), true);
  });

  it('a cloned project naming a local template: update (even --dry-run) and check-update exit 2 without --trust, nothing run; with --trust they run', async () => {
    const cwd = await tempDir('cmlp-trust-');
    const tpl = await markingTemplate(cwd);
    const made = cli(['proj', '--template', tpl, '--trust', ...NEW_PROJECT], { cwd });
    assert.equal(made.code, 0, made.stderr);
    const marker = join(cwd, 'MARKER');
    const env = { CMLP_MARKER: marker };
    for (const args of [['update', 'proj'], ['update', 'proj', '--dry-run'], ['update', 'proj', '--json'], ['check-update', 'proj'], ['check-update', 'proj', '--json']]) {
      const r = cli(args, { cwd, env });
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
      const out = args.includes('--json') ? JSON.parse(r.stdout).error : r.stderr;
      assert.match(out, /--trust/, args.join(' '));
      assert.ok(out.includes('tpl'), out);
      assert.equal(out.trim().split('\n').length, 1, out);
      assert.equal(await exists(marker), false, args.join(' '));
    }
    const check = cli(['check-update', 'proj', '--trust'], { cwd, env });
    assert.equal(check.code, 0, check.stdout + check.stderr);
    const dry = cli(['update', 'proj', '--dry-run', '--trust'], { cwd, env });
    assert.equal(dry.code, 0, dry.stdout + dry.stderr);
    assert.equal(await exists(marker), true, 'update --trust renders the template');
  });

  it('the bundled template never needs --trust; --trust is in --help and in the commands\' help', async () => {
    const cwd = await tempDir('cmlp-trust-');
    assert.equal(cli(['proj', ...NEW_PROJECT, '--dry-run'], { cwd }).code, 0);
    assert.match(cli(['--help'], { cwd }).stdout, /--trust/);
    assert.match(cli(['update', '--help'], { cwd }).stdout, /--trust/);
    assert.match(cli(['check-update', '--help'], { cwd }).stdout, /--trust/);
  });

  it('at a terminal the run asks; no is a cancel (exit 130) and nothing is rendered; yes renders', async () => {
    const cwd = await tempDir('cmlp-trust-');
    const tpl = await markingTemplate(cwd);
    const ask = async (yes: boolean) => {
      const prompt = scriptedPrompter({ 'Run the code of template': yes });
      const code = await main({ argv: ['proj', '--template', tpl, ...NEW_PROJECT], cwd, env: {}, interactive: true, prompt, ui: captureUi() });
      return { code, asked: prompt.asked };
    };
    const no = await ask(false);
    assert.equal(no.code, 130);
    assert.deepEqual(no.asked.length, 1);
    assert.equal(await exists(join(cwd, 'proj')), false);
    const yes = await ask(true);
    assert.equal(yes.code, 0);
    assert.equal(await exists(join(cwd, 'proj/hook.txt')), true);
  });
});
