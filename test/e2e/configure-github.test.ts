// scripts/configure-github.sh with infra/'s Terraform outputs, for every cloud, with an API and
// for training alone: it sets every output as a repository variable and makes the environments
// the identities trust (and production, which infra.yml's apply waits for) through a stand-in
// `gh` that records its arguments (gh cannot reach GitHub here), the same way twice; its
// --dry-run prints the calls without making them; bad outputs stop it before any call.
// Run: node --import tsx --test test/e2e/configure-github.test.ts

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { blocks, environmentsOf, renderInfraProjects, run, type Project } from '../helpers/infra-projects.js';

let root = '';
let projects: Project[] = [];

before(async () => {
  root = await mkdtemp(join(tmpdir(), 'configure-github-'));
  projects = await renderInfraProjects(root);
});

after(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

describe('scripts/configure-github.sh with the Terraform outputs', () => {
  // A stand-in gh: records each call's arguments (one line a call, \x1f between them) and
  // answers the reads.
  const FAKE_GH = `#!/usr/bin/env bash
{ printf '%s\\x1f' "$@"; echo; } >>"$GH_LOG"
case "$1 $2" in
  "repo view") echo owner/demo-project ;;
  "api repos/owner/demo-project/rulesets") [ -f "$GH_LOG.ruleset" ] && echo 7 ;;
esac
if [ "$1 $2 $3" = "api --method POST" ]; then touch "$GH_LOG.ruleset"; fi
exit 0
`;

  async function runScript(p: Project, args: string[], log: string): Promise<{ code: number; stdout: string; stderr: string; calls: string[][] }> {
    const bin = join(root, 'fake-bin');
    await mkdir(bin, { recursive: true });
    await writeFile(join(bin, 'gh'), FAKE_GH);
    await chmod(join(bin, 'gh'), 0o755);
    const r = await run('bash', [join(p.dir, 'scripts/configure-github.sh'), ...args], {
      cwd: p.dir,
      env: { PATH: `${bin}:${process.env.PATH}`, GH_LOG: log, HOME: root },
    }).then(
      (x) => ({ code: 0, ...x }),
      (e) => ({ code: e.code as number, stdout: e.stdout as string, stderr: e.stderr as string }),
    );
    const calls = existsSync(log) ? (await readFile(log, 'utf8')).trim().split('\n').filter(Boolean).map((l) => l.split('\x1f').slice(0, -1)) : [];
    return { ...r, calls };
  }

  function outputsJson(p: Project): string {
    return JSON.stringify(Object.fromEntries(blocks(p, 'output').map(([n]) => [n, { sensitive: false, type: 'string', value: `value of ${n}` }])));
  }

  it('sets every output as a repository variable, and a second run makes the same calls', async () => {
    for (const p of projects) {
      const outputs = join(root, `${p.id}-outputs.json`);
      await writeFile(outputs, outputsJson(p));
      const log = join(root, `${p.id}-gh.log`);
      const first = await runScript(p, ['--outputs', outputs, 'owner/demo-project'], log);
      assert.equal(first.code, 0, first.stderr);
      const sets = first.calls.filter((c) => c[0] === 'variable');
      const names = blocks(p, 'output').map(([n]) => n).sort();
      assert.deepEqual(sets, names.map((n) => ['variable', 'set', n, '--repo', 'owner/demo-project', '--body', `value of ${n}`]), p.id);
      // The environments the identities trust, and production, whose approval infra.yml's apply
      // waits for (with or without an API).
      const environments = first.calls.map((c) => c.join(' ')).filter((c) => /^api --method PUT repos\/owner\/demo-project\/environments\//.test(c)).map((c) => c.split('/').at(-1)!.split(' ')[0]);
      assert.deepEqual(environments.sort(), [...new Set([...environmentsOf(p), 'production'])].sort(), `${p.id}: environments`);
      await rm(log);
      const second = await runScript(p, ['--outputs', outputs, 'owner/demo-project'], log);
      assert.equal(second.code, 0, second.stderr);
      // Only the ruleset call differs: created the first time, updated in place the second.
      const norm = (calls: string[][]) => calls.map((c) => c.join(' ').replace(/--method POST (repos\/.*\/rulesets) /, '--method PUT $1/7 '));
      assert.deepEqual(norm(second.calls), norm(first.calls), p.id);
      assert.ok(second.calls.some((c) => c.join(' ').startsWith('api --method PUT repos/owner/demo-project/rulesets/7 ')), `${p.id}: ruleset updated in place`);
      await rm(log);
      await rm(`${log}.ruleset`, { force: true });
    }
  });

  it('--dry-run prints the gh calls and makes none; bad outputs stop it before any call', async () => {
    const aws = projects.find((p) => p.cloud === 'aws' && p.api)!;
    const outputs = join(root, 'aws-outputs.json');
    await writeFile(outputs, outputsJson(aws));
    const log = join(root, 'dry-gh.log');
    const dry = await runScript(aws, ['--dry-run', '--outputs', outputs, 'owner/demo-project'], log);
    assert.equal(dry.code, 0, dry.stderr);
    assert.deepEqual(dry.calls, [], 'no gh call at all');
    assert.match(dry.stdout, /^gh variable set AWS_ROLE_ARN --repo owner\/demo-project --body value\\ of\\ AWS_ROLE_ARN$/m);
    assert.match(dry.stdout, /^gh api --method PUT repos\/owner\/demo-project\/environments\/production$/m);
    await writeFile(outputs, JSON.stringify({ AWS_REGION: { value: ['not', 'a', 'string'] } }));
    const bad = await runScript(aws, ['--outputs', outputs, 'owner/demo-project'], log);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /output AWS_REGION is not a repository variable/);
    assert.deepEqual(bad.calls, [], 'nothing changed on GitHub');
    const unknown = await runScript(aws, ['--colour'], log);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /^configure-github: unknown option '--colour'; allowed: --dry-run, --outputs FILE, OWNER\/REPO$/m);
  });
});
