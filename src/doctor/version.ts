// Versions in programs' output, compared part by part.

/** First dotted version in a program's output: "Poetry (version 2.5.1)" → [2, 5, 1]. */
export function versionIn(text: string): number[] | undefined {
  const match = /(\d+)\.(\d+)(?:\.(\d+))?/.exec(text);
  return match ? match.slice(1).filter((p) => p !== undefined).map(Number) : undefined;
}

/** a >= b, comparing as many parts as b has. */
export function atLeast(a: readonly number[], b: readonly number[]): boolean {
  for (let i = 0; i < b.length; i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    if (x !== y) return x > y;
  }
  return true;
}
