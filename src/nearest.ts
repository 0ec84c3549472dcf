// "Did you mean …?": the closest of a few known words to what was typed, when it is close enough
// to be a typo (a swapped, missing, extra or wrong letter or two), as create-vite and git suggest.

/** Edit distance with adjacent swaps (optimal string alignment): `pyhton` is 1 from `python`. */
function distance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) (d[0] as number[])[j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const row = d[i] as number[];
      const up = d[i - 1] as number[];
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min((up[j] as number) + 1, (row[j - 1] as number) + 1, (up[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) row[j] = Math.min(row[j] as number, ((d[i - 2] as number[])[j - 2] as number) + 1);
    }
  }
  return (d[a.length] as number[])[b.length] as number;
}

/**
 * The candidate closest to `typed`, if it is within a typo or two (a third of its length). A value
 * without letters (a version: `3.10`) is a choice, not a typo: nothing is suggested for it.
 */
export function nearest(typed: string, candidates: readonly string[]): string | undefined {
  if (!/[a-z]/i.test(typed)) return undefined;
  const limit = Math.max(1, Math.floor(typed.length / 3));
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const candidate of candidates) {
    const d = distance(typed.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return best;
}

/** " (did you mean X?)" or nothing. */
export function didYouMean(typed: string, candidates: readonly string[]): string {
  const found = nearest(typed, candidates);
  return found === undefined ? '' : ` (did you mean ${found}?)`;
}
