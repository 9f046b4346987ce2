/**
 * Incremental HTTP/3 frame decoder for one stream (RFC 9114 §4.1, §6.2, §7, §9).
 *
 * @module
 */

import { isValidStreamId } from "../quic/stream-id.js";
import { compareVarints, takeVarint } from "../quic/varint.js";
import { booleanOption } from "../shared/options.js";
import { PendingBytes } from "../shared/pending.js";
import { NEED_MORE, OVERFLOW } from "../shared/result.js";
import { Http3ErrorCode } from "./error-codes.js";
import { connectionError, Http3Error, streamError } from "./errors.js";
import { FrameType, frameTypeName } from "./frame-type.js";
import {
  checkFrameHeader,
  checkLimits,
  decodePayload,
  type FrameLimits,
  type Http3Frame,
  isDefinedFrameType,
  isRequestStreamId,
  readHeaderAt,
} from "./frames.js";

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
   * Which endpoint sent the bytes being decoded, when known (the peer of the
   * endpoint that reads them). Enables the rules that depend on direction:
   * bytes a client sent are read by a server, which rejects PUSH_PROMISE
   * (§7.2.5), reads a request (HEADERS, DATA*, optional trailing HEADERS),
   * and checks CANCEL_PUSH and push PRIORITY_UPDATE against the client's
   * MAX_PUSH_ID (§7.2.3, RFC 9218 §7.2); bytes a server sent are read by a
   * client, which rejects MAX_PUSH_ID (§7.2.7) and PRIORITY_UPDATE
   * (RFC 9218 §7.2) and checks that GOAWAY names a client-initiated
   * bidirectional stream (§7.2.6). Unset: none of these rules.
   */
  readonly sender?: "client" | "server";
  /** The QUIC stream ID, when known: put on stream errors. */
  readonly streamId?: number | bigint;
  /**
   * Return frames of unknown and reserved types as `{ type: "unknown" }`
   * frames (buffered, subject to the length limit) instead of skipping them
   * unbuffered as RFC 9114 §9 requires of a receiver. Default `false`.
   */
  readonly emitUnknown?: boolean;
}

/** Where a frame lies in the stream (every frame event carries it). */
export interface FramePosition {
  /** Stream offset of the frame's first byte (its type), counted from the decoder's first byte. */
  readonly offset: number;
  /** Bytes the type and length varints took (2 to 16); the payload follows. */
  readonly headerLength: number;
}

/** A complete frame (any type but DATA). */
export interface FrameEvent extends FramePosition {
  readonly type: "frame";
  readonly frame: Http3Frame;
  /** The payload length (the frame's Length field). */
  readonly length: number;
}

/** A DATA frame begins; its content follows as {@link DataEvent}s. */
export interface DataStartEvent extends FramePosition {
  readonly type: "data-start";
  /** The declared payload length. */
  readonly length: number | bigint;
}

/** A piece of a DATA frame's content, a view of the pushed chunk (no copy). */
export interface DataEvent {
  readonly type: "data";
  readonly data: Uint8Array;
  /** Stream offset of the piece's first byte. */
  readonly offset: number;
  /** `true` on the last piece of the frame (exactly once per DATA frame, even an empty one). */
  readonly end: boolean;
}

/**
 * A stream error (RFC 9114 §8): the stream is to be reset with
 * `error.code`; the connection goes on.
 */
export interface StreamErrorEvent {
  readonly type: "stream-error";
  /** The stream, when the decoder was given its ID. */
  readonly streamId?: number | bigint;
  readonly error: Http3Error;
}

/** What {@link Http3FrameDecoder.push} and {@link Http3FrameDecoder.end} report, in stream order. */
export type Http3StreamEvent = FrameEvent | DataStartEvent | DataEvent | StreamErrorEvent;

/** The longest frame header: two 8-byte varints. */
const MAX_HEADER = 16;
const MAX_SAFE_BIG = BigInt(Number.MAX_SAFE_INTEGER);
/** A held payload buffer larger than this is dropped after its frame, not kept for the next one. */
const KEEP_PENDING_CAPACITY = 16_384;
const EMPTY = new Uint8Array(0);

// Decoder modes (plain constants: no TS enum, so the code stays erasable).
const Mode = { Header: 0, Payload: 1, Data: 2, Skip: 3 } as const;
type Mode = (typeof Mode)[keyof typeof Mode];

/** Message progress on request and push streams (§4.1). */
const Msg = { None: 0, Headers: 1, Data: 2, Trailers: 3 } as const;
type Msg = (typeof Msg)[keyof typeof Msg];

function unexpected(message: string, reason: string, offset: number): Http3Error {
  return connectionError(Http3ErrorCode.H3_FRAME_UNEXPECTED, reason, message, offset);
}

/** Whether a decoded frame's fields are views of its payload (so a held payload must be copied out). */
function aliasesPayload(type: number | bigint): boolean {
  return type === FrameType.HEADERS || type === FrameType.PUSH_PROMISE || !isDefinedFrameType(type);
}

/**
 * Decodes the frames of one HTTP/3 stream from chunks of any size, one byte
 * at a time included; any chunking gives the same frames and the same error.
 *
 * - Frame headers are checked as soon as they are complete, before any
 *   payload is awaited: HTTP/2-only types, the per-type length limit (a
 *   declared length of 2^62 - 1 never allocates), and the placement and order
 *   rules of the stream kind.
 * - DATA is not buffered: a `data-start` event, then `data` events whose
 *   `data` is a view of the pushed bytes.
 * - Other frames are decoded whole. When a frame lies inside one pushed
 *   chunk its views alias that chunk; when it straddles chunks its bytes are
 *   held as they arrive (memory grows with the bytes received, not with the
 *   declared length) and the views of the decoded frame are a copy of its
 *   own, so earlier frames' views never change.
 * - Unknown and reserved frame types are skipped without buffering (§9),
 *   unless `emitUnknown` is set.
 * - Every event carries its stream offset: frames and `data-start` the
 *   frame's offset and header length, `data` the piece's offset.
 * - Stream errors (`request_incomplete`) are reported as `stream-error`
 *   events; every other error is a connection error: it is thrown, and the
 *   decoder is poisoned (later calls throw it again).
 *
 * @example
 * ```ts
 * const d = new Http3FrameDecoder({ stream: "control" });
 * d.push(Uint8Array.of(0x04, 0x02, 0x06, 0x10));
 * // [{ type: "frame", frame: { type: 0x04, settings: [{ id: 6, value: 16 }] }, offset: 0, headerLength: 2, length: 2 }]
 * ```
 */
export class Http3FrameDecoder {
  private readonly kind: Http3StreamKind;
  private readonly sender: "client" | "server" | undefined;
  private readonly streamId: number | bigint | undefined;
  private readonly emitUnknown: boolean;
  private readonly limits: FrameLimits;

  private mode: Mode = Mode.Header;
  /** Scratch cursor for header reads (no per-frame allocation). */
  private readonly cur: { buf: Uint8Array; pos: number; end: number } = { buf: EMPTY, pos: 0, end: 0 };
  /** A partial frame header, or the payload of a buffered frame that straddles chunks. */
  private readonly pending = new PendingBytes();
  /** The current frame: type, stream offset, header length. */
  private frameType: number | bigint = 0;
  private frameOffset = 0;
  private headerLength = 0;
  /** Payload length of the buffered frame (Payload mode). */
  private payloadLength = 0;
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

  /**
   * @throws RangeError for a `stream` other than "control", "request", "push"
   *   or "any", a `sender` other than "client" or "server", an invalid
   *   `streamId`, or a limit that is not a non-negative safe integer;
   *   TypeError for a non-boolean `emitUnknown`
   */
  constructor(options: Http3FrameDecoderOptions = {}) {
    const kind = options.stream ?? "any";
    if (kind !== "control" && kind !== "request" && kind !== "push" && kind !== "any")
      throw new RangeError(`Http3FrameDecoder: unknown stream kind "${String(kind)}"`);
    const sender = options.sender;
    if (sender !== undefined && sender !== "client" && sender !== "server")
      throw new RangeError(`Http3FrameDecoder: option sender must be "client" or "server", got ${String(sender)}`);
    if (options.streamId !== undefined && !isValidStreamId(options.streamId))
      throw new RangeError(`Http3FrameDecoder: option streamId ${String(options.streamId)} is not a stream ID`);
    this.kind = kind;
    this.sender = sender;
    this.streamId = options.streamId;
    this.emitUnknown = booleanOption("Http3FrameDecoder", "emitUnknown", options.emitUnknown, false);
    this.limits = checkLimits("Http3FrameDecoder", options) ?? {};
  }

  /** Bytes consumed so far (the stream offset of the next byte, after any stream header). */
  get offset(): number {
    return this.consumed;
  }

  /**
   * Feeds the next bytes of the stream.
   *
   * Lifetime: DATA pieces, and the payload views of frames that lie whole
   * inside `chunk`, are views of `chunk`: do not mutate it while they are in
   * use. A frame that straddled chunks has views of a copy of its own.
   *
   * @param out where to append the events (default: a new array). When
   *   `push` throws, `out` holds every event completed before the error.
   * @returns `out`, with the events completed by these bytes appended in order
   * @throws Http3Error (connection scope): everything {@link readFrame} throws, and
   *   H3_MISSING_SETTINGS `control_stream_missing_settings`;
   *   H3_FRAME_UNEXPECTED `settings_repeated`, `<frame>_on_control_stream`,
   *   `<frame>_on_request_stream`, `<frame>_on_push_stream`,
   *   `push_promise_received_by_server`, `max_push_id_received_by_client`,
   *   `priority_update_received_by_client`, `data_before_headers`,
   *   `data_after_trailers`, `headers_after_trailers` (RFC 9114 §4.1: "Receipt
   *   of an invalid sequence of frames MUST be treated as a connection error of
   *   type H3_FRAME_UNEXPECTED");
   *   H3_ID_ERROR `goaway_not_client_bidi_stream`, and on a control stream
   *   `goaway_id_increased` (§5.2) and `max_push_id_decreased` (§7.2.7), and
   *   for bytes a client sent `cancel_push_above_max_push_id` (§7.2.3) and
   *   `priority_update_push_above_max_push_id` (RFC 9218 §7.2)
   * @throws TypeError when the decoder has ended or `chunk` is not a Uint8Array
   */
  push(chunk: Uint8Array, out: Http3StreamEvent[] = []): Http3StreamEvent[] {
    if (this.failed) throw this.failed;
    if (this.ended) throw new TypeError("Cannot push: the decoder has ended");
    if (!(chunk instanceof Uint8Array)) throw new TypeError("Cannot push: expected a Uint8Array");
    try {
      this.run(chunk, out);
    } catch (e) {
      // Stream errors are events, so whatever Http3Error reaches here is a connection error.
      if (e instanceof Http3Error) this.failed = e;
      throw e;
    }
    return out;
  }

  /**
   * Signals a clean end of the stream (FIN).
   *
   * @param out where to append the events (default: a new array)
   * @returns `out`, with a `stream-error` event H3_REQUEST_INCOMPLETE
   *   `request_incomplete` appended when the client's request stream ended
   *   before its HEADERS (§4.1.2)
   * @throws Http3Error H3_CLOSED_CRITICAL_STREAM `control_stream_closed` on a
   *   control stream (§6.2.1); H3_FRAME_ERROR `frame_truncated` when a frame is
   *   incomplete (§7.1), at the offset of that frame
   */
  end(out: Http3StreamEvent[] = []): Http3StreamEvent[] {
    if (this.failed) throw this.failed;
    if (this.ended) return out;
    this.ended = true;
    if (this.kind === "control") {
      // RFC 9114 §6.2.1: "If either control stream is closed at any point, this
      // MUST be treated as a connection error of type H3_CLOSED_CRITICAL_STREAM."
      this.failed = connectionError(
        Http3ErrorCode.H3_CLOSED_CRITICAL_STREAM,
        "control_stream_closed",
        "Control stream closed",
        this.consumed,
      );
      throw this.failed;
    }
    if (this.mode !== Mode.Header || this.pending.length > 0) {
      // RFC 9114 §7.1: a truncated last frame at a clean end: H3_FRAME_ERROR.
      const at = this.mode === Mode.Header ? this.consumed - this.pending.length : this.frameOffset;
      this.failed = connectionError(Http3ErrorCode.H3_FRAME_ERROR, "frame_truncated", "Stream ended inside a frame", at);
      throw this.failed;
    }
    if (this.kind === "request" && this.sender === "client" && this.msg === Msg.None) {
      // RFC 9114 §4.1.2: the server "SHOULD abort its response stream with the
      // error code H3_REQUEST_INCOMPLETE": a stream error.
      const error = streamError(
        Http3ErrorCode.H3_REQUEST_INCOMPLETE,
        this.streamId,
        "request_incomplete",
        "Request stream ended before its HEADERS frame",
        this.consumed,
      );
      out.push(this.streamId === undefined ? { type: "stream-error", error } : { type: "stream-error", streamId: this.streamId, error });
    }
    return out;
  }

  private run(chunk: Uint8Array, out: Http3StreamEvent[]): void {
    const n = chunk.length;
    let p = 0;
    while (p < n) {
      switch (this.mode) {
        case Mode.Header: {
          const held = this.pending.length;
          let src = chunk;
          let from = p;
          if (held > 0) {
            // Join the held partial header with at most enough bytes to finish it.
            this.pending.append(chunk, p, Math.min(n, p + MAX_HEADER - held));
            src = this.pending.view();
            from = 0;
          }
          const end = held > 0 ? src.length : n;
          // Fast path: both varints below 2^53 and complete in `src`; no allocation.
          const cur = this.cur;
          cur.buf = src;
          cur.pos = from;
          cur.end = end;
          let type: number | bigint = takeVarint(cur);
          let length: number | bigint = type >= 0 ? takeVarint(cur) : NEED_MORE;
          let headerLength = cur.pos - from;
          cur.buf = EMPTY;
          if (length === NEED_MORE || length === OVERFLOW) {
            const h = readHeaderAt(src, from, end);
            if (h.status === "need-more") {
              // Hold what we have (at most 15 bytes) and wait.
              if (held === 0) this.pending.append(chunk, p, n);
              this.consumed += n - p;
              p = n;
              break;
            }
            type = h.type;
            length = h.length;
            headerLength = h.headerLength;
          }
          const used = headerLength - held;
          if (held > 0) this.pending.clear();
          p += used;
          this.consumed += used;
          this.onHeader(type, length, headerLength, out);
          if ((this.mode as Mode) === Mode.Payload && n - p >= this.payloadLength) {
            // The whole payload is in this chunk: decode from a view.
            const len = this.payloadLength;
            const view = chunk.subarray(p, p + len);
            p += len;
            this.consumed += len;
            this.mode = Mode.Header;
            this.emitFrame(decodePayload(this.frameType, view, this.consumed - len), out);
          }
          // Otherwise it straddles chunks: Payload mode holds its bytes as they arrive.
          break;
        }
        case Mode.Payload: {
          const pending = this.pending;
          const len = this.payloadLength;
          const take = Math.min(len - pending.length, n - p);
          pending.append(chunk, p, p + take);
          p += take;
          this.consumed += take;
          if (pending.length === len) {
            // A frame whose result aliases its payload takes the held memory over (no copy, never reused);
            // the others are decoded from a view of it, and the buffer is kept for the next frame.
            let frame: Http3Frame;
            if (aliasesPayload(this.frameType)) frame = decodePayload(this.frameType, pending.takeAll(), this.consumed - len);
            else {
              frame = decodePayload(this.frameType, pending.view(), this.consumed - len);
              if (len > KEEP_PENDING_CAPACITY) pending.release();
              else pending.clear();
            }
            this.mode = Mode.Header;
            this.emitFrame(frame, out);
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
          if (this.mode === Mode.Data) out.push({ type: "data", data: chunk.subarray(p, p + take), offset: this.consumed, end: done });
          p += take;
          this.consumed += take;
          if (done) this.mode = Mode.Header;
          break;
        }
      }
    }
  }

  /** Applies the placement and order rules to a complete header and sets the mode. */
  private onHeader(type: number | bigint, length: number | bigint, headerLength: number, out: Http3StreamEvent[]): void {
    const at = this.consumed - headerLength;
    const skip = !this.emitUnknown && !isDefinedFrameType(type);
    checkFrameHeader(type, length, this.limits, at, skip);
    this.checkPlacement(type, at);
    this.frames++;
    this.frameType = type;
    this.frameOffset = at;
    this.headerLength = headerLength;
    if (type === FrameType.DATA || skip) {
      if (type === FrameType.DATA) out.push({ type: "data-start", offset: at, headerLength, length });
      if (typeof length === "bigint") {
        this.remainingBig = length;
        this.remaining = 0;
      } else {
        this.remaining = length;
        this.remainingBig = 0n;
      }
      if (length === 0) {
        if (type === FrameType.DATA) out.push({ type: "data", data: EMPTY, offset: this.consumed, end: true });
        this.mode = Mode.Header;
      } else {
        this.mode = type === FrameType.DATA ? Mode.Data : Mode.Skip;
      }
      return;
    }
    // Buffered frame: checkFrameHeader bounded the length by the limit.
    this.mode = Mode.Payload;
    this.payloadLength = length as number;
  }

  private emitFrame(frame: Http3Frame, out: Http3StreamEvent[]): void {
    const at = this.frameOffset;
    if (frame.type === FrameType.GOAWAY && this.sender === "server") {
      const id = frame.id;
      if (!isRequestStreamId(id)) {
        // RFC 9114 §7.2.6: "A client MUST treat receipt of a GOAWAY frame
        // containing a stream ID of any other type as a connection error of
        // type H3_ID_ERROR."
        throw connectionError(
          Http3ErrorCode.H3_ID_ERROR,
          "goaway_not_client_bidi_stream",
          `GOAWAY names stream ${id}, not a client-initiated bidirectional stream`,
          at,
        );
      }
    }
    if (this.kind === "control") {
      if (frame.type === FrameType.GOAWAY) {
        if (this.lastGoawayId !== undefined && compareVarints(frame.id, this.lastGoawayId) > 0) {
          // RFC 9114 §5.2: "Receiving a GOAWAY containing a larger identifier than
          // previously received MUST be treated as a connection error of type H3_ID_ERROR."
          throw connectionError(
            Http3ErrorCode.H3_ID_ERROR,
            "goaway_id_increased",
            `GOAWAY identifier ${frame.id} is larger than the previous ${this.lastGoawayId}`,
            at,
          );
        }
        this.lastGoawayId = frame.id;
      } else if (frame.type === FrameType.MAX_PUSH_ID) {
        if (this.lastMaxPushId !== undefined && compareVarints(frame.pushId, this.lastMaxPushId) < 0) {
          // RFC 9114 §7.2.7: "receipt of a MAX_PUSH_ID frame that contains a smaller
          // value than previously received MUST be treated as a connection error of
          // type H3_ID_ERROR."
          throw connectionError(
            Http3ErrorCode.H3_ID_ERROR,
            "max_push_id_decreased",
            `MAX_PUSH_ID ${frame.pushId} is smaller than the previous ${this.lastMaxPushId}`,
            at,
          );
        }
        this.lastMaxPushId = frame.pushId;
      } else if (this.sender === "client" && (frame.type === FrameType.CANCEL_PUSH || frame.type === FrameType.PRIORITY_UPDATE_PUSH)) {
        // A server reads the client's control stream, which also carries every
        // MAX_PUSH_ID the client sent, in order: a push ID above the last one
        // (or any push ID before the first) was never allowed, so never promised.
        const pushId = frame.type === FrameType.CANCEL_PUSH ? frame.pushId : frame.elementId;
        if (this.lastMaxPushId === undefined || compareVarints(pushId, this.lastMaxPushId) > 0) {
          const name = frame.type === FrameType.CANCEL_PUSH ? "cancel_push" : "priority_update_push";
          // RFC 9114 §7.2.3: a CANCEL_PUSH for a push ID "greater than currently
          // allowed on the connection" MUST be a connection error of type
          // H3_ID_ERROR; RFC 9218 §7.2: the same for a 0xF0701 PRIORITY_UPDATE
          // with "a push ID that is greater than the maximum push ID".
          throw connectionError(
            Http3ErrorCode.H3_ID_ERROR,
            `${name}_above_max_push_id`,
            `${frameTypeName(frame.type)} names push ID ${pushId}, above the maximum push ID ${this.lastMaxPushId ?? "(none sent)"}`,
            at,
          );
        }
      }
    }
    out.push({
      type: "frame",
      frame,
      offset: at,
      headerLength: this.headerLength,
      length: this.consumed - at - this.headerLength,
    });
  }

  private checkPlacement(type: number | bigint, at: number): void {
    const kind = this.kind;
    if (kind === "any") return;
    if (kind === "control") {
      if (this.frames === 0 && type !== FrameType.SETTINGS) {
        // RFC 9114 §6.2.1: "If the first frame of the control stream is any
        // other frame type, this MUST be treated as a connection error of type
        // H3_MISSING_SETTINGS."
        throw connectionError(
          Http3ErrorCode.H3_MISSING_SETTINGS,
          "control_stream_missing_settings",
          `Control stream starts with ${frameTypeName(type)}, not SETTINGS`,
          at,
        );
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
          throw unexpected(
            `${frameTypeName(type)} frame on the control stream`,
            `${frameTypeName(type).toLowerCase()}_on_control_stream`,
            at,
          );
        case FrameType.MAX_PUSH_ID:
          // RFC 9114 §7.2.7: "A client MUST treat the receipt of a MAX_PUSH_ID
          // frame as a connection error of type H3_FRAME_UNEXPECTED."
          if (this.sender === "server") throw unexpected("MAX_PUSH_ID frame received by a client", "max_push_id_received_by_client", at);
          return;
        case FrameType.PRIORITY_UPDATE_REQUEST:
        case FrameType.PRIORITY_UPDATE_PUSH:
          // RFC 9218 §7.2: "If a client receives a PRIORITY_UPDATE frame, this
          // MUST be treated as a connection error of type H3_FRAME_UNEXPECTED."
          if (this.sender === "server")
            throw unexpected("PRIORITY_UPDATE frame received by a client", "priority_update_received_by_client", at);
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
        if (this.sender === "client") throw unexpected("PUSH_PROMISE frame received by a server", "push_promise_received_by_server", at);
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
        else if (this.kind === "request" && this.sender === "client") this.msg = Msg.Trailers;
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
