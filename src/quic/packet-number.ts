/**
 * Packet numbers (RFC 9000 §12.3, §17.1, Appendix A.2 and A.3).
 *
 * A packet number is an integer 0..2^62 - 1 sent truncated to its 1 to 4
 * least significant bytes. The sender picks the length from the packets
 * the peer has not acknowledged yet ({@link packetNumberLength}); the
 * receiver rebuilds the full number from the largest it has processed
 * ({@link decodePacketNumber}).
 *
 * @module
 */

import { normalizeVarint } from "./varint.js";

/** The largest packet number, 2^62 - 1 (RFC 9000 §12.3). */
export const MAX_PACKET_NUMBER = 2n ** 62n - 1n;

/** A packet number field length, in bytes. */
export type PacketNumberLength = 1 | 2 | 3 | 4;

const MAX_PN = MAX_PACKET_NUMBER;
/** Largest count of unacknowledged packets a 4-byte field can represent: 2^31 (Appendix A.2). */
const MAX_UNACKED_4 = 2 ** 31;

function checkPn(what: string, v: number | bigint): bigint {
  if (typeof v === "number") {
    if (!Number.isSafeInteger(v) || v < 0) throw new RangeError(`Invalid ${what}: ${String(v)} is not a non-negative safe integer`);
    return BigInt(v);
  }
  if (typeof v !== "bigint") throw new TypeError(`Invalid ${what}: expected a number or bigint, got ${typeof v}`);
  if (v < 0n || v > MAX_PN) throw new RangeError(`Invalid ${what}: ${v} is outside 0..2^62 - 1`);
  return v;
}

/**
 * The length of the packet number field for `fullPn` (RFC 9000 §17.1,
 * Appendix A.2): enough bits to represent more than twice the packets
 * between it and the largest acknowledged one.
 *
 * @param largestAcked the largest packet number the peer acknowledged in
 *   this packet number space, or `undefined` when none is
 * @throws RangeError for a packet number outside 0..2^62 - 1,
 *   `largestAcked >= fullPn`, or more than 2^31 packets in flight (no
 *   field length can carry that)
 * @example
 * ```ts
 * packetNumberLength(0xac5c02, 0xabe8b3); // 2 (RFC 9000 Appendix A.2)
 * packetNumberLength(0xace8fe, 0xabe8b3); // 3
 * ```
 */
export function packetNumberLength(fullPn: number | bigint, largestAcked?: number | bigint): PacketNumberLength {
  const full = checkPn("packet number", fullPn);
  let unacked: bigint;
  if (largestAcked === undefined) {
    unacked = full + 1n;
  } else {
    const acked = checkPn("largest acknowledged packet number", largestAcked);
    if (acked >= full) throw new RangeError(`Invalid largest acknowledged packet number: ${acked} is not below ${full}`);
    unacked = full - acked;
  }
  // min_bits = log2(unacked) + 1; bytes = ceil(min_bits / 8): the smallest n with 2^(8n - 1) >= unacked.
  if (unacked > BigInt(MAX_UNACKED_4)) {
    throw new RangeError(`Cannot encode packet number ${full}: ${unacked} packets are unacknowledged, more than 2^31`);
  }
  const u = Number(unacked);
  if (u <= 0x80) return 1;
  if (u <= 0x8000) return 2;
  if (u <= 0x800000) return 3;
  return 4;
}

/**
 * Encodes the truncated packet number field of `fullPn`: its low bytes,
 * big-endian, in the length {@link packetNumberLength} chooses (or in
 * `length` when given).
 *
 * @throws RangeError as {@link packetNumberLength}, or for a `length` other than 1..4
 * @example
 * ```ts
 * encodePacketNumber(0xac5c02, 0xabe8b3); // Uint8Array [0x5c, 0x02]
 * ```
 */
export function encodePacketNumber(fullPn: number | bigint, largestAcked?: number | bigint, length?: PacketNumberLength): Uint8Array {
  const chosen = length ?? packetNumberLength(fullPn, largestAcked);
  if (length !== undefined) {
    checkPn("packet number", fullPn);
    if (length !== 1 && length !== 2 && length !== 3 && length !== 4)
      throw new RangeError(`Invalid packet number length: ${String(length)} is not 1..4`);
  }
  const low = Number(BigInt(fullPn) & 0xffffffffn);
  const out = new Uint8Array(chosen);
  for (let i = chosen - 1, v = low; i >= 0; i--, v = Math.floor(v / 256)) out[i] = v & 0xff;
  return out;
}

/**
 * Rebuilds a full packet number from its truncated field (RFC 9000
 * Appendix A.3): the value closest to `largestPn + 1` whose low `nbits`
 * bits are `truncatedPn`.
 *
 * @param largestPn the largest packet number successfully processed in this
 *   packet number space, or `undefined` before the first one
 * @param truncatedPn the field's value, `0 .. 2^nbits - 1`
 * @param nbits the field's length in bits: 8, 16, 24 or 32
 * @returns the packet number: a `number` when it is at most
 *   `Number.MAX_SAFE_INTEGER`, else a `bigint`
 * @throws RangeError for arguments out of range
 * @example
 * ```ts
 * decodePacketNumber(0xa82f30ea, 0x9b32, 16); // 0xa82f9b32 (RFC 9000 Appendix A.3)
 * ```
 */
export function decodePacketNumber(largestPn: number | bigint | undefined, truncatedPn: number, nbits: number): number | bigint {
  if (nbits !== 8 && nbits !== 16 && nbits !== 24 && nbits !== 32)
    throw new RangeError(`Invalid packet number bits: ${String(nbits)} is not 8, 16, 24 or 32`);
  const win = 2 ** nbits;
  if (!Number.isInteger(truncatedPn) || truncatedPn < 0 || truncatedPn >= win)
    throw new RangeError(`Invalid truncated packet number: ${String(truncatedPn)} does not fit in ${nbits} bits`);
  const expected = largestPn === undefined ? 0n : checkPn("largest packet number", largestPn) + 1n;
  // Up to 2^53 the arithmetic is exact in numbers; above it, use bigint.
  if (expected + BigInt(win) <= BigInt(Number.MAX_SAFE_INTEGER)) {
    const exp = Number(expected);
    const hwin = win / 2;
    const candidate = exp - (exp % win) + truncatedPn;
    if (candidate <= exp - hwin) return candidate + win;
    if (candidate > exp + hwin && candidate >= win) return candidate - win;
    return candidate;
  }
  const w = BigInt(win);
  const hw = w / 2n;
  const candidate = (expected & ~(w - 1n)) | BigInt(truncatedPn);
  if (candidate <= expected - hw && candidate < 2n ** 62n - w) return normalizeVarint(candidate + w);
  if (candidate > expected + hw && candidate >= w) return normalizeVarint(candidate - w);
  return normalizeVarint(candidate);
}
