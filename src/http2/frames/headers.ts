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
import { ErrorCode } from "../error-codes.js";
import { connectionError, streamError } from "../errors.js";
import type { HeadersFrame, PriorityFields } from "../frame.js";
import type { FrameHeader } from "../frame-header.js";
import {
  END_HEADERS,
  contentStart,
  END_STREAM,
  PADDED,
  PRIORITY,
  padLengthOf,
  readPriorityFields,
  setFlag,
  writePadding,
  writePriorityFields,
  type InitOf,
} from "./common.js";

/** `deferSelfDependency`: the FrameDecoder reports it after HPACK-decoding the block. */
export function decodeHeaders(h: FrameHeader, payload: Uint8Array, offset: number | undefined, deferSelfDependency: boolean): HeadersFrame {
  const { flags, streamId } = h;
  // RFC 9113 §6.2: HEADERS on stream 0 MUST be treated as a connection error of type PROTOCOL_ERROR
  if (streamId === 0) connectionError(ErrorCode.PROTOCOL_ERROR, "headers_stream_0", "Cannot decode HEADERS frame: stream identifier is 0", 0, offset);
  const padded = (flags & 0x08) /* PADDED */ !== 0;
  const hasPriority = (flags & 0x20) /* PRIORITY */ !== 0;
  // The common case, neither padded nor prioritised: the fragment is the payload view itself.
  if (!padded && !hasPriority)
    return {
      type: 0x01,
      streamId,
      flags,
      endStream: (flags & 0x01) /* END_STREAM */ !== 0,
      endHeaders: (flags & 0x04) /* END_HEADERS */ !== 0,
      padded,
      padLength: undefined,
      priority: undefined,
      fragment: payload,
    };
  const start = contentStart("HEADERS", "headers", payload, padded, hasPriority ? 5 : 0, streamId, offset);
  const padLength = padded ? payload[0]! : undefined;
  const end = payload.length - (padLength ?? 0);
  let priority: PriorityFields | undefined;
  if (hasPriority) {
    priority = readPriorityFields(payload, start - 5);
    // RFC 9113 §5.3.1: a stream cannot depend on itself; treat as a stream error of type PROTOCOL_ERROR
    if (priority.streamDependency === streamId && !deferSelfDependency)
      streamError(ErrorCode.PROTOCOL_ERROR, "headers_self_dependency", `Cannot decode HEADERS frame: stream ${streamId} depends on itself`, streamId, offset);
  }
  return {
    type: 0x01,
    streamId,
    flags,
    endStream: (flags & 0x01) /* END_STREAM */ !== 0,
    endHeaders: (flags & 0x04) /* END_HEADERS */ !== 0,
    padded,
    padLength,
    priority,
    fragment: payload.subarray(start, end),
  };
}

export function encodeHeaders(frame: InitOf<0x01>, w: ByteWriter, flags: number): number {
  const pad = padLengthOf(frame.padded, frame.padLength);
  const p = frame.priority;
  if (pad !== undefined) w.u8(pad);
  if (p !== undefined) writePriorityFields(w, p.exclusive, p.streamDependency, p.weight);
  w.bytes(frame.fragment);
  writePadding(w, pad);
  flags = setFlag(flags, END_STREAM, frame.endStream);
  flags = setFlag(flags, END_HEADERS, frame.endHeaders);
  flags = setFlag(flags, PADDED, pad !== undefined);
  return setFlag(flags, PRIORITY, p !== undefined);
}
