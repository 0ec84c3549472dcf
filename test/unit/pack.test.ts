// Template packs (src/template/pack.ts) and how their EJS runs (src/template/run-ejs.ts): the
// bundled template ships packed ahead, so a packed template must render exactly as its folder does.

import assert from 'node:assert/strict';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { defaultAnswers } from '../../src/options.js';
import { packHash } from '../../src/template/hash.js';
import { parsePack, readPack, readTemplateFolder, TemplateError, type TemplateFile, type TemplatePack } from '../../src/template/pack.js';
import { packAhead, packFileFor, serialisePack } from '../../src/template/pack-ahead.js';
import { targetOf } from '../../src/template/manifest.js';
import { renderTemplate, templateData } from '../../src/template/render.js';
import { compileEjs, includeTarget, loadEjs, runEjs } from '../../src/template/run-ejs.js';
import { answers, bundledPack, TEMPLATE_DIR, templateHash } from '../helpers/render.js';
import { scratchDir } from '../helpers/scratch.js';

const gen = { name: 'create-ml-project', version: '0.0.0-test' };

async function folder(files: Record<string, string>): Promise<string> {
  const dir = await scratchDir('cmlp-pack-');
  await writeFile(join(dir, 'template.json'), JSON.stringify({ name: 't', version: '1', files: [{ path: '_partials/', skip: true }] }));
  for (const [path, content] of Object.entries(files)) {
    await mkdir(join(dir, path, '..'), { recursive: true });
    await writeFile(join(dir, path), content);
  }
  return dir;
}

/** Plain data of a pack (lazy getters read), for deepEqual. */
function plain(pack: TemplatePack) {
  return {
    manifest: pack.manifest,
    pins: pack.pins,
    hash: pack.hash,
    files: pack.files.map((f) => ({ path: f.path, executable: f.executable, content: Buffer.from(f.content), compiled: f.compiled })),
  };
}

async function renderBoth(files: Record<string, string>) {
  const dir = await folder(files);
  const fromFolder = await renderTemplate(readTemplateFolder(dir), defaultAnswers('demo'), gen);
  const fromPack = await renderTemplate(parsePack(await packFileFor(dir), 'test.pack'), defaultAnswers('demo'), gen);
  return { fromFolder, fromPack };
}

describe('template pack', () => {
  it('round-trips through its bytes, file by file, and through a file on disk', async () => {
    const ahead = await packAhead(TEMPLATE_DIR);
    const bytes = await serialisePack(ahead);
    assert.deepEqual(plain(parsePack(bytes, 'mem')), plain(ahead));
    const file = join(await scratchDir('cmlp-pack-'), 'template.pack');
    await writeFile(file, bytes);
    const read = readPack(file);
    assert.deepEqual(plain(read), plain(ahead));
    assert.equal(read.compiledAhead, true);
    read.release?.();
  });

  it('carries the hash of the template folder', async () => {
    const pack = parsePack(await packFileFor(TEMPLATE_DIR), 'mem');
    assert.equal(pack.hash, await templateHash(TEMPLATE_DIR));
    // And the hash is of the files, not a stored label: recomputed from the pack's bytes it agrees.
    assert.equal(await packHash({ ...pack, hash: undefined }), pack.hash);
  });

  it('compiles every EJS file ahead and nothing else', async () => {
    const pack = await packAhead(TEMPLATE_DIR);
    for (const file of pack.files) assert.equal(file.compiled !== undefined, file.path.endsWith('.ejs'), file.path);
  });

  it('stores all the code as one ASCII script, read whole, each body a part of it', async () => {
    const bytes = await packFileFor(TEMPLATE_DIR);
    const header = JSON.parse(bytes.toString('utf8', 0, bytes.indexOf(10))) as { script?: { at: number; size: number }; files: { path: string; code?: { at: number; size: number } }[] };
    const script = header.script as { at: number; size: number };
    const coded = header.files.filter((f) => f.code);
    assert.ok(coded.length > 20, 'the bundled template has its EJS files compiled');
    for (const { path, code } of coded) assert.ok(code && code.at > script.at && code.at + code.size < script.at + script.size, `${path}: its code lies inside the script`);
    const pack = parsePack(bytes, 'mem');
    const code = pack.code as NonNullable<TemplatePack['code']>;
    const whole = code.script();
    assert.match(whole, /^\[function \(locals, escapeFn, include, rethrow, __text\) \{\n/);
    assert.doesNotMatch(whole, /[^\x00-\x7f]/, 'one wider character made V8 hold the whole script as two bytes a character');
    // What a pack without the script (an older one) joins from its bodies is the same text.
    const joined = `[${code.read().map(({ body }) => `function (locals, escapeFn, include, rethrow, __text) {\n${body}\n}`).join(',\n')}]`;
    assert.equal(whole, joined);
  });

  it('refuses to pack code that is not ASCII, naming the file and the escape to write', async () => {
    const dir = await folder({ 'ok.txt.ejs': 'text – may be anything <%- name %>\n', 'dash.txt.ejs': "<%- [].join(', ') || '–' %>\n" });
    await assert.rejects(packFileFor(dir), (error) => error instanceof TemplateError && /^dash\.txt\.ejs: the code in its <% %> tags has the character "–"; .*\(\\u2013\)/.test(error.message));
  });

  it('refuses bytes that are not a pack, or a damaged one', async () => {
    assert.throws(() => parsePack(Buffer.from('{"format":"something else","files":[]}\n'), 'x.pack'), /x.pack is not a template pack this version can read/);
    assert.throws(() => parsePack(Buffer.from('no header at all'), 'x.pack'), /no header/);
    assert.throws(() => parsePack(Buffer.from('{not json\n'), 'x.pack'), /header is not JSON/);
    const dir = await folder({ 'a.txt.ejs': 'hello <%- name %>' });
    const bytes = await packFileFor(dir);
    assert.throws(() => parsePack(bytes.subarray(0, bytes.length - 1), 'x.pack'), /damaged/);
    assert.throws(() => parsePack(Buffer.concat([bytes, Buffer.from('x')]), 'x.pack'), /damaged/);
    // A pack is the template compiled ahead: an EJS file without its code is damage, not a reason to load EJS.
    const end = bytes.indexOf(10);
    const header = JSON.parse(bytes.toString('utf8', 0, end)) as { files: { path: string; code?: unknown }[] };
    delete (header.files.find((f) => f.path === 'a.txt.ejs') as { code?: unknown }).code;
    assert.throws(() => parsePack(Buffer.concat([Buffer.from(JSON.stringify(header)), bytes.subarray(end)]), 'x.pack'), /x.pack is damaged: a.txt.ejs has no compiled code/);
  });

  it('holds every file itself: renders the same with its folder gone', async () => {
    const dir = await folder({ 'a.txt': 'hello', 'b.txt.ejs': 'hi <%- name %>', 'x.sh': '#!/bin/sh\n' });
    const expected = await renderTemplate(readTemplateFolder(dir), defaultAnswers('demo'), gen);
    const bytes = await packFileFor(dir);
    await rm(dir, { recursive: true });
    assert.deepEqual(await renderTemplate(parsePack(bytes, 'x.pack'), defaultAnswers('demo'), gen), expected);
  });

  it('compresses the small files in one block and the big files in another, each readable without unpacking those behind it', async () => {
    const bytes = await packFileFor(TEMPLATE_DIR);
    const header = JSON.parse(bytes.toString('utf8', 0, bytes.indexOf(10))) as {
      blocks: { codec: string; size: number; unpacked: number }[];
      files: { path: string; block: number; at: number; size: number; need?: number }[];
    };
    const entry = (path: string) => header.files.find((f) => f.path === path);
    const locks = ['locks/poetry-api/poetry.lock.ejs', 'locks/poetry-core/poetry.lock.ejs', 'locks/uv-api/uv.lock.ejs', 'locks/uv-core/uv.lock.ejs'];
    // Block 1: the small files; block 2: the locks, in path order.
    const small = header.files.filter((f) => f.block === 1);
    for (const file of small) assert.ok(file.size < 64 * 1024, file.path);
    assert.ok(small.length > 40, 'the small text files are compressed too');
    const inStream = header.files.filter((f) => f.block === 2).sort((x, y) => x.at - y.at);
    assert.deepEqual(inStream.map((f) => f.path), locks);
    const block = header.blocks[2];
    assert.equal(header.blocks[1]?.codec, 'br');
    assert.equal(block?.codec, 'br');
    // The four locks share most of their text: their block packs to under a sixth.
    assert.ok((block?.size ?? Infinity) < (block?.unpacked ?? 0) / 6, JSON.stringify(block));
    // A Poetry project with the API unpacks under two thirds of the lock block: the uv locks stay packed.
    const needs = inStream.map((f) => f.need ?? Infinity);
    assert.deepEqual([...needs].sort((x, y) => x - y), needs, 'each lock ends further into the stream');
    const poetry = entry(locks[0] as string)?.need as number;
    assert.ok(poetry < ((block?.size ?? 0) * 2) / 3, `${poetry} of ${block?.size}`);
    assert.equal(needs.at(-1), block?.size);
    // Files brotli cannot shrink (the gzipped data, a few bytes of text) stay in the stored block.
    assert.equal(entry('data/train.csv.gz')?.block, 0);
    assert.equal(entry('template.json')?.block, 1);
    assert.equal(header.blocks[0]?.codec, 'none');
    // And every file reads back as it is in the folder, first from the back of the block, then the front.
    const pack = parsePack(bytes, 'mem');
    const folderPack = readTemplateFolder(TEMPLATE_DIR);
    for (const file of [...folderPack.files].reverse()) assert.ok(pack.files.find((f) => f.path === file.path)?.content.equals(file.content), file.path);
    const fresh = parsePack(bytes, 'mem');
    for (const file of folderPack.files) assert.ok(fresh.files.find((f) => f.path === file.path)?.content.equals(file.content), file.path);
  });

  it('refuses a compressed block that does not unpack to its recorded size', async () => {
    const dir = await folder({ 'big.txt': 'lock line\n'.repeat(10_000) });
    const bytes = await packFileFor(dir);
    const end = bytes.indexOf(10);
    const header = JSON.parse(bytes.toString('utf8', 0, end)) as { blocks: { unpacked: number }[] };
    assert.equal(header.blocks.length, 2, 'big.txt went into a compressed block');
    (header.blocks[1] as { unpacked: number }).unpacked += 1;
    const damaged = Buffer.concat([Buffer.from(JSON.stringify(header)), bytes.subarray(end)]);
    const pack = parsePack(damaged, 'x.pack');
    assert.throws(() => pack.files.find((f) => f.path === 'big.txt')?.content, /x.pack is damaged: block 1 unpacks to 100000 bytes, not 100001/);
  });
});

describe('EJS from a pack', () => {
  it('renders exactly as the folder does, includes and include data too', async () => {
    const { fromFolder, fromPack } = await renderBoth({
      'a.txt.ejs': "<%- name %>|<%= include('_partials/p.ejs', { extra: 'X' }) %>|<%- include('_partials/q') %>",
      '_partials/p.ejs': "[<%- pkg %> <%- extra %> <%- include('q.ejs') %>]",
      '_partials/q.ejs': '<%- os.linux ? "linux" : "no linux" %>',
      'plain.sh': '#!/bin/sh\necho <%- not rendered %>\n',
    });
    assert.deepEqual(fromPack, fromFolder);
    assert.equal(fromPack.find((f) => f.path === 'a.txt')?.content.toString(), 'demo|[demo X linux]|linux');
  });

  it('names the file and line of a failure, packed or not', async () => {
    const files = { 'x.txt.ejs': "one\n<%- include('_partials/bad.ejs') %>\n", '_partials/bad.ejs': 'a\nb\n<%- notDefined %>\n' };
    const dir = await folder(files);
    const expected = /cannot render x.txt.ejs \(line 2; _partials\/bad.ejs line 3\): notDefined is not defined$/;
    await assert.rejects(renderTemplate(readTemplateFolder(dir), defaultAnswers('demo'), gen), expected);
    await assert.rejects(renderTemplate(parsePack(await packFileFor(dir), 'p'), defaultAnswers('demo'), gen), expected);
  });

  it('refuses an include of a file the template does not have, or outside it', async () => {
    for (const [include, message] of [
      ['nope.ejs', /x.txt.ejs includes nope.ejs, which the template does not have/],
      ['../../etc/passwd', /outside the template/],
      ['/etc/passwd', /relative to the including file/],
    ] as const) {
      const dir = await folder({ 'x.txt.ejs': `<%- include(${JSON.stringify(include)}) %>` });
      await assert.rejects(renderTemplate(parsePack(await packFileFor(dir), 'p'), defaultAnswers('demo'), gen), message);
    }
  });

  it('resolves include paths as EJS does', () => {
    assert.equal(includeTarget('README.md.ejs', '_partials/a.md.ejs'), '_partials/a.md.ejs');
    assert.equal(includeTarget('_partials/a.md.ejs', 'b.json.ejs'), '_partials/b.json.ejs');
    assert.equal(includeTarget('_partials/a.md.ejs', '../c'), 'c.ejs');
    assert.equal(includeTarget('x/y.ejs', './z.txt'), 'x/z.txt');
  });
});

describe('literal text taken out of compiled EJS', () => {
  const escape = (value: unknown) => String(value);

  it('leaves no literal text in the body, and the output unchanged', async () => {
    const ejs = await loadEjs();
    const source = [
      'plain "quoted" \\back\\slashes\\ and a trailing backslash\\',
      'crlf line\r\nunicode: ü 日本 😀 and a line separator \u2028 in the middle',
      '<%- name %> <%-"literal \\t from code"%> <%-"x"%> <% if (os.mac) { %>mac<% } %>',
      "<%# a comment %>\ttabs\tstay`${not} a template`'single'",
    ].join('\n');
    const data = templateData(answers({ name: 'demo' }), {}, { name: 'g', version: '1' });
    const expected = ejs.render(source, data, { escape });
    const dir = await folder({ 'x.txt.ejs': source });
    const [rendered] = await renderTemplate(parsePack(await packFileFor(dir), 'p'), answers({ name: 'demo' }), { name: 'g', version: '1' });
    assert.equal(rendered?.content.toString('utf8'), expected);
    const { body } = compileEjs(ejs, source, 'x.txt.ejs');
    assert.doesNotMatch(body, /plain|crlf|tabs/, 'literal text left the body');
    assert.match(body, /__text\.slice\(0, \d+\)/, 'it is sliced from the source');
    // `<%%` prints `<%`: that text is not in the source as printed, so it stays in the body.
    const escaped = 'an escaped tag <%% stays text, <%- name %> and the text around it too';
    const packed = parsePack(await packFileFor(await folder({ 'e.txt.ejs': escaped })), 'p');
    const file = packed.files.find((f) => f.path === 'e.txt.ejs') as TemplateFile;
    assert.equal(runEjs(packed, file, data, undefined), ejs.render(escaped, data, { escape }));
    assert.match(body, /__append\("literal \\t from code"\)/, 'a string with a JavaScript-only escape stays as code');
  });

  it('renders a file that prints only its own text from its bytes, alone and included, as EJS does', async () => {
    const ejs = await loadEjs();
    // Non-ASCII text before and after the slices: byte offsets differ from character offsets.
    const lock = 'café — ü 日本 😀\n<% if (os.mac) { -%>\nmac — only\n<% } else { -%>\nnot mac ✓\n<% } -%>\nend 😀\n';
    const source = { 'lock.txt.ejs': lock, 'outer.txt.ejs': 'before ✓\n<%- include("lock.txt.ejs") %>after\n', 'plain.txt.ejs': 'ascii only\n<% if (true) { %>yes<% } %>\n' };
    const dir = await folder(source);
    const pack = parsePack(await packFileFor(dir), 'p');
    for (const mac of [true, false]) {
      const set = answers({ os: mac ? ['mac'] : ['linux'] });
      const data = templateData(set, {}, gen);
      const byPath = new Map(pack.files.map((f) => [f.path, f]));
      for (const [path, text] of Object.entries(source)) {
        const file = byPath.get(path) as TemplateFile;
        assert.equal(file.compiled?.bytes === true, path !== 'outer.txt.ejs', `${path}: prints only its own text`);
        assert.equal(runEjs(pack, file, data, undefined), ejs.render(text, data, { filename: join(dir, path), escape }), path);
      }
      const rendered = await renderTemplate(pack, set, gen);
      const expected = ejs.render(lock, data, { escape });
      assert.equal(rendered.find((f) => f.path === 'lock.txt')?.content.toString('utf8'), expected);
    }
    assert.equal(compileEjs(ejs, 'a <%= name %> ü', 'v.ejs').bytes, undefined, 'a value printed: not from bytes');
    assert.equal(compileEjs(ejs, 'a <% __output += "x" %> ü', 'o.ejs').bytes, undefined, 'output written by hand: not from bytes');
  });

  it('renders every bundled EJS file exactly as EJS renders its source', async () => {
    const ejs = await loadEjs();
    const pack = await bundledPack();
    const gen = { name: 'create-ml-project', version: '0.0.0-test' };
    // Between them these reach every EJS file: both package managers with and without the API
    // (the four lock files), both runners, every OS, and every cloud deploying (its partials).
    const sets = [
      answers(),
      answers({ packageManager: 'uv', api: false, training: false, cloud: 'aws', runner: 'compose', os: ['windows'] }),
      answers({ packageManager: 'uv', api: true, cloud: 'gcp', os: ['mac', 'linux'], automerge: 'off' }),
      answers({ packageManager: 'poetry', api: false, cloud: 'azure', runner: 'compose', python: '3.14' }),
      ...pack.clouds.map((cloud, i) => answers({ cloud: cloud.name, api: true, runner: i % 2 ? 'batect' : 'compose' })),
    ];
    const reached = new Set<string>();
    for (const set of sets) {
      const data = templateData(set, pack.pins, gen, pack.clouds);
      for (const file of pack.files) {
        const target = targetOf(pack.manifest, file.path, set);
        if (target === undefined || !target.endsWith('.ejs')) continue;
        reached.add(file.path);
        const expected = ejs.render(file.content.toString('utf8'), data, { filename: join(TEMPLATE_DIR, file.path), escape });
        assert.equal(runEjs(pack, file, data, undefined), expected, `${file.path} for ${JSON.stringify(set)}`);
      }
    }
    // Partials (the template's own, and each cloud's) are reached through the files that include them.
    const rendered = pack.files.filter((f) => f.path.endsWith('.ejs') && !f.path.startsWith('_partials/') && !f.path.startsWith('clouds/'));
    assert.deepEqual(rendered.filter((f) => !reached.has(f.path)).map((f) => f.path), [], 'EJS files no answer set reached');
  });
});
