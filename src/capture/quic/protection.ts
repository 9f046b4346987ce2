/**
 * QUIC packet protection (RFC 9001 §5, RFC 9369 §3.3): Initial secrets,
 * packet keys per version, AEAD and header protection, key updates (§6)
 * and the Retry integrity tag (§5.8). Node-free; the crypto is @noble's,
 * reached through the capture module's wrapper.
 */

import { decodePacketNumber } from "../../quic/packet-number.js";
import { QuicVersion, quicVersionName } from "../../quic/version.js";
import {
  aeadOpen,
  aeadSeal,
  aesEncryptBlock,
  CIPHER_SUITES,
  type CipherSuite,
  chacha20Keystream,
  hashLength,
  hkdfExpandLabel,
  hkdfExtract,
  xorNonce,
} from "../crypto.js";

/** A TLS 1.3 cipher suite usable with QUIC (RFC 9001 §5.3). */
export type QuicCipherSuite = CipherSuite;

/** TLS_AES_128_GCM_SHA256, TLS_AES_256_GCM_SHA384, TLS_CHACHA20_POLY1305_SHA256: the TLS 1.3 suites of the capture's table. */
export const QUIC_CIPHER_SUITES: ReadonlyMap<number, QuicCipherSuite> = new Map(
  [...CIPHER_SUITES.values()].filter((s) => s.version === "TLS 1.3").map((s) => [s.id, s]),
);

const INITIAL_SUITE = QUIC_CIPHER_SUITES.get(0x1301)!;

const hexBytes = (h: string): Uint8Array => Uint8Array.from({ length: h.length / 2 }, (_, i) => parseInt(h.slice(2 * i, 2 * i + 2), 16));

/** Per-version constants: Initial salt (RFC 9001 §5.2, RFC 9369 §3.3.1), labels (§3.3.2), Retry key and nonce (§5.8, §3.3.3). */
interface VersionConstants {
  readonly salt: Uint8Array;
  readonly key: string;
  readonly iv: string;
  readonly hp: string;
  readonly ku: string;
  readonly retryKey: Uint8Array;
  readonly retryNonce: Uint8Array;
}

const VERSIONS = new Map<number, VersionConstants>([
  [
    QuicVersion.V1,
    {
      salt: hexBytes("38762cf7f55934b34d179ae6a4c80cadccbb7f0a"),
      key: "quic key",
      iv: "quic iv",
      hp: "quic hp",
      ku: "quic ku",
      retryKey: hexBytes("be0c690b9f66575a1d766b54e368c84e"),
      retryNonce: hexBytes("461599d35d632bf2239825bb"),
    },
  ],
  [
    // draft-29 (Chromium and older stacks): version 1's labels, its own salt and Retry key.
    QuicVersion.DRAFT_29,
    {
      salt: hexBytes("afbfec289993d24c9e9786f19c6111e04390a899"),
      key: "quic key",
      iv: "quic iv",
      hp: "quic hp",
      ku: "quic ku",
      retryKey: hexBytes("ccce187ed09a09d05728155a6cb96be1"),
      retryNonce: hexBytes("e54930f97f2136f0530a8c1c"),
    },
  ],
  [
    // draft-ietf-quic-v2-01..08 (ngtcp2's "v2draft"): version 2's labels with the draft salt and Retry key.
    QuicVersion.V2_DRAFT,
    {
      salt: hexBytes("a707c203a59b47184a1d62ca570406ea7ae3e5d3"),
      key: "quicv2 key",
      iv: "quicv2 iv",
      hp: "quicv2 hp",
      ku: "quicv2 ku",
      retryKey: hexBytes("ba858dc7b43de5dbf87617ff4ab253db"),
      retryNonce: hexBytes("141b99c239b03e785d6a2e9f"),
    },
  ],
  [
    QuicVersion.V2,
    {
      salt: hexBytes("0dede3def700a6db819381be6e269dcbf9bd2ed9"),
      key: "quicv2 key",
      iv: "quicv2 iv",
      hp: "quicv2 hp",
      ku: "quicv2 ku",
      retryKey: hexBytes("8fb4b01b56ac48e260fbcbcead7ccc92"),
      retryNonce: hexBytes("d86969bc2d7c6d9990efb04a"),
    },
  ],
]);

/** Whether packets of `version` can be unprotected here: 1, 2, draft-29 and the v2 draft. */
export function isDecryptableVersion(version: number): boolean {
  return VERSIONS.has(version);
}

function constants(version: number): VersionConstants {
  const c = VERSIONS.get(version);
  if (c === undefined)
    throw new RangeError(`QUIC version ${quicVersionName(version)} has no packet protection here (only 1, 2, draft-29 and the v2 draft)`);
  return c;
}

const EMPTY = new Uint8Array(0);

/** The keys protecting the packets of one direction at one encryption level and key phase. */
export interface PacketKeys {
  readonly version: number;
  readonly suite: QuicCipherSuite;
  /** The traffic secret the keys come from (the next key phase is derived from it). */
  readonly secret: Uint8Array;
  readonly key: Uint8Array;
  readonly iv: Uint8Array;
  /** Header protection key; it does not change with key updates (RFC 9001 §6). */
  readonly hp: Uint8Array;
}

/**
 * Derives packet protection keys from a traffic secret (RFC 9001 §5.1) with
 * the version's labels.
 * @param suite a TLS 1.3 cipher suite ID (0x1301, 0x1302, 0x1303)
 * @throws RangeError for an unsupported version or suite
 *
 * @example
 * ```ts
 * import { QuicVersion } from "httpwire/quic";
 * const hex = (s: string) => Uint8Array.from(s.match(/../g)!, (b) => Number.parseInt(b, 16));
 * const toHex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
 * // RFC 9001 A.5: the ChaCha20-Poly1305 short header example's secret
 * const keys = derivePacketKeys(QuicVersion.V1, 0x1303, hex("9ac312a7f877468ebe69422748ad00a15443f18203a07d6060f688f30f21632b"));
 * toHex(keys.iv); // => "e0459b3474bdd0e44a41c144"
 * ```
 */
export function derivePacketKeys(version: number, suite: number, secret: Uint8Array, hp?: Uint8Array): PacketKeys {
  const c = constants(version);
  const s = QUIC_CIPHER_SUITES.get(suite);
  if (s === undefined) throw new RangeError(`cipher suite 0x${suite.toString(16)} cannot protect QUIC packets here`);
  return {
    version,
    suite: s,
    secret,
    key: hkdfExpandLabel(s.hash, secret, c.key, EMPTY, s.keyLength),
    iv: hkdfExpandLabel(s.hash, secret, c.iv, EMPTY, 12),
    hp: hp ?? hkdfExpandLabel(s.hash, secret, c.hp, EMPTY, s.keyLength),
  };
}

/**
 * The keys of the next key phase (RFC 9001 §6.1): a new secret from
 * "quic ku" ("quicv2 ku"), new key and IV, the same header protection key.
 */
export function nextKeyPhase(keys: PacketKeys): PacketKeys {
  const c = constants(keys.version);
  const secret = hkdfExpandLabel(keys.suite.hash, keys.secret, c.ku, EMPTY, hashLength(keys.suite.hash));
  return derivePacketKeys(keys.version, keys.suite.id, secret, keys.hp);
}

/** The client and server Initial secrets for a client's first Destination Connection ID (RFC 9001 §5.2). */
export function initialSecrets(version: number, dcid: Uint8Array): { client: Uint8Array; server: Uint8Array } {
  const initial = hkdfExtract("sha256", constants(version).salt, dcid);
  return {
    client: hkdfExpandLabel("sha256", initial, "client in", EMPTY, 32),
    server: hkdfExpandLabel("sha256", initial, "server in", EMPTY, 32),
  };
}

/**
 * The Initial packet keys of both directions (AES-128-GCM).
 *
 * @example
 * ```ts
 * import { QuicVersion } from "httpwire/quic";
 * const hex = (s: string) => Uint8Array.from(s.match(/../g)!, (b) => Number.parseInt(b, 16));
 * const toHex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
 * const { client } = initialKeys(QuicVersion.V1, hex("8394c8f03e515708"));
 * toHex(client.key); // => "1f369613dd76d5467730efcbe3b1a22d"
 * ```
 */
export function initialKeys(version: number, dcid: Uint8Array): { client: PacketKeys; server: PacketKeys } {
  const s = initialSecrets(version, dcid);
  return {
    client: derivePacketKeys(version, INITIAL_SUITE.id, s.client),
    server: derivePacketKeys(version, INITIAL_SUITE.id, s.server),
  };
}

/** The AEAD nonce of a packet: the IV XOR the packet number, left-padded (RFC 9001 §5.3). */
export function packetNonce(iv: Uint8Array, packetNumber: number): Uint8Array {
  return xorNonce(iv, packetNumber);
}

/** The 5-byte header protection mask for a 16-byte sample (RFC 9001 §5.4.3, §5.4.4). */
export function headerProtectionMask(keys: PacketKeys, sample: Uint8Array): Uint8Array {
  if (keys.suite.aead === "chacha20-poly1305") {
    const counter = (sample[0]! | (sample[1]! << 8) | (sample[2]! << 16) | (sample[3]! << 24)) >>> 0;
    return chacha20Keystream(keys.hp, counter, sample.subarray(4, 16), 5);
  }
  return aesEncryptBlock(keys.hp, sample.subarray(0, 16)).subarray(0, 5);
}

/** Decrypts a packet payload; `null` when authentication fails. */
export function openPayload(keys: PacketKeys, packetNumber: number, header: Uint8Array, ciphertext: Uint8Array): Uint8Array | null {
  if (ciphertext.length < 16) return null;
  return aeadOpen(keys.suite.aead, keys.key, packetNonce(keys.iv, packetNumber), header, ciphertext);
}

/** Encrypts a packet payload (the inverse of {@link openPayload}; for tests and tools). */
export function sealPayload(keys: PacketKeys, packetNumber: number, header: Uint8Array, plaintext: Uint8Array): Uint8Array {
  return aeadSeal(keys.suite.aead, keys.key, packetNonce(keys.iv, packetNumber), header, plaintext);
}

/** What {@link removeHeaderProtection} found. */
export interface UnmaskedHeader {
  /** The header with its first byte and packet number unmasked (a new array). */
  readonly header: Uint8Array;
  /** Packet number length, 1 to 4. */
  readonly packetNumberLength: number;
  /** The truncated packet number as sent. */
  readonly truncatedPacketNumber: number;
}

/**
 * Removes header protection from one packet (RFC 9001 §5.4.1): the sample is
 * the 16 bytes at `pnOffset + 4`.
 * @param packet exactly one packet (a long header packet ends where its Length field says)
 * @returns `undefined` when the packet is too short to hold a sample
 */
export function removeHeaderProtection(keys: PacketKeys, packet: Uint8Array, pnOffset: number): UnmaskedHeader | undefined {
  if (packet.length < pnOffset + 4 + 16) return undefined;
  const mask = headerProtectionMask(keys, packet.subarray(pnOffset + 4, pnOffset + 20));
  const long = (packet[0]! & 0x80) !== 0;
  const first = packet[0]! ^ (mask[0]! & (long ? 0x0f : 0x1f));
  const pnLength = (first & 0x03) + 1;
  const header = packet.slice(0, pnOffset + pnLength);
  header[0] = first;
  let truncated = 0;
  for (let i = 0; i < pnLength; i++) {
    header[pnOffset + i]! ^= mask[1 + i]!;
    truncated = truncated * 256 + header[pnOffset + i]!;
  }
  return { header, packetNumberLength: pnLength, truncatedPacketNumber: truncated };
}

/** An unprotected packet. */
export interface UnprotectedPacket {
  /** The unmasked header, packet number included. */
  readonly header: Uint8Array;
  readonly packetNumber: number;
  readonly packetNumberLength: number;
  /** Short headers: the Key Phase bit (RFC 9001 §6). */
  readonly keyPhase: 0 | 1;
  /** The decrypted payload (frames). */
  readonly payload: Uint8Array;
}

/**
 * Removes header protection and decrypts one packet.
 * @param largest the largest packet number received in this packet number space (-1 for none)
 * @returns `undefined` when the packet is too short or authentication fails
 *
 * @example
 * ```ts
 * import { QuicVersion } from "httpwire/quic";
 * const hex = (s: string) => Uint8Array.from(s.match(/../g)!, (b) => Number.parseInt(b, 16));
 * const toHex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
 * // RFC 9001 A.5: a short header packet (no connection ID) holding one PING frame
 * const keys = derivePacketKeys(QuicVersion.V1, 0x1303, hex("9ac312a7f877468ebe69422748ad00a15443f18203a07d6060f688f30f21632b"));
 * const p = unprotectPacket(keys, hex("4cfe4189655e5cd55c41f69080575d7999c25a5bfb"), 1, 654360563)!;
 * p.packetNumber; // => 654360564
 * toHex(p.payload); // => "01"
 * ```
 */
export function unprotectPacket(keys: PacketKeys, packet: Uint8Array, pnOffset: number, largest: number): UnprotectedPacket | undefined {
  const h = removeHeaderProtection(keys, packet, pnOffset);
  if (h === undefined) return undefined;
  const pn = Number(decodePacketNumber(largest < 0 ? undefined : largest, h.truncatedPacketNumber, 8 * h.packetNumberLength));
  const payload = openPayload(keys, pn, h.header, packet.subarray(h.header.length));
  if (payload === null) return undefined;
  const keyPhase = (h.header[0]! & 0x80) === 0 && (h.header[0]! & 0x04) !== 0 ? 1 : 0;
  return { header: h.header, packetNumber: pn, packetNumberLength: h.packetNumberLength, keyPhase, payload };
}

/**
 * Protects one packet (the inverse of {@link unprotectPacket}): encrypts the
 * payload with the unprotected header (packet number included) as
 * associated data, then masks the header.
 * @param header the unprotected header, ending with the packet number
 */
export function protectPacket(keys: PacketKeys, header: Uint8Array, packetNumber: number, payload: Uint8Array): Uint8Array {
  const pnLength = (header[0]! & 0x03) + 1;
  const pnOffset = header.length - pnLength;
  const sealed = sealPayload(keys, packetNumber, header, payload);
  const out = new Uint8Array(header.length + sealed.length);
  out.set(header);
  out.set(sealed, header.length);
  const mask = headerProtectionMask(keys, out.subarray(pnOffset + 4, pnOffset + 20));
  out[0]! ^= mask[0]! & ((header[0]! & 0x80) !== 0 ? 0x0f : 0x1f);
  for (let i = 0; i < pnLength; i++) out[pnOffset + i]! ^= mask[1 + i]!;
  return out;
}

/**
 * The Retry Integrity Tag (RFC 9001 §5.8, RFC 9369 §3.3.3): AES-128-GCM over
 * the pseudo-packet (original DCID length and bytes, then the Retry packet
 * without its tag), with the version's fixed key and nonce.
 */
export function retryIntegrityTag(version: number, originalDcid: Uint8Array, retryWithoutTag: Uint8Array): Uint8Array {
  const c = constants(version);
  const pseudo = new Uint8Array(1 + originalDcid.length + retryWithoutTag.length);
  pseudo[0] = originalDcid.length;
  pseudo.set(originalDcid, 1);
  pseudo.set(retryWithoutTag, 1 + originalDcid.length);
  return aeadSeal("aes-128-gcm", c.retryKey, c.retryNonce, pseudo, EMPTY);
}

/** Whether a Retry packet's last 16 bytes are its integrity tag for `originalDcid`. */
export function verifyRetryIntegrity(version: number, originalDcid: Uint8Array, retry: Uint8Array): boolean {
  if (retry.length < 16 || !VERSIONS.has(version)) return false;
  const tag = retryIntegrityTag(version, originalDcid, retry.subarray(0, retry.length - 16));
  let diff = 0;
  for (let i = 0; i < 16; i++) diff |= tag[i]! ^ retry[retry.length - 16 + i]!;
  return diff === 0;
}
