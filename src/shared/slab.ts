/**
 * The one output slab the encoders share.
 *
 * @module
 */

/** Size of one slab. */
export const SLAB_SIZE = 64 * 1024;
/** Outputs larger than this get memory of their own. */
export const SLAB_MAX_TAKE = 4096;

let slab = new Uint8Array(0);
let slabPos = 0;

/**
 * `n` bytes that nothing else will ever write to. Outputs up to
 * {@link SLAB_MAX_TAKE} are views into a 64 KiB slab filled once, front to
 * back, and never rewritten (the pattern of Node's `Buffer` pool): a fresh
 * `ArrayBuffer` per small output costs about 0.7 µs, a slab view about
 * 0.1 µs. So an output's `.buffer` may hold other outputs and its
 * `byteOffset` need not be 0; copy (`out.slice()`) before transferring the
 * buffer.
 *
 * @internal
 */
export function slabTake(n: number): Uint8Array {
  if (n > SLAB_MAX_TAKE) return new Uint8Array(n);
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
 * advance. Call {@link slabCommit} with the end the writer reached, or do
 * nothing if the writer outgrew the slab into memory of its own.
 *
 * @returns the slab and the start offset lent
 * @internal
 */
export function slabLend(minRoom: number): { readonly buf: Uint8Array; readonly start: number } {
  if (slab.length - slabPos < minRoom) {
    slab = new Uint8Array(SLAB_SIZE);
    slabPos = 0;
  }
  return { buf: slab, start: slabPos };
}

/**
 * Marks `buf[start, end)` of a lent slab as used. A no-op when `buf` is no
 * longer the current slab.
 *
 * @internal
 */
export function slabCommit(buf: Uint8Array, end: number): void {
  if (buf === slab) slabPos = (end + 7) & ~7;
}
