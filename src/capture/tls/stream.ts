/**
 * One TLS connection seen from the wire: records reassembled across TCP
 * chunks, handshake messages across records, the hellos read, and the
 * records decrypted with secrets from a {@link KeyLog} (TLS 1.3 traffic
 * secrets or a TLS 1.2 master secret).
 *
 * @module
 */

import { toHex } from "../../shared/hex.js";
import { integerOption } from "../../shared/options.js";
import { PendingBytes } from "../../shared/pending.js";
import { CIPHER_SUITES, type CipherSuite, cipherSuiteName } from "../crypto.js";
import { CaptureError, CaptureErrorCode } from "../errors.js";
import type { KeyLog, Tls13SecretLabel } from "../keylog.js";
import type { Direction } from "../tcp.js";
import {
  type ClientHello,
  type EncryptedExtensions,
  HandshakeType,
  isKeyUpdate,
  MalformedHello,
  parseClientHello,
  parseEncryptedExtensions,
  parseServerHello,
  parseTls12Ticket,
  type ServerHello,
  TlsVersion,
  versionName,
} from "./hello.js";
import { openRecord, type RecordKeys, tls12Keys, tls13Keys, tls13UpdatedKeys } from "./keys.js";

/** TLS record content types (RFC 8446 §5.1). */
export const ContentType = {
  CHANGE_CIPHER_SPEC: 20,
  ALERT: 21,
  HANDSHAKE: 22,
  APPLICATION_DATA: 23,
  HEARTBEAT: 24,
} as const;

/** The record header length. */
export const TLS_RECORD_HEADER_LENGTH = 5;

/**
 * The longest record fragment accepted: 2^14 + 2048 (RFC 5246 §6.2.3, the
 * TLSCiphertext bound; TLS 1.3's 2^14 + 256 is within it). Longer is a
 * record_overflow.
 */
export const MAX_TLS_RECORD_LENGTH = 2 ** 14 + 2048;

/** What is known of a TLS connection. */
export interface TlsInfo {
  /** The negotiated version (`"TLS 1.3"`, ...), the ClientHello's before the ServerHello, or `"unknown"`. */
  version: "TLS 1.0" | "TLS 1.1" | "TLS 1.2" | "TLS 1.3" | string;
  /** The cipher suite the server chose (IANA code point). */
  cipherSuite?: number;
  /** Its IANA name (or `0x....`). */
  cipherSuiteName?: string;
  /** The server name the client asked for (SNI, RFC 6066 §3). */
  serverName?: string;
  /** The ALPN protocols the client offered (RFC 7301). */
  alpnOffered: string[];
  /** The ALPN protocol the server selected. */
  alpn?: string;
  /** The ClientHello's random, lowercase hex (what a key log line is keyed by); `""` before the ClientHello. */
  clientRandom: string;
  /** A resumed session: a TLS 1.2 abbreviated handshake, or a TLS 1.3 handshake with a pre-shared key. */
  resumed: boolean;
  /** The server answered with a HelloRetryRequest (TLS 1.3). */
  helloRetry: boolean;
  /** Whether the records can be (and so far have been) decrypted. */
  decryptable: boolean;
  /** TLS 1.3 early data: `"accepted"` or `"rejected"` when the client offered it. */
  earlyData?: "accepted" | "rejected";
}

/** Why a connection cannot be decrypted. */
export type TlsUndecryptableReason =
  /** The key log has no secret for this client random (or session). */
  | "no-keys"
  /** The suite is not an AEAD suite httpwire decrypts (CBC, RC4, CCM, ...), or the version is before TLS 1.2's AEADs. */
  | "unsupported-cipher-suite"
  /** The secrets found do not decrypt the first record (a key log for another session, or damaged). */
  | "wrong-keys"
  /** The capture ended before the server's answer. */
  | "incomplete-handshake";

/** What a {@link TlsStream} reports. */
export type TlsEvent =
  /** Once the ClientHello and ServerHello (and, in TLS 1.3, EncryptedExtensions when decryptable) are read. */
  | { type: "tls-handshake"; info: TlsInfo }
  /** Decrypted application data of one direction, in order. */
  | { type: "tls-data"; direction: Direction; data: Uint8Array }
  /** The connection cannot be decrypted; nothing more comes from it. */
  | { type: "tls-undecryptable"; reason: TlsUndecryptableReason; info: TlsInfo }
  /** A damaged record, a gap or a truncated record: that direction stops, the other goes on. */
  | { type: "tls-error"; direction: Direction; error: CaptureError };

/** Options of {@link TlsStream}. */
export interface TlsStreamOptions {
  /**
   * Client bytes held while waiting for the server's answer to early data,
   * and undecryptable (rejected) early data skipped. Default 65 536.
   */
  readonly maxEarlyData?: number;
  /** The longest handshake message read (ClientHello, ServerHello, ...). Others are skipped unread. Default 65 536. */
  readonly maxHandshakeMessage?: number;
}

/**
 * Whether `bytes` start like a TLS connection: a handshake record header
 * (content type 22, version 3.x, a plausible length) and a ClientHello.
 */
export function looksLikeTls(bytes: Uint8Array): boolean {
  if (bytes.length < 6) return false;
  const length = (bytes[3]! << 8) | bytes[4]!;
  return (
    bytes[0] === ContentType.HANDSHAKE &&
    bytes[1] === 3 &&
    bytes[2]! <= 4 &&
    length >= 4 &&
    length <= MAX_TLS_RECORD_LENGTH &&
    bytes[5] === HandshakeType.CLIENT_HELLO
  );
}

/** Handshake message types read in full; every other type is skipped without being held. */
const READ_TYPES: ReadonlySet<number> = new Set([
  HandshakeType.CLIENT_HELLO,
  HandshakeType.SERVER_HELLO,
  HandshakeType.NEW_SESSION_TICKET,
  HandshakeType.END_OF_EARLY_DATA,
  HandshakeType.ENCRYPTED_EXTENSIONS,
  HandshakeType.FINISHED,
  HandshakeType.KEY_UPDATE,
]);

type Phase = "plain" | "early" | "handshake" | "application";

/** One direction's state. */
class Side {
  readonly records = new PendingBytes();
  /** Handshake bytes not yet forming a whole message. */
  readonly handshake = new PendingBytes();
  /** Bytes of an unread handshake message still to skip. */
  skip = 0;
  stopped = false;
  /** TLS 1.3: which secret protects the next records; TLS 1.2: "application" after ChangeCipherSpec. */
  phase: Phase = "plain";
  keys: RecordKeys | null = null;
  /** Whether a record has been opened with {@link keys} (a later failure is damage, not wrong keys). */
  keysProven = false;
  /** TLS 1.3 client: bytes of rejected early data that may still be skipped. */
  skipBudget = 0;
  constructor(readonly direction: Direction) {}
}

/**
 * Decrypts one TLS connection. Push each direction's bytes in capture order;
 * get {@link TlsEvent}s. Node-free and synchronous.
 *
 * Keys must be in the {@link KeyLog} by the time the first encrypted record
 * of a direction arrives (a Decryption Secrets Block later in the file is
 * too late for the connections already under way; the events say so).
 * Memory is bounded: one partial record per direction, one handshake
 * message, and at most `maxEarlyData` client bytes held while the server's
 * answer to early data is awaited.
 *
 * @example
 * ```ts
 * import { KeyLog, TlsStream, type TlsEvent } from "httpwire/capture";
 * const keyLogText = ""; // the session's SSLKEYLOGFILE text
 * const tls = new TlsStream(new KeyLog(keyLogText));
 * const out: TlsEvent[] = [];
 * // Each direction's TCP payload in capture order. Here the client sends an
 * // application_data record with no handshake before it, which cannot be read.
 * tls.push("client-to-server", Uint8Array.of(23, 3, 3, 0, 4, 1, 2, 3, 4), out);
 * tls.push("server-to-client", new Uint8Array(0), out);
 * tls.end(out);
 * out.map((e) => (e.type === "tls-error" ? e.error.reason : e.type)); // => ["tls_protected_before_hello"]
 * // On a real session, the plaintext comes as "tls-data" events (e.direction, e.data).
 * ```
 */
export class TlsStream {
  private readonly client = new Side("client-to-server");
  private readonly server = new Side("server-to-client");
  private readonly maxEarlyData: number;
  private readonly maxHandshakeMessage: number;
  private clientHello: ClientHello | undefined;
  private serverHello: ServerHello | undefined;
  private extensions: EncryptedExtensions | undefined;
  private helloRetry = false;
  private suite: CipherSuite | undefined;
  private tls13 = false;
  /** TLS 1.3: the server's answer to early data is known (or never will be); the client's protected records may be read. */
  private decided = false;
  private handshakeReported = false;
  private dead = false;
  private decryptable = true;
  private earlyData: "accepted" | "rejected" | undefined;
  private masterSecret: Uint8Array | undefined;

  constructor(
    private readonly keyLog: KeyLog,
    options: TlsStreamOptions = {},
  ) {
    this.maxEarlyData = integerOption("TlsStream", "maxEarlyData", options.maxEarlyData, 65_536, 0, 2 ** 30);
    this.maxHandshakeMessage = integerOption("TlsStream", "maxHandshakeMessage", options.maxHandshakeMessage, 65_536, 64, 2 ** 24);
  }

  /** What is known of the connection so far. */
  get info(): TlsInfo {
    const ch = this.clientHello;
    const sh = this.serverHello;
    const info: TlsInfo = {
      version: sh !== undefined ? versionName(sh.version) : ch !== undefined ? versionName(ch.legacyVersion) : "unknown",
      alpnOffered: ch?.alpn ?? [],
      clientRandom: ch !== undefined ? toHex(ch.random) : "",
      resumed: this.isResumed(),
      helloRetry: this.helloRetry,
      decryptable: this.decryptable && !this.dead,
    };
    if (sh !== undefined) {
      info.cipherSuite = sh.cipherSuite;
      info.cipherSuiteName = cipherSuiteName(sh.cipherSuite);
    }
    if (ch?.serverName !== undefined) info.serverName = ch.serverName;
    const alpn = this.tls13 ? this.extensions?.alpn : sh?.alpn;
    if (alpn !== undefined) info.alpn = alpn;
    if (this.earlyData !== undefined) info.earlyData = this.earlyData;
    return info;
  }

  /** Feeds bytes of one direction, in order. */
  push(direction: Direction, bytes: Uint8Array, out: TlsEvent[]): void {
    const side = this.side(direction);
    if (this.dead || side.stopped || bytes.length === 0) return;
    side.records.append(bytes);
    this.drain(side, out);
  }

  /** `missing` bytes of a direction are not in the capture: that direction cannot be read further. */
  gap(direction: Direction, missing: number, out: TlsEvent[]): void {
    const side = this.side(direction);
    if (this.dead || side.stopped) return;
    this.stop(
      side,
      out,
      CaptureErrorCode.TLS_GAP,
      "tls_gap",
      `${missing} bytes of the TLS stream are missing from the capture; the rest of this direction cannot be decrypted`,
    );
  }

  /** The capture ended: reports a record cut short and a handshake never answered. */
  end(out: TlsEvent[]): void {
    if (this.dead) return;
    if (!this.decided) this.decide(out);
    for (const side of [this.client, this.server]) {
      if (this.dead) return;
      if (!side.stopped && side.records.length > 0) {
        this.stop(
          side,
          out,
          CaptureErrorCode.TLS_TRUNCATED_RECORD,
          "tls_truncated_record",
          `The capture ends inside a TLS record (${side.records.length} bytes of it seen)`,
        );
      }
    }
    if (!this.dead && !this.handshakeReported && this.clientHello !== undefined) this.undecryptable("incomplete-handshake", out);
  }

  private side(direction: Direction): Side {
    if (direction === "client-to-server") return this.client;
    if (direction === "server-to-client") return this.server;
    throw new TypeError(`Unknown direction ${String(direction)}`);
  }

  private isResumed(): boolean {
    const ch = this.clientHello;
    const sh = this.serverHello;
    if (ch === undefined || sh === undefined) return false;
    if (this.tls13) return sh.psk;
    return sh.sessionId.length > 0 && toHex(sh.sessionId) === toHex(ch.sessionId);
  }

  private error(side: Side, code: CaptureErrorCode, reason: string, message: string): CaptureError {
    return new CaptureError(message, code, { reason, offset: side.records.base });
  }

  private stop(side: Side, out: TlsEvent[], code: CaptureErrorCode, reason: string, message: string): void {
    out.push({ type: "tls-error", direction: side.direction, error: this.error(side, code, reason, message) });
    side.stopped = true;
    side.records.release();
    side.handshake.release();
    // The client may be waiting for the server's answer to early data: it will not come.
    if (side === this.server && !this.decided) this.decide(out);
  }

  private undecryptable(reason: TlsUndecryptableReason, out: TlsEvent[]): void {
    this.decryptable = false;
    if (!this.handshakeReported) {
      this.handshakeReported = true;
      out.push({ type: "tls-handshake", info: this.info });
    }
    out.push({ type: "tls-undecryptable", reason, info: this.info });
    this.dead = true;
    for (const side of [this.client, this.server]) {
      side.records.release();
      side.handshake.release();
    }
  }

  private reportHandshake(out: TlsEvent[]): void {
    if (this.handshakeReported) return;
    this.handshakeReported = true;
    out.push({ type: "tls-handshake", info: this.info });
  }

  /** Reads every whole record held for `side`. */
  private drain(side: Side, out: TlsEvent[]): void {
    while (!this.dead && !side.stopped) {
      const view = side.records.view();
      if (view.length < TLS_RECORD_HEADER_LENGTH) return;
      const type = view[0]!;
      const length = (view[3]! << 8) | view[4]!;
      if (type < ContentType.CHANGE_CIPHER_SPEC || type > ContentType.HEARTBEAT || view[1] !== 3 || view[2]! > 4) {
        this.stop(
          side,
          out,
          CaptureErrorCode.TLS_MALFORMED_RECORD,
          "tls_malformed_record_header",
          `Not a TLS record header: content type ${type}, version ${view[1]}.${view[2]}`,
        );
        return;
      }
      if (length > MAX_TLS_RECORD_LENGTH) {
        this.stop(
          side,
          out,
          CaptureErrorCode.TLS_RECORD_OVERFLOW,
          "tls_record_overflow",
          `A TLS record of ${length} bytes is longer than ${MAX_TLS_RECORD_LENGTH} (record_overflow)`,
        );
        return;
      }
      const protectedRecord = this.tls13 || this.serverHello === undefined ? type === ContentType.APPLICATION_DATA : side.phase !== "plain";
      if (side === this.client && protectedRecord && !this.decided) {
        // TLS 1.3 early data (or a client running ahead): wait for the server's answer.
        if (view.length > this.maxEarlyData + TLS_RECORD_HEADER_LENGTH + MAX_TLS_RECORD_LENGTH) {
          this.stop(
            side,
            out,
            CaptureErrorCode.TLS_LIMIT_EXCEEDED,
            "tls_early_data_over_limit",
            `More than ${this.maxEarlyData} bytes of early data before the server's answer (maxEarlyData)`,
          );
        }
        return;
      }
      if (view.length < TLS_RECORD_HEADER_LENGTH + length) return;
      const header = view.subarray(0, TLS_RECORD_HEADER_LENGTH);
      const fragment = view.subarray(TLS_RECORD_HEADER_LENGTH, TLS_RECORD_HEADER_LENGTH + length);
      if (protectedRecord) this.protectedRecord(side, header, fragment, out);
      else this.plainRecord(side, type, fragment, out);
      if (!side.stopped && !this.dead) side.records.consume(TLS_RECORD_HEADER_LENGTH + length);
    }
  }

  private plainRecord(side: Side, type: number, fragment: Uint8Array, out: TlsEvent[]): void {
    switch (type) {
      case ContentType.HANDSHAKE:
        this.handshakeBytes(side, fragment, out);
        return;
      case ContentType.CHANGE_CIPHER_SPEC:
        // TLS 1.3 middlebox compatibility records are ignored (RFC 8446 §5); TLS ≤ 1.2 switches keys.
        if (!this.tls13 && this.serverHello !== undefined) {
          side.phase = "application";
          side.keys = null;
          side.keysProven = false;
        }
        return;
      case ContentType.APPLICATION_DATA:
        this.stop(
          side,
          out,
          CaptureErrorCode.TLS_UNEXPECTED_MESSAGE,
          "tls_unprotected_application_data",
          "Application data before the handshake protected the connection",
        );
        return;
      default:
        return; // alerts and heartbeats in the clear: nothing to decode
    }
  }

  private protectedRecord(side: Side, header: Uint8Array, fragment: Uint8Array, out: TlsEvent[]): void {
    if (side.keys === null && !this.installKeys(side, out)) return;
    const keys = side.keys!;
    const opened = openRecord(keys, this.tls13, header, fragment);
    if (opened === null) {
      if (!side.keysProven && side.skipBudget >= fragment.length) {
        side.skipBudget -= fragment.length; // rejected early data (RFC 8446 §4.2.10): skip it
        return;
      }
      if (!side.keysProven) this.undecryptable("wrong-keys", out);
      else
        this.stop(
          side,
          out,
          CaptureErrorCode.TLS_BAD_RECORD_MAC,
          "tls_bad_record_mac",
          `TLS record ${keys.seq} of this direction fails authentication (damaged ciphertext)`,
        );
      return;
    }
    if (opened === "no-content-type") {
      this.stop(side, out, CaptureErrorCode.TLS_UNEXPECTED_MESSAGE, "tls_no_content_type", "A TLS 1.3 record holds only padding");
      return;
    }
    side.keysProven = true;
    side.skipBudget = 0;
    switch (opened.type) {
      case ContentType.APPLICATION_DATA:
        if (this.tls13 && side.phase === "handshake") {
          this.stop(
            side,
            out,
            CaptureErrorCode.TLS_UNEXPECTED_MESSAGE,
            "tls_application_data_in_handshake",
            "Application data protected with handshake keys",
          );
          return;
        }
        if (opened.data.length > 0) out.push({ type: "tls-data", direction: side.direction, data: opened.data });
        return;
      case ContentType.HANDSHAKE:
        this.handshakeBytes(side, opened.data, out);
        return;
      case ContentType.ALERT:
      case ContentType.HEARTBEAT:
        return;
      default:
        this.stop(
          side,
          out,
          CaptureErrorCode.TLS_UNEXPECTED_MESSAGE,
          "tls_unknown_content_type",
          `A protected record of content type ${opened.type}`,
        );
    }
  }

  /** Finds the keys for the side's next protected record; reports the connection undecryptable when there are none. */
  private installKeys(side: Side, out: TlsEvent[]): boolean {
    const ch = this.clientHello;
    const sh = this.serverHello;
    const suite = this.suite;
    if (ch === undefined || sh === undefined) {
      this.stop(side, out, CaptureErrorCode.TLS_UNEXPECTED_MESSAGE, "tls_protected_before_hello", "A protected record before the hellos");
      return false;
    }
    if (suite === undefined) {
      this.undecryptable("unsupported-cipher-suite", out);
      return false;
    }
    if (this.tls13) {
      const isClient = side === this.client;
      const label: Tls13SecretLabel =
        side.phase === "early"
          ? "CLIENT_EARLY_TRAFFIC_SECRET"
          : side.phase === "application"
            ? isClient
              ? "CLIENT_TRAFFIC_SECRET_0"
              : "SERVER_TRAFFIC_SECRET_0"
            : isClient
              ? "CLIENT_HANDSHAKE_TRAFFIC_SECRET"
              : "SERVER_HANDSHAKE_TRAFFIC_SECRET";
      const secret = this.keyLog.get(label, ch.random);
      if (secret === undefined) {
        this.undecryptable("no-keys", out);
        return false;
      }
      if (secret.length !== (suite.hash === "sha256" ? 32 : 48)) {
        this.undecryptable("wrong-keys", out);
        return false;
      }
      side.keys = tls13Keys(suite, secret);
      side.keysProven = false;
      return true;
    }
    const ms = this.findMasterSecret(ch, sh);
    if (ms === undefined) {
      this.undecryptable("no-keys", out);
      return false;
    }
    const both = tls12Keys(suite, ms, ch.random, sh.random);
    side.keys = side === this.client ? both.client : both.server;
    side.keysProven = false;
    return true;
  }

  private findMasterSecret(ch: ClientHello, sh: ServerHello): Uint8Array | undefined {
    if (this.masterSecret !== undefined) return this.masterSecret;
    let ms = this.keyLog.get("CLIENT_RANDOM", ch.random) ?? (sh.sessionId.length > 0 ? this.keyLog.rsaMasterKey(sh.sessionId) : undefined);
    if (ms === undefined && this.isResumed()) {
      ms =
        this.keyLog.resumedSession("session-id", sh.sessionId) ??
        (ch.ticket !== undefined ? this.keyLog.resumedSession("ticket", ch.ticket) : undefined);
    }
    if (ms !== undefined) {
      this.masterSecret = ms;
      this.keyLog.rememberSession("session-id", sh.sessionId, ms);
    }
    return ms;
  }

  /** Handshake bytes of `side` (plaintext or decrypted), cut into messages. */
  private handshakeBytes(side: Side, bytes: Uint8Array, out: TlsEvent[]): void {
    let from = 0;
    if (side.skip > 0) {
      from = Math.min(side.skip, bytes.length);
      side.skip -= from;
      if (from === bytes.length) return;
    }
    const hs = side.handshake;
    hs.append(bytes, from);
    while (!side.stopped && !this.dead) {
      const v = hs.view();
      if (v.length < 4) return;
      const type = v[0]!;
      const length = (v[1]! << 16) | (v[2]! << 8) | v[3]!;
      if (!READ_TYPES.has(type)) {
        const have = Math.min(v.length - 4, length);
        hs.consume(4 + have);
        side.skip = length - have;
        if (side.skip > 0) return;
        continue;
      }
      if (length > this.maxHandshakeMessage) {
        this.stop(
          side,
          out,
          CaptureErrorCode.TLS_MALFORMED_HANDSHAKE,
          "tls_handshake_message_too_long",
          `A handshake message of type ${type} and ${length} bytes is longer than ${this.maxHandshakeMessage} (maxHandshakeMessage)`,
        );
        return;
      }
      if (v.length < 4 + length) return;
      const body = v.slice(4, 4 + length);
      hs.consume(4 + length);
      try {
        this.handshakeMessage(side, type, body, out);
      } catch (e) {
        if (!(e instanceof MalformedHello)) throw e;
        this.stop(
          side,
          out,
          CaptureErrorCode.TLS_MALFORMED_HANDSHAKE,
          "tls_malformed_handshake",
          `Handshake message ${type}: ${e.message}`,
        );
        return;
      }
    }
  }

  private handshakeMessage(side: Side, type: number, body: Uint8Array, out: TlsEvent[]): void {
    const isClient = side === this.client;
    switch (type) {
      case HandshakeType.CLIENT_HELLO: {
        if (!isClient) throw new MalformedHello("a ClientHello from the server");
        if (side.phase !== "plain") return; // TLS 1.2 renegotiation: not followed
        const hello = parseClientHello(body);
        // After a HelloRetryRequest the second ClientHello keeps the same random (RFC 8446 §4.1.2).
        if (this.clientHello === undefined || this.helloRetry) this.clientHello = hello;
        return;
      }
      case HandshakeType.SERVER_HELLO: {
        if (isClient) throw new MalformedHello("a ServerHello from the client");
        if (side.phase !== "plain") return;
        this.serverHelloMessage(parseServerHello(body), out);
        return;
      }
      case HandshakeType.ENCRYPTED_EXTENSIONS: {
        if (isClient || !this.tls13 || this.extensions !== undefined) throw new MalformedHello("an unexpected EncryptedExtensions");
        this.extensions = parseEncryptedExtensions(body);
        if (this.clientHello?.earlyData) this.earlyData = this.extensions.earlyData ? "accepted" : "rejected";
        this.reportHandshake(out);
        this.decide(out);
        return;
      }
      case HandshakeType.FINISHED:
        // TLS 1.3: the next records of this direction use the application traffic secret.
        if (this.tls13 && side.phase === "handshake") {
          side.phase = "application";
          side.keys = null;
        }
        return;
      case HandshakeType.END_OF_EARLY_DATA:
        if (this.tls13 && isClient && side.phase === "early") {
          side.phase = "handshake";
          side.keys = null;
        }
        return;
      case HandshakeType.KEY_UPDATE:
        if (!this.tls13 || side.phase !== "application" || side.keys === null) return;
        if (!isKeyUpdate(body)) throw new MalformedHello("a KeyUpdate body other than one byte 0 or 1");
        side.keys = tls13UpdatedKeys(side.keys);
        return;
      case HandshakeType.NEW_SESSION_TICKET:
        // TLS 1.2 (RFC 5077): remember the ticket, so a connection resuming with it can be decrypted.
        if (!this.tls13 && !isClient && this.clientHello !== undefined && this.serverHello !== undefined) {
          const ms = this.findMasterSecret(this.clientHello, this.serverHello);
          if (ms !== undefined) this.keyLog.rememberSession("ticket", parseTls12Ticket(body), ms);
        }
        return;
    }
  }

  private serverHelloMessage(sh: ServerHello, out: TlsEvent[]): void {
    const ch = this.clientHello;
    if (ch === undefined) throw new MalformedHello("a ServerHello before any ClientHello");
    if (sh.helloRetry) {
      this.helloRetry = true;
      return;
    }
    if (this.serverHello !== undefined) throw new MalformedHello("a second ServerHello");
    this.serverHello = sh;
    this.tls13 = sh.version === TlsVersion.TLS_1_3;
    const suite = CIPHER_SUITES.get(sh.cipherSuite);
    if (suite === undefined || (suite.version === "TLS 1.3") !== this.tls13 || (!this.tls13 && sh.version !== TlsVersion.TLS_1_2)) {
      this.undecryptable("unsupported-cipher-suite", out);
      return;
    }
    this.suite = suite;
    if (this.tls13) {
      this.server.phase = "handshake";
      this.server.keys = null;
      if (!ch.earlyData) {
        this.client.phase = "handshake";
        // Without early data nothing waits on EncryptedExtensions.
        this.decided = true;
      }
      return;
    }
    // TLS 1.2: the ServerHello has the ALPN; keys come with ChangeCipherSpec.
    this.decryptable = this.findMasterSecret(ch, sh) !== undefined;
    this.reportHandshake(out);
    this.decryptable = true;
    this.decide(out);
  }

  /** The server's answer to early data is known (or never will be): read the client's held records. */
  private decide(out: TlsEvent[]): void {
    if (this.decided) return;
    this.decided = true;
    if (this.tls13 && this.client.phase === "plain") {
      if (this.earlyData === "accepted") this.client.phase = "early";
      else {
        this.client.phase = "handshake";
        if (this.clientHello?.earlyData) this.client.skipBudget = this.maxEarlyData;
      }
      this.client.keys = null;
    }
    if (!this.client.stopped && !this.dead) this.drain(this.client, out);
  }
}
