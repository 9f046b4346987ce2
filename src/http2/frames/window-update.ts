/**
 * WINDOW_UPDATE (RFC 9113 §6.9).
 *
 * ```
 * WINDOW_UPDATE Frame {
 *   Length (24) = 0x04,
 *   Type (8) = 0x08,
 *   Unused Flags (8),
 *   Reserved (1),
 *   Stream Identifier (31),
 *   Reserved (1),
 *   Window Size Increment (31),
 * }
 * ```
 * @internal
 * @module
 */
import { readU32 } from "../../shared/byte-reader.js";
import type { ByteWriter } from "../../shared/byte-writer.js";
import { FrameType, MAX_STREAM_ID } from "../constants.js";
import { ErrorCode } from "../error-codes.js";
import { connectionError, streamError } from "../errors.js";
import type { WindowUpdateFrame } from "../frame.js";
import { checkUint, type FrameHeader } from "../frame-header.js";
import { type InitOf, lengthInvalidError } from "./common.js";

export function decodeWindowUpdate(h: FrameHeader, payload: Uint8Array, offset: number | undefined): WindowUpdateFrame {
  const { flags, streamId, length } = h;
  // RFC 9113 §6.9: a length other than 4 octets MUST be treated as a connection error of type FRAME_SIZE_ERROR
  if (length !== 4) throw lengthInvalidError(h, "WINDOW_UPDATE", "window_update", 4, "connection", offset);
  // RFC 9113 §6.9: the reserved bit MUST be ignored
  const windowSizeIncrement = readU32(payload, 0) & 0x7fffffff;
  if (windowSizeIncrement === 0) {
    // RFC 9113 §6.9: an increment of 0 MUST be treated as a stream error of type PROTOCOL_ERROR;
    // errors on the connection flow-control window MUST be treated as a connection error
    const message = "Cannot decode WINDOW_UPDATE frame: window size increment is 0";
    if (streamId === 0) throw connectionError(ErrorCode.PROTOCOL_ERROR, "window_update_zero_increment", message, offset);
    throw streamError(ErrorCode.PROTOCOL_ERROR, streamId, "window_update_zero_increment", message, offset);
  }
  return { type: FrameType.WINDOW_UPDATE, streamId, flags, windowSizeIncrement };
}

/** Any increment up to 2^31-1 is written, 0 included (testers need to send it). */
export function encodeWindowUpdate(frame: InitOf<typeof FrameType.WINDOW_UPDATE>, w: ByteWriter, flags: number): number {
  checkUint("windowSizeIncrement", frame.windowSizeIncrement, MAX_STREAM_ID);
  w.u32(frame.windowSizeIncrement);
  return flags;
}
