/**
 * ORIGIN (RFC 8336 §2).
 *
 * ```
 * ORIGIN Frame {
 *   Length (24),
 *   Type (8) = 0x0c,
 *   Unused Flags (8),
 *   Reserved (1),
 *   Stream Identifier (31) = 0,
 *   Origin-Entry (..) ...,
 * }
 *
 * Origin-Entry {
 *   Origin-Len (16),
 *   ASCII-Origin (..),
 * }
 * ```
 *
 * RFC 8336 §2 never raises an error: an ORIGIN frame on a non-zero stream
 * or with flags set "MUST be ignored" (by the endpoint; the codec still
 * returns it). Entries that run past the payload make the frame unparsable:
 * it is returned as an unknown frame.
 * @internal
 * @module
 */

import type { ByteWriter } from "../../shared/byte-writer.js";
import { latin1Decode } from "../../shared/latin1.js";
import { FrameType } from "../constants.js";
import type { OriginFrame, UnknownFrame } from "../frame.js";
import { checkUint, type FrameHeader } from "../frame-header.js";
import { checkLatin1, type InitOf, unknownFrame } from "./common.js";

export function decodeOrigin(h: FrameHeader, payload: Uint8Array): OriginFrame | UnknownFrame {
  const { flags, streamId, length } = h;
  const origins: string[] = [];
  let p = 0;
  while (p < length) {
    if (length - p < 2) return unknownFrame(h, payload);
    const n = (payload[p]! << 8) | payload[p + 1]!;
    if (p + 2 + n > length) return unknownFrame(h, payload);
    origins.push(latin1Decode(payload, p + 2, p + 2 + n));
    p += 2 + n;
  }
  return { type: FrameType.ORIGIN, streamId, flags, origins };
}

export function encodeOrigin(frame: InitOf<typeof FrameType.ORIGIN>, w: ByteWriter, flags: number): number {
  for (const o of frame.origins) {
    checkLatin1("origin", o);
    checkUint("origin length", o.length, 0xffff);
    w.u16(o.length);
    w.latin1(o);
  }
  return flags;
}
