import { makeNameOf } from "../shared/code-table.js";
import { isGreaseValue } from "./grease.js";

/** HTTP/3 error codes (RFC 9114 §8.1). */
export const Http3ErrorCode = {
  H3_NO_ERROR: 0x0100,
  H3_GENERAL_PROTOCOL_ERROR: 0x0101,
  H3_INTERNAL_ERROR: 0x0102,
  H3_STREAM_CREATION_ERROR: 0x0103,
  H3_CLOSED_CRITICAL_STREAM: 0x0104,
  H3_FRAME_UNEXPECTED: 0x0105,
  H3_FRAME_ERROR: 0x0106,
  H3_EXCESSIVE_LOAD: 0x0107,
  H3_ID_ERROR: 0x0108,
  H3_SETTINGS_ERROR: 0x0109,
  H3_MISSING_SETTINGS: 0x010a,
  H3_REQUEST_REJECTED: 0x010b,
  H3_REQUEST_CANCELLED: 0x010c,
  H3_REQUEST_INCOMPLETE: 0x010d,
  H3_MESSAGE_ERROR: 0x010e,
  H3_CONNECT_ERROR: 0x010f,
  H3_VERSION_FALLBACK: 0x0110,
} as const;

/** One of the {@link Http3ErrorCode} values. */
export type Http3ErrorCode = (typeof Http3ErrorCode)[keyof typeof Http3ErrorCode];

const baseName = makeNameOf(Http3ErrorCode);

/**
 * Whether `code` is a reserved (GREASE) error code, `0x1f * N + 0x21`
 * (RFC 9114 §8.1). Never throws.
 */
export function isReservedHttp3ErrorCode(code: number | bigint): boolean {
  return isGreaseValue(code);
}

/**
 * The RFC name of an HTTP/3 error code; `H3_GREASE_0x..` for reserved code
 * points and `UNKNOWN_0x..` otherwise. Never throws.
 */
export function http3ErrorName(code: number | bigint): string {
  const name = baseName(code);
  if (name.startsWith("UNKNOWN_") && isReservedHttp3ErrorCode(code)) return `H3_GREASE_0x${code.toString(16)}`;
  return name;
}
