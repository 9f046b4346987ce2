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
import type { TransportParameters } from "../../quic/transport-parameters.js";
import { quicVersionName } from "../../quic/version.js";
import { HttpwireError } from "../../shared/errors.js";
import { toHex } from "../../shared/hex.js";
import { integerOption, numberOption } from "../../shared/options.js";
import { cipherSuiteName, hashLength } from "../crypto.js";
import { CaptureError, CaptureErrorCode } from "../errors.js";
import type { ErrorEvent } from "../events.js";
import type { KeyLog, Tls13SecretLabel } from "../keylog.js";
import type { UdpDatagram } from "../net.js";
import type { Direction, Endpoint } from "../tcp.js";
import type { QuicCaptureEvent, QuicCloseEvent, QuicInfo, QuicPacketType, QuicUndecryptableReason } from "./events.js";
import { H3Session } from "./h3.js";
import { readClientHello, readEncryptedExtensions, readServerHelloSuite } from "./handshake.js";
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
  /**
   * Seconds of capture time without a packet after which a connection is
   * over (RFC 9000 §10.1): the ceiling of the negotiated `max_idle_timeout`
   * (the smaller non-zero value of both sides' transport parameters), and
   * the timeout itself when neither side's value is known or both disabled
   * it. Default {@link QUIC_MAX_IDLE_TIMEOUT} (300 s).
   */
  readonly maxIdleTimeout?: number;
  /**
   * Seconds of capture time a connection stays recognisable after its
   * CONNECTION_CLOSE or stateless reset (the closing and draining states,
   * RFC 9000 §10.2): its later packets are still attributed and listed, its
   * streams are not. Default {@link QUIC_DRAIN_PERIOD} (3 s).
   */
  readonly drainPeriod?: number;
  /**
   * Connections held at once; a new one beyond it ends the least recently
   * active (a capture without timestamps never idles out). Default
   * {@link QUIC_MAX_CONNECTIONS} (10000).
   */
  readonly maxConnections?: number;
}

/**
 * Default {@link QuicCaptureOptions.maxIdleTimeout}: 300 s, ten times the
 * 30 s `max_idle_timeout` ngtcp2, Chromium and quic-go send by default, so a
 * connection is not forgotten early when its parameters are unknown.
 */
export const QUIC_MAX_IDLE_TIMEOUT = 300;
/**
 * Default {@link QuicCaptureOptions.drainPeriod}: 3 s, three times the
 * probe timeout of RFC 9002 §6.2.2 with its initial RTT of 333 ms
 * (333 + 4 × 333/2 + 25 ms max_ack_delay ≈ 1 s), the 3 × PTO of RFC 9000 §10.2.
 */
export const QUIC_DRAIN_PERIOD = 3;
/** Default {@link QuicCaptureOptions.maxConnections}. */
export const QUIC_MAX_CONNECTIONS = 10_000;

/** What a {@link QuicCapture} holds now (see {@link QuicCapture.footprint}). */
export interface QuicCaptureFootprint {
  /** Connections with state: open, closing or draining. */
  readonly connections: number;
  /** Entries of the connection-ID map (every CID of every connection held, NEW_CONNECTION_ID ones included). */
  readonly connectionIds: number;
  /** Entries of the address map (both directions of every address pair). */
  readonly addresses: number;
  /** Stateless reset tokens watched for. */
  readonly resetTokens: number;
  /** Stream reassemblers held (streams not finished yet: a stream is freed at its FIN or RESET_STREAM). */
  readonly streams: number;
  /** HTTP/3 stream states held (streams not finished, and the control and QPACK streams). */
  readonly h3Streams: number;
  /** Bytes held out of order in stream and CRYPTO reassembly, and partial handshake messages. */
  readonly bufferedBytes: number;
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
  /**
   * Streams finished and freed (FIN delivered or RESET_STREAM), so that a
   * retransmission does not start them again: per stream type (ID & 3),
   * every ID below `below` is finished; `above` holds finished IDs beyond.
   */
  readonly freed: { readonly below: number[]; readonly above: Set<number> };
}

/** A connection identifier or address key in a map, with the direction of the packets that carry it. */
interface Ref {
  readonly conn: Conn;
  readonly dir: Direction;
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
  /** HTTP/3 state; `undefined` once the connection is closing (its streams are no longer read). */
  h3: H3Session | undefined;
  errors: number;
  closed: boolean;
  lastTime: number;
  /** Capture time when a closing connection is forgotten. */
  drainUntil: number;
  /** Keys of this connection in the capture's maps, removed with it. */
  readonly cids: Set<string>;
  readonly addresses: Set<string>;
  readonly resetTokens: Set<string>;
  /** CIDs by sequence number, per direction of the packets that carry them (RETIRE_CONNECTION_ID removes them). */
  readonly issued: Record<Direction, Map<number, string>>;
  /** max_idle_timeout of each side's transport parameters, seconds (0: disabled). */
  clientIdle?: number;
  serverIdle?: number;
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

/**
 * Connections by the capture time they are to be looked at again: a binary
 * min-heap. Entries may be stale (the connection was active since, or is
 * forgotten); {@link QuicCapture} checks each one it takes out.
 */
class DeadlineHeap {
  private readonly at: number[] = [];
  private readonly conns: Conn[] = [];

  get size(): number {
    return this.at.length;
  }

  /** The earliest deadline (infinity when empty). */
  get first(): number {
    return this.at.length === 0 ? Number.POSITIVE_INFINITY : this.at[0]!;
  }

  push(at: number, conn: Conn): void {
    let i = this.at.length;
    this.at.push(at);
    this.conns.push(conn);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.at[parent]! <= at) break;
      this.move(parent, i);
      i = parent;
    }
    this.at[i] = at;
    this.conns[i] = conn;
  }

  /** Takes out the connection with the earliest deadline (the heap must not be empty). */
  pop(): Conn {
    const top = this.conns[0]!;
    const at = this.at.pop()!;
    const conn = this.conns.pop()!;
    const n = this.at.length;
    if (n > 0) {
      let i = 0;
      for (;;) {
        let child = 2 * i + 1;
        if (child >= n) break;
        if (child + 1 < n && this.at[child + 1]! < this.at[child]!) child++;
        if (this.at[child]! >= at) break;
        this.move(child, i);
        i = child;
      }
      this.at[i] = at;
      this.conns[i] = conn;
    }
    return top;
  }

  clear(): void {
    this.at.length = 0;
    this.conns.length = 0;
  }

  private move(from: number, to: number): void {
    this.at[to] = this.at[from]!;
    this.conns[to] = this.conns[from]!;
  }
}

/** RFC 9000 §10.3: a stateless reset is at least 21 bytes (5 unpredictable bytes and the 16-byte token) in practice; fewer is no packet. */
const STATELESS_RESET_MIN_LENGTH = 21;

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
  private readonly byCid = new Map<string, Ref>();
  private readonly cidLengths = new Set<number>();
  private readonly byAddress = new Map<string, Ref>();
  /** Stateless reset tokens (hex), with the direction a reset using them travels. */
  private readonly byResetToken = new Map<string, Ref>();
  /** The first four bytes of the watched tokens, with how many tokens begin so: most datagrams are ruled out without a hex key. */
  private readonly resetTokenHeads = new Map<number, number>();
  /** Connections with state, in the order they started. */
  private readonly live = new Set<Conn>();
  private seen = 0;
  /** When to look at each connection again (idle timeout or drain end). */
  private readonly deadlines = new DeadlineHeap();
  private readonly maxStreamPending: number;
  private readonly maxHandshakeBytes: number;
  private readonly maxFieldSectionSize: number;
  private readonly maxIdleTimeout: number;
  private readonly drainPeriod: number;
  private readonly maxConnections: number;
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
    this.maxIdleTimeout = numberOption(o, "maxIdleTimeout", options.maxIdleTimeout, QUIC_MAX_IDLE_TIMEOUT, 0, 2 ** 40);
    this.drainPeriod = numberOption(o, "drainPeriod", options.drainPeriod, QUIC_DRAIN_PERIOD, 0, 2 ** 40);
    this.maxConnections = integerOption(o, "maxConnections", options.maxConnections, QUIC_MAX_CONNECTIONS, 1, 2 ** 40);
    this.packets = options.packets ?? true;
  }

  /** Number of QUIC connections seen so far. */
  get connectionCount(): number {
    return this.seen;
  }

  /** Number of connections held now (open, closing or draining): what memory grows with. */
  get liveConnections(): number {
    return this.live.size;
  }

  /**
   * What the capture holds now, counted: connections, map entries, streams
   * and buffered bytes. Memory is bounded by the connections in flight:
   * each is forgotten after its CONNECTION_CLOSE or stateless reset (and a
   * drain period), or when idle for longer than its idle timeout.
   */
  get footprint(): QuicCaptureFootprint {
    let streams = 0;
    let h3Streams = 0;
    let bufferedBytes = 0;
    for (const conn of this.live) {
      h3Streams += conn.h3?.streamCount ?? 0;
      for (const dir of ["client-to-server", "server-to-client"] as const) {
        const side = conn.sides[dir];
        streams += side.streams.size;
        for (const r of side.streams.values()) bufferedBytes += r.pendingBytes;
        for (const level of ["initial", "handshake"] as const) {
          bufferedBytes += side.crypto[level].pendingBytes + side.handshake[level].buf.length;
        }
      }
    }
    return {
      connections: this.live.size,
      connectionIds: this.byCid.size,
      addresses: this.byAddress.size,
      resetTokens: this.byResetToken.size,
      streams,
      h3Streams,
      bufferedBytes,
    };
  }

  /**
   * One UDP datagram.
   * @returns whether it belonged to a QUIC connection (new or known)
   */
  datagram(d: UdpDatagram, time: number): boolean {
    const b = d.payload;
    if (b.length === 0) return false;
    if (time >= this.deadlines.first) this.expire(time);
    if (this.statelessReset(b, time)) return true;
    const found = this.attribute(d, b, time);
    if (found === undefined) return false;
    const { conn, dir } = found;
    conn.lastTime = time;
    // Both directions of this address pair belong to the connection (zero-length connection IDs, RFC 9000 §5.1).
    const key = `${d.src}|${d.srcPort}|${d.dst}|${d.dstPort}`;
    if (this.byAddress.get(key)?.conn !== conn) {
      const back = `${d.dst}|${d.dstPort}|${d.src}|${d.srcPort}`;
      this.byAddress.set(key, { conn, dir });
      this.byAddress.set(back, { conn, dir: OTHER[dir] });
      conn.addresses.add(key).add(back);
    }
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
    this.deadlines.clear();
    for (const conn of this.live) {
      if (!conn.closed) this.close(conn, time, { how: "end", time: conn.lastTime });
      this.drop(conn);
    }
    this.deadlines.clear();
  }

  /**
   * A connection is over: its streams end (holes become gaps), HTTP/3 ends,
   * one `quic-close` event says how, and everything but what recognises and
   * decrypts its later packets (connection IDs, addresses, packet keys) is
   * freed. It is forgotten entirely after the drain period.
   */
  private close(conn: Conn, time: number, event: Omit<QuicCloseEvent, "type" | "connection">): void {
    conn.closed = true;
    for (const dir of ["client-to-server", "server-to-client"] as const) {
      const side = conn.sides[dir];
      for (const r of side.streams.values()) r.end();
      side.streams.clear();
      for (const level of ["initial", "handshake"] as const) {
        side.crypto[level].stop();
        side.handshake[level] = { buf: new Uint8Array(0), done: true };
      }
    }
    conn.h3?.end(time);
    conn.h3 = undefined;
    this.emit({ type: "quic-close", connection: conn.n, ...event });
    conn.drainUntil = time + this.drainPeriod;
    this.deadlines.push(conn.drainUntil, conn);
  }

  /** Forgets a connection: its state and every map entry that leads to it. */
  private drop(conn: Conn): void {
    this.live.delete(conn);
    const unmap = (map: Map<string, Ref>, keys: Set<string>) => {
      for (const k of keys) if (map.get(k)?.conn === conn) map.delete(k);
      keys.clear();
    };
    unmap(this.byCid, conn.cids);
    unmap(this.byAddress, conn.addresses);
    for (const k of conn.resetTokens) {
      if (this.byResetToken.get(k)?.conn !== conn) continue;
      this.byResetToken.delete(k);
      const head = Number.parseInt(k.slice(0, 8), 16);
      const n = this.resetTokenHeads.get(head)! - 1;
      if (n === 0) this.resetTokenHeads.delete(head);
      else this.resetTokenHeads.set(head, n);
    }
    conn.resetTokens.clear();
    conn.issued["client-to-server"].clear();
    conn.issued["server-to-client"].clear();
    // Entries of forgotten connections wait for their time; when they outnumber the live ones, start afresh.
    if (this.deadlines.size > 2 * this.live.size + 64) {
      this.deadlines.clear();
      for (const c of this.live) this.deadlines.push(this.deadline(c), c);
    }
  }

  /** The idle timeout of a connection, seconds: the smaller non-zero max_idle_timeout of both sides, at most the option. */
  private idleTimeout(conn: Conn): number {
    let t = this.maxIdleTimeout;
    if (conn.clientIdle !== undefined && conn.clientIdle > 0) t = Math.min(t, conn.clientIdle);
    if (conn.serverIdle !== undefined && conn.serverIdle > 0) t = Math.min(t, conn.serverIdle);
    return t;
  }

  private deadline(conn: Conn): number {
    return conn.closed ? conn.drainUntil : conn.lastTime + this.idleTimeout(conn);
  }

  /**
   * Capture time reached a deadline: drained connections are forgotten, idle
   * ones end (RFC 9000 §10.1), in deadline order. A connection active since
   * its entry was made is put back at its new deadline.
   */
  private expire(time: number): void {
    while (this.deadlines.first <= time) {
      const entry = this.deadlines.first;
      const conn = this.deadlines.pop();
      if (!this.live.has(conn)) continue;
      const at = this.deadline(conn);
      if (at > entry) {
        // Active since the entry was made: back in at its deadline now (maybe still before `time`, in order).
        this.deadlines.push(at, conn);
        continue;
      }
      if (!conn.closed) this.close(conn, at, { how: "idle-timeout", time: at });
      this.drop(conn);
    }
  }

  /** A transport parameter's max_idle_timeout (milliseconds) in seconds. */
  private static idleSeconds(tp: TransportParameters | undefined): number | undefined {
    return tp?.maxIdleTimeout === undefined ? undefined : Number(tp.maxIdleTimeout) / 1000;
  }

  /** A connection started, or a side's idle timeout became known: the deadline may come sooner. */
  private learned(conn: Conn): void {
    this.deadlines.push(this.deadline(conn), conn);
  }

  /** Watches for a stateless reset token, announced by the endpoint that sends packets in `dir`. */
  private addResetToken(token: Uint8Array, conn: Conn, dir: Direction): void {
    if (token.length !== 16 || conn.closed) return;
    const key = toHex(token);
    const before = this.byResetToken.get(key);
    if (before !== undefined) before.conn.resetTokens.delete(key);
    else {
      const head = Number.parseInt(key.slice(0, 8), 16);
      this.resetTokenHeads.set(head, (this.resetTokenHeads.get(head) ?? 0) + 1);
    }
    this.byResetToken.set(key, { conn, dir });
    conn.resetTokens.add(key);
  }

  /**
   * RFC 9000 §10.3: a datagram that looks like a short header packet and
   * ends with a stateless reset token the sender announced ends its
   * connection (the receiving endpoint enters the draining state).
   */
  private statelessReset(b: Uint8Array, time: number): boolean {
    if (this.byResetToken.size === 0 || (b[0]! & 0x80) !== 0 || b.length < STATELESS_RESET_MIN_LENGTH) return false;
    const t = b.length - 16;
    if (!this.resetTokenHeads.has(((b[t]! << 24) | (b[t + 1]! << 16) | (b[t + 2]! << 8) | b[t + 3]!) >>> 0)) return false;
    const found = this.byResetToken.get(toHex(b.subarray(t)));
    if (found === undefined || found.conn.closed) return false;
    const { conn, dir } = found;
    conn.lastTime = time;
    this.close(conn, time, { how: "stateless-reset", time, direction: dir });
    return true;
  }

  /** Finds (or starts) the connection and direction of a datagram. */
  private attribute(d: UdpDatagram, b: Uint8Array, time: number): Ref | undefined {
    const first = b[0]!;
    if (first & 0x80) {
      if (b.length < 7) return undefined;
      const dl = b[5]!;
      if (6 + dl > b.length) return undefined;
      const dcid = toHex(b.subarray(6, 6 + dl));
      const known = this.byCid.get(dcid);
      if (known !== undefined && dl > 0) return known;
      const byAddr = this.byAddress.get(`${d.src}|${d.srcPort}|${d.dst}|${d.dstPort}`);
      if (byAddr !== undefined && !byAddr.conn.closed) return byAddr;
      // A closed connection's address pair may start a new connection (a client reusing its port).
      return this.open(d, b, time) ?? byAddr;
    }
    // The fixed bit is not checked: peers may grease it (RFC 9287).
    for (const len of this.cidLengths) {
      if (1 + len > b.length) continue;
      const known = this.byCid.get(toHex(b.subarray(1, 1 + len)));
      if (known !== undefined) return known;
    }
    return this.byAddress.get(`${d.src}|${d.srcPort}|${d.dst}|${d.dstPort}`);
  }

  /** A long header datagram from an unknown connection: a client's first Initial starts one. */
  private open(d: UdpDatagram, b: Uint8Array, time: number): Ref | undefined {
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
    if (this.live.size >= this.maxConnections) this.evict();
    const n = this.nextConnection();
    this.seen++;
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
      freed: { below: [0, 1, 2, 3], above: new Set() },
    });
    const conn: Conn = {
      n,
      client: { address: d.src, port: d.srcPort },
      server: { address: d.dst, port: d.dstPort },
      version,
      originalDcid: dcid.slice(),
      initial: supported ? initialKeys(version, dcid) : undefined,
      info: { version, versionName: quicVersionName(version), originalDcid: toHex(dcid), alpnOffered: [] },
      opened: false,
      handshakeReported: false,
      reported: new Set(),
      sides: { "client-to-server": side(), "server-to-client": side() },
      h3: new H3Session(n, this.emit, { maxFieldSectionSize: this.maxFieldSectionSize, maxQueuedBytes: this.maxStreamPending }),
      errors: 0,
      closed: false,
      lastTime: time,
      drainUntil: 0,
      cids: new Set(),
      addresses: new Set(),
      resetTokens: new Set(),
      issued: { "client-to-server": new Map(), "server-to-client": new Map() },
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
    this.live.add(conn);
    this.learned(conn);
    this.addCid(dcid, conn, "client-to-server");
    this.addCid(h.sourceCid, conn, "server-to-client", 0);
    return { conn, dir: "client-to-server" };
  }

  /** At the limit of connections held: the least recently active one ends (a draining one first). */
  private evict(): void {
    let oldest: Conn | undefined;
    for (const conn of this.live) {
      if (conn.closed) {
        this.drop(conn);
        return;
      }
      if (oldest === undefined || conn.lastTime < oldest.lastTime) oldest = conn;
    }
    if (oldest === undefined) return;
    this.close(oldest, oldest.lastTime, { how: "connection-limit", time: oldest.lastTime });
    this.drop(oldest);
  }

  /** A connection ID that packets in `dir` carry; `sequence` when its issuer numbered it (RFC 9000 §5.1.1). */
  private addCid(cid: Uint8Array, conn: Conn, dir: Direction, sequence?: number): void {
    if (cid.length === 0 || conn.closed) return;
    const key = toHex(cid);
    this.byCid.set(key, { conn, dir });
    conn.cids.add(key);
    if (sequence !== undefined) conn.issued[dir].set(sequence, key);
    this.cidLengths.add(cid.length);
  }

  /** RETIRE_CONNECTION_ID sent in `dir`: the sender no longer puts that CID (issued by its peer) in its packets. */
  private retireCid(conn: Conn, dir: Direction, sequence: number): void {
    const issued = conn.issued[dir];
    const key = issued.get(sequence);
    if (key === undefined) return;
    issued.delete(sequence);
    if (this.byCid.get(key)?.conn === conn) this.byCid.delete(key);
    conn.cids.delete(key);
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
      dcid: toHex(h.destinationCid),
      ...(h.type === "1-rtt" ? {} : { scid: toHex(h.sourceCid) }),
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
        if (conn.serverCidLength === undefined) this.addCid(h.sourceCid, conn, "client-to-server", 0);
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
      if (conn.closed) return; // closing or draining: packets are listed, their streams no longer read
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
          if (!QuicCapture.isFreed(side, streamId) && (r === undefined || !r.finished)) {
            r?.stop();
            conn.h3?.stop(dir, streamId);
            this.emit({
              type: "quic-stream",
              connection: conn.n,
              direction: dir,
              time,
              streamId,
              event: "reset",
              errorCode: Number(f.errorCode),
            });
            this.freeStream(conn, dir, streamId);
          }
          break;
        }
        case "new-connection-id":
          // CIDs issued by the sender are what packets toward it carry; a reset from the sender ends with the token.
          this.addCid(f.connectionId, conn, OTHER[dir], Number(f.sequenceNumber));
          this.addResetToken(f.statelessResetToken, conn, dir);
          break;
        case "retire-connection-id":
          this.retireCid(conn, dir, Number(f.sequenceNumber));
          break;
        case "connection-close":
          if (!conn.closed) {
            this.close(conn, time, {
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

  /** Whether a stream of this direction finished and was freed. */
  private static isFreed(side: Side, streamId: number): boolean {
    return streamId < side.freed.below[streamId & 3]! || side.freed.above.has(streamId);
  }

  /** A stream finished (FIN delivered, or reset): its reassembler and HTTP/3 state are freed, its ID remembered. */
  private freeStream(conn: Conn, dir: Direction, streamId: number): void {
    const side = conn.sides[dir];
    side.streams.delete(streamId);
    conn.h3?.release(dir, streamId);
    const { below, above } = side.freed;
    const t = streamId & 3;
    above.add(streamId);
    while (above.has(below[t]!)) {
      above.delete(below[t]!);
      below[t]! += 4;
    }
  }

  private streamFrame(conn: Conn, dir: Direction, streamId: number, offset: number, data: Uint8Array, fin: boolean, time: number): void {
    const side = conn.sides[dir];
    let r = side.streams.get(streamId);
    if (r === undefined) {
      if (QuicCapture.isFreed(side, streamId)) return; // a retransmission of a finished stream
      r = new StreamReassembler(
        {
          data: (bytes, at) => conn.h3?.data(dir, streamId, bytes, at, conn.lastTime),
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
            conn.h3?.stop(dir, streamId);
          },
          fin: () => {
            conn.h3?.fin(dir, streamId, conn.lastTime);
            this.emit({ type: "quic-stream", connection: conn.n, direction: dir, time: conn.lastTime, streamId, event: "fin" });
          },
        },
        this.maxStreamPending,
      );
      side.streams.set(streamId, r);
    }
    conn.lastTime = time;
    r.push(offset, data, fin);
    if (r.finished) this.freeStream(conn, dir, streamId);
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
        clientRandom: toHex(ch.random),
        ...(offered.length > 0 ? { offeredVersions: offered } : {}),
        ...(ch.transportParameters === undefined ? {} : { transportParameters: ch.transportParameters }),
      };
      conn.clientIdle = QuicCapture.idleSeconds(ch.transportParameters);
      this.learned(conn);
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
      const ee = readEncryptedExtensions(body);
      if (ee?.alpn !== undefined) conn.info = { ...conn.info, alpn: ee.alpn };
      const tp = ee?.transportParameters;
      if (tp !== undefined) {
        conn.serverIdle = QuicCapture.idleSeconds(tp);
        // The server's first CID's token and its preferred address's CID (sequence 1) and token.
        if (tp.statelessResetToken !== undefined) this.addResetToken(tp.statelessResetToken, conn, "server-to-client");
        const pa = tp.preferredAddress;
        if (pa !== undefined) {
          this.addCid(pa.connectionId, conn, "client-to-server", 1);
          this.addResetToken(pa.statelessResetToken, conn, "server-to-client");
        }
        this.learned(conn);
      }
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
