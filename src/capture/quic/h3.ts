/**
 * HTTP/3 over the reassembled streams of one QUIC connection (RFC 9114,
 * RFC 9204): unidirectional stream types, SETTINGS, QPACK per direction,
 * request and push streams through Http3FrameDecoder.
 */

import { Http3ErrorCode } from "../../http3/error-codes.js";
import { connectionError as h3ConnectionError } from "../../http3/errors.js";
import {
  FrameType,
  type Http3Frame,
  Http3FrameDecoder,
  type Http3StreamEvent,
  readUniStreamHeader,
  resolveSettings,
  StreamType,
} from "../../http3/index.js";
import { isReservedStreamType } from "../../http3/stream-type.js";
import { QpackDecoder, type QpackField, type UnblockedSection } from "../../qpack/index.js";
import { HttpwireError } from "../../shared/errors.js";
import type { CaptureHeaderField, ErrorEvent } from "../events.js";
import type { Direction } from "../tcp.js";
import type { Http3StreamRole, QuicCaptureEvent } from "./events.js";

type Emit = (e: QuicCaptureEvent | ErrorEvent) => void;

const OTHER: Record<Direction, Direction> = { "client-to-server": "server-to-client", "server-to-client": "client-to-server" };

interface StreamState {
  role: Http3StreamRole | "pending";
  /** Bytes of the stream header while it is incomplete. */
  head: Uint8Array;
  /** Stream offset where the frames (or instructions) begin. */
  base: number;
  decoder: Http3FrameDecoder | undefined;
  stopped: boolean;
}

/** One direction's QPACK decoder (for the field sections that direction sends), created when the receiver's SETTINGS are known. */
interface QpackSide {
  decoder: QpackDecoder | undefined;
  failed: boolean;
  /** Work queued before the receiver's SETTINGS: encoder-stream bytes and field sections, in capture order. */
  queue: ({ kind: "encoder"; bytes: Uint8Array } | { kind: "section"; streamId: number; bytes: Uint8Array })[];
  queuedBytes: number;
}

/** Options of {@link H3Session}. */
export interface H3SessionOptions {
  readonly maxFieldSectionSize: number;
  /** Bytes queued per direction while the peer's SETTINGS are unknown. */
  readonly maxQueuedBytes: number;
}

/** The key of a stream of one direction in {@link H3Session}'s map. */
const streamKey = (dir: Direction, streamId: number): string => `${dir === "client-to-server" ? "c" : "s"}${streamId}`;

const toFields = (fields: readonly QpackField[]): CaptureHeaderField[] => fields.map((f) => ({ name: f.name, value: f.value }));

/** HTTP/3 decoding of one QUIC connection's streams. */
export class H3Session {
  private readonly streams = new Map<string, StreamState>();
  private readonly qpack: Record<Direction, QpackSide> = {
    "client-to-server": { decoder: undefined, failed: false, queue: [], queuedBytes: 0 },
    "server-to-client": { decoder: undefined, failed: false, queue: [], queuedBytes: 0 },
  };
  private readonly scratch: Http3StreamEvent[] = [];
  private time = 0;

  constructor(
    private readonly connection: number,
    private readonly emit: Emit,
    private readonly options: H3SessionOptions,
  ) {}

  /** In-order bytes of a stream, from the reassembler. */
  data(dir: Direction, streamId: number, bytes: Uint8Array, offset: number, time: number): void {
    this.time = time;
    const st = this.stream(dir, streamId);
    if (st.stopped) return;
    let chunk = bytes;
    let at = offset;
    if (st.role === "pending") {
      const head = new Uint8Array(st.head.length + bytes.length);
      head.set(st.head);
      head.set(bytes, st.head.length);
      const h = readUniStreamHeader(head);
      if (h.status === "need-more") {
        st.head = head; // at most 16 bytes: the type and push ID varints
        return;
      }
      st.head = new Uint8Array(0);
      st.base = h.length;
      this.startUni(dir, streamId, st, h.streamType);
      chunk = head.subarray(h.length);
      at = h.length;
    }
    if (chunk.length > 0) this.feed(dir, streamId, st, chunk, at);
  }

  /** The stream's FIN was reached. */
  fin(dir: Direction, streamId: number, time: number): void {
    this.time = time;
    const st = this.stream(dir, streamId);
    if (st.stopped || st.decoder === undefined) return;
    const out = this.scratch;
    out.length = 0;
    try {
      st.decoder.end(out);
    } catch (e) {
      this.report(dir, streamId, st, out, e);
      return;
    }
    this.events(dir, streamId, st, out);
  }

  /** The stream was reset, or bytes are missing: its decoding stops. */
  stop(dir: Direction, streamId: number): void {
    const st = this.stream(dir, streamId);
    st.stopped = true;
    const q = this.qpack[dir].decoder;
    if (q !== undefined && (st.role === "request" || st.role === "push") && !this.qpack[dir].failed) {
      try {
        q.cancelStream(streamId);
      } catch {
        // a failed decoder reported its error already
      }
    }
  }

  /** The stream finished (FIN or reset) and nothing more will come for it: its state is freed. */
  release(dir: Direction, streamId: number): void {
    this.streams.delete(streamKey(dir, streamId));
  }

  /** Streams with state (open ones, and those that never finish: control and QPACK streams). */
  get streamCount(): number {
    return this.streams.size;
  }

  /** The capture ended: sections still waiting for the peer's SETTINGS are decoded with the defaults. */
  end(time: number): void {
    this.time = time;
    for (const dir of ["client-to-server", "server-to-client"] as const) {
      if (this.qpack[dir].decoder === undefined && this.qpack[dir].queue.length > 0) this.startQpack(dir, 0, 0);
    }
  }

  private stream(dir: Direction, streamId: number): StreamState {
    const key = streamKey(dir, streamId);
    let st = this.streams.get(key);
    if (st === undefined) {
      st = { role: "pending", head: new Uint8Array(0), base: 0, decoder: undefined, stopped: false };
      this.streams.set(key, st);
      const sender = dir === "client-to-server" ? "client" : "server";
      if ((streamId & 0x02) === 0) {
        if ((streamId & 0x01) !== 0) {
          this.fail(
            dir,
            streamId,
            st,
            h3ConnectionError(
              Http3ErrorCode.H3_STREAM_CREATION_ERROR,
              "server_initiated_bidirectional_stream",
              `Cannot decode stream ${streamId}: a server-initiated bidirectional stream is not allowed in HTTP/3 (RFC 9114 §6.1)`,
            ),
          );
        } else {
          st.role = "request";
          st.decoder = new Http3FrameDecoder({ stream: "request", sender, streamId });
        }
      }
    }
    return st;
  }

  private startUni(dir: Direction, streamId: number, st: StreamState, type: number | bigint): void {
    const sender = dir === "client-to-server" ? "client" : "server";
    switch (type) {
      case StreamType.CONTROL:
        st.role = "control";
        st.decoder = new Http3FrameDecoder({ stream: "control", sender, streamId });
        break;
      case StreamType.PUSH:
        st.role = "push";
        st.decoder = new Http3FrameDecoder({ stream: "push", sender, streamId });
        break;
      case StreamType.QPACK_ENCODER:
        st.role = "qpack-encoder";
        break;
      case StreamType.QPACK_DECODER:
        st.role = "qpack-decoder";
        break;
      default:
        st.role = isReservedStreamType(type) ? "reserved" : "unknown";
    }
  }

  private feed(dir: Direction, streamId: number, st: StreamState, chunk: Uint8Array, at: number): void {
    if (st.role === "qpack-encoder") {
      this.encoderData(dir, chunk);
      return;
    }
    if (st.decoder === undefined) return; // QPACK decoder stream, reserved and unknown streams: skipped
    const out = this.scratch;
    out.length = 0;
    try {
      st.decoder.push(chunk, out);
    } catch (e) {
      this.report(dir, streamId, st, out, e);
      return;
    }
    this.events(dir, streamId, st, out);
    void at;
  }

  private report(dir: Direction, streamId: number, st: StreamState, done: Http3StreamEvent[], e: unknown): void {
    this.events(dir, streamId, st, done);
    this.fail(dir, streamId, st, e);
  }

  private fail(dir: Direction, streamId: number, st: StreamState, e: unknown): void {
    if (!(e instanceof HttpwireError)) throw e;
    st.stopped = true;
    this.emit({ type: "error", connection: this.connection, direction: dir, time: this.time, error: e });
    void streamId;
  }

  private events(dir: Direction, streamId: number, st: StreamState, out: Http3StreamEvent[]): void {
    const role = st.role as Http3StreamRole;
    const h3Frame = (offset: number, length: number, frameType: number | bigint) => ({
      type: "h3-frame" as const,
      connection: this.connection,
      direction: dir,
      time: this.time,
      streamId,
      stream: role,
      offset: st.base + offset,
      length,
      frameType,
    });
    for (const e of out) {
      if (e.type === "frame") {
        const frame = e.frame;
        const base = { ...h3Frame(e.offset, e.length, frame.type === "unknown" ? frame.frameType : frame.type), frame };
        if (frame.type === FrameType.HEADERS || frame.type === FrameType.PUSH_PROMISE) {
          const r = this.section(dir, streamId, frame);
          if (r === "blocked") this.emit({ ...base, blocked: true });
          else if (r === undefined) this.emit(base);
          else this.emit({ ...base, fields: r });
        } else {
          if (frame.type === FrameType.SETTINGS) this.settings(dir, frame.settings);
          this.emit(base);
        }
      } else if (e.type === "data-start") {
        this.emit(h3Frame(e.offset, Number(e.length), FrameType.DATA));
      } else if (e.type === "data") {
        if (e.data.length > 0 || e.end)
          this.emit({ type: "h3-data", connection: this.connection, direction: dir, time: this.time, streamId, data: e.data, end: e.end });
      } else if (e.type === "stream-error") {
        this.emit({ type: "error", connection: this.connection, direction: dir, time: this.time, error: e.error });
      }
    }
    out.length = 0;
  }

  /** SETTINGS sent by `dir` tell what its QPACK decoder accepts: the other direction's field sections. */
  private settings(dir: Direction, list: readonly { id: number | bigint; value: number | bigint }[]): void {
    const s = resolveSettings(list);
    const side = OTHER[dir];
    if (this.qpack[side].decoder !== undefined) return;
    const cap = Number(s.qpackMaxTableCapacity);
    const blocked = Number(s.qpackBlockedStreams);
    this.startQpack(side, Number.isSafeInteger(cap) ? cap : 0, Number.isSafeInteger(blocked) ? blocked : 0);
  }

  private startQpack(dir: Direction, maxTableCapacity: number, maxBlockedStreams: number): void {
    const side = this.qpack[dir];
    side.decoder = new QpackDecoder({ maxTableCapacity, maxBlockedStreams, maxFieldSectionSize: this.options.maxFieldSectionSize });
    const queue = side.queue;
    side.queue = [];
    side.queuedBytes = 0;
    for (const q of queue) {
      if (q.kind === "encoder") this.encoderData(dir, q.bytes);
      else {
        const r = this.decodeSection(dir, q.streamId, q.bytes);
        if (r !== undefined && r !== "blocked") this.fieldsEvent(dir, q.streamId, r);
      }
    }
  }

  private encoderData(dir: Direction, bytes: Uint8Array): void {
    const side = this.qpack[dir];
    if (side.failed) return;
    if (side.decoder === undefined) {
      this.enqueue(dir, { kind: "encoder", bytes: bytes.slice() }, bytes.length);
      return;
    }
    const out: UnblockedSection[] = [];
    try {
      side.decoder.onEncoderStream(bytes, out);
    } catch (e) {
      this.unblocked(dir, out);
      side.failed = true;
      this.fail(dir, -1, { role: "qpack-encoder", head: bytes, base: 0, decoder: undefined, stopped: false }, e);
      return;
    }
    this.unblocked(dir, out);
  }

  private unblocked(dir: Direction, out: UnblockedSection[]): void {
    for (const u of out) {
      if (u.status === "decoded") this.fieldsEvent(dir, Number(u.streamId), toFields(u.fields));
      else this.emit({ type: "error", connection: this.connection, direction: dir, time: this.time, error: u.error });
    }
  }

  private fieldsEvent(dir: Direction, streamId: number, fields: CaptureHeaderField[]): void {
    this.emit({ type: "h3-fields", connection: this.connection, direction: dir, time: this.time, streamId, fields });
  }

  private enqueue(dir: Direction, item: QpackSide["queue"][number], size: number): void {
    const side = this.qpack[dir];
    side.queue.push(item);
    side.queuedBytes += size;
    // The receiver's SETTINGS did not come in time: go on with the defaults (RFC 9114 §7.2.4.2).
    if (side.queuedBytes > this.options.maxQueuedBytes) this.startQpack(dir, 0, 0);
  }

  private section(
    dir: Direction,
    streamId: number,
    frame: Http3Frame & { fieldSection: Uint8Array },
  ): CaptureHeaderField[] | "blocked" | undefined {
    const side = this.qpack[dir];
    if (side.failed) return undefined;
    if (side.decoder === undefined) {
      // With Required Insert Count 0 (first byte 0) the section needs no table: decode it now.
      if (frame.fieldSection[0] === 0) {
        const r = this.decodeWith(
          new QpackDecoder({ maxFieldSectionSize: this.options.maxFieldSectionSize }),
          dir,
          streamId,
          frame.fieldSection,
        );
        if (r !== undefined) return r;
        return undefined;
      }
      this.enqueue(dir, { kind: "section", streamId, bytes: frame.fieldSection.slice() }, frame.fieldSection.length);
      return "blocked";
    }
    return this.decodeSection(dir, streamId, frame.fieldSection);
  }

  private decodeSection(dir: Direction, streamId: number, bytes: Uint8Array): CaptureHeaderField[] | "blocked" | undefined {
    const side = this.qpack[dir];
    if (side.failed || side.decoder === undefined) return undefined;
    return this.decodeWith(side.decoder, dir, streamId, bytes, side);
  }

  private decodeWith(
    decoder: QpackDecoder,
    dir: Direction,
    streamId: number,
    bytes: Uint8Array,
    side?: QpackSide,
  ): CaptureHeaderField[] | "blocked" | undefined {
    try {
      const r = decoder.decodeFieldSection(streamId, bytes);
      return r.status === "decoded" ? toFields(r.fields) : "blocked";
    } catch (e) {
      if (!(e instanceof HttpwireError)) throw e;
      if (side !== undefined && e.scope === "connection") side.failed = true;
      this.emit({ type: "error", connection: this.connection, direction: dir, time: this.time, error: e });
      return undefined;
    }
  }
}
