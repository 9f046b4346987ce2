/**
 * The 9-octet frame header (RFC 9113 §4.1): the one reader and the one
 * writer, used by {@link FrameDecoder}, the encoder and the capture path.
 *
 * ```
 * HTTP Frame {
 *   Length (24),
 *   Type (8),
 *   Flags (8),
 *   Reserved (1),
 *   Stream Identifier (31),
 *   Frame Payload (..),
 * }
 * ```
 * @module
 */
import { type NeedMore, needMore } from "../shared/result.js";
import { FRAME_HEADER_LENGTH, MAX_MAX_FRAME_SIZE, MAX_STREAM_ID } from "./constants.js";

/** A decoded frame header. */
export interface FrameHeader {
  /** Payload length, 0..2^24-1. */
  readonly length: number;
  /** Frame type octet (any value, known or not). */
  readonly type: number;
  /** Flags octet, unmasked. */
  readonly flags: number;
  /** Stream identifier with the reserved bit dropped. */
  readonly streamId: number;
}

/** What {@link readFrameHeader} returns when the 9 octets are there (it took exactly {@link FRAME_HEADER_LENGTH}). */
export interface FrameHeaderResult extends FrameHeader {
  readonly status: "ok";
}

/** @internal A header record the reader fills in place (no object per frame). */
export type MutableFrameHeader = { -readonly [K in keyof FrameHeader]: FrameHeader[K] };

/**
 * @internal Reads the 9 octets at `p` (the caller checked they are there)
 * into `h`. Small enough to be inlined in the decoder's loop.
 */
export function readFrameHeaderInto(b: Uint8Array, p: number, h: MutableFrameHeader): void {
  h.length = (b[p]! << 16) | (b[p + 1]! << 8) | b[p + 2]!;
  h.type = b[p + 3]!;
  h.flags = b[p + 4]!;
  // RFC 9113 §4.1: the reserved bit MUST be ignored when receiving
  h.streamId = ((b[p + 5]! & 0x7f) << 24) | (b[p + 6]! << 16) | (b[p + 7]! << 8) | b[p + 8]!;
}

/**
 * @internal Writes the 9 octets at `p` (the caller checked the values and
 * the room), reserved bit zero.
 */
export function writeFrameHeaderAt(b: Uint8Array, p: number, length: number, type: number, flags: number, streamId: number): void {
  b[p] = length >>> 16;
  b[p + 1] = length >>> 8;
  b[p + 2] = length;
  b[p + 3] = type;
  b[p + 4] = flags;
  b[p + 5] = streamId >>> 24;
  b[p + 6] = streamId >>> 16;
  b[p + 7] = streamId >>> 8;
  b[p + 8] = streamId;
}

/**
 * Reads the frame header at `offset`. When fewer than 9 bytes are there it
 * returns `{ status: "need-more", needed }` ("need more" is a result, not an
 * error). The reserved bit is ignored (RFC 9113 §4.1: "MUST be ignored when
 * receiving"). A header always takes {@link FRAME_HEADER_LENGTH} octets.
 *
 * @throws RangeError when `offset` is not a non-negative integer.
 * @example
 * ```ts
 * readFrameHeader(new Uint8Array([0, 0, 8, 6, 1, 0x80, 0, 0, 0]), 0);
 * // { status: "ok", length: 8, type: 6, flags: 1, streamId: 0 }
 * readFrameHeader(new Uint8Array([0, 0, 8]), 0);
 * // { status: "need-more", needed: 6 }
 * ```
 */
export function readFrameHeader(bytes: Uint8Array, offset = 0): FrameHeaderResult | NeedMore {
  if (!Number.isInteger(offset) || offset < 0) throw new RangeError(`offset must be a non-negative integer, got ${String(offset)}`);
  const have = bytes.length - offset;
  if (have < FRAME_HEADER_LENGTH) return needMore(FRAME_HEADER_LENGTH - have);
  const h = { status: "ok" as const, length: 0, type: 0, flags: 0, streamId: 0 };
  readFrameHeaderInto(bytes, offset, h);
  return h;
}

/**
 * Writes a frame header into `bytes` at `offset` (9 bytes), reserved bit zero.
 *
 * @throws RangeError when a field is out of range (length > 2^24-1, type or
 *   flags > 255, stream ID > 2^31-1) or there is no room.
 * @example
 * ```ts
 * const b = new Uint8Array(9);
 * writeFrameHeader(b, { length: 8, type: 6, flags: 0, streamId: 0 });
 * ```
 */
export function writeFrameHeader(bytes: Uint8Array, header: FrameHeader, offset = 0): void {
  const { length, type, flags, streamId } = header;
  checkUint("length", length, MAX_MAX_FRAME_SIZE);
  checkUint("type", type, 0xff);
  checkUint("flags", flags, 0xff);
  checkUint("streamId", streamId, MAX_STREAM_ID);
  if (offset < 0 || bytes.length - offset < FRAME_HEADER_LENGTH) {
    throw new RangeError(`No room for a frame header at offset ${offset}`);
  }
  writeFrameHeaderAt(bytes, offset, length, type, flags, streamId);
}

/** @internal Throws RangeError unless `v` is an integer in 0..max. */
export function checkUint(name: string, v: number, max: number): void {
  if (!Number.isInteger(v) || v < 0 || v > max) {
    throw new RangeError(`${name} must be an integer in 0..${max}, got ${String(v)}`);
  }
}
