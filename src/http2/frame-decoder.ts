/**
 * The incremental frame decoder: bytes in any chunking in, frames out
 * (RFC 9113 §3.4, §4, §6.10).
 * @module
 */
import { concatBytes } from "../shared/bytes.js";
import { HttpwireError } from "../shared/errors.js";
import { booleanOption, integerOption } from "../shared/options.js";
import { slabTake } from "../shared/slab.js";
import {
  CONNECTION_PREFACE,
  DEFAULT_MAX_FRAME_SIZE,
  Flags as Flags_,
  FRAME_HEADER_LENGTH as FRAME_HEADER_LENGTH_,
  FrameType as FrameType_,
  frameTypeName,
  MAX_MAX_FRAME_SIZE,
  SettingsId,
} from "./constants.js";
import { decodeFrame as decodeFrame_ } from "./decode-frame.js";
import { ErrorCode } from "./error-codes.js";
import { connectionError, Http2Error, streamError } from "./errors.js";
import type { ContinuationFrame, DataFrame, Frame, HeadersFrame, PushPromiseFrame } from "./frame.js";
import { type FrameHeader, type MutableFrameHeader, readFrameHeaderInto as readFrameHeaderInto_ } from "./frame-header.js";
import { onStream0Error, paddingTooLongError } from "./frames/common.js";
import { decodeContinuation as decodeContinuation_ } from "./frames/continuation.js";
import { decodeData as decodeData_ } from "./frames/data.js";
import { decodeHeadersFrame as decodeHeadersFrame_, headersSelfDependency as headersSelfDependency_ } from "./frames/headers.js";

// Module-local copies of imported bindings: where ESM is compiled to CommonJS (tsx does so when the module
// is loaded through require(), bundlers may), each use of an imported binding is a getter call; in native
// ESM the copy costs nothing.
const FrameType = FrameType_;
const Flags = Flags_;
const decodeFrame = decodeFrame_;
const decodeData = decodeData_;
const decodeHeadersFrame = decodeHeadersFrame_;
const headersSelfDependency = headersSelfDependency_;
const decodeContinuation = decodeContinuation_;
const readFrameHeaderInto = readFrameHeaderInto_;
const FRAME_HEADER_LENGTH = FRAME_HEADER_LENGTH_;

/** A header field as an HPACK decoder returns it (`httpwire/hpack` `HeaderField`). */
export interface DecodedHeaderField {
  readonly name: string;
  readonly value: string;
  readonly sensitive?: boolean;
}

/** What the decoder needs from an HPACK decoder (`httpwire/hpack` `HpackDecoder` fits). */
export interface FieldBlockDecoder {
  /** Decodes one complete field block (an HPACK decoder's `decode`); throws an `HttpwireError` for a bad one. */
  decode(block: Uint8Array): readonly DecodedHeaderField[];
}

/**
 * Options of {@link FrameDecoder}; every limit has a default. `H` is the
 * type of `hpack` (inferred), so that `fields` is typed present when it is given.
 */
export interface FrameDecoderOptions<H extends FieldBlockDecoder | undefined = FieldBlockDecoder | undefined, P extends boolean = boolean> {
  /** Our SETTINGS_MAX_FRAME_SIZE, 16384..2^24-1. Default 16384. */
  readonly maxFrameSize?: number;
  /** Largest field block (all fragments of one HEADERS/PUSH_PROMISE + CONTINUATION) in octets. Default 65536. */
  readonly maxFieldBlockSize?: number;
  /** Most CONTINUATION frames after one HEADERS/PUSH_PROMISE. Default 32. */
  readonly maxContinuationFrames?: number;
  /** Server side: check the 24-octet client preface and that a SETTINGS frame follows it (RFC 9113 §3.4). Default false. */
  readonly expectPreface?: boolean;
  /** Client side: check that the server's first frame is SETTINGS (RFC 9113 §3.4). Default false. */
  readonly expectSettingsFirst?: boolean;
  /**
   * Who sends the bytes, to enforce the rules that depend on it: from a
   * client, PUSH_PROMISE is a connection PROTOCOL_ERROR (RFC 9113 §8.4); from
   * a server, SETTINGS_ENABLE_PUSH = 1 (RFC 9113 §6.5.2) and PRIORITY_UPDATE
   * (RFC 9218 §7.1) are. Default: not known, not checked.
   */
  readonly sender?: "client" | "server";
  /**
   * Join HEADERS/PUSH_PROMISE and their CONTINUATION frames into one
   * {@link FieldBlockEvent} (default true). When false, the frames are
   * returned one by one; the CONTINUATION order and limits are still
   * enforced, and when `hpack` is given a {@link FieldBlockEvent} follows
   * the frame that ends each block.
   */
  readonly joinFieldBlocks?: boolean;
  /**
   * Report DATA as {@link DataPieceEvent}s instead of {@link DataFrame}s
   * (default false): each piece is a view of the chunk it arrived in, so a
   * DATA frame that straddles chunks is never gathered or copied. Every DATA
   * frame gives one piece or more, exactly one with `end: true`.
   */
  readonly dataPieces?: P;
  /**
   * When given, each complete field block is HPACK-decoded into `fields`
   * (a failure is a connection COMPRESSION_ERROR `hpack_decoding_failed`
   * with the HPACK error as `cause`, RFC 9113 §4.3).
   */
  readonly hpack?: H;
}

/**
 * A complete field block: HEADERS or PUSH_PROMISE with its CONTINUATION
 * frames. `F` is the type of `fields`: present when the decoder was given
 * `hpack`, `undefined` when not.
 */
export interface FieldBlockEvent<F extends readonly DecodedHeaderField[] | undefined = readonly DecodedHeaderField[] | undefined> {
  readonly type: "field-block";
  readonly streamId: number;
  /** The HEADERS or PUSH_PROMISE frame that opened the block (its own `fragment` only). */
  readonly frame: HeadersFrame | PushPromiseFrame;
  /** END_STREAM of the HEADERS frame (always false for PUSH_PROMISE). */
  readonly endStream: boolean;
  /** The whole field block: a view of the input when there was no CONTINUATION, else a fresh copy. */
  readonly block: Uint8Array;
  /** How many CONTINUATION frames the block took. */
  readonly continuationFrames: number;
  /** The HPACK-decoded fields when the decoder was given `hpack`. */
  readonly fields: F;
}

/**
 * A stream-scoped error: the offending frame was consumed and dropped; the
 * decoder goes on. The endpoint should send RST_STREAM with `error.code`.
 * One exception: a HEADERS frame that depends on itself is still HPACK-decoded
 * (joined blocks) or still returned with its CONTINUATION frames
 * (`joinFieldBlocks: false`), because the field block must be decoded to keep
 * the HPACK state in sync (RFC 9113 §4.3); the error comes after the block.
 */
export interface StreamErrorEvent {
  readonly type: "stream-error";
  readonly streamId: number;
  readonly error: Http2Error;
}

/**
 * A piece of a DATA frame's content, reported in place of the {@link DataFrame}
 * when the decoder was built with `dataPieces: true`.
 *
 * Lifetime: `data` is a view of the chunk given to the {@link FrameDecoder.push}
 * call that reported it (never a copy): use it, or copy it, before that chunk is
 * reused or mutated.
 *
 * One DATA frame gives one piece per `push()` that delivers some of its content
 * (a frame inside one chunk: exactly one piece), and exactly one piece with
 * `end: true`, even when the frame is empty. Pad Length and padding are never
 * in `data`; they are counted in `flowLength`, so that the `flowLength` of a
 * frame's pieces add up to its payload length, which is what flow control
 * counts (RFC 9113 §6.9.1). A chunk that brings only padding or the Pad Length
 * octet gives no piece; its octets are counted in the next piece's `flowLength`.
 *
 * @example
 * ```ts
 * // A DATA frame on stream 1 with END_STREAM, "hello", arriving in two chunks.
 * const frame = Uint8Array.from([0, 0, 5, 0, 1, 0, 0, 0, 1, 0x68, 0x65, 0x6c, 0x6c, 0x6f]);
 * const d = new FrameDecoder({ dataPieces: true });
 * const events = [...d.push(frame.subarray(0, 11)), ...d.push(frame.subarray(11))];
 * // Each piece's data is a view of the chunk it came in; flowLength is what flow control counts.
 * events.map((e) => (e.type === "data-piece" ? new TextDecoder().decode(e.data) : e.type)); // => ["he", "llo"]
 * events.map((e) => e.type === "data-piece" && e.endStream); // => [false, true]
 * ```
 */
export interface DataPieceEvent {
  readonly type: "data-piece";
  readonly streamId: number;
  /** Content octets (may be empty), a view of the pushed chunk. */
  readonly data: Uint8Array;
  /** Stream offset of `data`'s first octet (the client preface not counted). */
  readonly offset: number;
  /** Payload octets this piece accounts for: `data`, plus the Pad Length and padding consumed since the last piece. */
  readonly flowLength: number;
  /** The last piece of the frame: the frame is complete. */
  readonly end: boolean;
  /** END_STREAM: set on the last piece of a frame that carries the flag, false on every other piece. */
  readonly endStream: boolean;
}

/** What {@link FrameDecoder.push} appends, in wire order. `F` as in {@link FieldBlockEvent}. */
export type FrameDecoderEvent<F extends readonly DecodedHeaderField[] | undefined = readonly DecodedHeaderField[] | undefined> =
  | Frame
  | FieldBlockEvent<F>
  | StreamErrorEvent;

/**
 * What a decoder built with `dataPieces: P` appends: with `true`, DATA comes
 * as {@link DataPieceEvent}s and never as {@link DataFrame}s. `F` as in
 * {@link FieldBlockEvent}.
 */
export type FrameDecoderEventOf<F extends readonly DecodedHeaderField[] | undefined, P extends boolean> = P extends true
  ? Exclude<FrameDecoderEvent<F>, DataFrame> | DataPieceEvent
  : FrameDecoderEvent<F>;

/** The type of `fields` for a decoder given an `hpack` of type `H`. */
export type FieldsOf<H> = H extends FieldBlockDecoder ? readonly DecodedHeaderField[] : undefined;

/**
 * Where {@link FrameDecoder.push} appends events: an array, or any object
 * with a `push` method (which then sees each event the moment it completes,
 * before the decoder reads on: e.g. to apply an acknowledged SETTINGS).
 */
export interface EventSink<E> {
  /** Receives one event, in order. */
  push(event: E): unknown;
}

/**
 * The frame the decoder read last, with its position in the byte stream:
 * while an event is being appended, the frame that completed it.
 */
export interface FramePosition extends FrameHeader {
  /** Absolute stream offset of the frame's first header octet (the client preface not counted). */
  readonly offset: number;
}

/** The frame being read when the input stopped inside one (see {@link FrameDecoder.partialFrame}). */
export interface PartialFrame {
  /** Absolute stream offset of its first header octet. */
  readonly offset: number;
  /** Its type octet, or -1 while its header is incomplete. */
  readonly type: number;
  /** Payload octets still to come (0 while its header is incomplete). */
  readonly remaining: number;
}

/**
 * Counters for flood and abuse detection (Rapid Reset, CVE-2023-44487;
 * CONTINUATION, PING, SETTINGS and empty-frame floods). Plain numbers,
 * counted from frame headers; what to do about them is the caller's policy.
 */
export interface FrameCounters {
  /** Frames whose header was read. */
  frames: number;
  /** Frames per type octet (256 entries). */
  readonly byType: number[];
  rstStream: number;
  settings: number;
  settingsAck: number;
  ping: number;
  pingAck: number;
  /** DATA frames with no data and no END_STREAM. */
  emptyData: number;
  /** HEADERS frames with an empty fragment. */
  emptyHeaders: number;
  /** CONTINUATION frames with an empty fragment and no END_HEADERS. */
  emptyContinuation: number;
  /** Stream errors reported as events. */
  streamErrors: number;
}

/** Decoder states (plain numbers: no TS enum in this codebase). */
const State = { Preface: 0, Header: 1, Payload: 2, Skip: 3, Data: 4 } as const;
type State = (typeof State)[keyof typeof State];

/** The header record: the frame in flight, overwritten for each frame (no object per frame). */
type MutablePosition = MutableFrameHeader & { offset: number };

interface OpenBlock {
  /** The opening frame; its fragment is a view of the current chunk until {@link FrameDecoder} detaches it. */
  first: HeadersFrame | PushPromiseFrame;
  readonly streamId: number;
  /** The fragments so far; `parts[owned..]` are still views of the chunk being pushed. */
  readonly parts: Uint8Array[];
  owned: number;
  size: number;
  continuations: number;
  error: Http2Error | undefined;
}

/**
 * A frame that straddles chunks is gathered in a buffer of its own that
 * grows as its payload arrives: up to this size at once, then doubling up to
 * the declared length, so a 9-octet header declaring 16 MiB costs memory
 * only as the bytes come (issue 12). Frames up to this size are allocated
 * once, at their exact length.
 */
const INITIAL_PAYLOAD_CAPACITY = DEFAULT_MAX_FRAME_SIZE;

/**
 * Decodes an HTTP/2 byte stream incrementally.
 *
 * Lifetime: a frame that arrived inside one chunk is a view of that chunk
 * (don't mutate the chunk while using the frame); a frame that straddled
 * chunks is a view of memory nothing else writes to, never reused: a DATA
 * frame's is a buffer of its own; another frame's, up to 16 KiB, may be in a
 * shared 64 KiB slab (its `.buffer` may hold other frames: copy it before
 * transferring the buffer, or before keeping it long if memory matters).
 * Joined field blocks with CONTINUATION are fresh copies. With `dataPieces:
 * true`, DATA is never gathered: each {@link DataPieceEvent} is a view of the
 * chunk it arrived in, valid while that chunk is left unchanged.
 *
 * Errors: connection errors are thrown as {@link Http2Error} and poison the
 * decoder (every later call throws the same error); what the failing call
 * completed before the error is in its `out`. Stream errors are reported
 * as {@link StreamErrorEvent}s and decoding goes on.
 *
 * Positions: {@link lastFrame} is the header of the frame read last with
 * its stream offset; a sink given to {@link push} reads it for each event.
 *
 * @example
 * ```ts
 * import { HpackDecoder } from "httpwire/hpack";
 * const d = new FrameDecoder({ expectPreface: true, hpack: new HpackDecoder() });
 * // What a client sends first: the preface, SETTINGS, a request's HEADERS (:method GET), a PING.
 * const settings = encodeFrame({ type: FrameType.SETTINGS, streamId: 0, flags: 0, ack: false, settings: [] });
 * const [headers] = fieldBlockFrames({ streamId: 1, block: Uint8Array.of(0x82), endStream: true }).map(encodeFrame);
 * const ping = encodeFrame({ type: FrameType.PING, streamId: 0, flags: 0, ack: false, opaqueData: new Uint8Array(8) });
 * const events = [...d.push(CONNECTION_PREFACE), ...d.push(settings), ...d.push(headers!), ...d.push(ping)];
 * events.map((e) => e.type); // => [FrameType.SETTINGS, "field-block", FrameType.PING]
 * // With `hpack` given, "field-block" events carry the decoded fields.
 * const fields = events.flatMap((e) => (e.type === "field-block" ? e.fields : []));
 * fields.map((f) => `${f.name}: ${f.value}`); // => [":method: GET"]
 * d.end(); // throws if the stream stopped inside a frame
 * ```
 */
export class FrameDecoder<H extends FieldBlockDecoder | undefined = undefined, P extends boolean = false> {
  /** Live counters; see {@link FrameCounters}. */
  readonly counters: FrameCounters = {
    frames: 0,
    byType: ZERO_COUNTS.slice(),
    rstStream: 0,
    settings: 0,
    settingsAck: 0,
    ping: 0,
    pingAck: 0,
    emptyData: 0,
    emptyHeaders: 0,
    emptyContinuation: 0,
    streamErrors: 0,
  };

  private maxFrameSize: number;
  private readonly maxFieldBlockSize: number;
  private readonly maxContinuationFrames: number;
  private readonly join: boolean;
  private readonly pieces: boolean;
  /** Whether field block fragments are gathered (joined blocks, or blocks to HPACK-decode). */
  private readonly collect: boolean;
  private readonly hpack: FieldBlockDecoder | undefined;
  private expectSettings: boolean;
  private readonly sender: "client" | "server" | undefined;

  private state: State;
  private prefaceMatched = 0;
  private readonly hdr = new Uint8Array(FRAME_HEADER_LENGTH);
  private hdrHave = 0;
  private readonly h: MutablePosition = { length: 0, type: 0, flags: 0, streamId: 0, offset: 0 };
  /** The payload of a frame that straddles chunks: `payload[0, payloadHave)` arrived, `h.length` in all. */
  private payload: Uint8Array = EMPTY;
  private payloadHave = 0;
  private skipLeft = 0;
  private skipError: StreamErrorEvent | undefined;
  /** A DATA frame reported in pieces (State.Data): payload octets still to come, of which content. */
  private dataLeft = 0;
  private contentLeft = 0;
  /** Payload octets consumed and not yet reported in a piece's `flowLength`. */
  private flowPending = 0;
  /** Whether the Pad Length octet is still to come. */
  private padPending = false;
  /** Stream offset of the next byte to consume. */
  private pos = 0;
  private block: OpenBlock | undefined;
  private failed: Http2Error | undefined;
  private out: EventSink<FrameDecoderEvent | DataPieceEvent> = NO_EVENTS;

  /**
   * @throws RangeError when an option is out of range; TypeError when
   *   `sender` is not "client" or "server".
   */
  constructor(options: FrameDecoderOptions<H, P> = {}) {
    this.maxFrameSize = checkMaxFrameSize(options.maxFrameSize);
    this.maxFieldBlockSize = integerOption(
      "FrameDecoder",
      "maxFieldBlockSize",
      options.maxFieldBlockSize,
      65_536,
      0,
      Number.MAX_SAFE_INTEGER,
    );
    this.maxContinuationFrames = integerOption(
      "FrameDecoder",
      "maxContinuationFrames",
      options.maxContinuationFrames,
      32,
      0,
      Number.MAX_SAFE_INTEGER,
    );
    this.join = booleanOption("FrameDecoder", "joinFieldBlocks", options.joinFieldBlocks, true);
    this.pieces = booleanOption("FrameDecoder", "dataPieces", options.dataPieces, false);
    this.hpack = options.hpack;
    this.collect = this.join || this.hpack !== undefined;
    this.state = options.expectPreface === true ? State.Preface : State.Header;
    this.expectSettings = options.expectPreface === true || options.expectSettingsFirst === true;
    const sender = options.sender;
    if (sender !== undefined && sender !== "client" && sender !== "server")
      throw new TypeError(`sender must be "client" or "server", got ${String(sender)}`);
    this.sender = sender;
  }

  /**
   * Applies a new SETTINGS_MAX_FRAME_SIZE of ours (once the peer acknowledged it).
   *
   * @throws RangeError when `n` is not an integer in 16384..2^24-1.
   */
  setMaxFrameSize(n: number): void {
    this.maxFrameSize = checkMaxFrameSize(n);
  }

  /** Bytes consumed so far. */
  get offset(): number {
    return this.pos;
  }

  /**
   * The header of the frame read last, with its stream offset. While
   * {@link push} appends an event, it is the frame that completed the event
   * (for a field block, its last frame; for a stream error, the offending
   * frame). One record, overwritten for each frame: copy what you keep.
   */
  get lastFrame(): FramePosition {
    return this.h;
  }

  /** The frame the input stopped inside, or `undefined` at a frame boundary (also inside the preface). */
  get partialFrame(): PartialFrame | undefined {
    if (this.hdrHave > 0) return { offset: this.pos - this.hdrHave, type: -1, remaining: 0 };
    if (this.state === State.Payload) return { offset: this.h.offset, type: this.h.type, remaining: this.h.length - this.payloadHave };
    if (this.state === State.Skip) return { offset: this.h.offset, type: this.h.type, remaining: this.skipLeft };
    if (this.state === State.Data) return { offset: this.h.offset, type: this.h.type, remaining: this.dataLeft };
    return undefined;
  }

  /** @internal Bytes held for a frame that straddles chunks (its buffer's size), for the memory tests. */
  get heldCapacity(): number {
    return this.payload.length;
  }

  /**
   * Feeds bytes. Each event is appended to `out` (a new array when not
   * given) the moment it completes, in wire order; `out` is returned.
   *
   * @throws Http2Error for connection errors (PROTOCOL_ERROR, FRAME_SIZE_ERROR,
   *   FLOW_CONTROL_ERROR, COMPRESSION_ERROR with the HPACK error as `cause`,
   *   ENHANCE_YOUR_CALM for the field block limits); the decoder is then
   *   unusable, and `out` holds every event completed before the error.
   */
  push(chunk: Uint8Array): FrameDecoderEventOf<FieldsOf<H>, P>[];
  push<S extends EventSink<FrameDecoderEventOf<FieldsOf<H>, P>>>(chunk: Uint8Array, out: S): S;
  push(chunk: Uint8Array, out: EventSink<FrameDecoderEvent | DataPieceEvent> = []): EventSink<FrameDecoderEvent | DataPieceEvent> {
    if (this.failed !== undefined) throw this.failed;
    this.out = out;
    try {
      this.consume(chunk);
    } catch (e) {
      if (e instanceof Http2Error) this.failed = e;
      throw e;
    } finally {
      this.out = NO_EVENTS;
    }
    // A field block still open keeps its fragments as views of `chunk` only while this call runs: copy them
    // now into fresh memory, since the caller may reuse the chunk once push() returns.
    const block = this.block;
    if (block !== undefined && block.owned < block.parts.length) detach(block);
    return out;
  }

  /**
   * Declares the end of the byte stream.
   *
   * @throws Http2Error connection PROTOCOL_ERROR when the stream ends inside
   *   the preface (`truncated_preface`), a frame (`truncated_frame`) or a
   *   field block (`truncated_field_block`).
   */
  end(): void {
    if (this.failed !== undefined) throw this.failed;
    let reason: string | undefined;
    if (this.state === State.Preface) reason = "truncated_preface";
    else if (this.state !== State.Header || this.hdrHave > 0) reason = "truncated_frame";
    else if (this.block !== undefined) reason = "truncated_field_block";
    if (reason !== undefined) {
      this.failed = connectionError(
        ErrorCode.PROTOCOL_ERROR,
        reason,
        `Cannot end the stream: ${reason.replace(/_/g, " ")} at offset ${this.pos}`,
        this.pos,
      );
      throw this.failed;
    }
  }

  private consume(chunk: Uint8Array): void {
    const n = chunk.length;
    const base = this.pos;
    const buffer = chunk.buffer;
    const byteOffset = chunk.byteOffset;
    let p = 0;
    try {
      while (p < n) {
        switch (this.state) {
          case State.Preface: {
            while (p < n && this.prefaceMatched < CONNECTION_PREFACE.length) {
              if (chunk[p] !== CONNECTION_PREFACE[this.prefaceMatched]) {
                // RFC 9113 §3.4: an invalid connection preface MUST be treated as a connection error of type PROTOCOL_ERROR
                throw connectionError(
                  ErrorCode.PROTOCOL_ERROR,
                  "invalid_preface",
                  `Invalid connection preface at offset ${base + p}`,
                  base + p,
                );
              }
              p++;
              this.prefaceMatched++;
            }
            if (this.prefaceMatched === CONNECTION_PREFACE.length) this.state = State.Header;
            break;
          }
          case State.Header: {
            // RFC 9113 §4.1: the frame header, read in place.
            const header = this.h;
            if (this.hdrHave === 0 && n - p >= FRAME_HEADER_LENGTH) {
              readFrameHeaderInto(chunk, p, header);
              p += FRAME_HEADER_LENGTH;
            } else {
              const hdr = this.hdr;
              while (p < n && this.hdrHave < FRAME_HEADER_LENGTH) hdr[this.hdrHave++] = chunk[p++]!;
              if (this.hdrHave < FRAME_HEADER_LENGTH) break;
              this.hdrHave = 0;
              readFrameHeaderInto(hdr, 0, header);
            }
            header.offset = base + p - FRAME_HEADER_LENGTH;
            const skip = this.onHeader(header);
            if (skip !== undefined) {
              this.skipLeft = header.length;
              this.skipError = skip;
              this.state = State.Skip;
              if (this.skipLeft === 0) this.finishSkip();
              break;
            }
            const len = header.length;
            if (this.pieces && header.type === FrameType.DATA) {
              p = this.startData(header, chunk, p, base, buffer, byteOffset);
              break;
            }
            if (n - p >= len) {
              // A view made with the constructor, not subarray(): about half the cost in V8 (subarray looks up the
              // species constructor), and always a plain Uint8Array, even when the chunk is a subclass (a Buffer).
              const payload = new Uint8Array(buffer, byteOffset + p, len);
              p += len;
              this.onFrame(header, payload, false);
            } else {
              // The frame straddles chunks: memory nothing else writes to, never recycled. A frame other
              // than DATA, up to the default SETTINGS_MAX_FRAME_SIZE, is taken whole from the shared slab
              // (an ArrayBuffer of its own cost 18% of decoding a session in TCP-sized chunks). DATA gets a
              // buffer of its own, so a body kept chunk by chunk never pins a slab; so does a larger frame,
              // sized for what has come (see INITIAL_PAYLOAD_CAPACITY) and grown as the rest arrives.
              const avail = n - p;
              const payload =
                len <= INITIAL_PAYLOAD_CAPACITY && header.type !== FrameType.DATA
                  ? slabTake(len, INITIAL_PAYLOAD_CAPACITY)
                  : new Uint8Array(len <= INITIAL_PAYLOAD_CAPACITY ? len : Math.min(len, Math.max(INITIAL_PAYLOAD_CAPACITY, 2 * avail)));
              payload.set(p === 0 ? chunk : chunk.subarray(p));
              this.payload = payload;
              this.payloadHave = avail;
              p = n;
              this.state = State.Payload;
            }
            break;
          }
          case State.Payload: {
            let payload = this.payload;
            const have = this.payloadHave;
            const len = this.h.length;
            const want = len - have;
            const avail = n - p;
            const take = Math.min(want, avail);
            if (have + take > payload.length) {
              // Geometric growth up to the declared length: O(length) copying in total.
              const grown = new Uint8Array(Math.min(len, Math.max(2 * payload.length, have + take)));
              grown.set(payload.subarray(0, have));
              payload = grown;
              this.payload = grown;
            }
            payload.set(p === 0 && take === n ? chunk : chunk.subarray(p, p + take), have);
            p += take;
            if (take < want) {
              this.payloadHave = have + take;
              break;
            }
            this.state = State.Header;
            this.payload = EMPTY;
            this.payloadHave = 0;
            this.onFrame(this.h, payload, true);
            break;
          }
          case State.Data:
            p = this.dataPiece(chunk, p, base, buffer, byteOffset);
            break;
          case State.Skip: {
            const take = Math.min(this.skipLeft, n - p);
            this.skipLeft -= take;
            p += take;
            if (this.skipLeft === 0) this.finishSkip();
            break;
          }
        }
      }
    } finally {
      this.pos = base + p;
    }
  }

  /**
   * `dataPieces`: a DATA frame's header was read (it passed {@link onHeader}); its payload starts at `chunk[p]`.
   * Checks what the header alone proves (RFC 9113 §6.1: not on stream 0; §4.2: room for Pad Length), then reads
   * what the chunk holds of the payload. Returns the new position.
   */
  private startData(h: MutablePosition, chunk: Uint8Array, p: number, base: number, buffer: ArrayBufferLike, byteOffset: number): number {
    // RFC 9113 §6.1: DATA on stream 0 MUST be treated as a connection error of type PROTOCOL_ERROR
    if (h.streamId === 0) throw onStream0Error("DATA", "data", h.offset);
    const len = h.length;
    if ((h.flags & Flags.PADDED) === 0) {
      if (len === 0 && (h.flags & Flags.END_STREAM) === 0) this.counters.emptyData++;
      if (chunk.length - p >= len) {
        // The frequent case: the whole payload is in this chunk, one piece.
        this.out.push({
          type: "data-piece",
          streamId: h.streamId,
          data: new Uint8Array(buffer, byteOffset + p, len),
          offset: base + p,
          flowLength: len,
          end: true,
          endStream: (h.flags & Flags.END_STREAM) !== 0,
        });
        return p + len;
      }
      this.contentLeft = len;
      this.padPending = false;
    } else {
      // RFC 9113 §4.2: a padded frame too short for its Pad Length octet is a FRAME_SIZE_ERROR (as decodeData says)
      if (len === 0) decodeData(h, EMPTY, h.offset);
      this.padPending = true;
    }
    this.dataLeft = len;
    this.flowPending = 0;
    this.state = State.Data;
    return p;
  }

  /** `dataPieces`: reads what `chunk[p..]` holds of the DATA frame in flight; reports a piece when due. */
  private dataPiece(chunk: Uint8Array, p: number, base: number, buffer: ArrayBufferLike, byteOffset: number): number {
    const h = this.h;
    if (this.padPending) {
      if (p === chunk.length) return p;
      const padLength = chunk[p++]!;
      // RFC 9113 §6.1: padding that is the length of the frame payload or greater MUST be treated as a
      // connection error of type PROTOCOL_ERROR (the same error decodeData throws on the whole frame)
      if (padLength > h.length - 1) throw paddingTooLongError("DATA", "data", padLength, h.length, h.offset);
      this.padPending = false;
      this.dataLeft--;
      this.flowPending++;
      this.contentLeft = this.dataLeft - padLength;
      if (this.contentLeft === 0 && (h.flags & Flags.END_STREAM) === 0) this.counters.emptyData++;
    }
    const take = Math.min(this.dataLeft, chunk.length - p);
    const content = Math.min(this.contentLeft, take);
    const start = p;
    p += take;
    this.dataLeft -= take;
    this.contentLeft -= content;
    const end = this.dataLeft === 0;
    if (content > 0 || end) {
      const flowLength = this.flowPending + take;
      this.flowPending = 0;
      if (end) this.state = State.Header;
      this.out.push({
        type: "data-piece",
        streamId: h.streamId,
        data: new Uint8Array(buffer, byteOffset + start, content),
        offset: base + start,
        flowLength,
        end,
        endStream: end && (h.flags & Flags.END_STREAM) !== 0,
      });
    } else this.flowPending += take;
    return p;
  }

  private finishSkip(): void {
    this.state = State.Header;
    this.out.push(this.skipError!);
    this.skipError = undefined;
  }

  /**
   * Checks a frame header before its payload is awaited. Returns a stream
   * error event when the payload is to be skipped; throws connection errors.
   */
  private onHeader(h: MutablePosition): StreamErrorEvent | undefined {
    const c = this.counters;
    c.frames++;
    c.byType[h.type]!++;
    const at = h.offset;
    if (this.expectSettings) {
      // RFC 9113 §3.4: the preface of each side includes a SETTINGS frame as its first frame;
      // an invalid preface MUST be treated as a connection error of type PROTOCOL_ERROR
      if (h.type !== FrameType.SETTINGS || (h.flags & Flags.ACK) !== 0)
        throw connectionError(
          ErrorCode.PROTOCOL_ERROR,
          "preface_settings_missing",
          `Invalid connection preface: first frame is ${frameTypeName(h.type)}, not SETTINGS`,
          at,
        );
      this.expectSettings = false;
    }
    // RFC 9113 §8.4: a client cannot push; servers MUST treat the receipt of a PUSH_PROMISE frame as a
    // connection error of type PROTOCOL_ERROR
    if (this.sender === "client" && h.type === FrameType.PUSH_PROMISE)
      throw connectionError(
        ErrorCode.PROTOCOL_ERROR,
        "push_promise_from_client",
        `Received PUSH_PROMISE from a client on stream ${h.streamId}`,
        at,
      );
    // RFC 9218 §7.1: servers MUST NOT send PRIORITY_UPDATE; a client receiving one MUST respond with a
    // connection error of type PROTOCOL_ERROR
    if (this.sender === "server" && h.type === FrameType.PRIORITY_UPDATE)
      throw connectionError(ErrorCode.PROTOCOL_ERROR, "priority_update_from_server", "Received PRIORITY_UPDATE from a server", at);
    const block = this.block;
    if (block !== undefined) {
      // RFC 9113 §6.10: a field block MUST be followed by CONTINUATION frames on the same stream only;
      // any other frame (of any type, unknown included) is a connection error of type PROTOCOL_ERROR
      if (h.type !== FrameType.CONTINUATION)
        throw connectionError(
          ErrorCode.PROTOCOL_ERROR,
          "continuation_expected",
          `Expected CONTINUATION for stream ${block.streamId}, got ${frameTypeName(h.type)}`,
          at,
        );
      if (h.streamId !== block.streamId)
        throw connectionError(
          ErrorCode.PROTOCOL_ERROR,
          "continuation_stream_mismatch",
          `Expected CONTINUATION for stream ${block.streamId}, got one for stream ${h.streamId}`,
          at,
        );
      // The 2024 CONTINUATION flood: bound the count and the total before buffering anything.
      if (block.continuations + 1 > this.maxContinuationFrames)
        throw connectionError(
          ErrorCode.ENHANCE_YOUR_CALM,
          "too_many_continuation_frames",
          `Field block on stream ${block.streamId} exceeds ${this.maxContinuationFrames} CONTINUATION frames`,
          at,
        );
      if (block.size + h.length > this.maxFieldBlockSize) throw this.blockTooLarge(block.size + h.length, h.streamId);
    } else if (h.type === FrameType.CONTINUATION) {
      // RFC 9113 §6.10: a CONTINUATION frame MUST be preceded by HEADERS, PUSH_PROMISE or CONTINUATION
      // without END_HEADERS; otherwise a connection error of type PROTOCOL_ERROR
      throw connectionError(
        ErrorCode.PROTOCOL_ERROR,
        "continuation_unexpected",
        `Unexpected CONTINUATION frame on stream ${h.streamId}`,
        at,
      );
    }
    if (h.length > this.maxFrameSize) {
      // RFC 9113 §4.2: a frame over SETTINGS_MAX_FRAME_SIZE is a FRAME_SIZE_ERROR; a connection error for
      // frames that could alter connection state (field blocks, SETTINGS, stream 0). DATA counts against the
      // connection window, so it is treated as such too; other frames get a stream error and are skipped.
      const message = `${frameTypeName(h.type)} frame length ${h.length} exceeds SETTINGS_MAX_FRAME_SIZE ${this.maxFrameSize}`;
      const t = h.type;
      if (
        h.streamId === 0 ||
        t === FrameType.DATA ||
        t === FrameType.HEADERS ||
        t === FrameType.PUSH_PROMISE ||
        t === FrameType.CONTINUATION ||
        t === FrameType.SETTINGS
      )
        throw connectionError(ErrorCode.FRAME_SIZE_ERROR, "frame_too_large", message, at);
      c.streamErrors++;
      return {
        type: "stream-error",
        streamId: h.streamId,
        error: streamError(ErrorCode.FRAME_SIZE_ERROR, h.streamId, "frame_too_large", message, at),
      };
    }
    return undefined;
  }

  private blockTooLarge(size: number, streamId: number): Http2Error {
    return connectionError(
      ErrorCode.ENHANCE_YOUR_CALM,
      "field_block_too_large",
      `Field block on stream ${streamId} reaches ${size} octets, above the limit of ${this.maxFieldBlockSize}`,
      this.h.offset,
    );
  }

  /** `fresh`: the payload is a buffer of its own (the frame straddled chunks), not a view of the chunk. */
  private onFrame(h: MutablePosition, payload: Uint8Array, fresh: boolean): void {
    // The frequent types first, dispatched on the header's type octet (one object shape) rather than on the
    // decoded frame's `type` (one shape per frame type). Their decoders throw connection errors only.
    const c = this.counters;
    const at = h.offset;
    switch (h.type) {
      case FrameType.DATA: {
        const frame = decodeData(h, payload, at);
        if (frame.data.length === 0 && !frame.endStream) c.emptyData++;
        this.out.push(frame);
        return;
      }
      case FrameType.HEADERS:
        this.onBlockStart(decodeHeadersFrame(h, payload, at), fresh);
        return;
      case FrameType.CONTINUATION:
        this.onContinuation(decodeContinuation(h, payload, at), fresh);
        return;
      default:
        break;
    }
    let frame: Frame;
    try {
      frame = decodeFrame(h, payload, at);
    } catch (e) {
      if (e instanceof Http2Error && e.scope === "stream") {
        this.streamErrorEvent(e);
        return;
      }
      throw e;
    }
    switch (frame.type) {
      case FrameType.RST_STREAM:
        c.rstStream++;
        break;
      case FrameType.SETTINGS:
        if (frame.ack) c.settingsAck++;
        else c.settings++;
        if (this.sender === "server") {
          const i = frame.settings.findIndex((s) => s.id === SettingsId.SETTINGS_ENABLE_PUSH && s.value === 1);
          // RFC 9113 §6.5.2: a client MUST treat receipt of a SETTINGS frame with SETTINGS_ENABLE_PUSH set to 1
          // as a connection error of type PROTOCOL_ERROR
          if (i >= 0)
            throw connectionError(
              ErrorCode.PROTOCOL_ERROR,
              "settings_enable_push_from_server",
              "Received SETTINGS_ENABLE_PUSH = 1 from a server",
              at + FRAME_HEADER_LENGTH + 6 * i,
            );
        }
        break;
      case FrameType.PING:
        if (frame.ack) c.pingAck++;
        else c.ping++;
        break;
      case FrameType.PUSH_PROMISE:
        this.onBlockStart(frame, fresh);
        return;
      default:
        break;
    }
    this.out.push(frame);
  }

  private onContinuation(frame: ContinuationFrame, fresh: boolean): void {
    if (frame.fragment.length === 0 && !frame.endHeaders) this.counters.emptyContinuation++;
    const block = this.block!;
    block.continuations++;
    block.size += frame.fragment.length;
    if (this.collect) {
      // A view for now; push() copies it if the block is still open when the call returns.
      const parts = block.parts;
      parts.push(frame.fragment);
      if (fresh && block.owned === parts.length - 1) block.owned++;
    }
    if (!frame.endHeaders) {
      if (!this.join) this.out.push(frame);
      return;
    }
    this.block = undefined;
    this.finishBlock(block.first, frame, this.collect ? concatBytes(block.parts, block.size) : EMPTY, block.continuations, block.error);
  }

  private onBlockStart(frame: HeadersFrame | PushPromiseFrame, fresh: boolean): void {
    if (frame.type === FrameType.HEADERS && frame.fragment.length === 0) this.counters.emptyHeaders++;
    if (frame.fragment.length > this.maxFieldBlockSize) throw this.blockTooLarge(frame.fragment.length, frame.streamId);
    // RFC 9113 §5.3.1: a HEADERS frame that depends on itself is a stream error; the field block is still
    // decoded (RFC 9113 §4.3) and the error reported after it.
    const error = frame.type === FrameType.HEADERS ? headersSelfDependency(frame, this.h.offset) : undefined;
    if (frame.endHeaders) {
      this.finishBlock(frame, frame, frame.fragment, 0, error);
      return;
    }
    // The block spans frames: its fragments stay views while this push() runs; push() copies what is still
    // open when it returns (the opening frame in the event then carries the copy too).
    this.block = {
      first: frame,
      streamId: frame.streamId,
      parts: this.collect ? [frame.fragment] : [],
      owned: fresh ? 1 : 0,
      size: frame.fragment.length,
      continuations: 0,
      error,
    };
    if (!this.join) this.out.push(frame);
  }

  /**
   * A block is complete with `last` (its END_HEADERS frame): HPACK-decode it when asked, then report it:
   * joined, one field-block event; else its last frame, then a field-block event when `hpack` was given.
   * A stream error found on the way (self-dependency) follows, in place of a joined block's event.
   */
  private finishBlock(
    first: HeadersFrame | PushPromiseFrame,
    last: HeadersFrame | PushPromiseFrame | ContinuationFrame,
    bytes: Uint8Array,
    continuations: number,
    error: Http2Error | undefined,
  ): void {
    const streamId = first.streamId;
    let fields: readonly DecodedHeaderField[] | undefined;
    if (this.hpack !== undefined) {
      try {
        fields = this.hpack.decode(bytes);
      } catch (e) {
        // RFC 9113 §4.3: a field block decoding error MUST be treated as a connection error of type COMPRESSION_ERROR
        if (e instanceof HttpwireError)
          throw new Http2Error(`Cannot decode the field block of stream ${streamId}: ${e.message}`, ErrorCode.COMPRESSION_ERROR, {
            reason: "hpack_decoding_failed",
            streamId,
            offset: this.h.offset,
            cause: e,
          });
        throw e;
      }
    }
    if (!this.join) this.out.push(last);
    if (!this.join ? fields !== undefined : error === undefined)
      this.out.push({
        type: "field-block",
        streamId,
        frame: first,
        endStream: first.type === FrameType.HEADERS && first.endStream,
        block: bytes,
        continuationFrames: continuations,
        fields,
      });
    if (error !== undefined) this.streamErrorEvent(error);
  }

  private streamErrorEvent(error: Http2Error): void {
    this.counters.streamErrors++;
    this.out.push({ type: "stream-error", streamId: error.streamId as number, error });
  }
}

const EMPTY = new Uint8Array(0);
/** Placeholder for `out` between pushes; never pushed to (every push() installs its own sink). */
const NO_EVENTS: EventSink<FrameDecoderEvent | DataPieceEvent> = { push: () => 0 };

/** 256 zeros, packed (a `new Array(256).fill(0)` stays holey): copied by each decoder for `byType`. */
const ZERO_COUNTS: number[] = Array.from({ length: 256 }, () => 0);

/**
 * Copies the fragments of an open block that are still views of the chunk being pushed into fresh memory,
 * each its own buffer, never reused; the opening frame is re-made around its copy.
 */
function detach(block: OpenBlock): void {
  const parts = block.parts;
  for (let i = block.owned; i < parts.length; i++) {
    const copy = parts[i]!.slice();
    parts[i] = copy;
    if (i === 0) block.first = { ...block.first, fragment: copy };
  }
  block.owned = parts.length;
}

function checkMaxFrameSize(n: number | undefined): number {
  return integerOption("FrameDecoder", "maxFrameSize", n, DEFAULT_MAX_FRAME_SIZE, DEFAULT_MAX_FRAME_SIZE, MAX_MAX_FRAME_SIZE);
}
