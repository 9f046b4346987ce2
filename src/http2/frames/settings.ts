/**
 * SETTINGS (RFC 9113 §6.5).
 *
 * ```
 * SETTINGS Frame {
 *   Length (24),
 *   Type (8) = 0x04,
 *   Unused Flags (7),
 *   ACK Flag (1),
 *   Reserved (1),
 *   Stream Identifier (31) = 0,
 *   Setting (48) ...,
 * }
 *
 * Setting {
 *   Identifier (16),
 *   Value (32),
 * }
 * ```
 * @internal
 * @module
 */

import { readU32 } from "../../shared/byte-reader.js";
import type { ByteWriter } from "../../shared/byte-writer.js";
import { Flags, FRAME_HEADER_LENGTH, FrameType } from "../constants.js";
import { ErrorCode } from "../error-codes.js";
import { connectionError } from "../errors.js";
import type { Setting, SettingsFrame } from "../frame.js";
import { checkUint, type FrameHeader } from "../frame-header.js";
import { validateSetting } from "../settings.js";
import { type InitOf, notOnStream0Error, setFlag } from "./common.js";

export function decodeSettings(h: FrameHeader, payload: Uint8Array, offset: number | undefined): SettingsFrame {
  const { flags, streamId, length } = h;
  // RFC 9113 §6.5: a stream identifier other than 0 MUST be treated as a connection error of type PROTOCOL_ERROR
  if (streamId !== 0) throw notOnStream0Error("SETTINGS", "settings", streamId, offset);
  const ack = (flags & Flags.ACK) !== 0;
  // RFC 9113 §6.5: ACK with a non-empty payload MUST be treated as a connection error of type FRAME_SIZE_ERROR
  if (ack && length !== 0)
    throw connectionError(
      ErrorCode.FRAME_SIZE_ERROR,
      "settings_ack_with_payload",
      `Cannot decode SETTINGS frame: ACK with payload length ${length}`,
      offset,
    );
  // RFC 9113 §6.5: a length not a multiple of 6 octets MUST be treated as a connection error of type FRAME_SIZE_ERROR
  if (length % 6 !== 0)
    throw connectionError(
      ErrorCode.FRAME_SIZE_ERROR,
      "settings_length_not_multiple_of_6",
      `Cannot decode SETTINGS frame: payload length ${length} is not a multiple of 6`,
      offset,
    );
  const settings: Setting[] = [];
  for (let p = 0; p < length; p += 6) {
    const s = { id: (payload[p]! << 8) | payload[p + 1]!, value: readU32(payload, p + 2) };
    validateSetting(s, offset === undefined ? undefined : offset + FRAME_HEADER_LENGTH + p);
    settings.push(s);
  }
  return { type: FrameType.SETTINGS, streamId, flags, ack, settings };
}

const NO_SETTINGS: readonly Setting[] = [];

/** Writes the settings in the given order, repeats and unknown identifiers included, values unchecked. */
export function encodeSettings(frame: InitOf<typeof FrameType.SETTINGS>, w: ByteWriter, flags: number): number {
  // An ACK carries no settings (RFC 9113 §6.5): `settings` may be left out.
  for (const s of frame.settings ?? NO_SETTINGS) {
    checkUint("setting id", s.id, 0xffff);
    checkUint("setting value", s.value, 0xffffffff);
    w.u16(s.id);
    w.u32(s.value);
  }
  return setFlag(flags, Flags.ACK, frame.ack);
}
