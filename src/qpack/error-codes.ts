import { makeNameOf } from "../shared/code-table.js";

/** QPACK error codes (RFC 9204 §6). */
export const QpackErrorCode = {
  QPACK_DECOMPRESSION_FAILED: 0x0200,
  QPACK_ENCODER_STREAM_ERROR: 0x0201,
  QPACK_DECODER_STREAM_ERROR: 0x0202,
} as const;

/** One of the {@link QpackErrorCode} values. */
export type QpackErrorCode = (typeof QpackErrorCode)[keyof typeof QpackErrorCode];

/** The RFC name of a QPACK error code, or `UNKNOWN_0x..`. */
export const qpackErrorName: (code: number | bigint) => string = makeNameOf(QpackErrorCode);
