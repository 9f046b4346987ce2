/**
 * String literals (RFC 7541 §5.2), shared by HPACK and QPACK.
 *
 * ```
 *   0   1   2   3   4   5   6   7
 * +---+---+---+---+---+---+---+---+
 * | ? | H |    String Length (N)  |   HPACK: N = 7, flags none;
 * +---+---+-----------------------+   QPACK uses other N (RFC 9204 §4.1.2)
 * |  String Data (Length octets)  |
 * +-------------------------------+
 * ```
 *
 * The H bit is bit `1 << prefixBits` of the first byte; the length is a
 * `prefixBits`-bit prefix integer (§5.1); bits above H belong to the caller
 * (`flags`). The decoders are pure: they advance `c.pos` only on success and
 * return the internal sentinels of `result.ts` for "need more" and for
 * errors, so each protocol raises its own error class. The public,
 * result-shaped readers are in `src/hpack/primitives.ts`.
 *
 * @module
 */
import type { ByteWriter } from "./byte-writer.js";
import type { Cursor } from "./cursor.js";
import { huffmanDecode, huffmanDecodeBytes, huffmanEncode, huffmanEncodedLength, huffmanEncodeUpTo } from "./huffman.js";
import { latin1Decode } from "./latin1.js";
import { decodePrefixInt, prefixIntLength, writePrefixInt } from "./prefix-int.js";
import { NEED_MORE, TOO_LONG } from "./result.js";
import { type ByteSource, copyTo } from "./slab.js";

/** Largest length integer accepted (the "no value past 2^32"). */
const MAX_LENGTH_INT = 0xffffffff;

/**
 * Largest encoded length a Huffman string of at most `maxLength` decoded
 * bytes can have: codes are 5 to 30 bits, so at most ceil(maxLength * 30 / 8).
 */
function huffmanLengthBound(maxLength: number): number {
  return Math.ceil((maxLength * 30) / 8);
}

/**
 * Reads the H bit and the length at `c.pos` and checks them against
 * `maxLength` and the bytes available. On success moves `c.pos` to the
 * first data byte and returns the end of the data; else leaves `c.pos` and
 * returns `NEED_MORE` or `TOO_LONG` (a length over the limit, or a length
 * integer past 2^32 - 1).
 */
function readHeader(c: Cursor, prefixBits: number, maxLength: number): number {
  const start = c.pos;
  if (start >= c.end) return NEED_MORE;
  const first = c.buf[start]!;
  const mask = (1 << prefixBits) - 1;
  let len = first & mask;
  let dataStart = start + 1;
  if (len === mask) {
    len = decodePrefixInt(c, prefixBits, MAX_LENGTH_INT);
    if (len < 0) return len === NEED_MORE ? NEED_MORE : TOO_LONG;
    dataStart = c.pos;
    c.pos = start;
  }
  // Refuse an oversized literal from its declared length, before waiting for
  // or decoding its data (RFC 9113 §10.5.1).
  // (The Huffman bound is at least maxLength: worked out only past it.)
  if (len > maxLength && (((first >>> prefixBits) & 1) === 0 || len > huffmanLengthBound(maxLength))) return TOO_LONG;
  if (c.end - dataStart < len) return NEED_MORE;
  c.pos = dataStart;
  return dataStart + len;
}

/**
 * Where the string literal at `c.pos` ends (data included), whether or not
 * its data has arrived: `NEED_MORE` while the length itself is cut off,
 * `TOO_LONG` for a length integer past 2^32 - 1. Does not move `c.pos`.
 * For callers that hold partial input and want to know how much to wait for.
 */
export function stringLiteralEnd(c: Cursor, prefixBits: number): number {
  const start = c.pos;
  const len = decodePrefixInt(c, prefixBits, MAX_LENGTH_INT);
  if (len < 0) return len === NEED_MORE ? NEED_MORE : TOO_LONG;
  const end = c.pos + len;
  c.pos = start;
  return end;
}

/**
 * Decodes a string literal at `c.pos` as a Latin-1 string (each byte one
 * character).
 *
 * @param prefixBits size of the length prefix (7 for HPACK)
 * @param maxLength largest decoded length accepted, in bytes
 * @returns the string, or the sentinel `NEED_MORE`, `TOO_LONG` (a declared
 *   or decoded length over `maxLength`, or a length integer past 2^32 - 1),
 *   `HUFFMAN_EOS_DECODED` or `HUFFMAN_BAD_PADDING` (`result.ts`). Advances
 *   `c.pos` past the literal only on success.
 */
export function decodeStringLiteral(c: Cursor, prefixBits: number, maxLength: number): string | number {
  return decodeLiteral(c, prefixBits, maxLength, false, undefined) as string | number;
}

/**
 * Decodes a string literal at `c.pos` as bytes. Without `into`, a raw
 * literal is a zero-copy view of `c.buf` and a Huffman literal new memory
 * from the shared slab (`slab.ts`: its `.buffer` holds other outputs). With
 * `into` (a caller that keeps the bytes past the input's life, as a dynamic
 * table does, or whose input is reused), both are copies in memory from
 * `into`.
 *
 * @returns the bytes, or a sentinel as {@link decodeStringLiteral}
 */
export function decodeStringLiteralBytes(c: Cursor, prefixBits: number, maxLength: number, into?: ByteSource): Uint8Array | number {
  return decodeLiteral(c, prefixBits, maxLength, true, into) as Uint8Array | number;
}

/** {@link decodeStringLiteral} (`bytes` false) and {@link decodeStringLiteralBytes} (true). */
function decodeLiteral(
  c: Cursor,
  prefixBits: number,
  maxLength: number,
  bytes: boolean,
  into: ByteSource | undefined,
): string | Uint8Array | number {
  const start = c.pos;
  const dataEnd = readHeader(c, prefixBits, maxLength);
  if (dataEnd < 0) return dataEnd;
  const buf = c.buf;
  const pos = c.pos;
  let v: string | Uint8Array | number;
  if (((buf[start]! >>> prefixBits) & 1) === 0) {
    if (!bytes) v = latin1Decode(buf, pos, dataEnd);
    else v = into === undefined ? buf.subarray(pos, dataEnd) : copyTo(into.take(dataEnd - pos), buf, pos);
  } else {
    v = bytes ? huffmanDecodeBytes(buf, pos, dataEnd, maxLength, into) : huffmanDecode(buf, pos, dataEnd, maxLength);
    if (typeof v === "number") {
      c.pos = start;
      return v;
    }
  }
  c.pos = dataEnd;
  return v;
}

/**
 * Writes a Latin-1 string as a string literal.
 *
 * @param prefixBits size of the length prefix (7 for HPACK); the H bit is `1 << prefixBits`
 * @param flags bits above the H bit in the first byte
 * @param huffman `true` always Huffman, `false` never, `"auto"` only when strictly shorter
 * @throws TypeError when a character is above U+00FF
 * @example
 * ```ts
 * import { ByteWriter } from "./byte-writer.js";
 * const w = new ByteWriter();
 * writeStringLiteral(w, "www.example.com", 7, 0, "auto");
 * // RFC 7541 C.4.1: Huffman-coded, length 12
 * w.view(); // => Uint8Array.of(0x8c, 0xf1, 0xe3, 0xc2, 0xe5, 0xf2, 0x3a, 0x6b, 0xa0, 0xab, 0x90, 0xf4, 0xff)
 * ```
 */
export function writeStringLiteral(w: ByteWriter, s: string, prefixBits: number, flags: number, huffman: boolean | "auto"): void {
  if (huffman === true) {
    writePrefixInt(w, huffmanEncodedLength(s), prefixBits, flags | (1 << prefixBits));
    huffmanEncode(w, s);
    return;
  }
  const n = s.length;
  const rawPrefix = prefixIntLength(n, prefixBits);
  w.ensure(rawPrefix + n + 11);
  const start = w.pos;
  if (huffman === "auto" && n > 0) {
    // Encode speculatively after room for the raw length prefix, giving up
    // once the Huffman output is no shorter than the raw string.
    const b = w.buf;
    const dataStart = start + rawPrefix;
    const end = huffmanEncodeUpTo(b, dataStart, s, dataStart + n);
    if (end >= 0) {
      const hlen = end - dataStart;
      const hPrefix = prefixIntLength(hlen, prefixBits);
      if (hPrefix !== rawPrefix) b.copyWithin(start + hPrefix, dataStart, end);
      writePrefixInt(w, hlen, prefixBits, flags | (1 << prefixBits));
      w.pos = start + hPrefix + hlen;
      return;
    }
  }
  writePrefixInt(w, n, prefixBits, flags);
  const b = w.buf;
  let p = w.pos;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c > 0xff) throw new TypeError(`Cannot encode string literal: character ${c} at index ${i} is above 0xff`);
    b[p++] = c;
  }
  w.pos = p;
}

/**
 * Writes bytes as a string literal; arguments as {@link writeStringLiteral}.
 * Maps the bytes to a Latin-1 string at the edge so that one writer (and one
 * Huffman loop) serves both; bytes input is the cold path.
 */
export function writeStringLiteralBytes(
  w: ByteWriter,
  bytes: Uint8Array,
  prefixBits: number,
  flags: number,
  huffman: boolean | "auto",
): void {
  writeStringLiteral(w, latin1Decode(bytes), prefixBits, flags, huffman);
}
