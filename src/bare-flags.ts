// Everything a bare `--help` or `--version` needs, behind one import: bin.ts loads this single
// chunk instead of three, which keeps the cold start on a par with create-vite (bench/README.md).

export { helpText } from './help.js';
export { packageVersion } from './paths.js';
export { colorsFor } from './ui.js';
