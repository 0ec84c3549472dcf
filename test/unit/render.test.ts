import assert from 'node:assert/strict';
import { mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { defaultAnswers } from '../../src/options.js';
import { quote } from '../../src/template/quote.js';
import { readTemplateFolder, TemplateError, type TemplatePack } from '../../src/template/pack.js';
import { isPlainRelative } from '../../src/template/plain-path.js';
import { outputPath, renderTemplate } from '../../src/template/render.js';
import { writeFiles } from '../../src/write/files.js';
import { scratchDir } from '../helpers/scratch.js';

const gen = { name: 'create-ml-project', version: '0.0.0-test' };

async function template(files: Record<string, string>, rules: unknown[] = []): Promise<TemplatePack> {
  return readTemplateFolder(await templateDir(files, rules));
}

async function templateDir(files: Record<string, string>, rules: unknown[] = []): Promise<string> {
  const dir = await scratchDir('cmlp-tpl-');
  await writeFile(join(dir, 'template.json'), JSON.stringify({ name: 't', version: '1', files: rules }));
  for (const [path, content] of Object.entries(files)) {
    await mkdir(join(dir, path, '..'), { recursive: true });
    await writeFile(join(dir, path), content);
  }
  return dir;
}

describe('outputPath', () => {
  it('strips .ejs, substitutes __pkg__ and restores .gitignore', () => {
    assert.equal(outputPath('src/__pkg__/app.py.ejs', 'loan_model'), 'src/loan_model/app.py');
    assert.equal(outputPath('_gitignore', 'x'), '.gitignore');
    assert.equal(outputPath('docs/_gitignore.ejs', 'x'), 'docs/.gitignore');
    assert.equal(outputPath('_gitattributes', 'x'), '.gitattributes');
    assert.equal(outputPath('data/train.csv', 'x'), 'data/train.csv');
  });
});

describe('renderTemplate', () => {
  it('renders .ejs with the answers, copies the rest byte for byte', async () => {
    const pack = await template({ 'a.txt.ejs': 'name=<%- name %> pkg=<%= pkg %> mac=<%- os.mac %>', 'raw.txt': 'keep <b>&' });
    const files = await renderTemplate(pack, defaultAnswers('my-model'), gen);
    const byPath = Object.fromEntries(files.map((f) => [f.path, f.content.toString()]));
    assert.deepEqual(byPath, { 'a.txt': 'name=my-model pkg=my_model mac=true', 'raw.txt': 'keep <b>&' });
  });

  it('writes batch files with CRLF', async () => {
    const pack = await template({ 'go.bat.ejs': '@echo off\r\necho <%- name %>\nexit /b 0\n' });
    const [file] = await renderTemplate(pack, defaultAnswers('demo'), gen);
    assert.equal(file?.content.toString(), '@echo off\r\necho demo\r\nexit /b 0\r\n');
  });

  it('refuses output that still holds a template marker', async () => {
    const pack = await template({ 'bad.txt.ejs': "<%- '<' + '%' %> oops" });
    await assert.rejects(renderTemplate(pack, defaultAnswers('demo'), gen), TemplateError);
  });

  it('a file of its own text only (a lock) renders as slices of its source, written as they are', async () => {
    const text = 'head é\n<% if (api) { -%>\napi line\n<% } else { -%>\nno api\n<% } -%>\ntail\n';
    const pack = await template({ 'x.lock.ejs': text, 'b.bat.ejs': 'a\n<% if (api) { -%>\nb\n<% } -%>\n' });
    const files = await renderTemplate(pack, defaultAnswers('demo'), gen);
    const lock = files.find((f) => f.path === 'x.lock');
    assert.ok(lock?.parts && lock.parts.length > 1, 'kept as slices');
    assert.equal(lock.content.toString(), 'head é\napi line\ntail\n');
    // A batch file's line ends are changed, so it is joined as before.
    assert.equal(files.find((f) => f.path === 'b.bat')?.content.toString(), 'a\r\nb\r\n');
    const root = await scratchDir('cmlp-write-');
    await writeFiles(root, files);
    assert.equal(await readFile(join(root, 'x.lock'), 'utf8'), 'head é\napi line\ntail\n');
  });

  it('finds a template marker made of two slices', async () => {
    // "a<" and "%b" are each harmless; written one after the other they are "a<%b".
    const pack = await template({ 'split.txt.ejs': 'a<<% if (true) { %>%b<% } %>\n' });
    await assert.rejects(renderTemplate(pack, defaultAnswers('demo'), gen), /left a template marker/);
  });

  it('refuses links in a template', async () => {
    const dir = await templateDir({ 'a.txt': 'x' });
    await symlink('/etc/passwd', join(dir, 'link'));
    assert.throws(() => readTemplateFolder(dir), /link or special file/);
  });

  it('refuses two sources writing one path', async () => {
    const pack = await template({ 'a.txt': 'x', 'b/a.txt': 'y' }, [{ path: 'b/', to: '' }]);
    await assert.rejects(renderTemplate(pack, defaultAnswers('demo'), gen), /both write a.txt/);
  });

  // A project must check out on every OS its team uses: names Windows cannot hold, and names that
  // differ only in letter case (one file on Windows and macOS), are refused with the path.
  for (const [name, reason] of [
    ['CON', 'is a Windows device name'],
    ['aux.txt', 'is a Windows device name'],
    ['docs/nul.tar.gz', 'is a Windows device name'],
    ['a:b', 'holds a character Windows does not allow'],
    ['what?.md', 'holds a character Windows does not allow'],
    ['tab\there', 'holds a character Windows does not allow'],
    ['trail.', 'ends with a dot or a space'],
    ['trail ', 'ends with a dot or a space'],
    ['dir./x.txt', 'ends with a dot or a space'],
  ] as const) {
    it(`refuses an output path Windows cannot hold: ${JSON.stringify(name)}`, async () => {
      const pack = await template({ [name]: 'x' });
      await assert.rejects(renderTemplate(pack, defaultAnswers('demo'), gen), (error: Error) => {
        assert.ok(error instanceof TemplateError);
        assert.match(error.message, new RegExp(`would be written to ${name.replace(/[.?*+^$()[\]{}|\\]/g, '\\$&')}, which cannot be checked out on Windows: .*${reason}`));
        return true;
      });
    });
  }

  it('refuses names that differ only in letter case, as files or as folders', async () => {
    await assert.rejects(renderTemplate(await template({ 'README.txt': 'a', 'readme.txt': 'b' }), defaultAnswers('demo'), gen), /would write readme\.txt beside README\.txt: the same name on Windows and macOS/);
    await assert.rejects(renderTemplate(await template({ 'Docs/a.txt': 'a', 'docs/b.txt': 'b' }), defaultAnswers('demo'), gen), /would write docs beside Docs/);
    // The same name through a rule, and Unicode forms macOS folds together (é composed or not).
    await assert.rejects(renderTemplate(await template({ 'a.txt': 'a', 'b.txt': 'b' }, [{ path: 'b.txt', to: 'A.txt' }]), defaultAnswers('demo'), gen), /beside a\.txt/);
    await assert.rejects(renderTemplate(await template({ 'caf\u00e9.txt': 'a', 'cafe\u0301.txt': 'b' }), defaultAnswers('demo'), gen), /the same name on Windows and macOS/);
    // Names that only share a prefix are fine.
    assert.equal((await renderTemplate(await template({ 'a.txt': 'a', 'ab.txt': 'b', 'A1/x.txt': 'c' }), defaultAnswers('demo'), gen)).length, 3);
  });

  it('refuses a rule that would write outside the project, or to an odd path', async () => {
    const pack = await template({ 'a.txt': 'x' }, [{ path: 'a.txt', to: 'docs//a.txt' }]);
    await assert.rejects(renderTemplate(pack, defaultAnswers('demo'), gen), /template file a.txt would be written to "docs\/\/a.txt", which is not a plain path inside the project/);
  });

  it('reports a template error with the file name', async () => {
    const pack = await template({ 'x.txt.ejs': 'one\ntwo\n<%- notDefined %>\n' });
    await assert.rejects(renderTemplate(pack, defaultAnswers('demo'), gen), /cannot render x.txt.ejs \(line 3\): notDefined is not defined$/);
  });
});

describe('plain relative paths (checked without normalising)', () => {
  it('accepts names joined by single slashes only', () => {
    for (const ok of ['a.txt', '.github/workflows/ci.yml', 'src/demo_project/__init__.py', '..hidden', 'a..b/c']) assert.ok(isPlainRelative(ok), ok);
    for (const bad of ['', '/etc/passwd', 'a//b', './a', 'a/./b', 'a/../b', '..', '../x', 'a/', 'a\\b', 'C:\\x']) assert.ok(!isPlainRelative(bad), bad);
  });

  it('writeFiles refuses a path that is not plain and writes nothing for it', async () => {
    const root = await scratchDir('cmlp-write-');
    const file = (path: string) => ({ path, mode: 0o644, content: Buffer.from('x') });
    for (const path of ['../escape.txt', '/abs.txt', 'a/../../b.txt', 'a\\..\\b.txt']) {
      await assert.rejects(writeFiles(root, [file(path)]), /refusing to write .*: not a plain relative path/);
    }
    assert.deepEqual(await readdir(root), []);
    assert.deepEqual(await readdir(join(root, '..')).then((e) => e.filter((n) => n.endsWith('.txt') && ['escape.txt', 'b.txt'].includes(n))), []);
    await writeFiles(root, [file('x/y/z.txt'), file('top.txt')]);
    assert.deepEqual((await readdir(root, { recursive: true })).sort(), ['top.txt', 'x', 'x/y', 'x/y/z.txt']);
  });
});

describe('quote helpers', () => {
  it('single-quotes for POSIX shell', () => assert.equal(quote.sh("it's $(x)"), `'it'\\''s $(x)'`));
  it('double-quotes JSON/YAML/TOML with line separators escaped', () => {
    assert.equal(quote.yaml('a"b\n\u2028'), '"a\\"b\\n\\u2028"');
  });
});
