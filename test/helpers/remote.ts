// Remote templates for the CLI tests: tar.gz archives written by hand (so hostile entries can be
// made), a loopback HTTP server that serves them, and a sandbox per run (its own working folder,
// download cache and TMPDIR) so a test can prove where files did and did not land.

import { watch, type FSWatcher } from 'node:fs';
import { lstat, mkdir, readdir, readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { listFiles } from '../../src/template/pack.js';
import { ROOT, tempDir } from './cli.js';

export const FIXTURE = join(ROOT, 'test/fixtures/remote/template');

export interface TarEntry {
  name: string;
  type?: '0' | '1' | '2' | '5';
  content?: string | Buffer;
  linkname?: string;
  mode?: number;
  /** The size the header declares, when it is not the content's (a header alone, for streamed bodies). */
  size?: number;
}

/** One ustar header block. */
export function tarHeader(entry: TarEntry): Buffer {
  const size = entry.size ?? Buffer.byteLength(entry.content ?? '');
  const h = Buffer.alloc(512);
  const field = (value: string, at: number, length: number) => h.write(value.slice(0, length), at, length, 'utf8');
  const num = (value: number, at: number, length: number) => field(`${value.toString(8).padStart(length - 1, '0')}\0`, at, length);
  field(entry.name, 0, 100);
  num(entry.mode ?? (entry.type === '5' ? 0o755 : 0o644), 100, 8);
  num(0, 108, 8);
  num(0, 116, 8);
  num(size, 124, 12);
  num(1_700_000_000, 136, 12);
  h.fill(0x20, 148, 156);
  field(entry.type ?? '0', 156, 1);
  field(entry.linkname ?? '', 157, 100);
  field('ustar\u000000', 257, 8);
  let sum = 0;
  for (const byte of h) sum += byte;
  field(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8);
  return h;
}

/** The zero bytes that pad `size` bytes of data to whole blocks. */
export function padding(size: number): Buffer {
  return Buffer.alloc((512 - (size % 512)) % 512);
}

/** A plain (uncompressed) tar archive. */
export function tar(entries: readonly TarEntry[]): Buffer {
  const blocks: Buffer[] = [];
  for (const entry of entries) {
    const data = Buffer.from(entry.content ?? '');
    blocks.push(tarHeader(entry), data, padding(data.length));
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}

export function tarGz(entries: readonly TarEntry[]): Buffer {
  return gzipSync(tar(entries));
}

/** The fixture template's entries as GitHub would serve them: everything inside one top folder. */
export async function fixtureEntries(options: { name?: string; top?: string } = {}): Promise<TarEntry[]> {
  const top = options.top ?? 'org-repo-0123abc';
  const entries: TarEntry[] = [{ name: `${top}/`, type: '5' }];
  for (const path of listFiles(FIXTURE)) {
    const stat = await lstat(join(FIXTURE, path));
    let content: Buffer | string = await readFile(join(FIXTURE, path));
    if (path === 'template.json' && options.name) content = JSON.stringify({ ...JSON.parse(content.toString('utf8')), name: options.name });
    entries.push({ name: `${top}/${path}`, content, mode: stat.mode & 0o777 });
  }
  return entries;
}

/** The fixture (optionally renamed in its template.json) plus `extra` entries, as a tar.gz. */
export async function fixtureArchive(extra: readonly TarEntry[] = [], options: { name?: string } = {}): Promise<Buffer> {
  return tarGz([...(await fixtureEntries(options)), ...extra]);
}

/** A route: a body served whole (with content-length and an ETag), or a handler of its own. */
export type Route = Buffer | ((req: IncomingMessage, res: ServerResponse) => void);

export interface TestServer {
  server: Server;
  base: string;
  /** GET requests per path. */
  hits: Map<string, number>;
  close(): Promise<void>;
}

/** Serves `routes` on 127.0.0.1; everything else is 404. */
export async function serve(routes: Map<string, Route>): Promise<TestServer> {
  const hits = new Map<string, number>();
  const server = createServer((req, res) => {
    const path = req.url ?? '';
    if (req.method === 'GET') hits.set(path, (hits.get(path) ?? 0) + 1);
    const route = routes.get(path);
    if (!route) return void res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    if (typeof route === 'function') return route(req, res);
    const etag = `"${route.length}-${route.subarray(-16).toString('hex')}"`;
    res.writeHead(200, { 'content-type': 'application/gzip', 'content-length': route.length, etag });
    res.end(req.method === 'HEAD' ? undefined : route);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const close = () =>
    new Promise<void>((ok) => {
      server.closeAllConnections();
      server.close(() => ok());
    });
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits, close };
}

export interface Sandbox {
  root: string;
  cwd: string;
  cache: string;
  tmp: string;
  env: NodeJS.ProcessEnv;
}

/** A fresh working folder, download cache (XDG_CACHE_HOME) and TMPDIR for one run. */
export async function sandbox(): Promise<Sandbox> {
  const root = await tempDir('cmlp-remote-');
  const paths = { root, cwd: join(root, 'work'), cache: join(root, 'cache'), tmp: join(root, 'tmp') };
  for (const dir of [paths.cwd, paths.cache, paths.tmp]) await mkdir(dir);
  const env = { XDG_CACHE_HOME: paths.cache, TMPDIR: paths.tmp, HTTPS_PROXY: '', HTTP_PROXY: '', https_proxy: '', http_proxy: '' };
  return { ...paths, env };
}

/** Every file below `dir` (relative paths), for "nothing else was written" checks. */
export async function filesBelow(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) out.push(join(entry.parentPath ?? entry.path, entry.name).slice(dir.length + 1));
  }
  return out.sort();
}

/** The download cache's entries in a sandbox (our own cache: <XDG_CACHE_HOME>/create-ml-project/downloads). */
export function downloadsDir(box: Sandbox): string {
  return join(box.cache, 'create-ml-project', 'downloads');
}

/**
 * Records every change below the given folders while it is on: proof that a refused run wrote
 * nothing at all, not even a temporary file it removed again.
 */
export function watchWrites(dirs: readonly string[]): { events: string[]; stop(): void } {
  const events: string[] = [];
  const watchers: FSWatcher[] = dirs.map((dir) => watch(dir, { recursive: true }, (type, name) => events.push(`${type} ${join(dir, String(name))}`)));
  return { events, stop: () => watchers.forEach((w) => w.close()) };
}
