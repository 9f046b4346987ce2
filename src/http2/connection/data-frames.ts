/**
 * Zero-copy DATA framing: frame headers plus views of the caller's payload.
 * @module
 */

import { DEFAULT_MAX_FRAME_SIZE, Flags, FRAME_HEADER_LENGTH, FrameType, MAX_MAX_FRAME_SIZE, MAX_STREAM_ID } from "../constants.js";
import { checkUint, writeFrameHeaderAt } from "../frame-header.js";

/**
 * Cuts `payload` into DATA frames of at most `maxFrameSize` octets without
 * copying it: the result alternates a new 9-octet frame header and a
 * `subarray` view of `payload` (`[header, view, header, view, ...]`), so
 * writing every piece in order (`socket.write` each, or `writev`) sends the
 * frames. END_STREAM is set on the last frame when `endStream` is true. An
 * empty payload gives one empty DATA frame (just its header), which is only
 * useful with `endStream`.
 *
 * Lifetime: the views share the caller's memory; do not change `payload`
 * until the pieces are written.
 *
 * @param maxFrameSize the peer's SETTINGS_MAX_FRAME_SIZE (default 16384).
 * @throws RangeError for a stream identifier of 0 or above 2^31-1, or a
 *   `maxFrameSize` outside 1..2^24-1.
 * @example
 * ```ts
 * const pieces = dataFrames(1, new Uint8Array(20_000), 16_384, true);
 * pieces.length;    // 4: header, 16384-octet view, header, 3616-octet view
 * pieces[2]![4];    // 1: END_STREAM on the second frame only
 * ```
 */
export function dataFrames(streamId: number, payload: Uint8Array, maxFrameSize = DEFAULT_MAX_FRAME_SIZE, endStream = false): Uint8Array[] {
  checkUint("streamId", streamId, MAX_STREAM_ID);
  if (streamId === 0) throw new RangeError("DATA frames cannot be sent on stream 0");
  checkUint("maxFrameSize", maxFrameSize, MAX_MAX_FRAME_SIZE);
  if (maxFrameSize === 0) throw new RangeError("maxFrameSize must be at least 1");
  const out: Uint8Array[] = [];
  writeDataFrames(out, streamId, payload, 0, payload.length, maxFrameSize, endStream);
  return out;
}

/**
 * Appends the DATA frames of `payload[start, end)` to `out` (headers and
 * views), END_STREAM on the last one when `endStream`. Unchecked. @internal
 */
export function writeDataFrames(
  out: Uint8Array[],
  streamId: number,
  payload: Uint8Array,
  start: number,
  end: number,
  maxFrameSize: number,
  endStream: boolean,
): void {
  let p = start;
  do {
    const n = Math.min(maxFrameSize, end - p);
    const last = p + n === end;
    const header = new Uint8Array(FRAME_HEADER_LENGTH);
    writeFrameHeaderAt(header, 0, n, FrameType.DATA, last && endStream ? Flags.END_STREAM : 0, streamId);
    out.push(header);
    if (n > 0) out.push(payload.subarray(p, p + n));
    p += n;
  } while (p < end);
}
