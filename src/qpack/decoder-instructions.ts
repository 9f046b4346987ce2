/**
 * Decoder instructions (RFC 9204 §4.4), carried on the decoder stream, as a
 * pure parser and writers.
 *
 * ```
 *   0   1   2   3   4   5   6   7
 * +---+---+---+---+---+---+---+---+
 * | 1 |      Stream ID (7+)       |   Section Acknowledgment (§4.4.1)
 * +---+---+-----------------------+
 * | 0 | 1 |     Stream ID (6+)    |   Stream Cancellation (§4.4.2)
 * +---+---+-----------------------+
 * | 0 | 0 |     Increment (6+)    |   Insert Count Increment (§4.4.3)
 * +---+---+-----------------------+
 * ```
 *
 * Stream IDs are QUIC stream IDs, up to 2^62 - 1 (RFC 9204 §4.1.1: QPACK
 * implementations MUST decode integers up to 62 bits): a `number` up to
 * 2^53 - 1, a `bigint` above.
 *
 * @module
 */
import type { ByteWriter } from "../shared/byte-writer.js";
import type { Cursor } from "../shared/cursor.js";
import { decodePrefixInt62, writePrefixInt, writePrefixIntBig } from "../shared/prefix-int.js";
import { NEED_MORE, type NeedMore, needMore, OVERFLOW } from "../shared/result.js";
import { QpackErrorCode } from "./error-codes.js";
import { connectionError } from "./errors.js";

/** One decoded decoder instruction (RFC 9204 §4.4). */
export type DecoderInstruction =
  | { readonly type: "section-acknowledgment"; readonly streamId: number | bigint }
  | { readonly type: "stream-cancellation"; readonly streamId: number | bigint }
  | { readonly type: "insert-count-increment"; readonly increment: number | bigint };

/** Result of {@link readDecoderInstruction}. */
export type ReadDecoderInstructionResult =
  | { readonly status: "ok"; readonly instruction: DecoderInstruction; readonly length: number }
  | NeedMore;

/**
 * Decodes one decoder instruction at `c.pos`, advancing `c.pos` only when it
 * is complete.
 *
 * @returns the instruction, or the internal sentinel `NEED_MORE`
 * @throws QpackError QPACK_DECODER_STREAM_ERROR (`integer_overflow`) for an
 *   integer above 2^62 - 1
 * @internal
 */
export function decodeDecoderInstruction(c: Cursor): DecoderInstruction | typeof NEED_MORE {
  if (c.pos >= c.end) return NEED_MORE;
  const b = c.buf[c.pos]!;
  const prefixBits = b & 0x80 ? 7 : 6;
  const start = c.pos;
  const v = decodePrefixInt62(c, prefixBits);
  if (v === NEED_MORE) return NEED_MORE;
  if (v === OVERFLOW) {
    throw connectionError(
      QpackErrorCode.QPACK_DECODER_STREAM_ERROR,
      "integer_overflow",
      "Cannot decode decoder instruction: integer exceeds 2^62 - 1",
      start,
    );
  }
  if (b & 0x80) return { type: "section-acknowledgment", streamId: v };
  if (b & 0x40) return { type: "stream-cancellation", streamId: v };
  return { type: "insert-count-increment", increment: v };
}

/**
 * Reads one decoder instruction at `bytes[offset]` (RFC 9204 §4.4). Pure.
 *
 * @returns `{ status: "ok", instruction, length }`, or
 *   `{ status: "need-more", needed }` when the input ends inside it (its
 *   integer's length is not known until its last byte: `needed` is then 1)
 * @throws QpackError QPACK_DECODER_STREAM_ERROR (`integer_overflow`) for an
 *   integer above 2^62 - 1
 * @example
 * ```ts
 * readDecoderInstruction(Uint8Array.of(0x84));
 * // { status: "ok", instruction: { type: "section-acknowledgment", streamId: 4 }, length: 1 }
 * ```
 */
export function readDecoderInstruction(bytes: Uint8Array, offset = 0): ReadDecoderInstructionResult {
  const c: Cursor = { buf: bytes, pos: offset, end: bytes.length };
  const instruction = decodeDecoderInstruction(c);
  if (instruction === NEED_MORE) return needMore(1);
  return { status: "ok", instruction, length: c.pos - offset };
}

function writeId(w: ByteWriter, id: number | bigint, prefixBits: number, flags: number): void {
  if (typeof id === "bigint") writePrefixIntBig(w, id, prefixBits, flags);
  else writePrefixInt(w, id, prefixBits, flags);
}

/** Writes Section Acknowledgment (RFC 9204 §4.4.1). */
export function writeSectionAcknowledgment(w: ByteWriter, streamId: number | bigint): void {
  writeId(w, streamId, 7, 0x80);
}

/** Writes Stream Cancellation (RFC 9204 §4.4.2). */
export function writeStreamCancellation(w: ByteWriter, streamId: number | bigint): void {
  writeId(w, streamId, 6, 0x40);
}

/** Writes Insert Count Increment (RFC 9204 §4.4.3). */
export function writeInsertCountIncrement(w: ByteWriter, increment: number): void {
  writePrefixInt(w, increment, 6, 0x00);
}
