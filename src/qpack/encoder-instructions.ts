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
import { HUFFMAN_EOS_DECODED, NEED_MORE, type NeedMore, needMore, TOO_LONG } from "../shared/result.js";
import { decodeStringLiteral, writeStringLiteral } from "../shared/string-literal.js";
import { ENTRY_OVERHEAD } from "./dynamic-table.js";
import { QpackErrorCode } from "./error-codes.js";
import { connectionError, type QpackError } from "./errors.js";

/** One decoded encoder instruction (RFC 9204 §4.3). */
export type EncoderInstruction =
  | { readonly type: "set-dynamic-table-capacity"; readonly capacity: number }
  | {
      readonly type: "insert-with-name-reference";
      readonly isStatic: boolean;
      readonly nameIndex: number;
      readonly value: string;
    }
  | { readonly type: "insert-with-literal-name"; readonly name: string; readonly value: string }
  | { readonly type: "duplicate"; readonly index: number };

/** Result of {@link readEncoderInstruction}. */
export type ReadEncoderInstructionResult =
  | { readonly status: "ok"; readonly instruction: EncoderInstruction; readonly length: number }
  | NeedMore;

/** Largest index or string length accepted in an encoder instruction. */
const MAX_INT = 2 ** 32 - 1;
/**
 * Largest capacity accepted: SETTINGS_QPACK_MAX_TABLE_CAPACITY may be up to
 * 2^62 - 1 (RFC 9204 §5), and a decoder may take it up to 2^53 - 1.
 */
const MAX_CAPACITY = Number.MAX_SAFE_INTEGER;

function encoderStreamError(reason: string, message: string, offset: number): QpackError {
  return connectionError(QpackErrorCode.QPACK_ENCODER_STREAM_ERROR, reason, message, offset);
}

function overflow(what: string, offset: number, max = MAX_INT): QpackError {
  return encoderStreamError("integer_overflow", `Cannot decode encoder instruction: ${what} exceeds ${max}`, offset);
}

function tooLarge(capacity: number, offset: number): QpackError {
  // RFC 9204 §3.2.2: an entry larger than the capacity is an encoder stream error.
  return encoderStreamError("entry_exceeds_capacity", `Cannot insert entry: it cannot fit the dynamic table capacity ${capacity}`, offset);
}

/**
 * The fewest octets a string literal of `length` encoded octets can decode
 * to. Raw: `length`. Huffman: codes are 5 to 30 bits and the padding is at
 * most 7 bits, so n symbols take at least `8 * length - 7` bits in 30-bit
 * codes: n >= ceil((8 * length - 7) / 30). (The most it can decode to is
 * floor(8 * length / 5): Huffman data may be up to 3.75 times longer than
 * its text, or 1.6 times shorter.)
 */
export function minDecodedLength(length: number, huffman: boolean): number {
  if (!huffman) return length;
  return length === 0 ? 0 : Math.ceil((8 * length - 7) / 30);
}

/**
 * How many bytes the encoder instruction at `buf[pos]` takes in all, read
 * from its integers and length prefixes alone (no string is decoded): the
 * exact length once every length prefix has arrived, else the fewest bytes
 * that must be present before the next prefix can be read (a lower bound, at
 * least one more than `end - pos`). A decoder holding a partial instruction
 * waits for that many bytes before looking at it again, so a held
 * instruction is never re-read (nor its Huffman strings re-decoded) on every
 * chunk, whatever the table capacity.
 *
 * Refuses an entry that cannot fit `capacity` as soon as its string lengths
 * say so, before the strings arrive: a name and value of at least
 * {@link minDecodedLength} octets each, plus 32.
 *
 * @param origin the stream offset of `buf[0]`, for the errors' `offset`
 * @throws QpackError QPACK_ENCODER_STREAM_ERROR `entry_exceeds_capacity` or
 *   `integer_overflow`
 */
export function encoderInstructionLength(buf: Uint8Array, pos: number, end: number, capacity: number, origin = 0): number {
  if (pos >= end) return 1;
  const c: Cursor = { buf, pos, end };
  const b = buf[pos]!;
  let nameLength = 0;
  if (b & 0x80) {
    // Insert with Name Reference: index, then the value.
    const index = decodePrefixInt(c, 6, MAX_INT);
    if (index === NEED_MORE) return end - pos + 1;
    if (index < 0) throw overflow("name index", origin + pos);
  } else if (b & 0x40) {
    // Insert with Literal Name: the name, then the value.
    const len = decodePrefixInt(c, 5, MAX_INT);
    if (len === NEED_MORE) return end - pos + 1;
    if (len < 0) throw tooLarge(capacity, origin + pos);
    nameLength = minDecodedLength(len, (b & 0x20) !== 0);
    if (nameLength + ENTRY_OVERHEAD > capacity) throw tooLarge(capacity, origin + pos);
    c.pos += len;
    // The value's prefix follows the name: it can be read once the name is here.
    if (c.pos >= end) return c.pos - pos + 1;
  } else {
    // Set Dynamic Table Capacity or Duplicate: one integer.
    const max = b & 0x20 ? MAX_CAPACITY : MAX_INT;
    const v = decodePrefixInt(c, 5, max);
    if (v === NEED_MORE) return end - pos + 1;
    if (v < 0) throw overflow(b & 0x20 ? "capacity" : "index", origin + pos, max);
    return c.pos - pos;
  }
  const at = c.pos;
  if (at >= end) return at - pos + 1;
  const huffman = (buf[at]! & 0x80) !== 0;
  const len = decodePrefixInt(c, 7, MAX_INT);
  if (len === NEED_MORE) return end - pos + 1;
  if (len < 0 || nameLength + minDecodedLength(len, huffman) + ENTRY_OVERHEAD > capacity) throw tooLarge(capacity, origin + at);
  return c.pos + len - pos;
}

function readString(c: Cursor, prefixBits: number, maxLength: number, capacity: number, what: string, origin: number): string {
  const at = origin + c.pos;
  const s = decodeStringLiteral(c, prefixBits, Math.max(0, maxLength));
  if (typeof s === "string") return s;
  if (s === TOO_LONG) throw tooLarge(capacity, at);
  if (s === NEED_MORE) {
    // The caller measured the instruction first; this cannot happen.
    throw encoderStreamError("truncated_instruction", `Cannot decode ${what}: the instruction is truncated`, at);
  }
  throw encoderStreamError(
    s === HUFFMAN_EOS_DECODED ? "huffman_eos" : "huffman_padding",
    `Cannot decode ${what}: invalid Huffman ${s === HUFFMAN_EOS_DECODED ? "EOS symbol" : "padding"}`,
    at,
  );
}

/**
 * Decodes the complete encoder instruction at `c.pos` (its length measured
 * by {@link encoderInstructionLength}) and advances `c.pos` past it. Names
 * and values are decoded with the room an entry of `capacity` leaves them.
 * `origin` is the stream offset of `c.buf[0]`, for the errors' `offset`.
 *
 * @throws QpackError QPACK_ENCODER_STREAM_ERROR (`entry_exceeds_capacity`,
 *   `huffman_eos`, `huffman_padding`, `integer_overflow`)
 */
export function decodeEncoderInstruction(c: Cursor, capacity: number, origin = 0): EncoderInstruction {
  const start = c.pos;
  const b = c.buf[start]!;
  const room = capacity - ENTRY_OVERHEAD;
  if (b & 0x80) {
    const nameIndex = decodePrefixInt(c, 6, MAX_INT);
    if (nameIndex < 0) throw overflow("name index", origin + start);
    const value = readString(c, 7, room, capacity, "value", origin);
    return { type: "insert-with-name-reference", isStatic: (b & 0x40) !== 0, nameIndex, value };
  }
  if (b & 0x40) {
    const name = readString(c, 5, room, capacity, "name", origin);
    const value = readString(c, 7, room - name.length, capacity, "value", origin);
    return { type: "insert-with-literal-name", name, value };
  }
  const max = b & 0x20 ? MAX_CAPACITY : MAX_INT;
  const v = decodePrefixInt(c, 5, max);
  if (v < 0) throw overflow(b & 0x20 ? "capacity" : "index", origin + start, max);
  return b & 0x20 ? { type: "set-dynamic-table-capacity", capacity: v } : { type: "duplicate", index: v };
}

/**
 * Reads one encoder instruction at `bytes[offset]` (RFC 9204 §4.3). Pure:
 * the instruction's length is measured from its prefixes first, so a
 * partial instruction costs no string decoding.
 *
 * @param capacity the dynamic table capacity the instruction is checked
 *   against: a name and value that cannot fit an entry of that capacity are
 *   an error, from their declared lengths (default: no limit beyond the
 *   2^32 - 1 integer cap)
 * @returns `{ status: "ok", instruction, length }`, or
 *   `{ status: "need-more", needed }` when the input ends inside it
 * @throws QpackError QPACK_ENCODER_STREAM_ERROR for an integer or string
 *   that exceeds the limits, or bad Huffman data
 * @example
 * ```ts
 * readEncoderInstruction(Uint8Array.of(0x3f, 0xe1, 0x1f)); // Set Dynamic Table Capacity 4096
 * // { status: "ok", instruction: { type: "set-dynamic-table-capacity", capacity: 4096 }, length: 3 }
 * ```
 */
export function readEncoderInstruction(
  bytes: Uint8Array,
  offset = 0,
  capacity: number = Number.MAX_SAFE_INTEGER,
): ReadEncoderInstructionResult {
  const available = bytes.length - offset;
  const length = encoderInstructionLength(bytes, offset, bytes.length, capacity);
  if (length > available) return needMore(length - available);
  const instruction = decodeEncoderInstruction({ buf: bytes, pos: offset, end: offset + length }, capacity);
  return { status: "ok", instruction, length };
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
