/**
 * The TLS handshake messages a passive decoder reads: ClientHello,
 * ServerHello (and HelloRetryRequest), EncryptedExtensions, and the
 * TLS 1.2 NewSessionTicket, with the extensions that matter for decryption
 * and naming a connection (RFC 8446 §4.1-4.2, RFC 5246 §7.4, RFC 6066 §3,
 * RFC 7301, RFC 5077).
 *
 * @module
 * @internal
 */

import { equalBytes } from "../../shared/bytes.js";
import { latin1Decode } from "../../shared/latin1.js";

/** Handshake message types (RFC 8446 §4, RFC 5246 §7.4). */
export const HandshakeType = {
  CLIENT_HELLO: 1,
  SERVER_HELLO: 2,
  NEW_SESSION_TICKET: 4,
  END_OF_EARLY_DATA: 5,
  ENCRYPTED_EXTENSIONS: 8,
  FINISHED: 20,
  KEY_UPDATE: 24,
} as const;

/** Extension types (IANA "TLS ExtensionType Values"). */
const Ext = {
  SERVER_NAME: 0,
  ALPN: 16,
  SESSION_TICKET: 35,
  PRE_SHARED_KEY: 41,
  EARLY_DATA: 42,
  SUPPORTED_VERSIONS: 43,
  QUIC_TRANSPORT_PARAMETERS: 57,
} as const;

/** SHA-256("HelloRetryRequest"): the ServerHello random that marks a HelloRetryRequest (RFC 8446 §4.1.3). */
const HRR_RANDOM = new Uint8Array([
  0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c, 0x02, 0x1e, 0x65, 0xb8, 0x91, 0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb, 0x8c,
  0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c,
]);

/** Thrown inside this module when a message is malformed; the caller turns it into a CaptureError. */
export class MalformedHello extends Error {}

class Reader {
  pos = 0;
  constructor(
    readonly buf: Uint8Array,
    readonly end = buf.length,
  ) {}
  need(n: number): void {
    if (this.pos + n > this.end) throw new MalformedHello(`ends ${this.pos + n - this.end} bytes early`);
  }
  u8(): number {
    this.need(1);
    return this.buf[this.pos++]!;
  }
  u16(): number {
    this.need(2);
    const v = (this.buf[this.pos]! << 8) | this.buf[this.pos + 1]!;
    this.pos += 2;
    return v;
  }
  bytes(n: number): Uint8Array {
    this.need(n);
    const v = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return v;
  }
  /** A `<length-prefixed>` vector with a 1- or 2-byte length, as a sub-reader. */
  vector(lengthBytes: 1 | 2): Reader {
    const n = lengthBytes === 1 ? this.u8() : this.u16();
    this.need(n);
    const r = new Reader(this.buf, this.pos + n);
    r.pos = this.pos;
    this.pos += n;
    return r;
  }
  get left(): number {
    return this.end - this.pos;
  }
}

/** Calls `each(type, body)` for every extension of an `extensions<0..2^16-1>` block, if present. */
function readExtensions(r: Reader, each: (type: number, body: Reader) => void): void {
  if (r.left === 0) return; // extensions are optional before TLS 1.3
  const list = r.vector(2);
  if (r.left !== 0) throw new MalformedHello("bytes after the extensions");
  while (list.left > 0) {
    const type = list.u16();
    each(type, list.vector(2));
  }
}

function readAlpnList(body: Reader): string[] {
  const list = body.vector(2);
  const names: string[] = [];
  while (list.left > 0) {
    const name = list.vector(1);
    if (name.left === 0) throw new MalformedHello("an empty ALPN protocol name");
    names.push(latin1Decode(name.bytes(name.left)));
  }
  return names;
}

/** What a ClientHello says. */
export interface ClientHello {
  legacyVersion: number;
  random: Uint8Array;
  sessionId: Uint8Array;
  cipherSuites: number[];
  serverName?: string;
  alpn: string[];
  supportedVersions: number[];
  earlyData: boolean;
  /** The TLS 1.2 session ticket offered (RFC 5077), if not empty. */
  ticket?: Uint8Array;
  /** QUIC: the body of the `quic_transport_parameters` extension (0x39, RFC 9001 §8.2), a copy. */
  quicTransportParameters?: Uint8Array;
}

/** The fields both hellos open with (RFC 8446 §4.1.2, §4.1.3): legacy_version, random, legacy_session_id. */
function readHelloStart(r: Reader): { legacyVersion: number; random: Uint8Array; sessionId: Uint8Array } {
  const legacyVersion = r.u16();
  const random = r.bytes(32).slice();
  const sid = r.vector(1);
  if (sid.left > 32) throw new MalformedHello("a session ID longer than 32 bytes");
  return { legacyVersion, random, sessionId: sid.bytes(sid.left).slice() };
}

/** Parses a ClientHello body (after the 4-byte handshake header). Throws {@link MalformedHello}. */
export function parseClientHello(body: Uint8Array): ClientHello {
  const r = new Reader(body);
  const { legacyVersion, random, sessionId } = readHelloStart(r);
  const suites = r.vector(2);
  if (suites.left % 2 !== 0) throw new MalformedHello("an odd cipher_suites length");
  const cipherSuites: number[] = [];
  while (suites.left > 0) cipherSuites.push(suites.u16());
  r.vector(1); // legacy_compression_methods
  const hello: ClientHello = { legacyVersion, random, sessionId, cipherSuites, alpn: [], supportedVersions: [], earlyData: false };
  readExtensions(r, (type, ext) => {
    switch (type) {
      case Ext.SERVER_NAME: {
        const list = ext.vector(2);
        while (list.left > 0) {
          const nameType = list.u8();
          const name = list.vector(2);
          if (nameType === 0 && hello.serverName === undefined) hello.serverName = latin1Decode(name.bytes(name.left));
        }
        break;
      }
      case Ext.ALPN:
        hello.alpn = readAlpnList(ext);
        break;
      case Ext.SUPPORTED_VERSIONS: {
        const list = ext.vector(1);
        while (list.left >= 2) hello.supportedVersions.push(list.u16());
        break;
      }
      case Ext.EARLY_DATA:
        hello.earlyData = true;
        break;
      case Ext.SESSION_TICKET:
        if (ext.left > 0) hello.ticket = ext.bytes(ext.left).slice();
        break;
      case Ext.QUIC_TRANSPORT_PARAMETERS:
        hello.quicTransportParameters = ext.bytes(ext.left).slice();
        break;
    }
  });
  return hello;
}

/** What a ServerHello (or HelloRetryRequest) says. */
export interface ServerHello {
  legacyVersion: number;
  /** The negotiated version: `supported_versions` when present, else the legacy version. */
  version: number;
  random: Uint8Array;
  sessionId: Uint8Array;
  cipherSuite: number;
  /** The ALPN protocol selected (TLS ≤ 1.2 carries it here; TLS 1.3 in EncryptedExtensions). */
  alpn?: string;
  helloRetry: boolean;
  /** TLS 1.3: the server accepted a pre-shared key (a resumption, RFC 8446 §4.2.11). */
  psk: boolean;
}

/** Parses a ServerHello body. Throws {@link MalformedHello}. */
export function parseServerHello(body: Uint8Array): ServerHello {
  const r = new Reader(body);
  const { legacyVersion, random, sessionId } = readHelloStart(r);
  const cipherSuite = r.u16();
  r.u8(); // legacy_compression_method
  const hello: ServerHello = {
    legacyVersion,
    version: legacyVersion,
    random,
    sessionId,
    cipherSuite,
    helloRetry: equalBytes(random, HRR_RANDOM),
    psk: false,
  };
  readExtensions(r, (type, ext) => {
    if (type === Ext.SUPPORTED_VERSIONS) hello.version = ext.u16();
    else if (type === Ext.PRE_SHARED_KEY) hello.psk = true;
    else if (type === Ext.ALPN) {
      const names = readAlpnList(ext);
      if (names.length !== 1) throw new MalformedHello("a ServerHello ALPN naming other than one protocol");
      hello.alpn = names[0];
    }
  });
  return hello;
}

/** What EncryptedExtensions says (RFC 8446 §4.3.1). */
export interface EncryptedExtensions {
  alpn?: string;
  earlyData: boolean;
  /** QUIC: the server's `quic_transport_parameters` extension body (RFC 9001 §8.2), a copy. */
  quicTransportParameters?: Uint8Array;
}

/** Parses an EncryptedExtensions body. Throws {@link MalformedHello}. */
export function parseEncryptedExtensions(body: Uint8Array): EncryptedExtensions {
  const r = new Reader(body);
  const out: EncryptedExtensions = { earlyData: false };
  if (r.left === 0) throw new MalformedHello("no extensions block");
  readExtensions(r, (type, ext) => {
    if (type === Ext.ALPN) {
      const names = readAlpnList(ext);
      if (names.length !== 1) throw new MalformedHello("an EncryptedExtensions ALPN naming other than one protocol");
      out.alpn = names[0];
    } else if (type === Ext.EARLY_DATA) out.earlyData = true;
    else if (type === Ext.QUIC_TRANSPORT_PARAMETERS) out.quicTransportParameters = ext.bytes(ext.left).slice();
  });
  return out;
}

/** The ticket of a TLS 1.2 NewSessionTicket (RFC 5077 §3.3). Throws {@link MalformedHello}. */
export function parseTls12Ticket(body: Uint8Array): Uint8Array {
  const r = new Reader(body);
  r.bytes(4); // ticket_lifetime_hint
  const t = r.vector(2);
  return t.bytes(t.left).slice();
}

/** Whether a KeyUpdate body (RFC 8446 §4.6.3) is well-formed: one byte, 0 or 1. */
export function isKeyUpdate(body: Uint8Array): boolean {
  return body.length === 1 && body[0]! <= 1;
}

/** Protocol versions on the wire (RFC 8446 §4.2.1, RFC 5246 appendix E). */
export const TlsVersion = {
  SSL_3_0: 0x0300,
  TLS_1_0: 0x0301,
  TLS_1_1: 0x0302,
  TLS_1_2: 0x0303,
  TLS_1_3: 0x0304,
} as const;

const VERSION_NAMES: ReadonlyMap<number, string> = new Map([
  [TlsVersion.SSL_3_0, "SSL 3.0"],
  [TlsVersion.TLS_1_0, "TLS 1.0"],
  [TlsVersion.TLS_1_1, "TLS 1.1"],
  [TlsVersion.TLS_1_2, "TLS 1.2"],
  [TlsVersion.TLS_1_3, "TLS 1.3"],
]);

/** The name TLS uses for a wire version (`"TLS 1.3"`), or `0x....`. */
export function versionName(version: number): string {
  return VERSION_NAMES.get(version) ?? `0x${version.toString(16).padStart(4, "0")}`;
}
