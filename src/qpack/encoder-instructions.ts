/**
 * Encoder instructions (RFC 9204 §4.3): the four instructions carried on the
 * encoder stream, as a pure parser and writers.
 *
 * ```
 *   0   1   2   3   4   5   6   7
 * +---+---+---+---+---+---+---+---+
 * | 0 | 0 | 1 |   Capacity (5+)   |   Set Dynamic Table Capacity (§4.3.1)
 * +---+---+---+-------------------+
 * | 1 | T |    Name Index (6+)    |   Insert with Name Reference (§4.3.2)
 * +---+---+-----------------------+   then value: H + Value Length (7+)
 * | 0 | 1 | H | Name Length (5+)  |   Insert with Literal Name (§4.3.3)
 * +---+---+---+-------------------+   then name bytes, then value (7+)
 * | 0 | 0 | 0 |    Index (5+)     |   Duplicate (§4.3.4)
 * +---+---+---+-------------------+
 * ```
 *
 * @module
 */
import type { ByteWriter } from "../shared/byte-writer.js";
import type { Cursor } from "../shared/cursor.js";
import { decodePrefixInt, writePrefixInt } from "../shared/prefix-int.js";
import {
  decodeStringLiteral,
  writeStringLiteral,
} from "../shared/string-literal.js";
import { HUFFMAN_EOS_DECODED, NEED_MORE, TOO_LONG } from "../shared/result.js";
import { QpackErrorCode } from "./error-codes.js";
import { QpackError } from "./errors.js";

/** One decoded encoder instruction (RFC 9204 §4.3). */
export type EncoderInstruction =
  | { readonly type: "set_dynamic_table_capacity"; readonly capacity: number }
  | { readonly type: "insert_with_name_reference"; readonly isStatic: boolean; readonly nameIndex: number; readonly value: string }
  | { readonly type: "insert_with_literal_name"; readonly name: string; readonly value: string }
  | { readonly type: "duplicate"; readonly index: number };

/** Largest integer accepted in an encoder instruction (indices, capacity). */
const MAX_INT = 2 ** 32 - 1;

function streamError(message: string, reason: string, offset: number): QpackError {
  return new QpackError(message, QpackErrorCode.QPACK_ENCODER_STREAM_ERROR, { reason, offset });
}

function readInt(c: Cursor, prefixBits: number, what: string): number {
  const v = decodePrefixInt(c, prefixBits, MAX_INT);
  if (v >= 0 || v === NEED_MORE) return v;
  throw streamError(`Cannot decode encoder instruction: ${what} exceeds ${MAX_INT}`, "integer_overflow", c.pos);
}

function readString(c: Cursor, prefixBits: number, maxLength: number, what: string): string | null {
  const s = decodeStringLiteral(c, prefixBits, maxLength);
  if (typeof s === "string") return s;
  if (s === NEED_MORE) return null;
  if (s === TOO_LONG) {
    // RFC 9204 §3.2.2: an entry larger than the capacity is an encoder stream error.
    throw streamError(
      `Cannot insert entry: ${what} is longer than the dynamic table capacity ${maxLength}`,
      "entry_exceeds_capacity",
      c.pos,
    );
  }
  throw streamError(
    `Cannot decode ${what}: invalid Huffman ${s === HUFFMAN_EOS_DECODED ? "EOS symbol" : "padding"}`,
    s === HUFFMAN_EOS_DECODED ? "huffman_eos" : "huffman_padding",
    c.pos,
  );
}

/**
 * Reads one encoder instruction at `c.pos`. Reads from a trial position and
 * advances `c.pos` only when the whole instruction is present.
 *
 * @param maxStringLength longest name or value accepted (the table capacity:
 *   a longer string cannot fit in an entry)
 * @returns the instruction, or `null` when more bytes are needed
 * @throws QpackError QPACK_ENCODER_STREAM_ERROR for an integer or string
 *   that exceeds the limits or bad Huffman data
 */
export function readEncoderInstruction(c: Cursor, maxStringLength: number): EncoderInstruction | null {
  const start = c.pos;
  if (start >= c.end) return null;
  const b = c.buf[start]!;
  let out: EncoderInstruction;
  if (b & 0x80) {
    const nameIndex = readInt(c, 6, "name index");
    if (nameIndex < 0) return null;
    const value = readString(c, 7, maxStringLength, "value");
    if (value === null) {
      c.pos = start;
      return null;
    }
    out = { type: "insert_with_name_reference", isStatic: (b & 0x40) !== 0, nameIndex, value };
  } else if (b & 0x40) {
    const name = readString(c, 5, maxStringLength, "name");
    if (name === null) return null;
    const value = readString(c, 7, maxStringLength, "value");
    if (value === null) {
      c.pos = start;
      return null;
    }
    out = { type: "insert_with_literal_name", name, value };
  } else if (b & 0x20) {
    const capacity = readInt(c, 5, "capacity");
    if (capacity < 0) return null;
    out = { type: "set_dynamic_table_capacity", capacity };
  } else {
    const index = readInt(c, 5, "index");
    if (index < 0) return null;
    out = { type: "duplicate", index };
  }
  return out;
}

/** Skips a string literal's header and body on `c`; false when its length is not known yet or too large. */
function skipString(c: Cursor, prefixBits: number, maxStringLength: number): boolean {
  const n = decodePrefixInt(c, prefixBits, maxStringLength);
  if (n < 0) return false;
  c.pos += n;
  return true;
}

/**
 * The total length in bytes of the encoder instruction that starts at
 * `buf[pos]`, read from its integers alone (no string is decoded), or -1
 * when the available bytes do not tell yet (or a length is above
 * `maxStringLength`, which a full read then reports as an error). Lets a
 * decoder that holds a partial instruction wait for exactly that many bytes
 * instead of re-reading it on every chunk.
 */
export function encoderInstructionLength(buf: Uint8Array, pos: number, end: number, maxStringLength: number): number {
  if (pos >= end) return -1;
  const c: Cursor = { buf, pos, end };
  const b = buf[pos]!;
  if (b & 0x80) {
    if (decodePrefixInt(c, 6, Number.MAX_SAFE_INTEGER) < 0) return -1;
    if (!skipString(c, 7, maxStringLength)) return -1;
  } else if (b & 0x40) {
    if (!skipString(c, 5, maxStringLength)) return -1;
    // The value's header follows the name: known only once the name is there.
    if (c.pos >= end) return -1;
    if (!skipString(c, 7, maxStringLength)) return -1;
  } else {
    if (decodePrefixInt(c, 5, Number.MAX_SAFE_INTEGER) < 0) return -1;
  }
  return c.pos - pos;
}

/** Writes Set Dynamic Table Capacity (RFC 9204 §4.3.1). */
export function writeSetDynamicTableCapacity(w: ByteWriter, capacity: number): void {
  writePrefixInt(w, capacity, 5, 0x20);
}

/**
 * Writes Insert with Name Reference (RFC 9204 §4.3.2); `nameIndex` is a
 * static index, or a dynamic index relative to the Insert Count.
 */
export function writeInsertWithNameReference(
  w: ByteWriter,
  isStatic: boolean,
  nameIndex: number,
  value: string,
  huffman: boolean | "auto",
): void {
  writePrefixInt(w, nameIndex, 6, isStatic ? 0xc0 : 0x80);
  writeStringLiteral(w, value, 7, 0, huffman);
}

/** Writes Insert with Literal Name (RFC 9204 §4.3.3). */
export function writeInsertWithLiteralName(w: ByteWriter, name: string, value: string, huffman: boolean | "auto"): void {
  writeStringLiteral(w, name, 5, 0x40, huffman);
  writeStringLiteral(w, value, 7, 0, huffman);
}

/** Writes Duplicate (RFC 9204 §4.3.4) of the entry at encoder-relative `index`. */
export function writeDuplicate(w: ByteWriter, index: number): void {
  writePrefixInt(w, index, 5, 0x00);
}
