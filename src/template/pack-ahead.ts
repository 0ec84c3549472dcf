// The bundled template as build.mjs ships it (dist/template.pack): read, every EJS file compiled,
// the content hash computed, all ahead of any run.

import { packHash } from './hash.js';
import { brotliCompressSync, constants, createBrotliCompress } from 'node:zlib';
import { FORMAT, readTemplateFolder, type PackHeader, type PackSegment, type TemplateFile, type TemplatePack } from './pack.js';
import { compileEjs, loadEjs } from './run-ejs.js';

/**
 * The speed tricks of a pack, each on unless turned off. Only bench/tricks.mjs turns one off (through
 * build.mjs), to measure what it buys; the published package has them all.
 */
export interface PackTricks {
  /** The compiled code named in the header (codeHash), so a run loads it through the code cache (cached-bodies.ts). */
  codeCache?: boolean;
  /** Brotli for what it shrinks (else every file is stored as it is). */
  compress?: boolean;
  /** Literal text sliced from the source instead of string literals in the code (run-ejs.ts). */
  hoistLiterals?: boolean;
}

export async function packAhead(dir: string, tricks: PackTricks = {}): Promise<TemplatePack> {
  const pack = readTemplateFolder(dir);
  const ejs = await loadEjs();
  for (const file of pack.files) {
    if (file.path.endsWith('.ejs')) file.compiled = compileEjs(ejs, file.content.toString('utf8'), file.path, tricks.hoistLiterals ?? true);
  }
  pack.compiledAhead = true;
  await packHash(pack);
  if (tricks.codeCache === false) return pack;
  // Names the compiled code in the code cache of a run (cached-bodies.ts).
  const { createHash } = await import('node:crypto');
  const code = createHash('sha256');
  for (const file of pack.files) if (file.compiled) code.update(`${file.path}\0${file.compiled.body}\0`);
  pack.codeHash = code.digest('hex').slice(0, 16);
  return pack;
}

/** The bytes of dist/template.pack for the template folder `dir`. */
export async function packFileFor(dir: string, tricks: PackTricks = {}): Promise<Buffer> {
  return serialisePack(await packAhead(dir, tricks), tricks.compress ?? true);
}

// How a pack is laid out: see pack.ts, which reads it.

/** Files from this size on come after the small ones in the compressed block. */
const BIG = 64 * 1024;

/** Brotli saves at least a tenth of it (a quick, lower quality tells text from compressed data). */
function worthCompressing(file: TemplateFile): boolean {
  const quick = brotliCompressSync(file.content, { params: { [constants.BROTLI_PARAM_QUALITY]: 5 } });
  return quick.length < file.content.length * 0.9;
}

/**
 * `groups` of byte strings through one brotli stream, flushed after each group: the stream, and for
 * each group how much of the stream unpacks through it. A flush costs ~75 bytes: the small files
 * and the code are one group (a run uses most of them), each big file a group of its own.
 */
async function compressTogether(groups: Buffer[][]): Promise<{ bytes: Buffer; needs: number[] }> {
  const total = groups.flat().reduce((sum, b) => sum + b.length, 0);
  // Quality 11 and a 16 MiB window: build time is paid once, and the window spans the block.
  const stream = createBrotliCompress({
    params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_LGWIN]: 24, [constants.BROTLI_PARAM_SIZE_HINT]: total },
  });
  const chunks: Buffer[] = [];
  let size = 0;
  stream.on('data', (chunk: Buffer) => {
    chunks.push(chunk);
    size += chunk.length;
  });
  const needs: number[] = [];
  for (const group of groups) {
    for (const bytes of group) stream.write(bytes);
    await new Promise<void>((done) => stream.flush(constants.BROTLI_OPERATION_FLUSH, () => done()));
    needs.push(size);
  }
  await new Promise<void>((done, fail) => stream.on('end', done).on('error', fail).end());
  // The last group is read through the stream's end marker: unpacked whole, and checked whole.
  if (needs.length > 0) needs[needs.length - 1] = size;
  return { bytes: Buffer.concat(chunks), needs };
}

/** The bytes of a pack file holding every file of `pack` and its compiled code. */
export async function serialisePack(pack: TemplatePack, compress = true): Promise<Buffer> {
  // Block 0, stored: what brotli cannot shrink.
  const stored: Buffer[] = [];
  let storedSize = 0;
  const segments = new Map<Buffer, PackSegment>();
  const store = (bytes: Buffer) => {
    segments.set(bytes, { block: 0, at: storedSize, size: bytes.length });
    stored.push(bytes);
    storedSize += bytes.length;
  };
  for (const file of pack.files.filter((f) => !compress || !worthCompressing(f))) store(file.content);
  // Block 1, brotli: the code and the small files, which every run reads. Block 2, brotli: each big
  // file (the lock files) in path order, flushed after each. Two streams, not one: a stream is
  // unpacked from its start, so a run that reads block 1 and then one lock file unpacks each byte
  // once, where one shared stream unpacked the small files a second time on the way to the lock
  // (a third of a default scaffold's unpacking, measured with callgrind). The lock files lose
  // nothing by it: what they share is with each other, not with the small files.
  const bodies = new Map(pack.files.flatMap((f) => (f.compiled ? [[f, Buffer.from(f.compiled.body, 'utf8')] as const] : [])));
  if (!compress) for (const body of bodies.values()) store(body);
  const squeezed = pack.files.filter((f) => !segments.has(f.content));
  const streams = [
    [[...[...bodies.values()].filter((b) => !segments.has(b)), ...squeezed.filter((f) => f.content.length < BIG).map((f) => f.content)]],
    squeezed.filter((f) => f.content.length >= BIG).map((f) => [f.content]),
  ]
    .map((groups) => groups.filter((group) => group.length > 0))
    .filter((groups) => groups.length > 0);
  const blocks: PackHeader['blocks'] = [{ codec: 'none', size: storedSize, unpacked: storedSize }];
  const compressed: Buffer[] = [];
  for (const groups of streams) {
    const block = blocks.length;
    const stream = await compressTogether(groups);
    let at = 0;
    groups.forEach((group, i) => {
      for (const bytes of group) {
        segments.set(bytes, { block, at, size: bytes.length, need: stream.needs[i] as number });
        at += bytes.length;
      }
    });
    blocks.push({ codec: 'br', size: stream.bytes.length, unpacked: at });
    compressed.push(stream.bytes);
  }
  const header: PackHeader = {
    format: FORMAT,
    ...(pack.hash ? { hash: pack.hash } : {}),
    ...(pack.codeHash ? { codeHash: pack.codeHash } : {}),
    blocks,
    files: pack.files.map((file) => {
      const body = bodies.get(file);
      const code = body ? { code: segments.get(body) as PackSegment, ...(file.compiled?.bytes ? { bytes: true as const } : {}) } : {};
      return { path: file.path, executable: file.executable, ...(segments.get(file.content) as PackSegment), ...code };
    }),
  };
  return Buffer.concat([Buffer.from(`${JSON.stringify(header)}\n`, 'utf8'), ...stored, ...compressed]);
}
