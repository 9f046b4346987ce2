/**
 * PING (RFC 9113 §6.7).
 *
 * ```
 * PING Frame {
 *   Length (24) = 0x08,
 *   Type (8) = 0x06,
 *   Unused Flags (7),
 *   ACK Flag (1),
 *   Reserved (1),
 *   Stream Identifier (31) = 0,
 *   Opaque Data (64),
 * }
 * ```
 * @internal
 * @module
 */

import type { ByteWriter } from "../../shared/byte-writer.js";
import { Flags, FrameType } from "../constants.js";
import type { PingFrame } from "../frame.js";
import type { FrameHeader } from "../frame-header.js";
import { type InitOf, lengthInvalidError, notOnStream0Error, setFlag } from "./common.js";

export function decodePing(h: FrameHeader, payload: Uint8Array, offset: number | undefined): PingFrame {
  const { flags, streamId, length } = h;
  // RFC 9113 §6.7: a stream identifier other than 0 MUST be treated as a connection error of type PROTOCOL_ERROR
  if (streamId !== 0) throw notOnStream0Error("PING", "ping", streamId, offset);
  // RFC 9113 §6.7: a length other than 8 MUST be treated as a connection error of type FRAME_SIZE_ERROR
  if (length !== 8) throw lengthInvalidError(h, "PING", "ping", 8, "connection", offset);
  return { type: FrameType.PING, streamId, flags, ack: (flags & Flags.ACK) !== 0, opaqueData: payload };
}

export function encodePing(frame: InitOf<typeof FrameType.PING>, w: ByteWriter, flags: number): number {
  if (frame.opaqueData.length !== 8) throw new RangeError(`PING opaqueData must be 8 octets, got ${frame.opaqueData.length}`);
  w.bytes(frame.opaqueData);
  return setFlag(flags, Flags.ACK, frame.ack);
}
