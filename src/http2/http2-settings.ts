/**
 * The `HTTP2-Settings` header field of an h2c upgrade request (RFC 7540
 * §3.2.1, kept for compatibility; RFC 9113 §3.1 deprecates the upgrade):
 * the payload of a SETTINGS frame in base64url without padding.
 * @module
 */

import { base64urlDecode as decode64url, base64urlEncode as encode64url } from "../shared/base64.js";
import { FrameType } from "./constants.js";
import { decodeFrame } from "./decode-frame.js";
import { encodeFrame } from "./encode-frame.js";
import { ErrorCode } from "./error-codes.js";
import { connectionError } from "./errors.js";
import type { Setting, SettingsFrame } from "./frame.js";

/**
 * base64url (RFC 4648 §5) without padding. Implemented in the library so it
 * runs anywhere (no `Buffer`, no `btoa`).
 *
 * @example
 * ```ts
 * base64urlEncode(new Uint8Array([0xfb, 0xff])); // "-_8"
 * ```
 */
export function base64urlEncode(bytes: Uint8Array): string {
  return encode64url(bytes);
}

/**
 * Decodes base64url; trailing `=` padding is tolerated. Returns `undefined`
 * for anything else that is not base64url (bad character, impossible length,
 * non-zero bits after the last octet). The result is a new array.
 *
 * @example
 * ```ts
 * base64urlDecode("-_8"); // Uint8Array [0xfb, 0xff]
 * base64urlDecode("-_8="); // Uint8Array [0xfb, 0xff]
 * base64urlDecode("a"); // undefined
 * ```
 */
export function base64urlDecode(text: string): Uint8Array | undefined {
  return decode64url(text);
}

/**
 * Builds the `HTTP2-Settings` header value for the given settings, in order.
 *
 * @throws RangeError when an identifier or value does not fit its field.
 * @example
 * ```ts
 * encodeHttp2Settings([{ id: 3, value: 100 }]); // "AAMAAABk"
 * ```
 */
export function encodeHttp2Settings(settings: readonly Setting[]): string {
  const frame = encodeFrame({ type: FrameType.SETTINGS, streamId: 0, settings });
  return base64urlEncode(frame.subarray(9));
}

/**
 * Parses an `HTTP2-Settings` header value, checking it as a SETTINGS frame
 * (RFC 7540 §3.2.1: the server decodes and interprets it as any other SETTINGS frame).
 *
 * @throws Http2Error connection PROTOCOL_ERROR `http2_settings_invalid_base64`;
 *   FRAME_SIZE_ERROR `settings_length_not_multiple_of_6`; the setting value
 *   errors of a SETTINGS frame.
 * @example
 * ```ts
 * decodeHttp2Settings("AAMAAABk"); // [{ id: 3, value: 100 }]
 * ```
 */
export function decodeHttp2Settings(value: string): Setting[] {
  const payload = base64urlDecode(value.trim());
  if (payload === undefined)
    throw connectionError(ErrorCode.PROTOCOL_ERROR, "http2_settings_invalid_base64", "Cannot decode HTTP2-Settings: not base64url");
  const frame = decodeFrame({ length: payload.length, type: FrameType.SETTINGS, flags: 0, streamId: 0 }, payload) as SettingsFrame;
  return [...frame.settings];
}
