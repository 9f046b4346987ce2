/**
 * The one door to cryptography in httpwire: a thin, synchronous wrapper over
 * the audited `@noble/ciphers` and `@noble/hashes` (never hand-written
 * crypto). It holds what decrypting TLS 1.2, TLS 1.3 and QUIC captures needs:
 * SHA-256/384, HMAC, HKDF (RFC 5869) and HKDF-Expand-Label (RFC 8446 §7.1),
 * the TLS 1.2 PRF (RFC 5246 §5), AEAD open/seal for the three AEADs TLS
 * and QUIC use, one-block AES-ECB and the ChaCha20 keystream (QUIC header
 * protection, RFC 9001 §5.4), and the table of cipher suites.
 *
 * Synchronous on purpose: the capture decoder's `push()` is synchronous, and
 * WebCrypto is asynchronous and has no ChaCha20-Poly1305 (docs/capture.md,
 * "Decryption", has the measurements behind the choice).
 *
 * @module
 * @internal
 */

import { ecb, gcm } from "@noble/ciphers/aes.js";
import { chacha20, chacha20poly1305, __TESTS as chachaInternals } from "@noble/ciphers/chacha.js";
import { expand as nobleExpand, extract as nobleExtract } from "@noble/hashes/hkdf.js";
import { hmac as nobleHmac } from "@noble/hashes/hmac.js";
import { sha256, sha384 } from "@noble/hashes/sha2.js";
import { concatBytes } from "../shared/bytes.js";

/** A hash function TLS and QUIC use. */
export type HashName = "sha256" | "sha384";

/** An AEAD algorithm TLS and QUIC use. */
export type AeadName = "aes-128-gcm" | "aes-256-gcm" | "chacha20-poly1305";

const HASHES = { sha256, sha384 } as const;

/** The length in bytes of `hash`'s output (32 or 48). */
export function hashLength(hash: HashName): number {
  return hash === "sha256" ? 32 : 48;
}

/** The digest of `data`. */
export function digest(hash: HashName, data: Uint8Array): Uint8Array {
  return HASHES[hash](data);
}

/** HMAC (RFC 2104) of `data` under `key`. */
export function hmac(hash: HashName, key: Uint8Array, data: Uint8Array): Uint8Array {
  return nobleHmac(HASHES[hash], key, data);
}

/** HKDF-Extract (RFC 5869 §2.2). An empty salt means a string of zeros, as the RFC says. */
export function hkdfExtract(hash: HashName, salt: Uint8Array, ikm: Uint8Array): Uint8Array {
  return nobleExtract(HASHES[hash], ikm, salt);
}

/** HKDF-Expand (RFC 5869 §2.3): `length` bytes of output keying material. */
export function hkdfExpand(hash: HashName, prk: Uint8Array, info: Uint8Array, length: number): Uint8Array {
  return nobleExpand(HASHES[hash], prk, info, length);
}

const encoder = new TextEncoder();

/** The prefix RFC 8446 §7.1 puts before every label (QUIC v1 and v2 use it too). */
export const TLS13_LABEL_PREFIX = "tls13 ";

/**
 * HKDF-Expand-Label (RFC 8446 §7.1): HKDF-Expand with the `HkdfLabel`
 * structure `{ uint16 length; opaque label<7..255> = prefix + label; opaque
 * context<0..255> }` as `info`. QUIC uses it with its own labels ("quic key",
 * "quicv2 key", ...) and the same prefix.
 *
 * @example
 * ```ts
 * const fromHex = (hex: string) => Uint8Array.from(hex.match(/../g) ?? [], (b) => Number.parseInt(b, 16));
 * // RFC 9001 §A.1: the client's Initial key from its Initial secret.
 * const clientInitialSecret = fromHex("c00cf151ca5be075ed0ebfb5c80323c42d6b7db67881289af4008f1f6c357aea");
 * const key = hkdfExpandLabel("sha256", clientInitialSecret, "quic key", new Uint8Array(0), 16);
 * key; // => fromHex("1f369613dd76d5467730efcbe3b1a22d")
 * ```
 */
export function hkdfExpandLabel(
  hash: HashName,
  secret: Uint8Array,
  label: string,
  context: Uint8Array,
  length: number,
  prefix: string = TLS13_LABEL_PREFIX,
): Uint8Array {
  const fullLabel = encoder.encode(prefix + label);
  if (fullLabel.length > 255 || context.length > 255 || length > 0xffff) {
    throw new RangeError(`HKDF-Expand-Label: label (${fullLabel.length}), context (${context.length}) or length (${length}) too long`);
  }
  const info = new Uint8Array(2 + 1 + fullLabel.length + 1 + context.length);
  info[0] = length >>> 8;
  info[1] = length & 0xff;
  info[2] = fullLabel.length;
  info.set(fullLabel, 3);
  info[3 + fullLabel.length] = context.length;
  info.set(context, 4 + fullLabel.length);
  return hkdfExpand(hash, secret, info, length);
}

/**
 * Derive-Secret's cousin for traffic keys (RFC 8446 §7.3): the `key` and `iv`
 * of a traffic secret for an AEAD of `keyLength` bytes.
 */
export function trafficKeys(hash: HashName, secret: Uint8Array, keyLength: number, ivLength = 12): { key: Uint8Array; iv: Uint8Array } {
  const empty = new Uint8Array(0);
  return {
    key: hkdfExpandLabel(hash, secret, "key", empty, keyLength),
    iv: hkdfExpandLabel(hash, secret, "iv", empty, ivLength),
  };
}

/**
 * The TLS 1.2 pseudo-random function (RFC 5246 §5): `P_hash(secret, label +
 * seed)` truncated to `length` bytes, with SHA-256 or (for the suites that
 * name it) SHA-384.
 */
export function tls12Prf(hash: HashName, secret: Uint8Array, label: string, seed: Uint8Array, length: number): Uint8Array {
  const labelSeed = concatBytes([encoder.encode(label), seed]);
  const out = new Uint8Array(length);
  // A(0) = seed; A(i) = HMAC(secret, A(i-1)); output = HMAC(secret, A(i) + seed) ...
  let a = labelSeed;
  let p = 0;
  while (p < length) {
    a = hmac(hash, secret, a);
    const block = hmac(hash, secret, concatBytes([a, labelSeed]));
    const n = Math.min(block.length, length - p);
    out.set(block.subarray(0, n), p);
    p += n;
  }
  return out;
}

/** The key length in bytes of an AEAD. */
export function aeadKeyLength(aead: AeadName): number {
  return aead === "aes-128-gcm" ? 16 : 32;
}

/** The length of the authentication tag every TLS/QUIC AEAD appends. */
export const AEAD_TAG_LENGTH = 16;

function checkAead(aead: AeadName, key: Uint8Array, nonce: Uint8Array): void {
  if (key.length !== aeadKeyLength(aead)) throw new RangeError(`${aead} needs a ${aeadKeyLength(aead)}-byte key, got ${key.length}`);
  if (nonce.length !== 12) throw new RangeError(`${aead} needs a 12-byte nonce, got ${nonce.length}`);
}

/**
 * Decrypts and authenticates `sealed` (ciphertext followed by the 16-byte
 * tag) with a 12-byte nonce and the additional data `aad`. Returns the
 * plaintext, or `null` when authentication fails (wrong key, damaged bytes,
 * too short). Never throws for bad input; a key or nonce of the wrong length
 * is a caller's mistake (`RangeError`).
 */
export function aeadOpen(aead: AeadName, key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, sealed: Uint8Array): Uint8Array | null {
  checkAead(aead, key, nonce);
  if (sealed.length < AEAD_TAG_LENGTH) return null;
  try {
    return aead === "chacha20-poly1305" ? chacha20poly1305(key, nonce, aad).decrypt(sealed) : gcm(key, nonce, aad).decrypt(sealed);
  } catch {
    return null;
  }
}

/** Encrypts `plaintext` and appends the 16-byte tag (for tests and QUIC's Retry integrity tag). */
export function aeadSeal(aead: AeadName, key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, plaintext: Uint8Array): Uint8Array {
  checkAead(aead, key, nonce);
  return aead === "chacha20-poly1305" ? chacha20poly1305(key, nonce, aad).encrypt(plaintext) : gcm(key, nonce, aad).encrypt(plaintext);
}

/** AES-ECB encryption of exactly one 16-byte block (QUIC header protection, RFC 9001 §5.4.3). */
export function aesEncryptBlock(key: Uint8Array, block: Uint8Array): Uint8Array {
  if (key.length !== 16 && key.length !== 32) throw new RangeError(`AES needs a 16- or 32-byte key, got ${key.length}`);
  if (block.length !== 16) throw new RangeError(`AES encrypts 16-byte blocks, got ${block.length}`);
  return ecb(key, { disablePadding: true }).encrypt(block);
}

/**
 * `length` bytes of the ChaCha20 keystream (RFC 8439 §2.4) for a 32-byte
 * key, a 32-bit block counter and a 96-bit nonce: QUIC's ChaCha20 header
 * protection mask (RFC 9001 §5.4.4) is the first 5 bytes with the counter
 * and nonce taken from the sample. Every counter works, including
 * 0xffffffff (which noble's stream API refuses because the *next* block
 * would wrap; one block is all this needs, so that counter goes through
 * noble's block function directly).
 */
export function chacha20Keystream(key: Uint8Array, counter: number, nonce: Uint8Array, length: number): Uint8Array {
  if (key.length !== 32) throw new RangeError(`ChaCha20 needs a 32-byte key, got ${key.length}`);
  if (nonce.length !== 12) throw new RangeError(`ChaCha20 needs a 12-byte nonce, got ${nonce.length}`);
  if (!Number.isInteger(counter) || counter < 0 || counter > 0xffffffff)
    throw new RangeError(`ChaCha20 counter ${counter} is not a 32-bit unsigned integer`);
  if (length > 64) throw new RangeError("chacha20Keystream gives at most one 64-byte block");
  if (counter < 0xffffffff) return chacha20(key, nonce, new Uint8Array(length), undefined, counter);
  return chacha20Block(key, counter, nonce).subarray(0, length);
}

/** "expand 32-byte k" as four little-endian words (RFC 8439 §2.3). */
const SIGMA = new Uint32Array([0x61707865, 0x3320646e, 0x79622d32, 0x6b206574]);

function littleEndianWords(bytes: Uint8Array): Uint32Array {
  const words = new Uint32Array(bytes.length >>> 2);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < words.length; i++) words[i] = view.getUint32(4 * i, true);
  return words;
}

/**
 * One 64-byte ChaCha20 block through noble's block function (for the one
 * counter its stream API refuses). Exported for the test that compares it
 * with the stream API.
 * @internal
 */
export function chacha20Block(key: Uint8Array, counter: number, nonce: Uint8Array): Uint8Array {
  const out = new Uint32Array(16);
  chachaInternals.chachaCore(SIGMA, littleEndianWords(key), littleEndianWords(nonce), out, counter | 0, 20);
  const bytes = new Uint8Array(64);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < 16; i++) view.setUint32(4 * i, out[i]!, true);
  return bytes;
}

/** XORs `iv` with the 64-bit sequence number right-aligned (RFC 8446 §5.3, RFC 7905 §2, RFC 9001 §5.3). */
export function xorNonce(iv: Uint8Array, sequence: number | bigint): Uint8Array {
  const nonce = iv.slice();
  let s = BigInt(sequence);
  for (let i = nonce.length - 1; i >= nonce.length - 8 && s > 0n; i--) {
    nonce[i] = nonce[i]! ^ Number(s & 0xffn);
    s >>= 8n;
  }
  return nonce;
}

// ---------------------------------------------------------------------------
// Cipher suites

/** A TLS cipher suite that httpwire can decrypt (an AEAD suite). */
export interface CipherSuite {
  /** The IANA code point. */
  readonly id: number;
  /** The IANA name, e.g. `"TLS_AES_128_GCM_SHA256"`. */
  readonly name: string;
  /** The TLS version it belongs to. */
  readonly version: "TLS 1.2" | "TLS 1.3";
  /** The hash of the key schedule / PRF. */
  readonly hash: HashName;
  /** The AEAD. */
  readonly aead: AeadName;
  /** AEAD key length in bytes. */
  readonly keyLength: number;
  /**
   * IV length in bytes taken from the key schedule: 12 for TLS 1.3 and for
   * ChaCha20-Poly1305 in TLS 1.2 (RFC 7905), 4 (the implicit salt) for
   * AES-GCM in TLS 1.2 (RFC 5288), whose records carry the other 8 bytes.
   */
  readonly ivLength: number;
  /** Whether each record carries an 8-byte explicit nonce (TLS 1.2 AES-GCM). */
  readonly explicitNonce: boolean;
}

function suite(id: number, name: string, version: CipherSuite["version"], hash: HashName, aead: AeadName): CipherSuite {
  const gcm12 = version === "TLS 1.2" && aead !== "chacha20-poly1305";
  return {
    id,
    name,
    version,
    hash,
    aead,
    keyLength: aeadKeyLength(aead),
    ivLength: gcm12 ? 4 : 12,
    explicitNonce: gcm12,
  };
}

const SUITE_LIST: readonly CipherSuite[] = [
  // TLS 1.3 (RFC 8446 §B.4)
  suite(0x1301, "TLS_AES_128_GCM_SHA256", "TLS 1.3", "sha256", "aes-128-gcm"),
  suite(0x1302, "TLS_AES_256_GCM_SHA384", "TLS 1.3", "sha384", "aes-256-gcm"),
  suite(0x1303, "TLS_CHACHA20_POLY1305_SHA256", "TLS 1.3", "sha256", "chacha20-poly1305"),
  // TLS 1.2 AES-GCM (RFC 5288, RFC 5289)
  suite(0x009c, "TLS_RSA_WITH_AES_128_GCM_SHA256", "TLS 1.2", "sha256", "aes-128-gcm"),
  suite(0x009d, "TLS_RSA_WITH_AES_256_GCM_SHA384", "TLS 1.2", "sha384", "aes-256-gcm"),
  suite(0x009e, "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256", "TLS 1.2", "sha256", "aes-128-gcm"),
  suite(0x009f, "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384", "TLS 1.2", "sha384", "aes-256-gcm"),
  suite(0xc02b, "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS 1.2", "sha256", "aes-128-gcm"),
  suite(0xc02c, "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS 1.2", "sha384", "aes-256-gcm"),
  suite(0xc02f, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS 1.2", "sha256", "aes-128-gcm"),
  suite(0xc030, "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS 1.2", "sha384", "aes-256-gcm"),
  // TLS 1.2 ChaCha20-Poly1305 (RFC 7905)
  suite(0xcca8, "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", "TLS 1.2", "sha256", "chacha20-poly1305"),
  suite(0xcca9, "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS 1.2", "sha256", "chacha20-poly1305"),
  suite(0xccaa, "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256", "TLS 1.2", "sha256", "chacha20-poly1305"),
];

/** The suites httpwire decrypts, by code point. */
export const CIPHER_SUITES: ReadonlyMap<number, CipherSuite> = new Map(SUITE_LIST.map((s) => [s.id, s]));

/** Common suites httpwire cannot decrypt (CBC, RC4, ...), named so the output can say which one it met. */
const OTHER_SUITE_NAMES: ReadonlyMap<number, string> = new Map([
  [0x0004, "TLS_RSA_WITH_RC4_128_MD5"],
  [0x0005, "TLS_RSA_WITH_RC4_128_SHA"],
  [0x000a, "TLS_RSA_WITH_3DES_EDE_CBC_SHA"],
  [0x002f, "TLS_RSA_WITH_AES_128_CBC_SHA"],
  [0x0033, "TLS_DHE_RSA_WITH_AES_128_CBC_SHA"],
  [0x0035, "TLS_RSA_WITH_AES_256_CBC_SHA"],
  [0x0039, "TLS_DHE_RSA_WITH_AES_256_CBC_SHA"],
  [0x003c, "TLS_RSA_WITH_AES_128_CBC_SHA256"],
  [0x003d, "TLS_RSA_WITH_AES_256_CBC_SHA256"],
  [0x0067, "TLS_DHE_RSA_WITH_AES_128_CBC_SHA256"],
  [0x006b, "TLS_DHE_RSA_WITH_AES_256_CBC_SHA256"],
  [0x00ff, "TLS_EMPTY_RENEGOTIATION_INFO_SCSV"],
  [0x5600, "TLS_FALLBACK_SCSV"],
  [0x1304, "TLS_AES_128_CCM_SHA256"],
  [0x1305, "TLS_AES_128_CCM_8_SHA256"],
  [0xc009, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA"],
  [0xc00a, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA"],
  [0xc011, "TLS_ECDHE_RSA_WITH_RC4_128_SHA"],
  [0xc012, "TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA"],
  [0xc013, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA"],
  [0xc014, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA"],
  [0xc023, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256"],
  [0xc024, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384"],
  [0xc027, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256"],
  [0xc028, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384"],
  [0xc09c, "TLS_RSA_WITH_AES_128_CCM"],
  [0xc09d, "TLS_RSA_WITH_AES_256_CCM"],
  [0xc0ac, "TLS_ECDHE_ECDSA_WITH_AES_128_CCM"],
  [0xc0ad, "TLS_ECDHE_ECDSA_WITH_AES_256_CCM"],
]);

/**
 * The IANA name of a cipher suite, decryptable or not, or `0x....` for a
 * code point not in the tables. Never throws.
 */
export function cipherSuiteName(id: number): string {
  return CIPHER_SUITES.get(id)?.name ?? OTHER_SUITE_NAMES.get(id) ?? `0x${id.toString(16).padStart(4, "0")}`;
}
