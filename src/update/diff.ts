// Line diff (Myers' O(ND) algorithm) reduced to the changed regions ("hunks") that the three-way
// merge needs. Lines are compared with their line terminators, so a missing final newline or a
// CRLF/LF change is a change like any other.

/** A changed region: `aLen` lines of `a` from `aStart` became `bLen` lines of `b` from `bStart`. */
export interface Hunk {
  aStart: number;
  aLen: number;
  bStart: number;
  bLen: number;
}

/**
 * Past this many edit steps the edit script is not worth finding exactly: the middle of the file
 * becomes one hunk. Keeps memory bounded (the trace grows with the square of the steps) when a file
 * was rewritten wholesale, where a minimal diff would not merge any better anyway.
 */
const MAX_EDIT_STEPS = 2000;

/** Splits text into lines that keep their terminator; the last line may have none. */
export function splitLines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

export function diffHunks(a: readonly string[], b: readonly string[]): Hunk[] {
  // Interning lines as numbers makes the inner loop compare integers instead of strings.
  const ids = new Map<string, number>();
  const intern = (line: string): number => {
    let id = ids.get(line);
    if (id === undefined) ids.set(line, (id = ids.size));
    return id;
  };
  const A = a.map(intern);
  const B = b.map(intern);
  // Common prefix and suffix cost nothing to find and shrink what Myers has to search.
  let pre = 0;
  while (pre < A.length && pre < B.length && A[pre] === B[pre]) pre++;
  let suf = 0;
  while (suf < A.length - pre && suf < B.length - pre && A[A.length - 1 - suf] === B[B.length - 1 - suf]) suf++;
  const midA = A.slice(pre, A.length - suf);
  const midB = B.slice(pre, B.length - suf);

  const hunks: Hunk[] = [];
  let i = 0;
  let j = 0;
  for (const [mi, mj] of [...matchingPairs(midA, midB), [midA.length, midB.length] as const]) {
    if (mi > i || mj > j) hunks.push({ aStart: pre + i, aLen: mi - i, bStart: pre + j, bLen: mj - j });
    i = mi + 1;
    j = mj + 1;
  }
  return hunks;
}

/** Index pairs (i, j) with a[i] === b[j] of a longest common subsequence, in order. */
function matchingPairs(a: readonly number[], b: readonly number[]): Array<readonly [number, number]> {
  const n = a.length;
  const m = b.length;
  if (n === 0 || m === 0) return [];
  const max = Math.min(n + m, MAX_EDIT_STEPS);
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  // trace[d] holds v after step d, for diagonals -d..d only.
  const trace: Int32Array[] = [];
  let steps = -1;
  search: for (let d = 0; d <= max; d++) {
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && (v[offset + k - 1] ?? 0) < (v[offset + k + 1] ?? 0)) ? (v[offset + k + 1] ?? 0) : (v[offset + k - 1] ?? 0) + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) {
        trace.push(v.slice(offset - d, offset + d + 1));
        steps = d;
        break search;
      }
    }
    trace.push(v.slice(offset - d, offset + d + 1));
  }
  if (steps < 0) return []; // too different: one hunk replaces the whole middle

  const pairs: Array<readonly [number, number]> = [];
  let x = n;
  let y = m;
  for (let d = steps; d > 0; d--) {
    const prev = trace[d - 1] as Int32Array;
    const at = (k: number) => prev[k + d - 1] ?? 0; // prev covers diagonals -(d-1)..(d-1)
    const k = x - y;
    const prevK = k === -d || (k !== d && at(k - 1) < at(k + 1)) ? k + 1 : k - 1;
    const prevX = at(prevK);
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) pairs.push([--x, --y]);
    x = prevX;
    y = prevY;
  }
  while (x > 0 && y > 0) pairs.push([--x, --y]);
  return pairs.reverse();
}
