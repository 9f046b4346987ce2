/**
 * Temporary: the primitives QUIC packet protection needs, over @noble, until
 * src/capture/crypto.ts (tls-core) lands; then this file re-exports from it.
 * @internal
 */
import { ecb, gcm } from "@noble/ciphers/aes.js";
import { chacha20, chacha20poly1305 } from "@noble/ciphers/chacha.js";
import { expand, extract } from "@noble/hashes/hkdf.js";
import { sha256, sha384 } from "@noble/hashes/sha2.js";

export type HashName = "sha256" | "sha384";
export type AeadName = "aes-128-gcm" | "aes-256-gcm" | "chacha20-poly1305";

const HASH = { sha256, sha384 } as const;

export function hashLength(hash: HashName): number {
  return hash === "sha256" ? 32 : 48;
}

export function hkdfExtract(hash: HashName, salt: Uint8Array, ikm: Uint8Array): Uint8Array {
  return extract(HASH[hash], ikm, salt);
}

/** HKDF-Expand-Label (RFC 8446 §7.1) with the "tls13 " prefix. */
export function hkdfExpandLabel(hash: HashName, secret: Uint8Array, label: string, context: Uint8Array, length: number): Uint8Array {
  const full = `tls13 ${label}`;
  const info = new Uint8Array(2 + 1 + full.length + 1 + context.length);
  info[0] = length >> 8;
  info[1] = length & 0xff;
  info[2] = full.length;
  for (let i = 0; i < full.length; i++) info[3 + i] = full.charCodeAt(i);
  info[3 + full.length] = context.length;
  info.set(context, 4 + full.length);
  return expand(HASH[hash], secret, info, length);
}

export function aeadOpen(aead: AeadName, key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, ciphertext: Uint8Array): Uint8Array | null {
  try {
    const c = aead === "chacha20-poly1305" ? chacha20poly1305(key, nonce, aad) : gcm(key, nonce, aad);
    return c.decrypt(ciphertext);
  } catch {
    return null;
  }
}

export function aeadSeal(aead: AeadName, key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, plaintext: Uint8Array): Uint8Array {
  const c = aead === "chacha20-poly1305" ? chacha20poly1305(key, nonce, aad) : gcm(key, nonce, aad);
  return c.encrypt(plaintext);
}

export function aesEcbBlock(key: Uint8Array, block: Uint8Array): Uint8Array {
  return ecb(key, { disablePadding: true }).encrypt(block);
}

export function chacha20Keystream(key: Uint8Array, counter: number, nonce: Uint8Array, length: number): Uint8Array {
  return chacha20(key, nonce, new Uint8Array(length), undefined, counter);
}
