// Outside data printed without its control characters (issue 16, item 10): a template name and
// version from an answers file, and file names from a template, holding ESC[31m and CR.

import assert from 'node:assert/strict';
import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ANSWERS_FILE } from '../../src/answers-file.js';
import { cli, ROOT, tempDir } from '../helpers/cli.js';

const HOSTILE = '\u001b[31mred\rover';
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/;

describe('sanitised output', () => {
  it('check-update and update --dry-run print a hostile recorded template name and version escaped', async () => {
    const cwd = await tempDir('cmlp-sanitise-');
    assert.equal(cli(['demo', '--yes', '--no-install', '--no-git'], { cwd }).code, 0);
    const file = join(cwd, 'demo', ANSWERS_FILE);
    const rec = JSON.parse(await readFile(file, 'utf8'));
    await writeFile(file, JSON.stringify({ ...rec, template: { ...rec.template, name: HOSTILE, version: HOSTILE, hash: `sha256:${'0'.repeat(64)}` } }));
    const check = cli(['check-update', 'demo'], { cwd });
    assert.equal(check.code, 10, check.stderr);
    assert.doesNotMatch(check.stdout + check.stderr, CONTROL);
    assert.match(check.stdout, /\\x1b\[31mred\\x0dover/);
  });

  it('a template file name with ESC and CR is refused, and named with both escaped', async () => {
    // Control characters cannot be in a name on Windows, so the template is refused (exit 4); the
    // line that says so shows the name without letting the terminal act on it.
    const cwd = await tempDir('cmlp-sanitise-');
    const tpl = join(cwd, 'tpl');
    await cp(join(ROOT, 'test/fixtures/update/v1'), tpl, { recursive: true });
    await writeFile(join(tpl, `${HOSTILE}.txt`), 'x\n');
    const r = cli(['proj', '--template', tpl, '--trust', '--yes', '--no-install', '--no-git', '--dry-run'], { cwd });
    assert.equal(r.code, 4, r.stdout + r.stderr);
    assert.doesNotMatch(r.stdout + r.stderr, CONTROL);
    assert.match(r.stdout + r.stderr, /template file \\x1b\[31mred\\x0dover\.txt would be written to .*cannot be checked out on Windows/);
  });
});
