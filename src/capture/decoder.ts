/**
 * The capture decoder: input kind detection, container reading, TCP
 * reassembly and HTTP/2 decoding, fed chunk by chunk.
 */
import { HttpwireError } from "../shared/errors.js";
import { HpackDecoder } from "../hpack/index.js";
import { DETECT_LENGTH, detectInputKind, CLIENT_PREFACE, type InputKind } from "./detect.js";
import { CaptureError, CaptureErrorCode } from "./errors.js";
import type { CaptureEvent } from "./events.js";
import { H2Direction, type HeaderBlockDecoder } from "./h2-connection.js";
import { HexDumpDecoder } from "./hex-dump.js";
import { decodeTcpSegment } from "./net.js";
import type { CapturedPacket } from "./packet.js";
import { PcapReader } from "./pcap.js";
import { PcapngReader } from "./pcapng.js";
import { TcpTracker, type Direction, type TcpConnection, type TcpSink } from "./tcp.js";

/** Options of {@link CaptureDecoder} and {@link decodeCapture}. */
export interface CaptureDecoderOptions {
  /**
   * TCP ports that carry HTTP/2 (server side). Connections to them are
   * decoded even without the client preface (a capture started mid-way).
   * Other connections are decoded only when they start with the preface.
   */
  readonly ports?: readonly number[];
  /** Makes the HPACK decoder of each direction; `null` turns header decoding off. Default: an `httpwire/hpack` `HpackDecoder` (header lists up to 16 MiB). */
  readonly hpack?: (() => HeaderBlockDecoder) | null;
  /** Force the input kind instead of detecting it. */
  readonly kind?: InputKind;
  /** Out-of-order bytes kept per TCP direction before a hole is declared a gap. Default 1 MiB. */
  readonly maxPendingBytes?: number;
  /** Bytes kept per connection while waiting for its client preface. Default 1 MiB. */
  readonly maxUnrecognisedBytes?: number;
}

/** Header lists up to this size are decoded by the default HPACK decoders (an observer is lenient). */
export const CAPTURE_MAX_HEADER_LIST_SIZE = 16 * 1024 * 1024;

const defaultHpack = (): HeaderBlockDecoder => new HpackDecoder({ maxHeaderListSize: CAPTURE_MAX_HEADER_LIST_SIZE });

interface ConnState {
  readonly tcp: TcpConnection;
  mode: "pending" | "h2" | "ignored";
  readonly c2s: H2Direction;
  readonly s2c: H2Direction;
  readonly openTime: number;
}

/**
 * Decodes a capture incrementally: pcap, pcapng, a raw HTTP/2 byte stream
 * or a hex dump of any of these, detected from the first bytes.
 *
 * {@link push} returns the events the chunk completed, {@link end} the rest.
 * Memory is bounded: one partial record or block, out-of-order TCP
 * segments up to `maxPendingBytes` per direction, and one partial HTTP/2
 * frame per direction. Frames and their byte fields are views of the
 * pushed chunks (or of fresh join buffers); don't mutate a chunk while
 * using what came out of it.
 *
 * Malformed input never throws: it becomes an {@link ErrorEvent}. A
 * connection-scoped HTTP/2 error stops that connection; the others go on.
 * A broken container stops the input (what came before is kept).
 *
 * @example
 * ```ts
 * const d = new CaptureDecoder({ ports: [8080] });
 * for (const chunk of chunks) for (const e of d.push(chunk)) if (e.kind === "frame") console.log(e.frame.type);
 * for (const e of d.end()) console.log(e.kind);
 * ```
 */
export class CaptureDecoder {
  private readonly options: CaptureDecoderOptions;
  private out: CaptureEvent[] = [];
  private head: Uint8Array[] = [];
  private headLength = 0;
  private detected: InputKind | undefined;
  private pcap: PcapReader | PcapngReader | undefined;
  private hex: HexDumpDecoder | undefined;
  private inner: CaptureDecoder | undefined;
  private raw: H2Direction | undefined;
  private tracker: TcpTracker | undefined;
  private readonly conns = new Map<number, ConnState>();
  private readonly h2Ports: ReadonlySet<number>;
  private nextNumber = 1;
  private lastTime = 0;
  private broken = false;

  constructor(options: CaptureDecoderOptions = {}) {
    this.options = options;
    this.h2Ports = new Set(options.ports ?? []);
    if (options.kind !== undefined) this.start(options.kind);
  }

  /** The input kind, once detected. */
  get kind(): InputKind | undefined {
    return this.detected;
  }

  /** Feeds a chunk of the input; returns the events it completed. */
  push(chunk: Uint8Array): CaptureEvent[] {
    if (this.detected === undefined) {
      this.head.push(chunk);
      this.headLength += chunk.length;
      if (this.headLength < DETECT_LENGTH) return [];
      this.startFromHead();
      return this.take();
    }
    this.feed(chunk);
    return this.take();
  }

  /** Ends the input; returns the remaining events. */
  end(): CaptureEvent[] {
    if (this.detected === undefined) {
      if (this.headLength === 0) {
        this.error(new CaptureError("Cannot decode capture: the input is empty", CaptureErrorCode.UNKNOWN_FORMAT, { reason: "empty_input" }));
        return this.take();
      }
      this.startFromHead();
    }
    if (!this.broken) {
      try {
        if (this.hex !== undefined) {
          const bytes = this.hex.end();
          this.forward(this.inner!.push(bytes));
        } else this.pcap?.end();
      } catch (e) {
        this.catch(e);
      }
    }
    if (this.inner !== undefined && !this.broken) this.forward(this.inner.end());
    this.tracker?.end(this.lastTime);
    if (this.raw !== undefined) {
      this.raw.finish(0, true);
    }
    return this.take();
  }

  private take(): CaptureEvent[] {
    const out = this.out;
    this.out = [];
    return out;
  }

  private forward(events: CaptureEvent[]): void {
    for (const e of events) this.out.push(e);
  }

  private startFromHead(): void {
    const head = new Uint8Array(this.headLength);
    let o = 0;
    for (const c of this.head) {
      head.set(c, o);
      o += c.length;
    }
    this.head = [];
    this.start(detectInputKind(head.subarray(0, DETECT_LENGTH)));
    this.feed(head);
  }

  private start(kind: InputKind): void {
    this.detected = kind;
    switch (kind) {
      case "pcap":
      case "pcapng":
        this.pcap = kind === "pcap" ? new PcapReader() : new PcapngReader();
        this.tracker = new TcpTracker(this.sink(), {
          serverPorts: [...this.h2Ports],
          ...(this.options.maxPendingBytes === undefined ? {} : { maxPendingBytes: this.options.maxPendingBytes }),
        });
        break;
      case "hex":
        this.hex = new HexDumpDecoder();
        this.inner = new CaptureDecoder({ ...this.options, kind: undefined });
        break;
      case "h2":
        break; // the direction is known from the first bytes, in feed()
    }
  }

  private feed(chunk: Uint8Array): void {
    if (this.broken || chunk.length === 0) return;
    try {
      if (this.pcap !== undefined) {
        for (const p of this.pcap.push(chunk)) this.packet(p);
      } else if (this.hex !== undefined) {
        this.forward(this.inner!.push(this.hex.push(chunk)));
      } else {
        if (this.raw === undefined) {
          let preface = true;
          for (let i = 0; i < Math.min(chunk.length, CLIENT_PREFACE.length); i++) if (chunk[i] !== CLIENT_PREFACE[i]) preface = false;
          const dir: Direction = preface ? "client-to-server" : "server-to-client";
          this.raw = new H2Direction(1, dir, preface ? "optional" : "none", this.makeHpack(), (e) => this.out.push(e));
        }
        this.raw.data(chunk, 0);
      }
    } catch (e) {
      this.catch(e);
    }
  }

  private catch(e: unknown): void {
    if (!(e instanceof HttpwireError)) throw e;
    this.broken = true;
    this.error(e);
  }

  private error(error: HttpwireError): void {
    this.out.push({ kind: "error", connection: undefined, direction: undefined, time: undefined, error });
  }

  private packet(p: CapturedPacket): void {
    const seg = decodeTcpSegment(p.linkType, p.data);
    const time = p.seconds + p.nanoseconds / 1e9;
    this.lastTime = time;
    if (seg !== undefined) this.tracker!.segment(seg, time);
  }

  private makeHpack(): HeaderBlockDecoder | undefined {
    const f = this.options.hpack === null ? undefined : (this.options.hpack ?? defaultHpack);
    return f?.();
  }

  private sink(): TcpSink {
    const maxHeld = this.options.maxUnrecognisedBytes ?? 1024 * 1024;
    const emit = (e: CaptureEvent) => this.out.push(e);
    const recognise = (st: ConnState) => {
      if (st.mode !== "pending") return;
      st.mode = "h2";
      const n = this.nextNumber++;
      st.c2s.connection = n;
      st.s2c.connection = n;
      this.out.push({ kind: "open", connection: n, client: st.tcp.client, server: st.tcp.server, time: st.openTime });
    };
    return {
      open: (conn, time) => {
        const named = this.h2Ports.has(conn.server.port);
        const c2s = new H2Direction(0, "client-to-server", named ? "optional" : "required", this.makeHpack(), emit);
        const s2c = new H2Direction(0, "server-to-client", "none", this.makeHpack(), emit);
        c2s.peer = s2c;
        s2c.peer = c2s;
        const st: ConnState = { tcp: conn, mode: "pending", c2s, s2c, openTime: time };
        this.conns.set(conn.id, st);
        if (named) recognise(st);
        else {
          s2c.held = true;
          c2s.onRecognised = () => {
            recognise(st);
            s2c.release();
          };
        }
      },
      data: (conn, dir, bytes, time) => {
        const st = this.conns.get(conn.id);
        if (st === undefined || st.mode === "ignored") return;
        const d = dir === "client-to-server" ? st.c2s : st.s2c;
        if (!d.data(bytes, time) || (st.mode === "pending" && st.s2c.buffered + st.c2s.buffered > maxHeld)) this.ignore(st);
      },
      gap: (conn, dir, missing, time) => {
        const st = this.conns.get(conn.id);
        if (st === undefined || st.mode === "ignored") return;
        if (st.mode === "pending") return this.ignore(st);
        (dir === "client-to-server" ? st.c2s : st.s2c).gap(missing, time);
      },
      close: (conn, dir, how, time) => {
        const st = this.conns.get(conn.id);
        if (st === undefined) return;
        const d = dir === "client-to-server" ? st.c2s : st.s2c;
        if (st.mode === "h2") {
          d.finish(time, how !== "rst");
          this.out.push({ kind: "close", connection: d.connection, direction: dir, time, how });
        }
        if (st.c2s.stopped && st.s2c.stopped) this.conns.delete(conn.id);
        else if (st.mode !== "h2") {
          d.stopped = true;
          if (st.c2s.stopped && st.s2c.stopped) this.conns.delete(conn.id);
        }
      },
    };
  }

  private ignore(st: ConnState): void {
    st.mode = "ignored";
    st.c2s.stopped = true;
    st.s2c.stopped = true;
    this.conns.delete(st.tcp.id);
  }
}

/**
 * Decodes a capture from an async (or sync) iterable of chunks, e.g. a
 * Node.js `fs.createReadStream` or a WHATWG `ReadableStream` body, yielding
 * events as they are completed. Never reads the whole input into memory.
 *
 * @example
 * ```ts
 * for await (const e of decodeCapture(createReadStream("session.pcapng"))) {
 *   if (e.kind === "frame") console.log(e.connection, e.direction, e.frame.type, e.fields);
 * }
 * ```
 */
export async function* decodeCapture(source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, options: CaptureDecoderOptions = {}): AsyncGenerator<CaptureEvent> {
  const d = new CaptureDecoder(options);
  for await (const chunk of source) yield* d.push(chunk);
  yield* d.end();
}
