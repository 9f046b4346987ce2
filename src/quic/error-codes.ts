import { makeNameOf } from "../shared/code-table.js";

/** QUIC transport error codes (RFC 9000 §20.1). */
export const TransportErrorCode = {
  NO_ERROR: 0x00,
  INTERNAL_ERROR: 0x01,
  CONNECTION_REFUSED: 0x02,
  FLOW_CONTROL_ERROR: 0x03,
  STREAM_LIMIT_ERROR: 0x04,
  STREAM_STATE_ERROR: 0x05,
  FINAL_SIZE_ERROR: 0x06,
  FRAME_ENCODING_ERROR: 0x07,
  TRANSPORT_PARAMETER_ERROR: 0x08,
  CONNECTION_ID_LIMIT_ERROR: 0x09,
  PROTOCOL_VIOLATION: 0x0a,
  INVALID_TOKEN: 0x0b,
  APPLICATION_ERROR: 0x0c,
  CRYPTO_BUFFER_EXCEEDED: 0x0d,
  KEY_UPDATE_ERROR: 0x0e,
  AEAD_LIMIT_REACHED: 0x0f,
  NO_VIABLE_PATH: 0x10,
} as const;

/** One of the {@link TransportErrorCode} values. */
export type TransportErrorCode = (typeof TransportErrorCode)[keyof typeof TransportErrorCode];

const baseName = makeNameOf(TransportErrorCode);

/**
 * The RFC name of a transport error code; `CRYPTO_ERROR_0x..` for the
 * 0x0100-0x01ff range (RFC 9000 §20.1), `UNKNOWN_0x..` otherwise.
 *
 * @example
 * ```ts
 * transportErrorName(0x07); // "FRAME_ENCODING_ERROR"
 * ```
 */
export function transportErrorName(code: number | bigint): string {
  const n = Number(code);
  if (n >= 0x100 && n <= 0x1ff) return `CRYPTO_ERROR_0x${(n - 0x100).toString(16).padStart(2, "0")}`;
  return baseName(code);
}
