// The executable: checks Node, wires Ctrl+C to an abort signal, runs main, exits with its code.

import { join } from 'node:path';
import { dumbTerminal } from './colour.js';
// Static: the command table is a few lines of plain data (each command loads on use), and one
// module fewer to fetch matters for a cold start.
import { COMMANDS } from './commands/index.js';
import { cacheLog, compileCacheOff, enableNodeCompileCache, flushNodeCompileCache, loadWithCache } from './compile-cache.js';
import { runEmergency } from './emergency.js';
import { guardStreams, output } from './output.js';

// Standard output and error: written directly unless they may be a terminal (output.ts).
const stdout = output(1);
const stderr = output(2);

const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 12)) {
  stderr.write(`create-ml-project needs Node.js 20.12 or newer; this is ${process.versions.node}\n`);
  process.exit(1);
}

const controller = new AbortController();
let interrupts = 0;
let finished = false;
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(sig, () => {
    // First Ctrl+C: cancel cleanly (main stops what it started and removes what it created).
    // Second: leave at once, after the same clean-up done synchronously (emergency.ts).
    if (++interrupts > 1) {
      runEmergency();
      process.exit(130);
    }
    controller.abort();
  });
}
// The event loop ran dry with the run unfinished (a prompt whose input closed: Ctrl+D): a cancel.
process.on('beforeExit', () => {
  if (!finished && !controller.signal.aborted) controller.abort();
});
process.on('exit', (code) => {
  if (!finished) {
    runEmergency();
    // The loop ran dry (a cancel); a crash keeps its own code.
    if (code === 0) process.exitCode = 130;
  }
  // Whatever a prompt or spinner left behind: the cursor is shown again, the terminal cooked
  // (a TERM=dumb terminal never had either: it gets plain lines and line prompts).
  if (interactive && !dumbTerminal(process.env)) {
    process.stdout.write('\x1b[?25h');
    if (process.stdin.isRaw) process.stdin.setRawMode(false);
  }
});

/** Each bundle's content hash, written in by build.mjs; not defined when running from source. */
declare const __BUNDLE_HASHES__: Record<string, string> | undefined;

// Node 22.1+: Node's own compile cache (for every module, libraries too). Older Node: ours, for
// our bundles (compile-cache.ts).
const nodeCompileCache = enableNodeCompileCache(process.env);
const logCache = cacheLog(process.env);

/** Loads one of build.mjs's bundles by name, through the compile cache; `load` is the plain import. */
const bundle = async <T>(name: string, load: () => Promise<T>): Promise<T> => {
  const hash = typeof __BUNDLE_HASHES__ === 'object' ? __BUNDLE_HASHES__[name] : undefined;
  if (hash === undefined || nodeCompileCache || compileCacheOff(process.env)) return load();
  const file = join(import.meta.dirname, `${name}.cjs`);
  return loadWithCache(file, { env: process.env, hash, ...(logCache ? { log: logCache } : {}) }).exports as T;
};

const given = process.argv.slice(2);
// `help` and `help <command>` are --help said another way (as in git and npm); the flags after
// them are that help's (--no-color). A topic that is no command is refused in run().
const [first, topic, ...rest] = given;
const helpTopic = first === 'help' && topic !== undefined && !topic.startsWith('-') ? topic : undefined;
const argv = first !== 'help' ? given : helpTopic === undefined ? ['--help', ...given.slice(1)] : [helpTopic, '--help', ...rest];
// stdout first: when it is not a terminal (scripts, CI, pipes) stdin is never opened as a stream,
// which Node would otherwise set up on first touch, for nothing.
const interactive = stdout.isTTY && Boolean(process.stdin.isTTY);
// A person at a terminal: the prompts write to Node's streams directly; a closed one must not crash them.
if (interactive) guardStreams();

async function run(): Promise<void> {
  if (helpTopic !== undefined && !Object.hasOwn(COMMANDS, helpTopic)) {
    // show() from the small help bundle (it has errors.ts already): this bundle stays small.
    const { show } = await bundle('help', () => import('./bare-flags.js'));
    stderr.write(`error: help: ${show(helpTopic)} is not a command; the commands are ${Object.keys(COMMANDS).join(', ')} (help alone shows the options)\n`);
    process.exitCode = 2;
    return;
  }
  const command = argv[0] !== undefined && Object.hasOwn(COMMANDS, argv[0]) ? argv[0] : undefined;
  // A bare --help or --version needs neither the wizard nor the template code: answer it from the
  // small help bundle, so the cold start stays at Node's own start-up cost (main.ts answers them
  // too, when they come with other arguments).
  if (argv.length === 1 && ['-h', '--help', '-v', '--version'].includes(argv[0] as string)) {
    const { helpText, howRun, packageVersion, colorsFor } = await bundle('help', () => import('./bare-flags.js'));
    const help = argv[0] === '-h' || argv[0] === '--help';
    const version = packageVersion();
    stdout.write(help ? helpText(version, colorsFor(argv, process.env, interactive), howRun(process.env, version), stdout.columns) : `${version}\n`);
    return;
  }
  let cwd: string;
  try {
    cwd = process.cwd();
  } catch {
    // The shell stands in a folder that was removed (`rm -rf` of the project it was in).
    stderr.write('error: the current folder no longer exists (deleted or moved): cd to one that exists, then run again\n');
    // Where create would write cannot be (exit 3); the project folder a command reads is missing (exit 2).
    process.exitCode = command ? 2 : 3;
    return;
  }
  if (command) {
    const { commands } = await bundle('cli', () => import('./cli.js'));
    process.exitCode = await (commands[command] as (typeof commands)[string]).run({
      argv: argv.slice(1),
      cwd,
      env: process.env,
      interactive,
      signal: controller.signal,
      stdout: (text) => stdout.write(text),
      stderr: (text) => stderr.write(text),
    });
  } else {
    const { main } = await bundle('cli', () => import('./cli.js'));
    process.exitCode = await main({
      argv,
      cwd,
      env: process.env,
      interactive,
      signal: controller.signal,
      columns: stdout.columns,
      stdout: (text) => stdout.write(text),
      stderr: (text) => stderr.write(text),
    });
  }
}

// Not a top-level await: the published bin is CommonJS (build.mjs says why). A failure that
// escapes still ends the process with Node's report and exit code 1, as an unhandled rejection.
void run()
  .then(() => {
    finished = true;
    // Done, with all output handed to the system and Node's own compile cache written: end now.
    // Ending naturally, Node would first take the heap apart and free it, ~1 ms of a scaffold
    // (bench/README.md). A person at a terminal gets the natural end below (the prompts' streams).
    if (!interactive && stdout.flushed && stderr.flushed && flushNodeCompileCache()) process.exit();
  })
  .finally(() => {
    finished = true;
    // Done: nothing left of the run may keep the process alive (a terminal still read, a stray
    // handle), so it ends now, with the code just set, even if something lingers.
    setTimeout(() => process.exit(), 200).unref();
  });
