/**
 * The one output slab the encoders (and the HTTP/2 frame decoder, for
 * frames it gathers) share.
 *
 * @module
 */

/** Size of one slab. */
export const SLAB_SIZE = 64 * 1024;
/** Outputs larger than this get memory of their own. */
export const SLAB_MAX_TAKE = 4096;

let slab = new Uint8Array(0);
let slabPos = 0;
/** Lends not yet committed: a writer lent the slab may call back into another one. */
let lent = 0;

/**
 * `n` bytes that nothing else will ever write to. Outputs up to
 * `maxTake` (default {@link SLAB_MAX_TAKE}) are views into a 64 KiB slab
 * filled once, front to back, and never rewritten (the pattern of Node's
 * `Buffer` pool): a fresh `ArrayBuffer` per small output costs about
 * 0.7 µs, a slab view about 0.1 µs. So an output's `.buffer` may hold other
 * outputs and its `byteOffset` need not be 0; copy (`out.slice()`) before
 * transferring the buffer. While the slab is lent to a writer
 * ({@link slabLend}), takes get memory of their own.
 *
 * @internal
 */
export function slabTake(n: number, maxTake = SLAB_MAX_TAKE): Uint8Array {
  // While a writer is lent the rest of the slab (a callback of an encoder
  // running other code that takes memory), the slab is not ours to carve.
  if (n > maxTake || lent > 0) return new Uint8Array(n);
  if (slabPos + n > slab.length) {
    slab = new Uint8Array(SLAB_SIZE);
    slabPos = 0;
  }
  const start = slabPos;
  slabPos = (start + n + 7) & ~7;
  return slab.subarray(start, start + n);
}

/**
 * Lends the rest of the current slab (at least `minRoom` bytes, starting a
 * new slab if needed) to a writer that does not know its output size in
 * advance. Every lend must be matched by one {@link slabCommit} (in a
 * `finally`), with the end the writer reached in the lent memory (`start`
 * when it wrote nothing there, threw, or outgrew it into memory of its own).
 * A lend made while another is outstanding (a writer's callback running
 * another writer) gets fresh memory of its own instead of the slab.
 *
 * @returns the slab (or fresh memory) and the start offset lent
 * @internal
 */
export function slabLend(minRoom: number): { readonly buf: Uint8Array; readonly start: number } {
  if (lent++ > 0) return { buf: new Uint8Array(minRoom), start: 0 };
  if (slab.length - slabPos < minRoom) {
    slab = new Uint8Array(SLAB_SIZE);
    slabPos = 0;
  }
  return { buf: slab, start: slabPos };
}

/**
 * Ends a {@link slabLend}: marks `buf[start, end)` of the lent slab as used
 * (nothing to mark when `buf` is not the current slab).
 *
 * @internal
 */
export function slabCommit(buf: Uint8Array, end: number): void {
  if (--lent === 0 && buf === slab) slabPos = (end + 7) & ~7;
}

/**
 * A copy of `src[0, n)` in memory from {@link slabTake}: for the few bytes
 * a decoder or encoder stream usually holds, copied in a loop (no view of
 * `src` is made).
 *
 * @internal
 */
export function slabCopy(src: Uint8Array, n: number): Uint8Array {
  return copyTo(slabTake(n), src, 0);
}

/** Where {@link copyTo}'s callers get memory: the slab ({@link SLAB}) or a {@link ByteArena}. @internal */
export interface ByteSource {
  take(n: number): Uint8Array;
}

/** {@link slabTake} as a {@link ByteSource}. @internal */
export const SLAB: ByteSource = { take: (n) => slabTake(n) };

/**
 * Fills `dst` with `src[start, start + dst.length)` and returns `dst`: up
 * to 32 bytes in a loop, which is cheaper than making the view `set` needs.
 *
 * @internal
 */
export function copyTo(dst: Uint8Array, src: Uint8Array, start: number): Uint8Array {
  const n = dst.length;
  if (n > 32) dst.set(src.subarray(start, start + n));
  else for (let i = 0; i < n; i++) dst[i] = src[start + i]!;
  return dst;
}

const NO_CHUNK = new Uint8Array(0);

/**
 * Memory for bytes one owner keeps for a while, such as a decoder's
 * dynamic table entries in bytes mode: carved front to back from chunks of
 * its own, so a kept string costs a copy, not an `ArrayBuffer` (above 64
 * bytes V8 gives each typed array one of its own, 2.5-3.5 µs). Unlike the
 * shared slab, a chunk holds only this owner's bytes, so what it pins is
 * bounded by what the owner keeps: entries kept and dropped in order (a
 * FIFO table of at most `L` bytes) pin at most `L / (0.75 · chunk) + 2`
 * chunks, since a take over a quarter of a chunk gets memory of its own
 * and every chunk left behind is at least three quarters full.
 *
 * @internal
 */
export class ByteArena implements ByteSource {
  private chunk: Uint8Array = NO_CHUNK;
  private pos = 0;
  private markChunk: Uint8Array = NO_CHUNK;
  private markPos = 0;

  constructor(private readonly chunkSize = 4096) {}

  /** Remembers where the takes stand, for {@link rewind}. */
  mark(): void {
    this.markChunk = this.chunk;
    this.markPos = this.pos;
  }

  /**
   * Gives back every take since the last {@link mark}; the caller must hold
   * no view of them. A take that started a new chunk gives back that chunk
   * from its start (the old chunk's unused tail stays unused).
   */
  rewind(): void {
    this.pos = this.chunk === this.markChunk ? this.markPos : 0;
  }

  /** `n` bytes of new memory, a view into the current chunk. */
  take(n: number): Uint8Array {
    if (n > this.chunkSize >>> 2) return new Uint8Array(n);
    let start = this.pos;
    if (start + n > this.chunk.length) {
      this.chunk = new Uint8Array(this.chunkSize);
      start = 0;
    }
    this.pos = start + n;
    return this.chunk.subarray(start, start + n);
  }
}
