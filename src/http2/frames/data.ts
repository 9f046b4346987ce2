/**
 * DATA (RFC 9113 §6.1).
 *
 * ```
 * DATA Frame {
 *   Length (24),
 *   Type (8) = 0x00,
 *   Unused Flags (4),
 *   PADDED Flag (1),
 *   Unused Flags (2),
 *   END_STREAM Flag (1),
 *   Reserved (1),
 *   Stream Identifier (31),
 *   [Pad Length (8)],
 *   Data (..),
 *   Padding (..2040),
 * }
 * ```
 * @internal
 * @module
 */

import type { ByteWriter } from "../../shared/byte-writer.js";
import { Flags, FrameType } from "../constants.js";
import type { DataFrame } from "../frame.js";
import type { FrameHeader } from "../frame-header.js";
import { contentEnd, contentStart, type InitOf, onStream0Error, padLengthOf, setFlag, writePadding } from "./common.js";

export function decodeData(h: FrameHeader, payload: Uint8Array, offset: number | undefined): DataFrame {
  const { flags, streamId } = h;
  // RFC 9113 §6.1: DATA on stream 0 MUST be treated as a connection error of type PROTOCOL_ERROR
  if (streamId === 0) throw onStream0Error("DATA", "data", offset);
  const endStream = (flags & Flags.END_STREAM) !== 0;
  const padded = (flags & Flags.PADDED) !== 0;
  // The common case, unpadded: the data is the payload view itself (no second view).
  return {
    type: FrameType.DATA,
    streamId,
    flags,
    endStream,
    padded,
    padLength: padded ? payload[0]! : undefined,
    data: padded ? payload.subarray(contentStart("DATA", "data", payload, true, 0, offset), contentEnd(payload, true)) : payload,
  };
}

export function encodeData(frame: InitOf<typeof FrameType.DATA>, w: ByteWriter, flags: number): number {
  const pad = padLengthOf(frame.padded, frame.padLength);
  if (pad !== undefined) w.u8(pad);
  w.bytes(frame.data);
  writePadding(w, pad);
  return setFlag(setFlag(flags, Flags.END_STREAM, frame.endStream), Flags.PADDED, pad !== undefined);
}
