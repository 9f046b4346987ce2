/**
 * Stream IDs as map keys: a `number` up to 2^53 - 1, a `bigint` above, so
 * that the same stream always gives the same key whichever type the caller
 * or a decoder instruction used.
 *
 * @module
 */

const MAX_STREAM_ID_BIG = 2n ** 62n - 1n;

/**
 * Normalizes a QUIC stream ID (0 .. 2^62 - 1) to a map key.
 * @throws RangeError for a negative, fractional or too large ID (a caller bug)
 */
export function streamKey(id: number | bigint): number | bigint {
  if (typeof id === "bigint") {
    if (id < 0n || id > MAX_STREAM_ID_BIG) throw new RangeError(`Stream ID ${id} is outside 0..2^62-1`);
    return id <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(id) : id;
  }
  if (!Number.isSafeInteger(id) || id < 0) throw new RangeError(`Stream ID ${id} is not a non-negative safe integer`);
  return id;
}
