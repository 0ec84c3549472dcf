// Line-based three-way merge (diff3), in TypeScript so `update` works where git is not installed.
// base = the file as the old template generated it, ours = the user's file, theirs = the file as
// the new template generates it. Changes that do not overlap are both kept; overlapping changes
// become a conflict block with git's standard markers, so editors and `git diff` recognise them.

import { diffHunks, splitLines, type Hunk } from './diff.js';

export interface MergeResult {
  text: string;
  /** Number of conflict blocks in `text`. */
  conflicts: number;
}

export interface MergeLabels {
  ours: string;
  theirs: string;
}

const DEFAULT_LABELS: MergeLabels = { ours: 'yours', theirs: 'template' };

interface SideHunk extends Hunk {
  side: 'ours' | 'theirs';
}

export function merge3(base: string, ours: string, theirs: string, labels: MergeLabels = DEFAULT_LABELS): MergeResult {
  if (ours === theirs || theirs === base) return { text: ours, conflicts: 0 };
  if (ours === base) return { text: theirs, conflicts: 0 };
  const o = splitLines(base);
  const a = splitLines(ours);
  const b = splitLines(theirs);
  // Markers follow the user's line endings, so a CRLF file stays CRLF.
  const eol = ours.includes('\r\n') ? '\r\n' : '\n';

  const hunks: SideHunk[] = [
    ...diffHunks(o, a).map((h) => ({ ...h, side: 'ours' as const })),
    ...diffHunks(o, b).map((h) => ({ ...h, side: 'theirs' as const })),
  ].sort((x, y) => x.aStart - y.aStart || (x.side === y.side ? 0 : x.side === 'ours' ? -1 : 1));

  const out: string[] = [];
  let conflicts = 0;
  let baseDone = 0; // base lines before this index are already emitted (or replaced)
  for (let i = 0; i < hunks.length; ) {
    const first = hunks[i] as SideHunk;
    const regionStart = first.aStart;
    let regionEnd = first.aStart + first.aLen;
    const region: SideHunk[] = [first];
    // Hunks that touch or overlap the region join it: changes to adjacent lines conflict, as in git.
    for (i++; i < hunks.length && (hunks[i] as SideHunk).aStart <= regionEnd; i++) {
      const h = hunks[i] as SideHunk;
      regionEnd = Math.max(regionEnd, h.aStart + h.aLen);
      region.push(h);
    }
    out.push(...o.slice(baseDone, regionStart));
    baseDone = regionEnd;

    const sides = new Set(region.map((h) => h.side));
    if (sides.size === 1) {
      // Only one side changed this region: take its lines.
      const lines = first.side === 'ours' ? a : b;
      for (const h of region) {
        out.push(...lines.slice(h.bStart, h.bStart + h.bLen));
      }
      continue;
    }
    const mine = sideLines(region, 'ours', a, regionStart, regionEnd);
    const template = sideLines(region, 'theirs', b, regionStart, regionEnd);
    if (sameLines(mine, template)) {
      out.push(...mine); // both made the same change
      continue;
    }
    // Lines both sides agree on at the edges stay outside the markers (git's "zealous" merge).
    let head = 0;
    while (head < mine.length && head < template.length && mine[head] === template[head]) head++;
    let tail = 0;
    while (tail < mine.length - head && tail < template.length - head && mine[mine.length - 1 - tail] === template[template.length - 1 - tail]) tail++;
    out.push(...mine.slice(0, head));
    out.push(`<<<<<<< ${labels.ours}${eol}`, ...terminated(mine.slice(head, mine.length - tail), eol));
    out.push(`=======${eol}`, ...terminated(template.slice(head, template.length - tail), eol));
    out.push(`>>>>>>> ${labels.theirs}${eol}`);
    out.push(...mine.slice(mine.length - tail));
    conflicts++;
  }
  out.push(...o.slice(baseDone));
  return { text: out.join(''), conflicts };
}

/**
 * The lines of one side that stand for base lines [regionStart, regionEnd). Outside this side's
 * own hunks it equals the base, so the edges shift by the distance to its first and last hunk.
 */
function sideLines(region: readonly SideHunk[], side: SideHunk['side'], lines: readonly string[], regionStart: number, regionEnd: number): string[] {
  const own = region.filter((h) => h.side === side);
  const firstHunk = own[0] as SideHunk;
  const lastHunk = own[own.length - 1] as SideHunk;
  const start = firstHunk.bStart - (firstHunk.aStart - regionStart);
  const end = lastHunk.bStart + lastHunk.bLen + (regionEnd - (lastHunk.aStart + lastHunk.aLen));
  return lines.slice(start, end);
}

function sameLines(x: readonly string[], y: readonly string[]): boolean {
  return x.length === y.length && x.every((line, i) => line === y[i]);
}

/** A conflict side whose last line has no newline would glue onto the marker after it. */
function terminated(lines: readonly string[], eol: string): string[] {
  const last = lines[lines.length - 1];
  if (last === undefined || last.endsWith('\n')) return [...lines];
  return [...lines.slice(0, -1), last + eol];
}
