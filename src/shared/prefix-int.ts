/**
 * N-bit prefix integers (RFC 7541 §5.1), shared by HPACK and QPACK
 * (RFC 9204 §4.1.1 uses the same encoding).
 *
 * ```
 *   0   1   2   3   4   5   6   7
 * +---+---+---+---+---+---+---+---+
 * | ? | ? | ? |       Value       |   value < 2^N - 1: fits in the prefix
 * +---+---+---+-------------------+
 * | ? | ? | ? | 1   1   1   1   1 |   otherwise the prefix is all ones,
 * +---+---------------------------+
 * | 1 |    Value-(2^N-1) LSB      |   followed by 7-bit groups, least
 * +---+---------------------------+   significant first, high bit = "more"
 * | 0 |    Value-(2^N-1) MSB      |
 * +---+---------------------------+
 * ```
 *
 * The decoders are pure: they read from a {@link Cursor}, advance `pos` only
 * when a whole integer was read, and return the internal sentinels of
 * `result.ts` (`NEED_MORE`, `OVERFLOW`) instead of throwing, so
 * each caller raises its own protocol's error (HPACK COMPRESSION_ERROR, QPACK
 * QPACK_DECOMPRESSION_FAILED or a stream error) at the point of detection.
 *
 * The public, result-shaped readers for users' own codecs are in
 * `src/hpack/primitives.ts`.
 *
 * @module
 */
import type { ByteWriter } from "./byte-writer.js";
import type { Cursor } from "./cursor.js";
import { NEED_MORE, OVERFLOW } from "./result.js";

const TWO_POW_53 = 2 ** 53;

/**
 * Decodes a prefix integer whose first byte is `cursor.buf[cursor.pos]`,
 * using its low `prefixBits` bits (1..8).
 *
 * RFC 7541 §5.1: "Integer encodings that exceed implementation limits --
 * in value or octet length -- MUST be treated as decoding errors." Values
 * above `max` (at most 2^53 - 1) give {@link OVERFLOW}; so does a
 * run of continuation bytes long enough that the multiplier passes 2^53,
 * which bounds the work on a hostile run of `0x80` bytes to 9 bytes.
 *
 * @returns the value (>= 0), {@link NEED_MORE} or {@link OVERFLOW}
 */
export function decodePrefixInt(c: Cursor, prefixBits: number, max: number): number {
  const buf = c.buf;
  let p = c.pos;
  const end = c.end;
  if (p >= end) return NEED_MORE;
  const mask = (1 << prefixBits) - 1;
  let value = buf[p++]! & mask;
  if (value < mask) {
    if (value > max) return OVERFLOW;
    c.pos = p;
    return value;
  }
  let m = 1;
  for (;;) {
    if (p >= end) return NEED_MORE;
    const b = buf[p++]!;
    value += (b & 0x7f) * m;
    if (value > max) return OVERFLOW;
    if ((b & 0x80) === 0) break;
    m *= 128;
    if (m >= TWO_POW_53) return OVERFLOW;
  }
  c.pos = p;
  return value;
}

const MAX_62 = 2n ** 62n - 1n;

/**
 * Decodes a prefix integer of up to 62 bits (RFC 9204 §4.1.1: "QPACK
 * implementations MUST be able to decode integers up to and including 62
 * bits long"), for fields such as stream IDs that can exceed 2^53.
 *
 * @returns a `number` when the value is at most `Number.MAX_SAFE_INTEGER`,
 *   else a `bigint`; or the number sentinels {@link NEED_MORE} /
 *   {@link OVERFLOW} (values above 2^62 - 1, or more than 10 bytes).
 */
export function decodePrefixInt62(c: Cursor, prefixBits: number): number | bigint {
  const fast = decodePrefixInt(c, prefixBits, Number.MAX_SAFE_INTEGER);
  if (fast !== OVERFLOW) return fast;
  // Slow path: exact arithmetic in bigint.
  const buf = c.buf;
  let p = c.pos;
  const end = c.end;
  const mask = (1 << prefixBits) - 1;
  let value = BigInt(buf[p++]! & mask);
  let shift = 0n;
  for (let n = 0; ; n++) {
    if (p >= end) return NEED_MORE;
    if (n >= 10) return OVERFLOW;
    const b = buf[p++]!;
    value += BigInt(b & 0x7f) << shift;
    if (value > MAX_62) return OVERFLOW;
    if ((b & 0x80) === 0) break;
    shift += 7n;
  }
  c.pos = p;
  return value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value;
}

/** Number of bytes {@link writePrefixInt} writes for `value`. */
export function prefixIntLength(value: number, prefixBits: number): number {
  const mask = (1 << prefixBits) - 1;
  if (value < mask) return 1;
  let rest = value - mask;
  let n = 2;
  while (rest >= 128) {
    rest = Math.floor(rest / 128);
    n++;
  }
  return n;
}

/**
 * Writes `value` as a prefix integer; `flags` supplies the bits above the
 * prefix in the first byte (e.g. `0x80` for an HPACK indexed field).
 * `value` must be a non-negative safe integer (checked by the public API
 * callers; this is the hot path).
 */
export function writePrefixInt(w: ByteWriter, value: number, prefixBits: number, flags: number): void {
  const mask = (1 << prefixBits) - 1;
  if (value < mask) {
    w.u8(flags | value);
    return;
  }
  w.ensure(11);
  const b = w.buf;
  let p = w.pos;
  b[p++] = flags | mask;
  let rest = value - mask;
  while (rest >= 128) {
    b[p++] = (rest % 128) | 0x80;
    rest = Math.floor(rest / 128);
  }
  b[p++] = rest;
  w.pos = p;
}

/** Like {@link writePrefixInt} for values up to 2^62 - 1 given as `bigint`. */
export function writePrefixIntBig(w: ByteWriter, value: bigint, prefixBits: number, flags: number): void {
  if (value <= BigInt(Number.MAX_SAFE_INTEGER)) {
    writePrefixInt(w, Number(value), prefixBits, flags);
    return;
  }
  const mask = BigInt((1 << prefixBits) - 1);
  w.u8(flags | Number(mask));
  let rest = value - mask;
  while (rest >= 128n) {
    w.u8(Number(rest & 0x7fn) | 0x80);
    rest >>= 7n;
  }
  w.u8(Number(rest));
}
