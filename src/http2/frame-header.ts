/**
 * The 9-octet frame header (RFC 9113 §4.1).
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
import { readU32 } from "../shared/byte-reader.js";
import { FRAME_HEADER_LENGTH, MAX_STREAM_ID } from "./constants.js";

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

/**
 * Reads a frame header at `offset`, or returns `undefined` when fewer than 9
 * bytes are available ("need more" is a result, not an error). The reserved
 * bit is ignored (RFC 9113 §4.1: "MUST be ignored when receiving").
 *
 * @throws RangeError when `offset` is not a non-negative integer.
 * @example
 * ```ts
 * readFrameHeader(new Uint8Array([0, 0, 8, 6, 1, 0x80, 0, 0, 0]));
 * // { length: 8, type: 6, flags: 1, streamId: 0 }
 * ```
 */
export function readFrameHeader(bytes: Uint8Array, offset = 0): FrameHeader | undefined {
  if (!Number.isInteger(offset) || offset < 0) throw new RangeError(`offset must be a non-negative integer, got ${String(offset)}`);
  if (bytes.length - offset < FRAME_HEADER_LENGTH) return undefined;
  return {
    length: (bytes[offset]! << 16) | (bytes[offset + 1]! << 8) | bytes[offset + 2]!,
    type: bytes[offset + 3]!,
    flags: bytes[offset + 4]!,
    streamId: readU32(bytes, offset + 5) & 0x7fffffff,
  };
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
  checkUint("length", length, 0xffffff);
  checkUint("type", type, 0xff);
  checkUint("flags", flags, 0xff);
  checkUint("streamId", streamId, MAX_STREAM_ID);
  if (offset < 0 || bytes.length - offset < FRAME_HEADER_LENGTH) {
    throw new RangeError(`No room for a frame header at offset ${offset}`);
  }
  bytes[offset] = length >>> 16;
  bytes[offset + 1] = length >>> 8;
  bytes[offset + 2] = length;
  bytes[offset + 3] = type;
  bytes[offset + 4] = flags;
  bytes[offset + 5] = streamId >>> 24;
  bytes[offset + 6] = streamId >>> 16;
  bytes[offset + 7] = streamId >>> 8;
  bytes[offset + 8] = streamId;
}

/** @internal Throws RangeError unless `v` is an integer in 0..max. */
export function checkUint(name: string, v: number, max: number): void {
  if (!Number.isInteger(v) || v < 0 || v > max) {
    throw new RangeError(`${name} must be an integer in 0..${max}, got ${String(v)}`);
  }
}
