// Every command's code as one module: build.mjs bundles this file as dist/cli.cjs. One bundle for
// all commands keeps the package small (the code they share ships once) while a run still loads
// just two of our modules, the bin and this; bench/README.md has the measurements.

export { main } from './main.js';
export { checkUpdate } from './commands/check-update.js';
export { doctor } from './commands/doctor.js';
export { update } from './commands/update.js';
