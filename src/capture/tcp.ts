/**
 * TCP connection tracking and per-direction stream reassembly.
 *
 * Each connection (keyed by its two endpoints) has two directions, each with
 * its own reassembler: in-order bytes are passed on at once; segments that
 * arrive early wait (copied, bounded by `maxPendingBytes`); retransmitted
 * and overlapping bytes are trimmed (the first copy wins); a hole that is
 * never filled (the buffer limit is reached, the capture ends, or the
 * snapshot length cut a segment short) is reported as a gap of N bytes.
 */
import { integerOption } from "../shared/options.js";
import { TcpFlag, type TcpSegment } from "./net.js";

/** Which way the bytes flow. */
export type Direction = "client-to-server" | "server-to-client";

/** One end of a connection. */
export interface Endpoint {
  readonly address: string;
  readonly port: number;
}

/** A tracked TCP connection. */
export interface TcpConnection {
  /** Number of the connection in order of appearance, from 1. */
  readonly id: number;
  readonly client: Endpoint;
  readonly server: Endpoint;
}

/** Receives what the tracker reassembles. */
export interface TcpSink {
  /** A new connection was seen. */
  open(conn: TcpConnection, time: number): void;
  /** In-order bytes of one direction: a view of the capture input, or a copy for segments that arrived early. */
  data(conn: TcpConnection, dir: Direction, bytes: Uint8Array, time: number): void;
  /** `missing` bytes of one direction were never captured. */
  gap(conn: TcpConnection, dir: Direction, missing: number, time: number): void;
  /** One direction ended (`fin`), the connection was reset (`rst`), or the capture ended (`end`). */
  close(conn: TcpConnection, dir: Direction, how: "fin" | "rst" | "end", time: number): void;
}

/** Options of {@link TcpTracker}. */
export interface TcpTrackerOptions {
  /** Ports known to be servers (e.g. the HTTP/2 port named by the user). */
  readonly serverPorts?: readonly number[];
  /**
   * Out-of-order bytes kept per direction before the hole is declared a gap,
   * each held segment counting {@link PENDING_SEGMENT_OVERHEAD} bytes more
   * than it holds. Default 1 MiB.
   */
  readonly maxPendingBytes?: number;
  /** Connections tracked at once; the oldest is ended beyond this. Default 10 000. */
  readonly maxConnections?: number;
}

interface Pending {
  seq: number;
  data: Uint8Array;
  claimed: number;
  fin: boolean;
  time: number;
  /** Arrival order among held segments: of two with the same sequence number, the first copy wins. */
  order: number;
}

/**
 * What one held segment costs besides its captured bytes (the record, its
 * copy's ArrayBuffer and the heap slot: about 250 bytes measured on V8),
 * counted against `maxPendingBytes` so that segments holding no bytes are
 * not free.
 */
export const PENDING_SEGMENT_OVERHEAD = 256;

/** `a` comes before `b`: sequence order (mod 2^32), then arrival order. */
function before(a: Pending, b: Pending): boolean {
  const d = (a.seq - b.seq) | 0;
  return d < 0 || (d === 0 && a.order < b.order);
}

/**
 * Steps taken ordering early segments, over every tracker: one per segment
 * held or taken plus one per element moved. Any structure that holds early
 * segments counts every step of its loops here, so that
 * `test/capture/tcp.test.ts` compares arrival orders by work done, not by
 * time (finding 4: a sorted list took O(n) steps per descending segment).
 * Not exported from `httpwire/capture`.
 * @internal
 */
export const pendingOrderSteps = { count: 0 };

/**
 * The segments that arrived early, as a binary min-heap in sequence order:
 * inserting and taking the first cost O(log n) whatever the arrival order
 * (a sorted list costs O(n) per segment arriving in descending order).
 */
class PendingHeap {
  private items: Pending[] = [];

  get size(): number {
    return this.items.length;
  }

  /** The segment with the lowest sequence number. */
  first(): Pending | undefined {
    return this.items[0];
  }

  push(p: Pending): void {
    const a = this.items;
    let i = a.length;
    a.push(p);
    let steps = 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(p, a[parent]!)) break;
      a[i] = a[parent]!;
      i = parent;
      steps++;
    }
    a[i] = p;
    pendingOrderSteps.count += steps;
  }

  shift(): Pending | undefined {
    pendingOrderSteps.count++;
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length === 0 || last === undefined) return top;
    let i = 0;
    const n = a.length;
    let steps = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && before(a[r]!, a[l]!) ? r : l;
      if (!before(a[c]!, last)) break;
      a[i] = a[c]!;
      i = c;
      steps++;
    }
    a[i] = last;
    pendingOrderSteps.count += steps;
    return top;
  }

  clear(): void {
    this.items = [];
  }
}

class Half {
  next: number | undefined;
  readonly pending = new PendingHeap();
  /** Held bytes plus {@link PENDING_SEGMENT_OVERHEAD} per held segment. */
  pendingBytes = 0;
  arrivals = 0;
  closed = false;
  constructor(readonly dir: Direction) {}
}

interface ConnState {
  readonly key: string;
  readonly conn: TcpConnection;
  readonly clientKey: string;
  readonly halves: { readonly c2s: Half; readonly s2c: Half };
}

const PREFACE_START = [0x50, 0x52, 0x49, 0x20, 0x2a]; // "PRI *"

/**
 * Tracks TCP connections and reassembles both directions of each.
 *
 * The client of a connection is the sender of a SYN without ACK; failing
 * that (the capture started mid-connection), the side talking to a port in
 * `serverPorts`, the side sending the HTTP/2 preface, or else the side with
 * the higher port.
 */
export class TcpTracker {
  private readonly conns = new Map<string, ConnState>();
  private readonly serverPorts: ReadonlySet<number>;
  private readonly maxPending: number;
  private readonly maxConnections: number;
  private nextId = 1;

  constructor(
    private readonly sink: TcpSink,
    options: TcpTrackerOptions = {},
  ) {
    this.serverPorts = new Set(options.serverPorts ?? []);
    this.maxPending = integerOption("TcpTracker", "maxPendingBytes", options.maxPendingBytes, 1024 * 1024, 0, Number.MAX_SAFE_INTEGER);
    this.maxConnections = integerOption("TcpTracker", "maxConnections", options.maxConnections, 10_000, 1, Number.MAX_SAFE_INTEGER);
  }

  /** Feeds one segment captured at `time` (seconds since the epoch). */
  segment(seg: TcpSegment, time: number): void {
    const a = `${seg.src}|${seg.srcPort}`;
    const b = `${seg.dst}|${seg.dstPort}`;
    const key = a < b ? `${a}|${b}` : `${b}|${a}`;
    let st = this.conns.get(key);
    if (st === undefined) {
      // Without a SYN, only a segment carrying data opens a connection: stray ACKs, FINs and
      // resets (e.g. retransmitted after the connection was forgotten) open nothing.
      if ((seg.flags & TcpFlag.SYN) === 0 && (seg.payloadLength === 0 || (seg.flags & TcpFlag.RST) !== 0)) return;
      st = this.openConn(key, seg, time);
    } else if ((seg.flags & (TcpFlag.SYN | TcpFlag.ACK)) === TcpFlag.SYN && this.isDone(st)) {
      // A new SYN on a finished 4-tuple: port reuse, a new connection.
      this.conns.delete(key);
      st = this.openConn(key, seg, time);
    }
    const half = a === st.clientKey ? st.halves.c2s : st.halves.s2c;
    if ((seg.flags & TcpFlag.RST) !== 0) {
      this.closeHalf(st, st.halves.c2s, "rst", time);
      this.closeHalf(st, st.halves.s2c, "rst", time);
      this.forgetIfDone(st);
      return;
    }
    if (half.closed) return;
    let seq = seg.seq;
    if ((seg.flags & TcpFlag.SYN) !== 0) {
      seq = (seq + 1) >>> 0; // the SYN takes one sequence number
      if (half.next === undefined) half.next = seq;
    }
    if (half.next === undefined) half.next = seq; // capture started mid-connection
    const fin = (seg.flags & TcpFlag.FIN) !== 0;
    if (seg.payloadLength === 0 && !fin) return;
    this.accept(st, half, { seq, data: seg.payload, claimed: seg.payloadLength, fin, time, order: 0 });
    this.forgetIfDone(st);
  }

  /** Ends the capture: holes still open become gaps and every direction closes. */
  end(time: number): void {
    for (const st of this.conns.values()) {
      this.closeHalf(st, st.halves.c2s, "end", time);
      this.closeHalf(st, st.halves.s2c, "end", time);
    }
    this.conns.clear();
  }

  private openConn(key: string, seg: TcpSegment, time: number): ConnState {
    if (this.conns.size >= this.maxConnections) {
      const [oldKey, old] = this.conns.entries().next().value as [string, ConnState];
      this.closeHalf(old, old.halves.c2s, "end", time);
      this.closeHalf(old, old.halves.s2c, "end", time);
      this.conns.delete(oldKey);
    }
    const syn = (seg.flags & TcpFlag.SYN) !== 0;
    const ack = (seg.flags & TcpFlag.ACK) !== 0;
    let senderIsClient: boolean;
    if (syn) senderIsClient = !ack;
    else if (this.serverPorts.has(seg.dstPort) !== this.serverPorts.has(seg.srcPort)) senderIsClient = this.serverPorts.has(seg.dstPort);
    else if (startsWith(seg.payload, PREFACE_START)) senderIsClient = true;
    else senderIsClient = seg.srcPort > seg.dstPort;
    const sender = { address: seg.src, port: seg.srcPort };
    const receiver = { address: seg.dst, port: seg.dstPort };
    const conn: TcpConnection = {
      id: this.nextId++,
      client: senderIsClient ? sender : receiver,
      server: senderIsClient ? receiver : sender,
    };
    const st: ConnState = {
      key,
      conn,
      clientKey: `${conn.client.address}|${conn.client.port}`,
      halves: { c2s: new Half("client-to-server"), s2c: new Half("server-to-client") },
    };
    this.conns.set(key, st);
    this.sink.open(conn, time);
    return st;
  }

  /** Forgets a connection once both directions are closed, so long captures keep a bounded table. */
  private forgetIfDone(st: ConnState): void {
    if (this.isDone(st)) this.conns.delete(st.key);
  }

  private isDone(st: ConnState): boolean {
    return st.halves.c2s.closed && st.halves.s2c.closed;
  }

  private accept(st: ConnState, half: Half, p: Pending): void {
    const rel = (p.seq - half.next!) | 0;
    if (rel > 0) {
      // Early: keep a copy until the hole before it is filled.
      // A copy (new Uint8Array, not slice(): a Node Buffer's slice() is a view that would pin the chunk).
      const copy: Pending = { ...p, data: new Uint8Array(p.data), order: half.arrivals++ };
      half.pending.push(copy);
      half.pendingBytes += copy.data.length + PENDING_SEGMENT_OVERHEAD;
      while (half.pendingBytes > this.maxPending && half.pending.size > 0) this.skipToPending(st, half);
      return;
    }
    this.deliver(st, half, p, -rel);
    this.drain(st, half);
  }

  /** Delivers `p` minus its first `skip` bytes (already delivered: a retransmission or overlap). */
  private deliver(st: ConnState, half: Half, p: Pending, skip: number): void {
    const end = (p.seq + p.claimed) >>> 0;
    if (skip < p.claimed) {
      if (skip < p.data.length) this.sink.data(st.conn, half.dir, p.data.subarray(skip), p.time);
      const missing = p.claimed - Math.max(skip, p.data.length);
      // The snapshot length cut this segment: those bytes are gone for good.
      if (missing > 0) this.sink.gap(st.conn, half.dir, missing, p.time);
      half.next = end;
    }
    if (p.fin && !half.closed && ((end - half.next!) | 0) === 0) {
      half.closed = true;
      half.pending.clear();
      half.pendingBytes = 0;
      this.sink.close(st.conn, half.dir, "fin", p.time);
    }
  }

  private drain(st: ConnState, half: Half): void {
    for (let first = half.pending.first(); !half.closed && first !== undefined; first = half.pending.first()) {
      const rel = (first.seq - half.next!) | 0;
      if (rel > 0) return;
      half.pending.shift();
      half.pendingBytes -= first.data.length + PENDING_SEGMENT_OVERHEAD;
      this.deliver(st, half, first, -rel);
    }
  }

  private skipToPending(st: ConnState, half: Half): void {
    const first = half.pending.first()!;
    const missing = (first.seq - half.next!) | 0;
    if (missing > 0) {
      this.sink.gap(st.conn, half.dir, missing, first.time);
      half.next = first.seq;
    }
    this.drain(st, half);
  }

  private closeHalf(st: ConnState, half: Half, how: "rst" | "end", time: number): void {
    if (half.closed) return;
    while (half.pending.size > 0 && !half.closed) this.skipToPending(st, half);
    if (half.closed) return;
    half.closed = true;
    this.sink.close(st.conn, half.dir, how, time);
  }
}

function startsWith(b: Uint8Array, prefix: readonly number[]): boolean {
  if (b.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (b[i] !== prefix[i]) return false;
  return true;
}
