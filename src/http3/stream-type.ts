/**
 * HTTP/3 unidirectional stream types (RFC 9114 §6.2, §11.2.4; RFC 9204 §4.2).
 *
 * ```
 * Unidirectional Stream Header {
 *   Stream Type (i),
 * }
 * Push Stream Header {
 *   Stream Type (i) = 0x01,
 *   Push ID (i),
 * }
 * ```
 *
 * @module
 */

import { takeVarintAny, varintLength, varintNeedMore, writeVarintTo } from "../quic/varint.js";
import { ByteWriter } from "../shared/byte-writer.js";
import type { Cursor } from "../shared/cursor.js";
import { NEED_MORE, type NeedMore } from "../shared/result.js";
import { isGreaseValue, registryName } from "./grease.js";

/** Unidirectional stream types. */
export const StreamType = {
  CONTROL: 0x00,
  PUSH: 0x01,
  /** RFC 9204 §4.2 */
  QPACK_ENCODER: 0x02,
  /** RFC 9204 §4.2 */
  QPACK_DECODER: 0x03,
} as const;

/** One of the {@link StreamType} values. */
export type StreamType = (typeof StreamType)[keyof typeof StreamType];

const NAMES = new Map<number, string>(Object.entries(StreamType).map(([k, v]) => [v, k]));

/** Whether `type` is a reserved (GREASE) stream type (RFC 9114 §6.2.3). Never throws. */
export function isReservedStreamType(type: number | bigint): boolean {
  return isGreaseValue(type);
}

/**
 * The RFC name of a stream type (`"CONTROL"`, `"QPACK_ENCODER"`),
 * `"GREASE_0x.."` or `"UNKNOWN_0x.."`. Never throws.
 */
export function streamTypeName(type: number | bigint): string {
  return registryName(NAMES, type);
}

/** A decoded unidirectional stream header. */
export interface UniStreamHeader {
  readonly status: "ok";
  /** The stream type (any value: unknown types are the caller's to ignore, §6.2). */
  readonly streamType: number | bigint;
  /** The push ID, for push streams only. */
  readonly pushId?: number | bigint;
  /** Bytes the header took; the stream's frames (or QPACK instructions) follow. */
  readonly length: number;
}

/** @deprecated Use {@link NeedMore} (the one need-more shape). */
export type UniStreamHeaderNeedMore = NeedMore;

/**
 * Reads the header of a unidirectional stream: its type, and for a push
 * stream the push ID that follows (RFC 9114 §6.2.2). Pure: no state, no
 * exception (every byte string is a valid prefix). When the input ends
 * inside it, `needed` counts the bytes that finish the varint being read;
 * for a push stream whose type is complete the push ID may need more after.
 *
 * @throws TypeError when `bytes` is not a `Uint8Array`; RangeError when
 *   `offset` is outside `0..bytes.length`
 * @example
 * ```ts
 * readUniStreamHeader(Uint8Array.of(0x01, 0x05, 0x01, 0x00));
 * // { status: "ok", streamType: 1, pushId: 5, length: 2 }
 * ```
 */
export function readUniStreamHeader(bytes: Uint8Array, offset = 0): UniStreamHeader | NeedMore {
  if (!(bytes instanceof Uint8Array)) throw new TypeError("Cannot read stream header: expected a Uint8Array");
  if (!Number.isInteger(offset) || offset < 0 || offset > bytes.length) {
    throw new RangeError(`Cannot read stream header: offset ${String(offset)} is outside 0..${bytes.length}`);
  }
  const c: Cursor = { buf: bytes, pos: offset, end: bytes.length };
  const streamType = takeVarintAny(c);
  if (streamType === NEED_MORE) return varintNeedMore(bytes, offset);
  if (streamType === StreamType.PUSH) {
    const at = c.pos;
    const pushId = takeVarintAny(c);
    if (pushId === NEED_MORE) return varintNeedMore(bytes, at);
    return { status: "ok", streamType, pushId, length: c.pos - offset };
  }
  return { status: "ok", streamType, length: c.pos - offset };
}

/**
 * Encodes a unidirectional stream header; `pushId` is required for, and
 * only allowed with, a push stream.
 *
 * @throws RangeError for out-of-range values or a misplaced/missing push ID
 * @example
 * ```ts
 * encodeUniStreamHeader(StreamType.CONTROL); // Uint8Array [0x00]
 * encodeUniStreamHeader(StreamType.PUSH, 3); // Uint8Array [0x01, 0x03]
 * ```
 */
export function encodeUniStreamHeader(streamType: number | bigint, pushId?: number | bigint): Uint8Array {
  varintLength(streamType);
  const isPush = streamType === StreamType.PUSH || streamType === BigInt(StreamType.PUSH);
  if (isPush !== (pushId !== undefined)) {
    throw new RangeError(
      isPush ? "Cannot encode push stream header: a push ID is required" : "Cannot encode stream header: only push streams carry a push ID",
    );
  }
  const w = new ByteWriter(16);
  writeVarintTo(w, streamType);
  if (pushId !== undefined) {
    varintLength(pushId);
    writeVarintTo(w, pushId);
  }
  return w.finish();
}
