import type { Frame } from "../http2/index.js";
import type { HttpwireError } from "../shared/errors.js";
import type { QuicCaptureEvent } from "./quic/events.js";
import type { Direction, Endpoint } from "./tcp.js";

/** A decoded header field (HPACK opaque octets mapped to a Latin-1 string). */
export interface CaptureHeaderField {
  readonly name: string;
  readonly value: string;
}

/** A new TCP connection carrying HTTP/2 (or a raw byte stream), seen for the first time. */
export interface OpenEvent {
  readonly type: "open";
  /** Connection number, from 1 in order of appearance. */
  readonly connection: number;
  readonly client: Endpoint;
  readonly server: Endpoint;
  /** Seconds since the Unix epoch (µs precision; 0 for inputs without timestamps). */
  readonly time: number;
}

/** One HTTP/2 frame. */
export interface FrameEvent {
  readonly type: "frame";
  readonly connection: number;
  readonly direction: Direction;
  readonly time: number;
  /** Offset of the frame's first byte in its direction's byte stream (after the preface). */
  readonly offset: number;
  /** Payload length from the frame header. */
  readonly length: number;
  /** The frame type octet (also for unknown types). */
  readonly frameType: number;
  /** The decoded frame (from `httpwire/http2`); byte fields are views. */
  readonly frame: Frame;
  /**
   * The decoded header fields, on the frame that completes a field block
   * (HEADERS or PUSH_PROMISE with END_HEADERS, else the last CONTINUATION).
   */
  readonly fields?: readonly CaptureHeaderField[];
}

/**
 * Bytes of one direction that the capture does not hold. If they fall inside
 * a DATA frame's payload (`recovered`), they are replaced by zeros and
 * decoding goes on; otherwise decoding of that direction stops.
 */
export interface GapEvent {
  readonly type: "gap";
  readonly connection: number;
  readonly direction: Direction;
  readonly time: number;
  /** How many bytes are missing. */
  readonly missing: number;
  /** True when the hole was inside a DATA payload, zero-filled, and decoding went on. */
  readonly recovered: boolean;
}

/**
 * Something malformed: a frame (the connection stops if the error is
 * connection-scoped; the other connections go on), a stream error (decoding
 * goes on), or the capture container itself (`connection` undefined).
 */
export interface ErrorEvent {
  readonly type: "error";
  readonly connection: number | undefined;
  readonly direction: Direction | undefined;
  readonly time: number | undefined;
  readonly error: HttpwireError;
}

/** One direction of a connection ended. */
export interface CloseEvent {
  readonly type: "close";
  readonly connection: number;
  readonly direction: Direction;
  readonly time: number;
  /** FIN, RST, or the end of the capture. */
  readonly how: "fin" | "rst" | "end";
}

/** Everything {@link CaptureDecoder} reports, in capture order (QUIC and HTTP/3 events: `./quic/events.ts`). */
export type CaptureEvent = OpenEvent | FrameEvent | GapEvent | ErrorEvent | CloseEvent | QuicCaptureEvent;
