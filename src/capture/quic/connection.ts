/**
 * QUIC connections in a capture: datagrams split into packets, connections
 * tracked by connection IDs (and addresses), packets decrypted (Initial
 * without keys, the others with key-log secrets), CRYPTO and STREAM data
 * reassembled, TLS handshake read, HTTP/3 decoded.
 */
import { decodeFrames } from "../../quic/frames/decode.js";
import type { QuicFrame } from "../../quic/frames/types.js";
import { type ProtectedPacketHeader, readPacketHeader } from "../../quic/packet.js";
import { decodePacketNumber } from "../../quic/packet-number.js";
import { quicVersionName } from "../../quic/version.js";
import { HttpwireError } from "../../shared/errors.js";
import { integerOption } from "../../shared/options.js";
import { cipherSuiteName, hashLength } from "../crypto.js";
import { CaptureError, CaptureErrorCode } from "../errors.js";
import type { ErrorEvent } from "../events.js";
import type { KeyLog, Tls13SecretLabel } from "../keylog.js";
import type { UdpDatagram } from "../net.js";
import type { Direction, Endpoint } from "../tcp.js";
import type { QuicCaptureEvent, QuicInfo, QuicPacketType, QuicUndecryptableReason } from "./events.js";
import { H3Session } from "./h3.js";
import { readClientHello, readEncryptedExtensionsAlpn, readServerHelloSuite } from "./handshake.js";
import {
  derivePacketKeys,
  initialKeys,
  isDecryptableVersion,
  nextKeyPhase,
  openPayload,
  type PacketKeys,
  QUIC_CIPHER_SUITES,
  type QuicCipherSuite,
  removeHeaderProtection,
  verifyRetryIntegrity,
} from "./protection.js";
import { StreamReassembler } from "./reassembly.js";

/** Options of {@link QuicCapture}. */
export interface QuicCaptureOptions {
  /** The key log (TLS 1.3 secrets by client random); without it only Initial packets are decrypted. */
  readonly keyLog?: KeyLog;
  /** Out-of-order bytes held per stream before a hole is declared a gap. Default 1 MiB. */
  readonly maxStreamPending?: number;
  /** Handshake bytes buffered per encryption level and direction. Default 256 KiB. */
  readonly maxHandshakeBytes?: number;
  /** Largest decoded HTTP/3 field section. Default 1 MiB. */
  readonly maxFieldSectionSize?: number;
  /** Emit a `quic-packet` event per packet. Default true. */
  readonly packets?: boolean;
}

/** Default {@link QuicCaptureOptions.maxStreamPending}. */
export const QUIC_MAX_STREAM_PENDING = 1024 * 1024;
/** Default {@link QuicCaptureOptions.maxHandshakeBytes}. */
export const QUIC_MAX_HANDSHAKE_BYTES = 256 * 1024;
/** Error events reported per connection; more are counted, not reported. */
export const QUIC_MAX_ERRORS_PER_CONNECTION = 32;

type Emit = (e: QuicCaptureEvent | ErrorEvent) => void;
type Level = "initial" | "handshake";
type Space = "initial" | "handshake" | "application";

const OTHER: Record<Direction, Direction> = { "client-to-server": "server-to-client", "server-to-client": "client-to-server" };
const hex = (b: Uint8Array): string => {
  let s = "";
  for (let i = 0; i < b.length; i++) s += (b[i]! < 16 ? "0" : "") + b[i]!.toString(16);
  return s;
};

interface AppKeys {
  phase: 0 | 1;
  current: PacketKeys;
  next: PacketKeys | undefined;
  previous: PacketKeys | undefined;
}

interface Side {
  readonly largest: Record<Space, number>;
  readonly crypto: Record<Level, StreamReassembler>;
  readonly handshake: Record<Level, { buf: Uint8Array; done: boolean }>;
  handshakeKeys: PacketKeys | undefined | null;
  app: AppKeys | undefined | null;
  early: PacketKeys[] | undefined | null;
  readonly streams: Map<number, StreamReassembler>;
  readonly decrypted: Set<QuicPacketType>;
}

interface Conn {
  readonly n: number;
  readonly client: Endpoint;
  readonly server: Endpoint;
  readonly version: number;
  originalDcid: Uint8Array;
  initial: { client: PacketKeys; server: PacketKeys } | undefined;
  info: QuicInfo;
  opened: boolean;
  handshakeReported: boolean;
  readonly reported: Set<string>;
  readonly sides: Record<Direction, Side>;
  readonly h3: H3Session;
  errors: number;
  closed: boolean;
  lastTime: number;
  /** Lengths of the connection IDs each endpoint issued (what short headers toward it carry). */
  serverCidLength?: number;
  clientCidLength?: number;
  /** A key-log secret did not fit the negotiated suite. */
  wrongSecret?: boolean;
}

function allZero(b: Uint8Array, p: number): boolean {
  for (let i = p; i < b.length; i++) if (b[i] !== 0) return false;
  return true;
}

/** Datagrams up to this size are taken as one datagram; larger ones may be GSO batches. */
const MAX_PLAIN_DATAGRAM = 1500;

/**
 * The segment size of a UDP GSO batch captured before segmentation (on
 * loopback the capture sees one "datagram" of up to 64 KiB holding several
 * equal-size QUIC datagrams): the first later offset where a short header
 * with the same Destination Connection ID starts. `undefined` for a plain
 * datagram.
 */
function gsoSegmentLength(b: Uint8Array, p: number, dcidLength: number): number | undefined {
  if (b.length - p <= MAX_PLAIN_DATAGRAM || dcidLength < 4) return undefined;
  const first = p + 1 + dcidLength + 20; // header, a 1-byte packet number and the AEAD tag at least
  for (let s = first; s + 1 + dcidLength <= b.length; s++) {
    if ((b[s]! & 0x80) !== 0) continue;
    let same = true;
    for (let i = 1; i <= dcidLength && same; i++) same = b[s + i] === b[p + i];
    if (same) return s - p;
  }
  return undefined;
}

/**
 * Tracks and decodes the QUIC connections of a capture. Feed it every UDP
 * datagram in capture order; it reports through `emit`.
 *
 * @example
 * ```ts
 * // Every UDP datagram of the capture goes to datagram(); end() closes what is left.
 * const events: unknown[] = [];
 * let next = 1;
 * const quic = new QuicCapture((e) => events.push(e), () => next++, { keyLog: new KeyLog() });
 * quic.end(0);
 * events.length; // => 0
 * ```
 */
export class QuicCapture {
  private readonly byCid = new Map<string, { conn: Conn; dir: Direction }>();
  private readonly cidLengths = new Set<number>();
  private readonly byAddress = new Map<string, { conn: Conn; dir: Direction }>();
  private readonly conns: Conn[] = [];
  private readonly maxStreamPending: number;
  private readonly maxHandshakeBytes: number;
  private readonly maxFieldSectionSize: number;
  private readonly packets: boolean;

  constructor(
    private readonly emit: Emit,
    private readonly nextConnection: () => number,
    private readonly options: QuicCaptureOptions = {},
  ) {
    const o = "QuicCapture";
    this.maxStreamPending = integerOption(o, "maxStreamPending", options.maxStreamPending, QUIC_MAX_STREAM_PENDING, 0, 2 ** 40);
    this.maxHandshakeBytes = integerOption(o, "maxHandshakeBytes", options.maxHandshakeBytes, QUIC_MAX_HANDSHAKE_BYTES, 0, 2 ** 40);
    this.maxFieldSectionSize = integerOption(o, "maxFieldSectionSize", options.maxFieldSectionSize, 1024 * 1024, 0, 2 ** 40);
    this.packets = options.packets ?? true;
  }

  /** Number of QUIC connections seen so far. */
  get connectionCount(): number {
    return this.conns.length;
  }

  /**
   * One UDP datagram.
   * @returns whether it belonged to a QUIC connection (new or known)
   */
  datagram(d: UdpDatagram, time: number): boolean {
    const b = d.payload;
    if (b.length === 0) return false;
    const found = this.attribute(d, b);
    if (found === undefined) return false;
    const { conn, dir } = found;
    conn.lastTime = time;
    // Both directions of this address pair belong to the connection (zero-length connection IDs, RFC 9000 §5.1).
    this.byAddress.set(`${d.src}|${d.srcPort}|${d.dst}|${d.dstPort}`, { conn, dir });
    this.byAddress.set(`${d.dst}|${d.dstPort}|${d.src}|${d.srcPort}`, { conn, dir: OTHER[dir] });
    if (b.length < d.payloadLength) {
      this.error(
        conn,
        dir,
        time,
        CaptureErrorCode.QUIC_MALFORMED_PACKET,
        "quic_datagram_truncated",
        `Datagram cut by the capture: ${b.length} of ${d.payloadLength} bytes captured`,
      );
    }
    let p = 0;
    while (p < b.length) {
      if (p > 0 && allZero(b, p)) break; // padding after coalesced packets
      const long = (b[p]! & 0x80) !== 0;
      const dcidLength = long ? 0 : this.shortDcidLength(conn, dir);
      // A GSO batch captured on loopback before segmentation: one datagram per segment.
      const segment = long ? undefined : gsoSegmentLength(b, p, dcidLength);
      const input = segment === undefined ? b.subarray(p) : b.subarray(p, p + segment);
      let h: ProtectedPacketHeader;
      try {
        const r = readPacketHeader(input, 0, { shortHeaderCidLength: dcidLength, requireFixedBit: false });
        if (r.status === "need-more") {
          this.error(
            conn,
            dir,
            time,
            CaptureErrorCode.QUIC_MALFORMED_PACKET,
            "quic_packet_truncated",
            `QUIC packet at datagram offset ${p} runs ${r.needed} bytes past the end of the datagram`,
          );
          break;
        }
        h = r;
      } catch (e) {
        if (!(e instanceof HttpwireError)) throw e;
        this.report(conn, dir, time, e);
        break;
      }
      this.packet(conn, dir, h, time);
      p += h.length;
    }
    return true;
  }

  /** The capture ended: streams with holes report gaps, each open connection a close. */
  end(time: number): void {
    for (const conn of this.conns) {
      for (const dir of ["client-to-server", "server-to-client"] as const) {
        for (const r of conn.sides[dir].streams.values()) r.end();
      }
      conn.h3.end(time);
      if (!conn.closed) {
        conn.closed = true;
        this.emit({ type: "quic-close", connection: conn.n, time: conn.lastTime, how: "end" });
      }
    }
  }

  /** Finds (or starts) the connection and direction of a datagram. */
  private attribute(d: UdpDatagram, b: Uint8Array): { conn: Conn; dir: Direction } | undefined {
    const first = b[0]!;
    if (first & 0x80) {
      if (b.length < 7) return undefined;
      const dl = b[5]!;
      if (6 + dl > b.length) return undefined;
      const dcid = hex(b.subarray(6, 6 + dl));
      const known = this.byCid.get(dcid);
      if (known !== undefined && dl > 0) return known;
      const byAddr = this.byAddress.get(`${d.src}|${d.srcPort}|${d.dst}|${d.dstPort}`);
      if (byAddr !== undefined) return byAddr;
      return this.open(d, b);
    }
    // The fixed bit is not checked: peers may grease it (RFC 9287).
    for (const len of this.cidLengths) {
      if (1 + len > b.length) continue;
      const known = this.byCid.get(hex(b.subarray(1, 1 + len)));
      if (known !== undefined) return known;
    }
    return this.byAddress.get(`${d.src}|${d.srcPort}|${d.dst}|${d.dstPort}`);
  }

  /** A long header datagram from an unknown connection: a client's first Initial starts one. */
  private open(d: UdpDatagram, b: Uint8Array): { conn: Conn; dir: Direction } | undefined {
    let h: ProtectedPacketHeader;
    try {
      const r = readPacketHeader(b, 0, { requireFixedBit: false });
      if (r.status === "need-more") return undefined;
      h = r;
    } catch {
      return undefined; // not a QUIC packet this decoder can read: other UDP traffic
    }
    // A Retry never starts a connection and is never 1200 bytes: such a datagram is a client's first
    // packet with another version's type bits; it is tracked so that it can be named.
    if (h.type !== "initial" && h.type !== "unknown-version" && h.type !== "retry") return undefined;
    // RFC 9000 §14.1: a client's Initial datagram is at least 1200 bytes; this keeps other UDP traffic out.
    const dcid = h.destinationCid;
    if (d.payloadLength < 1200 || dcid.length < 8 || dcid.length > 20) return undefined;
    const n = this.nextConnection();
    const version = h.version;
    const supported = isDecryptableVersion(version);
    const side = (): Side => ({
      largest: { initial: -1, handshake: -1, application: -1 },
      crypto: {
        initial: new StreamReassembler({ data: () => {}, gap: () => {}, fin: () => {} }, 0),
        handshake: new StreamReassembler({ data: () => {}, gap: () => {}, fin: () => {} }, 0),
      },
      handshake: { initial: { buf: new Uint8Array(0), done: false }, handshake: { buf: new Uint8Array(0), done: false } },
      handshakeKeys: undefined,
      app: undefined,
      early: undefined,
      streams: new Map(),
      decrypted: new Set(),
    });
    const conn: Conn = {
      n,
      client: { address: d.src, port: d.srcPort },
      server: { address: d.dst, port: d.dstPort },
      version,
      originalDcid: dcid.slice(),
      initial: supported ? initialKeys(version, dcid) : undefined,
      info: { version, versionName: quicVersionName(version), originalDcid: hex(dcid), alpnOffered: [] },
      opened: false,
      handshakeReported: false,
      reported: new Set(),
      sides: { "client-to-server": side(), "server-to-client": side() },
      h3: new H3Session(n, this.emit, { maxFieldSectionSize: this.maxFieldSectionSize, maxQueuedBytes: this.maxStreamPending }),
      errors: 0,
      closed: false,
      lastTime: 0,
    };
    for (const dir of ["client-to-server", "server-to-client"] as const) {
      const s = conn.sides[dir];
      for (const level of ["initial", "handshake"] as const) {
        s.crypto[level] = new StreamReassembler(
          {
            data: (bytes) => this.handshakeData(conn, dir, level, bytes),
            gap: () => {
              s.handshake[level].done = true;
            },
            fin: () => {},
          },
          this.maxHandshakeBytes,
        );
      }
    }
    this.conns.push(conn);
    this.addCid(dcid, conn, "client-to-server");
    this.addCid(h.sourceCid, conn, "server-to-client");
    return { conn, dir: "client-to-server" };
  }

  private addCid(cid: Uint8Array, conn: Conn, dir: Direction): void {
    if (cid.length === 0) return;
    this.byCid.set(hex(cid), { conn, dir });
    this.cidLengths.add(cid.length);
  }

  /** The DCID length of short headers sent in `dir`: the length of the CIDs the peer issued. */
  private shortDcidLength(conn: Conn, dir: Direction): number {
    return dir === "client-to-server" ? (conn.serverCidLength ?? 0) : (conn.clientCidLength ?? 0);
  }

  private ensureOpen(conn: Conn, time: number): void {
    if (conn.opened) return;
    conn.opened = true;
    this.emit({ type: "quic-open", connection: conn.n, client: conn.client, server: conn.server, time, info: conn.info });
  }

  private undecryptable(conn: Conn, time: number, reason: QuicUndecryptableReason, level?: QuicPacketType): void {
    const key = `${reason}/${level ?? ""}`;
    if (conn.reported.has(key)) return;
    conn.reported.add(key);
    this.ensureOpen(conn, time);
    this.emit({ type: "quic-undecryptable", connection: conn.n, time, reason, ...(level === undefined ? {} : { level }), info: conn.info });
  }

  private error(conn: Conn, dir: Direction, time: number, code: CaptureErrorCode, reason: string, message: string): void {
    this.report(conn, dir, time, new CaptureError(`QUIC connection ${conn.n}: ${message}`, code, { reason }));
  }

  private report(conn: Conn, dir: Direction | undefined, time: number, error: HttpwireError): void {
    if (++conn.errors > QUIC_MAX_ERRORS_PER_CONNECTION) return;
    this.ensureOpen(conn, time);
    this.emit({ type: "error", connection: conn.n, direction: dir, time, error });
  }

  private packet(conn: Conn, dir: Direction, h: ProtectedPacketHeader, time: number): void {
    const long = h.type !== "1-rtt";
    const base = {
      type: "quic-packet" as const,
      connection: conn.n,
      direction: dir,
      time,
      packetType: h.type,
      ...(h.type === "1-rtt" ? {} : { version: h.version }),
      dcid: hex(h.destinationCid),
      ...(h.type === "1-rtt" ? {} : { scid: hex(h.sourceCid) }),
      length: h.length,
    };
    if (h.type === "version-negotiation") {
      this.ensureOpen(conn, time);
      if (this.packets) this.emit({ ...base, versions: h.supportedVersions });
      return;
    }
    if (h.type === "unknown-version" || (long && !isDecryptableVersion(h.version))) {
      this.undecryptable(conn, time, "unsupported-version", h.type);
      if (this.packets) this.emit(base);
      return;
    }
    if (h.type === "retry" && dir === "client-to-server") {
      this.error(
        conn,
        dir,
        time,
        CaptureErrorCode.QUIC_MALFORMED_PACKET,
        "quic_client_packet_not_initial",
        `the client's ${h.length}-byte packet has QUIC ${quicVersionName(h.version)}'s Retry type bits: it is not an Initial of that version (a client that does not implement ${quicVersionName(h.version)} and uses version 1's packet types?)`,
      );
      if (this.packets) this.emit(base);
      return;
    }
    if (h.type === "retry") {
      const valid = verifyRetryIntegrity(h.version, conn.originalDcid, h.packet);
      if (valid && dir === "server-to-client") {
        // RFC 9001 §5.2: the client's next Initial is protected with keys from the Retry's SCID.
        conn.initial = initialKeys(conn.version, h.sourceCid);
        this.addCid(h.sourceCid, conn, "client-to-server");
        conn.serverCidLength = h.sourceCid.length;
      }
      this.ensureOpen(conn, time);
      if (this.packets) this.emit({ ...base, retryTagValid: valid });
      return;
    }
    if (h.type !== "1-rtt" && h.type !== "0-rtt") {
      // The peer's SCID is what short headers toward it carry.
      if (dir === "server-to-client") {
        if (conn.serverCidLength === undefined) this.addCid(h.sourceCid, conn, "client-to-server");
        conn.serverCidLength ??= h.sourceCid.length;
      } else {
        conn.clientCidLength ??= h.sourceCid.length;
      }
    }
    const opened = this.decrypt(conn, dir, h.packet, h.type, h.packetNumberOffset, time);
    if (opened === undefined) {
      this.ensureOpen(conn, time);
      if (this.packets) this.emit(base);
      return;
    }
    let frames: QuicFrame[] | undefined;
    try {
      frames = decodeFrames(opened.payload, { packetType: h.type, sender: dir === "client-to-server" ? "client" : "server" });
    } catch (e) {
      if (!(e instanceof HttpwireError)) throw e;
      this.report(conn, dir, time, e);
    }
    if (frames !== undefined) this.frames(conn, dir, h.type, frames, time);
    this.ensureOpen(conn, time);
    if (this.packets) {
      this.emit({
        ...base,
        packetNumber: opened.packetNumber,
        ...(long ? {} : { keyPhase: opened.keyPhase }),
        ...(frames === undefined ? {} : { frames }),
      });
    }
  }

  private decrypt(
    conn: Conn,
    dir: Direction,
    packet: Uint8Array,
    type: "initial" | "0-rtt" | "handshake" | "1-rtt",
    pnOffset: number,
    time: number,
  ): { payload: Uint8Array; packetNumber: number; keyPhase: 0 | 1 } | undefined {
    const h = { type };
    const side = conn.sides[dir];
    const space: Space = type === "initial" ? "initial" : type === "handshake" ? "handshake" : "application";
    let candidates: PacketKeys[];
    if (h.type === "initial") {
      candidates = conn.initial === undefined ? [] : [dir === "client-to-server" ? conn.initial.client : conn.initial.server];
    } else if (h.type === "handshake") {
      candidates = this.handshakeKeys(conn, dir);
    } else if (h.type === "0-rtt") {
      candidates = this.earlyKeys(conn);
    } else {
      candidates = this.appKeys(conn, dir);
    }
    if (candidates.length === 0) {
      if (h.type !== "initial" && !conn.reported.has(`wrong-keys/${h.type}`))
        this.undecryptable(conn, time, this.missingReason(conn), h.type);
      return undefined;
    }
    for (const keys of candidates) {
      const uh = removeHeaderProtection(keys, packet, pnOffset);
      if (uh === undefined) break;
      const largest = side.largest[space];
      const pn = Number(decodePacketNumber(largest < 0 ? undefined : largest, uh.truncatedPacketNumber, 8 * uh.packetNumberLength));
      const ct = packet.subarray(uh.header.length);
      let payload: Uint8Array | null;
      let keyPhase: 0 | 1 = 0;
      keyPhase = h.type === "1-rtt" && (uh.header[0]! & 0x04) !== 0 ? 1 : 0;
      const app = side.app;
      if (h.type === "1-rtt" && app !== undefined && app !== null) {
        if (keyPhase === app.phase) {
          payload = openPayload(app.current, pn, uh.header, ct);
          if (payload === null && app.previous !== undefined && pn < side.largest.application) {
            payload = openPayload(app.previous, pn, uh.header, ct);
          }
        } else {
          // RFC 9001 §6: a flipped Key Phase bit is the next key phase (or a late packet of the previous one).
          if (app.previous !== undefined && pn < side.largest.application) payload = openPayload(app.previous, pn, uh.header, ct);
          else payload = null;
          if (payload === null) {
            app.next ??= nextKeyPhase(app.current);
            payload = openPayload(app.next, pn, uh.header, ct);
            if (payload !== null) {
              app.previous = app.current;
              app.current = app.next;
              app.next = undefined;
              app.phase = keyPhase;
            }
          }
        }
      } else {
        payload = openPayload(keys, pn, uh.header, ct);
      }
      if (payload !== null) {
        // The suite that worked is the one: keep its keys.
        if (h.type === "0-rtt") side.early = [keys];
        else if (h.type === "handshake") side.handshakeKeys = keys;
        else if (h.type === "1-rtt" && (app === undefined || app === null)) {
          side.app = { phase: keyPhase, current: keys, next: undefined, previous: undefined };
        }
        if (pn > side.largest[space]) side.largest[space] = pn;
        side.decrypted.add(h.type);
        return { payload, packetNumber: pn, keyPhase };
      }
      if (h.type === "1-rtt" && app !== undefined && app !== null) break;
    }
    if (!side.decrypted.has(h.type) && h.type !== "initial") {
      this.undecryptable(conn, time, "wrong-keys", h.type);
    } else {
      this.error(
        conn,
        dir,
        time,
        CaptureErrorCode.QUIC_PACKET_UNDECRYPTABLE,
        "quic_packet_authentication_failed",
        `${h.type} packet of ${packet.length} bytes failed authentication (damaged or truncated)`,
      );
    }
    return undefined;
  }

  private missingReason(conn: Conn): QuicUndecryptableReason {
    if (conn.wrongSecret) return "wrong-keys";
    if (conn.info.cipherSuite !== undefined && !QUIC_CIPHER_SUITES.has(conn.info.cipherSuite)) return "unsupported-cipher-suite";
    return "no-keys";
  }

  private secret(conn: Conn, label: Tls13SecretLabel): Uint8Array | undefined {
    const cr = conn.info.clientRandom;
    if (cr === undefined) return undefined;
    return this.options.keyLog?.get(label, cr);
  }

  /**
   * Cipher suites to try for a secret: the negotiated one, else those whose
   * hash fits the secret's length. A secret whose length does not fit the
   * negotiated suite's hash is a key log for another session: wrong keys.
   */
  private suitesFor(conn: Conn, secret: Uint8Array): number[] {
    const fits = (s: QuicCipherSuite) => hashLength(s.hash) === secret.length;
    const cs = conn.info.cipherSuite;
    if (cs !== undefined) {
      const suite = QUIC_CIPHER_SUITES.get(cs);
      if (suite === undefined) return [];
      if (!fits(suite)) {
        conn.wrongSecret = true;
        return [];
      }
      return [cs];
    }
    return [...QUIC_CIPHER_SUITES.values()].filter(fits).map((s) => s.id);
  }

  /** Keys derived from a key-log secret, one per cipher suite that may apply; cached once the suite is known. */
  private derived(conn: Conn, label: Tls13SecretLabel): PacketKeys[] {
    const s = this.secret(conn, label);
    if (s === undefined) return [];
    return this.suitesFor(conn, s).map((id) => derivePacketKeys(conn.version, id, s));
  }

  private handshakeKeys(conn: Conn, dir: Direction): PacketKeys[] {
    const side = conn.sides[dir];
    if (side.handshakeKeys !== undefined && side.handshakeKeys !== null) return [side.handshakeKeys];
    if (side.handshakeKeys === null) return [];
    const keys = this.derived(conn, dir === "client-to-server" ? "CLIENT_HANDSHAKE_TRAFFIC_SECRET" : "SERVER_HANDSHAKE_TRAFFIC_SECRET");
    if (keys.length === 0 && conn.info.clientRandom !== undefined) side.handshakeKeys = null;
    return keys;
  }

  private appKeys(conn: Conn, dir: Direction): PacketKeys[] {
    const side = conn.sides[dir];
    if (side.app !== undefined && side.app !== null) return [side.app.current];
    if (side.app === null) return [];
    const keys = this.derived(conn, dir === "client-to-server" ? "CLIENT_TRAFFIC_SECRET_0" : "SERVER_TRAFFIC_SECRET_0");
    if (keys.length === 0 && conn.info.clientRandom !== undefined) side.app = null;
    return keys;
  }

  private earlyKeys(conn: Conn): PacketKeys[] {
    const side = conn.sides["client-to-server"];
    if (side.early !== undefined && side.early !== null) return side.early;
    if (side.early === null) return [];
    const keys = this.derived(conn, "CLIENT_EARLY_TRAFFIC_SECRET");
    if (keys.length === 0 && conn.info.clientRandom !== undefined) side.early = null;
    return keys;
  }

  private frames(conn: Conn, dir: Direction, type: QuicPacketType, frames: readonly QuicFrame[], time: number): void {
    const side = conn.sides[dir];
    for (const f of frames) {
      switch (f.type) {
        case "crypto":
          if (type === "initial") side.crypto.initial.push(Number(f.offset), f.data, false);
          else if (type === "handshake") side.crypto.handshake.push(Number(f.offset), f.data, false);
          break;
        case "stream":
          this.streamFrame(conn, dir, Number(f.streamId), Number(f.offset), f.data, f.fin, time);
          break;
        case "reset-stream": {
          const streamId = Number(f.streamId);
          const r = side.streams.get(streamId);
          if (r === undefined || !r.finished) {
            r?.stop();
            conn.h3.stop(dir, streamId);
            this.emit({
              type: "quic-stream",
              connection: conn.n,
              direction: dir,
              time,
              streamId,
              event: "reset",
              errorCode: Number(f.errorCode),
            });
          }
          break;
        }
        case "new-connection-id":
          // CIDs issued by the sender are what packets toward it carry.
          this.addCid(f.connectionId, conn, OTHER[dir]);
          break;
        case "connection-close":
          if (!conn.closed) {
            conn.closed = true;
            this.emit({
              type: "quic-close",
              connection: conn.n,
              time,
              how: "connection-close",
              direction: dir,
              errorCode: Number(f.errorCode),
              application: f.errorSpace === "application",
              reason: String.fromCharCode(...f.reasonPhrase.subarray(0, 256)),
            });
          }
          break;
        default:
          break;
      }
    }
  }

  private streamFrame(conn: Conn, dir: Direction, streamId: number, offset: number, data: Uint8Array, fin: boolean, time: number): void {
    const side = conn.sides[dir];
    let r = side.streams.get(streamId);
    if (r === undefined) {
      r = new StreamReassembler(
        {
          data: (bytes, at) => conn.h3.data(dir, streamId, bytes, at, conn.lastTime),
          gap: (at, missing) => {
            this.emit({
              type: "quic-stream",
              connection: conn.n,
              direction: dir,
              time: conn.lastTime,
              streamId,
              event: "gap",
              offset: at,
              missing,
            });
            conn.h3.stop(dir, streamId);
          },
          fin: () => {
            conn.h3.fin(dir, streamId, conn.lastTime);
            this.emit({ type: "quic-stream", connection: conn.n, direction: dir, time: conn.lastTime, streamId, event: "fin" });
          },
        },
        this.maxStreamPending,
      );
      side.streams.set(streamId, r);
    }
    conn.lastTime = time;
    r.push(offset, data, fin);
  }

  /** In-order CRYPTO bytes of one level: TLS handshake messages. */
  private handshakeData(conn: Conn, dir: Direction, level: Level, bytes: Uint8Array): void {
    const hs = conn.sides[dir].handshake[level];
    if (hs.done) return;
    const buf = new Uint8Array(hs.buf.length + bytes.length);
    buf.set(hs.buf);
    buf.set(bytes, hs.buf.length);
    let p = 0;
    while (p + 4 <= buf.length && !hs.done) {
      const len = (buf[p + 1]! << 16) | (buf[p + 2]! << 8) | buf[p + 3]!;
      if (p + 4 + len > buf.length) break;
      this.handshakeMessage(conn, dir, level, buf[p]!, buf.subarray(p + 4, p + 4 + len));
      p += 4 + len;
    }
    hs.buf = buf.slice(p);
    if (hs.buf.length > this.maxHandshakeBytes) hs.done = true;
  }

  private handshakeMessage(conn: Conn, dir: Direction, level: Level, type: number, body: Uint8Array): void {
    const hs = conn.sides[dir].handshake[level];
    if (type === 1 && dir === "client-to-server" && level === "initial") {
      hs.done = true;
      const ch = readClientHello(body);
      if (ch === undefined) return;
      const offered = ch.transportParameters?.versionInformation?.availableVersions ?? [];
      conn.info = {
        ...conn.info,
        ...(ch.serverName === undefined ? {} : { serverName: ch.serverName }),
        alpnOffered: ch.alpn,
        clientRandom: hex(ch.random),
        ...(offered.length > 0 ? { offeredVersions: offered } : {}),
        ...(ch.transportParameters === undefined ? {} : { transportParameters: ch.transportParameters }),
      };
      // Keys looked up before the client random was known are looked up again.
      for (const d of ["client-to-server", "server-to-client"] as const) {
        const s = conn.sides[d];
        if (s.handshakeKeys === null) s.handshakeKeys = undefined;
        if (s.app === null) s.app = undefined;
        if (s.early === null) s.early = undefined;
      }
    } else if (type === 2 && dir === "server-to-client" && level === "initial") {
      hs.done = true;
      const cs = readServerHelloSuite(body);
      if (cs === undefined) return;
      conn.info = { ...conn.info, cipherSuite: cs, cipherSuiteName: cipherSuiteName(cs) };
      for (const d of ["client-to-server", "server-to-client"] as const) {
        const s = conn.sides[d];
        if (s.handshakeKeys === null) s.handshakeKeys = undefined;
        if (s.app === null) s.app = undefined;
      }
    } else if (type === 8 && dir === "server-to-client" && level === "handshake") {
      hs.done = true;
      const alpn = readEncryptedExtensionsAlpn(body);
      if (alpn !== undefined) conn.info = { ...conn.info, alpn };
      this.reportHandshake(conn);
    }
  }

  private reportHandshake(conn: Conn): void {
    if (conn.handshakeReported) return;
    conn.handshakeReported = true;
    this.ensureOpen(conn, conn.lastTime);
    this.emit({ type: "quic-handshake", connection: conn.n, time: conn.lastTime, info: conn.info });
  }
}
