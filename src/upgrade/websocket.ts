/**
 * The RFC 6455 §4 handshake values: `Sec-WebSocket-Key` and
 * `Sec-WebSocket-Accept`.
 * @module
 */
import { base64Decode, base64Encode } from "../shared/base64.js";
import { latin1Encode } from "../shared/latin1.js";
import { sha1 } from "./sha1.js";

/** The GUID RFC 6455 §1.3 appends to the key before hashing. */
export const WEBSOCKET_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

/** The only `Sec-WebSocket-Version` of RFC 6455 (§4.1). */
export const WEBSOCKET_VERSION = "13";

/**
 * Makes a `Sec-WebSocket-Key`: base64 of 16 random bytes (RFC 6455 §4.1).
 * Uses `crypto.getRandomValues` (Web Crypto: browsers, Node 20+, Deno, Bun)
 * unless `nonce` is given.
 *
 * @param nonce Exactly 16 bytes to use instead of random ones (for tests).
 * @throws TypeError if `nonce` is not 16 bytes, or no Web Crypto is available.
 * @example
 * ```ts
 * generateWebSocketKey(new TextEncoder().encode("the sample nonce")); // "dGhlIHNhbXBsZSBub25jZQ=="
 * ```
 */
export function generateWebSocketKey(nonce?: Uint8Array): string {
  if (nonce === undefined) {
    const c = (globalThis as { crypto?: { getRandomValues?: (a: Uint8Array) => Uint8Array } }).crypto;
    if (c?.getRandomValues === undefined) throw new TypeError("Cannot make a WebSocket key: crypto.getRandomValues is not available");
    nonce = c.getRandomValues(new Uint8Array(16));
  }
  if (nonce.length !== 16) throw new TypeError(`Cannot make a WebSocket key: the nonce is ${nonce.length} bytes, not 16`);
  return base64Encode(nonce);
}

/**
 * Whether `key` is a valid `Sec-WebSocket-Key`: base64 that decodes to
 * exactly 16 bytes (RFC 6455 §4.2.1 item 5).
 */
export function isValidWebSocketKey(key: string): boolean {
  return base64Decode(key)?.length === 16;
}

/**
 * Computes `Sec-WebSocket-Accept` for a key: base64(SHA-1(key + GUID))
 * (RFC 6455 §4.2.2 item 5.4). Synchronous; the SHA-1 is built in.
 *
 * @throws TypeError when `key` has a character that is not ASCII
 * @example
 * ```ts
 * computeWebSocketAccept("dGhlIHNhbXBsZSBub25jZQ=="); // "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="
 * ```
 */
export function computeWebSocketAccept(key: string): string {
  for (let i = 0; i < key.length; i++) {
    if (key.charCodeAt(i) > 0x7f) throw new TypeError(`Cannot compute Sec-WebSocket-Accept: key character at index ${i} is not ASCII`);
  }
  return base64Encode(sha1(latin1Encode(key + WEBSOCKET_GUID)));
}
