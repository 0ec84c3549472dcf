// The shape of src/ that keeps it easy to change (issue 20): no module imports itself back through
// others (an import cycle makes the load order decide what is defined, and hides which module
// really owns what), and no file grows past what a newcomer reads in one sitting.
//
// Every import counts, type-only and dynamic ones too: a cycle through a dynamic import or a type
// is still two modules that each need the other. The imports are read by TypeScript's own
// scanner (ts.preProcessFile), so comments and strings that look like imports are not counted.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';
import ts from 'typescript';
import { ROOT } from '../helpers/cli.js';

const SRC = join(ROOT, 'src');
/** The most lines a file of src/ may have (CONTRIBUTING: small files, < 300 lines). */
const MAX_LINES = 300;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** Module → the modules of src/ it imports (relative specifiers; `x.js` is the source `x.ts`). */
function importGraph(files: readonly string[]): Map<string, string[]> {
  const known = new Set(files);
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    const targets = importedFiles
      .map((imported) => imported.fileName)
      .filter((spec) => spec.startsWith('.'))
      .map((spec) => resolve(dirname(file), spec.replace(/\.js$/, '.ts')));
    const unknown = targets.filter((target) => !known.has(target));
    assert.deepEqual(unknown, [], `${relative(ROOT, file)} imports files this test cannot find: it would miss their cycles`);
    graph.set(file, [...new Set(targets)]);
  }
  return graph;
}

/** Every cycle a depth-first walk meets, each as the modules along it, first one repeated at the end. */
function findCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const cycles: string[][] = [];
  const visit = (node: string): void => {
    state.set(node, 'open');
    path.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === 'open') cycles.push([...path.slice(path.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    path.pop();
    state.set(node, 'done');
  };
  for (const node of graph.keys()) if (!state.has(node)) visit(node);
  return cycles;
}

describe('the shape of src/', () => {
  const files = sourceFiles(SRC);

  it('finds a cycle when there is one (the check can fail)', () => {
    const graph = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a', 'd']],
      ['d', []],
    ]);
    assert.deepEqual(findCycles(graph), [['a', 'b', 'c', 'a']]);
    assert.deepEqual(findCycles(new Map([['self', ['self']]])), [['self', 'self']]);
    assert.deepEqual(findCycles(new Map([['a', ['b']], ['b', []]])), []);
  });

  it('reads static, type-only and dynamic imports alike', () => {
    const { importedFiles } = ts.preProcessFile(
      "import { a } from './a.js';\nimport type { B } from './b.js';\nexport { c } from './c.js';\nconst d = () => import('./d.js');\n// import { e } from './e.js';\n",
      true,
      true,
    );
    assert.deepEqual(importedFiles.map((f) => f.fileName), ['./a.js', './b.js', './c.js', './d.js']);
  });

  it('has no import cycle', () => {
    const cycles = findCycles(importGraph(files)).map((cycle) => cycle.map((file) => relative(SRC, file)).join(' → '));
    assert.deepEqual(cycles, []);
  });

  it(`has no file over ${MAX_LINES} lines`, () => {
    const long = files
      .map((file) => [relative(ROOT, file), readFileSync(file, 'utf8').split('\n').length - 1] as const)
      .filter(([, lines]) => lines > MAX_LINES)
      .map(([file, lines]) => `${file}: ${lines} lines`);
    assert.deepEqual(long, []);
  });
});
