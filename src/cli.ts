// Every command's code as one module: build.mjs bundles this file as dist/cli.cjs. One bundle for
// all commands keeps the package small (the code they share ships once) while a run still loads
// just two of our modules, the bin and this; bench/README.md has the measurements.
//
// The commands beside create are initialised only when run: inside the bundle, a dynamic import
// becomes a lazily run module body, so a scaffold does not load what only they use (Node's
// child_process, fs/promises and readline cost a scaffold ~4 ms to load, measured with
// --cpu-prof).

import type { Command, CommandIO } from './commands/index.js';

export { main } from './main.js';

/** A command whose module body runs on first use. */
function lazy(name: string, load: () => Promise<Command>): Command {
  return { name, run: async (io: CommandIO) => (await load()).run(io) };
}

export const update = lazy('update', () => import('./commands/update.js').then((m) => m.update));
export const checkUpdate = lazy('check-update', () => import('./commands/check-update.js').then((m) => m.checkUpdate));
export const doctor = lazy('doctor', () => import('./commands/doctor.js').then((m) => m.doctor));

/** Every command of commands/index.ts's table, by name (bin.ts runs the one asked for). */
export const commands: Record<string, Command> = { update, 'check-update': checkUpdate, doctor };

// A render worker (template/render-isolated.ts) runs this bundle with this argument (the constant is
// template/render-isolated.ts's RENDER_WORKER_ARG, written out: importing it would load the module
// in every run). The module then serves the worker; otherwise no scaffold loads it.
if (process.argv.includes('--create-ml-project-render-worker')) void import('./template/render-isolated.js');
