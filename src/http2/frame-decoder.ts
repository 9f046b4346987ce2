/**
 * The incremental frame decoder: bytes in any chunking in, frames out
 * (RFC 9113 §3.4, §4, §6.10).
 * @module
 */
import { HttpwireError } from "../shared/errors.js";
import {
  CONNECTION_PREFACE,
  DEFAULT_MAX_FRAME_SIZE,
  FRAME_HEADER_LENGTH as FRAME_HEADER_LENGTH_,
  FrameType as FrameType_,
  MAX_MAX_FRAME_SIZE,
  SettingsId,
  frameTypeName,
} from "./constants.js";
import { decodeFrameImpl as decodeFrameImpl_ } from "./decode-frame.js";
import { ErrorCode } from "./error-codes.js";
import { Http2Error, connectionError } from "./errors.js";
import type { ContinuationFrame, Frame, HeadersFrame, PushPromiseFrame } from "./frame.js";
import type { FrameHeader } from "./frame-header.js";
import { decodeContinuation as decodeContinuation_ } from "./frames/continuation.js";
import { decodeData as decodeData_ } from "./frames/data.js";
import { decodeHeaders as decodeHeaders_ } from "./frames/headers.js";

// Module-local copies of imported bindings: where ESM is compiled to CommonJS (tsx does so when the module
// is loaded through require(), bundlers may), each use of an imported binding is a getter call; in native
// ESM the copy costs nothing.
const FrameType = FrameType_;
const decodeFrameImpl = decodeFrameImpl_;
const decodeData = decodeData_;
const decodeHeaders = decodeHeaders_;
const decodeContinuation = decodeContinuation_;
const FRAME_HEADER_LENGTH = FRAME_HEADER_LENGTH_;

/** A header field as an HPACK decoder returns it (`httpwire/hpack` `HeaderField`). */
export interface DecodedHeaderField {
  readonly name: string;
  readonly value: string;
  readonly sensitive?: boolean;
}

/** What the decoder needs from an HPACK decoder (`httpwire/hpack` `HpackDecoder` fits). */
export interface FieldBlockDecoder {
  decode(block: Uint8Array): readonly DecodedHeaderField[];
}

/** Options of {@link FrameDecoder}; every limit has a default. */
export interface FrameDecoderOptions {
  /** Our SETTINGS_MAX_FRAME_SIZE, 16384..2^24-1. Default 16384. */
  readonly maxFrameSize?: number;
  /** Largest field block (all fragments of one HEADERS/PUSH_PROMISE + CONTINUATION) in octets. Default 65536. */
  readonly maxHeaderBlockSize?: number;
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
  readonly peer?: "client" | "server";
  /**
   * Join HEADERS/PUSH_PROMISE and their CONTINUATION frames into one
   * {@link HeaderBlockEvent} (default true). When false, the frames are
   * returned one by one; the CONTINUATION order and limits are still enforced.
   */
  readonly joinFieldBlocks?: boolean;
  /** When given, completed field blocks are HPACK-decoded into `fields`. Needs `joinFieldBlocks`. */
  readonly hpack?: FieldBlockDecoder;
}

/** A complete field block: HEADERS or PUSH_PROMISE joined with its CONTINUATION frames. */
export interface HeaderBlockEvent {
  readonly type: "header_block";
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
  readonly fields: readonly DecodedHeaderField[] | undefined;
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
  readonly type: "stream_error";
  readonly streamId: number;
  readonly error: Http2Error;
}

/** What {@link FrameDecoder.push} returns, in wire order. */
export type FrameDecoderEvent = Frame | HeaderBlockEvent | StreamErrorEvent;

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
const State = { Preface: 0, Header: 1, Payload: 2, Skip: 3 } as const;
type State = (typeof State)[keyof typeof State];

/** The decoder's one frame header in flight, overwritten for each frame (no object per frame). */
type MutableHeader = { -readonly [K in keyof FrameHeader]: FrameHeader[K] };

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
 * Decodes an HTTP/2 byte stream incrementally.
 *
 * Lifetime: a frame that arrived inside one chunk is a view of that chunk
 * (don't mutate the chunk while using the frame); a frame that straddled
 * chunks is a view of a fresh buffer allocated for it alone, never reused.
 * Joined field blocks with CONTINUATION are fresh copies.
 *
 * Errors: connection errors are thrown as {@link Http2Error} and poison the
 * decoder (every later call throws the same error); stream errors are
 * returned as {@link StreamErrorEvent}s and decoding goes on.
 *
 * @example
 * ```ts
 * const d = new FrameDecoder({ expectPreface: true });
 * const events = d.push(bytesFromSocket);
 * for (const e of events) if (e.type === FrameType.PING) reply(e.opaqueData);
 * d.end(); // throws if the stream stopped inside a frame
 * ```
 */
export class FrameDecoder {
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
  private readonly maxHeaderBlockSize: number;
  private readonly maxContinuationFrames: number;
  private readonly join: boolean;
  private readonly hpack: FieldBlockDecoder | undefined;
  private expectSettings: boolean;
  private readonly peer: "client" | "server" | undefined;

  private state: State;
  private prefaceMatched = 0;
  private readonly hdr = new Uint8Array(FRAME_HEADER_LENGTH);
  private hdrHave = 0;
  private readonly h: MutableHeader = { length: 0, type: 0, flags: 0, streamId: 0 };
  private payload: Uint8Array = EMPTY;
  private payloadHave = 0;
  private skipLeft = 0;
  private skipError: StreamErrorEvent | undefined;
  /** Stream offset of the next byte to consume. */
  private pos = 0;
  private frameStart = 0;
  private block: OpenBlock | undefined;
  private failed: Http2Error | undefined;
  private out: FrameDecoderEvent[] = NO_EVENTS;

  /**
   * @throws RangeError when an option is out of range; TypeError when `hpack`
   *   is given with `joinFieldBlocks: false`, or `peer` is not "client" or "server".
   */
  constructor(options: FrameDecoderOptions = {}) {
    this.maxFrameSize = checkMaxFrameSize(options.maxFrameSize ?? DEFAULT_MAX_FRAME_SIZE);
    this.maxHeaderBlockSize = checkLimit("maxHeaderBlockSize", options.maxHeaderBlockSize ?? 65_536);
    this.maxContinuationFrames = checkLimit("maxContinuationFrames", options.maxContinuationFrames ?? 32);
    this.join = options.joinFieldBlocks ?? true;
    this.hpack = options.hpack;
    if (this.hpack !== undefined && !this.join) throw new TypeError("The hpack option needs joinFieldBlocks");
    this.state = options.expectPreface === true ? State.Preface : State.Header;
    this.expectSettings = options.expectPreface === true || options.expectSettingsFirst === true;
    const peer = options.peer;
    if (peer !== undefined && peer !== "client" && peer !== "server") throw new TypeError(`peer must be "client" or "server", got ${String(peer)}`);
    this.peer = peer;
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
   * Feeds bytes; returns the events completed by them, in order.
   *
   * @throws Http2Error for connection errors (PROTOCOL_ERROR, FRAME_SIZE_ERROR,
   *   FLOW_CONTROL_ERROR, COMPRESSION_ERROR with the HPACK error as `cause`,
   *   ENHANCE_YOUR_CALM for the field block limits); the decoder is then unusable.
   */
  push(chunk: Uint8Array): FrameDecoderEvent[] {
    if (this.failed !== undefined) throw this.failed;
    const out: FrameDecoderEvent[] = [];
    this.out = out;
    try {
      this.consume(chunk);
    } catch (e) {
      if (e instanceof Http2Error) this.failed = e;
      throw e;
    }
    // A field block still open keeps its fragments as views of `chunk` only while this call runs: copy them
    // now into fresh memory, since the caller may reuse the chunk once push() returns.
    const block = this.block;
    if (block !== undefined && block.owned < block.parts.length) detach(block);
    this.out = NO_EVENTS;
    return out;
  }

  /**
   * Declares the end of the byte stream.
   *
   * @throws Http2Error connection PROTOCOL_ERROR when the stream ends inside
   *   the preface (`truncated_preface`), a frame (`truncated_frame`) or a
   *   field block (`truncated_header_block`).
   */
  end(): void {
    if (this.failed !== undefined) throw this.failed;
    let reason: string | undefined;
    if (this.state === State.Preface) reason = "truncated_preface";
    else if (this.state !== State.Header || this.hdrHave > 0) reason = "truncated_frame";
    else if (this.block !== undefined) reason = "truncated_header_block";
    if (reason !== undefined) {
      this.failed = new Http2Error(`Cannot end the stream: ${reason.replace(/_/g, " ")} at offset ${this.pos}`, ErrorCode.PROTOCOL_ERROR, {
        reason,
        offset: this.pos,
      });
      throw this.failed;
    }
  }

  private consume(chunk: Uint8Array): void {
    const n = chunk.length;
    const base = this.pos;
    let p = 0;
    try {
      while (p < n) {
        switch (this.state) {
          case State.Preface: {
            while (p < n && this.prefaceMatched < CONNECTION_PREFACE.length) {
              if (chunk[p] !== CONNECTION_PREFACE[this.prefaceMatched]) {
                // RFC 9113 §3.4: an invalid connection preface MUST be treated as a connection error of type PROTOCOL_ERROR
                connectionError(ErrorCode.PROTOCOL_ERROR, "invalid_preface", `Invalid connection preface at offset ${base + p}`, 0, base + p);
              }
              p++;
              this.prefaceMatched++;
            }
            if (this.prefaceMatched === CONNECTION_PREFACE.length) this.state = State.Header;
            break;
          }
          case State.Header: {
            // RFC 9113 §4.1: the frame header, read in place (the reserved bit is ignored).
            const header = this.h;
            if (this.hdrHave === 0 && n - p >= FRAME_HEADER_LENGTH) {
              header.length = (chunk[p]! << 16) | (chunk[p + 1]! << 8) | chunk[p + 2]!;
              header.type = chunk[p + 3]!;
              header.flags = chunk[p + 4]!;
              header.streamId = ((chunk[p + 5]! & 0x7f) << 24) | (chunk[p + 6]! << 16) | (chunk[p + 7]! << 8) | chunk[p + 8]!;
              p += FRAME_HEADER_LENGTH;
            } else {
              const hdr = this.hdr;
              while (p < n && this.hdrHave < FRAME_HEADER_LENGTH) hdr[this.hdrHave++] = chunk[p++]!;
              if (this.hdrHave < FRAME_HEADER_LENGTH) break;
              this.hdrHave = 0;
              header.length = (hdr[0]! << 16) | (hdr[1]! << 8) | hdr[2]!;
              header.type = hdr[3]!;
              header.flags = hdr[4]!;
              header.streamId = ((hdr[5]! & 0x7f) << 24) | (hdr[6]! << 16) | (hdr[7]! << 8) | hdr[8]!;
            }
            this.frameStart = base + p - FRAME_HEADER_LENGTH;
            const skip = this.onHeader(header);
            if (skip !== undefined) {
              this.skipLeft = header.length;
              this.skipError = skip;
              this.state = State.Skip;
              if (this.skipLeft === 0) this.finishSkip();
              break;
            }
            const len = header.length;
            if (n - p >= len) {
              const payload = chunk.subarray(p, p + len);
              p += len;
              this.onFrame(header, payload, false);
            } else {
              // The frame straddles chunks: one fresh buffer of its exact length, for it alone, never
              // recycled; each later chunk is copied straight into it.
              const payload = new Uint8Array(len);
              payload.set(p === 0 ? chunk : chunk.subarray(p));
              this.payload = payload;
              this.payloadHave = n - p;
              p = n;
              this.state = State.Payload;
            }
            break;
          }
          case State.Payload: {
            const payload = this.payload;
            const have = this.payloadHave;
            const want = payload.length - have;
            const avail = n - p;
            if (want > avail) {
              payload.set(p === 0 ? chunk : chunk.subarray(p), have);
              this.payloadHave = have + avail;
              p = n;
              break;
            }
            payload.set(p === 0 && want === avail ? chunk : chunk.subarray(p, p + want), have);
            p += want;
            this.state = State.Header;
            this.payload = EMPTY;
            this.onFrame(this.h, payload, true);
            break;
          }
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

  private finishSkip(): void {
    this.state = State.Header;
    this.out.push(this.skipError!);
    this.skipError = undefined;
  }

  /**
   * Checks a frame header before its payload is awaited. Returns a stream
   * error event when the payload is to be skipped; throws connection errors.
   */
  private onHeader(h: FrameHeader): StreamErrorEvent | undefined {
    const c = this.counters;
    c.frames++;
    c.byType[h.type]!++;
    const at = this.frameStart;
    if (this.expectSettings) {
      // RFC 9113 §3.4: the preface of each side includes a SETTINGS frame as its first frame;
      // an invalid preface MUST be treated as a connection error of type PROTOCOL_ERROR
      if (h.type !== FrameType.SETTINGS || (h.flags & 0x01) !== 0)
        connectionError(
          ErrorCode.PROTOCOL_ERROR,
          "preface_settings_missing",
          `Invalid connection preface: first frame is ${frameTypeName(h.type)}, not SETTINGS`,
          h.streamId,
          at,
        );
      this.expectSettings = false;
    }
    // RFC 9113 §8.4: a client cannot push; servers MUST treat the receipt of a PUSH_PROMISE frame as a
    // connection error of type PROTOCOL_ERROR
    if (this.peer === "client" && h.type === FrameType.PUSH_PROMISE)
      connectionError(ErrorCode.PROTOCOL_ERROR, "push_promise_from_client", `Received PUSH_PROMISE from a client on stream ${h.streamId}`, h.streamId, at);
    // RFC 9218 §7.1: servers MUST NOT send PRIORITY_UPDATE; a client receiving one MUST respond with a
    // connection error of type PROTOCOL_ERROR
    if (this.peer === "server" && h.type === FrameType.PRIORITY_UPDATE)
      connectionError(ErrorCode.PROTOCOL_ERROR, "priority_update_from_server", "Received PRIORITY_UPDATE from a server", h.streamId, at);
    const block = this.block;
    if (block !== undefined) {
      // RFC 9113 §6.10: a field block MUST be followed by CONTINUATION frames on the same stream only;
      // any other frame (of any type, unknown included) is a connection error of type PROTOCOL_ERROR
      if (h.type !== FrameType.CONTINUATION)
        connectionError(
          ErrorCode.PROTOCOL_ERROR,
          "continuation_expected",
          `Expected CONTINUATION for stream ${block.streamId}, got ${frameTypeName(h.type)}`,
          h.streamId,
          at,
        );
      if (h.streamId !== block.streamId)
        connectionError(
          ErrorCode.PROTOCOL_ERROR,
          "continuation_stream_mismatch",
          `Expected CONTINUATION for stream ${block.streamId}, got one for stream ${h.streamId}`,
          h.streamId,
          at,
        );
      // The 2024 CONTINUATION flood: bound the count and the total before buffering anything.
      if (block.continuations + 1 > this.maxContinuationFrames)
        connectionError(
          ErrorCode.ENHANCE_YOUR_CALM,
          "too_many_continuation_frames",
          `Field block on stream ${block.streamId} exceeds ${this.maxContinuationFrames} CONTINUATION frames`,
          h.streamId,
          at,
        );
      if (block.size + h.length > this.maxHeaderBlockSize) this.blockTooLarge(block.size + h.length, h.streamId);
    } else if (h.type === FrameType.CONTINUATION) {
      // RFC 9113 §6.10: a CONTINUATION frame MUST be preceded by HEADERS, PUSH_PROMISE or CONTINUATION
      // without END_HEADERS; otherwise a connection error of type PROTOCOL_ERROR
      connectionError(ErrorCode.PROTOCOL_ERROR, "continuation_unexpected", `Unexpected CONTINUATION frame on stream ${h.streamId}`, h.streamId, at);
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
        connectionError(ErrorCode.FRAME_SIZE_ERROR, "frame_too_large", message, h.streamId, at);
      c.streamErrors++;
      const error = new Http2Error(message, ErrorCode.FRAME_SIZE_ERROR, { reason: "frame_too_large", scope: "stream", streamId: h.streamId, offset: at });
      return { type: "stream_error", streamId: h.streamId, error };
    }
    return undefined;
  }

  private blockTooLarge(size: number, streamId: number): never {
    return connectionError(
      ErrorCode.ENHANCE_YOUR_CALM,
      "header_block_too_large",
      `Field block on stream ${streamId} reaches ${size} octets, above the limit of ${this.maxHeaderBlockSize}`,
      streamId,
      this.frameStart,
    );
  }

  /** `fresh`: the payload is a buffer of its own (the frame straddled chunks), not a view of the chunk. */
  private onFrame(h: FrameHeader, payload: Uint8Array, fresh: boolean): void {
    // The frequent types first, dispatched on the header's type octet (one object shape) rather than on the
    // decoded frame's `type` (one shape per frame type). Their decoders throw connection errors only.
    const c = this.counters;
    switch (h.type) {
      case 0x00 /* DATA */: {
        const frame = decodeData(h, payload, this.frameStart);
        if (frame.data.length === 0 && !frame.endStream) c.emptyData++;
        this.out.push(frame);
        return;
      }
      case 0x01 /* HEADERS */:
        return this.onBlockStart(decodeHeaders(h, payload, this.frameStart, true), fresh);
      case 0x09 /* CONTINUATION */:
        return this.onContinuation(decodeContinuation(h, payload, this.frameStart), fresh);
      default:
        break;
    }
    let frame: Frame;
    try {
      frame = decodeFrameImpl(h, payload, this.frameStart, true);
    } catch (e) {
      if (e instanceof Http2Error && e.scope === "stream") {
        this.counters.streamErrors++;
        this.out.push({ type: "stream_error", streamId: h.streamId, error: e });
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
        if (this.peer === "server") {
          const i = frame.settings.findIndex((s) => s.id === SettingsId.SETTINGS_ENABLE_PUSH && s.value === 1);
          // RFC 9113 §6.5.2: a client MUST treat receipt of a SETTINGS frame with SETTINGS_ENABLE_PUSH set to 1
          // as a connection error of type PROTOCOL_ERROR
          if (i >= 0)
            connectionError(
              ErrorCode.PROTOCOL_ERROR,
              "settings_enable_push_from_server",
              "Received SETTINGS_ENABLE_PUSH = 1 from a server",
              0,
              this.frameStart + FRAME_HEADER_LENGTH + 6 * i,
            );
        }
        break;
      case FrameType.PING:
        if (frame.ack) c.pingAck++;
        else c.ping++;
        break;
      case FrameType.PUSH_PROMISE:
        return this.onBlockStart(frame, fresh);
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
    if (this.join) {
      // A view for now; push() copies it if the block is still open when the call returns.
      const parts = block.parts;
      parts.push(frame.fragment);
      if (fresh && block.owned === parts.length - 1) block.owned++;
    } else this.out.push(frame);
    if (frame.endHeaders) {
      this.block = undefined;
      if (this.join) this.finishBlock(block.first, block.streamId, concat(block.parts, block.size), block.continuations, block.error);
      else if (block.error !== undefined) this.streamErrorEvent(block.error);
    }
  }

  private onBlockStart(frame: HeadersFrame | PushPromiseFrame, fresh: boolean): void {
    if (frame.type === FrameType.HEADERS && frame.fragment.length === 0) this.counters.emptyHeaders++;
    if (frame.fragment.length > this.maxHeaderBlockSize) this.blockTooLarge(frame.fragment.length, frame.streamId);
    let error: Http2Error | undefined;
    // RFC 9113 §5.3.1: a stream cannot depend on itself: a stream error of type PROTOCOL_ERROR. The field
    // block is still decoded below so the HPACK state stays in sync (RFC 9113 §4.3).
    if (frame.type === FrameType.HEADERS && frame.priority !== undefined && frame.priority.streamDependency === frame.streamId) {
      error = new Http2Error(`Cannot decode HEADERS frame: stream ${frame.streamId} depends on itself`, ErrorCode.PROTOCOL_ERROR, {
        reason: "headers_self_dependency",
        scope: "stream",
        streamId: frame.streamId,
        offset: this.frameStart,
      });
    }
    if (!this.join) {
      // The frame goes out even with the error: the caller must still HPACK-decode its fragment to keep the
      // connection's HPACK state in sync (RFC 9113 §4.3); the stream error follows the block's last frame.
      this.out.push(frame);
      if (!frame.endHeaders) this.block = { first: frame, streamId: frame.streamId, parts: [], owned: 0, size: frame.fragment.length, continuations: 0, error };
      else if (error !== undefined) this.streamErrorEvent(error);
      return;
    }
    // A block in one frame: the event carries the frame as decoded, its fragment a view (no copy).
    if (frame.endHeaders) return this.finishBlock(frame, frame.streamId, frame.fragment, 0, error);
    // The block spans frames: its fragments stay views while this push() runs; push() copies what is still
    // open when it returns (the opening frame in the event then carries the copy too).
    this.block = { first: frame, streamId: frame.streamId, parts: [frame.fragment], owned: fresh ? 1 : 0, size: frame.fragment.length, continuations: 0, error };
  }

  private finishBlock(first: HeadersFrame | PushPromiseFrame, streamId: number, bytes: Uint8Array, continuations: number, error: Http2Error | undefined): void {
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
            offset: this.frameStart,
            cause: e,
          });
        throw e;
      }
    }
    if (error !== undefined) return this.streamErrorEvent(error);
    this.out.push({
      type: "header_block",
      streamId,
      frame: first,
      endStream: first.type === FrameType.HEADERS && first.endStream,
      block: bytes,
      continuationFrames: continuations,
      fields,
    });
  }

  private streamErrorEvent(error: Http2Error): void {
    this.counters.streamErrors++;
    this.out.push({ type: "stream_error", streamId: error.streamId as number, error });
  }
}

const EMPTY = new Uint8Array(0);
/** Placeholder for `out` between pushes; never pushed to (every push() installs its own array). */
const NO_EVENTS: FrameDecoderEvent[] = [];

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

function concat(parts: readonly Uint8Array[], size: number): Uint8Array {
  const out = new Uint8Array(size);
  let p = 0;
  for (const part of parts) {
    out.set(part, p);
    p += part.length;
  }
  return out;
}

function checkMaxFrameSize(n: number): number {
  if (!Number.isInteger(n) || n < DEFAULT_MAX_FRAME_SIZE || n > MAX_MAX_FRAME_SIZE)
    throw new RangeError(`maxFrameSize must be an integer in 16384..16777215, got ${String(n)}`);
  return n;
}

function checkLimit(name: string, n: number): number {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`${name} must be a non-negative integer, got ${String(n)}`);
  return n;
}
