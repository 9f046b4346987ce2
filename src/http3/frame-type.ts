/**
 * HTTP/3 frame types (RFC 9114 §7.2, §11.2.1; RFC 9218 §7.2).
 *
 * @module
 */
import { isGreaseValue, registryName } from "./grease.js";

/** HTTP/3 frame types, RFC names. */
export const FrameType = {
  DATA: 0x00,
  HEADERS: 0x01,
  CANCEL_PUSH: 0x03,
  SETTINGS: 0x04,
  PUSH_PROMISE: 0x05,
  GOAWAY: 0x07,
  MAX_PUSH_ID: 0x0d,
  /** RFC 9218 §7.2: PRIORITY_UPDATE for a request stream. */
  PRIORITY_UPDATE_REQUEST: 0xf0700,
  /** RFC 9218 §7.2: PRIORITY_UPDATE for a push stream. */
  PRIORITY_UPDATE_PUSH: 0xf0701,
} as const;

/** One of the {@link FrameType} values. */
export type FrameType = (typeof FrameType)[keyof typeof FrameType];

/**
 * Frame types used by HTTP/2 with no HTTP/3 counterpart (RFC 9114 §7.2.8,
 * §11.2.1): PRIORITY 0x02, PING 0x06, WINDOW_UPDATE 0x08, CONTINUATION 0x09.
 * Receiving one is a connection error of type H3_FRAME_UNEXPECTED.
 */
export const HTTP2_ONLY_FRAME_TYPES = {
  H2_PRIORITY: 0x02,
  H2_PING: 0x06,
  H2_WINDOW_UPDATE: 0x08,
  H2_CONTINUATION: 0x09,
} as const;

const NAMES = new Map<number, string>();
for (const [k, v] of Object.entries(FrameType)) NAMES.set(v, k);
for (const [k, v] of Object.entries(HTTP2_ONLY_FRAME_TYPES)) NAMES.set(v, k);

/** Whether `type` is one of the HTTP/2-only types 0x02, 0x06, 0x08, 0x09. */
export function isHttp2OnlyFrameType(type: number | bigint): boolean {
  switch (type) {
    case HTTP2_ONLY_FRAME_TYPES.H2_PRIORITY:
    case HTTP2_ONLY_FRAME_TYPES.H2_PING:
    case HTTP2_ONLY_FRAME_TYPES.H2_WINDOW_UPDATE:
    case HTTP2_ONLY_FRAME_TYPES.H2_CONTINUATION:
      return true;
    default:
      return false;
  }
}

/**
 * Whether `type` is a reserved (GREASE) frame type `0x1f * N + 0x21`
 * (RFC 9114 §7.2.8). Never throws.
 */
export function isReservedFrameType(type: number | bigint): boolean {
  return isGreaseValue(type);
}

/**
 * The RFC name of a frame type: `"HEADERS"`, `"PRIORITY_UPDATE_REQUEST"`,
 * `"H2_PING"` for the HTTP/2-only types, `"GREASE_0x21"` for reserved ones,
 * `"UNKNOWN_0x.."` otherwise. Never throws.
 *
 * @example
 * ```ts
 * frameTypeName(0x04); // "SETTINGS"
 * frameTypeName(0x21); // "GREASE_0x21"
 * ```
 */
export function frameTypeName(type: number | bigint): string {
  return registryName(NAMES, type);
}
