#!/usr/bin/env node
// `npm run bench:tricks`: what each speed trick of a scaffold buys today. build.mjs builds the
// package once with every trick and once without each (CMLP_BUILD_WITHOUT, read by build.mjs only),
// each into a copy of the sources in a scratch folder; then every round times one default scaffold
// (`--yes --no-install --no-git`) of each build, create-vite's vanilla-ts and `node -e 0` back to
// back (hyperfine -N, one warm-up and one timed run each, every other round in reverse order, the
// previous output moved aside before each run, NODE_COMPILE_CACHE filled by the warm-ups). A
// trick's ratio is the median over rounds of (scaffold without it) ÷ (scaffold with all), with a 95 %
// bootstrap interval: above 1.00 the trick pays.
//
// With --callgrind each build's scaffold is also counted in instructions (valgrind --tool=callgrind,
// after a run that fills the compile cache; see instructions()): robust when the machine is shared.
//
// Options: --rounds N (120) --only trick,trick (--only none: no trick) --callgrind --callgrind-runs N (3)
// --base <git revision> (that revision's build timed in the same rounds: a change against the build
// before it) --write-readme (replace the tricks block in bench/README.md). Results:
// bench/results/tricks.json.

import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, medianInterval, shown, writeResults } from './stats.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i === -1 ? fallback : args[i + 1];
};
const ROUNDS = Number(opt('rounds', 120));
const CALLGRIND = args.includes('--callgrind');
const CALLGRIND_RUNS = Number(opt('callgrind-runs', 3));
const WRITE_README = args.includes('--write-readme');
const BASE = opt('base', undefined);

/** Each trick build.mjs can leave out, and what it is, for the table. */
const TRICKS = {
  pack: 'the template packed ahead (`dist/template.pack`: file list, hash and EJS compiled at build time); without: the template folder read and compiled by EJS at run time, as from source',
  'compile-cache': 'our compile cache for the bundles on Node < 22.1 (`src/compile-cache.ts`); without: `require()`',
  'body-cache': "the template's compiled code through the same cache (`src/template/cached-bodies.ts`); without: the same one script of every body compiled without cached code, as in CI",
  brotli: 'the pack brotli-compressed (a size trick: the package budget); without: every file stored as it is',
  'literal-hoisting': "literal text sliced from the template's source instead of string literals in the compiled code (`run-ejs.ts`); a file that prints only its own text sliced from its bytes (latin1), never decoded from UTF-8",
  'unpacked-cache': "the pack's compressed blocks kept in the compile cache folder as a run unpacked them (`src/template/pack-blocks.ts`, `cached-bodies.ts`); without: unpacked on every run",
};
const only = opt('only', undefined)?.split(',');
const tricks = Object.keys(TRICKS).filter((t) => !only || only.includes(t));

const S = mkdtempSync(join(tmpdir(), 'cmlp-tricks-'));
const REPORTS = join(S, 'reports');
mkdirSync(REPORTS);
process.on('exit', () => rmSync(S, { recursive: true, force: true }));
const log = (...m) => console.error('tricks:', ...m);
// The cache is only a speed-up, and off in CI: it must be on here, in every timed run.
const ENV = { ...process.env, NODE_COMPILE_CACHE: join(S, 'compile-cache') };
delete ENV.CI;
delete ENV.NODE_DISABLE_COMPILE_CACHE;
// Loading extra certificates (a TLS proxy's) adds ~47 ms to every Node start here and to none of
// a user's: left out, as in run.mjs.
delete ENV.NODE_EXTRA_CA_CERTS;

function sh(cmd, argv, options = {}) {
  const r = spawnSync(cmd, argv, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...options });
  if (r.error) throw new Error(r.error.code === 'ENOENT' ? `${cmd} is not installed: bash bench/install-tools.sh installs the bench's tools` : `${cmd}: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${cmd} ${argv.join(' ')} failed (${r.status}${r.signal ? `, ${r.signal}` : ''}): ${r.stderr}`);
  return r;
}

/** The package built from a copy of the sources, without `trick` (none: every trick). */
function buildWithout(trick) {
  const dir = join(S, `build-${trick ?? 'all'}`);
  mkdirSync(dir);
  for (const entry of ['src', 'template', 'package.json', 'tsconfig.json']) cpSync(join(ROOT, entry), join(dir, entry), { recursive: true });
  symlinkSync(realpathSync(join(ROOT, 'node_modules')), join(dir, 'node_modules'));
  sh(process.execPath, [join(ROOT, 'build.mjs')], { cwd: dir, env: { ...process.env, CMLP_BUILD_WITHOUT: trick ?? '' } });
  return join(dir, 'dist/index.cjs');
}

const node = process.execPath;
const scaffoldArgs = (target) => `${target} --name bench-project --yes --no-install --no-git`;
const TRASH = join(S, 'trash');
mkdirSync(TRASH);
const moveAside = (target) => `sh -c 'if [ -e "${target}" ]; then mv "${target}" ${TRASH}/"$(date +%s%N)"; fi'`;

/** The package as git revision `rev` builds it (--base): to time a change against the build before it. */
function buildRevision(rev) {
  const dir = join(S, 'build-base');
  mkdirSync(dir);
  const archive = sh('git', ['-C', ROOT, 'archive', '--format=tar', rev, 'src', 'template', 'package.json', 'tsconfig.json', 'build.mjs'], { encoding: 'buffer' }).stdout;
  sh('tar', ['-x', '-C', dir], { input: archive });
  symlinkSync(realpathSync(join(ROOT, 'node_modules')), join(dir, 'node_modules'));
  sh(process.execPath, ['build.mjs'], { cwd: dir });
  return join(dir, 'dist/index.cjs');
}

log(`scratch folder ${S}; building ${1 + tricks.length + (BASE ? 1 : 0)} variants`);
const bins = { all: buildWithout(undefined), ...Object.fromEntries(tricks.map((t) => [t, buildWithout(t)])), ...(BASE ? { base: buildRevision(BASE) } : {}) };
const commands = [
  { name: 'node -e 0', cmd: `${node} -e 0` },
  { name: 'create-vite', cmd: `${node} ${join(ROOT, 'node_modules/create-vite/index.js')} scaf-vite --template vanilla-ts --no-interactive`, target: 'scaf-vite' },
  ...Object.entries(bins).map(([name, bin]) => ({ name, cmd: `${node} ${bin} ${scaffoldArgs(`scaf-${name}`)}`, target: `scaf-${name}` })),
];

const results = { date: new Date().toISOString(), node: process.version, load: readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' '), rounds: ROUNDS, perRound: [], perRoundCpu: [], tricks: {}, callgrind: undefined };
for (let round = 0; round < ROUNDS; round++) {
  // Not in the scaffolds' parent folder (run.mjs, hyperfine(), says why).
  const json = join(REPORTS, `round-${round}.json`);
  const order = round % 2 === 0 ? commands : [...commands].reverse();
  const argv = ['-N', '--warmup', '1', '--runs', '1', '--export-json', json, '--style', 'none'];
  for (const c of order) argv.push('--prepare', c.target ? moveAside(c.target) : 'true');
  sh('hyperfine', [...argv, ...order.map((c) => c.cmd)], { cwd: S, env: ENV });
  const data = JSON.parse(readFileSync(json, 'utf8'));
  results.perRound.push(Object.fromEntries(order.map((c, i) => [c.name, median(data.results[i].times)])));
  // CPU time (user + system) as well: on a loaded machine a wall time also counts the wait for a core.
  results.perRoundCpu.push(Object.fromEntries(order.map((c, i) => [c.name, data.results[i].user + data.results[i].system])));
  if (round % 20 === 19) log(`round ${round + 1} of ${ROUNDS}`);
}
results.loadAfter = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
// Every build must make the same project, or the comparison is not of the tricks alone.
for (const trick of [...tricks, ...(BASE ? ['base'] : [])]) {
  const diff = spawnSync('diff', ['-r', join(S, 'scaf-all'), join(S, `scaf-${trick}`)], { encoding: 'utf8' });
  if (diff.status !== 0) throw new Error(`the build without ${trick} made a different project:\n${diff.stdout.slice(0, 2000)}`);
}
const compare = (a, b, rounds = results.perRound) => {
  const ratios = rounds.map((r) => r[a] / r[b]);
  return { ratio: median(ratios), interval: medianInterval(ratios) };
};
const medianMs = (name) => median(results.perRound.map((r) => r[name])) * 1000;
results.all = { medianMs: medianMs('all'), vsVite: compare('all', 'create-vite'), cpuVsVite: compare('all', 'create-vite', results.perRoundCpu), vite: medianMs('create-vite'), node: medianMs('node -e 0') };
if (BASE) results.base = { rev: BASE, medianMs: medianMs('base'), vsBase: compare('all', 'base'), cpuVsBase: compare('all', 'base', results.perRoundCpu), baseVsVite: compare('base', 'create-vite') };
for (const trick of tricks) results.tricks[trick] = { medianMs: medianMs(trick), withoutVsWith: compare(trick, 'all'), cpuWithoutVsWith: compare(trick, 'all', results.perRoundCpu) };

/**
 * Instructions of one run of `argv` (callgrind), the least of CALLGRIND_RUNS runs after one that
 * fills the compile cache. V8 picks its string-hash seed at start-up with a search for primes whose
 * length is random (6 to 16 M instructions); that search (HashSeed::InitializeRoots, read from
 * callgrind_annotate) is left out, so counts repeat within about 0.5 M. (node --hash-seed would fix
 * the seed, but V8 then rejects Node's embedded code cache and compiles Node's own modules.)
 */
function instructions(argv) {
  const counts = [];
  for (let run = 0; run <= CALLGRIND_RUNS; run++) {
    const target = join(S, `callgrind-${run}-${Date.now()}`);
    const out = join(S, 'callgrind.out');
    const line = argv(target);
    if (run === 0) sh(node, line, { cwd: S, env: callgrindEnv });
    else {
      sh('valgrind', ['--tool=callgrind', `--callgrind-out-file=${out}`, node, ...line], { cwd: S, env: callgrindEnv });
      const annotated = sh('callgrind_annotate', ['--inclusive=yes', '--threshold=100', out]).stdout;
      const count = (pattern) => Number(pattern.exec(annotated)?.[1]?.replaceAll(',', '') ?? 0);
      counts.push(count(/^\s*([\d,]+)\s.*PROGRAM TOTALS/m) - count(/^\s*([\d,]+)\s.*HashSeed::InitializeRoots/m));
    }
    rmSync(target, { recursive: true, force: true });
  }
  return Math.min(...counts);
}
const callgrindEnv = { ...ENV, NODE_COMPILE_CACHE: join(S, 'compile-cache-callgrind') };
if (CALLGRIND) {
  log('instruction counts (callgrind)');
  results.callgrind = {
    'node -e 0': instructions(() => ['-e', '0']),
    'create-vite': instructions((t) => [join(ROOT, 'node_modules/create-vite/index.js'), t, '--template', 'vanilla-ts', '--no-interactive']),
    ...Object.fromEntries(Object.entries(bins).map(([name, bin]) => [name, instructions((t) => [bin, ...scaffoldArgs(t).split(' ')])])),
  };
}

function table() {
  const M = (n) => `${(n / 1e6).toFixed(0)} M`;
  const cg = results.callgrind;
  const lines = [
    `Measured ${results.date.slice(0, 10)}, Node ${results.node}, ${results.rounds} rounds (load average ${results.load} at the start, ${results.loadAfter} at the end). Every build scaffolded in the same rounds: with every trick ${results.all.medianMs.toFixed(0)} ms, create-vite ${results.all.vite.toFixed(0)} ms, \`node -e 0\` ${results.all.node.toFixed(0)} ms; with every trick ÷ create-vite **${shown(results.all.vsVite)}** (CPU time ${shown(results.all.cpuVsVite)}).${cg ? ` Instructions (callgrind, least of ${CALLGRIND_RUNS}): every trick ${M(cg.all)}, create-vite ${M(cg['create-vite'])}, \`node -e 0\` ${M(cg['node -e 0'])}.` : ''}`,
    ...(tricks.length === 0 ? [] : ['']),
    `| trick | scaffold without it | wall time without ÷ with (95 % interval) | CPU time (user + system) without ÷ with | instructions without − with |`,
    '|---|---|---|---|---|',
  ].slice(0, tricks.length === 0 ? 1 : undefined);
  if (results.base) {
    const b = results.base;
    lines.splice(1, 0, '', `Against the build of \`${b.rev}\` in the same rounds (${b.medianMs.toFixed(0)} ms; ÷ create-vite ${shown(b.baseVsVite)}): this build ÷ that one ${shown(b.vsBase)}, CPU time ${shown(b.cpuVsBase)}${cg ? `, instructions ${M(cg.all)} against ${M(cg.base)}` : ''}.`);
  }
  for (const trick of tricks) {
    const t = results.tricks[trick];
    lines.push(`| \`${trick}\`: ${TRICKS[trick]} | ${t.medianMs.toFixed(0)} ms | ${shown(t.withoutVsWith)} | ${shown(t.cpuWithoutVsWith)} | ${cg ? `${cg[trick] >= cg.all ? '+' : '−'}${M(Math.abs(cg[trick] - cg.all))}` : '—'} |`);
  }
  return lines.join('\n');
}

writeResults('tricks', results, table(), WRITE_README ? 'tricks' : undefined);
if (WRITE_README) log('bench/README.md updated');
