/**
 * GOAWAY (RFC 9113 §6.8).
 *
 * ```
 * GOAWAY Frame {
 *   Length (24),
 *   Type (8) = 0x07,
 *   Unused Flags (8),
 *   Reserved (1),
 *   Stream Identifier (31) = 0,
 *   Reserved (1),
 *   Last-Stream-ID (31),
 *   Error Code (32),
 *   Additional Debug Data (..),
 * }
 * ```
 * @internal
 * @module
 */
import { readU32 } from "../../shared/byte-reader.js";
import type { ByteWriter } from "../../shared/byte-writer.js";
import { FrameType, MAX_STREAM_ID } from "../constants.js";
import type { GoawayFrame } from "../frame.js";
import { checkUint, type FrameHeader } from "../frame-header.js";
import { type InitOf, notOnStream0Error, tooShortError } from "./common.js";

export function decodeGoaway(h: FrameHeader, payload: Uint8Array, offset: number | undefined): GoawayFrame {
  const { flags, streamId, length } = h;
  // RFC 9113 §6.8: a stream identifier other than 0 MUST be treated as a connection error of type PROTOCOL_ERROR
  if (streamId !== 0) throw notOnStream0Error("GOAWAY", "goaway", streamId, offset);
  // RFC 9113 §4.2: a frame too small to contain mandatory frame data: FRAME_SIZE_ERROR (stream 0: connection)
  if (length < 8) throw tooShortError(h, "GOAWAY", "goaway", 8, offset);
  return {
    type: FrameType.GOAWAY,
    streamId,
    flags,
    lastStreamId: readU32(payload, 0) & 0x7fffffff,
    errorCode: readU32(payload, 4),
    debugData: payload.subarray(8),
  };
}

export function encodeGoaway(frame: InitOf<typeof FrameType.GOAWAY>, w: ByteWriter, flags: number): number {
  checkUint("lastStreamId", frame.lastStreamId, MAX_STREAM_ID);
  checkUint("errorCode", frame.errorCode, 0xffffffff);
  w.u32(frame.lastStreamId);
  w.u32(frame.errorCode);
  if (frame.debugData !== undefined) w.bytes(frame.debugData);
  return flags;
}
