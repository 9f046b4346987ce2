/**
 * Arbitraries for QUIC variable-length integers (RFC 9000 §16).
 * @module
 */

import type { Arbitrary } from "fast-check";
import * as fc from "fast-check";
import { minimalVarintLength, varintBytes } from "./bytes.js";

/** The largest varint value, 2^62 - 1. */
const MAX = 2n ** 62n - 1n;
const EDGES: readonly bigint[] = [
  0n,
  1n,
  63n,
  64n,
  16383n,
  16384n,
  2n ** 30n - 1n,
  2n ** 30n,
  2n ** 32n - 1n,
  2n ** 32n,
  2n ** 53n - 1n,
  2n ** 53n,
  MAX - 1n,
  MAX,
];

/** One varint encoding: the value, its wire bytes and whether they are the shortest form. */
export interface VarintEncodingCase {
  /** The encoded value, 0..2^62-1. */
  readonly value: bigint;
  /** Encoded length in bytes. */
  readonly length: 1 | 2 | 4 | 8;
  /** Wire bytes. */
  readonly bytes: Uint8Array;
  /** `true` when `length` is the shortest that holds `value`; non-minimal forms are legal (RFC 9000 §16). */
  readonly minimal: boolean;
}

/**
 * Varint values 0..2^62-1 as `bigint`, spread over the four encoded lengths
 * and biased towards the boundaries (63/64, 2^14, 2^30, 2^53, 2^62-1).
 *
 * @example
 * ```ts
 * import fc from "fast-check";
 * import { varintValue } from "httpwire/arbitraries";
 * fc.assert(fc.property(varintValue(), (v) => v >= 0n && v < 2n ** 62n));
 * ```
 */
export function varintValue(): Arbitrary<bigint> {
  return fc.oneof(
    fc.constantFrom(...EDGES),
    fc.bigInt({ min: 0n, max: 63n }),
    fc.bigInt({ min: 64n, max: 16383n }),
    fc.bigInt({ min: 16384n, max: 2n ** 30n - 1n }),
    fc.bigInt({ min: 2n ** 30n, max: MAX }),
  );
}

/**
 * Varint values as the toolkit's decoders return them: `number` when the
 * value is a safe integer, `bigint` above 2^53-1.
 */
export function varintNumber(): Arbitrary<number | bigint> {
  return varintValue().map((v) => (v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v));
}

/**
 * Varint encodings: the value and its bytes, in the shortest form or (when
 * `nonMinimal` is not `false`) in any longer legal form.
 */
export function varintEncoding(options: { readonly nonMinimal?: boolean } = {}): Arbitrary<VarintEncodingCase> {
  const allowLonger = options.nonMinimal !== false;
  return varintValue().chain((value) => {
    const min = minimalVarintLength(value);
    const lengths = ([1, 2, 4, 8] as const).filter((l) => (allowLonger ? l >= min : l === min));
    return fc
      .constantFrom(...lengths)
      .map((length): VarintEncodingCase => ({ value, length, bytes: varintBytes(value, length), minimal: length === min }));
  });
}

/**
 * Truncated varint encodings: fewer bytes than the first byte announces,
 * which a decoder must report as "need more", not as a value or an error.
 */
export function truncatedVarint(): Arbitrary<{ readonly bytes: Uint8Array; readonly needed: number }> {
  return varintEncoding()
    .filter((e) => e.length > 1)
    .chain((e) => fc.integer({ min: 0, max: e.length - 1 }).map((keep) => ({ bytes: e.bytes.subarray(0, keep), needed: e.length - keep })));
}
