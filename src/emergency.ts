// What must still happen when a run is cut short and cannot wait: a second Ctrl+C, or the event
// loop running dry while a run is unfinished. Synchronous on purpose (it runs on the way out).
// Kept on globalThis: bin.ts and the command bundles each get their own copy of this module.

type Hook = () => void;
const KEY = Symbol.for('create-ml-project.emergency');
const hooks: Set<Hook> = ((globalThis as Record<symbol, unknown>)[KEY] as Set<Hook> | undefined) ?? new Set<Hook>();
(globalThis as Record<symbol, unknown>)[KEY] = hooks;

/** Registers `hook`; returns the function that removes it again. */
export function onEmergency(hook: Hook): () => void {
  hooks.add(hook);
  return () => hooks.delete(hook);
}

/** Runs every hook once (newest first); a hook that throws does not stop the others. */
export function runEmergency(): void {
  for (const hook of [...hooks].reverse()) {
    hooks.delete(hook);
    try {
      hook();
    } catch {
      // on the way out: nothing better to do
    }
  }
}
