/**
 * Small byte helpers the arbitraries use to build wire images by hand. The
 * encoders (integers, varints, prefix integers) are kept independent of the
 * codecs they are meant to test, so a bug there cannot hide itself; joining
 * bytes and Latin-1 mapping are the shared ones (`src/shared/`).
 * @module
 */
import { concatBytes as joinBytes } from "../shared/bytes.js";
import { toHex as sharedToHex } from "../shared/hex.js";
import { latin1Encode } from "../shared/latin1.js";

/** Concatenates byte arrays into one new array (never one of the parts: the result may be changed freely). */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  return parts.length === 1 ? parts[0]!.slice() : joinBytes(parts);
}

/**
 * Latin-1 string to bytes.
 *
 * @throws TypeError for a character above U+00FF (a caller bug: map text to UTF-8 bytes first)
 */
export function latin1Bytes(s: string): Uint8Array {
  return latin1Encode(s);
}

/** Big-endian unsigned integer of `size` bytes (1..4). */
export function uintBytes(value: number, size: 1 | 2 | 3 | 4): Uint8Array {
  const out = new Uint8Array(size);
  let v = value >>> 0;
  for (let i = size - 1; i >= 0; i--) {
    out[i] = v & 0xff;
    v >>>= 8;
  }
  return out;
}

/** QUIC varint (RFC 9000 §16) of `value` in exactly `length` bytes. */
export function varintBytes(value: bigint | number, length: 1 | 2 | 4 | 8): Uint8Array {
  let v = BigInt(value);
  const out = new Uint8Array(length);
  for (let i = length - 1; i >= 0; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  out[0] = (out[0]! & 0x3f) | [0, 0x40, 0, 0x80, 0, 0, 0, 0xc0][length - 1]!;
  return out;
}

/** The shortest varint length that holds `value`. */
export function minimalVarintLength(value: bigint | number): 1 | 2 | 4 | 8 {
  const v = BigInt(value);
  if (v < 64n) return 1;
  if (v < 16384n) return 2;
  if (v < 1073741824n) return 4;
  return 8;
}

/** Shortest QUIC varint of `value`. */
export function varint(value: bigint | number): Uint8Array {
  return varintBytes(value, minimalVarintLength(value));
}

/**
 * RFC 7541 §5.1 prefix integer: `value` with an N-bit prefix, `flags` in the
 * bits above the prefix of the first byte.
 */
export function prefixIntBytes(value: number | bigint, prefixBits: number, flags = 0): Uint8Array {
  const mask = BigInt((1 << prefixBits) - 1);
  let v = BigInt(value);
  if (v < mask) return Uint8Array.of(flags | Number(v));
  const out = [flags | Number(mask)];
  v -= mask;
  while (v >= 128n) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
  return Uint8Array.from(out);
}

/** Renders bytes as lowercase hex (for messages and fixtures). */
export const toHex: (bytes: Uint8Array) => string = sharedToHex;

/** Parses hex (whitespace allowed) into bytes. */
export function fromHex(hex: string): Uint8Array {
  const clean = hex.replace(/\s+/g, "");
  if (clean.length % 2 !== 0 || /[^0-9a-fA-F]/.test(clean)) throw new TypeError("Invalid hex string");
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(i * 2, i * 2 + 2), 16);
  return out;
}
