/**
 * QUIC packet headers (RFC 9000 §17, RFC 8999, RFC 9369 §3.2) and
 * coalesced packets (RFC 9000 §12.2).
 *
 * ```
 * Long Header Packet {                     1-RTT Packet {
 *   Header Form (1) = 1,                     Header Form (1) = 0,
 *   Fixed Bit (1) = 1,                       Fixed Bit (1) = 1,
 *   Long Packet Type (2),                    Spin Bit (1),
 *   Type-Specific Bits (4),                  Reserved Bits (2),      protected
 *   Version (32),                            Key Phase (1),          protected
 *   Destination Connection ID Length (8),    Packet Number Length (2), protected
 *   Destination Connection ID (0..160),      Destination Connection ID (0..160),
 *   Source Connection ID Length (8),         Packet Number (8..32),  protected
 *   Source Connection ID (0..160),           Packet Payload (8..),
 *   Type-Specific Payload (..),            }
 * }
 * ```
 *
 * Reading is two-step, because header protection (RFC 9001 §5.4) hides the
 * low bits of the first byte (reserved bits, key phase, packet number
 * length) and the packet number itself:
 *
 * 1. {@link readPacketHeader} reads what is not protected and says where
 *    the packet number starts (`packetNumberOffset`) and where the
 *    header-protection sample starts (`sampleOffset`, 4 bytes later).
 * 2. The caller removes header protection (that takes a cipher, which this
 *    module does not have) and passes the unmasked first byte and packet
 *    number bytes to {@link finishPacketHeader}, which reads the packet
 *    number and says where the payload starts.
 *
 * Connection IDs, tokens, integrity tags and payloads are views of the
 * input (`subarray`, no copy).
 *
 * @module
 */

import { readU32 } from "../shared/byte-reader.js";
import { concatBytes } from "../shared/bytes.js";
import type { Cursor } from "../shared/cursor.js";
import { NEED_MORE, type NeedMore, needMore } from "../shared/result.js";
import { TransportErrorCode } from "./error-codes.js";
import { connectionError } from "./errors.js";
import type { PacketNumberLength } from "./packet-number.js";
import { takeVarint, type VarintLength, varintLength, varintNeedMore, writeVarint } from "./varint.js";
import { isSupportedVersion, longPacketType, longPacketTypeBits, QuicVersion } from "./version.js";

/** Bits of a packet's first byte (RFC 9000 §17.2, §17.3.1). */
export const PacketBits = {
  /** 1 for a long header, 0 for a short header. */
  HEADER_FORM: 0x80,
  /** Always 1 in versions 1 and 2 (RFC 9287 lets peers grease it). */
  FIXED_BIT: 0x40,
  /** The long packet type, two bits (meaning per version, {@link longPacketType}). */
  LONG_PACKET_TYPE: 0x30,
  /** Long header reserved bits (protected). */
  LONG_RESERVED: 0x0c,
  /** Short header latency spin bit (not protected). */
  SPIN_BIT: 0x20,
  /** Short header reserved bits (protected). */
  SHORT_RESERVED: 0x18,
  /** Short header key phase (protected). */
  KEY_PHASE: 0x04,
  /** The packet number length minus one (protected). */
  PACKET_NUMBER_LENGTH: 0x03,
  /** The bits header protection masks in a long header (RFC 9001 §5.4.1). */
  LONG_PROTECTED: 0x0f,
  /** The bits header protection masks in a short header (RFC 9001 §5.4.1). */
  SHORT_PROTECTED: 0x1f,
} as const;

/** Longest connection ID in versions 1 and 2 (RFC 9000 §17.2). Other versions allow up to 255 (RFC 8999 §5.1). */
export const MAX_CONNECTION_ID_LENGTH = 20;
/** Length of the Retry Integrity Tag (RFC 9001 §5.8). */
export const RETRY_INTEGRITY_TAG_LENGTH = 16;
/** Bytes of ciphertext sampled for header protection (RFC 9001 §5.4.2). */
export const HEADER_PROTECTION_SAMPLE_LENGTH = 16;
/** The sample starts this many bytes after the packet number starts (RFC 9001 §5.4.2). */
const SAMPLE_SKIP = 4;
/** Version, connection ID lengths: the fixed part of a long header after its first byte. */
const VERSION_LENGTH = 4;

/** What every packet header {@link readPacketHeader} returns has. */
interface PacketBase {
  readonly status: "ok";
  /** The whole packet, header included (a view of the input). */
  readonly packet: Uint8Array;
  /** Bytes the packet took: `packet.length`. */
  readonly length: number;
  /** The first byte as received (protected bits still masked, for protected packets). */
  readonly firstByte: number;
  readonly destinationCid: Uint8Array;
}

/** The fields of a long header before the type-specific part. */
interface LongBase extends PacketBase {
  readonly version: number;
  readonly sourceCid: Uint8Array;
}

/** What a protected packet's header says about where its packet number and sample are. */
interface ProtectedFields {
  /** Whether the fixed bit (0x40) is set; it is unless the peers grease it (RFC 9287). */
  readonly fixedBit: boolean;
  /** Offset of the packet number in `packet`. */
  readonly packetNumberOffset: number;
  /** Offset of the header-protection sample in `packet`: `packetNumberOffset + 4` (RFC 9001 §5.4.2). */
  readonly sampleOffset: number;
}

/** An Initial, 0-RTT or Handshake packet before header protection is removed (RFC 9000 §17.2.2–17.2.4). */
export interface ProtectedLongHeader extends LongBase, ProtectedFields {
  readonly type: "initial" | "0-rtt" | "handshake";
  /** The Initial packet's token (empty when none; always empty for 0-RTT and Handshake). */
  readonly token: Uint8Array;
  /** The Length field: bytes of packet number and payload (the payload includes the AEAD tag). */
  readonly payloadLength: number;
  /** Bytes the Length varint took (senders may use a longer form than needed). */
  readonly lengthFieldLength: VarintLength;
}

/** A 1-RTT packet before header protection is removed (RFC 9000 §17.3.1). */
export interface ProtectedShortHeader extends PacketBase, ProtectedFields {
  readonly type: "1-rtt";
  /** The latency spin bit (0x20, RFC 9000 §17.4). */
  readonly spinBit: boolean;
}

/** A Retry packet (RFC 9000 §17.2.5); it has no packet number and no protection but its integrity tag. */
export interface RetryPacket extends LongBase {
  readonly type: "retry";
  /** The four unused low bits of the first byte. */
  readonly unusedBits: number;
  /** The Retry Token (a view of the input). */
  readonly token: Uint8Array;
  /** The 16-byte Retry Integrity Tag, kept for checking (RFC 9001 §5.8). */
  readonly integrityTag: Uint8Array;
}

/** A Version Negotiation packet (RFC 9000 §17.2.1): version 0 and the versions the server supports. */
export interface VersionNegotiationPacket extends LongBase {
  readonly type: "version-negotiation";
  /** The seven unused bits of the first byte (0x7f), set to arbitrary values by the server. */
  readonly unusedBits: number;
  readonly supportedVersions: readonly number[];
}

/**
 * A long-header packet of a version whose layout is not known: only the
 * version-independent fields of RFC 8999 §5.1 are read, and the packet runs
 * to the end of the input.
 */
export interface UnknownVersionPacket extends LongBase {
  readonly type: "unknown-version";
  /** What follows the Source Connection ID (a view of the input). */
  readonly versionSpecificData: Uint8Array;
}

/** Any header {@link readPacketHeader} returns, discriminated on `type`. */
export type ProtectedPacketHeader =
  | ProtectedLongHeader
  | ProtectedShortHeader
  | RetryPacket
  | VersionNegotiationPacket
  | UnknownVersionPacket;

/**
 * What header protection hides, read by {@link finishPacketHeader}.
 * @inline
 */
interface UnprotectedFields {
  /** The first byte with header protection removed. */
  readonly firstByte: number;
  /** The reserved bits (0x0c long, 0x18 short), shifted down; must be 0 once the packet is authenticated ({@link checkReservedBits}). */
  readonly reservedBits: number;
  readonly packetNumberLength: PacketNumberLength;
  /** The packet number field as sent: its low 8 to 32 bits ({@link decodePacketNumber} gives the full number). */
  readonly truncatedPacketNumber: number;
  /** Bytes of header through the packet number: the AEAD's associated data (RFC 9001 §5.3). */
  readonly headerLength: number;
  /** What follows the packet number to the end of the packet: the protected payload with its AEAD tag (a view). */
  readonly payload: Uint8Array;
}

/** An Initial, 0-RTT or Handshake header with its packet number read. */
export type LongHeader = Omit<ProtectedLongHeader, "firstByte"> & UnprotectedFields;
/** A 1-RTT header with its key phase and packet number read. */
export type ShortHeader = Omit<ProtectedShortHeader, "firstByte"> &
  UnprotectedFields & {
    /** The key phase bit (0x04, RFC 9001 §6). */
    readonly keyPhase: 0 | 1;
  };
/** A header {@link finishPacketHeader} returns. */
export type PacketHeader = LongHeader | ShortHeader;

/** Options of {@link readPacketHeader} and {@link decodeDatagram}. */
export interface ReadPacketOptions {
  /**
   * The length of the Destination Connection ID of 1-RTT (short header)
   * packets, which the packet does not carry (the receiver chose it). It is
   * required to read a short header: reading one without it throws
   * `RangeError`.
   */
  readonly shortHeaderCidLength?: number;
  /**
   * Whether a packet with the fixed bit (0x40) clear is an error
   * (PROTOCOL_VIOLATION `fixed_bit_zero`), as RFC 9000 §17.2 says. Set it to
   * `false` for peers that negotiated grease_quic_bit (RFC 9287). Default
   * `true`. Version Negotiation packets are never checked (the bit is unused there).
   */
  readonly requireFixedBit?: boolean;
}

function checkReadArgs(bytes: Uint8Array, offset: number, options: ReadPacketOptions | undefined): void {
  if (!(bytes instanceof Uint8Array)) throw new TypeError("Cannot read packet: expected a Uint8Array");
  if (!Number.isInteger(offset) || offset < 0 || offset > bytes.length)
    throw new RangeError(`Cannot read packet: offset ${String(offset)} is outside 0..${bytes.length}`);
  const cid = options?.shortHeaderCidLength;
  if (cid !== undefined && (!Number.isInteger(cid) || cid < 0 || cid > MAX_CONNECTION_ID_LENGTH))
    throw new RangeError(`readPacketHeader: option shortHeaderCidLength must be an integer in 0..20, got ${String(cid)}`);
  const fixed = options?.requireFixedBit;
  if (fixed !== undefined && typeof fixed !== "boolean")
    throw new TypeError(`readPacketHeader: option requireFixedBit must be a boolean, got ${typeof fixed}`);
}

function fixedBitError(start: number): never {
  // RFC 9000 §17.2, §17.3.1: packets with a zero fixed bit "are not valid packets in this version and MUST be discarded".
  throw connectionError(TransportErrorCode.PROTOCOL_VIOLATION, "fixed_bit_zero", "Invalid packet: the fixed bit is 0", start);
}

/**
 * Reads a connection ID (length byte, then the ID) at `c.pos`.
 * @returns the ID, or `NEED_MORE` (the count of bytes still needed is then
 *   in `short[0]`)
 */
function takeCid(c: Cursor, max: number, what: string, short: number[]): Uint8Array | typeof NEED_MORE {
  if (c.pos >= c.end) {
    short[0] = 1;
    return NEED_MORE;
  }
  const len = c.buf[c.pos]!;
  if (len > max) {
    // RFC 9000 §17.2: "Endpoints that receive a version 1 long header with a
    // value larger than 20 MUST drop the packet."
    throw connectionError(
      TransportErrorCode.PROTOCOL_VIOLATION,
      "connection_id_too_long",
      `Invalid packet: the ${what} connection ID length is ${len}, above ${max}`,
      c.pos,
    );
  }
  if (c.pos + 1 + len > c.end) {
    short[0] = c.pos + 1 + len - c.end;
    return NEED_MORE;
  }
  const cid = c.buf.subarray(c.pos + 1, c.pos + 1 + len);
  c.pos += 1 + len;
  return cid;
}

/**
 * Reads the header of the packet at `bytes[offset]`, as far as header
 * protection allows (step 1 of 2; {@link finishPacketHeader} is step 2).
 * Pure; a packet that runs past the end of `bytes` is
 * `{ status: "need-more" }` (inside a datagram that means it was truncated:
 * {@link decodeDatagram} reports it so).
 *
 * - Initial, 0-RTT, Handshake (versions 1 and 2, RFC 9369's type bits for
 *   version 2): the packet ends where its Length field says, so several can
 *   share a datagram (RFC 9000 §12.2).
 * - Retry: the token and the 16-byte integrity tag, to the end of `bytes`.
 * - Version Negotiation (version 0): the supported versions, to the end.
 * - 1-RTT: needs `options.shortHeaderCidLength`; runs to the end of `bytes`.
 * - Another version: the RFC 8999 invariants only (`"unknown-version"`).
 *
 * @returns a {@link ProtectedPacketHeader} or {@link NeedMore}
 * @throws QuicError PROTOCOL_VIOLATION, connection scope: `fixed_bit_zero`
 *   (unless `requireFixedBit` is `false`), `connection_id_too_long` (above 20
 *   bytes in a version this module knows), `retry_too_short` (no room for the
 *   integrity tag), `version_negotiation_length_invalid` (a version list that is
 *   not a multiple of 4 bytes, or empty)
 * @throws RangeError for an offset outside `bytes`, a bad option, or a short
 *   header read without `shortHeaderCidLength`
 * @example
 * ```ts
 * const fromHex = (hex: string) => Uint8Array.from(hex.match(/../g) ?? [], (b) => Number.parseInt(b, 16));
 * // RFC 9001 A.2: the Length field announces 1182 bytes after it; 4 are here.
 * readPacketHeader(fromHex("c300000001088394c8f03e5157080000449e00000002")); // => { status: "need-more", needed: 1178 }
 * ```
 */
export function readPacketHeader(bytes: Uint8Array, offset = 0, options?: ReadPacketOptions): ProtectedPacketHeader | NeedMore {
  checkReadArgs(bytes, offset, options);
  const end = bytes.length;
  if (offset >= end) return needMore(1);
  const first = bytes[offset]!;
  const requireFixed = options?.requireFixedBit ?? true;
  if ((first & PacketBits.HEADER_FORM) === 0) {
    const cidLength = options?.shortHeaderCidLength;
    if (cidLength === undefined)
      throw new RangeError(
        "readPacketHeader: a short header packet needs the option shortHeaderCidLength (its Destination Connection ID length)",
      );
    const fixedBit = (first & PacketBits.FIXED_BIT) !== 0;
    if (requireFixed && !fixedBit) fixedBitError(offset);
    const pnOffset = 1 + cidLength;
    if (offset + pnOffset >= end) return needMore(offset + pnOffset + 1 - end);
    const packet = bytes.subarray(offset, end);
    return {
      status: "ok",
      type: "1-rtt",
      packet,
      length: packet.length,
      firstByte: first,
      fixedBit,
      spinBit: (first & PacketBits.SPIN_BIT) !== 0,
      destinationCid: packet.subarray(1, pnOffset),
      packetNumberOffset: pnOffset,
      sampleOffset: pnOffset + SAMPLE_SKIP,
    };
  }
  if (offset + 1 + VERSION_LENGTH > end) return needMore(offset + 1 + VERSION_LENGTH - end);
  const version = ((bytes[offset + 1]! << 24) | (bytes[offset + 2]! << 16) | (bytes[offset + 3]! << 8) | bytes[offset + 4]!) >>> 0;
  const known = isSupportedVersion(version);
  const maxCid = known ? MAX_CONNECTION_ID_LENGTH : 255;
  const c: Cursor = { buf: bytes, pos: offset + 1 + VERSION_LENGTH, end };
  const short: number[] = [1];
  const dcid = takeCid(c, maxCid, "destination", short);
  if (dcid === NEED_MORE) return needMore(short[0]! + 1);
  const scid = takeCid(c, maxCid, "source", short);
  if (scid === NEED_MORE) return needMore(short[0]!);

  if (version === QuicVersion.NEGOTIATION) {
    const list = end - c.pos;
    if (list === 0 || list % VERSION_LENGTH !== 0) {
      // RFC 9000 §17.2.1: the Supported Version fields are 32 bits each; a list
      // that is empty or not a whole number of versions is not a valid packet.
      throw connectionError(
        TransportErrorCode.PROTOCOL_VIOLATION,
        "version_negotiation_length_invalid",
        `Invalid Version Negotiation packet: ${list} bytes of supported versions is not a positive multiple of 4`,
        c.pos,
      );
    }
    const supportedVersions: number[] = [];
    for (let p = c.pos; p < end; p += VERSION_LENGTH) supportedVersions.push(readU32(bytes, p));
    const packet = bytes.subarray(offset, end);
    return {
      status: "ok",
      type: "version-negotiation",
      packet,
      length: packet.length,
      firstByte: first,
      unusedBits: first & ~PacketBits.HEADER_FORM,
      version,
      destinationCid: dcid,
      sourceCid: scid,
      supportedVersions,
    };
  }
  if (!known) {
    const packet = bytes.subarray(offset, end);
    return {
      status: "ok",
      type: "unknown-version",
      packet,
      length: packet.length,
      firstByte: first,
      version,
      destinationCid: dcid,
      sourceCid: scid,
      versionSpecificData: bytes.subarray(c.pos, end),
    };
  }
  const fixedBit = (first & PacketBits.FIXED_BIT) !== 0;
  if (requireFixed && !fixedBit) fixedBitError(offset);
  const type = longPacketType(version, (first & PacketBits.LONG_PACKET_TYPE) >> 4);
  if (type === "retry") {
    const rest = end - c.pos;
    if (rest < RETRY_INTEGRITY_TAG_LENGTH) {
      // RFC 9000 §17.2.5: a Retry ends with the 128-bit Retry Integrity Tag.
      throw connectionError(
        TransportErrorCode.PROTOCOL_VIOLATION,
        "retry_too_short",
        `Invalid Retry packet: ${rest} bytes after the connection IDs cannot hold the 16-byte integrity tag`,
        c.pos,
      );
    }
    const packet = bytes.subarray(offset, end);
    return {
      status: "ok",
      type,
      packet,
      length: packet.length,
      firstByte: first,
      unusedBits: first & PacketBits.LONG_PROTECTED,
      version,
      destinationCid: dcid,
      sourceCid: scid,
      token: bytes.subarray(c.pos, end - RETRY_INTEGRITY_TAG_LENGTH),
      integrityTag: bytes.subarray(end - RETRY_INTEGRITY_TAG_LENGTH, end),
    };
  }
  let token = bytes.subarray(c.pos, c.pos);
  if (type === "initial") {
    const at = c.pos;
    const tokenLength = takeVarint(c);
    if (tokenLength === NEED_MORE) return needMore(varintNeedMore(bytes, at).needed + 1);
    // A token longer than 2^53 - 1 cannot be in memory: it runs past the end.
    if (tokenLength < 0 || c.pos + tokenLength > end)
      return needMore(tokenLength < 0 ? Number.MAX_SAFE_INTEGER : c.pos + tokenLength + 1 - end);
    token = bytes.subarray(c.pos, c.pos + tokenLength);
    c.pos += tokenLength;
  }
  const lengthAt = c.pos;
  const payloadLength = takeVarint(c);
  if (payloadLength === NEED_MORE) return needMore(varintNeedMore(bytes, lengthAt).needed + 1);
  if (payloadLength < 0 || c.pos + payloadLength > end)
    return needMore(payloadLength < 0 ? Number.MAX_SAFE_INTEGER : c.pos + payloadLength - end);
  const pnOffset = c.pos - offset;
  const packet = bytes.subarray(offset, c.pos + payloadLength);
  return {
    status: "ok",
    type,
    packet,
    length: packet.length,
    firstByte: first,
    fixedBit,
    version,
    destinationCid: dcid,
    sourceCid: scid,
    token,
    payloadLength,
    lengthFieldLength: (c.pos - lengthAt) as VarintLength,
    packetNumberOffset: pnOffset,
    sampleOffset: pnOffset + SAMPLE_SKIP,
  };
}

/**
 * Reads what header protection hid (step 2 of 2, after
 * {@link readPacketHeader}): the reserved bits, key phase (1-RTT) and
 * packet number length from the unmasked first byte, then the packet
 * number from the unmasked packet number bytes.
 *
 * @param header an Initial, 0-RTT, Handshake or 1-RTT header from {@link readPacketHeader}
 * @param firstByte the first byte with header protection removed
 *   (RFC 9001 §5.4.1); for a packet that was never protected, `header.firstByte`
 * @param packetNumberBytes the packet number bytes with protection removed,
 *   from its first byte (at least the length `firstByte` announces); default:
 *   the bytes in `header.packet`, for a packet that was never protected
 * @returns the header with `packetNumberLength`, `truncatedPacketNumber`,
 *   `reservedBits`, `keyPhase` (1-RTT), `headerLength` (the AEAD's associated
 *   data is `packet[0, headerLength)`, unprotected) and `payload`
 * @throws QuicError PROTOCOL_VIOLATION `packet_number_beyond_packet` when the
 *   packet ends inside its packet number
 * @throws RangeError when `firstByte` differs from the received one in a bit
 *   header protection does not cover, or `packetNumberBytes` is too short
 * @example
 * ```ts
 * const fromHex = (hex: string) => Uint8Array.from(hex.match(/../g) ?? [], (b) => Number.parseInt(b, 16));
 * // RFC 9001 A.3's server Initial, unprotected (its 115 payload and tag bytes left zero here).
 * const serverInitial = new Uint8Array(135);
 * serverInitial.set(fromHex("c1000000010008f067a5502a4262b50040750001"));
 * const h = readPacketHeader(serverInitial);
 * h.status === "ok" && h.type === "initial" ? finishPacketHeader(h, h.firstByte).truncatedPacketNumber : undefined; // => 1
 * ```
 */
export function finishPacketHeader(
  header: ProtectedLongHeader | ProtectedShortHeader,
  firstByte: number,
  packetNumberBytes?: Uint8Array,
): PacketHeader {
  const maskable = header.type !== "1-rtt" ? PacketBits.LONG_PROTECTED : PacketBits.SHORT_PROTECTED;
  if (!Number.isInteger(firstByte) || firstByte < 0 || firstByte > 0xff || (firstByte & ~maskable) !== (header.firstByte & ~maskable)) {
    throw new RangeError(
      `finishPacketHeader: first byte 0x${Number(firstByte).toString(16)} differs from the received 0x${header.firstByte.toString(16)} outside the protected bits`,
    );
  }
  const pnLength = ((firstByte & PacketBits.PACKET_NUMBER_LENGTH) + 1) as PacketNumberLength;
  const pnOffset = header.packetNumberOffset;
  const headerLength = pnOffset + pnLength;
  if (headerLength > header.packet.length) {
    // RFC 9000 §17.1: the packet number is 1 to 4 bytes of the packet; a packet
    // (or a Length field) that ends inside it is not a valid packet.
    throw connectionError(
      TransportErrorCode.PROTOCOL_VIOLATION,
      "packet_number_beyond_packet",
      `Invalid packet: a ${pnLength}-byte packet number at offset ${pnOffset} runs past the packet's ${header.packet.length} bytes`,
      pnOffset,
    );
  }
  const src = packetNumberBytes ?? header.packet.subarray(pnOffset);
  if (!(src instanceof Uint8Array) || src.length < pnLength)
    throw new RangeError(
      `finishPacketHeader: the packet number needs ${pnLength} bytes, got ${src instanceof Uint8Array ? src.length : typeof src}`,
    );
  let pn = 0;
  for (let i = 0; i < pnLength; i++) pn = pn * 256 + src[i]!;
  const payload = header.packet.subarray(headerLength);
  // Explicit literals, not spreads: this runs once per packet, and object spread is slow in V8.
  if (header.type !== "1-rtt") {
    return {
      status: "ok",
      type: header.type,
      packet: header.packet,
      length: header.length,
      firstByte,
      fixedBit: header.fixedBit,
      version: header.version,
      destinationCid: header.destinationCid,
      sourceCid: header.sourceCid,
      token: header.token,
      payloadLength: header.payloadLength,
      lengthFieldLength: header.lengthFieldLength,
      packetNumberOffset: pnOffset,
      sampleOffset: header.sampleOffset,
      reservedBits: (firstByte & PacketBits.LONG_RESERVED) >> 2,
      packetNumberLength: pnLength,
      truncatedPacketNumber: pn,
      headerLength,
      payload,
    };
  }
  return {
    status: "ok",
    type: header.type,
    packet: header.packet,
    length: header.length,
    firstByte,
    fixedBit: header.fixedBit,
    spinBit: header.spinBit,
    destinationCid: header.destinationCid,
    packetNumberOffset: pnOffset,
    sampleOffset: header.sampleOffset,
    reservedBits: (firstByte & PacketBits.SHORT_RESERVED) >> 3,
    keyPhase: (firstByte & PacketBits.KEY_PHASE) === 0 ? 0 : 1,
    packetNumberLength: pnLength,
    truncatedPacketNumber: pn,
    headerLength,
    payload,
  };
}

/**
 * Checks the reserved bits of an unprotected header. Call it once the packet
 * is authenticated (AEAD): RFC 9000 §17.2 and §17.3.1 make non-zero
 * reserved bits "after removing both packet and header protection" a
 * connection error of type PROTOCOL_VIOLATION; before that the bits may be
 * garbage from a wrong key.
 *
 * @throws QuicError PROTOCOL_VIOLATION `reserved_bits_set`, connection scope
 */
export function checkReservedBits(header: PacketHeader): void {
  if (header.reservedBits !== 0) {
    throw connectionError(
      TransportErrorCode.PROTOCOL_VIOLATION,
      "reserved_bits_set",
      `Invalid packet: the reserved bits of the ${header.type} header are ${header.reservedBits}, not 0`,
      0,
    );
  }
}

/**
 * The Retry pseudo-packet over which the Retry Integrity Tag is computed
 * (RFC 9001 §5.8): the client's original Destination Connection ID with its
 * length byte, then the Retry packet without its tag. The tag itself is
 * AES-128-GCM over these bytes, which is the caller's (this module has no
 * cipher).
 *
 * @throws RangeError for an original connection ID above 20 bytes
 * @example
 * ```ts
 * const fromHex = (hex: string) => Uint8Array.from(hex.match(/../g) ?? [], (b) => Number.parseInt(b, 16));
 * // RFC 9001 A.4: the Retry packet answering the client Initial of A.2.
 * const retry = readPacketHeader(fromHex("ff000000010008f067a5502a4262b5746f6b656e04a265ba2eff4d829058fb3f0f2496ba"));
 * const originalDcid = fromHex("8394c8f03e515708");
 * // The AAD for the tag check: the ODCID with its length, then the Retry packet without its tag.
 * retry.status === "ok" && retry.type === "retry" ? retryPseudoPacket(originalDcid, retry).length : 0; // => 1 + 8 + 20
 * ```
 */
export function retryPseudoPacket(originalDestinationCid: Uint8Array, retry: RetryPacket): Uint8Array {
  const odcid = checkCid("originalDestinationCid", originalDestinationCid);
  const body = retry.packet.subarray(0, retry.packet.length - RETRY_INTEGRITY_TAG_LENGTH);
  return concatBytes([Uint8Array.of(odcid.length), odcid, body], 1 + odcid.length + body.length);
}

/** The packets of one UDP datagram, as {@link decodeDatagram} splits it. */
export interface DecodedDatagram {
  /** The packets in order (headers as {@link readPacketHeader} returns them). */
  readonly packets: readonly ProtectedPacketHeader[];
  /**
   * Zero bytes after the last long-header packet (some senders pad the
   * datagram itself rather than a packet); empty when there are none.
   */
  readonly padding: Uint8Array;
}

/**
 * Splits a UDP datagram into its coalesced packets (RFC 9000 §12.2): each
 * Initial, 0-RTT or Handshake packet ends where its Length field says; a
 * Retry, Version Negotiation, 1-RTT or unknown-version packet runs to the
 * end of the datagram. Zero bytes after the last long-header packet are
 * returned as `padding`. Packets are not checked for sharing one
 * Destination Connection ID (RFC 9000 §12.2 lets receivers ignore those
 * that do not): compare `destinationCid` when it matters.
 *
 * @param out when given, each packet is appended to it as it is read, so
 *   the packets before a malformed one are kept when this throws
 * @throws QuicError PROTOCOL_VIOLATION `packet_truncated` for a packet that
 *   runs past the datagram, and every error of {@link readPacketHeader}
 * @throws RangeError as {@link readPacketHeader}
 * @example
 * ```ts
 * const fromHex = (hex: string) => Uint8Array.from(hex.match(/../g) ?? [], (b) => Number.parseInt(b, 16));
 * // RFC 9001 A.2's client Initial header (payload left zero), then 50 zero bytes of datagram padding.
 * const datagram = new Uint8Array(1250);
 * datagram.set(fromHex("c300000001088394c8f03e5157080000449e00000002"));
 * const { packets, padding } = decodeDatagram(datagram, { shortHeaderCidLength: 8 });
 * packets.map((p) => p.type); // => ["initial"]
 * padding.length; // => 50
 * ```
 */
export function decodeDatagram(datagram: Uint8Array, options?: ReadPacketOptions, out: ProtectedPacketHeader[] = []): DecodedDatagram {
  checkReadArgs(datagram, 0, options);
  let pos = 0;
  const end = datagram.length;
  while (pos < end) {
    if (pos > 0 && datagram[pos] === 0) {
      let p = pos;
      while (p < end && datagram[p] === 0) p++;
      if (p === end) return { packets: out, padding: datagram.subarray(pos) };
    }
    const h = readPacketHeader(datagram, pos, options);
    if (h.status === "need-more") {
      throw connectionError(
        TransportErrorCode.PROTOCOL_VIOLATION,
        "packet_truncated",
        `Invalid datagram: the packet at offset ${pos} needs ${h.needed} more bytes than the datagram's ${end}`,
        pos,
      );
    }
    out.push(h);
    pos += h.length;
  }
  return { packets: out, padding: datagram.subarray(end) };
}

// ---------------------------------------------------------------- encoding

/** An Initial, 0-RTT or Handshake header to encode, through its packet number (unprotected). */
export interface LongHeaderInput {
  readonly type: "initial" | "0-rtt" | "handshake";
  readonly version: number;
  readonly destinationCid: Uint8Array;
  readonly sourceCid: Uint8Array;
  /** Initial only; default empty. */
  readonly token?: Uint8Array;
  /** The Length field: packet number plus payload bytes (including the AEAD tag that will follow). */
  readonly payloadLength: number;
  /** Length of the Length varint; default the shortest. */
  readonly lengthFieldLength?: VarintLength;
  readonly packetNumberLength: PacketNumberLength;
  /** The truncated packet number (see {@link encodePacketNumber}). */
  readonly truncatedPacketNumber: number;
  /** Default 0. */
  readonly reservedBits?: number;
  /** Default `true`; `false` only for peers that grease it (RFC 9287). */
  readonly fixedBit?: boolean;
}

/** A 1-RTT header to encode, through its packet number (unprotected). */
export interface ShortHeaderInput {
  readonly type: "1-rtt";
  readonly destinationCid: Uint8Array;
  readonly packetNumberLength: PacketNumberLength;
  readonly truncatedPacketNumber: number;
  /** Default `false`. */
  readonly spinBit?: boolean;
  /** Default 0. */
  readonly keyPhase?: 0 | 1;
  /** Default 0. */
  readonly reservedBits?: number;
  /** Default `true`. */
  readonly fixedBit?: boolean;
}

/** A Retry packet to encode (the integrity tag is computed by the caller, RFC 9001 §5.8). */
export interface RetryInput {
  readonly type: "retry";
  readonly version: number;
  readonly destinationCid: Uint8Array;
  readonly sourceCid: Uint8Array;
  readonly token: Uint8Array;
  readonly integrityTag: Uint8Array;
  /** The low four bits of the first byte; default 0. */
  readonly unusedBits?: number;
}

/** A Version Negotiation packet to encode. */
export interface VersionNegotiationInput {
  readonly type: "version-negotiation";
  readonly destinationCid: Uint8Array;
  readonly sourceCid: Uint8Array;
  readonly supportedVersions: readonly number[];
  /** The seven low bits of the first byte; default 0 (RFC 9000 §17.2.1 suggests random ones). */
  readonly unusedBits?: number;
}

function checkCid(what: string, cid: unknown, max = MAX_CONNECTION_ID_LENGTH): Uint8Array {
  if (!(cid instanceof Uint8Array)) throw new TypeError(`Invalid ${what}: expected a Uint8Array`);
  if (cid.length > max) throw new RangeError(`Invalid ${what}: ${cid.length} bytes, above ${max}`);
  return cid;
}

function checkBits(what: string, v: number | undefined, max: number): number {
  if (v === undefined) return 0;
  if (!Number.isInteger(v) || v < 0 || v > max)
    throw new RangeError(`Cannot encode packet: ${what} must be an integer in 0..${max}, got ${String(v)}`);
  return v;
}

function checkPnFields(h: { packetNumberLength: number; truncatedPacketNumber: number }): void {
  const n = h.packetNumberLength;
  if (n !== 1 && n !== 2 && n !== 3 && n !== 4)
    throw new RangeError(`Cannot encode packet: packetNumberLength must be 1..4, got ${String(n)}`);
  const pn = h.truncatedPacketNumber;
  if (!Number.isInteger(pn) || pn < 0 || pn >= 2 ** (8 * n))
    throw new RangeError(`Cannot encode packet: truncated packet number ${String(pn)} does not fit in ${n} bytes`);
}

function put32(out: Uint8Array, p: number, v: number): void {
  out[p] = v >>> 24;
  out[p + 1] = v >>> 16;
  out[p + 2] = v >>> 8;
  out[p + 3] = v;
}

/** Writes the version-independent start of a long header (RFC 8999 §5.1); returns the offset after the SCID. */
function writeLongPrefix(out: Uint8Array, first: number, version: number, dcid: Uint8Array, scid: Uint8Array): number {
  out[0] = first;
  put32(out, 1, version);
  let p = 1 + VERSION_LENGTH;
  out[p++] = dcid.length;
  out.set(dcid, p);
  p += dcid.length;
  out[p++] = scid.length;
  out.set(scid, p);
  return p + scid.length;
}

function checkVersion(v: unknown): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < 0 || v > 0xffffffff)
    throw new RangeError(`Cannot encode packet: version must be a 32-bit unsigned integer, got ${String(v)}`);
  return v;
}

/**
 * Encodes a packet header, unprotected: a long or short header through its
 * packet number, or a whole Retry or Version Negotiation packet. The
 * inverse of {@link readPacketHeader} plus {@link finishPacketHeader}:
 * reading the output (with the payload appended) gives back every field.
 * Header protection and the AEAD are the caller's (RFC 9001 §5).
 *
 * @throws RangeError / TypeError for a field the header cannot carry: a
 *   connection ID above 20 bytes, a packet number that does not fit its
 *   length, a Length field smaller than the packet number, a token outside
 *   an Initial, an unknown version for a long header, a Retry tag that is
 *   not 16 bytes, an empty version list
 * @example
 * ```ts
 * const fromHex = (hex: string) => Uint8Array.from(hex.match(/../g) ?? [], (b) => Number.parseInt(b, 16));
 * // RFC 9001 Appendix A.2
 * const header = encodePacketHeader({
 *   type: "initial", version: 1, destinationCid: fromHex("8394c8f03e515708"), sourceCid: new Uint8Array(0),
 *   payloadLength: 1182, packetNumberLength: 4, truncatedPacketNumber: 2,
 * });
 * header; // => fromHex("c300000001088394c8f03e5157080000449e00000002")
 * ```
 */
export function encodePacketHeader(header: LongHeaderInput | ShortHeaderInput | RetryInput | VersionNegotiationInput): Uint8Array {
  switch (header.type) {
    case "version-negotiation": {
      const d = checkCid("destinationCid", header.destinationCid, 255);
      const s = checkCid("sourceCid", header.sourceCid, 255);
      const versions = header.supportedVersions;
      if (!Array.isArray(versions) || versions.length === 0)
        throw new RangeError("Cannot encode Version Negotiation: no supported versions");
      const out = new Uint8Array(1 + VERSION_LENGTH + 2 + d.length + s.length + versions.length * VERSION_LENGTH);
      let p = writeLongPrefix(
        out,
        PacketBits.HEADER_FORM | checkBits("unusedBits", header.unusedBits, 0x7f),
        QuicVersion.NEGOTIATION,
        d,
        s,
      );
      for (const v of versions) {
        put32(out, p, checkVersion(v));
        p += VERSION_LENGTH;
      }
      return out;
    }
    case "retry": {
      const version = checkVersion(header.version);
      const d = checkCid("destinationCid", header.destinationCid);
      const s = checkCid("sourceCid", header.sourceCid);
      if (!(header.token instanceof Uint8Array)) throw new TypeError("Cannot encode Retry: token must be a Uint8Array");
      if (!(header.integrityTag instanceof Uint8Array) || header.integrityTag.length !== RETRY_INTEGRITY_TAG_LENGTH)
        throw new RangeError("Cannot encode Retry: integrityTag must be 16 bytes");
      const out = new Uint8Array(7 + d.length + s.length + header.token.length + RETRY_INTEGRITY_TAG_LENGTH);
      const first =
        PacketBits.HEADER_FORM |
        PacketBits.FIXED_BIT |
        (longPacketTypeBits(version, "retry") << 4) |
        checkBits("unusedBits", header.unusedBits, PacketBits.LONG_PROTECTED);
      const p = writeLongPrefix(out, first, version, d, s);
      out.set(header.token, p);
      out.set(header.integrityTag, p + header.token.length);
      return out;
    }
    case "1-rtt": {
      checkPnFields(header);
      const d = checkCid("destinationCid", header.destinationCid);
      const out = new Uint8Array(1 + d.length + header.packetNumberLength);
      out[0] =
        (header.fixedBit === false ? 0 : PacketBits.FIXED_BIT) |
        (header.spinBit === true ? PacketBits.SPIN_BIT : 0) |
        (checkBits("reservedBits", header.reservedBits, 3) << 3) |
        (checkBits("keyPhase", header.keyPhase, 1) << 2) |
        (header.packetNumberLength - 1);
      out.set(d, 1);
      writeTruncatedPn(out, 1 + d.length, header.truncatedPacketNumber, header.packetNumberLength);
      return out;
    }
    case "initial":
    case "0-rtt":
    case "handshake": {
      checkPnFields(header);
      const version = checkVersion(header.version);
      const d = checkCid("destinationCid", header.destinationCid);
      const s = checkCid("sourceCid", header.sourceCid);
      const token = header.token ?? d.subarray(0, 0);
      if (!(token instanceof Uint8Array)) throw new TypeError("Cannot encode packet: token must be a Uint8Array");
      if (header.type !== "initial" && token.length > 0) throw new RangeError(`Cannot encode packet: a ${header.type} packet has no token`);
      const len = header.payloadLength;
      if (!Number.isSafeInteger(len) || len < header.packetNumberLength)
        throw new RangeError(
          `Cannot encode packet: payloadLength ${String(len)} is smaller than the ${header.packetNumberLength}-byte packet number`,
        );
      const lenBytes = header.lengthFieldLength ?? varintLength(len);
      const tokenLenBytes = header.type === "initial" ? varintLength(token.length) : 0;
      const out = new Uint8Array(7 + d.length + s.length + tokenLenBytes + token.length + lenBytes + header.packetNumberLength);
      const first =
        PacketBits.HEADER_FORM |
        (header.fixedBit === false ? 0 : PacketBits.FIXED_BIT) |
        (longPacketTypeBits(version, header.type) << 4) |
        (checkBits("reservedBits", header.reservedBits, 3) << 2) |
        (header.packetNumberLength - 1);
      let p = writeLongPrefix(out, first, version, d, s);
      if (header.type === "initial") {
        p = writeVarint(token.length, out, p);
        out.set(token, p);
        p += token.length;
      }
      p = writeVarint(len, out, p, lenBytes);
      writeTruncatedPn(out, p, header.truncatedPacketNumber, header.packetNumberLength);
      return out;
    }
    default: {
      const never: never = header;
      throw new TypeError(`Cannot encode packet: unknown type ${String((never as { type: unknown }).type)}`);
    }
  }
}

function writeTruncatedPn(out: Uint8Array, p: number, pn: number, n: number): void {
  for (let i = n - 1, v = pn; i >= 0; i--, v = Math.floor(v / 256)) out[p + i] = v & 0xff;
}
