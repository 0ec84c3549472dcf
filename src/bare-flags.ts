// Everything a bare `--help` or `--version` needs, behind one import: build.mjs makes this its own
// small bundle (dist/help.cjs), so the cold start loads neither the wizard nor the template code.

export { show } from './errors.js';
export { helpText } from './help.js';
export { howRun } from './invocation.js';
export { packageVersion } from './paths.js';
export { colorsFor } from './ui.js';
