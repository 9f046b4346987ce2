/**
 * The HTTP/2 side of one connection: per direction, a `FrameDecoder` (from
 * `httpwire/http2`) that finds frame boundaries, assembles field blocks
 * across CONTINUATION and HPACK-decodes them with the direction's decoder;
 * this file turns its events into capture events.
 *
 * SETTINGS are applied the way the peers apply them (RFC 9113 §6.5.3): a
 * SETTINGS frame sent by B takes effect for A's frames once A acknowledges
 * it, and A's ACK is in A's own byte stream, right where A starts obeying it.
 * So SETTINGS_HEADER_TABLE_SIZE from B sets the table limit of the decoder
 * of A's header blocks at A's ACK (RFC 7541 §4.2), and SETTINGS_MAX_FRAME_SIZE
 * from B sets the frame size limit for A's frames there too.
 */

import {
  DEFAULT_MAX_FRAME_SIZE,
  ErrorCode,
  type Frame,
  FrameDecoder,
  type FrameDecoderEvent,
  FrameType,
  Http2Error,
  type FieldBlockDecoder as Http2FieldBlockDecoder,
  SettingsId,
} from "../http2/index.js";
import { HttpwireError } from "../shared/errors.js";
import { Accumulator } from "./accumulator.js";
import { CLIENT_PREFACE } from "./detect.js";
import type { CaptureEvent, CaptureHeaderField } from "./events.js";
import type { Direction } from "./tcp.js";

/**
 * What the capture needs from an HPACK decoder (`httpwire/hpack`
 * `HpackDecoder` fits): `httpwire/http2`'s `FieldBlockDecoder`, and table
 * size changes once a SETTINGS_HEADER_TABLE_SIZE is acknowledged.
 */
export interface FieldBlockDecoder extends Http2FieldBlockDecoder {
  /** Applies a new SETTINGS_HEADER_TABLE_SIZE limit (after the ACK). */
  setMaxTableSize?(size: number): void;
}

/**
 * SETTINGS frames one direction may have outstanding (not acknowledged by the
 * other) before the connection is reported and not decoded further: the
 * limit nghttp2 puts on queued SETTINGS ACKs and other control replies
 * (NGHTTP2_DEFAULT_MAX_OBQ_FLOOD_ITEM).
 */
export const MAX_UNACKNOWLEDGED_SETTINGS = 1000;

interface Announced {
  readonly headerTableSize: number | undefined;
  readonly maxFrameSize: number | undefined;
}

/** Whether a direction starts with the client preface. */
export type PrefaceMode = "required" | "optional" | "none";

/** @internal One direction of an HTTP/2 connection. */
export class H2Direction {
  private readonly acc = new Accumulator();
  private readonly frames: FrameDecoder<FieldBlockDecoder | undefined>;
  private readonly hpack: FieldBlockDecoder | undefined;
  private prefaceMode: PrefaceMode;
  /** The frame that ended a field block, waiting for the block's `field-block` event (its fields). */
  private blockEnd: { readonly frame: Frame; readonly offset: number; readonly length: number } | undefined;
  /** Receives the decoder's events as they complete (so an ACK applies before the next frame is read). */
  private readonly sink = { push: (e: FrameDecoderEvent): void => this.onEvent(e) };
  private time = 0;
  /** SETTINGS ACKs seen before the SETTINGS they acknowledge. */
  unmatchedAcks = 0;
  /** SETTINGS this direction's sender announced, not yet acknowledged by the peer. */
  readonly announced: Announced[] = [];
  peer: H2Direction | undefined;
  /** Set once the direction stops (gap, error, close). */
  stopped = false;
  /** False while a required preface has not been seen (the connection may not be HTTP/2). */
  recognised: boolean;
  /** While held, bytes are buffered but not decoded (the connection is not known to be HTTP/2 yet). */
  held = false;
  /** Called once, when a required preface has been seen, before the first frame is reported. */
  onRecognised: (() => void) | undefined;

  constructor(
    public connection: number,
    readonly direction: Direction,
    prefaceMode: PrefaceMode,
    hpack: FieldBlockDecoder | undefined,
    private readonly emit: (e: CaptureEvent) => void,
    sender?: "client" | "server",
  ) {
    this.prefaceMode = prefaceMode;
    this.recognised = prefaceMode !== "required";
    this.hpack = hpack;
    // Knowing who sends lets the frame decoder enforce the role rules (RFC 9113 §8.4: no PUSH_PROMISE
    // from a client; §6.5.2: no SETTINGS_ENABLE_PUSH = 1 from a server; RFC 9218 §7.1).
    this.frames = new FrameDecoder({
      joinFieldBlocks: false,
      maxContinuationFrames: 100_000,
      maxFieldBlockSize: 16 * 1024 * 1024,
      hpack,
      ...(sender === undefined ? {} : { sender }),
    });
  }

  /** Bytes buffered but not decoded yet. */
  get buffered(): number {
    return this.acc.available;
  }

  /**
   * Feeds in-order bytes. Returns false when a required preface turned out
   * missing (the connection is not HTTP/2).
   * @throws nothing: malformed input becomes an error event and stops the connection
   */
  data(bytes: Uint8Array, time: number): boolean {
    if (this.stopped) return true;
    this.time = time;
    this.acc.push(bytes);
    if (this.held) return true;
    if (this.prefaceMode !== "none") {
      const acc = this.acc;
      const n = Math.min(acc.available, CLIENT_PREFACE.length);
      acc.ensure(n);
      const head = acc.view();
      for (let i = 0; i < n; i++) {
        if (head[i] !== CLIENT_PREFACE[i]) {
          if (this.prefaceMode === "required") return false;
          this.prefaceMode = "none";
          break;
        }
      }
      if (this.prefaceMode !== "none") {
        if (acc.available < CLIENT_PREFACE.length) return true;
        acc.take(CLIENT_PREFACE.length);
        acc.offset -= CLIENT_PREFACE.length; // frame offsets count from after the preface
        this.prefaceMode = "none";
        if (!this.recognised) {
          this.recognised = true;
          this.onRecognised?.();
        }
      }
    }
    this.run();
    return true;
  }

  /** Stops holding: decodes what was buffered. */
  release(): void {
    if (!this.held) return;
    this.held = false;
    if (!this.stopped) this.run();
  }

  /**
   * Bytes are missing. When they fall inside the payload of the DATA frame
   * being read, frame boundaries are intact: the hole is filled with zeros
   * and decoding goes on. Otherwise frame boundaries (and maybe the HPACK
   * state) are lost, and the direction stops.
   */
  gap(missing: number, time: number): void {
    if (this.stopped) return;
    const partial = this.frames.partialFrame;
    const recovered =
      partial !== undefined &&
      !this.held &&
      partial.type === FrameType.DATA &&
      partial.remaining > 0 &&
      missing <= partial.remaining - this.acc.available;
    this.emit({ type: "gap", connection: this.connection, direction: this.direction, time, missing, recovered });
    if (!recovered) {
      this.stopped = true;
      return;
    }
    this.time = time;
    this.acc.push(new Uint8Array(missing));
    this.run();
  }

  /** The direction ended: a partial frame left over is reported as truncated. */
  finish(time: number, checkTruncation: boolean): void {
    if (this.stopped) return;
    this.stopped = true;
    if (!checkTruncation || !this.recognised) return;
    const partial = this.frames.partialFrame;
    const start = partial !== undefined ? partial.offset : this.acc.available > 0 ? this.frames.offset : undefined;
    if (start !== undefined) {
      this.fail(
        new Http2Error(`Cannot decode frame at offset ${start}: the stream ends inside it`, ErrorCode.PROTOCOL_ERROR, {
          reason: "truncated_frame",
          offset: start,
        }),
        time,
      );
    }
  }

  private run(): void {
    const acc = this.acc;
    if (acc.available === 0) return;
    try {
      // Every event reaches onEvent() the moment it completes; what came before an error is kept.
      this.frames.push(acc.take(acc.available), this.sink);
    } catch (e) {
      if (e instanceof HttpwireError) this.fail(e, this.time);
      else throw e;
    }
  }

  private onEvent(e: FrameDecoderEvent): void {
    if (this.stopped) return;
    const at = this.frames.lastFrame;
    if (e.type === "stream-error") {
      this.emit({
        type: "error",
        connection: this.connection,
        direction: this.direction,
        time: this.time,
        error: e.error,
      });
      return;
    }
    if (e.type === "field-block") {
      // Follows the frame that ended the block (joinFieldBlocks: false with hpack): that frame carries the fields.
      const end = this.blockEnd;
      this.blockEnd = undefined;
      if (end !== undefined) this.frame(end.frame, end.offset, end.length, e.fields);
      return;
    }
    if (
      this.hpack !== undefined &&
      (e.type === FrameType.HEADERS || e.type === FrameType.PUSH_PROMISE || e.type === FrameType.CONTINUATION) &&
      e.endHeaders
    ) {
      this.blockEnd = { frame: e, offset: at.offset, length: at.length };
      return;
    }
    this.frame(e, at.offset, at.length, undefined);
  }

  private frame(frame: Frame, offset: number, length: number, fields: readonly CaptureHeaderField[] | undefined): void {
    if (frame.type === FrameType.SETTINGS) {
      if (frame.ack) this.applyPeerSettings();
      else {
        let headerTableSize: number | undefined;
        let maxFrameSize: number | undefined;
        for (const s of frame.settings) {
          if (s.id === SettingsId.SETTINGS_HEADER_TABLE_SIZE) headerTableSize = s.value;
          else if (s.id === SettingsId.SETTINGS_MAX_FRAME_SIZE) maxFrameSize = s.value;
        }
        const announced = { headerTableSize, maxFrameSize };
        // The peer's ACK was seen first (bytes held while the connection was being
        // recognised, or a capture out of causal order): apply it now rather than never.
        if (this.peer !== undefined && this.peer.unmatchedAcks > 0) {
          this.peer.unmatchedAcks--;
          this.peer.applySettings(announced);
        } else if (this.announced.length < MAX_UNACKNOWLEDGED_SETTINGS) this.announced.push(announced);
        else {
          // A peer that never acknowledges must not make the observer hold every SETTINGS (issue 12 finding 6).
          throw new Http2Error(
            `Cannot decode frame at offset ${offset}: more than ${MAX_UNACKNOWLEDGED_SETTINGS} SETTINGS frames are not acknowledged`,
            ErrorCode.ENHANCE_YOUR_CALM,
            {
              reason: "too_many_unacknowledged_settings",
              offset,
            },
          );
        }
      }
    }
    const event = {
      type: "frame" as const,
      connection: this.connection,
      direction: this.direction,
      time: this.time,
      offset,
      length,
      frameType: frame.type === "unknown" ? frame.frameType : frame.type,
      frame,
      ...(fields === undefined ? {} : { fields }),
    };
    this.emit(event);
  }

  /** Our ACK: the peer's oldest unacknowledged SETTINGS now governs what we send. */
  private applyPeerSettings(): void {
    const s = this.peer?.announced.shift();
    if (s === undefined) {
      this.unmatchedAcks++;
      return;
    }
    this.applySettings(s);
  }

  /** Applies SETTINGS the peer announced to what this direction sends. */
  applySettings(s: Announced): void {
    if (s.headerTableSize !== undefined) this.hpack?.setMaxTableSize?.(s.headerTableSize);
    if (s.maxFrameSize !== undefined && s.maxFrameSize >= DEFAULT_MAX_FRAME_SIZE && s.maxFrameSize < 2 ** 24)
      this.frames.setMaxFrameSize(s.maxFrameSize);
  }

  private fail(error: HttpwireError, time: number): void {
    this.emit({ type: "error", connection: this.connection, direction: this.direction, time, error });
    // A connection error ends decoding of this direction: its frame boundaries or HPACK state are
    // lost. The other direction has its own, so it goes on being decoded.
    this.stopped = true;
  }
}
