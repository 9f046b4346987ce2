/**
 * RST_STREAM (RFC 9113 §6.4).
 *
 * ```
 * RST_STREAM Frame {
 *   Length (24) = 0x04,
 *   Type (8) = 0x03,
 *   Unused Flags (8),
 *   Reserved (1),
 *   Stream Identifier (31),
 *   Error Code (32),
 * }
 * ```
 * @internal
 * @module
 */

import { readU32 } from "../../shared/byte-reader.js";
import type { ByteWriter } from "../../shared/byte-writer.js";
import { FrameType } from "../constants.js";
import type { RstStreamFrame } from "../frame.js";
import { checkUint, type FrameHeader } from "../frame-header.js";
import { type InitOf, lengthInvalidError, onStream0Error } from "./common.js";

export function decodeRstStream(h: FrameHeader, payload: Uint8Array, offset: number | undefined): RstStreamFrame {
  const { flags, streamId, length } = h;
  // RFC 9113 §6.4: RST_STREAM on stream 0 MUST be treated as a connection error of type PROTOCOL_ERROR
  if (streamId === 0) throw onStream0Error("RST_STREAM", "rst_stream", offset);
  // RFC 9113 §6.4: a length other than 4 octets MUST be treated as a connection error of type FRAME_SIZE_ERROR
  if (length !== 4) throw lengthInvalidError(h, "RST_STREAM", "rst_stream", 4, "connection", offset);
  return { type: FrameType.RST_STREAM, streamId, flags, errorCode: readU32(payload, 0) };
}

export function encodeRstStream(frame: InitOf<typeof FrameType.RST_STREAM>, w: ByteWriter, flags: number): number {
  checkUint("errorCode", frame.errorCode, 0xffffffff);
  w.u32(frame.errorCode);
  return flags;
}
