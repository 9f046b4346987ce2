/**
 * The HPACK primitives, public on purpose for people building their own
 * codecs: prefix integers (RFC 7541 §5.1) and string literals (§5.2, with
 * the Huffman code of Appendix B). QPACK (RFC 9204 §4.1.1, §4.1.2) uses the
 * same encodings with other prefix sizes.
 *
 * `read*` functions follow the package conventions (docs/architecture.md):
 * they read one unit at `offset`, return `{ status: "ok", ... }` with the
 * number of bytes taken, or {@link NeedMore} when the input ends inside the
 * unit; malformed input throws {@link HpackError}. `encode*` functions
 * return new bytes.
 *
 * @module
 */
import { ByteWriter } from "../shared/byte-writer.js";
import type { Cursor } from "../shared/cursor.js";
import { booleanOption, integerOption } from "../shared/options.js";
import { decodePrefixInt, prefixIntLength as sharedPrefixIntLength, writePrefixInt } from "../shared/prefix-int.js";
import { HUFFMAN_BAD_PADDING, HUFFMAN_EOS_DECODED, NEED_MORE, type NeedMore, needMore, OVERFLOW } from "../shared/result.js";
import {
  decodeStringLiteral,
  decodeStringLiteralBytes,
  stringLiteralEnd,
  writeStringLiteral,
  writeStringLiteralBytes,
} from "../shared/string-literal.js";
import { HpackError } from "./errors.js";

export type { NeedMore } from "../shared/result.js";

/** Largest integer the primitives accept (2^53 - 1). */
const MAX_SAFE = Number.MAX_SAFE_INTEGER;

/** A prefix integer read by {@link readPrefixInt}. */
export interface PrefixIntRead {
  readonly status: "ok";
  /** The integer. */
  readonly value: number;
  /** Bytes it took, from `offset`. */
  readonly length: number;
}

/** A string literal read by {@link readStringLiteral} or {@link readStringLiteralBytes}. */
export interface StringLiteralRead<T extends string | Uint8Array> {
  readonly status: "ok";
  /** The decoded string (Latin-1: one character per byte) or bytes. */
  readonly value: T;
  /** Whether the literal was Huffman-coded (the H bit). */
  readonly huffman: boolean;
  /** Bytes it took, from `offset`, length prefix included. */
  readonly length: number;
}

/** Options of {@link readStringLiteral} and {@link readStringLiteralBytes}. */
export interface ReadStringLiteralOptions {
  /** Size of the length prefix; the H bit is `1 << prefixBits` (default 7, as HPACK uses). */
  readonly prefixBits?: number;
  /**
   * Largest decoded length accepted, in bytes (default 65,536). A longer
   * literal is refused from its declared length, before its data arrives.
   */
  readonly maxLength?: number;
}

/** Options of {@link encodeStringLiteral}. */
export interface EncodeStringLiteralOptions {
  /** Size of the length prefix; the H bit is `1 << prefixBits` (default 7). */
  readonly prefixBits?: number;
  /** Bits above the H bit in the first byte (default 0). */
  readonly flags?: number;
  /** `"auto"` (default): Huffman only when strictly shorter; `true` always; `false` never. */
  readonly huffman?: boolean | "auto";
}

function checkPrefixBits(owner: string, prefixBits: number | undefined, fallback: number): number {
  return integerOption(owner, "prefixBits", prefixBits, fallback, 1, 8);
}

function checkOffset(owner: string, bytes: Uint8Array, offset: number): void {
  integerOption(owner, "offset", offset ?? Number.NaN, 0, 0, bytes.length);
}

function primitiveError(reason: string, message: string, offset: number): HpackError {
  return new HpackError(message, { reason, offset });
}

/**
 * Reads an N-bit prefix integer (RFC 7541 §5.1) whose first byte is
 * `bytes[offset]`, using its low `prefixBits` bits.
 *
 * @param max largest value accepted (default 2^32 - 1, HPACK's limit; at most 2^53 - 1)
 * @returns `{ status: "ok", value, length }`, or {@link NeedMore} when the
 *   integer continues past the end of `bytes`
 * @throws HpackError `integer_overflow` for a value above `max`
 * @throws RangeError for `prefixBits` outside 1..8, an `offset` outside the
 *   bytes or a `max` that is not a safe integer
 * @example
 * ```ts
 * readPrefixInt(Uint8Array.of(0x1f, 0x9a, 0x0a), 0, 5); // { status: "ok", value: 1337, length: 3 } (RFC 7541 C.1.2)
 * readPrefixInt(Uint8Array.of(0x1f, 0x9a), 0, 5); // { status: "need-more", needed: 1 }
 * ```
 */
export function readPrefixInt(bytes: Uint8Array, offset: number, prefixBits: number, max = 0xffffffff): PrefixIntRead | NeedMore {
  const owner = "readPrefixInt";
  checkOffset(owner, bytes, offset);
  checkPrefixBits(owner, prefixBits, 0);
  integerOption(owner, "max", max, 0, 0, MAX_SAFE);
  const c: Cursor = { buf: bytes, pos: offset, end: bytes.length };
  const v = decodePrefixInt(c, prefixBits, max);
  if (v === NEED_MORE) return needMore(1);
  if (v === OVERFLOW) throw primitiveError("integer_overflow", `Cannot read prefix integer at offset ${offset}: it exceeds ${max}`, offset);
  return { status: "ok", value: v, length: c.pos - offset };
}

/**
 * Encodes `value` as an N-bit prefix integer (RFC 7541 §5.1); `flags`
 * supplies the bits above the prefix in the first byte (e.g. `0x80` for an
 * HPACK indexed field).
 *
 * @throws RangeError for a value that is not a safe non-negative integer,
 *   `prefixBits` outside 1..8 or `flags` outside 0..255
 * @example
 * ```ts
 * encodePrefixInt(1337, 5); // Uint8Array [0x1f, 0x9a, 0x0a] (RFC 7541 C.1.2)
 * ```
 */
export function encodePrefixInt(value: number, prefixBits: number, flags = 0): Uint8Array {
  const owner = "encodePrefixInt";
  integerOption(owner, "value", value ?? Number.NaN, 0, 0, MAX_SAFE);
  checkPrefixBits(owner, prefixBits, 0);
  integerOption(owner, "flags", flags, 0, 0, 0xff);
  const w = new ByteWriter(sharedPrefixIntLength(value, prefixBits));
  writePrefixInt(w, value, prefixBits, flags & ~((1 << prefixBits) - 1) & 0xff);
  return w.finish();
}

/** Number of bytes {@link encodePrefixInt} takes for `value`. */
export function prefixIntLength(value: number, prefixBits: number): number {
  return sharedPrefixIntLength(value, prefixBits);
}

function readLiteral<T extends string | Uint8Array>(
  owner: string,
  decode: (c: Cursor, prefixBits: number, maxLength: number) => T | number,
  bytes: Uint8Array,
  offset: number,
  options: ReadStringLiteralOptions,
): StringLiteralRead<T> | NeedMore {
  checkOffset(owner, bytes, offset);
  const prefixBits = checkPrefixBits(owner, options.prefixBits, 7);
  if (prefixBits > 7) throw new RangeError(`${owner}: option prefixBits must be an integer in 1..7 (the H bit is above it), got 8`);
  const maxLength = integerOption(owner, "maxLength", options.maxLength, 65_536, 0, 0xffffffff);
  const c: Cursor = { buf: bytes, pos: offset, end: bytes.length };
  const s = decode(c, prefixBits, maxLength);
  if (typeof s !== "number") {
    return { status: "ok", value: s, huffman: ((bytes[offset]! >>> prefixBits) & 1) === 1, length: c.pos - offset };
  }
  if (s === NEED_MORE) {
    const end = stringLiteralEnd(c, prefixBits);
    return needMore(end < 0 ? 1 : end - bytes.length);
  }
  if (s === HUFFMAN_EOS_DECODED) {
    // RFC 7541 §5.2: "A Huffman-encoded string literal containing the EOS symbol MUST be treated as a decoding error."
    throw primitiveError("huffman_eos", `Cannot read string literal at offset ${offset}: Huffman string contains EOS`, offset);
  }
  if (s === HUFFMAN_BAD_PADDING) {
    throw primitiveError("huffman_padding", `Cannot read string literal at offset ${offset}: Huffman string has invalid padding`, offset);
  }
  if (stringLiteralEnd(c, prefixBits) < 0) {
    throw primitiveError("integer_overflow", `Cannot read string literal at offset ${offset}: length exceeds 4294967295`, offset);
  }
  throw primitiveError("string_too_long", `Cannot read string literal at offset ${offset}: longer than maxLength ${maxLength}`, offset);
}

/**
 * Reads a string literal (RFC 7541 §5.2) at `bytes[offset]` as a Latin-1
 * string (each byte one character), Huffman-decoding it when the H bit is set.
 *
 * @returns `{ status: "ok", value, huffman, length }`, or {@link NeedMore}
 *   (with the exact number of bytes missing once the length is known)
 * @throws HpackError `string_too_long` (declared or decoded length above
 *   `maxLength`), `integer_overflow` (a length past 2^32 - 1),
 *   `huffman_eos` or `huffman_padding`
 * @throws RangeError for an `offset` outside the bytes or a bad option
 * @example
 * ```ts
 * readStringLiteral(Uint8Array.of(0x03, 0x61, 0x62, 0x63), 0); // { status: "ok", value: "abc", huffman: false, length: 4 }
 * ```
 */
export function readStringLiteral(
  bytes: Uint8Array,
  offset: number,
  options: ReadStringLiteralOptions = {},
): StringLiteralRead<string> | NeedMore {
  return readLiteral("readStringLiteral", decodeStringLiteral, bytes, offset, options);
}

/**
 * Like {@link readStringLiteral}, with the value as bytes: a raw literal is
 * a zero-copy view of `bytes`, a Huffman literal new memory, which up to
 * 4 KiB is a view into a shared slab (its `.buffer` holds other outputs and
 * its `byteOffset` need not be 0: copy it before transferring the buffer).
 */
export function readStringLiteralBytes(
  bytes: Uint8Array,
  offset: number,
  options: ReadStringLiteralOptions = {},
): StringLiteralRead<Uint8Array> | NeedMore {
  return readLiteral("readStringLiteralBytes", decodeStringLiteralBytes, bytes, offset, options);
}

/**
 * Encodes a string literal (RFC 7541 §5.2): a Latin-1 string (each
 * character at most U+00FF) or bytes.
 *
 * @throws TypeError for a character above U+00FF
 * @throws RangeError for a bad option
 * @example
 * ```ts
 * encodeStringLiteral("www.example.com"); // 8c f1 e3 c2 e5 f2 3a 6b a0 ab 90 f4 ff (RFC 7541 C.4.1)
 * ```
 */
export function encodeStringLiteral(value: string | Uint8Array, options: EncodeStringLiteralOptions = {}): Uint8Array {
  const owner = "encodeStringLiteral";
  const prefixBits = checkPrefixBits(owner, options.prefixBits, 7);
  if (prefixBits > 7) throw new RangeError(`${owner}: option prefixBits must be an integer in 1..7 (the H bit is above it), got 8`);
  const flags = integerOption(owner, "flags", options.flags, 0, 0, 0xff) & ~((2 << prefixBits) - 1) & 0xff;
  const huffman =
    options.huffman === "auto" || options.huffman === undefined ? "auto" : booleanOption(owner, "huffman", options.huffman, false);
  const w = new ByteWriter(value.length + 16);
  if (typeof value === "string") writeStringLiteral(w, value, prefixBits, flags, huffman);
  else writeStringLiteralBytes(w, value, prefixBits, flags, huffman);
  return w.finish();
}
