// Long synchronous work (rendering, writing many files) would hold Ctrl+C until it is done: the
// signal handler only runs when the event loop turns. A cancel point lets it turn every ~20 ms and
// stops the work with CancelError once the run's signal is aborted.

import { CancelError } from './errors.js';

export function cancelPoints(signal?: AbortSignal, everyMs = 20): () => Promise<void> {
  let last = Date.now();
  return async () => {
    if (signal === undefined) return;
    if (Date.now() - last >= everyMs) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      last = Date.now();
    }
    if (signal.aborted) throw new CancelError();
  };
}
