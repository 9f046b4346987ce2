/**
 * The HTTP/2 frame union: one plain readonly object type per frame type of
 * RFC 9113 §6 and the ALTSVC, ORIGIN and PRIORITY_UPDATE extensions, plus an
 * unknown frame for any other type (RFC 9113 §4.1, §5.5).
 *
 * Every frame carries `streamId` and the raw `flags` octet exactly as
 * received (unknown flag bits included); the defined flags are also exposed
 * as booleans. Byte fields (`data`, `fragment`, `payload`, ...) are views
 * of the decoder's input, not copies.
 *
 * @module
 */
import type { FrameType } from "./constants.js";

/** Fields every frame has. */
interface FrameBase {
  /** Stream identifier, 31 bits (the reserved bit is dropped on receipt). */
  readonly streamId: number;
  /** The flags octet as received; encoders merge the booleans into it. */
  readonly flags: number;
}

/** RFC 9113 §6.3 / §6.2 priority fields (deprecated scheme of RFC 7540, still on the wire). */
export interface PriorityFields {
  /** The E bit: exclusive dependency. */
  readonly exclusive: boolean;
  /** Stream this stream depends on (31 bits). */
  readonly streamDependency: number;
  /** Weight 1..256 (the wire octet plus one). */
  readonly weight: number;
}

/** DATA (RFC 9113 §6.1). */
export interface DataFrame extends FrameBase {
  readonly type: typeof FrameType.DATA;
  readonly endStream: boolean;
  readonly padded: boolean;
  /** Pad Length when PADDED is set, else `undefined`. */
  readonly padLength: number | undefined;
  readonly data: Uint8Array;
}

/** HEADERS (RFC 9113 §6.2). `fragment` is this frame's part of the field block. */
export interface HeadersFrame extends FrameBase {
  readonly type: typeof FrameType.HEADERS;
  readonly endStream: boolean;
  readonly endHeaders: boolean;
  readonly padded: boolean;
  readonly padLength: number | undefined;
  /** Present when the PRIORITY flag is set. */
  readonly priority: PriorityFields | undefined;
  readonly fragment: Uint8Array;
}

/** PRIORITY (RFC 9113 §6.3). */
export interface PriorityFrame extends FrameBase, PriorityFields {
  readonly type: typeof FrameType.PRIORITY;
}

/** RST_STREAM (RFC 9113 §6.4). */
export interface RstStreamFrame extends FrameBase {
  readonly type: typeof FrameType.RST_STREAM;
  /** Error code (32 bits; may be a code this library does not know). */
  readonly errorCode: number;
}

/** One SETTINGS parameter as sent: unknown identifiers and repeats are kept. */
export interface Setting {
  readonly id: number;
  readonly value: number;
}

/** SETTINGS (RFC 9113 §6.5): parameters in wire order. */
export interface SettingsFrame extends FrameBase {
  readonly type: typeof FrameType.SETTINGS;
  readonly ack: boolean;
  readonly settings: readonly Setting[];
}

/** PUSH_PROMISE (RFC 9113 §6.6). */
export interface PushPromiseFrame extends FrameBase {
  readonly type: typeof FrameType.PUSH_PROMISE;
  readonly endHeaders: boolean;
  readonly padded: boolean;
  readonly padLength: number | undefined;
  readonly promisedStreamId: number;
  readonly fragment: Uint8Array;
}

/** PING (RFC 9113 §6.7). */
export interface PingFrame extends FrameBase {
  readonly type: typeof FrameType.PING;
  readonly ack: boolean;
  /** Exactly 8 octets. */
  readonly opaqueData: Uint8Array;
}

/** GOAWAY (RFC 9113 §6.8). */
export interface GoawayFrame extends FrameBase {
  readonly type: typeof FrameType.GOAWAY;
  readonly lastStreamId: number;
  readonly errorCode: number;
  readonly debugData: Uint8Array;
}

/** WINDOW_UPDATE (RFC 9113 §6.9). */
export interface WindowUpdateFrame extends FrameBase {
  readonly type: typeof FrameType.WINDOW_UPDATE;
  /** 1..2^31-1 (the reserved bit is dropped on receipt). */
  readonly windowSizeIncrement: number;
}

/** CONTINUATION (RFC 9113 §6.10). */
export interface ContinuationFrame extends FrameBase {
  readonly type: typeof FrameType.CONTINUATION;
  readonly endHeaders: boolean;
  readonly fragment: Uint8Array;
}

/**
 * ALTSVC (RFC 7838 §4). `origin` and `fieldValue` are octets mapped one to
 * one onto string code units (Latin-1).
 */
export interface AltsvcFrame extends FrameBase {
  readonly type: typeof FrameType.ALTSVC;
  /** Empty when the frame is on a non-zero stream (the origin is the stream's). */
  readonly origin: string;
  /** An Alt-Svc field value, e.g. `h3=":443"; ma=3600`. */
  readonly fieldValue: string;
}

/** ORIGIN (RFC 8336 §2): the ASCII-Origin entries in order. */
export interface OriginFrame extends FrameBase {
  readonly type: typeof FrameType.ORIGIN;
  readonly origins: readonly string[];
}

/** PRIORITY_UPDATE (RFC 9218 §7.1). */
export interface PriorityUpdateFrame extends FrameBase {
  readonly type: typeof FrameType.PRIORITY_UPDATE;
  readonly prioritizedStreamId: number;
  /** The Priority Field Value, e.g. `u=1, i`; see `parsePriority`. */
  readonly priorityFieldValue: string;
}

/**
 * A frame of a type this library does not interpret (RFC 9113 §5.5: an
 * endpoint ignores it), or an ALTSVC/ORIGIN frame too malformed to parse
 * (which those RFCs say to ignore). `frameType` is the wire type octet.
 */
export interface UnknownFrame extends FrameBase {
  readonly type: "unknown";
  readonly frameType: number;
  readonly payload: Uint8Array;
}

/** Every HTTP/2 frame, discriminated on `type`. */
export type Frame =
  | DataFrame
  | HeadersFrame
  | PriorityFrame
  | RstStreamFrame
  | SettingsFrame
  | PushPromiseFrame
  | PingFrame
  | GoawayFrame
  | WindowUpdateFrame
  | ContinuationFrame
  | AltsvcFrame
  | OriginFrame
  | PriorityUpdateFrame
  | UnknownFrame;

type OptionalKeys =
  | "flags"
  | "endStream"
  | "endHeaders"
  | "padded"
  | "padLength"
  | "ack"
  | "priority"
  | "exclusive"
  | "settings"
  | "debugData";
type Loosen<T> = T extends unknown ? Omit<T, Extract<keyof T, OptionalKeys>> & Partial<Pick<T, Extract<keyof T, OptionalKeys>>> : never;

/**
 * What the encoder accepts: a {@link Frame} whose flag booleans, raw `flags`,
 * `padLength`, `priority`, SETTINGS `settings` and GOAWAY `debugData` may be
 * left out (they default to false / 0 / absent / none / empty).
 */
export type FrameInit = Loosen<Frame>;
