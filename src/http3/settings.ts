/**
 * HTTP/3 SETTINGS identifiers (RFC 9114 §7.2.4.1, §11.2.2; RFC 9204 §5;
 * RFC 9220 §5; RFC 9297 §2.1.1).
 *
 * @module
 */
import { hexCode } from "../shared/errors.js";
import { isGreaseValue } from "./grease.js";

/** HTTP/3 setting identifiers, RFC names. */
export const SettingsId = {
  /** RFC 9204 §5; default 0. */
  SETTINGS_QPACK_MAX_TABLE_CAPACITY: 0x01,
  /** RFC 9114 §7.2.4.1; default unlimited. */
  SETTINGS_MAX_FIELD_SECTION_SIZE: 0x06,
  /** RFC 9204 §5; default 0. */
  SETTINGS_QPACK_BLOCKED_STREAMS: 0x07,
  /** RFC 9220 §5 (RFC 8441 semantics); 0 or 1. */
  SETTINGS_ENABLE_CONNECT_PROTOCOL: 0x08,
  /** RFC 9297 §2.1.1; 0 or 1. */
  SETTINGS_H3_DATAGRAM: 0x33,
} as const;

/** One of the {@link SettingsId} values. */
export type SettingsId = (typeof SettingsId)[keyof typeof SettingsId];

/**
 * Identifiers HTTP/2 defined with no HTTP/3 counterpart (RFC 9114 §7.2.4.1,
 * §11.2.2): receiving one is a connection error of type H3_SETTINGS_ERROR.
 */
export const HTTP2_ONLY_SETTINGS_IDS = {
  H2_RESERVED_0x00: 0x00,
  H2_SETTINGS_ENABLE_PUSH: 0x02,
  H2_SETTINGS_MAX_CONCURRENT_STREAMS: 0x03,
  H2_SETTINGS_INITIAL_WINDOW_SIZE: 0x04,
  H2_SETTINGS_MAX_FRAME_SIZE: 0x05,
} as const;

const NAMES = new Map<number, string>();
for (const [k, v] of Object.entries(SettingsId)) NAMES.set(v, k);
for (const [k, v] of Object.entries(HTTP2_ONLY_SETTINGS_IDS)) NAMES.set(v, k);

/** Whether `id` is 0x00 or 0x02-0x05, reserved because HTTP/2 used it. */
export function isHttp2OnlySettingsId(id: number | bigint): boolean {
  return id === 0 || id === 2 || id === 3 || id === 4 || id === 5 || id === 0n || (typeof id === "bigint" && id >= 2n && id <= 5n);
}

/** Whether `id` is a reserved (GREASE) setting identifier (RFC 9114 §7.2.4.1). Never throws. */
export function isReservedSettingsId(id: number | bigint): boolean {
  return isGreaseValue(id);
}

/**
 * The RFC name of a setting identifier; `"H2_SETTINGS_ENABLE_PUSH"` style
 * for the HTTP/2-only ones, `"GREASE_0x.."` or `"UNKNOWN_0x.."`. Never throws.
 */
export function settingsIdName(id: number | bigint): string {
  const name = typeof id === "number" ? NAMES.get(id) : undefined;
  if (name !== undefined) return name;
  return (isGreaseValue(id) ? "GREASE_" : "UNKNOWN_") + hexCode(id);
}

/** One setting as it appears on the wire. */
export interface Setting {
  readonly id: number | bigint;
  readonly value: number | bigint;
}
