/**
 * PRIORITY (RFC 9113 §6.3; the RFC 7540 scheme is deprecated but the frame
 * must still be parsed).
 *
 * ```
 * PRIORITY Frame {
 *   Length (24) = 0x05,
 *   Type (8) = 0x02,
 *   Unused Flags (8),
 *   Reserved (1),
 *   Stream Identifier (31),
 *   Exclusive (1),
 *   Stream Dependency (31),
 *   Weight (8),
 * }
 * ```
 * @internal
 * @module
 */

import type { ByteWriter } from "../../shared/byte-writer.js";
import { FrameType } from "../constants.js";
import type { PriorityFrame } from "../frame.js";
import type { FrameHeader } from "../frame-header.js";
import { type InitOf, lengthInvalidError, onStream0Error, readPriorityFields, selfDependencyError, writePriorityFields } from "./common.js";

export function decodePriority(h: FrameHeader, payload: Uint8Array, offset: number | undefined): PriorityFrame {
  const { flags, streamId, length } = h;
  // RFC 9113 §6.3: PRIORITY on stream 0 MUST be treated as a connection error of type PROTOCOL_ERROR
  if (streamId === 0) throw onStream0Error("PRIORITY", "priority", offset);
  // RFC 9113 §6.3: a length other than 5 octets MUST be treated as a *stream* error of type FRAME_SIZE_ERROR
  if (length !== 5) throw lengthInvalidError(h, "PRIORITY", "priority", 5, "stream", offset);
  const p = readPriorityFields(payload, 0);
  // RFC 9113 §5.3.1: a stream cannot depend on itself; treat as a stream error of type PROTOCOL_ERROR
  if (p.streamDependency === streamId) throw selfDependencyError("PRIORITY", "priority", streamId, offset);
  return { type: FrameType.PRIORITY, streamId, flags, ...p };
}

export function encodePriority(frame: InitOf<typeof FrameType.PRIORITY>, w: ByteWriter, flags: number): number {
  writePriorityFields(w, frame.exclusive ?? false, frame.streamDependency, frame.weight);
  return flags;
}
