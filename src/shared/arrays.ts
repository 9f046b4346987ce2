/**
 * Small per-instance integer tables.
 *
 * A typed array above 64 bytes gets an `ArrayBuffer` of its own outside the
 * JavaScript heap, and V8 takes about 2.5-3.5 µs to make one (measured on
 * Node 20: `new Int32Array(128)` 2.5-3.5 µs, `new Int32Array(16)` 0.1 µs, a
 * packed array of 128 small integers 0.2 µs). The codecs' per-connection
 * tables (hash chains, entry sizes, counters) are therefore plain arrays of
 * small integers, which V8 stores unboxed and reads as fast; typed arrays
 * are kept for the tables built once per process (Huffman) and for bytes.
 *
 * @module
 * @internal
 */

/**
 * A packed array of `n` copies of the small integer `v` (built by pushing:
 * `new Array(n).fill(v)` gives a holey array, whose reads check for holes).
 *
 * @internal
 */
export function intArray(n: number, v = 0): number[] {
  const a: number[] = [];
  for (let i = 0; i < n; i++) a.push(v);
  return a;
}
