/**
 * SHA-1, only for the WebSocket `Sec-WebSocket-Accept` value (RFC 6455
 * §4.2.2), from the audited `@noble/hashes` (never a hand-written hash). It
 * is synchronous so the handshake helpers stay synchronous (Web Crypto's
 * `crypto.subtle.digest` is async). Not for any security purpose: RFC 6455
 * uses it only to prove the server read the handshake.
 * @module
 */

import { sha1 as nobleSha1 } from "@noble/hashes/legacy.js";

/** The 20-byte SHA-1 digest of `data`. @internal */
export function sha1(data: Uint8Array): Uint8Array {
  return nobleSha1(data);
}
