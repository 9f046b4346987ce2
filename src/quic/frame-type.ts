/**
 * QUIC frame types (RFC 9000 §12.4 Table 3, §19; RFC 9221 §4).
 *
 * @module
 */
import { makeNameOf } from "../shared/code-table.js";

/** QUIC frame types, RFC names. STREAM is 0x08–0x0f: 0x08 plus the {@link StreamFrameBits}. */
export const QuicFrameType = {
  PADDING: 0x00,
  PING: 0x01,
  ACK: 0x02,
  ACK_ECN: 0x03,
  RESET_STREAM: 0x04,
  STOP_SENDING: 0x05,
  CRYPTO: 0x06,
  NEW_TOKEN: 0x07,
  /** The first STREAM type; 0x08–0x0f with the OFF, LEN and FIN bits. */
  STREAM: 0x08,
  MAX_DATA: 0x10,
  MAX_STREAM_DATA: 0x11,
  MAX_STREAMS_BIDI: 0x12,
  MAX_STREAMS_UNI: 0x13,
  DATA_BLOCKED: 0x14,
  STREAM_DATA_BLOCKED: 0x15,
  STREAMS_BLOCKED_BIDI: 0x16,
  STREAMS_BLOCKED_UNI: 0x17,
  NEW_CONNECTION_ID: 0x18,
  RETIRE_CONNECTION_ID: 0x19,
  PATH_CHALLENGE: 0x1a,
  PATH_RESPONSE: 0x1b,
  /** CONNECTION_CLOSE for a transport error. */
  CONNECTION_CLOSE: 0x1c,
  /** CONNECTION_CLOSE for an application error. */
  CONNECTION_CLOSE_APPLICATION: 0x1d,
  HANDSHAKE_DONE: 0x1e,
  /** RFC 9221: DATAGRAM without a Length field (runs to the end of the packet). */
  DATAGRAM: 0x30,
  /** RFC 9221: DATAGRAM with a Length field. */
  DATAGRAM_WITH_LENGTH: 0x31,
} as const;

/** One of the {@link QuicFrameType} values. */
export type QuicFrameType = (typeof QuicFrameType)[keyof typeof QuicFrameType];

/** The low three bits of a STREAM frame type (RFC 9000 §19.8). */
export const StreamFrameBits = {
  /** The frame ends the stream. */
  FIN: 0x01,
  /** A Length field is present (else the data runs to the end of the packet). */
  LEN: 0x02,
  /** An Offset field is present (else the offset is 0). */
  OFF: 0x04,
} as const;

/** The last STREAM frame type, 0x0f. */
export const STREAM_FRAME_TYPE_LAST = 0x0f;
/** The DATAGRAM type bit saying a Length field is present (RFC 9221 §4). */
export const DATAGRAM_LEN_BIT = 0x01;

const baseName = makeNameOf(QuicFrameType);

/**
 * The RFC name of a frame type: `"ACK_ECN"`, `"STREAM"` for all of
 * 0x08–0x0f, `"UNKNOWN_0x.."` otherwise. Never throws.
 *
 * @example
 * ```ts
 * quicFrameTypeName(0x0b); // "STREAM"
 * quicFrameTypeName(0x1d); // "CONNECTION_CLOSE_APPLICATION"
 * ```
 */
export function quicFrameTypeName(type: number | bigint): string {
  if (typeof type === "number" && type >= QuicFrameType.STREAM && type <= STREAM_FRAME_TYPE_LAST) return "STREAM";
  return baseName(type);
}
