/**
 * Splitting a field block into HEADERS or PUSH_PROMISE plus CONTINUATION
 * frames (RFC 9113 §4.3, §6.10).
 * @module
 */
import { DEFAULT_MAX_FRAME_SIZE, Flags, FrameType, MAX_MAX_FRAME_SIZE } from "./constants.js";
import type { ContinuationFrame, HeadersFrame, PriorityFields, PushPromiseFrame } from "./frame.js";
import { checkUint } from "./frame-header.js";

/** Options of {@link fieldBlockFrames}. */
export interface FieldBlockFramesOptions {
  /** The stream of every frame (the HEADERS or PUSH_PROMISE and its CONTINUATIONs). */
  readonly streamId: number;
  /** The encoded field block (e.g. `HpackEncoder.encode(fields)`). */
  readonly block: Uint8Array;
  /** END_STREAM on the HEADERS frame. */
  readonly endStream?: boolean;
  /** When given, the first frame is a PUSH_PROMISE for this stream. */
  readonly promisedStreamId?: number;
  /** Pad Length of the first frame. */
  readonly padLength?: number;
  /** Priority fields of a HEADERS first frame. */
  readonly priority?: PriorityFields;
  /** The peer's SETTINGS_MAX_FRAME_SIZE, bounding each frame's payload. Default 16384. */
  readonly maxFrameSize?: number;
  /**
   * Explicit fragment sizes: the first frame carries `splits[0]` octets of the
   * block, each CONTINUATION the next size, a last CONTINUATION the rest.
   * When absent, frames are filled up to `maxFrameSize`.
   */
  readonly splits?: readonly number[];
}

/**
 * Builds the HEADERS (or PUSH_PROMISE) and CONTINUATION frames that carry
 * one field block, END_HEADERS on the last. Fragments are views of `block`.
 *
 * @throws RangeError when `maxFrameSize` is not an integer in 1..2^24-1,
 *   `padLength` not in 0..255, a split is negative or runs past the block,
 *   or a frame would exceed `maxFrameSize`.
 * @example
 * ```ts
 * const block = Uint8Array.of(0x82, 0x86, 0x84); // :method GET, :scheme http, :path /
 * const frames = fieldBlockFrames({ streamId: 1, block, endStream: true, maxFrameSize: 2 });
 * frames.map((f) => f.type); // => [FrameType.HEADERS, FrameType.CONTINUATION]
 * const bytes = frames.map(encodeFrame);
 * bytes[1]; // => Uint8Array.of(0, 0, 1, 0x09, 0x04, 0, 0, 0, 1, 0x84)
 * ```
 */
export function fieldBlockFrames(options: FieldBlockFramesOptions): (HeadersFrame | PushPromiseFrame | ContinuationFrame)[] {
  const { streamId, block, promisedStreamId, padLength, priority } = options;
  const max = options.maxFrameSize ?? DEFAULT_MAX_FRAME_SIZE;
  // A size of 0 would never fill the block (an endless loop); smaller than 16384 is allowed for tests.
  checkUint("maxFrameSize", max, MAX_MAX_FRAME_SIZE);
  if (max === 0) throw new RangeError("maxFrameSize must be at least 1");
  if (padLength !== undefined) checkUint("padLength", padLength, 0xff);
  const isPush = promisedStreamId !== undefined;
  const overhead = (padLength !== undefined ? 1 + padLength : 0) + (isPush ? 4 : priority !== undefined ? 5 : 0);
  const sizes: number[] = [];
  if (options.splits !== undefined) {
    let used = 0;
    for (const n of options.splits) {
      if (!Number.isInteger(n) || n < 0 || used + n > block.length)
        throw new RangeError(`Invalid split ${String(n)} for a block of ${block.length} octets`);
      sizes.push(n);
      used += n;
    }
    if (used < block.length || sizes.length === 0) sizes.push(block.length - used);
  } else {
    const first = Math.min(block.length, max - overhead);
    if (first < 0) throw new RangeError(`maxFrameSize ${max} leaves no room for the field block`);
    sizes.push(first);
    for (let used = first; used < block.length; used += max) sizes.push(Math.min(max, block.length - used));
  }
  const frames: (HeadersFrame | PushPromiseFrame | ContinuationFrame)[] = [];
  let p = 0;
  sizes.forEach((n, i) => {
    const fragment = block.subarray(p, p + n);
    p += n;
    const last = i === sizes.length - 1;
    if (n + (i === 0 ? overhead : 0) > max) throw new RangeError(`Fragment ${i} of ${n} octets exceeds maxFrameSize ${max}`);
    const endHeaders = last;
    if (i > 0) {
      frames.push({
        type: FrameType.CONTINUATION,
        streamId,
        flags: endHeaders ? Flags.END_HEADERS : 0,
        endHeaders,
        fragment,
      });
    } else if (isPush) {
      frames.push({
        type: FrameType.PUSH_PROMISE,
        streamId,
        flags: (endHeaders ? Flags.END_HEADERS : 0) | (padLength !== undefined ? Flags.PADDED : 0),
        endHeaders,
        padded: padLength !== undefined,
        padLength,
        promisedStreamId,
        fragment,
      });
    } else {
      const endStream = options.endStream === true;
      frames.push({
        type: FrameType.HEADERS,
        streamId,
        flags:
          (endStream ? Flags.END_STREAM : 0) |
          (endHeaders ? Flags.END_HEADERS : 0) |
          (padLength !== undefined ? Flags.PADDED : 0) |
          (priority !== undefined ? Flags.PRIORITY : 0),
        endStream,
        endHeaders,
        padded: padLength !== undefined,
        padLength,
        priority,
        fragment,
      });
    }
  });
  return frames;
}
