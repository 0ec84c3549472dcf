// The compressed blocks of a pack file (pack.ts): each unpacked when a run first reads one of its
// files, only as far as that file, and kept between runs when the pack has a cache for them
// (cached-bodies.ts): unpacking is most of what reading the bundled template costs a scaffold
// (brotli, ~17 M instructions for the ~1 MB a default project reads; bench/README.md).

import { builtin } from '../builtin.js';

/** A block of a pack file. size: bytes in the pack; unpacked: bytes once unpacked. */
export interface PackBlock {
  codec: 'none' | 'br';
  size: number;
  unpacked: number;
}

/** Unpacked blocks of a pack file kept between runs. */
export interface UnpackedCache {
  /** The start of block `index` unpacked by an earlier run, if one was kept. */
  read(index: number): Buffer | undefined;
  /** Keeps the start of block `index` this run unpacked, for the next run. */
  keep(index: number, bytes: Buffer): void;
}

/**
 * `unpack(index, need, upTo)`: compressed block `index` unpacked through byte `upTo` at least,
 * from its first `need` bytes (where the packer flushed the stream) or from a kept start that
 * reaches that far. `at(index)` is where a block starts in the pack; `damaged` makes the error.
 */
export function blockUnpacker(
  blocks: readonly PackBlock[],
  at: (index: number) => number,
  readRange: (start: number, length: number) => Buffer,
  damaged: (what: string) => Error,
  cache: UnpackedCache | undefined,
): (index: number, need: number, upTo: number) => Buffer {
  // The longest start of each compressed block unpacked so far.
  const unpacked = new Map<number, Buffer>();
  return (index, need, upTo) => {
    let bytes = unpacked.get(index);
    if (bytes && bytes.length >= upTo) return bytes;
    const block = blocks[index] as PackBlock;
    const kept = cache?.read(index);
    if (kept && kept.length >= upTo && kept.length <= block.unpacked) {
      unpacked.set(index, kept);
      return kept;
    }
    if (!Number.isSafeInteger(need) || need <= 0 || need > block.size) throw damaged(`block ${index} has no ${need} bytes`);
    // node:zlib loads only here: a run that reads kept blocks never needs it, and loading it cost
    // every scaffold ~2.4 M instructions (callgrind).
    const { brotliDecompressSync, constants } = builtin<typeof import('node:zlib')>('node:zlib');
    // Flush, not finish: the start of the stream ends where the packer flushed it, not at its end.
    const finishFlush = need === block.size ? constants.BROTLI_OPERATION_FINISH : constants.BROTLI_OPERATION_FLUSH;
    try {
      // One output buffer that holds the whole block: in zlib's default 16 KiB chunks, the output
      // was copied once more into one buffer at the end.
      const chunkSize = Math.max(constants.Z_MIN_CHUNK, block.unpacked + 1);
      bytes = brotliDecompressSync(readRange(at(index), need), { finishFlush, maxOutputLength: block.unpacked, chunkSize });
    } catch (error) {
      throw damaged(`block ${index} does not unpack: ${(error as Error).message}`);
    }
    if (bytes.length < upTo || (need === block.size && bytes.length !== block.unpacked)) throw damaged(`block ${index} unpacks to ${bytes.length} bytes, not ${need === block.size ? block.unpacked : upTo}`);
    unpacked.set(index, bytes);
    cache?.keep(index, bytes);
    return bytes;
  };
}
