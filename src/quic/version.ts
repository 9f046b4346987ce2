/**
 * QUIC versions (RFC 9000 §15, RFC 8999, RFC 9369) and the long-header
 * packet type bits each one uses.
 *
 * @module
 */

/** QUIC version numbers this module knows the long-header layout of. */
export const QuicVersion = {
  /** Version Negotiation packets carry version 0 (RFC 9000 §17.2.1). */
  NEGOTIATION: 0x00000000,
  /** QUIC version 1 (RFC 9000). */
  V1: 0x00000001,
  /** QUIC version 2 (RFC 9369). */
  V2: 0x6b3343cf,
  /** The provisional version 2 of draft-ietf-quic-v2 (-01 to -07), with version 2's packet types; ngtcp2's `v2draft`. */
  V2_DRAFT: 0x709a50c4,
  /** draft-ietf-quic-transport-29, wire-compatible with version 1 for headers and frames. */
  DRAFT_29: 0xff00001d,
} as const;

/** One of the {@link QuicVersion} values. */
export type QuicVersion = (typeof QuicVersion)[keyof typeof QuicVersion];

/** The long-header packet types (RFC 9000 §17.2; Version Negotiation is told apart by its version 0). */
export type LongPacketType = "initial" | "0-rtt" | "handshake" | "retry";

/** Long packet type bits (0x30 of the first byte) of version 1 and its drafts (RFC 9000 Table 5). */
const V1_TYPES: readonly LongPacketType[] = ["initial", "0-rtt", "handshake", "retry"];
/** Long packet type bits of version 2 (RFC 9369 §3.2): Initial 0b01, 0-RTT 0b10, Handshake 0b11, Retry 0b00. */
const V2_TYPES: readonly LongPacketType[] = ["retry", "initial", "0-rtt", "handshake"];

const NAMES = new Map<number, string>([
  [QuicVersion.NEGOTIATION, "version-negotiation"],
  [QuicVersion.V1, "v1"],
  [QuicVersion.V2, "v2"],
  [QuicVersion.V2_DRAFT, "v2-draft"],
]);

/** Whether `version` uses version 2's packet type bits (RFC 9369 §3.2). */
function isV2Layout(version: number): boolean {
  return version === QuicVersion.V2 || version === QuicVersion.V2_DRAFT;
}

/** Whether `version` is an IETF draft version `0xff0000NN` (wire-compatible with version 1 from draft 29 on). */
function isDraftVersion(version: number): boolean {
  return version >>> 8 === 0xff0000 && (version & 0xff) >= 29;
}

/**
 * Whether this module knows the long-header layout of `version`: versions 1
 * and 2, the version 2 draft, and IETF drafts 29 and later. Packets of other
 * versions are read only as far as the invariants (RFC 8999) allow.
 *
 * @example
 * ```ts
 * isSupportedVersion(0x6b3343cf); // true (QUIC v2)
 * isSupportedVersion(0x1a2a3a4a); // false (reserved, RFC 9000 §15)
 * ```
 */
export function isSupportedVersion(version: number): boolean {
  return version === QuicVersion.V1 || isV2Layout(version) || isDraftVersion(version);
}

/**
 * Whether `version` is reserved for forcing version negotiation: the
 * pattern `0x?a?a?a?a` (RFC 9000 §15).
 */
export function isReservedVersion(version: number): boolean {
  return (version & 0x0f0f0f0f) === 0x0a0a0a0a;
}

/**
 * A short name for a version: `"v1"`, `"v2"`, `"v2-draft"`, `"draft-29"`,
 * `"reserved-0x1a2a3a4a"`, `"version-negotiation"` for 0, else
 * `"unknown-0x…"`. Never throws.
 *
 * @example
 * ```ts
 * quicVersionName(1); // "v1"
 * quicVersionName(0xff00001d); // "draft-29"
 * ```
 */
export function quicVersionName(version: number): string {
  const v = version >>> 0;
  const known = NAMES.get(v);
  if (known !== undefined) return known;
  const hex = `0x${v.toString(16).padStart(8, "0")}`;
  if (isDraftVersion(v)) return `draft-${v & 0xff}`;
  if (isReservedVersion(v)) return `reserved-${hex}`;
  return `unknown-${hex}`;
}

/**
 * The long packet type that the type bits (`(firstByte & 0x30) >> 4`) name
 * in `version` (RFC 9000 Table 5; RFC 9369 §3.2).
 *
 * @throws RangeError for bits outside 0..3 or a version whose layout is not known
 */
export function longPacketType(version: number, typeBits: number): LongPacketType {
  if (!isSupportedVersion(version)) throw new RangeError(`Unknown long packet types for version ${quicVersionName(version)}`);
  const t = (isV2Layout(version) ? V2_TYPES : V1_TYPES)[typeBits];
  if (t === undefined) throw new RangeError(`Invalid long packet type bits: ${String(typeBits)} is not 0..3`);
  return t;
}

/**
 * The type bits (0..3, shifted into 0x30 of the first byte) of a long
 * packet type in `version`: the inverse of {@link longPacketType}.
 *
 * @throws RangeError for a version whose layout is not known or an unknown type
 * @example
 * ```ts
 * longPacketTypeBits(QuicVersion.V1, "initial"); // 0
 * longPacketTypeBits(QuicVersion.V2, "initial"); // 1
 * ```
 */
export function longPacketTypeBits(version: number, type: LongPacketType): number {
  if (!isSupportedVersion(version)) throw new RangeError(`Unknown long packet types for version ${quicVersionName(version)}`);
  const bits = (isV2Layout(version) ? V2_TYPES : V1_TYPES).indexOf(type);
  if (bits < 0) throw new RangeError(`Invalid long packet type: ${String(type)}`);
  return bits;
}
