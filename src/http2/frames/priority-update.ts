/**
 * PRIORITY_UPDATE (RFC 9218 §7.1).
 *
 * ```
 * HTTP/2 PRIORITY_UPDATE Frame {
 *   Length (24),
 *   Type (8) = 0x10,
 *   Unused Flags (8),
 *   Reserved (1),
 *   Stream Identifier (31) = 0,
 *   Reserved (1),
 *   Prioritized Stream ID (31),
 *   Priority Field Value (..),
 * }
 * ```
 * @internal
 * @module
 */
import { readU32 } from "../../shared/byte-reader.js";
import type { ByteWriter } from "../../shared/byte-writer.js";
import { latin1Decode } from "../../shared/latin1.js";
import { FrameType, MAX_STREAM_ID } from "../constants.js";
import { ErrorCode } from "../error-codes.js";
import { connectionError } from "../errors.js";
import type { PriorityUpdateFrame } from "../frame.js";
import { checkUint, type FrameHeader } from "../frame-header.js";
import { checkLatin1, type InitOf, notOnStream0Error, tooShortError } from "./common.js";

export function decodePriorityUpdate(h: FrameHeader, payload: Uint8Array, offset: number | undefined): PriorityUpdateFrame {
  const { flags, streamId, length } = h;
  // RFC 9218 §7.1: the stream identifier MUST be zero; any other value MUST be treated as a
  // connection error of type PROTOCOL_ERROR
  if (streamId !== 0) throw notOnStream0Error("PRIORITY_UPDATE", "priority_update", streamId, offset);
  // RFC 9113 §4.2: too small to contain mandatory frame data (stream 0: connection FRAME_SIZE_ERROR)
  if (length < 4) throw tooShortError(h, "PRIORITY_UPDATE", "priority_update", 4, offset);
  const prioritizedStreamId = readU32(payload, 0) & 0x7fffffff;
  // RFC 9218 §7.1: a prioritized stream ID of 0x0 MUST be treated as a connection error of type PROTOCOL_ERROR
  if (prioritizedStreamId === 0)
    throw connectionError(
      ErrorCode.PROTOCOL_ERROR,
      "priority_update_stream_0",
      "Cannot decode PRIORITY_UPDATE frame: prioritized stream identifier is 0",
      offset,
    );
  return {
    type: FrameType.PRIORITY_UPDATE,
    streamId,
    flags,
    prioritizedStreamId,
    priorityFieldValue: latin1Decode(payload, 4, length),
  };
}

export function encodePriorityUpdate(frame: InitOf<typeof FrameType.PRIORITY_UPDATE>, w: ByteWriter, flags: number): number {
  checkUint("prioritizedStreamId", frame.prioritizedStreamId, MAX_STREAM_ID);
  checkLatin1("priorityFieldValue", frame.priorityFieldValue);
  w.u32(frame.prioritizedStreamId);
  w.latin1(frame.priorityFieldValue);
  return flags;
}
