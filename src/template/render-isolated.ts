// A template other than the bundled one is someone else's JavaScript (EJS compiles to it), and it
// renders in a worker thread. Node runs a signal handler only when the event loop turns, so code
// that loops forever (or just runs long) in this thread would hold Ctrl+C and SIGTERM until it
// returned. In a worker, this thread stays free: a cancel, or a file whose code runs longer than
// RENDER_LIMIT_SECONDS, ends the worker at once (worker.terminate() stops even a `while (true)`).
// The bundled template is this tool's own code and renders in this thread (render.ts): a worker
// costs tens of milliseconds a default scaffold does not need.
//
// The worker runs this very module: in the published package the bundle it is part of
// (dist/cli.cjs, whose other modules only define things when loaded), from source this file
// (through tsx, as the tests run it). In a worker made here, the module renders what it is sent
// and posts the files back.

import { createRequire } from 'node:module';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { CancelError } from '../errors.js';
import type { Answers } from '../options.js';
import { TemplateError, type TemplatePack } from './pack.js';
import { renderTemplate, type Generator, type RenderedFile } from './render.js';

/** How long the code of one file of a template other than the bundled one may run. */
export const RENDER_LIMIT_SECONDS = 10;

const TAG = 'create-ml-project render worker';

/**
 * In a worker's process.argv: the bundle (cli.ts) then loads this module, which nothing else loads
 * before a template other than the bundled one renders (node:worker_threads costs every scaffold
 * ~8 M instructions to load).
 */
export const RENDER_WORKER_ARG = '--create-ml-project-render-worker';

interface Job {
  tag: typeof TAG;
  pack: Pick<TemplatePack, 'dir' | 'manifest' | 'pins' | 'clouds'> & { files: { path: string; executable: boolean; content: Uint8Array }[] };
  answers: Answers;
  generator: Generator;
}

type Report =
  | { kind: 'code'; path: string }
  // A file copied as it is names the template file (`from`, its index) instead of carrying its bytes.
  | { kind: 'done'; files: { path: string; mode: number; content?: Uint8Array; from?: number }[] }
  | { kind: 'failed'; template: boolean; message: string };

/**
 * Renders `pack` as renderTemplate does, in a worker thread that a cancel (`signal`) or the time
 * limit ends at once. The pack's files are copied to the worker; nothing is shared with it.
 */
export function renderIsolated(pack: TemplatePack, answers: Answers, generator: Generator, signal?: AbortSignal): Promise<RenderedFile[]> {
  if (signal?.aborted) return Promise.reject(new CancelError());
  const job: Job = {
    tag: TAG,
    pack: { dir: pack.dir, manifest: pack.manifest, pins: pack.pins, clouds: pack.clouds, files: pack.files.map((f) => ({ path: f.path, executable: f.executable, content: f.content })) },
    answers,
    generator,
  };
  pack.release?.();
  return new Promise<RenderedFile[]>((resolve, reject) => {
    const worker = startWorker(job);
    // The file whose code runs now (before the first one: the template as a whole).
    let running = 'the template';
    let timer: NodeJS.Timeout | undefined;
    const watch = () => {
      clearTimeout(timer);
      timer = setTimeout(() => end(new TemplateError(`${running} did not finish rendering within ${RENDER_LIMIT_SECONDS} s (a loop that never ends?)`)), RENDER_LIMIT_SECONDS * 1000);
    };
    const cancel = () => end(new CancelError());
    let ended = false;
    function end(outcome: Error | RenderedFile[]): void {
      if (ended) return;
      ended = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', cancel);
      // Whatever the template's code left running in its thread ends with it.
      void worker.terminate();
      if (outcome instanceof Error) reject(outcome);
      else resolve(outcome);
    }
    signal?.addEventListener('abort', cancel, { once: true });
    watch();
    worker.on('message', (report: Report) => {
      if (report.kind === 'code') {
        running = report.path;
        watch();
      } else if (report.kind === 'done') {
        try {
          end(report.files.map((f) => ({ path: String(f.path), mode: Number(f.mode), content: f.from === undefined ? Buffer.from(f.content ?? []) : contentOf(pack, f.from) })));
        } catch (error) {
          end(error as Error);
        }
      } else {
        end(report.template ? new TemplateError(report.message) : new Error(report.message));
      }
    });
    // The template's code can fail outside a render (a timer it set that throws), run out of
    // memory, or end its own thread (process.exit): all of that is the template's doing.
    worker.on('error', (error) => end(new TemplateError(`the code of ${running} failed: ${error.message}`)));
    worker.on('exit', (code) => end(new TemplateError(`the code of ${running} ended the render (exit code ${code})`)));
  });
}

/** A worker running this module (from source: through tsx, which a worker does not inherit). */
function startWorker(job: Job): Worker {
  const self = import.meta.filename;
  if (!self.endsWith('.ts')) return new Worker(self, { workerData: job, stdin: false, argv: [RENDER_WORKER_ARG] });
  const tsx = createRequire(self).resolve('tsx/cjs/api');
  const code = `require(${JSON.stringify(tsx)}).register(); require(${JSON.stringify(self)});`;
  return new Worker(code, { eval: true, workerData: job, stdin: false });
}

function contentOf(pack: TemplatePack, index: number): Buffer {
  const file = pack.files[index];
  if (!file) throw new TemplateError(`the render named template file ${index}, which does not exist`);
  return file.content;
}

async function serve(job: Job, port: NonNullable<typeof parentPort>): Promise<void> {
  const files = job.pack.files.map((f) => ({ path: f.path, executable: f.executable, content: Buffer.from(f.content.buffer, f.content.byteOffset, f.content.byteLength) }));
  const pack: TemplatePack = { dir: job.pack.dir, manifest: job.pack.manifest, pins: job.pack.pins, clouds: job.pack.clouds, files };
  // Most of a template is copied as it is; those bytes are not sent back (a big template's data
  // would otherwise cross twice).
  const copied = new Map(files.map((f, i) => [f.content, i]));
  let report: Report;
  try {
    const rendered = await renderTemplate(pack, job.answers, job.generator, undefined, (path) => port.postMessage({ kind: 'code', path } satisfies Report));
    report = { kind: 'done', files: rendered.map(({ path, mode, content }) => (copied.has(content) ? { path, mode, from: copied.get(content) as number } : { path, mode, content })) };
  } catch (error) {
    report = { kind: 'failed', template: error instanceof TemplateError, message: error instanceof TemplateError ? error.message : ((error as Error)?.stack ?? String(error)) };
  }
  port.postMessage(report);
}

if (!isMainThread && parentPort && (workerData as Partial<Job> | undefined)?.tag === TAG) void serve(workerData as Job, parentPort);
