/**
 * Arbitraries that cut a byte stream into chunks, to check that a decoder
 * gives the same result however its input is split.
 * @module
 */

import type { Arbitrary } from "fast-check";
import * as fc from "fast-check";

/**
 * Sorted, distinct split points strictly inside `0..length`; an empty list
 * means "one chunk". `maxSplits` bounds the count (default 16).
 */
export function splitPoints(length: number, options: { readonly maxSplits?: number } = {}): Arbitrary<number[]> {
  if (length < 2) return fc.constant([]);
  const max = Math.min(options.maxSplits ?? 16, length - 1);
  return fc.uniqueArray(fc.integer({ min: 1, max: length - 1 }), { maxLength: max }).map((a) => a.sort((x, y) => x - y));
}

/** Cuts `bytes` at `points` into `subarray` views. */
export function splitAt(bytes: Uint8Array, points: readonly number[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  let prev = 0;
  for (const p of points) {
    out.push(bytes.subarray(prev, p));
    prev = p;
  }
  out.push(bytes.subarray(prev));
  return out;
}

/**
 * Chunkings of `bytes`: sometimes one byte at a time, sometimes whole,
 * otherwise split at random points. Chunks are views of `bytes`, and joined
 * they give `bytes` back.
 *
 * @example
 * ```ts
 * import fc from "fast-check";
 * import { chunking } from "httpwire/arbitraries";
 * const bytes = Uint8Array.of(1, 2, 3, 4);
 * fc.assert(fc.property(chunking(bytes), (chunks) => chunks.reduce((n, c) => n + c.length, 0) === 4));
 * ```
 */
export function chunking(bytes: Uint8Array, options: { readonly maxSplits?: number } = {}): Arbitrary<Uint8Array[]> {
  const n = bytes.length;
  const all = Array.from({ length: Math.max(0, n - 1) }, (_, i) => i + 1);
  return fc.oneof(
    { weight: 1, arbitrary: fc.constant<Uint8Array[]>([bytes]) },
    { weight: 1, arbitrary: fc.constant(splitAt(bytes, all)) },
    { weight: 4, arbitrary: splitPoints(n, options).map((p) => splitAt(bytes, p)) },
  );
}

/** Pairs every value of `source` with a chunking of it. */
export function chunked(
  source: Arbitrary<Uint8Array>,
  options: { readonly maxSplits?: number } = {},
): Arbitrary<{ bytes: Uint8Array; chunks: Uint8Array[] }> {
  return source.chain((bytes) => chunking(bytes, options).map((chunks) => ({ bytes, chunks })));
}
