/**
 * HTTP/2 protocol constants: frame types, flags, setting identifiers, the
 * connection preface and the default settings (RFC 9113 §3.4, §6, §11).
 * @module
 */
import { makeNameOf } from "../shared/code-table.js";

/** Length of the fixed frame header in bytes (RFC 9113 §4.1). */
export const FRAME_HEADER_LENGTH = 9;
/** Initial and minimum SETTINGS_MAX_FRAME_SIZE: 2^14 (RFC 9113 §6.5.2). */
export const DEFAULT_MAX_FRAME_SIZE = 16_384;
/** Largest allowed SETTINGS_MAX_FRAME_SIZE: 2^24-1 (RFC 9113 §6.5.2). */
export const MAX_MAX_FRAME_SIZE = 16_777_215;
/** Largest flow-control window and SETTINGS_INITIAL_WINDOW_SIZE: 2^31-1 (RFC 9113 §6.9.1). */
export const MAX_WINDOW_SIZE = 2_147_483_647;
/** Initial flow-control window of a stream and of the connection (RFC 9113 §6.9.2). */
export const DEFAULT_INITIAL_WINDOW_SIZE = 65_535;
/** Initial SETTINGS_HEADER_TABLE_SIZE (RFC 9113 §6.5.2). */
export const DEFAULT_HEADER_TABLE_SIZE = 4_096;
/** Largest stream identifier: 2^31-1 (RFC 9113 §5.1.1). */
export const MAX_STREAM_ID = 2_147_483_647;

/**
 * The client connection preface, `PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n`
 * (RFC 9113 §3.4), as 24 bytes. Treat it as read-only.
 */
export const CONNECTION_PREFACE: Uint8Array = new Uint8Array([
  0x50, 0x52, 0x49, 0x20, 0x2a, 0x20, 0x48, 0x54, 0x54, 0x50, 0x2f, 0x32, 0x2e, 0x30, 0x0d, 0x0a, 0x0d, 0x0a, 0x53, 0x4d, 0x0d, 0x0a, 0x0d,
  0x0a,
]);

/**
 * HTTP/2 frame types: RFC 9113 §6, ALTSVC (RFC 7838 §4), ORIGIN (RFC 8336 §2),
 * PRIORITY_UPDATE (RFC 9218 §7.1).
 */
export const FrameType = {
  DATA: 0x00,
  HEADERS: 0x01,
  PRIORITY: 0x02,
  RST_STREAM: 0x03,
  SETTINGS: 0x04,
  PUSH_PROMISE: 0x05,
  PING: 0x06,
  GOAWAY: 0x07,
  WINDOW_UPDATE: 0x08,
  CONTINUATION: 0x09,
  ALTSVC: 0x0a,
  ORIGIN: 0x0c,
  PRIORITY_UPDATE: 0x10,
} as const;

/** One of the {@link FrameType} values. */
export type FrameType = (typeof FrameType)[keyof typeof FrameType];

/**
 * The RFC name of a frame type, or `UNKNOWN_0x..`; never throws.
 *
 * @example
 * ```ts
 * frameTypeName(0x09); // "CONTINUATION"
 * frameTypeName(0xfa); // "UNKNOWN_0xfa"
 * ```
 */
export const frameTypeName: (type: number | bigint) => string = makeNameOf(FrameType);

/** Frame flag bits (RFC 9113 §6). Each flag is defined only for some frame types. */
export const Flags = {
  /** DATA, HEADERS. */
  END_STREAM: 0x01,
  /** SETTINGS, PING. */
  ACK: 0x01,
  /** HEADERS, PUSH_PROMISE, CONTINUATION. */
  END_HEADERS: 0x04,
  /** DATA, HEADERS, PUSH_PROMISE. */
  PADDED: 0x08,
  /** HEADERS. */
  PRIORITY: 0x20,
} as const;

/** One of the {@link Flags} values. */
export type Flags = (typeof Flags)[keyof typeof Flags];

/**
 * SETTINGS parameters: RFC 9113 §6.5.2, SETTINGS_ENABLE_CONNECT_PROTOCOL
 * (RFC 8441 §3), SETTINGS_NO_RFC7540_PRIORITIES (RFC 9218 §2.1).
 */
export const SettingsId = {
  SETTINGS_HEADER_TABLE_SIZE: 0x01,
  SETTINGS_ENABLE_PUSH: 0x02,
  SETTINGS_MAX_CONCURRENT_STREAMS: 0x03,
  SETTINGS_INITIAL_WINDOW_SIZE: 0x04,
  SETTINGS_MAX_FRAME_SIZE: 0x05,
  SETTINGS_MAX_HEADER_LIST_SIZE: 0x06,
  SETTINGS_ENABLE_CONNECT_PROTOCOL: 0x08,
  SETTINGS_NO_RFC7540_PRIORITIES: 0x09,
} as const;

/** One of the {@link SettingsId} values. */
export type SettingsId = (typeof SettingsId)[keyof typeof SettingsId];

/**
 * The RFC name of a setting identifier, or `UNKNOWN_0x..`; never throws.
 *
 * @example
 * ```ts
 * settingsIdName(0x04); // "SETTINGS_INITIAL_WINDOW_SIZE"
 * ```
 */
export const settingsIdName: (id: number | bigint) => string = makeNameOf(SettingsId);

/**
 * The initial value of each setting before the peer's SETTINGS arrives
 * (RFC 9113 §6.5.2; RFC 8441 §3 and RFC 9218 §2.1 default to 0).
 * SETTINGS_MAX_CONCURRENT_STREAMS and SETTINGS_MAX_HEADER_LIST_SIZE are
 * unlimited initially, shown as `Infinity`.
 */
export const DEFAULT_SETTINGS: {
  readonly [K in keyof typeof SettingsId]: number;
} = Object.freeze({
  SETTINGS_HEADER_TABLE_SIZE: DEFAULT_HEADER_TABLE_SIZE,
  SETTINGS_ENABLE_PUSH: 1,
  SETTINGS_MAX_CONCURRENT_STREAMS: Infinity,
  SETTINGS_INITIAL_WINDOW_SIZE: DEFAULT_INITIAL_WINDOW_SIZE,
  SETTINGS_MAX_FRAME_SIZE: DEFAULT_MAX_FRAME_SIZE,
  SETTINGS_MAX_HEADER_LIST_SIZE: Infinity,
  SETTINGS_ENABLE_CONNECT_PROTOCOL: 0,
  SETTINGS_NO_RFC7540_PRIORITIES: 0,
});
