/**
 * The capture decoder: input kind detection, container reading, TCP
 * reassembly and HTTP/2 decoding, fed chunk by chunk.
 */

import { HpackDecoder } from "../hpack/index.js";
import { concatBytes } from "../shared/bytes.js";
import { HttpwireError } from "../shared/errors.js";
import { integerOption } from "../shared/options.js";
import { CLIENT_PREFACE, DETECT_LENGTH, detectInputKind, type InputKind } from "./detect.js";
import { CaptureError, CaptureErrorCode } from "./errors.js";
import type { CaptureEvent } from "./events.js";
import { gunzip, isGzip } from "./gzip.js";
import { type FieldBlockDecoder, H2Direction } from "./h2-connection.js";
import { HexDumpDecoder } from "./hex-dump.js";
import { KeyLog, type KeyLogEntry, type KeyLogProblem } from "./keylog.js";
import { decodeTcpSegment, decodeUdpDatagram } from "./net.js";
import { type CapturedPacket, LinkType } from "./packet.js";
import { MAX_RECORD_LENGTH, PcapReader } from "./pcap.js";
import { PcapngReader, SecretsType } from "./pcapng.js";
import { QuicCapture } from "./quic/connection.js";
import { type SessionEnv, TcpSession } from "./session.js";
import { type Direction, type TcpSink, TcpTracker } from "./tcp.js";

/** Options of {@link CaptureDecoder} and {@link decodeCapture}. */
export interface CaptureDecoderOptions {
  /**
   * TCP ports that carry HTTP/2 (server side). Connections to them are
   * decoded even without the client preface (a capture started mid-way).
   * Other connections are decoded only when they start with the preface.
   */
  readonly ports?: readonly number[];
  /** Makes the HPACK decoder of each direction; `null` turns header decoding off. Default: an `httpwire/hpack` `HpackDecoder` limited to `maxHeaderListSize`. */
  readonly hpack?: (() => FieldBlockDecoder) | null;
  /**
   * Largest decoded header list (RFC 9113 §6.5.2 size: names, values and 32
   * per field) the default HPACK decoders accept; a larger one is a
   * COMPRESSION_ERROR for its connection. Ignored when `hpack` is given.
   * Default 1 MiB (`CAPTURE_MAX_HEADER_LIST_SIZE`).
   */
  readonly maxHeaderListSize?: number;
  /** Force the input kind instead of detecting it. */
  readonly kind?: InputKind;
  /** Out-of-order bytes kept per TCP direction before a hole is declared a gap. Default 1 MiB. */
  readonly maxPendingBytes?: number;
  /** Bytes kept per connection while waiting for its client preface. Default 1 MiB. */
  readonly maxUnrecognisedBytes?: number;
  /**
   * TLS secrets: the text of a key log (`SSLKEYLOGFILE`, NSS format), a
   * {@link KeyLog}, or parsed entries. Secrets in the capture's own pcapng
   * Decryption Secrets Blocks are added to it as they are read (to the
   * given `KeyLog` itself). A malformed line is reported as a `notice`
   * (`key-log-line`, with its line number) and skipped; a key log never
   * makes decoding fail. Keys must be known by the time a connection's
   * first encrypted record is read.
   */
  readonly keyLog?: string | KeyLog | Iterable<KeyLogEntry>;
  /** Report every QUIC packet with its transport frames (`quic-packet` events). Default true. */
  readonly quicPackets?: boolean;
}

/**
 * Header lists up to this size are decoded by the default HPACK decoders:
 * 1 MiB, what a Go `net/http` server accepts (`http.DefaultMaxHeaderBytes`),
 * lenient for an observer yet far from the 16 MiB that let a 4 KiB field
 * block decode to a 16.7 MB header list (issue 12 finding 9).
 */
export const CAPTURE_MAX_HEADER_LIST_SIZE = 1024 * 1024;

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
 * connection-scoped HTTP/2 error stops that direction of its connection;
 * the other direction and the other connections go on.
 * A broken container stops the input (what came before is kept).
 *
 * @example
 * ```ts
 * import { readFileSync } from "node:fs";
 * const d = new CaptureDecoder({ ports: [8080] });
 * const file = readFileSync("fixtures/captures/h2-session.pcap");
 * const types: number[] = [];
 * // Chunks of any size: here the file in two halves.
 * for (const chunk of [file.subarray(0, 1000), file.subarray(1000)]) {
 *   for (const e of d.push(chunk)) if (e.type === "frame") types.push(e.frameType);
 * }
 * for (const e of d.end()) if (e.type === "frame") types.push(e.frameType);
 * types.slice(0, 3); // => [4, 4, 4]
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
  private readonly sessions = new Map<number, TcpSession>();
  private readonly keyLog: KeyLog;
  private readonly keyLogProblems: readonly KeyLogProblem[];
  private readonly linkTypesReported = new Set<number>();
  private readonly h2Ports: ReadonlySet<number>;
  private nextNumber = 1;
  private hexMode: "undecided" | "stream" | "packets" = "undecided";
  private hexLinkType = 1;
  private hexPackets = 0;
  private block: Uint8Array[] = [];
  private blockLength = 0;
  private lastTime = 0;
  private broken = false;
  private readonly maxHeaderListSize: number;
  private readonly maxUnrecognised: number;
  private quic: QuicCapture | undefined;

  constructor(options: CaptureDecoderOptions = {}) {
    this.options = options;
    const o = "CaptureDecoder";
    this.maxHeaderListSize = integerOption(o, "maxHeaderListSize", options.maxHeaderListSize, CAPTURE_MAX_HEADER_LIST_SIZE, 0, 2 ** 32 - 1);
    this.maxUnrecognised = integerOption(o, "maxUnrecognisedBytes", options.maxUnrecognisedBytes, 1024 * 1024, 0, Number.MAX_SAFE_INTEGER);
    integerOption(o, "maxPendingBytes", options.maxPendingBytes, 0, 0, Number.MAX_SAFE_INTEGER);
    for (const port of options.ports ?? []) integerOption(o, "ports[]", port, 0, 0, 65535);
    this.h2Ports = new Set(options.ports ?? []);
    const k = options.keyLog;
    if (k instanceof KeyLog) {
      this.keyLog = k;
      this.keyLogProblems = [];
    } else if (typeof k === "string") {
      this.keyLog = new KeyLog();
      this.keyLogProblems = this.keyLog.addText(k);
    } else {
      this.keyLog = new KeyLog(k ?? []);
      this.keyLogProblems = [];
    }
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
        this.error(
          new CaptureError("Cannot decode capture: the input is empty", CaptureErrorCode.UNKNOWN_FORMAT, {
            reason: "empty_input",
          }),
        );
        return this.take();
      }
      this.startFromHead();
    }
    if (!this.broken) {
      try {
        const hex = this.hex;
        if (hex !== undefined) this.keepingHexBytes(true, (done) => hex.end(done));
        else this.pcap?.end();
      } catch (e) {
        this.catch(e);
      }
    }
    if (this.inner !== undefined && !this.broken && this.hexMode === "stream") this.forward(this.inner.end());
    this.tracker?.end(this.lastTime);
    this.quic?.end(this.lastTime);
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
    const head = concatBytes(this.head, this.headLength);
    this.head = [];
    this.start(detectInputKind(head.subarray(0, DETECT_LENGTH)));
    this.feed(head);
  }

  private start(kind: InputKind): void {
    this.detected = kind;
    switch (kind) {
      case "pcap":
      case "pcapng":
        this.pcap = kind === "pcap" ? new PcapReader() : new PcapngReader({ onSecrets: (type, data) => this.secrets(type, data) });
        this.reportKeyLogProblems(this.keyLogProblems, "key log");
        this.tracker = new TcpTracker(this.sink(), {
          serverPorts: [...this.h2Ports],
          ...(this.options.maxPendingBytes === undefined ? {} : { maxPendingBytes: this.options.maxPendingBytes }),
        });
        break;
      case "gzip":
        this.broken = true;
        this.error(
          new CaptureError(
            "Cannot decode capture: the input is gzip-compressed; decode it with decodeCapture(), which decompresses it, or decompress it first",
            CaptureErrorCode.UNKNOWN_FORMAT,
            { reason: "gzip_input" },
          ),
        );
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
        // The packets completed before a broken record are decoded before the error is reported.
        const packets: CapturedPacket[] = [];
        try {
          this.pcap.push(chunk, packets);
        } finally {
          for (const p of packets) this.packet(p);
        }
      } else if (this.hex !== undefined) {
        const hex = this.hex;
        this.keepingHexBytes(false, (done) => hex.push(chunk, done));
      } else {
        if (this.raw === undefined) {
          let preface = true;
          for (let i = 0; i < Math.min(chunk.length, CLIENT_PREFACE.length); i++) if (chunk[i] !== CLIENT_PREFACE[i]) preface = false;
          const dir: Direction = preface ? "client-to-server" : "server-to-client";
          // Only a stream that starts with the preface is known to be the client's.
          this.raw = new H2Direction(
            1,
            dir,
            preface ? "optional" : "none",
            this.makeHpack(),
            (e) => this.out.push(e),
            preface ? "client" : undefined,
          );
        }
        this.raw.data(chunk, 0);
      }
    } catch (e) {
      this.catch(e);
    }
  }

  /** Runs a hex dump decoder call and decodes the bytes it completed, also those before a bad line. */
  private keepingHexBytes(final: boolean, call: (done: Uint8Array[]) => void): void {
    const done: Uint8Array[] = [];
    let failure: unknown;
    try {
      call(done);
    } catch (e) {
      failure = e;
    }
    const bytes = done[0];
    if (bytes !== undefined) this.hexBytes(bytes, this.hex!.lastBreaks, final && failure === undefined);
    else if (final && failure === undefined) this.hexBytes(new Uint8Array(0), this.hex!.lastBreaks, true);
    if (failure !== undefined) throw failure;
  }

  /**
   * Bytes decoded from a hex dump. A dump of link-layer frames whose offsets
   * restart at 0 for each (`tshark -x`) is read packet by packet; anything
   * else (a raw HTTP/2 stream, a pcap file in hex) is decoded as a byte stream.
   */
  private hexBytes(bytes: Uint8Array, breaks: readonly number[], final: boolean): void {
    let start = 0;
    const ends = final ? [...breaks, bytes.length] : breaks;
    for (const end of ends) {
      if (this.hexMode === "stream") break;
      this.appendBlock(bytes.subarray(start, end));
      start = end;
      if (this.hexMode === "undecided") this.decideHex(true);
      if (this.hexMode === "packets") this.endBlock();
    }
    const rest = bytes.subarray(start);
    if (this.hexMode === "stream") {
      this.forward(this.inner!.push(rest));
      return;
    }
    this.appendBlock(rest);
    if (this.hexMode === "undecided" && this.blockLength >= DETECT_LENGTH) this.decideHex(false);
  }

  private appendBlock(b: Uint8Array): void {
    if (b.length === 0) return;
    if (this.hexMode === "stream") {
      this.forward(this.inner!.push(b));
      return;
    }
    this.block.push(new Uint8Array(b)); // a copy even for a Node Buffer, whose slice() is a view
    this.blockLength += b.length;
    if (this.hexMode === "packets" && this.blockLength > MAX_RECORD_LENGTH) {
      throw new CaptureError(
        `Cannot read hex dump: a packet block is longer than ${MAX_RECORD_LENGTH} bytes`,
        CaptureErrorCode.MALFORMED_HEX,
        { reason: "hex_dump_block_too_long" },
      );
    }
  }

  private decideHex(blockComplete: boolean): void {
    const head = concatBytes(this.block, this.blockLength);
    const linkType = blockComplete || head.length >= DETECT_LENGTH ? frameLinkType(head) : undefined;
    if (linkType === undefined) {
      this.hexMode = "stream";
      this.block = [];
      this.blockLength = 0;
      this.forward(this.inner!.push(head));
      return;
    }
    this.hexMode = "packets";
    this.hexLinkType = linkType;
    if (this.tracker === undefined) this.reportKeyLogProblems(this.keyLogProblems, "key log");
    this.tracker ??= new TcpTracker(this.sink(), {
      serverPorts: [...this.h2Ports],
      ...(this.options.maxPendingBytes === undefined ? {} : { maxPendingBytes: this.options.maxPendingBytes }),
    });
  }

  private endBlock(): void {
    if (this.blockLength === 0) return;
    const data = concatBytes(this.block, this.blockLength);
    this.block = [];
    this.blockLength = 0;
    this.packet({
      linkType: this.hexLinkType,
      seconds: 0,
      nanoseconds: 0,
      data,
      originalLength: data.length,
      index: this.hexPackets++,
    });
  }

  private catch(e: unknown): void {
    if (!(e instanceof HttpwireError)) throw e;
    this.broken = true;
    this.error(e);
  }

  private error(error: HttpwireError): void {
    this.out.push({ type: "error", connection: undefined, direction: undefined, time: undefined, error });
  }

  private packet(p: CapturedPacket): void {
    const seg = decodeTcpSegment(p.linkType, p.data);
    const time = p.seconds + p.nanoseconds / 1e9;
    this.lastTime = time;
    if (seg !== undefined) this.tracker!.segment(seg, time);
    else if (!this.udp(p, time)) this.checkLinkType(p.linkType, time);
  }

  /** A UDP datagram: QUIC connections are found on any port (a client Initial starts one). False if not UDP. */
  private udp(p: CapturedPacket, time: number): boolean {
    const d = decodeUdpDatagram(p.linkType, p.data);
    if (d === undefined) return false;
    this.quic ??= new QuicCapture(
      (e) => this.out.push(e),
      () => this.nextNumber++,
      {
        keyLog: this.keyLog,
        ...(this.options.quicPackets === undefined ? {} : { packets: this.options.quicPackets }),
        maxFieldSectionSize: this.maxHeaderListSize,
      },
    );
    this.quic.datagram(d, time);
    return true;
  }

  /** Names a link type the decoder cannot read, once per type. */
  private checkLinkType(linkType: number, time: number): void {
    if (KNOWN_LINK_TYPES.has(linkType) || this.linkTypesReported.has(linkType)) return;
    this.linkTypesReported.add(linkType);
    this.out.push({
      type: "notice",
      reason: "unsupported-link-type",
      message: `link type ${linkType} is not supported (supported: ${[...KNOWN_LINK_TYPES].join(", ")}); its packets are skipped`,
      time,
      linkType,
    });
  }

  /** A pcapng Decryption Secrets Block: a TLS key log is added to the key log, its bad lines reported. */
  private secrets(type: number, data: Uint8Array): void {
    if (type !== SecretsType.TLS_KEY_LOG) return;
    this.reportKeyLogProblems(this.keyLog.addText(new TextDecoder().decode(data)), "decryption secrets block");
  }

  private reportKeyLogProblems(problems: readonly KeyLogProblem[], where: string): void {
    for (const p of problems) {
      this.out.push({
        type: "notice",
        reason: "key-log-line",
        message: `${where} line ${p.line}: ${p.message} (skipped)`,
        time: undefined,
        line: p.line,
      });
    }
  }

  private makeHpack(): FieldBlockDecoder | undefined {
    if (this.options.hpack === null) return undefined;
    if (this.options.hpack !== undefined) return this.options.hpack();
    return new HpackDecoder({ maxHeaderListSize: this.maxHeaderListSize });
  }

  private sink(): TcpSink {
    const env: SessionEnv = {
      emit: (e) => this.out.push(e),
      makeHpack: () => this.makeHpack(),
      keyLog: this.keyLog,
      h2Ports: this.h2Ports,
      maxHeld: this.maxUnrecognised,
      nextConnection: () => this.nextNumber++,
    };
    return {
      open: (conn, time) => {
        this.sessions.set(conn.id, new TcpSession(env, { client: conn.client, server: conn.server, openTime: time }));
      },
      data: (conn, dir, bytes, time) => this.sessions.get(conn.id)?.layer.data(dir, bytes, time),
      gap: (conn, dir, missing, time) => this.sessions.get(conn.id)?.layer.gap(dir, missing, time),
      close: (conn, dir, how, time) => {
        const s = this.sessions.get(conn.id);
        if (s === undefined) return;
        s.layer.close(dir, how, time);
        if (s.closed()) this.sessions.delete(conn.id);
      },
    };
  }
}

/** The link types {@link decodeTcpSegment} reads. */
const KNOWN_LINK_TYPES: ReadonlySet<number> = new Set(Object.values(LinkType));

/**
 * Decodes a capture from an async (or sync) iterable of chunks, e.g. a
 * Node.js `fs.createReadStream` or a WHATWG `ReadableStream` body, yielding
 * events as they are completed. Never reads the whole input into memory.
 * A gzip-compressed capture (`.gz`) is decompressed on the way with the
 * platform's `DecompressionStream`.
 *
 * @example
 * ```ts
 * import { createReadStream } from "node:fs";
 * let frames = 0;
 * for await (const e of decodeCapture(createReadStream("fixtures/captures/h2-session.pcapng"))) {
 *   if (e.type === "frame") frames++; // e.connection, e.direction, e.frame, e.fields
 * }
 * frames; // => 69
 * ```
 */
export async function* decodeCapture(
  source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  options: CaptureDecoderOptions = {},
): AsyncGenerator<CaptureEvent> {
  const d = new CaptureDecoder(options);
  let input: AsyncIterable<Uint8Array> | Iterable<Uint8Array> = source;
  if (options.kind === undefined) {
    const { head, rest } = await peek(source, 3);
    input = rest;
    if (isGzip(head)) {
      try {
        for await (const chunk of gunzip(rest)) yield* d.push(chunk);
      } catch (e) {
        if (!(e instanceof HttpwireError)) throw e;
        yield { type: "error", connection: undefined, direction: undefined, time: undefined, error: e };
      }
      yield* d.end();
      return;
    }
  }
  for await (const chunk of input) yield* d.push(chunk);
  yield* d.end();
}

/** Reads the first `n` bytes of a source (fewer at its end) and gives a source that still yields everything. */
async function peek(
  source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  n: number,
): Promise<{ head: Uint8Array; rest: AsyncIterable<Uint8Array> }> {
  const it: AsyncIterator<Uint8Array> | Iterator<Uint8Array> =
    Symbol.asyncIterator in source ? source[Symbol.asyncIterator]() : (source as Iterable<Uint8Array>)[Symbol.iterator]();
  const first: Uint8Array[] = [];
  let length = 0;
  let done = false;
  while (length < n) {
    const r = await it.next();
    if (r.done) {
      done = true;
      break;
    }
    first.push(r.value);
    length += r.value.length;
  }
  const head = concatBytes(first, length).subarray(0, n);
  async function* rest(): AsyncGenerator<Uint8Array> {
    yield* first;
    if (done) return;
    for (;;) {
      const r = await it.next();
      if (r.done) return;
      yield r.value;
    }
  }
  return { head, rest: rest() };
}

/**
 * The link type of a hex-dumped frame, when it looks like one (what
 * `tshark -x` prints): Ethernet or Linux cooked carrying IPv4/IPv6, or raw
 * IP carrying TCP. `undefined` means "a byte stream" (HTTP/2, or a pcap file).
 */
function frameLinkType(b: Uint8Array): number | undefined {
  if (b.length < 20) return undefined;
  const etherType = (p: number) => (b[p]! << 8) | b[p + 1]!;
  const isIp = (t: number) => t === 0x0800 || t === 0x86dd || t === 0x8100;
  if (isIp(etherType(12))) return 1;
  if (b.length >= 36 && isIp(etherType(14)) && b[0]! <= 4 && b[1]! <= 0x20) return 113;
  if (b[0] === 0x45 && b[9] === 6) return 101;
  if (b.length >= 40 && b[0]! >> 4 === 6 && b[6] === 6) return 101;
  return undefined;
}
