/**
 * Encoded field sections (RFC 9204 §4.5): the prefix and the five field line
 * representations, decoding against a {@link DynamicTable}.
 *
 * ```
 *   0   1   2   3   4   5   6   7
 * +---+---+---+---+---+---+---+---+
 * |   Required Insert Count (8+)  |   prefix (§4.5.1)
 * +---+---------------------------+
 * | S |      Delta Base (7+)      |
 * +---+---------------------------+
 * | 1 | T |      Index (6+)       |   Indexed Field Line (§4.5.2)
 * | 0 | 0 | 0 | 1 |  Index (4+)   |   Indexed, Post-Base Index (§4.5.3)
 * | 0 | 1 | N | T |Name Index (4+)|   Literal, Name Reference (§4.5.4) + value
 * | 0 | 0 | 0 | 0 | N |NameIdx(3+)|   Literal, Post-Base Name Ref. (§4.5.5) + value
 * | 0 | 0 | 1 | N | H |NameLen(3+)|   Literal, Literal Name (§4.5.6) + name + value
 * +---+---+---+---+---+---+---+---+
 * ```
 *
 * @module
 */
import type { ByteWriter } from "../shared/byte-writer.js";
import type { Cursor } from "../shared/cursor.js";
import { decodePrefixInt, writePrefixInt } from "../shared/prefix-int.js";
import { HUFFMAN_BAD_PADDING, HUFFMAN_EOS_DECODED, NEED_MORE } from "../shared/result.js";
import { decodeStringLiteral, writeStringLiteral } from "../shared/string-literal.js";
import { frozenFields } from "../shared/table-entry.js";
import { type DynamicTable, ENTRY_OVERHEAD } from "./dynamic-table.js";
import { QpackErrorCode } from "./error-codes.js";
import { connectionError, type QpackError, streamError } from "./errors.js";
import { encodeDeltaBase, encodeRequiredInsertCount, postBaseToAbsolute, relativeToAbsolute } from "./indexing.js";
import { STATIC_TABLE, STATIC_TABLE_LENGTH } from "./static-table.js";

/**
 * A field line: name and value as Latin-1 strings (one character per octet).
 * `sensitive` marks a never-indexed literal (the N bit, RFC 9204 §4.5.4):
 * set by the decoder when the bit was set, honoured by the encoder.
 */
export interface QpackField {
  readonly name: string;
  readonly value: string;
  readonly sensitive?: boolean;
}

/** One frozen field object per static entry, shared: an indexed static field line allocates nothing. */
const STATIC_FIELDS: readonly QpackField[] = /* @__PURE__ */ frozenFields(STATIC_TABLE);

/** Largest index accepted in a field line (larger ones cannot name an entry). */
const MAX_INDEX = 2 ** 32 - 1;

function failed(message: string, reason: string, offset: number): QpackError {
  return connectionError(QpackErrorCode.QPACK_DECOMPRESSION_FAILED, reason, message, offset);
}

function truncated(offset: number): QpackError {
  return failed("Cannot decode field section: it ends inside a field line", "truncated_field_section", offset);
}

function readIndex(c: Cursor, prefixBits: number): number {
  const v = decodePrefixInt(c, prefixBits, MAX_INDEX);
  if (v >= 0) return v;
  if (v === NEED_MORE) throw truncated(c.pos);
  throw failed(`Cannot decode field section: index exceeds ${MAX_INDEX}`, "integer_overflow", c.pos);
}

/**
 * Decodes the field lines of one section (after its prefix) from `c.pos` to
 * `c.end`, appending to `out`.
 *
 * @param ric the section's Required Insert Count (references must be below it)
 * @param base the section's Base
 * @param maxSize largest decoded size (name + value + 32 per line) accepted
 * @param streamId for the stream-scoped size error
 * @throws QpackError QPACK_DECOMPRESSION_FAILED (connection) for a truncated
 *   line, a bad index, a reference to an evicted entry or one at or above the
 *   Required Insert Count, bad Huffman data; (stream) `field_section_too_large`
 *   past `maxSize`
 */
export function decodeFieldLines(
  c: Cursor,
  table: DynamicTable,
  ric: number,
  base: number,
  maxSize: number,
  streamId: number | bigint,
  out: QpackField[],
): void {
  const buf = c.buf;
  let size = 0;
  while (c.pos < c.end) {
    const at = c.pos;
    const b = buf[at]!;
    let name: string;
    let sensitive = false;
    if (b & 0x80) {
      // §4.5.2 Indexed Field Line; an index below 63 is in the first byte
      // (most lines of a warm connection), read without the integer decoder.
      let idx = b & 0x3f;
      if (idx === 0x3f) idx = readIndex(c, 6);
      else c.pos = at + 1;
      if (b & 0x40) {
        if (idx >= STATIC_TABLE_LENGTH) throw badStatic(idx, at);
        const f = STATIC_FIELDS[idx]!;
        size += f.name.length + f.value.length + ENTRY_OVERHEAD;
        if (size > maxSize) throw tooLarge(maxSize, streamId, at);
        out.push(f);
        continue;
      }
      const abs = dynamic(table, ric, relativeToAbsolute(base, idx), at);
      size += table.sizeOf(abs);
      if (size > maxSize) throw tooLarge(maxSize, streamId, at);
      out.push({ name: table.name(abs), value: table.value(abs) });
      continue;
    } else if (b & 0x40) {
      // §4.5.4 Literal Field Line with Name Reference
      sensitive = (b & 0x20) !== 0;
      const idx = readIndex(c, 4);
      if (b & 0x10) {
        if (idx >= STATIC_TABLE_LENGTH) throw badStatic(idx, at);
        name = STATIC_TABLE[idx]![0];
      } else {
        name = table.name(dynamic(table, ric, relativeToAbsolute(base, idx), at));
      }
    } else if (b & 0x20) {
      // §4.5.6 Literal Field Line with Literal Name
      sensitive = (b & 0x10) !== 0;
      name = readString(c, 3, maxSize - size - ENTRY_OVERHEAD, maxSize, streamId);
    } else if (b & 0x10) {
      // §4.5.3 Indexed Field Line with Post-Base Index
      const abs = dynamic(table, ric, postBaseToAbsolute(base, readIndex(c, 4)), at);
      size += table.sizeOf(abs);
      if (size > maxSize) throw tooLarge(maxSize, streamId, at);
      out.push({ name: table.name(abs), value: table.value(abs) });
      continue;
    } else {
      // §4.5.5 Literal Field Line with Post-Base Name Reference
      sensitive = (b & 0x08) !== 0;
      const idx = readIndex(c, 3);
      name = table.name(dynamic(table, ric, postBaseToAbsolute(base, idx), at));
    }
    const value = readString(c, 7, maxSize - size - ENTRY_OVERHEAD - name.length, maxSize, streamId);
    size += name.length + value.length + ENTRY_OVERHEAD;
    if (size > maxSize) throw tooLarge(maxSize, streamId, at);
    out.push(sensitive ? { name, value, sensitive } : { name, value });
  }
}

function badStatic(idx: number, at: number): QpackError {
  return failed(`Cannot decode field line: static index ${idx} is not below ${STATIC_TABLE_LENGTH}`, "invalid_static_index", at);
}

/** Checks a dynamic reference (RFC 9204 §2.2.3) and returns its absolute index. */
function dynamic(table: DynamicTable, ric: number, abs: number, at: number): number {
  if (abs >= ric || abs < 0) {
    // RFC 9204 §2.2.3: an absolute index >= the Required Insert Count MUST
    // be treated as a connection error of type QPACK_DECOMPRESSION_FAILED.
    throw failed(
      `Cannot decode field line: dynamic reference to absolute index ${abs} with Required Insert Count ${ric}`,
      "reference_not_below_ric",
      at,
    );
  }
  if (abs < table.dropped) {
    // RFC 9204 §2.2.3: a reference to an evicted entry is a connection error.
    throw failed(`Cannot decode field line: entry ${abs} has been evicted`, "reference_to_evicted_entry", at);
  }
  return abs;
}

function tooLarge(maxSize: number, streamId: number | bigint, at: number): QpackError {
  return streamError(
    QpackErrorCode.QPACK_DECOMPRESSION_FAILED,
    streamId,
    "field_section_too_large",
    `Cannot decode field section: decoded size exceeds the limit ${maxSize}`,
    at,
  );
}

function readString(c: Cursor, prefixBits: number, maxLength: number, maxSize: number, streamId: number | bigint): string {
  const s = decodeStringLiteral(c, prefixBits, Math.max(0, maxLength));
  if (typeof s === "string") return s;
  if (s === NEED_MORE) throw truncated(c.pos);
  if (s === HUFFMAN_EOS_DECODED || s === HUFFMAN_BAD_PADDING) {
    throw failed(
      `Cannot decode string literal: invalid Huffman ${s === HUFFMAN_EOS_DECODED ? "EOS symbol" : "padding"}`,
      s === HUFFMAN_EOS_DECODED ? "huffman_eos" : "huffman_padding",
      c.pos,
    );
  }
  throw tooLarge(maxSize, streamId, c.pos);
}

/**
 * Writes the field section prefix (RFC 9204 §4.5.1): the encoded Required
 * Insert Count and the Base as Sign + Delta Base. With `ric` 0 the Base is
 * irrelevant and written as 0.
 */
export function writeFieldSectionPrefix(w: ByteWriter, ric: number, base: number, maxEntries: number): void {
  if (ric === 0) {
    w.u8(0);
    w.u8(0);
    return;
  }
  writePrefixInt(w, encodeRequiredInsertCount(ric, maxEntries), 8, 0);
  writePrefixInt(w, encodeDeltaBase(ric, base), 7, base < ric ? 0x80 : 0);
}

/** Writes an Indexed Field Line (§4.5.2): static index, or dynamic relative index. */
export function writeIndexedFieldLine(w: ByteWriter, isStatic: boolean, index: number): void {
  writePrefixInt(w, index, 6, isStatic ? 0xc0 : 0x80);
}

/** Writes an Indexed Field Line with Post-Base Index (§4.5.3). */
export function writeIndexedFieldLinePostBase(w: ByteWriter, postBaseIndex: number): void {
  writePrefixInt(w, postBaseIndex, 4, 0x10);
}

/** Writes a Literal Field Line with Name Reference (§4.5.4); `neverIndex` sets N. */
export function writeLiteralWithNameReference(
  w: ByteWriter,
  neverIndex: boolean,
  isStatic: boolean,
  nameIndex: number,
  value: string,
  huffman: boolean | "auto",
): void {
  writePrefixInt(w, nameIndex, 4, 0x40 | (neverIndex ? 0x20 : 0) | (isStatic ? 0x10 : 0));
  writeStringLiteral(w, value, 7, 0, huffman);
}

/** Writes a Literal Field Line with Post-Base Name Reference (§4.5.5). */
export function writeLiteralWithPostBaseNameReference(
  w: ByteWriter,
  neverIndex: boolean,
  postBaseIndex: number,
  value: string,
  huffman: boolean | "auto",
): void {
  writePrefixInt(w, postBaseIndex, 3, neverIndex ? 0x08 : 0);
  writeStringLiteral(w, value, 7, 0, huffman);
}

/** Writes a Literal Field Line with Literal Name (§4.5.6). */
export function writeLiteralWithLiteralName(
  w: ByteWriter,
  neverIndex: boolean,
  name: string,
  value: string,
  huffman: boolean | "auto",
): void {
  writeStringLiteral(w, name, 3, 0x20 | (neverIndex ? 0x10 : 0), huffman);
  writeStringLiteral(w, value, 7, 0, huffman);
}
