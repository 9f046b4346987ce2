import { makeNameOf } from "../shared/code-table.js";

/** HTTP/2 error codes (RFC 9113 §7). */
export const ErrorCode = {
  NO_ERROR: 0x00,
  PROTOCOL_ERROR: 0x01,
  INTERNAL_ERROR: 0x02,
  FLOW_CONTROL_ERROR: 0x03,
  SETTINGS_TIMEOUT: 0x04,
  STREAM_CLOSED: 0x05,
  FRAME_SIZE_ERROR: 0x06,
  REFUSED_STREAM: 0x07,
  CANCEL: 0x08,
  COMPRESSION_ERROR: 0x09,
  CONNECT_ERROR: 0x0a,
  ENHANCE_YOUR_CALM: 0x0b,
  INADEQUATE_SECURITY: 0x0c,
  HTTP_1_1_REQUIRED: 0x0d,
} as const;

/** One of the {@link ErrorCode} values. */
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/**
 * The RFC name of an HTTP/2 error code, or `UNKNOWN_0x..`; never throws.
 *
 * @example
 * ```ts
 * errorCodeName(0x06); // "FRAME_SIZE_ERROR"
 * errorCodeName(0xff); // "UNKNOWN_0xff"
 * ```
 */
export const errorCodeName: (code: number | bigint) => string = makeNameOf(ErrorCode);
