/**
 * Incremental HTTP/3 frame decoder for one stream (RFC 9114 §4.1, §6.2, §7, §9).
 *
 * @module
 */
import { Http3Error } from "./errors.js";
import { Http3ErrorCode } from "./error-codes.js";
import { FrameType, frameTypeName } from "./frame-type.js";
import { checkFrameHeader, decodePayload, isRequestStreamId, readHeaderAt, type FrameLimits, type Http3Frame } from "./frames.js";
import { VARINT_NEED_MORE, readVarint } from "../quic/varint.js";

/**
 * Which stream the decoder reads (the frames after any stream header):
 * `"control"` (§6.2.1), `"request"` (a request stream, §4.1), `"push"` (a push
 * stream after its push ID, §6.2.2), or `"any"`: framing rules only, no
 * placement or order rules (for tools that read frames of unknown origin).
 */
export type Http3StreamKind = "control" | "request" | "push" | "any";

/** Options of {@link Http3FrameDecoder}. */
export interface Http3FrameDecoderOptions extends FrameLimits {
  /** The stream being read. Default `"any"`. */
  readonly stream?: Http3StreamKind;
  /**
   * Which endpoint is reading, when known. Enables the rules that depend on
   * direction: a server rejects PUSH_PROMISE (§7.2.5) and reads a request
   * (HEADERS, DATA*, optional trailing HEADERS); a client rejects MAX_PUSH_ID
   * (§7.2.7) and PRIORITY_UPDATE (RFC 9218 §7.2) and checks that GOAWAY names
   * a client-initiated bidirectional stream (§7.2.6).
   */
  readonly receiver?: "client" | "server";
  /**
   * Return frames of unknown and reserved types as `{ type: "unknown" }`
   * frames (buffered, subject to the length limit) instead of skipping them
   * unbuffered as RFC 9114 §9 requires of a receiver. Default `false`.
   */
  readonly emitUnknown?: boolean;
}

/** A complete frame (any type but DATA). */
export interface FrameEvent {
  readonly kind: "frame";
  readonly frame: Http3Frame;
}

/** A DATA frame begins; its payload follows as {@link DataEvent}s. */
export interface DataStartEvent {
  readonly kind: "data-start";
  /** The declared payload length. */
  readonly length: number | bigint;
}

/** A piece of a DATA payload, a view of the pushed chunk (no copy). */
export interface DataEvent {
  readonly kind: "data";
  readonly chunk: Uint8Array;
  /** `true` on the last piece of the frame (exactly once per DATA frame, even an empty one). */
  readonly end: boolean;
}

/** What {@link Http3FrameDecoder.push} returns, in stream order. */
export type Http3StreamEvent = FrameEvent | DataStartEvent | DataEvent;

const MAX_HEADER = 16;
const MAX_SAFE_BIG = BigInt(Number.MAX_SAFE_INTEGER);

// Decoder modes (plain constants: no TS enum, so the code stays erasable).
const Mode = { Header: 0, Payload: 1, Data: 2, Skip: 3 } as const;
type Mode = (typeof Mode)[keyof typeof Mode];

/** Message progress on request and push streams (§4.1). */
const Msg = { None: 0, Headers: 1, Data: 2, Trailers: 3 } as const;
type Msg = (typeof Msg)[keyof typeof Msg];

/** Numeric order of two varint values (`number` or `bigint`). */
function compareIds(a: number | bigint, b: number | bigint): number {
  if (typeof a === "number" && typeof b === "number") return a - b;
  const d = BigInt(a) - BigInt(b);
  return d < 0n ? -1 : d > 0n ? 1 : 0;
}

function unexpected(message: string, reason: string, offset: number): Http3Error {
  return new Http3Error(message, Http3ErrorCode.H3_FRAME_UNEXPECTED, { reason, offset });
}

/**
 * Decodes the frames of one HTTP/3 stream from chunks of any size, one byte
 * at a time included.
 *
 * - Frame headers are checked as soon as they are complete, before any
 *   payload is awaited: HTTP/2-only types, the per-type length limit (a
 *   declared length of 2^62 - 1 never allocates), and the placement and order
 *   rules of the stream kind.
 * - DATA is not buffered: a `data-start` event, then `data` events whose
 *   `chunk` is a view of the pushed bytes.
 * - Other frames are decoded whole. When a frame lies inside one pushed
 *   chunk its views alias that chunk; when it straddles chunks it is copied
 *   into a fresh buffer of exactly its size (never reused), so earlier
 *   frames' views never change.
 * - Unknown and reserved frame types are skipped without buffering (§9),
 *   unless `emitUnknown` is set.
 * - Every error here is a connection error except `request_incomplete`; after
 *   a connection error the decoder is poisoned and rethrows it.
 *
 * @example
 * ```ts
 * const d = new Http3FrameDecoder({ stream: "control" });
 * d.push(Uint8Array.of(0x04, 0x02, 0x06, 0x10));
 * // [{ kind: "frame", frame: { type: 0x04, settings: [{ id: 6, value: 16 }] } }]
 * ```
 */
export class Http3FrameDecoder {
  private readonly kind: Http3StreamKind;
  private readonly receiver: "client" | "server" | undefined;
  private readonly emitUnknown: boolean;
  private readonly limits: FrameLimits;

  private mode: Mode = Mode.Header;
  /** Scratch cursor for header reads (no per-frame allocation). */
  private readonly cur: { buf: Uint8Array; pos: number; end: number } = { buf: new Uint8Array(0), pos: 0, end: 0 };
  /** Partial frame header bytes. */
  private head = new Uint8Array(MAX_HEADER);
  private headLen = 0;
  /** Frame being buffered (Payload mode). */
  private type: number | bigint = 0;
  private payload: Uint8Array | undefined;
  private payloadLength = 0;
  private filled = 0;
  private frameStart = 0;
  private payloadOffset = 0;
  /** Bytes left in the DATA or skipped frame (Data/Skip modes). */
  private remaining = 0;
  private remainingBig = 0n;

  private consumed = 0;
  private frames = 0;
  private sawSettings = false;
  private msg: Msg = Msg.None;
  /** Control stream: the identifier of the last GOAWAY and the last MAX_PUSH_ID value. */
  private lastGoawayId: number | bigint | undefined;
  private lastMaxPushId: number | bigint | undefined;
  private failed: Http3Error | undefined;
  private ended = false;

  /** @throws RangeError for a `stream` other than "control", "request", "push" or "any" */
  constructor(options: Http3FrameDecoderOptions = {}) {
    const kind = options.stream ?? "any";
    if (kind !== "control" && kind !== "request" && kind !== "push" && kind !== "any") throw new RangeError(`Unknown stream kind "${String(kind)}"`);
    this.kind = kind;
    this.receiver = options.receiver;
    this.emitUnknown = options.emitUnknown ?? false;
    this.limits = options;
  }

  /** Bytes consumed so far (the stream offset of the next byte, after any stream header). */
  get offset(): number {
    return this.consumed;
  }

  /**
   * Feeds the next bytes of the stream.
   *
   * Lifetime: DATA `chunk`s, and the payload views of frames that lie whole
   * inside `chunk`, are views of `chunk`: do not mutate it while they are in
   * use. A frame that straddled chunks is in a fresh buffer of its own that
   * the decoder never touches again.
   *
   * @returns the events completed by these bytes, in order
   * @throws Http3Error (connection scope): everything {@link readFrame} throws, and
   *   H3_MISSING_SETTINGS `control_stream_missing_settings`;
   *   H3_FRAME_UNEXPECTED `settings_repeated`, `<frame>_on_control_stream`,
   *   `<frame>_on_request_stream`, `<frame>_on_push_stream`,
   *   `push_promise_received_by_server`, `max_push_id_received_by_client`,
   *   `priority_update_received_by_client`, `data_before_headers`,
   *   `data_after_trailers`, `headers_after_trailers`;
   *   H3_ID_ERROR `goaway_not_client_bidi_stream`, and on a control stream
   *   `goaway_id_increased` (§5.2) and `max_push_id_decreased` (§7.2.7), and
   *   for a server `cancel_push_above_max_push_id` (§7.2.3) and
   *   `priority_update_push_above_max_push_id` (RFC 9218 §7.2)
   */
  push(chunk: Uint8Array): Http3StreamEvent[] {
    if (this.failed) throw this.failed;
    if (this.ended) throw new TypeError("Cannot push: the decoder has ended");
    const events: Http3StreamEvent[] = [];
    try {
      this.run(chunk, events);
    } catch (e) {
      if (e instanceof Http3Error && e.scope === "connection") this.failed = e;
      throw e;
    }
    return events;
  }

  /**
   * Signals a clean end of the stream (FIN).
   *
   * @throws Http3Error H3_CLOSED_CRITICAL_STREAM `control_stream_closed` on a
   *   control stream (§6.2.1); H3_FRAME_ERROR `frame_truncated` when a frame is
   *   incomplete (§7.1); H3_REQUEST_INCOMPLETE `request_incomplete` (stream
   *   scope) when a server's request stream ends before its HEADERS (§4.1.2)
   */
  end(): void {
    if (this.failed) throw this.failed;
    if (this.ended) return;
    this.ended = true;
    const at = this.consumed;
    if (this.kind === "control") {
      // RFC 9114 §6.2.1: "If either control stream is closed at any point, this
      // MUST be treated as a connection error of type H3_CLOSED_CRITICAL_STREAM."
      throw (this.failed = new Http3Error("Control stream closed", Http3ErrorCode.H3_CLOSED_CRITICAL_STREAM, { reason: "control_stream_closed", offset: at }));
    }
    if (this.mode !== Mode.Header || this.headLen > 0) {
      // RFC 9114 §7.1: a truncated last frame at a clean end: H3_FRAME_ERROR.
      throw (this.failed = new Http3Error("Stream ended inside a frame", Http3ErrorCode.H3_FRAME_ERROR, { reason: "frame_truncated", offset: at }));
    }
    if (this.kind === "request" && this.receiver === "server" && this.msg === Msg.None) {
      throw new Http3Error("Request stream ended before its HEADERS frame", Http3ErrorCode.H3_REQUEST_INCOMPLETE, {
        reason: "request_incomplete",
        scope: "stream",
        offset: at,
      });
    }
  }

  private run(chunk: Uint8Array, events: Http3StreamEvent[]): void {
    const n = chunk.length;
    let p = 0;
    while (p < n) {
      switch (this.mode) {
        case Mode.Header: {
          let hdrStart: number;
          let src: Uint8Array;
          let srcStart: number;
          let srcEnd: number;
          if (this.headLen === 0) {
            src = chunk;
            srcStart = p;
            srcEnd = n;
            hdrStart = this.consumed;
          } else {
            // Join the saved partial header with up to 16 more bytes.
            const take = Math.min(MAX_HEADER - this.headLen, n - p);
            this.head.set(chunk.subarray(p, p + take), this.headLen);
            src = this.head;
            srcStart = 0;
            srcEnd = this.headLen + take;
            hdrStart = this.consumed - this.headLen;
          }
          // Fast path: both varints below 2^53 and complete in `src`; no allocation.
          const cur = this.cur;
          cur.buf = src;
          cur.pos = srcStart;
          cur.end = srcEnd;
          let type: number | bigint = readVarint(cur);
          let length: number | bigint = type >= 0 ? readVarint(cur) : VARINT_NEED_MORE;
          let headerLength = cur.pos - srcStart;
          if (length < 0) {
            const h = readHeaderAt(src, srcStart, srcEnd);
            if (h.status === "need-more") {
              // Save what we have (at most 15 bytes) and wait.
              if (src === chunk) this.head.set(chunk.subarray(p, n), 0);
              this.headLen = srcEnd - srcStart;
              this.consumed += n - p;
              p = n;
              break;
            }
            type = h.type;
            length = h.length;
            headerLength = h.headerLength;
          }
          const used = src === chunk ? headerLength : headerLength - this.headLen;
          this.headLen = 0;
          p += used;
          this.consumed += used;
          this.onHeader(type, length, hdrStart, events);
          if ((this.mode as Mode) === Mode.Payload) {
            // Whole payload available in this chunk: decode from a view.
            const len = this.payloadLength;
            if (n - p >= len) {
              const view = chunk.subarray(p, p + len);
              p += len;
              this.consumed += len;
              this.mode = Mode.Header;
              this.emitFrame(decodePayload(this.type, view, this.payloadOffset), events);
            }
            // Otherwise it straddles chunks: Payload mode copies it into a fresh
            // buffer, allocated when its first byte arrives.
          }
          break;
        }
        case Mode.Payload: {
          // A fresh buffer of exactly the frame's size per frame, never reused,
          // so views handed out earlier never change.
          const buf = (this.payload ??= new Uint8Array(this.payloadLength));
          const take = Math.min(buf.length - this.filled, n - p);
          buf.set(chunk.subarray(p, p + take), this.filled);
          this.filled += take;
          p += take;
          this.consumed += take;
          if (this.filled === buf.length) {
            this.payload = undefined;
            this.filled = 0;
            this.mode = Mode.Header;
            this.emitFrame(decodePayload(this.type, buf, this.payloadOffset), events);
          }
          break;
        }
        case Mode.Data:
        case Mode.Skip: {
          const avail = n - p;
          let take: number;
          let done: boolean;
          if (this.remainingBig > 0n) {
            take = avail;
            this.remainingBig -= BigInt(avail);
            if (this.remainingBig <= MAX_SAFE_BIG) {
              this.remaining = Number(this.remainingBig);
              this.remainingBig = 0n;
            }
            done = false;
          } else {
            take = Math.min(this.remaining, avail);
            this.remaining -= take;
            done = this.remaining === 0;
          }
          if (this.mode === Mode.Data) events.push({ kind: "data", chunk: chunk.subarray(p, p + take), end: done });
          p += take;
          this.consumed += take;
          if (done) this.mode = Mode.Header;
          break;
        }
      }
    }
  }

  /** Applies the placement and order rules to a complete header and sets the mode. */
  private onHeader(type: number | bigint, length: number | bigint, at: number, events: Http3StreamEvent[]): void {
    const known = type === FrameType.DATA || type === FrameType.HEADERS || type === FrameType.CANCEL_PUSH || type === FrameType.SETTINGS ||
      type === FrameType.PUSH_PROMISE || type === FrameType.GOAWAY || type === FrameType.MAX_PUSH_ID ||
      type === FrameType.PRIORITY_UPDATE_REQUEST || type === FrameType.PRIORITY_UPDATE_PUSH;
    checkFrameHeader(type, length, this.limits, at, !known && !this.emitUnknown);
    this.checkPlacement(type, at);
    this.frames++;
    if (type === FrameType.DATA || (!known && !this.emitUnknown)) {
      if (type === FrameType.DATA) events.push({ kind: "data-start", length });
      if (typeof length === "bigint") {
        this.remainingBig = length;
        this.remaining = 0;
      } else {
        this.remaining = length;
        this.remainingBig = 0n;
      }
      if (length === 0) {
        if (type === FrameType.DATA) events.push({ kind: "data", chunk: new Uint8Array(0), end: true });
        this.mode = Mode.Header;
      } else {
        this.mode = type === FrameType.DATA ? Mode.Data : Mode.Skip;
      }
      return;
    }
    // Buffered frame: checkFrameHeader bounded the length by the limit.
    this.type = type;
    this.mode = Mode.Payload;
    this.payload = undefined;
    this.payloadLength = length as number;
    this.filled = 0;
    this.frameStart = at;
    this.payloadOffset = this.consumed;
  }

  private emitFrame(frame: Http3Frame, events: Http3StreamEvent[]): void {
    const at = this.frameStart;
    if (frame.type === FrameType.GOAWAY && this.receiver === "client") {
      const id = frame.id;
      if (!isRequestStreamId(id)) {
        // RFC 9114 §7.2.6: "A client MUST treat receipt of a GOAWAY frame
        // containing a stream ID of any other type as a connection error of
        // type H3_ID_ERROR."
        throw new Http3Error(`GOAWAY names stream ${id}, not a client-initiated bidirectional stream`, Http3ErrorCode.H3_ID_ERROR, {
          reason: "goaway_not_client_bidi_stream",
          offset: at,
        });
      }
    }
    if (this.kind === "control") {
      if (frame.type === FrameType.GOAWAY) {
        if (this.lastGoawayId !== undefined && compareIds(frame.id, this.lastGoawayId) > 0) {
          // RFC 9114 §5.2: "Receiving a GOAWAY containing a larger identifier than
          // previously received MUST be treated as a connection error of type H3_ID_ERROR."
          throw new Http3Error(`GOAWAY identifier ${frame.id} is larger than the previous ${this.lastGoawayId}`, Http3ErrorCode.H3_ID_ERROR, {
            reason: "goaway_id_increased",
            offset: at,
          });
        }
        this.lastGoawayId = frame.id;
      } else if (frame.type === FrameType.MAX_PUSH_ID) {
        if (this.lastMaxPushId !== undefined && compareIds(frame.pushId, this.lastMaxPushId) < 0) {
          // RFC 9114 §7.2.7: "receipt of a MAX_PUSH_ID frame that contains a smaller
          // value than previously received MUST be treated as a connection error of
          // type H3_ID_ERROR."
          throw new Http3Error(`MAX_PUSH_ID ${frame.pushId} is smaller than the previous ${this.lastMaxPushId}`, Http3ErrorCode.H3_ID_ERROR, {
            reason: "max_push_id_decreased",
            offset: at,
          });
        }
        this.lastMaxPushId = frame.pushId;
      } else if (this.receiver === "server" && (frame.type === FrameType.CANCEL_PUSH || frame.type === FrameType.PRIORITY_UPDATE_PUSH)) {
        // A server reads the client's control stream, which also carries every
        // MAX_PUSH_ID the client sent, in order: a push ID above the last one
        // (or any push ID before the first) was never allowed, so never promised.
        const pushId = frame.type === FrameType.CANCEL_PUSH ? frame.pushId : frame.elementId;
        if (this.lastMaxPushId === undefined || compareIds(pushId, this.lastMaxPushId) > 0) {
          const name = frame.type === FrameType.CANCEL_PUSH ? "cancel_push" : "priority_update_push";
          // RFC 9114 §7.2.3: a CANCEL_PUSH for a push ID "greater than currently
          // allowed on the connection" MUST be a connection error of type
          // H3_ID_ERROR; RFC 9218 §7.2: the same for a 0xF0701 PRIORITY_UPDATE
          // with "a push ID that is greater than the maximum push ID".
          throw new Http3Error(
            `${frameTypeName(frame.type)} names push ID ${pushId}, above the maximum push ID ${this.lastMaxPushId ?? "(none sent)"}`,
            Http3ErrorCode.H3_ID_ERROR,
            { reason: `${name}_above_max_push_id`, offset: at },
          );
        }
      }
    }
    events.push({ kind: "frame", frame });
  }

  private checkPlacement(type: number | bigint, at: number): void {
    const kind = this.kind;
    if (kind === "any") return;
    if (kind === "control") {
      if (this.frames === 0 && type !== FrameType.SETTINGS) {
        // RFC 9114 §6.2.1: "If the first frame of the control stream is any
        // other frame type, this MUST be treated as a connection error of type
        // H3_MISSING_SETTINGS."
        throw new Http3Error(`Control stream starts with ${frameTypeName(type)}, not SETTINGS`, Http3ErrorCode.H3_MISSING_SETTINGS, {
          reason: "control_stream_missing_settings",
          offset: at,
        });
      }
      switch (type) {
        case FrameType.SETTINGS:
          // RFC 9114 §7.2.4: a second SETTINGS frame: H3_FRAME_UNEXPECTED.
          if (this.sawSettings) throw unexpected("Second SETTINGS frame on the control stream", "settings_repeated", at);
          this.sawSettings = true;
          return;
        case FrameType.DATA: // §7.2.1
        case FrameType.HEADERS: // §7.2.2
        case FrameType.PUSH_PROMISE: // §7.2.5
          throw unexpected(`${frameTypeName(type)} frame on the control stream`, `${frameTypeName(type).toLowerCase()}_on_control_stream`, at);
        case FrameType.MAX_PUSH_ID:
          // RFC 9114 §7.2.7: "A client MUST treat the receipt of a MAX_PUSH_ID
          // frame as a connection error of type H3_FRAME_UNEXPECTED."
          if (this.receiver === "client") throw unexpected("MAX_PUSH_ID frame received by a client", "max_push_id_received_by_client", at);
          return;
        case FrameType.PRIORITY_UPDATE_REQUEST:
        case FrameType.PRIORITY_UPDATE_PUSH:
          // RFC 9218 §7.2: "If a client receives a PRIORITY_UPDATE frame, this
          // MUST be treated as a connection error of type H3_FRAME_UNEXPECTED."
          if (this.receiver === "client") throw unexpected("PRIORITY_UPDATE frame received by a client", "priority_update_received_by_client", at);
          return;
        default:
          return;
      }
    }
    // Request and push streams (§4.1, §6.2.2, §7.2 Table 1).
    switch (type) {
      case FrameType.CANCEL_PUSH: // §7.2.3
      case FrameType.SETTINGS: // §7.2.4
      case FrameType.GOAWAY: // §7.2.6
      case FrameType.MAX_PUSH_ID: // §7.2.7
      case FrameType.PRIORITY_UPDATE_REQUEST: // RFC 9218 §7.2
      case FrameType.PRIORITY_UPDATE_PUSH:
        throw unexpected(`${frameTypeName(type)} frame on a ${kind} stream`, `${frameTypeName(type).toLowerCase()}_on_${kind}_stream`, at);
      case FrameType.PUSH_PROMISE:
        // RFC 9114 §4.1: "PUSH_PROMISE frames are not permitted on push streams".
        if (kind === "push") throw unexpected("PUSH_PROMISE frame on a push stream", "push_promise_on_push_stream", at);
        // §7.2.5: "A server MUST treat the receipt of a PUSH_PROMISE frame as a
        // connection error of type H3_FRAME_UNEXPECTED."
        if (this.receiver === "server") throw unexpected("PUSH_PROMISE frame received by a server", "push_promise_received_by_server", at);
        return;
      case FrameType.HEADERS:
        // RFC 9114 §4.1: "a HEADERS or DATA frame after the trailing HEADERS
        // frame, is considered invalid".
        if (this.msg === Msg.Trailers) throw unexpected("HEADERS frame after the trailing HEADERS", "headers_after_trailers", at);
        if (this.msg === Msg.None) this.msg = Msg.Headers;
        else if (this.msg === Msg.Data) this.msg = Msg.Trailers;
        // Msg.Headers: a request's second HEADERS is its trailer section; a
        // response may carry interim (1xx) header sections first, which only
        // the :status field tells apart, so it stays undecided (docs/http3.md).
        else if (this.kind === "request" && this.receiver === "server") this.msg = Msg.Trailers;
        return;
      case FrameType.DATA:
        // RFC 9114 §4.1: "a DATA frame before any HEADERS frame ... is considered invalid".
        if (this.msg === Msg.None) throw unexpected("DATA frame before any HEADERS frame", "data_before_headers", at);
        if (this.msg === Msg.Trailers) throw unexpected("DATA frame after the trailing HEADERS", "data_after_trailers", at);
        this.msg = Msg.Data;
        return;
      default:
        return;
    }
  }
}
