/**
 * QUIC stream IDs (RFC 9000 §2.1) and the stream-count limits they imply
 * (RFC 9000 §4.6).
 *
 * ```
 *  stream ID = index * 4 + type        (62 bits, 0 .. 2^62 - 1)
 *  bit 0x01: initiator  0 = client, 1 = server
 *  bit 0x02: direction  0 = bidirectional, 1 = unidirectional
 * ```
 *
 * IDs, indices and counts are `number` when at most
 * `Number.MAX_SAFE_INTEGER` and `bigint` above it, as for varints; the
 * functions accept either. Caller mistakes (negative, non-integer, above
 * 2^62 - 1, an unsafe `number`) throw `RangeError`; limits received from a
 * peer are checked by {@link checkMaxStreams} and {@link checkStreamLimit},
 * which throw {@link QuicError} with the RFC's code.
 *
 * @module
 */

import { TransportErrorCode } from "./error-codes.js";
import { connectionError, QuicError } from "./errors.js";
import { compareVarints, MAX_VARINT, normalizeVarint as norm } from "./varint.js";

/** The four stream types of RFC 9000 §2.1 Table 1 (the two low bits of an ID). */
export const StreamIdType = {
  CLIENT_BIDI: 0x00,
  SERVER_BIDI: 0x01,
  CLIENT_UNI: 0x02,
  SERVER_UNI: 0x03,
} as const;

/** One of the {@link StreamIdType} values. */
export type StreamIdType = (typeof StreamIdType)[keyof typeof StreamIdType];

/** Which endpoint opened a stream. */
export type StreamInitiator = "client" | "server";
/** Whether data flows both ways or only from the initiator. */
export type StreamDirection = "bidi" | "uni";

/** The largest stream ID, 2^62 - 1. */
export const MAX_STREAM_ID = MAX_VARINT;

/**
 * The largest valid MAX_STREAMS value or max_streams transport parameter,
 * 2^60 (RFC 9000 §4.6, §19.11).
 */
export const MAX_STREAMS_LIMIT = 2n ** 60n;

const MAX_STREAMS_BIG = MAX_STREAMS_LIMIT;
/** Bit 0x01 of a stream ID: the initiator (0 client, 1 server). */
const INITIATOR_BIT = 0x01;
/** Bit 0x02 of a stream ID: the direction (0 bidirectional, 1 unidirectional). */
const DIRECTION_BIT = 0x02;
/** Stream IDs of one type are this far apart: the two low bits hold the type. */
const TYPE_STRIDE = 4;
const TYPE_STRIDE_BIG = 4n;
const TYPE_BITS_BIG = 3n;

function checkInt(what: string, v: number | bigint, max: bigint): void {
  if (typeof v === "number") {
    if (!Number.isInteger(v)) throw new RangeError(`Invalid ${what}: ${String(v)} is not an integer`);
    if (v < 0) throw new RangeError(`Invalid ${what}: ${v} is negative`);
    if (v > Number.MAX_SAFE_INTEGER) throw new RangeError(`Invalid ${what}: ${v} is above Number.MAX_SAFE_INTEGER; pass a bigint`);
    if (BigInt(v) > max) throw new RangeError(`Invalid ${what}: ${v} is above ${max}`);
  } else if (typeof v === "bigint") {
    if (v < 0n) throw new RangeError(`Invalid ${what}: ${v} is negative`);
    if (v > max) throw new RangeError(`Invalid ${what}: ${v} is above ${max}`);
  } else {
    throw new TypeError(`Invalid ${what}: expected a number or bigint, got ${typeof v}`);
  }
}

function checkId(id: number | bigint): void {
  checkInt("stream ID", id, MAX_STREAM_ID);
}

function checkType(type: number): asserts type is StreamIdType {
  if (
    type !== StreamIdType.CLIENT_BIDI &&
    type !== StreamIdType.SERVER_BIDI &&
    type !== StreamIdType.CLIENT_UNI &&
    type !== StreamIdType.SERVER_UNI
  ) {
    throw new RangeError(`Invalid stream type: ${String(type)} is not 0, 1, 2 or 3`);
  }
}

/**
 * Whether `value` is a valid stream ID: an integer 0..2^62 - 1 (a `number`
 * only up to `Number.MAX_SAFE_INTEGER`). Never throws.
 */
export function isValidStreamId(value: unknown): value is number | bigint {
  if (typeof value === "number") return Number.isSafeInteger(value) && value >= 0;
  if (typeof value === "bigint") return value >= 0n && value <= MAX_STREAM_ID;
  return false;
}

/**
 * The stream type: the two low bits of the ID.
 *
 * @throws RangeError for an invalid ID
 * @example
 * ```ts
 * streamIdType(6) === StreamIdType.CLIENT_UNI; // true
 * ```
 */
export function streamIdType(id: number | bigint): StreamIdType {
  checkId(id);
  return (typeof id === "number" ? id % TYPE_STRIDE : Number(id & TYPE_BITS_BIG)) as StreamIdType;
}

/**
 * Which endpoint opened the stream (bit 0x01).
 *
 * @throws RangeError for an invalid ID
 */
export function initiator(id: number | bigint): StreamInitiator {
  return (streamIdType(id) & INITIATOR_BIT) === 0 ? "client" : "server";
}

/**
 * Whether the stream is bidirectional or unidirectional (bit 0x02).
 *
 * @throws RangeError for an invalid ID
 */
export function direction(id: number | bigint): StreamDirection {
  return (streamIdType(id) & DIRECTION_BIT) === 0 ? "bidi" : "uni";
}

/** Whether the client opened the stream. @throws RangeError for an invalid ID */
export function isClientInitiated(id: number | bigint): boolean {
  return (streamIdType(id) & INITIATOR_BIT) === 0;
}

/** Whether the stream is bidirectional. @throws RangeError for an invalid ID */
export function isBidirectional(id: number | bigint): boolean {
  return (streamIdType(id) & DIRECTION_BIT) === 0;
}

/**
 * The stream's position among the streams of its type, from 0: `id >> 2`.
 *
 * @throws RangeError for an invalid ID
 * @example
 * ```ts
 * streamIndex(8); // 2 (the third client-initiated bidirectional stream)
 * ```
 */
export function streamIndex(id: number | bigint): number | bigint {
  checkId(id);
  return typeof id === "number" ? Math.floor(id / TYPE_STRIDE) : norm(id / TYPE_STRIDE_BIG);
}

/**
 * The ID of the `index`-th stream (from 0) of a type: `index * 4 + type`.
 *
 * @throws RangeError for a type other than 0..3, or an index whose ID would
 *   exceed 2^62 - 1
 * @example
 * ```ts
 * makeStreamId(StreamIdType.SERVER_UNI, 1); // 7
 * ```
 */
export function makeStreamId(type: StreamIdType, index: number | bigint): number | bigint {
  checkType(type);
  checkInt("stream index", index, MAX_STREAM_ID / TYPE_STRIDE_BIG);
  if (typeof index === "number" && index <= (Number.MAX_SAFE_INTEGER - StreamIdType.SERVER_UNI) / TYPE_STRIDE)
    return index * TYPE_STRIDE + type;
  return norm(BigInt(index) * TYPE_STRIDE_BIG + BigInt(type));
}

/**
 * The next stream ID of the same initiator and direction (`id + 4`), the
 * same shape as `httpwire/http2`'s `nextStreamId` (`id + 2` there).
 *
 * @throws RangeError for an invalid ID or when `id` is the last of its type
 *   (the next would be above 2^62 - 1)
 * @example
 * ```ts
 * nextStreamId(0); // 4
 * nextStreamId(3); // 7
 * ```
 */
export function nextStreamId(id: number | bigint): number | bigint {
  checkId(id);
  const next = BigInt(id) + TYPE_STRIDE_BIG;
  if (next > MAX_STREAM_ID) throw new RangeError(`No stream ID follows ${id}: ${next} is above 2^62 - 1`);
  return norm(next);
}

/**
 * Orders two stream IDs numerically (for sorting): negative, 0 or positive.
 *
 * @throws RangeError for an invalid ID
 */
export function compareStreamIds(a: number | bigint, b: number | bigint): number {
  checkId(a);
  checkId(b);
  return compareVarints(a, b);
}

/**
 * The highest stream ID of `type` that a MAX_STREAMS `count` allows, or
 * `undefined` when `count` is 0. RFC 9000 §4.6: only IDs below
 * `count * 4 + type` can be opened.
 *
 * @throws RangeError for a type other than 0..3 or a count outside 0..2^60
 * @example
 * ```ts
 * maxStreamIdForCount(StreamIdType.CLIENT_BIDI, 100); // 396
 * ```
 */
export function maxStreamIdForCount(type: StreamIdType, count: number | bigint): number | bigint | undefined {
  checkType(type);
  checkInt("stream count", count, MAX_STREAMS_BIG);
  if (count === 0 || count === 0n) return undefined;
  return norm((BigInt(count) - 1n) * TYPE_STRIDE_BIG + BigInt(type));
}

/**
 * The stream count a peer must allow before stream `id` can be opened:
 * `streamIndex(id) + 1` (opening a stream opens every lower one of its type,
 * RFC 9000 §2.1).
 *
 * @throws RangeError for an invalid ID
 */
export function streamCountToOpen(id: number | bigint): number | bigint {
  checkId(id);
  return typeof id === "number" ? Math.floor(id / TYPE_STRIDE) + 1 : norm(id / TYPE_STRIDE_BIG + 1n);
}

/**
 * Checks a received MAX_STREAMS value or max_streams transport parameter.
 *
 * @param count the received value (as decoded from its varint)
 * @param source where it came from: a frame or a transport parameter
 * @throws QuicError FRAME_ENCODING_ERROR (`max_streams_above_2_60`) for a
 *   frame value above 2^60, TRANSPORT_PARAMETER_ERROR (same reason) for a
 *   transport parameter (RFC 9000 §4.6); connection scope
 * @throws RangeError when `count` is not a non-negative integer
 */
export function checkMaxStreams(count: number | bigint, source: "frame" | "transport-parameter" = "frame"): void {
  checkInt("stream count", count, MAX_VARINT);
  if (BigInt(count) > MAX_STREAMS_BIG) {
    // RFC 9000 §4.6: a value greater than 2^60 MUST close the connection with
    // TRANSPORT_PARAMETER_ERROR (transport parameter) or FRAME_ENCODING_ERROR (frame).
    const code = source === "frame" ? TransportErrorCode.FRAME_ENCODING_ERROR : TransportErrorCode.TRANSPORT_PARAMETER_ERROR;
    throw connectionError(code, "max_streams_above_2_60", `Invalid max_streams: ${count} is above 2^60`);
  }
}

/**
 * Checks that a peer-opened stream `id` is within the MAX_STREAMS `count`
 * we advertised for its type.
 *
 * @throws QuicError STREAM_LIMIT_ERROR (`stream_limit_exceeded`), connection
 *   scope (RFC 9000 §4.6)
 * @throws RangeError for an invalid ID or count
 */
export function checkStreamLimit(id: number | bigint, count: number | bigint): void {
  checkId(id);
  checkInt("stream count", count, MAX_STREAMS_BIG);
  const needed = BigInt(streamCountToOpen(id));
  if (needed > BigInt(count)) {
    // RFC 9000 §4.6: a stream ID exceeding the limit it has sent MUST be a
    // connection error of type STREAM_LIMIT_ERROR. It names the stream, so it
    // is built directly rather than with connectionError().
    throw new QuicError(`Stream ${id} exceeds the stream limit ${count}`, TransportErrorCode.STREAM_LIMIT_ERROR, {
      reason: "stream_limit_exceeded",
      streamId: id,
    });
  }
}
