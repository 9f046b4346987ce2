/**
 * PUSH_PROMISE (RFC 9113 §6.6).
 *
 * ```
 * PUSH_PROMISE Frame {
 *   Length (24),
 *   Type (8) = 0x05,
 *   Unused Flags (4),
 *   PADDED Flag (1),
 *   END_HEADERS Flag (1),
 *   Unused Flags (2),
 *   Reserved (1),
 *   Stream Identifier (31),
 *   [Pad Length (8)],
 *   Reserved (1),
 *   Promised Stream ID (31),
 *   Field Block Fragment (..),
 *   Padding (..2040),
 * }
 * ```
 * @internal
 * @module
 */
import { readU32 } from "../../shared/byte-reader.js";
import type { ByteWriter } from "../../shared/byte-writer.js";
import { Flags, FrameType, MAX_STREAM_ID } from "../constants.js";
import { ErrorCode } from "../error-codes.js";
import { connectionError } from "../errors.js";
import type { PushPromiseFrame } from "../frame.js";
import { checkUint, type FrameHeader } from "../frame-header.js";
import { contentEnd, contentStart, type InitOf, onStream0Error, padLengthOf, setFlag, writePadding } from "./common.js";

export function decodePushPromise(h: FrameHeader, payload: Uint8Array, offset: number | undefined): PushPromiseFrame {
  const { flags, streamId } = h;
  // RFC 9113 §6.6: PUSH_PROMISE on stream 0 MUST be treated as a connection error of type PROTOCOL_ERROR
  if (streamId === 0) throw onStream0Error("PUSH_PROMISE", "push_promise", offset);
  const padded = (flags & Flags.PADDED) !== 0;
  const start = contentStart("PUSH_PROMISE", "push_promise", payload, padded, 4, offset);
  const promisedStreamId = readU32(payload, start - 4) & 0x7fffffff;
  // RFC 9113 §5.1.1: streams initiated by a server use even-numbered identifiers; an unexpected
  // identifier MUST be treated as a connection error of type PROTOCOL_ERROR
  if (promisedStreamId === 0 || promisedStreamId % 2 === 1)
    throw connectionError(
      ErrorCode.PROTOCOL_ERROR,
      "push_promise_invalid_promised_stream_id",
      `Cannot decode PUSH_PROMISE frame: promised stream identifier ${promisedStreamId} is not a non-zero even number`,
      offset,
    );
  return {
    type: FrameType.PUSH_PROMISE,
    streamId,
    flags,
    endHeaders: (flags & Flags.END_HEADERS) !== 0,
    padded,
    padLength: padded ? payload[0]! : undefined,
    promisedStreamId,
    fragment: payload.subarray(start, contentEnd(payload, padded)),
  };
}

export function encodePushPromise(frame: InitOf<typeof FrameType.PUSH_PROMISE>, w: ByteWriter, flags: number): number {
  const pad = padLengthOf(frame.padded, frame.padLength);
  checkUint("promisedStreamId", frame.promisedStreamId, MAX_STREAM_ID);
  if (pad !== undefined) w.u8(pad);
  w.u32(frame.promisedStreamId);
  w.bytes(frame.fragment);
  writePadding(w, pad);
  return setFlag(setFlag(flags, Flags.END_HEADERS, frame.endHeaders), Flags.PADDED, pad !== undefined);
}
