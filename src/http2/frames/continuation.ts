/**
 * CONTINUATION (RFC 9113 §6.10). Its ordering rules (only after a field
 * block frame without END_HEADERS, same stream, nothing in between) need
 * state and live in the FrameDecoder.
 *
 * ```
 * CONTINUATION Frame {
 *   Length (24),
 *   Type (8) = 0x09,
 *   Unused Flags (5),
 *   END_HEADERS Flag (1),
 *   Unused Flags (2),
 *   Reserved (1),
 *   Stream Identifier (31),
 *   Field Block Fragment (..),
 * }
 * ```
 * @internal
 * @module
 */

import type { ByteWriter } from "../../shared/byte-writer.js";
import { Flags, FrameType } from "../constants.js";
import type { ContinuationFrame } from "../frame.js";
import type { FrameHeader } from "../frame-header.js";
import { type InitOf, onStream0Error, setFlag } from "./common.js";

export function decodeContinuation(h: FrameHeader, payload: Uint8Array, offset: number | undefined): ContinuationFrame {
  const { flags, streamId } = h;
  // RFC 9113 §6.10: CONTINUATION on stream 0 MUST be treated as a connection error of type PROTOCOL_ERROR
  if (streamId === 0) throw onStream0Error("CONTINUATION", "continuation", offset);
  return {
    type: FrameType.CONTINUATION,
    streamId,
    flags,
    endHeaders: (flags & Flags.END_HEADERS) !== 0,
    fragment: payload,
  };
}

export function encodeContinuation(frame: InitOf<typeof FrameType.CONTINUATION>, w: ByteWriter, flags: number): number {
  w.bytes(frame.fragment);
  return setFlag(flags, Flags.END_HEADERS, frame.endHeaders);
}
