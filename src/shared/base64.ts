/**
 * Base64 and base64url (RFC 4648 §4, §5) without `Buffer` or `btoa`, so the
 * library runs anywhere. Used by `HTTP2-Settings` (base64url, unpadded) and
 * the WebSocket handshake (base64, padded).
 * @module
 */

const STD = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

function reverse(alphabet: string): Int16Array {
  const t = new Int16Array(256).fill(-1);
  for (let i = 0; i < 64; i++) t[alphabet.charCodeAt(i)] = i;
  return t;
}
const STD_REV = reverse(STD);
const URL_REV = reverse(URL);

function encode(bytes: Uint8Array, alphabet: string, pad: boolean): string {
  let out = "";
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += alphabet[n >>> 18]! + alphabet[(n >>> 12) & 63]! + alphabet[(n >>> 6) & 63]! + alphabet[n & 63]!;
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i]! << 16;
    out += alphabet[n >>> 18]! + alphabet[(n >>> 12) & 63]! + (pad ? "==" : "");
  } else if (rest === 2) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    out += alphabet[n >>> 18]! + alphabet[(n >>> 12) & 63]! + alphabet[(n >>> 6) & 63]! + (pad ? "=" : "");
  }
  return out;
}

/** How a decoder treats `=` padding. */
type Padding = "required" | "forbidden" | "optional";

/**
 * Strict decoder. Unused trailing bits must be zero (RFC 4648 §3.5
 * canonical encoding), so each byte string has one encoding. Returns
 * `undefined` for anything that is not valid in the given alphabet and
 * padding mode.
 */
function decode(text: string, rev: Int16Array, padding: Padding): Uint8Array | undefined {
  let len = text.length;
  if (padding !== "forbidden") {
    while (len > 0 && text.length - len < 2 && text.charCodeAt(len - 1) === 0x3d) len--;
    if (padding === "required" && text.length % 4 !== 0) return undefined;
    if (padding === "optional" && len !== text.length && text.length % 4 !== 0) return undefined;
  }
  if (len % 4 === 1) return undefined;
  const out = new Uint8Array(Math.floor((len * 3) / 4));
  let acc = 0;
  let bits = 0;
  let o = 0;
  for (let i = 0; i < len; i++) {
    const c = text.charCodeAt(i);
    const v = c < 256 ? rev[c]! : -1;
    if (v < 0) return undefined;
    acc = ((acc << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >>> bits) & 0xff;
    }
  }
  if (bits > 0 && (acc & ((1 << bits) - 1)) !== 0) return undefined;
  return out;
}

/** Base64 with padding (RFC 4648 §4). */
export function base64Encode(bytes: Uint8Array): string {
  return encode(bytes, STD, true);
}

/** Decodes padded base64, or `undefined` if it is not canonical base64. */
export function base64Decode(text: string): Uint8Array | undefined {
  return decode(text, STD_REV, "required");
}

/** base64url without padding (RFC 4648 §5). */
export function base64urlEncode(bytes: Uint8Array): string {
  return encode(bytes, URL, false);
}

/**
 * Decodes base64url; `=` padding is tolerated when it makes the length a
 * multiple of 4. Returns `undefined` for anything else that is not base64url.
 */
export function base64urlDecode(text: string): Uint8Array | undefined {
  return decode(text, URL_REV, "optional");
}
