/**
 * Arbitraries for stream identifiers: QUIC (RFC 9000 §2.1, 62 bits, two type
 * bits) and HTTP/2 (RFC 9113 §5.1.1, 31 bits, odd = client).
 * @module
 */

import type { Arbitrary } from "fast-check";
import * as fc from "fast-check";

/** Who opened a stream. */
export type Initiator = "client" | "server";
/** QUIC stream direction. */
export type Direction = "bidi" | "uni";

const MAX_QUIC_INDEX = 2n ** 60n - 1n;

/**
 * QUIC stream IDs (0..2^62-1) as the toolkit returns them: `number` when
 * safe, `bigint` above 2^53-1. Restrict the initiator and direction with
 * options (RFC 9000 §2.1: bit 0 = server, bit 1 = unidirectional).
 *
 * @example
 * ```ts
 * import fc from "fast-check";
 * import { quicStreamId } from "httpwire/arbitraries";
 * fc.sample(quicStreamId({ initiator: "client", direction: "bidi" }), 3); // e.g. [0, 4, 8]
 * ```
 */
export function quicStreamId(options: { readonly initiator?: Initiator; readonly direction?: Direction } = {}): Arbitrary<number | bigint> {
  const initiators = options.initiator === undefined ? [0n, 1n] : [options.initiator === "server" ? 1n : 0n];
  const directions = options.direction === undefined ? [0n, 2n] : [options.direction === "uni" ? 2n : 0n];
  const index = fc.oneof(
    fc.bigInt({ min: 0n, max: 1000n }),
    fc.constantFrom(2n ** 51n - 1n, 2n ** 51n, MAX_QUIC_INDEX),
    fc.bigInt({ min: 0n, max: MAX_QUIC_INDEX }),
  );
  return fc.tuple(index, fc.constantFrom(...initiators), fc.constantFrom(...directions)).map(([i, ini, dir]) => {
    const id = (i << 2n) | ini | dir;
    return id <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(id) : id;
  });
}

/**
 * HTTP/2 stream IDs 1..2^31-1 (odd for the client, even for the server),
 * biased towards small values and the ceiling. `includeZero` adds the
 * connection stream 0.
 */
export function http2StreamId(options: { readonly initiator?: Initiator; readonly includeZero?: boolean } = {}): Arbitrary<number> {
  const half = fc.oneof(fc.integer({ min: 0, max: 100 }), fc.constant(2 ** 30 - 1), fc.integer({ min: 0, max: 2 ** 30 - 1 }));
  const parity = options.initiator === undefined ? fc.constantFrom(0, 1) : fc.constant(options.initiator === "client" ? 1 : 0);
  const id = fc
    .tuple(half, parity)
    .map(([h, p]) => h * 2 + p)
    .filter((v) => v !== 0);
  return options.includeZero === true ? fc.oneof(fc.constant(0), id) : id;
}
