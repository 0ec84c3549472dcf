// Property-based fuzzing of everything a user can type: names, folders and a value for every
// option (right and wrong types, near-miss enum values, comma lists with junk, quotes, newlines,
// $(…), backticks, %VAR%, ../, absolute paths, unicode, very long strings, reserved Python and
// Windows names). Each generated command line must end one of two ways:
//
//   refused:  exit 2 (usage), or the documented 3 (folder not empty) / 4 (--template not found),
//             with one clear line: no newline, no control or bidi-override characters, and
//             nothing written anywhere;
//   accepted: exit 0 and files only inside the target folder (a canary tree around the working
//             folder proves nothing else changed). Each distinct accepted answer set is then
//             rendered in memory (renderProject) and compared with the same answers under a
//             benign name: after swapping the benign name (and its package name and title) for
//             the generated one, every file must be byte-identical, every YAML/JSON/TOML file
//             must parse, and the parsed structure must match. So no answer can add a key, a
//             line or a shell command anywhere.
//
// Bulk: FUZZ_RUNS (default 10,000) command lines through main() in-process, each in a fresh
// sandbox; plus FUZZ_SPAWNS (default 300) through the built bin (run `npm run build` first).
// Reproduce a failure with the seed and path fast-check prints: FUZZ_SEED=<seed> FUZZ_PATH=<path>.
//
// Run: node --import tsx --test test/fuzz/hostile-input.test.ts

import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve, sep } from 'node:path';
import { after, describe, test } from 'node:test';
import fc from 'fast-check';
import { main } from '../../src/main.js';
import { ANSWER_OPTIONS, OPTIONS, defaultAnswers, type Answers, type Option } from '../../src/options.js';
import { projectTitle } from '../../src/template/title.js';
import { packageVersion } from '../../src/paths.js';
import { renderProject } from '../../src/project/render.js';
import { bundledTemplate } from '../../src/template/source.js';
import { cli } from '../helpers/cli.js';
import { kindOf, parseYaml, pythonBatch, writeByHash } from '../helpers/file-checks.js';
import { captureUi } from '../helpers/scripted.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 10_000);
const SPAWNS = Number(process.env.FUZZ_SPAWNS ?? 300);
const RENDERS = Number(process.env.FUZZ_RENDERS ?? 200);
const SEED = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);
const PATH = process.env.FUZZ_PATH;
const WORK = mkdtempSync(join(tmpdir(), 'cmlp-fuzz-'));
after(() => rmSync(WORK, { recursive: true, force: true }));

/** Replaced by the sandbox root at run time, so some absolute paths point inside the sandbox. */
const SANDBOX = '@SANDBOX@';

// ---------------------------------------------------------------------------------------------
// Generators

const HOSTILE = [
  '', ' ', '"', "'", '\\', 'a"b', "a'b", 'a\nb', 'a\r\nb', '\n', '\t', 'a\u0000b', '$(touch pwned)', '`touch pwned`',
  '$HOME', '${HOME}', '%PATH%', '%~dp0', '!x!', '^&calc', '& del *', '| rm -rf /', '; rm -rf ~', '&& echo x',
  '../x', '../../x', '../../../../../../tmp/cmlp-escape', '..', '.', './', '/', '/tmp/cmlp-abs', '/etc/passwd',
  `${SANDBOX}/abs-inside`, 'C:\\Windows\\x', '\\\\server\\share', '~/x', 'a/b/../../..', 'x/..',
  'key: value', 'a: [b]', '- item', '# comment', '{a: 1}', '"]\n[evil]\nx = 1\n["', '---\nevil: 1', '*anchor', '&ref',
  '<% process.exit(9) %>', '<%- name %>', '%>', '<%', '{{name}}', '${{ github.token }}', '<script>', '\u202e', '\u200b',
  'ünïcödé', '名前', 'имя', '😀', 'e\u0301', 'ﬁle', 'K\u212A', 'İ', 'a'.repeat(51), 'a'.repeat(1000), 'a-'.repeat(30),
  'con', 'nul', 'aux', 'prn', 'com1', 'lpt9', 'CON', 'nul.txt', 'class', 'import', 'lambda', 'none', 'true', 'false',
  'test', 'os', 'sys', 'json', 'type', 'match', 'async', 'api', 'training', 'numpy', 'update', 'doctor', 'check-update',
  '-', '--', '---', '-x', '--nmae', '--name', '--no-name', '--yes=maybe', 'null', 'undefined', 'NaN', '0', '-1', '1e9',
  'True', 'YES', 'on', 'off', 'no', '[]', '{}', '[1,2]', '__proto__', 'constructor', 'toString', 'hasOwnProperty',
];

/** Names that pass validation: they go all the way to a rendered project. */
const validName = fc.stringMatching(/^[a-z][a-z0-9]{0,9}(-[a-z0-9]{1,9}){0,4}$/).filter((s) => s.length <= 50);
const longValidName = fc.integer({ min: 40, max: 50 }).map((n) => `l${'x1-'.repeat(20)}`.slice(0, n).replace(/-+$/, ''));
const hostile = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...HOSTILE) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 300 }) },
  { weight: 2, arbitrary: fc.tuple(validName, fc.constantFrom(...HOSTILE)).map(([a, b]) => a + b) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...HOSTILE), validName).map(([a, b]) => a + b) },
);
const anyName = fc.oneof({ weight: 3, arbitrary: validName }, { weight: 1, arbitrary: longValidName }, { weight: 4, arbitrary: hostile });

/** Near misses of an allowed value: case, spacing, prefixes, one letter off, wrong types. */
function nearMiss(value: string): fc.Arbitrary<string> {
  return fc.constantFrom(
    value.toUpperCase(), ` ${value}`, `${value} `, `${value}\n`, `"${value}"`, `'${value}'`, `${value}x`, value.slice(1),
    value.slice(0, -1), `${value},`, `${value}=`, `${value};`, value.replace(/.$/, 'q'), `${value}${value}`, `[${value}]`,
  );
}

function valueFor(option: Option): fc.Arbitrary<string> {
  switch (option.kind) {
    case 'boolean':
      return fc.oneof(fc.constantFrom('true', 'false', '1', '0', 'yes', 'no', 'on', 'off'), nearMiss('true'), hostile);
    case 'choice': {
      const values = option.choices.map((c) => c.value);
      return fc.oneof(
        { weight: 3, arbitrary: fc.constantFrom(...values) },
        { weight: 2, arbitrary: fc.constantFrom(...values).chain(nearMiss) },
        { weight: 2, arbitrary: hostile },
      );
    }
    case 'list': {
      const values = option.choices.map((c) => c.value);
      const item = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...values) }, fc.constantFrom('', ' ', 'linux ', 'Linux', 'osx', 'win'), hostile);
      return fc.oneof(
        { weight: 3, arbitrary: fc.subarray(values, { minLength: 1 }).map((v) => v.join(',')) },
        { weight: 3, arbitrary: fc.array(item, { minLength: 0, maxLength: 5 }).map((v) => v.join(',')) },
        { weight: 1, arbitrary: hostile },
      );
    }
    case 'text':
      return option.key === 'name' ? anyName : fc.oneof(hostile, fc.constantFrom('answers.json', 'missing.json', '.', '..', 'template'));
  }
}

/** One flag as the user could type it: --flag value, --flag=value, --no-flag, -y. */
function flagTokens(option: Option): fc.Arbitrary<string[]> {
  const tokens = (...t: string[]): string[] => t;
  if (option.kind === 'boolean') {
    return fc.oneof(
      fc.constant(tokens(`--${option.flag}`)),
      fc.constant(tokens(`--no-${option.flag}`)),
      valueFor(option).map((v) => tokens(`--${option.flag}=${v}`)),
      valueFor(option).map((v) => tokens(`--no-${option.flag}=${v}`)),
      ...(option.short ? [fc.constant(tokens(`-${option.short}`))] : []),
    );
  }
  return fc.oneof(
    valueFor(option).map((v) => tokens(`--${option.flag}`, v)),
    valueFor(option).map((v) => tokens(`--${option.flag}=${v}`)),
    fc.constant(tokens(`--${option.flag}`)),
  );
}

const junkFlag = fc.oneof(
  fc.constantFrom(['--nmae', 'x'], ['--clouds', 'aws'], ['-q'], ['-yq'], ['--'], ['---'], ['--=x'], ['--no-cloud'], ['--no-os']),
  hostile.map((h) => [`--${h}`]),
);

// The options whose flags the fuzzer leaves alone: help and version would only print; the run's
// safety flags (no setup, no git, no prompts, dry run, cache only) are added by prepare(), and a
// fuzzed flag saying the opposite would only be refused as a contradiction (test/unit/args.test.ts).
const SKIP = new Set(['help', 'version', 'install', 'git', 'yes', 'dryRun', 'offline', 'preferOffline']);
const FUZZED_OPTIONS = OPTIONS.filter((o) => !SKIP.has(o.key));

const commandLine = fc
  .record({
    dir: fc.option(fc.oneof({ weight: 3, arbitrary: validName }, { weight: 2, arbitrary: hostile }, { weight: 1, arbitrary: validName.map((n) => `nested/${n}`) }), { nil: undefined }),
    flags: fc.array(fc.constantFrom(...FUZZED_OPTIONS).chain(flagTokens), { maxLength: 6 }),
    junk: fc.option(junkFlag, { freq: 8, nil: undefined }),
    // Answers files with arbitrary answers: --answers answers.json reads this one.
    answersFile: fc.option(
      fc.dictionary(fc.oneof(fc.constantFrom(...ANSWER_OPTIONS.map((o) => o.key)), hostile), fc.oneof(hostile, fc.boolean(), fc.array(hostile, { maxLength: 3 }), fc.integer(), fc.constant(null)), { maxKeys: 4 }),
      { nil: undefined },
    ),
  })
  .map(({ dir, flags, junk, answersFile }) => ({ argv: [...(dir === undefined ? [] : [dir]), ...flags.flat(), ...(junk ?? [])], answersFile }));

// ---------------------------------------------------------------------------------------------
// One run in a sandbox: <root>/canary.txt and <root>/p1/p2/cwd; every file that appears must be
// inside the target.

interface Sandbox {
  root: string;
  cwd: string;
}

function sandbox(): Sandbox {
  const root = mkdtempSync(join(WORK, 'Run_'));
  const cwd = join(root, 'P1_', 'P2_', 'Cwd_');
  mkdirSync(cwd, { recursive: true });
  writeFileSync(join(root, 'canary.txt'), 'canary\n');
  writeFileSync(join(root, 'P1_', 'canary.txt'), 'canary\n');
  return { root, cwd };
}

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...walk(path));
    else out.push(path);
  }
  return out;
}

const BASELINE = new Set(['canary.txt', join('P1_', 'canary.txt')]);

/** Files that changed outside `target` (or anywhere, when target is undefined). */
function strayFiles(box: Sandbox, target: string | undefined, allowed: Set<string>): string[] {
  const stray: string[] = [];
  for (const file of walk(box.root)) {
    const rel = relative(box.root, file);
    if (BASELINE.has(rel)) {
      if (readFileSync(file, 'utf8') !== 'canary\n') stray.push(`${rel} (canary changed)`);
      continue;
    }
    if (allowed.has(rel)) continue;
    if (target && (file === target || file.startsWith(target + sep))) continue;
    stray.push(rel);
  }
  for (const rel of BASELINE) if (!existsSync(join(box.root, rel))) stray.push(`${rel} (canary deleted)`);
  return stray;
}

/** Substitutes the sandbox placeholder and, for targets outside the sandbox, forces --dry-run. */
function prepare(argv: readonly string[], box: Sandbox): { argv: string[]; dryRunForced: boolean } {
  // A real command line cannot carry NUL bytes (execve stops there); drop them as a shell would.
  const real = argv.map((a) => a.replaceAll(SANDBOX, box.root).replaceAll('\u0000', ''));
  // Over-approximation: any token that resolves outside the sandbox means the run writes nothing.
  const outside = real.some((a) => {
    const abs = resolve(box.cwd, a);
    return a.includes('..') || a.startsWith('/') ? !abs.startsWith(box.root + sep) : false;
  });
  // Safety flags: no setup, no git, no prompts (the fuzzer never generates these flags itself).
  // After MAX_WRITES projects have been written, accepted runs are dry runs: writing costs ~50 ms
  // and the rendering checks below use every accepted answer set either way.
  const dry = outside || stats.written >= MAX_WRITES;
  // A fuzzed --template can look like a remote source (`<provider>:…`); --offline keeps the run
  // off the network (the download cache only). Without --template it is refused as meaningless.
  const template = real.some((a) => a === '--template' || a.startsWith('--template='));
  return { argv: [...real, '--yes', '--no-install', '--no-git', ...(template ? ['--offline', '--trust'] : []), ...(dry ? ['--dry-run'] : [])], dryRunForced: dry };
}

const MAX_WRITES = Number(process.env.FUZZ_MAX_WRITES ?? 400);
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
const REFUSALS = new Set([2, 3, 4]);

interface Outcome {
  code: number;
  message: string;
  answers?: Answers;
}

const accepted = new Map<string, Answers>();
/** Refusal messages that span lines or echo raw control or bidi-override characters. */
const messageProblems = new Set<string>();
const stats = { runs: 0, refused: new Map<number, number>(), written: 0, dryRun: 0 };

async function runInProcess(argv: readonly string[], answersFile: unknown): Promise<Outcome> {
  const box = sandbox();
  try {
    if (answersFile !== undefined) writeFileSync(join(box.cwd, 'answers.json'), JSON.stringify({ answers: answersFile }));
    const { argv: full } = prepare(argv, box);
    const ui = captureUi();
    let out = '';
    const code = await main({ argv: full, cwd: box.cwd, env: { NO_COLOR: '1' }, interactive: false, ui, stdout: (t) => void (out += t) });
    const json = full.includes('--json');
    const errors = json ? (out.trim() ? [JSON.parse(out.trim().split('\n').pop() ?? '{}').error].filter(Boolean) : []) : ui.lines.filter((l) => l.startsWith('error: '));
    const message = String(errors[0] ?? '').replace(/^error: /, '');
    stats.runs++;
    const allowed = new Set(answersFile === undefined ? [] : [join('P1_', 'P2_', 'Cwd_', 'answers.json')]);
    if (REFUSALS.has(code)) {
      stats.refused.set(code, (stats.refused.get(code) ?? 0) + 1);
      assert.equal(errors.length, 1, `exit ${code} must come with exactly one error line; got ${JSON.stringify(ui.lines)}`);
      assert.ok(message.length > 0, 'error message is empty');
      // Message hygiene is collected and asserted by its own test below, so one bad message does
      // not stop the bulk run from checking exit codes and stray files.
      if (message.includes('\n')) messageProblems.add(`spans lines: ${JSON.stringify(message)}`);
      if (CONTROL.test(message)) messageProblems.add(`raw control/bidi characters: ${JSON.stringify(message)}`);
      assert.deepEqual(strayFiles(box, undefined, allowed), [], 'a refused run wrote files');
      return { code, message };
    }
    assert.equal(code, 0, `exit ${code} is neither success nor a documented refusal: ${JSON.stringify(ui.lines)} ${out}`);
    const written = walk(box.root).filter((f) => f.endsWith('.create-ml-project.json'));
    if (written.length === 0) {
      stats.dryRun++;
      assert.deepEqual(strayFiles(box, undefined, allowed), [], 'a run that wrote no project still wrote files');
      return { code, message: '' };
    }
    assert.equal(written.length, 1, 'one project per run');
    const target = resolve(written[0] ?? '', '..');
    stats.written++;
    assert.deepEqual(strayFiles(box, target, allowed), [], `files outside the target ${relative(box.root, target)}`);
    const record = JSON.parse(readFileSync(written[0] ?? '', 'utf8')) as { answers: Answers };
    return { code, message: '', answers: record.answers };
  } finally {
    rmSync(box.root, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// Rendering checks for accepted answers

/** Valid project names that YAML 1.2 (null) or YAML 1.1 (yes/no/on/off/y/n) reads as non-strings. */
const YAML_SPECIAL_NAMES = ['null', 'yes', 'no', 'on', 'off', 'y', 'n', 'nan', 'inf', 'x0'];
/** Names YAML 1.1 parsers (PyYAML, SnakeYAML) read as booleans. The YAML 1.1 pass is limited to
 * them: the yaml package's 1.1 schema also reads e.g. `e1` as a float, which real 1.1 does not. */
const YAML11_BOOLEAN = /^(y|n|yes|no|on|off)$/;

const BENIGN = { name: 'zqx-benign', pkg: 'zqx_benign', title: 'Zqx Benign', compact: 'zqxbenign' };
const version = packageVersion();

// The title the template shows: words capitalised, known acronyms upper-case (ML Project).
const titleOf = projectTitle;

/** The benign text with the benign name and its derived forms (package, title, the name without
 * hyphens that registries such as Azure ACR need) swapped for the fuzzed one's. */
function swap(text: string, name: string): string {
  return text
    .replaceAll(BENIGN.name, name)
    .replaceAll(BENIGN.pkg, name.replaceAll('-', '_'))
    .replaceAll(BENIGN.title, titleOf(name))
    .replaceAll(BENIGN.compact, name.replaceAll('-', ''));
}

/** Same shape: same keys, same array lengths, same scalar types. */
function shape(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(shape);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shape(v)]));
  return typeof value;
}

/** Where two shapes first differ, as a key path, or undefined when they are equal. */
function shapeDiff(a: unknown, b: unknown, at = ''): string | undefined {
  if (typeof a !== typeof b || Array.isArray(a) !== Array.isArray(b)) return `${at || '/'}: ${JSON.stringify(a)} where the benign project has ${JSON.stringify(b)}`;
  if (a && typeof a === 'object' && b && typeof b === 'object') {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) {
      if (!(k in a)) return `${at}/${k}: missing`;
      if (!(k in b)) return `${at}/${k}: extra key`;
      const d = shapeDiff((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${at}/${k}`);
      if (d) return d;
    }
    return undefined;
  }
  return a === b ? undefined : `${at || '/'}: ${JSON.stringify(a)} where the benign project has ${JSON.stringify(b)}`;
}

function swapKeys(value: unknown, name: string): unknown {
  if (Array.isArray(value)) return value.map((v) => swapKeys(v, name));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [swap(k, name), swapKeys(v, name)]));
  return value;
}

describe('hostile input', () => {
  test(`${RUNS} generated command lines in-process: refused with one clean line, or written only inside the target`, async (t) => {
    const started = performance.now();
    await fc.assert(
      fc.asyncProperty(commandLine, async ({ argv, answersFile }) => {
        const outcome = await runInProcess(argv, answersFile);
        if (outcome.answers) accepted.set(JSON.stringify(outcome.answers), outcome.answers);
      }),
      { numRuns: RUNS, ...(SEED === undefined ? {} : { seed: SEED }), ...(PATH === undefined ? {} : { path: PATH }), endOnFailure: true, includeErrorInReport: true },
    );
    const refused = [...stats.refused.entries()].map(([c, n]) => `exit ${c}: ${n}`).join(', ');
    t.diagnostic(`${stats.runs} runs in ${((performance.now() - started) / 1000).toFixed(1)} s: ${refused}; ${stats.written} projects written, ${stats.dryRun} accepted without writing (dry run or help); ${accepted.size} distinct accepted answer sets`);
    assert.ok(stats.written >= Math.min(50, RUNS / 50), `too few accepted runs (${stats.written}) to check rendering: the generators drifted`);
  });

  test('every accepted answer set renders to the benign project with only the name swapped, and every file parses', async (t) => {
    // The generated name arbitraries on their own, so rendering sees names of every shape even if
    // few command lines were accepted.
    const names = fc.sample(fc.oneof(validName, longValidName), { numRuns: RENDERS, ...(SEED === undefined ? {} : { seed: SEED }) });
    // Valid names that YAML, TOML or shells read as something other than a string.
    names.unshift(...YAML_SPECIAL_NAMES.filter((n) => !names.includes(n)));
    // renderProject costs ~60 ms (it hashes the template), so at most RENDERS sets are rendered.
    // The YAML-special names also with the other runner and a cloud, so compose.yaml and the
    // deploy jobs see them.
    const special: Answers[] = YAML_SPECIAL_NAMES.map((n) => ({ ...defaultAnswers(n), runner: 'compose', cloud: 'azure', os: ['windows'] }));
    const sets = [...special, ...[...accepted.values()].slice(0, RENDERS / 2), ...names.map((n) => ({ ...defaultAnswers(n) }))].filter((a) => !/^(zqx|benign)/.test(a.name)).slice(0, RENDERS);
    const benignCache = new Map<string, Map<string, Buffer>>();
    const tomlDir = join(WORK, 'toml');
    const tomlPairs: { file: string; benign: string; name: string; path: string }[] = [];
    const problems: string[] = [];
    for (const answers of sets) {
      const { name, ...rest } = answers;
      const key = JSON.stringify(rest);
      let benign = benignCache.get(key);
      if (!benign) {
        const files = await renderProject({ answers: { ...answers, name: BENIGN.name }, template: bundledTemplate(), version });
        benign = new Map(files.map((f) => [f.path, f.content]));
        benignCache.set(key, benign);
      }
      const files = await renderProject({ answers, template: bundledTemplate(), version });
      const expectedPaths = [...benign.keys()].map((p) => swap(p, name)).sort();
      const gotPaths = files.map((f) => f.path).sort();
      if (JSON.stringify(expectedPaths) !== JSON.stringify(gotPaths)) {
        problems.push(`${name}: file list differs from the benign project's`);
        continue;
      }
      for (const f of files) {
        const benignPath = [...benign.keys()].find((p) => swap(p, name) === f.path) ?? '';
        const benignContent = benign.get(benignPath) ?? Buffer.alloc(0);
        const text = f.content.toString('utf8');
        const expected = swap(benignContent.toString('utf8'), name);
        if (f.path === '.create-ml-project.json') {
          // The answers file records the name as data: compare it as JSON.
          const got = JSON.parse(text) as { answers: Answers };
          if (got.answers.name !== name) problems.push(`${name}: ${f.path} records the name ${got.answers.name}`);
          continue;
        }
        if (text !== expected) {
          const lines = text.split('\n');
          const want = expected.split('\n');
          const i = lines.findIndex((l, j) => l !== want[j]);
          problems.push(`${name}: ${f.path} differs beyond the name at line ${i + 1}: got ${JSON.stringify(lines[i])}, benign has ${JSON.stringify(want[i])}`);
          continue;
        }
        const kind = kindOf(f.path, f.content);
        try {
          if (kind === 'yaml') {
            for (const v of YAML11_BOOLEAN.test(name) ? (['1.2', '1.1'] as const) : (['1.2'] as const)) {
              const d = shapeDiff(shape(parseYaml(text, v)), shape(swapKeys(parseYaml(benignContent.toString('utf8'), v), name)));
              if (d) throw new Error(`read as YAML ${v}: ${d}`);
            }
          }
          if (kind === 'json') {
            const d = shapeDiff(shape(JSON.parse(text)), shape(swapKeys(JSON.parse(benignContent.toString('utf8')), name)));
            if (d) throw new Error(d);
          }
        } catch (error) {
          problems.push(`${name}: ${f.path} (${kind}) does not parse to the benign structure: ${(error as Error).message.split('\n')[0]}`);
        }
        if (kind === 'toml') {
          tomlPairs.push({ file: writeByHash(tomlDir, 'x.toml', f.content), benign: writeByHash(tomlDir, 'b.toml', benignContent), name, path: f.path });
        }
      }
    }
    // TOML: one python3 call for every distinct file, then the same shape comparison.
    const unique = [...new Set(tomlPairs.flatMap((p) => [p.file, p.benign]))];
    const parsed = pythonBatch(unique, [], true);
    for (const p of tomlPairs) {
      const got = parsed.toml[p.file];
      const want = parsed.toml[p.benign];
      if (!got?.ok) problems.push(`${p.name}: ${p.path}: TOML does not parse: ${got?.error}`);
      else {
        const d = shapeDiff(shape(got.value), shape(swapKeys(want?.value, p.name)));
        if (d) problems.push(`${p.name}: ${p.path}: TOML structure differs from the benign project's at ${d}`);
      }
    }
    t.diagnostic(`${sets.length} answer sets rendered, ${benignCache.size} benign projects, ${unique.length} distinct TOML files parsed`);
    assert.deepEqual(problems.slice(0, 30), [], `${problems.length} problem(s)`);
  });

  test(`${SPAWNS} generated command lines through the built bin`, (t) => {
    let count = 0;
    const codes = new Map<number | null, number>();
    fc.assert(
      fc.property(commandLine, ({ argv, answersFile }) => {
        const box = sandbox();
        try {
          if (answersFile !== undefined) writeFileSync(join(box.cwd, 'answers.json'), JSON.stringify({ answers: answersFile }));
          // A benign first flag, so a generated first word never selects a subcommand (update, doctor).
          const { argv: full } = prepare(['--no-color', ...argv], box);
          const r = cli(full, { cwd: box.cwd, timeout: 30_000 });
          count++;
          codes.set(r.code, (codes.get(r.code) ?? 0) + 1);
          const allowed = new Set(answersFile === undefined ? [] : [join('P1_', 'P2_', 'Cwd_', 'answers.json')]);
          if (r.code !== null && REFUSALS.has(r.code)) {
            const json = full.includes('--json');
            const raw = json ? String(JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}').error ?? '') : r.stderr.trim();
            // A generated `--color` after our `--no-color` asks for colour, and gets it (the last of
            // the two wins, src/colour.ts): our own SGR codes are then taken off before the checks.
            // Runs without it (most) are checked as they are, so a raw escape from a value still shows.
            const coloured = full.lastIndexOf('--color') > full.lastIndexOf('--no-color');
            const text = coloured ? raw.replace(/\x1b\[[0-9;]*m/g, '') : raw;
            // Warnings may come first (e.g. --template runs code from outside the package); the
            // refusal itself is one `error:` line and nothing else.
            const lines = text.split('\n').filter(Boolean).filter((l) => !l.startsWith('warning: '));
            if (lines.length !== 1) messageProblems.add(`bin, exit ${r.code}: not one error line: ${JSON.stringify(text)}`);
            if (!json) assert.match(lines[0] ?? '', /^error: /, `exit ${r.code} without an error line: ${JSON.stringify(text)}`);
            if (lines.some((l) => CONTROL.test(l))) messageProblems.add(`bin: raw control/bidi characters: ${JSON.stringify(text)}`);
            assert.deepEqual(strayFiles(box, undefined, allowed), []);
            return;
          }
          assert.equal(r.code, 0, `exit ${r.code}: ${r.stderr}`);
          const projects = walk(box.root).filter((f) => f.endsWith('.create-ml-project.json'));
          const target = projects[0] === undefined ? undefined : resolve(projects[0], '..');
          assert.ok(projects.length <= 1);
          assert.deepEqual(strayFiles(box, target, allowed), [], `files outside the target`);
        } finally {
          rmSync(box.root, { recursive: true, force: true });
        }
      }),
      { numRuns: SPAWNS, ...(SEED === undefined ? {} : { seed: SEED }), endOnFailure: true, includeErrorInReport: true },
    );
    t.diagnostic(`${count} spawns: ${[...codes.entries()].map(([c, n]) => `exit ${c}: ${n}`).join(', ')}`);
  });

  test('every refusal is one line with no raw control or bidi-override characters', () => {
    // A value echoed raw can split the message or, with U+202E (right-to-left override), U+200E/F,
    // U+2066-2069 or C1 controls, make the terminal display something misleading.
    const all = [...messageProblems];
    assert.deepEqual(all.slice(0, 12), [], `${all.length} refusal message(s) with problems`);
  });
});
