/**
 * Which frames each packet type may carry (RFC 9000 §12.4 Table 3, §17.2.3;
 * RFC 9221 §4).
 *
 * @module
 */

import { TransportErrorCode } from "../error-codes.js";
import { connectionError } from "../errors.js";
import { QuicFrameType, quicFrameTypeName, STREAM_FRAME_TYPE_LAST } from "../frame-type.js";
import type { FramePacketType } from "./types.js";

/** Packet type bits of the table below. */
const IN_INITIAL = 1;
const IN_HANDSHAKE = 2;
const IN_0RTT = 4;
const IN_1RTT = 8;
const ALL = IN_INITIAL | IN_HANDSHAKE | IN_0RTT | IN_1RTT;
/** "IH_1" in Table 3. */
const NOT_0RTT = IN_INITIAL | IN_HANDSHAKE | IN_1RTT;
/** "__01" in Table 3. */
const APPLICATION = IN_0RTT | IN_1RTT;

function packetBit(packetType: FramePacketType): number {
  switch (packetType) {
    case "initial":
      return IN_INITIAL;
    case "handshake":
      return IN_HANDSHAKE;
    case "0-rtt":
      return IN_0RTT;
    case "1-rtt":
      return IN_1RTT;
    default:
      throw new RangeError(`Invalid packet type for frames: ${String(packetType)}`);
  }
}

/** The packet types a frame type may travel in, as bits; 0 for unknown types. */
function permittedIn(frameType: number | bigint): number {
  if (typeof frameType !== "number") return 0;
  if (frameType >= QuicFrameType.STREAM && frameType <= STREAM_FRAME_TYPE_LAST) return APPLICATION;
  switch (frameType) {
    case QuicFrameType.PADDING:
    case QuicFrameType.PING:
    case QuicFrameType.CONNECTION_CLOSE:
      return ALL;
    case QuicFrameType.ACK:
    case QuicFrameType.ACK_ECN:
    case QuicFrameType.CRYPTO:
      return NOT_0RTT;
    case QuicFrameType.NEW_TOKEN:
    case QuicFrameType.PATH_RESPONSE:
    case QuicFrameType.HANDSHAKE_DONE:
    // Table 3 allows RETIRE_CONNECTION_ID in 0-RTT, but §17.2.3 forbids a
    // client to send it there and makes receipt a PROTOCOL_VIOLATION.
    case QuicFrameType.RETIRE_CONNECTION_ID:
      return IN_1RTT;
    case QuicFrameType.RESET_STREAM:
    case QuicFrameType.STOP_SENDING:
    case QuicFrameType.MAX_DATA:
    case QuicFrameType.MAX_STREAM_DATA:
    case QuicFrameType.MAX_STREAMS_BIDI:
    case QuicFrameType.MAX_STREAMS_UNI:
    case QuicFrameType.DATA_BLOCKED:
    case QuicFrameType.STREAM_DATA_BLOCKED:
    case QuicFrameType.STREAMS_BLOCKED_BIDI:
    case QuicFrameType.STREAMS_BLOCKED_UNI:
    case QuicFrameType.NEW_CONNECTION_ID:
    case QuicFrameType.PATH_CHALLENGE:
    case QuicFrameType.CONNECTION_CLOSE_APPLICATION:
    // RFC 9221 §4: DATAGRAM frames are protected with 0-RTT or 1-RTT keys.
    case QuicFrameType.DATAGRAM:
    case QuicFrameType.DATAGRAM_WITH_LENGTH:
      return APPLICATION;
    default:
      return 0;
  }
}

/**
 * Whether a frame type may travel in a packet type (RFC 9000 §12.4 Table 3,
 * with §17.2.3's extra 0-RTT exclusions and RFC 9221's DATAGRAM). Unknown
 * frame types are permitted nowhere.
 *
 * @throws RangeError for a packet type other than initial, 0-rtt, handshake, 1-rtt
 * @example
 * ```ts
 * isFramePermitted(QuicFrameType.STREAM, "initial"); // false
 * isFramePermitted(QuicFrameType.ACK, "handshake"); // true
 * ```
 */
export function isFramePermitted(frameType: number | bigint, packetType: FramePacketType): boolean {
  return (permittedIn(frameType) & packetBit(packetType)) !== 0;
}

/**
 * Throws when a frame type may not travel in a packet type: RFC 9000 §12.4,
 * "An endpoint MUST treat receipt of a frame in a packet type that is not
 * permitted as a connection error of type PROTOCOL_VIOLATION".
 *
 * @param offset where the frame starts, for the error
 * @throws QuicError PROTOCOL_VIOLATION `frame_not_permitted_in_packet_type`, connection scope
 * @throws RangeError for an unknown packet type
 */
export function checkFramePermitted(frameType: number | bigint, packetType: FramePacketType, offset?: number): void {
  if (!isFramePermitted(frameType, packetType)) {
    throw connectionError(
      TransportErrorCode.PROTOCOL_VIOLATION,
      "frame_not_permitted_in_packet_type",
      `Invalid frame: ${quicFrameTypeName(frameType)} (0x${frameType.toString(16)}) is not permitted in a ${packetType} packet`,
      offset,
    );
  }
}
