// What both bench scripts share (run.mjs, tricks.mjs): medians, a 95 % interval for the median
// of per-round ratios, and where their results are written.

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/**
 * A 95 % interval for the median of `ratios` (one per round): percentile bootstrap over the rounds,
 * with a fixed seed so the same rounds always give the same interval. A target is judged met or
 * missed only when the whole interval is on one side of it.
 */
export function medianInterval(ratios) {
  let seed = 0x9e3779b9;
  const random = () => {
    // mulberry32
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
  const medians = [];
  for (let i = 0; i < 4000; i++) medians.push(median(ratios.map(() => ratios[Math.floor(random() * ratios.length)])));
  medians.sort((x, y) => x - y);
  return [medians[Math.floor(0.025 * medians.length)], medians[Math.ceil(0.975 * medians.length) - 1]];
}

/** A ratio with its 95 % interval, as the tables show it. */
export const shown = (c) => `${c.ratio.toFixed(2)} (${c.interval[0].toFixed(2)}–${c.interval[1].toFixed(2)})`;

/**
 * Writes a bench's results where they are read: bench/results/<name>.json, the table `text` on
 * stdout and, given a `marker`, the table in place of bench/README.md's block between
 * <!-- bench:<marker> --> and <!-- /bench:<marker> -->. `root` is the repository (tests give another).
 */
export function writeResults(name, results, text, marker, root = ROOT) {
  mkdirSync(join(root, 'bench/results'), { recursive: true });
  writeFileSync(join(root, 'bench/results', `${name}.json`), `${JSON.stringify(results, null, 2)}\n`);
  console.log(text);
  if (!marker) return;
  const readme = join(root, 'bench/README.md');
  const start = `<!-- bench:${marker} -->`;
  const end = `<!-- /bench:${marker} -->`;
  const current = readFileSync(readme, 'utf8');
  if (!current.includes(start) || !current.includes(end)) throw new Error(`bench/README.md has no ${start} block`);
  // A function, so a `$` in the table is not read as a replacement pattern.
  writeFileSync(readme, current.replace(new RegExp(`${start}[\\s\\S]*${end}`), () => `${start}\n${text}\n${end}`));
}
