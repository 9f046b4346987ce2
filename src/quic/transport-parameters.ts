/**
 * QUIC transport parameters (RFC 9000 §7.4, §18; RFC 9368 §3 for
 * version_information; RFC 9221 §3 max_datagram_frame_size; RFC 9287
 * grease_quic_bit).
 *
 * ```
 * Transport Parameter {
 *   Transport Parameter ID (i),
 *   Transport Parameter Length (i),
 *   Transport Parameter Value (..),
 * }
 * ```
 *
 * They travel in the TLS quic_transport_parameters extension (0x39) of the
 * ClientHello and EncryptedExtensions; this module decodes and encodes the
 * extension's content.
 *
 * @module
 */

import { readU32 } from "../shared/byte-reader.js";
import { ByteWriter } from "../shared/byte-writer.js";
import { makeNameOf } from "../shared/code-table.js";
import type { Cursor } from "../shared/cursor.js";
import { NEED_MORE } from "../shared/result.js";
import { TransportErrorCode } from "./error-codes.js";
import { connectionError } from "./errors.js";
import { checkMaxStreams } from "./stream-id.js";
import { takeVarintAny, varintLength, writeVarintTo } from "./varint.js";

/** Transport parameter identifiers (RFC 9000 §18.2, RFC 9368, RFC 9221, RFC 9287). */
export const TransportParameterId = {
  ORIGINAL_DESTINATION_CONNECTION_ID: 0x00,
  MAX_IDLE_TIMEOUT: 0x01,
  STATELESS_RESET_TOKEN: 0x02,
  MAX_UDP_PAYLOAD_SIZE: 0x03,
  INITIAL_MAX_DATA: 0x04,
  INITIAL_MAX_STREAM_DATA_BIDI_LOCAL: 0x05,
  INITIAL_MAX_STREAM_DATA_BIDI_REMOTE: 0x06,
  INITIAL_MAX_STREAM_DATA_UNI: 0x07,
  INITIAL_MAX_STREAMS_BIDI: 0x08,
  INITIAL_MAX_STREAMS_UNI: 0x09,
  ACK_DELAY_EXPONENT: 0x0a,
  MAX_ACK_DELAY: 0x0b,
  DISABLE_ACTIVE_MIGRATION: 0x0c,
  PREFERRED_ADDRESS: 0x0d,
  ACTIVE_CONNECTION_ID_LIMIT: 0x0e,
  INITIAL_SOURCE_CONNECTION_ID: 0x0f,
  RETRY_SOURCE_CONNECTION_ID: 0x10,
  /** RFC 9368 §3 (QUIC version 2 deployments send it). */
  VERSION_INFORMATION: 0x11,
  /** RFC 9221 §3. */
  MAX_DATAGRAM_FRAME_SIZE: 0x20,
  /** RFC 9287 §3. */
  GREASE_QUIC_BIT: 0x2ab2,
} as const;

/** One of the {@link TransportParameterId} values. */
export type TransportParameterId = (typeof TransportParameterId)[keyof typeof TransportParameterId];

const baseName = makeNameOf(TransportParameterId);

/** Whether `id` is a reserved (GREASE) identifier `31 * N + 27` (RFC 9000 §18.1). */
export function isReservedTransportParameter(id: number | bigint): boolean {
  return typeof id === "number" ? id >= 27 && (id - 27) % 31 === 0 : id >= 27n && (id - 27n) % 31n === 0n;
}

/**
 * The RFC name of a transport parameter (`"max_idle_timeout"`),
 * `"GREASE_0x.."` for reserved ones, `"UNKNOWN_0x.."` otherwise. Never throws.
 */
export function transportParameterName(id: number | bigint): string {
  const n = baseName(id);
  if (!n.startsWith("UNKNOWN_")) return n.toLowerCase();
  return isReservedTransportParameter(id) ? n.replace("UNKNOWN_", "GREASE_") : n;
}

/** The preferred_address value (RFC 9000 §18.2, Figure 22). */
export interface PreferredAddress {
  /** 4 bytes (all zero when the server has no IPv4 address to offer). */
  readonly ipv4Address: Uint8Array;
  readonly ipv4Port: number;
  /** 16 bytes. */
  readonly ipv6Address: Uint8Array;
  readonly ipv6Port: number;
  /** 1 to 20 bytes. */
  readonly connectionId: Uint8Array;
  /** 16 bytes. */
  readonly statelessResetToken: Uint8Array;
}

/** The version_information value (RFC 9368 §3). */
export interface VersionInformation {
  /** The version in use (never 0). */
  readonly chosenVersion: number;
  /** The versions the endpoint supports, in its order of preference (may hold GREASE versions, never 0). */
  readonly availableVersions: readonly number[];
}

/** A transport parameter this module has no meaning for (GREASE ones included), kept as bytes. */
export interface UnknownTransportParameter {
  readonly id: number | bigint;
  /** Whether `id` is reserved (`31 * N + 27`, RFC 9000 §18.1). */
  readonly reserved: boolean;
  /** The value bytes (a view). */
  readonly value: Uint8Array;
}

/**
 * Decoded transport parameters: a field per known parameter (absent when
 * not sent; RFC 9000 §18.2 gives the defaults), the unknown ones, and the
 * identifiers in the order they came, so that encoding gives the same
 * bytes back. Connection IDs, tokens and unknown values are views.
 */
export interface TransportParameters {
  readonly originalDestinationConnectionId?: Uint8Array;
  /** Milliseconds; 0 or absent means no timeout. */
  readonly maxIdleTimeout?: number | bigint;
  /** 16 bytes. */
  readonly statelessResetToken?: Uint8Array;
  /** At least 1200; default 65527. */
  readonly maxUdpPayloadSize?: number | bigint;
  readonly initialMaxData?: number | bigint;
  readonly initialMaxStreamDataBidiLocal?: number | bigint;
  readonly initialMaxStreamDataBidiRemote?: number | bigint;
  readonly initialMaxStreamDataUni?: number | bigint;
  /** At most 2^60. */
  readonly initialMaxStreamsBidi?: number | bigint;
  /** At most 2^60. */
  readonly initialMaxStreamsUni?: number | bigint;
  /** At most 20; default 3. */
  readonly ackDelayExponent?: number;
  /** Milliseconds, below 2^14; default 25. */
  readonly maxAckDelay?: number;
  /** `true` when the (empty) parameter is present. */
  readonly disableActiveMigration?: boolean;
  readonly preferredAddress?: PreferredAddress;
  /** At least 2; default 2. */
  readonly activeConnectionIdLimit?: number | bigint;
  readonly initialSourceConnectionId?: Uint8Array;
  readonly retrySourceConnectionId?: Uint8Array;
  readonly versionInformation?: VersionInformation;
  readonly maxDatagramFrameSize?: number | bigint;
  /** `true` when the (empty) parameter is present: the peer accepts a greased fixed bit. */
  readonly greaseQuicBit?: boolean;
  /** Parameters of other identifiers, in wire order. */
  readonly unknown?: readonly UnknownTransportParameter[];
  /** Every identifier in wire order; {@link encodeTransportParameters} follows it when present. */
  readonly order?: readonly (number | bigint)[];
}

type VarintKey =
  | "maxIdleTimeout"
  | "maxUdpPayloadSize"
  | "initialMaxData"
  | "initialMaxStreamDataBidiLocal"
  | "initialMaxStreamDataBidiRemote"
  | "initialMaxStreamDataUni"
  | "initialMaxStreamsBidi"
  | "initialMaxStreamsUni"
  | "ackDelayExponent"
  | "maxAckDelay"
  | "activeConnectionIdLimit"
  | "maxDatagramFrameSize";
type CidKey = "originalDestinationConnectionId" | "initialSourceConnectionId" | "retrySourceConnectionId";
type FlagKey = "disableActiveMigration" | "greaseQuicBit";
type Key = VarintKey | CidKey | FlagKey | "statelessResetToken" | "preferredAddress" | "versionInformation";

const ID = TransportParameterId;

/** Each known identifier's field and value shape. */
const KEYS = new Map<number, [Key, "varint" | "cid" | "flag" | "token" | "preferred-address" | "version-information"]>([
  [ID.ORIGINAL_DESTINATION_CONNECTION_ID, ["originalDestinationConnectionId", "cid"]],
  [ID.MAX_IDLE_TIMEOUT, ["maxIdleTimeout", "varint"]],
  [ID.STATELESS_RESET_TOKEN, ["statelessResetToken", "token"]],
  [ID.MAX_UDP_PAYLOAD_SIZE, ["maxUdpPayloadSize", "varint"]],
  [ID.INITIAL_MAX_DATA, ["initialMaxData", "varint"]],
  [ID.INITIAL_MAX_STREAM_DATA_BIDI_LOCAL, ["initialMaxStreamDataBidiLocal", "varint"]],
  [ID.INITIAL_MAX_STREAM_DATA_BIDI_REMOTE, ["initialMaxStreamDataBidiRemote", "varint"]],
  [ID.INITIAL_MAX_STREAM_DATA_UNI, ["initialMaxStreamDataUni", "varint"]],
  [ID.INITIAL_MAX_STREAMS_BIDI, ["initialMaxStreamsBidi", "varint"]],
  [ID.INITIAL_MAX_STREAMS_UNI, ["initialMaxStreamsUni", "varint"]],
  [ID.ACK_DELAY_EXPONENT, ["ackDelayExponent", "varint"]],
  [ID.MAX_ACK_DELAY, ["maxAckDelay", "varint"]],
  [ID.DISABLE_ACTIVE_MIGRATION, ["disableActiveMigration", "flag"]],
  [ID.PREFERRED_ADDRESS, ["preferredAddress", "preferred-address"]],
  [ID.ACTIVE_CONNECTION_ID_LIMIT, ["activeConnectionIdLimit", "varint"]],
  [ID.INITIAL_SOURCE_CONNECTION_ID, ["initialSourceConnectionId", "cid"]],
  [ID.RETRY_SOURCE_CONNECTION_ID, ["retrySourceConnectionId", "cid"]],
  [ID.VERSION_INFORMATION, ["versionInformation", "version-information"]],
  [ID.MAX_DATAGRAM_FRAME_SIZE, ["maxDatagramFrameSize", "varint"]],
  [ID.GREASE_QUIC_BIT, ["greaseQuicBit", "flag"]],
]);
const ID_OF = new Map<Key, number>([...KEYS].map(([id, [key]]) => [key, id]));

/** Parameters only a server may send (RFC 9000 §18.2). */
function isServerOnly(id: number): boolean {
  return (
    id === ID.ORIGINAL_DESTINATION_CONNECTION_ID ||
    id === ID.STATELESS_RESET_TOKEN ||
    id === ID.PREFERRED_ADDRESS ||
    id === ID.RETRY_SOURCE_CONNECTION_ID
  );
}

const MAX_CID = 20;
const TOKEN_LENGTH = 16;
const MIN_UDP_PAYLOAD = 1200;
const MAX_ACK_DELAY_EXPONENT = 20;
const MAX_ACK_DELAY_LIMIT = 2 ** 14;
const MIN_ACTIVE_CID_LIMIT = 2;
const VERSION_BYTES = 4;
/** IPv4 address + port + IPv6 address + port + CID length byte. */
const PREFERRED_FIXED = 4 + 2 + 16 + 2 + 1;

/** Options of {@link decodeTransportParameters}. */
export interface DecodeTransportParametersOptions {
  /**
   * Which endpoint sent the parameters. With `"client"`, a server-only
   * parameter (original_destination_connection_id, stateless_reset_token,
   * preferred_address, retry_source_connection_id) is
   * TRANSPORT_PARAMETER_ERROR (RFC 9000 §18.2).
   */
  readonly sender?: "client" | "server";
}

function tpError(reason: string, message: string, offset: number): never {
  // RFC 9000 §7.4: "An endpoint MUST treat receipt of a transport parameter
  // with an invalid value as a connection error of type TRANSPORT_PARAMETER_ERROR."
  throw connectionError(TransportErrorCode.TRANSPORT_PARAMETER_ERROR, reason, message, offset);
}

function varintValue(value: Uint8Array, id: number, at: number): number | bigint {
  const c: Cursor = { buf: value, pos: 0, end: value.length };
  const v = takeVarintAny(c);
  if (v === NEED_MORE || c.pos !== value.length) {
    tpError(
      "transport_parameter_value_invalid",
      `Invalid transport parameter ${transportParameterName(id)}: its ${value.length}-byte value is not exactly one varint`,
      at,
    );
  }
  return v;
}

function checkVarintRule(id: number, v: number | bigint, at: number): void {
  const name = transportParameterName(id);
  switch (id) {
    case ID.MAX_UDP_PAYLOAD_SIZE:
      // RFC 9000 §18.2: "Values below 1200 are invalid."
      if (v < MIN_UDP_PAYLOAD) tpError("max_udp_payload_size_below_1200", `Invalid transport parameter ${name}: ${v} is below 1200`, at);
      return;
    case ID.ACK_DELAY_EXPONENT:
      // RFC 9000 §18.2: "Values above 20 are invalid."
      if (v > MAX_ACK_DELAY_EXPONENT) tpError("ack_delay_exponent_above_20", `Invalid transport parameter ${name}: ${v} is above 20`, at);
      return;
    case ID.MAX_ACK_DELAY:
      // RFC 9000 §18.2: "Values of 2^14 or greater are invalid."
      if (v >= MAX_ACK_DELAY_LIMIT) tpError("max_ack_delay_above_2_14", `Invalid transport parameter ${name}: ${v} is 2^14 or more`, at);
      return;
    case ID.ACTIVE_CONNECTION_ID_LIMIT:
      // RFC 9000 §18.2: "The value of the active_connection_id_limit parameter MUST be at least 2."
      if (v < MIN_ACTIVE_CID_LIMIT)
        tpError("active_connection_id_limit_below_2", `Invalid transport parameter ${name}: ${v} is below 2`, at);
      return;
    case ID.INITIAL_MAX_STREAMS_BIDI:
    case ID.INITIAL_MAX_STREAMS_UNI:
      // RFC 9000 §4.6, §18.2: above 2^60 MUST be TRANSPORT_PARAMETER_ERROR.
      try {
        checkMaxStreams(v, "transport-parameter");
      } catch (e) {
        tpError("max_streams_above_2_60", `Invalid transport parameter ${name}: ${v} is above 2^60 (${(e as Error).message})`, at);
      }
      return;
    default:
      return;
  }
}

function decodePreferredAddress(value: Uint8Array, at: number): PreferredAddress {
  const bad = (why: string): never => tpError("preferred_address_invalid", `Invalid transport parameter preferred_address: ${why}`, at);
  if (value.length < PREFERRED_FIXED) bad(`${value.length} bytes cannot hold its fixed fields`);
  const cidLength = value[PREFERRED_FIXED - 1]!;
  // RFC 9000 §18.2: a server MUST NOT include a zero-length connection ID here;
  // a client MAY treat it as TRANSPORT_PARAMETER_ERROR (this one does).
  if (cidLength < 1 || cidLength > MAX_CID) bad(`connection ID length ${cidLength} is not 1..20`);
  if (value.length !== PREFERRED_FIXED + cidLength + TOKEN_LENGTH)
    bad(`${value.length} bytes, not ${PREFERRED_FIXED + cidLength + TOKEN_LENGTH} for a ${cidLength}-byte connection ID`);
  return {
    ipv4Address: value.subarray(0, 4),
    ipv4Port: (value[4]! << 8) | value[5]!,
    ipv6Address: value.subarray(6, 22),
    ipv6Port: (value[22]! << 8) | value[23]!,
    connectionId: value.subarray(PREFERRED_FIXED, PREFERRED_FIXED + cidLength),
    statelessResetToken: value.subarray(PREFERRED_FIXED + cidLength),
  };
}

function decodeVersionInformation(value: Uint8Array, at: number): VersionInformation {
  // RFC 9368 §4: a version_information whose length is not a positive multiple
  // of 4, or whose Chosen Version (or any Available Version) is 0, MUST be
  // TRANSPORT_PARAMETER_ERROR.
  if (value.length === 0 || value.length % VERSION_BYTES !== 0)
    tpError(
      "version_information_invalid",
      `Invalid transport parameter version_information: ${value.length} bytes is not a positive multiple of 4`,
      at,
    );
  const chosenVersion = readU32(value, 0);
  const availableVersions: number[] = [];
  for (let p = VERSION_BYTES; p < value.length; p += VERSION_BYTES) availableVersions.push(readU32(value, p));
  if (chosenVersion === 0 || availableVersions.includes(0))
    tpError("version_information_invalid", "Invalid transport parameter version_information: a version is 0", at);
  return { chosenVersion, availableVersions };
}

/**
 * Decodes the content of a quic_transport_parameters TLS extension, every
 * rule of RFC 9000 §18 checked. Unknown and reserved (GREASE) parameters are
 * kept in `unknown`; `order` lists every identifier as it came.
 *
 * @throws QuicError TRANSPORT_PARAMETER_ERROR, connection scope:
 *   `transport_parameter_truncated`, `transport_parameter_duplicate` (§7.4),
 *   `transport_parameter_server_only` (with `sender: "client"`, §18.2),
 *   `transport_parameter_value_invalid` (a varint parameter that is not
 *   exactly one varint, a flag that is not empty), `connection_id_too_long`,
 *   `stateless_reset_token_length_invalid`, `max_udp_payload_size_below_1200`,
 *   `ack_delay_exponent_above_20`, `max_ack_delay_above_2_14`,
 *   `active_connection_id_limit_below_2`, `max_streams_above_2_60`,
 *   `preferred_address_invalid`, `version_information_invalid` (RFC 9368)
 * @throws TypeError / RangeError for bad arguments
 * @example
 * ```ts
 * decodeTransportParameters(Uint8Array.of(0x01, 0x02, 0x67, 0x10, 0x0c, 0x00));
 * // { maxIdleTimeout: 10000, disableActiveMigration: true, order: [1, 12] }
 * ```
 */
export function decodeTransportParameters(bytes: Uint8Array, options?: DecodeTransportParametersOptions): TransportParameters {
  if (!(bytes instanceof Uint8Array)) throw new TypeError("decodeTransportParameters: expected a Uint8Array");
  const sender = options?.sender;
  if (sender !== undefined && sender !== "client" && sender !== "server")
    throw new RangeError(`decodeTransportParameters: option sender must be "client" or "server", got ${String(sender)}`);
  const out: Record<string, unknown> = {};
  const unknown: UnknownTransportParameter[] = [];
  const order: (number | bigint)[] = [];
  const seen = new Set<number | string>();
  const c: Cursor = { buf: bytes, pos: 0, end: bytes.length };
  while (c.pos < c.end) {
    const at = c.pos;
    const id = takeVarintAny(c);
    const length = id === NEED_MORE ? NEED_MORE : takeVarintAny(c);
    if (id === NEED_MORE || length === NEED_MORE || typeof length === "bigint" || length > c.end - c.pos) {
      tpError("transport_parameter_truncated", "Invalid transport parameters: the extension ends inside a parameter", at);
    }
    const value = bytes.subarray(c.pos, c.pos + length);
    c.pos += length;
    const key = typeof id === "number" ? id : id.toString();
    if (seen.has(key)) {
      // RFC 9000 §7.4: "An endpoint MUST NOT send a parameter more than once in a
      // given transport parameters extension. An endpoint SHOULD treat receipt of
      // duplicate transport parameters as a connection error of type TRANSPORT_PARAMETER_ERROR."
      tpError("transport_parameter_duplicate", `Invalid transport parameters: ${transportParameterName(id)} occurs twice`, at);
    }
    seen.add(key);
    order.push(id);
    const known = typeof id === "number" ? KEYS.get(id) : undefined;
    if (known === undefined) {
      unknown.push({ id, reserved: isReservedTransportParameter(id), value });
      continue;
    }
    const nid = id as number;
    if (sender === "client" && isServerOnly(nid)) {
      // RFC 9000 §18.2: "A server MUST treat receipt of any of these transport
      // parameters as a connection error of type TRANSPORT_PARAMETER_ERROR."
      tpError(
        "transport_parameter_server_only",
        `Invalid transport parameters: ${transportParameterName(nid)} is server-only, sent by a client`,
        at,
      );
    }
    const [field, shape] = known;
    switch (shape) {
      case "varint": {
        const v = varintValue(value, nid, at);
        checkVarintRule(nid, v, at);
        out[field] = v;
        break;
      }
      case "cid":
        if (value.length > MAX_CID)
          tpError(
            "connection_id_too_long",
            `Invalid transport parameter ${transportParameterName(nid)}: ${value.length} bytes, above 20`,
            at,
          );
        out[field] = value;
        break;
      case "token":
        if (value.length !== TOKEN_LENGTH)
          tpError(
            "stateless_reset_token_length_invalid",
            `Invalid transport parameter stateless_reset_token: ${value.length} bytes, not 16`,
            at,
          );
        out[field] = value;
        break;
      case "flag":
        if (value.length !== 0)
          tpError(
            "transport_parameter_value_invalid",
            `Invalid transport parameter ${transportParameterName(nid)}: ${value.length} bytes, not empty`,
            at,
          );
        out[field] = true;
        break;
      case "preferred-address":
        out[field] = decodePreferredAddress(value, at);
        break;
      case "version-information":
        out[field] = decodeVersionInformation(value, at);
        break;
    }
  }
  if (unknown.length > 0) out.unknown = unknown;
  out.order = order;
  return out as TransportParameters;
}

function checkBytes(name: string, v: unknown, min: number, max: number): Uint8Array {
  if (!(v instanceof Uint8Array)) throw new TypeError(`Cannot encode transport parameter ${name}: expected a Uint8Array`);
  if (v.length < min || v.length > max)
    throw new RangeError(`Cannot encode transport parameter ${name}: ${v.length} bytes, not ${min === max ? min : `${min}..${max}`}`);
  return v;
}

function checkVarintForEncode(id: number, v: unknown): number | bigint {
  const name = transportParameterName(id);
  if (typeof v !== "number" && typeof v !== "bigint")
    throw new TypeError(`Cannot encode transport parameter ${name}: expected a number or bigint`);
  varintLength(v);
  try {
    checkVarintRule(id, v, 0);
  } catch (e) {
    throw new RangeError(`Cannot encode transport parameter ${name}: ${(e as Error).message}`);
  }
  return v;
}

function writeParam(w: ByteWriter, id: number, value: unknown): void {
  const known = KEYS.get(id)!;
  const name = transportParameterName(id);
  writeVarintTo(w, id);
  switch (known[1]) {
    case "varint": {
      const v = checkVarintForEncode(id, value);
      writeVarintTo(w, varintLength(v));
      writeVarintTo(w, v);
      return;
    }
    case "cid":
    case "token": {
      const b = known[1] === "cid" ? checkBytes(name, value, 0, MAX_CID) : checkBytes(name, value, TOKEN_LENGTH, TOKEN_LENGTH);
      writeVarintTo(w, b.length);
      w.bytes(b);
      return;
    }
    case "flag":
      if (value !== true) throw new RangeError(`Cannot encode transport parameter ${name}: a flag is sent only as true`);
      writeVarintTo(w, 0);
      return;
    case "preferred-address": {
      const p = value as PreferredAddress;
      const v4 = checkBytes(`${name} ipv4Address`, p.ipv4Address, 4, 4);
      const v6 = checkBytes(`${name} ipv6Address`, p.ipv6Address, 16, 16);
      const cid = checkBytes(`${name} connectionId`, p.connectionId, 1, MAX_CID);
      const token = checkBytes(`${name} statelessResetToken`, p.statelessResetToken, TOKEN_LENGTH, TOKEN_LENGTH);
      for (const port of [p.ipv4Port, p.ipv6Port])
        if (!Number.isInteger(port) || port < 0 || port > 0xffff)
          throw new RangeError(`Cannot encode ${name}: port ${String(port)} is not 0..65535`);
      writeVarintTo(w, PREFERRED_FIXED + cid.length + TOKEN_LENGTH);
      w.bytes(v4);
      w.u16(p.ipv4Port);
      w.bytes(v6);
      w.u16(p.ipv6Port);
      w.u8(cid.length);
      w.bytes(cid);
      w.bytes(token);
      return;
    }
    case "version-information": {
      const vi = value as VersionInformation;
      const all = [vi.chosenVersion, ...vi.availableVersions];
      for (const v of all)
        if (!Number.isInteger(v) || v <= 0 || v > 0xffffffff)
          throw new RangeError(`Cannot encode ${name}: version ${String(v)} is not 1..2^32 - 1`);
      writeVarintTo(w, all.length * VERSION_BYTES);
      for (const v of all) w.u32(v);
      return;
    }
  }
}

/**
 * Encodes transport parameters: the inverse of
 * {@link decodeTransportParameters}. Parameters go in `order` when it is
 * given (it must list exactly the parameters present), else known ones by
 * identifier and then the unknown ones. Varint values use minimal encodings.
 *
 * @throws RangeError / TypeError for a value the RFC forbids (the same rules
 *   the decoder checks) or an `order` that does not match the parameters
 * @example
 * ```ts
 * encodeTransportParameters({ maxIdleTimeout: 10000, disableActiveMigration: true });
 * // Uint8Array [0x01, 0x02, 0x67, 0x10, 0x0c, 0x00]
 * ```
 */
export function encodeTransportParameters(params: TransportParameters): Uint8Array {
  if (typeof params !== "object" || params === null) throw new TypeError("encodeTransportParameters: expected an object");
  const present = new Map<string, () => void>();
  const w = new ByteWriter(128);
  const keyOf = (id: number | bigint) => (typeof id === "number" ? String(id) : id.toString());
  for (const [key, id] of ID_OF) {
    const value = (params as Record<string, unknown>)[key];
    if (value === undefined || value === false) continue;
    present.set(String(id), () => writeParam(w, id, value));
  }
  for (const u of params.unknown ?? []) {
    if (typeof u.id === "number" && KEYS.has(u.id))
      throw new RangeError(
        `Cannot encode transport parameters: ${transportParameterName(u.id)} must be given as its own field, not as unknown`,
      );
    varintLength(u.id);
    const value = checkBytes(transportParameterName(u.id), u.value, 0, Number.MAX_SAFE_INTEGER);
    const k = keyOf(u.id);
    if (present.has(k)) throw new RangeError(`Cannot encode transport parameters: ${transportParameterName(u.id)} occurs twice`);
    present.set(k, () => {
      writeVarintTo(w, u.id);
      writeVarintTo(w, value.length);
      w.bytes(value);
    });
  }
  const order = params.order?.map(keyOf) ?? [...present.keys()];
  if (order.length !== present.size || order.some((k) => !present.has(k)) || new Set(order).size !== order.length)
    throw new RangeError("Cannot encode transport parameters: order does not list exactly the parameters present");
  for (const k of order) present.get(k)!();
  return w.finish();
}
