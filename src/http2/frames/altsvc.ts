/**
 * ALTSVC (RFC 7838 §4).
 *
 * ```
 * ALTSVC Frame {
 *   Length (24),
 *   Type (8) = 0x0a,
 *   Unused Flags (8),
 *   Reserved (1),
 *   Stream Identifier (31),
 *   Origin-Len (16),
 *   Origin (..),
 *   Alt-Svc-Field-Value (..),
 * }
 * ```
 *
 * RFC 7838 §4 never raises an error: invalid ALTSVC frames "MUST be
 * ignored". One whose Origin-Len runs past the payload cannot be parsed and
 * is returned as an unknown frame (which round-trips byte for byte).
 * @internal
 * @module
 */

import type { ByteWriter } from "../../shared/byte-writer.js";
import { latin1Decode } from "../../shared/latin1.js";
import { FrameType } from "../constants.js";
import type { AltsvcFrame, UnknownFrame } from "../frame.js";
import { checkUint, type FrameHeader } from "../frame-header.js";
import { checkLatin1, type InitOf, unknownFrame } from "./common.js";

export function decodeAltsvc(h: FrameHeader, payload: Uint8Array): AltsvcFrame | UnknownFrame {
  const { flags, streamId, length } = h;
  if (length < 2) return unknownFrame(h, payload);
  const originLength = (payload[0]! << 8) | payload[1]!;
  if (2 + originLength > length) return unknownFrame(h, payload);
  return {
    type: FrameType.ALTSVC,
    streamId,
    flags,
    origin: latin1Decode(payload, 2, 2 + originLength),
    fieldValue: latin1Decode(payload, 2 + originLength, length),
  };
}

export function encodeAltsvc(frame: InitOf<typeof FrameType.ALTSVC>, w: ByteWriter, flags: number): number {
  checkLatin1("origin", frame.origin);
  checkLatin1("fieldValue", frame.fieldValue);
  checkUint("origin length", frame.origin.length, 0xffff);
  w.u16(frame.origin.length);
  w.latin1(frame.origin);
  w.latin1(frame.fieldValue);
  return flags;
}
