/**
 * Base64 (RFC 4648 §4) without Node's `Buffer`, for the WebSocket key and
 * accept values (the base64url of `HTTP2-Settings` is `httpwire/http2`'s).
 * @module
 */

const STD = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

function reverse(alphabet: string): Int16Array {
  const t = new Int16Array(256).fill(-1);
  for (let i = 0; i < 64; i++) t[alphabet.charCodeAt(i)] = i;
  return t;
}
const STD_REV = reverse(STD);

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

/** Base64 with padding (RFC 4648 §4). @internal */
export function base64Encode(bytes: Uint8Array): string {
  return encode(bytes, STD, true);
}

/**
 * Strict decoder: `padded` requires the `=` padding of §4 (length a
 * multiple of 4), otherwise padding is forbidden. Unused trailing bits must
 * be zero (RFC 4648 §3.5 canonical encoding), so each byte string has one
 * encoding. Returns `undefined` for anything else.
 */
function decode(text: string, rev: Int16Array, padded: boolean): Uint8Array | undefined {
  let len = text.length;
  if (padded) {
    if (len % 4 !== 0) return undefined;
    if (len > 0 && text.charCodeAt(len - 1) === 0x3d) len--;
    if (len > 0 && text.charCodeAt(len - 1) === 0x3d) len--;
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

/** Decodes padded base64, or `undefined` if it is not canonical base64. @internal */
export function base64Decode(text: string): Uint8Array | undefined {
  return decode(text, STD_REV, true);
}
