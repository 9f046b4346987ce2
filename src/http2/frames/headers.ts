/**
 * HEADERS (RFC 9113 §6.2).
 *
 * ```
 * HEADERS Frame {
 *   Length (24),
 *   Type (8) = 0x01,
 *   Unused Flags (2),
 *   PRIORITY Flag (1),
 *   Unused Flag (1),
 *   PADDED Flag (1),
 *   END_HEADERS Flag (1),
 *   Unused Flag (1),
 *   END_STREAM Flag (1),
 *   Reserved (1),
 *   Stream Identifier (31),
 *   [Pad Length (8)],
 *   [Exclusive (1)],
 *   [Stream Dependency (31)],
 *   [Weight (8)],
 *   Field Block Fragment (..),
 *   Padding (..2040),
 * }
 * ```
 * @internal
 * @module
 */

import type { ByteWriter } from "../../shared/byte-writer.js";
import { Flags, FrameType } from "../constants.js";
import type { Http2Error } from "../errors.js";
import type { HeadersFrame } from "../frame.js";
import type { FrameHeader } from "../frame-header.js";
import {
  contentEnd,
  contentStart,
  type InitOf,
  onStream0Error,
  padLengthOf,
  readPriorityFields,
  selfDependencyError,
  setFlag,
  writePadding,
  writePriorityFields,
} from "./common.js";

/**
 * The one self-dependency check of HEADERS (RFC 9113 §5.3.1: "A stream cannot depend on itself. An endpoint
 * MUST treat this as a stream error of type PROTOCOL_ERROR"). `decodeFrame` throws the error; `FrameDecoder`
 * reports it after the field block is decoded, since the block must still reach HPACK (RFC 9113 §4.3).
 */
export function headersSelfDependency(frame: HeadersFrame, offset: number | undefined): Http2Error | undefined {
  const { priority, streamId } = frame;
  if (priority === undefined || priority.streamDependency !== streamId) return undefined;
  return selfDependencyError("HEADERS", "headers", streamId, offset);
}

/** Decodes a HEADERS frame; the self-dependency rule is {@link headersSelfDependency}'s. */
export function decodeHeadersFrame(h: FrameHeader, payload: Uint8Array, offset: number | undefined): HeadersFrame {
  const { flags, streamId } = h;
  // RFC 9113 §6.2: HEADERS on stream 0 MUST be treated as a connection error of type PROTOCOL_ERROR
  if (streamId === 0) throw onStream0Error("HEADERS", "headers", offset);
  const padded = (flags & Flags.PADDED) !== 0;
  const hasPriority = (flags & Flags.PRIORITY) !== 0;
  // The common case, neither padded nor prioritised: the fragment is the payload view itself.
  const plain = !padded && !hasPriority;
  const start = plain ? 0 : contentStart("HEADERS", "headers", payload, padded, hasPriority ? 5 : 0, offset);
  return {
    type: FrameType.HEADERS,
    streamId,
    flags,
    endStream: (flags & Flags.END_STREAM) !== 0,
    endHeaders: (flags & Flags.END_HEADERS) !== 0,
    padded,
    padLength: padded ? payload[0]! : undefined,
    priority: hasPriority ? readPriorityFields(payload, start - 5) : undefined,
    fragment: plain ? payload : payload.subarray(start, contentEnd(payload, padded)),
  };
}

export function encodeHeaders(frame: InitOf<typeof FrameType.HEADERS>, w: ByteWriter, flags: number): number {
  const pad = padLengthOf(frame.padded, frame.padLength);
  const p = frame.priority;
  if (pad !== undefined) w.u8(pad);
  if (p !== undefined) writePriorityFields(w, p.exclusive, p.streamDependency, p.weight);
  w.bytes(frame.fragment);
  writePadding(w, pad);
  flags = setFlag(flags, Flags.END_STREAM, frame.endStream);
  flags = setFlag(flags, Flags.END_HEADERS, frame.endHeaders);
  flags = setFlag(flags, Flags.PADDED, pad !== undefined);
  return setFlag(flags, Flags.PRIORITY, p !== undefined);
}
