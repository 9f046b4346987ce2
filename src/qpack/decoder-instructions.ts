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
import {
  decodePrefixInt62,
  writePrefixInt,
  writePrefixIntBig,
} from "../shared/prefix-int.js";
import { NEED_MORE, OVERFLOW } from "../shared/result.js";
import { QpackErrorCode } from "./error-codes.js";
import { QpackError } from "./errors.js";

/** One decoded decoder instruction (RFC 9204 §4.4). */
export type DecoderInstruction =
  | { readonly type: "section_acknowledgment"; readonly streamId: number | bigint }
  | { readonly type: "stream_cancellation"; readonly streamId: number | bigint }
  | { readonly type: "insert_count_increment"; readonly increment: number | bigint };

/**
 * Reads one decoder instruction at `c.pos`, advancing `c.pos` only when it
 * is complete.
 *
 * @returns the instruction, or `null` when more bytes are needed
 * @throws QpackError QPACK_DECODER_STREAM_ERROR (`integer_overflow`) for an
 *   integer above 2^62 - 1
 */
export function readDecoderInstruction(c: Cursor): DecoderInstruction | null {
  if (c.pos >= c.end) return null;
  const b = c.buf[c.pos]!;
  const prefixBits = b & 0x80 ? 7 : 6;
  const start = c.pos;
  const v = decodePrefixInt62(c, prefixBits);
  if (v === NEED_MORE) return null;
  if (v === OVERFLOW) {
    throw new QpackError(
      "Cannot decode decoder instruction: integer exceeds 2^62 - 1",
      QpackErrorCode.QPACK_DECODER_STREAM_ERROR,
      { reason: "integer_overflow", offset: start },
    );
  }
  if (b & 0x80) return { type: "section_acknowledgment", streamId: v };
  if (b & 0x40) return { type: "stream_cancellation", streamId: v };
  return { type: "insert_count_increment", increment: v };
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
