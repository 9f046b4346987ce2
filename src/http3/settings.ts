/**
 * HTTP/3 SETTINGS identifiers (RFC 9114 §7.2.4.1, §11.2.2; RFC 9204 §5;
 * RFC 9220 §5; RFC 9297 §2.1.1).
 *
 * @module
 */
import { isGreaseValue, registryName } from "./grease.js";

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
  return HTTP2_ONLY_IDS.has(typeof id === "bigint" ? (id >= 0n && id <= 0xffn ? Number(id) : -1) : id);
}
const HTTP2_ONLY_IDS: ReadonlySet<number> = new Set(Object.values(HTTP2_ONLY_SETTINGS_IDS));

/** Whether `id` is a reserved (GREASE) setting identifier (RFC 9114 §7.2.4.1). Never throws. */
export function isReservedSettingsId(id: number | bigint): boolean {
  return isGreaseValue(id);
}

/**
 * The RFC name of a setting identifier; `"H2_SETTINGS_ENABLE_PUSH"` style
 * for the HTTP/2-only ones, `"GREASE_0x.."` or `"UNKNOWN_0x.."`. Never throws.
 */
export function settingsIdName(id: number | bigint): string {
  return registryName(NAMES, id);
}

/** One setting as it appears on the wire. */
export interface Setting {
  readonly id: number | bigint;
  readonly value: number | bigint;
}

/** The HTTP/3 settings this module knows, resolved with their RFC defaults. */
export interface Http3Settings {
  /** SETTINGS_QPACK_MAX_TABLE_CAPACITY, default 0 (RFC 9204 §5). */
  readonly qpackMaxTableCapacity: number | bigint;
  /** SETTINGS_MAX_FIELD_SECTION_SIZE; `undefined` is the default, unlimited (RFC 9114 §7.2.4.1). */
  readonly maxFieldSectionSize: number | bigint | undefined;
  /** SETTINGS_QPACK_BLOCKED_STREAMS, default 0 (RFC 9204 §5). */
  readonly qpackBlockedStreams: number | bigint;
  /** SETTINGS_ENABLE_CONNECT_PROTOCOL = 1, default false (RFC 9220 §3, RFC 8441 §3). */
  readonly enableConnectProtocol: boolean;
  /** SETTINGS_H3_DATAGRAM = 1, default false (RFC 9297 §2.1.1). */
  readonly h3Datagram: boolean;
}

/** The values an endpoint assumes before the peer's SETTINGS arrive (RFC 9114 §7.2.4.2). */
export const DEFAULT_HTTP3_SETTINGS: Http3Settings = Object.freeze({
  qpackMaxTableCapacity: 0,
  maxFieldSectionSize: undefined,
  qpackBlockedStreams: 0,
  enableConnectProtocol: false,
  h3Datagram: false,
});

/**
 * Resolves a SETTINGS frame's parameters into the known settings, each at its
 * RFC default when absent. Unknown and reserved identifiers are ignored
 * (RFC 9114 §7.2.4: "An implementation MUST ignore any parameter with an
 * identifier it does not understand"). Validity (duplicates, HTTP/2-only
 * identifiers, boolean values) is the decoder's job; here the last occurrence
 * of an identifier wins.
 *
 * @example
 * ```ts
 * resolveSettings([{ id: 0x01, value: 4096 }, { id: 0x21, value: 7 }]);
 * // { qpackMaxTableCapacity: 4096, maxFieldSectionSize: undefined,
 * //   qpackBlockedStreams: 0, enableConnectProtocol: false, h3Datagram: false }
 * ```
 */
export function resolveSettings(settings: readonly Setting[]): Http3Settings {
  let qpackMaxTableCapacity: number | bigint = 0;
  let maxFieldSectionSize: number | bigint | undefined;
  let qpackBlockedStreams: number | bigint = 0;
  let enableConnectProtocol = false;
  let h3Datagram = false;
  for (const { id, value } of settings) {
    switch (id) {
      case SettingsId.SETTINGS_QPACK_MAX_TABLE_CAPACITY:
        qpackMaxTableCapacity = value;
        break;
      case SettingsId.SETTINGS_MAX_FIELD_SECTION_SIZE:
        maxFieldSectionSize = value;
        break;
      case SettingsId.SETTINGS_QPACK_BLOCKED_STREAMS:
        qpackBlockedStreams = value;
        break;
      case SettingsId.SETTINGS_ENABLE_CONNECT_PROTOCOL:
        enableConnectProtocol = value === 1 || value === 1n;
        break;
      case SettingsId.SETTINGS_H3_DATAGRAM:
        h3Datagram = value === 1 || value === 1n;
        break;
    }
  }
  return { qpackMaxTableCapacity, maxFieldSectionSize, qpackBlockedStreams, enableConnectProtocol, h3Datagram };
}
