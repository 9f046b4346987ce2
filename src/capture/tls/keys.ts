/**
 * The two key schedules and record protection a passive decoder needs:
 * TLS 1.3 traffic keys from a traffic secret (RFC 8446 §7.3) and their
 * update (§7.2, §4.6.3), the TLS 1.2 key block from a master secret (RFC 5246
 * §6.3), and opening a protected record (RFC 8446 §5.2-5.3, RFC 5288 §3,
 * RFC 7905 §2).
 *
 * @module
 * @internal
 */

import { aeadOpen, type CipherSuite, hashLength, hkdfExpandLabel, tls12Prf, trafficKeys, xorNonce } from "../crypto.js";

/** The keys protecting one direction of a TLS connection, and its sequence number. */
export interface RecordKeys {
  readonly suite: CipherSuite;
  readonly key: Uint8Array;
  /** TLS 1.3 and ChaCha20-Poly1305: the 12-byte IV; TLS 1.2 AES-GCM: the 4-byte implicit salt. */
  readonly iv: Uint8Array;
  /** TLS 1.3: the traffic secret (for KeyUpdate). */
  readonly secret?: Uint8Array;
  /** The next record's sequence number. */
  seq: number;
}

/** TLS 1.3 keys of a traffic secret (RFC 8446 §7.3). */
export function tls13Keys(suite: CipherSuite, secret: Uint8Array): RecordKeys {
  const { key, iv } = trafficKeys(suite.hash, secret, suite.keyLength, 12);
  return { suite, key, iv, secret, seq: 0 };
}

/** The keys after a KeyUpdate (RFC 8446 §7.2: next secret = HKDF-Expand-Label(secret, "traffic upd", "", Hash.length)). */
export function tls13UpdatedKeys(keys: RecordKeys): RecordKeys {
  const { hash } = keys.suite;
  if (keys.secret === undefined) throw new TypeError("not TLS 1.3 keys");
  return tls13Keys(keys.suite, hkdfExpandLabel(hash, keys.secret, "traffic upd", new Uint8Array(0), hashLength(hash)));
}

/**
 * TLS 1.2 keys of both directions from the master secret (RFC 5246 §6.3:
 * key_block = PRF(master_secret, "key expansion", server_random +
 * client_random); AEAD suites have no MAC keys).
 */
export function tls12Keys(
  suite: CipherSuite,
  masterSecret: Uint8Array,
  clientRandom: Uint8Array,
  serverRandom: Uint8Array,
): { client: RecordKeys; server: RecordKeys } {
  const k = suite.keyLength;
  const v = suite.ivLength;
  const seed = new Uint8Array(64);
  seed.set(serverRandom, 0);
  seed.set(clientRandom, 32);
  const block = tls12Prf(suite.hash, masterSecret, "key expansion", seed, 2 * k + 2 * v);
  return {
    client: { suite, key: block.slice(0, k), iv: block.slice(2 * k, 2 * k + v), seq: 0 },
    server: { suite, key: block.slice(k, 2 * k), iv: block.slice(2 * k + v, 2 * k + 2 * v), seq: 0 },
  };
}

/** A record's content once opened. */
export interface OpenedRecord {
  /** The real content type (TLS 1.3: the inner type). */
  readonly type: number;
  readonly data: Uint8Array;
}

function seqBytes(seq: number): Uint8Array {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, BigInt(seq));
  return b;
}

/**
 * Opens one protected record with `keys` (and advances its sequence number
 * when it succeeds). `header` is the 5-byte record header as received.
 * Returns `null` when authentication fails or the record is too short;
 * `"no-content-type"` for a TLS 1.3 record whose plaintext is all padding.
 */
export function openRecord(
  keys: RecordKeys,
  tls13: boolean,
  header: Uint8Array,
  fragment: Uint8Array,
): OpenedRecord | null | "no-content-type" {
  const { suite } = keys;
  if (tls13) {
    const plain = aeadOpen(suite.aead, keys.key, xorNonce(keys.iv, keys.seq), header, fragment);
    if (plain === null) return null;
    keys.seq++;
    // TLSInnerPlaintext: content, the real type, then zero padding (RFC 8446 §5.4).
    let end = plain.length;
    while (end > 0 && plain[end - 1] === 0) end--;
    if (end === 0) return "no-content-type";
    return { type: plain[end - 1]!, data: plain.subarray(0, end - 1) };
  }
  const explicit = suite.explicitNonce ? 8 : 0;
  if (fragment.length < explicit + 16) return null;
  const length = fragment.length - explicit - 16;
  // additional_data = seq_num + type + version + length (RFC 5246 §6.2.3.3)
  const aad = new Uint8Array(13);
  aad.set(seqBytes(keys.seq), 0);
  aad[8] = header[0]!;
  aad[9] = header[1]!;
  aad[10] = header[2]!;
  aad[11] = length >>> 8;
  aad[12] = length & 0xff;
  let nonce: Uint8Array;
  if (explicit > 0) {
    nonce = new Uint8Array(12);
    nonce.set(keys.iv, 0);
    nonce.set(fragment.subarray(0, 8), 4);
  } else {
    nonce = xorNonce(keys.iv, keys.seq);
  }
  const plain = aeadOpen(suite.aead, keys.key, nonce, aad, fragment.subarray(explicit));
  if (plain === null) return null;
  keys.seq++;
  return { type: header[0]!, data: plain };
}
