/**
 * The `HTTP2-Settings` header field of an h2c upgrade request (RFC 7540
 * §3.2.1, kept for compatibility; RFC 9113 §3.1 deprecates the upgrade):
 * the payload of a SETTINGS frame in base64url without padding.
 * @module
 */
import { FrameType } from "./constants.js";
import { decodeFrame } from "./decode-frame.js";
import { ErrorCode } from "./error-codes.js";
import { connectionError } from "./errors.js";
import type { Setting, SettingsFrame } from "./frame.js";
import { encodeFrame } from "./encode-frame.js";

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const REVERSE = (() => {
  const r = new Int8Array(128).fill(-1);
  for (let i = 0; i < 64; i++) r[ALPHABET.charCodeAt(i)] = i;
  return r;
})();

/**
 * base64url (RFC 4648 §5) without padding. Implemented here so the library
 * runs anywhere (no `Buffer`, no `btoa`).
 *
 * @example
 * ```ts
 * base64urlEncode(new Uint8Array([0xfb, 0xff])); // "-_8"
 * ```
 */
export function base64urlEncode(bytes: Uint8Array): string {
  let out = "";
  let i = 0;
  for (; i + 3 <= bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += ALPHABET[n >>> 18]! + ALPHABET[(n >>> 12) & 63]! + ALPHABET[(n >>> 6) & 63]! + ALPHABET[n & 63]!;
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i]! << 16;
    out += ALPHABET[n >>> 18]! + ALPHABET[(n >>> 12) & 63]!;
  } else if (rest === 2) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    out += ALPHABET[n >>> 18]! + ALPHABET[(n >>> 12) & 63]! + ALPHABET[(n >>> 6) & 63]!;
  }
  return out;
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
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 0x3d) end--;
  if (text.length - end > 2 || end % 4 === 1) return undefined;
  const out = new Uint8Array(Math.floor((end * 3) / 4));
  let acc = 0;
  let bits = 0;
  let o = 0;
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i);
    const v = c < 128 ? REVERSE[c]! : -1;
    if (v < 0) return undefined;
    acc = ((acc << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >>> bits) & 0xff;
    }
  }
  if ((acc & ((1 << bits) - 1)) !== 0) return undefined;
  return out;
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
    connectionError(ErrorCode.PROTOCOL_ERROR, "http2_settings_invalid_base64", "Cannot decode HTTP2-Settings: not base64url");
  const frame = decodeFrame({ length: payload.length, type: FrameType.SETTINGS, flags: 0, streamId: 0 }, payload) as SettingsFrame;
  return [...frame.settings];
}
