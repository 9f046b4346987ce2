/**
 * QUIC variable-length integers (RFC 9000 §16).
 *
 * ```
 * +------+--------+-------------+-----------------------+
 * | 2MSB | Length | Usable Bits | Range                 |
 * +------+--------+-------------+-----------------------+
 * | 00   | 1      | 6           | 0-63                  |
 * | 01   | 2      | 14          | 0-16383               |
 * | 10   | 4      | 30          | 0-1073741823          |
 * | 11   | 8      | 62          | 0-4611686018427387903 |
 * +------+--------+-------------+-----------------------+
 * ```
 *
 * Values are `number` when they are at most `Number.MAX_SAFE_INTEGER`
 * (2^53 - 1) and `bigint` above it, typed `number | bigint`; every reader
 * has a `...Big` twin that always returns `bigint`. The 8-byte form is read
 * as two 32-bit halves and a `bigint` is built only when the high half is too
 * large for an exact `number`, so no value is ever rounded.
 *
 * Non-minimal encodings are legal (RFC 9000 §16: 0x4025 decodes to 37, as
 * does 0x25); the readers accept them and report the length used.
 *
 * Names follow docs/architecture.md "Conventions": {@link readVarint} reads
 * one varint at a position of a byte stream and returns
 * `{ status: "ok", value, length }` or {@link NeedMore}; {@link writeVarint}
 * writes into the caller's memory and returns the end offset. The cursor
 * readers `takeVarint*` are internal and return the shared sentinels.
 *
 * @module
 */

import type { ByteWriter } from "../shared/byte-writer.js";
import type { Cursor } from "../shared/cursor.js";
import { NEED_MORE, type NeedMore, needMore, OVERFLOW } from "../shared/result.js";

/** The largest value a varint can hold, 2^62 - 1 (RFC 9000 §16). */
export const MAX_VARINT = 2n ** 62n - 1n;

/** The largest varint that decodes to a `number`: `Number.MAX_SAFE_INTEGER`. */
export const MAX_VARINT_NUMBER = Number.MAX_SAFE_INTEGER;

/** The byte lengths a varint can have. */
export type VarintLength = 1 | 2 | 4 | 8;

/** A varint read by {@link readVarint} or {@link readVarintBig}. */
export interface ReadVarintResult<V = number | bigint> {
  readonly status: "ok";
  /** The value. */
  readonly value: V;
  /** How many bytes the encoding took (1, 2, 4 or 8). */
  readonly length: VarintLength;
}

/** @deprecated Use {@link ReadVarintResult}. */
export type DecodedVarint<V> = ReadVarintResult<V>;
/** @deprecated Use {@link NeedMore} (the one need-more shape). */
export type VarintNeedMore = NeedMore;
/** @deprecated Use `ReadVarintResult<V> | NeedMore`. */
export type VarintResult<V = number | bigint> = ReadVarintResult<V> | NeedMore;

const TWO_POW_32 = 2 ** 32;
/** Highest high half (after masking) whose 8-byte value is a safe integer. */
const MAX_SAFE_HI = 0x1fffff;
const MAX_SAFE_BIG = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * The length of a varint from its first byte: `1 << (byte >> 6)`.
 *
 * @throws RangeError when `firstByte` is not an integer 0..255
 * @example
 * ```ts
 * varintLengthOfFirstByte(0x7b); // 2
 * ```
 */
export function varintLengthOfFirstByte(firstByte: number): VarintLength {
  if (!Number.isInteger(firstByte) || firstByte < 0 || firstByte > 0xff) {
    throw new RangeError(`Cannot read varint length: first byte ${String(firstByte)} is not an integer 0..255`);
  }
  return (1 << (firstByte >> 6)) as VarintLength;
}

function checkValue(value: number | bigint): void {
  if (typeof value === "number") {
    if (Number.isNaN(value) || !Number.isInteger(value)) {
      throw new RangeError(`Cannot encode varint: ${String(value)} is not an integer`);
    }
    if (value < 0) throw new RangeError(`Cannot encode varint: ${value} is negative`);
    if (value > Number.MAX_SAFE_INTEGER) {
      // Such a number may already have been rounded; refuse rather than guess.
      throw new RangeError(`Cannot encode varint: ${value} is above Number.MAX_SAFE_INTEGER; pass a bigint`);
    }
  } else if (typeof value === "bigint") {
    if (value < 0n) throw new RangeError(`Cannot encode varint: ${value} is negative`);
    if (value > MAX_VARINT) throw new RangeError(`Cannot encode varint: ${value} is above 2^62 - 1`);
  } else {
    throw new TypeError(`Cannot encode varint: expected a number or bigint, got ${typeof value}`);
  }
}

function lengthOfChecked(value: number | bigint): VarintLength {
  if (typeof value === "number") {
    if (value <= 63) return 1;
    if (value <= 16383) return 2;
    if (value <= 1073741823) return 4;
    return 8;
  }
  if (value <= 63n) return 1;
  if (value <= 16383n) return 2;
  if (value <= 1073741823n) return 4;
  return 8;
}

/**
 * The minimal encoded size of `value`, in bytes.
 *
 * @throws RangeError when `value` is negative, not an integer, above 2^62 - 1,
 *   or a `number` above `Number.MAX_SAFE_INTEGER`; TypeError when not a number or bigint
 * @example
 * ```ts
 * varintLength(15293); // 2
 * varintLength(2n ** 62n - 1n); // 8
 * ```
 */
export function varintLength(value: number | bigint): VarintLength {
  checkValue(value);
  return lengthOfChecked(value);
}

function checkLength(value: number | bigint, length: number | undefined): VarintLength {
  const min = lengthOfChecked(value);
  if (length === undefined) return min;
  if (length !== 1 && length !== 2 && length !== 4 && length !== 8) {
    throw new RangeError(`Cannot encode varint: length ${String(length)} is not 1, 2, 4 or 8`);
  }
  if (length < min) {
    throw new RangeError(`Cannot encode varint: ${value} needs ${min} bytes, more than the requested ${length}`);
  }
  return length;
}

/** Writes a checked value with a checked length; the caller ensured room. */
function put(buf: Uint8Array, p: number, value: number | bigint, length: VarintLength): void {
  if (length === 8) {
    let hi: number;
    let lo: number;
    if (typeof value === "number") {
      hi = Math.floor(value / TWO_POW_32);
      lo = value - hi * TWO_POW_32;
    } else {
      hi = Number(value >> 32n);
      lo = Number(value & 0xffffffffn);
    }
    hi |= 0xc0000000;
    buf[p] = hi >>> 24;
    buf[p + 1] = hi >>> 16;
    buf[p + 2] = hi >>> 8;
    buf[p + 3] = hi;
    buf[p + 4] = lo >>> 24;
    buf[p + 5] = lo >>> 16;
    buf[p + 6] = lo >>> 8;
    buf[p + 7] = lo;
    return;
  }
  const v = Number(value);
  if (length === 1) {
    buf[p] = v;
  } else if (length === 2) {
    buf[p] = 0x40 | (v >>> 8);
    buf[p + 1] = v;
  } else {
    buf[p] = 0x80 | (v >>> 24);
    buf[p + 1] = v >>> 16;
    buf[p + 2] = v >>> 8;
    buf[p + 3] = v;
  }
}

/**
 * Encodes `value` as a new `Uint8Array`, in its minimal length or in the
 * requested `length` (1, 2, 4 or 8) when the value fits.
 *
 * @throws RangeError for a value out of range (see {@link varintLength}), a
 *   length other than 1, 2, 4 or 8, or one too short for the value
 * @example
 * ```ts
 * encodeVarint(15293); // Uint8Array [0x7b, 0xbd]
 * encodeVarint(37, 2); // Uint8Array [0x40, 0x25]
 * ```
 */
export function encodeVarint(value: number | bigint, length?: VarintLength): Uint8Array {
  checkValue(value);
  const n = checkLength(value, length);
  const out = new Uint8Array(n);
  put(out, 0, value, n);
  return out;
}

/**
 * Writes `value` into `bytes` at `offset` without allocating, minimal or in
 * the requested `length`.
 *
 * @returns the end offset: `offset` plus the bytes written
 * @throws RangeError as {@link encodeVarint}, or when `bytes` has no room at `offset`
 * @example
 * ```ts
 * const buf = new Uint8Array(8);
 * writeVarint(494878333, buf, 2); // 6, buf[2..6] = 9d 7f 3e 7d
 * ```
 */
export function writeVarint(value: number | bigint, bytes: Uint8Array, offset = 0, length?: VarintLength): number {
  checkValue(value);
  const n = checkLength(value, length);
  if (!Number.isInteger(offset) || offset < 0 || offset + n > bytes.length) {
    throw new RangeError(`Cannot write varint: ${n} bytes at offset ${offset} do not fit in ${bytes.length} bytes`);
  }
  put(bytes, offset, value, n);
  return offset + n;
}

/**
 * Appends a varint to a {@link ByteWriter}. Internal hot path: `value` must
 * already be a valid varint value (safe `number` or in-range `bigint`).
 * @internal
 */
export function writeVarintTo(w: ByteWriter, value: number | bigint, length?: VarintLength): void {
  const n = length ?? lengthOfChecked(value);
  w.ensure(n);
  put(w.buf, w.pos, value, n);
  w.pos += n;
}

/**
 * Takes a varint at `cursor.pos` as a `number`, advancing `pos` past it.
 * Internal hot path: no allocation, no exception.
 *
 * @returns the value (>= 0), `NEED_MORE` (pos unchanged), or `OVERFLOW`
 *   (pos unchanged) for a value above 2^53 - 1 (take it with {@link takeVarintBig})
 * @internal
 */
export function takeVarint(c: Cursor): number {
  const buf = c.buf;
  const p = c.pos;
  if (p >= c.end) return NEED_MORE;
  const b0 = buf[p]!;
  const prefix = b0 >> 6;
  if (prefix === 0) {
    c.pos = p + 1;
    return b0;
  }
  if (prefix === 1) {
    if (p + 2 > c.end) return NEED_MORE;
    c.pos = p + 2;
    return ((b0 & 0x3f) << 8) | buf[p + 1]!;
  }
  if (prefix === 2) {
    if (p + 4 > c.end) return NEED_MORE;
    c.pos = p + 4;
    return (((b0 & 0x3f) << 24) | (buf[p + 1]! << 16) | (buf[p + 2]! << 8) | buf[p + 3]!) >>> 0;
  }
  if (p + 8 > c.end) return NEED_MORE;
  const hi = (((b0 & 0x3f) << 24) | (buf[p + 1]! << 16) | (buf[p + 2]! << 8) | buf[p + 3]!) >>> 0;
  if (hi > MAX_SAFE_HI) return OVERFLOW;
  const lo = ((buf[p + 4]! << 24) | (buf[p + 5]! << 16) | (buf[p + 6]! << 8) | buf[p + 7]!) >>> 0;
  c.pos = p + 8;
  return hi * TWO_POW_32 + lo; // exact: hi < 2^21
}

/**
 * Takes a varint at `cursor.pos` as a `bigint`, advancing `pos` past it.
 *
 * @returns the value, or `NEED_MORE` (a `number`, pos unchanged)
 * @internal
 */
export function takeVarintBig(c: Cursor): bigint | typeof NEED_MORE {
  const buf = c.buf;
  const p = c.pos;
  if (p >= c.end) return NEED_MORE;
  const b0 = buf[p]!;
  if (b0 >> 6 !== 3) {
    const v = takeVarint(c);
    return v === NEED_MORE ? NEED_MORE : BigInt(v);
  }
  if (p + 8 > c.end) return NEED_MORE;
  const hi = (((b0 & 0x3f) << 24) | (buf[p + 1]! << 16) | (buf[p + 2]! << 8) | buf[p + 3]!) >>> 0;
  const lo = ((buf[p + 4]! << 24) | (buf[p + 5]! << 16) | (buf[p + 6]! << 8) | buf[p + 7]!) >>> 0;
  c.pos = p + 8;
  return (BigInt(hi) << 32n) | BigInt(lo);
}

/**
 * Takes a varint at `cursor.pos`: a `number` when safe, else a `bigint`.
 *
 * @returns the value, or `NEED_MORE` (pos unchanged)
 * @internal
 */
export function takeVarintAny(c: Cursor): number | bigint {
  const v = takeVarint(c);
  if (v !== OVERFLOW) return v;
  return takeVarintBig(c);
}

function checkOffset(bytes: Uint8Array, offset: number): void {
  if (!(bytes instanceof Uint8Array)) throw new TypeError("Cannot read varint: expected a Uint8Array");
  if (!Number.isInteger(offset) || offset < 0 || offset > bytes.length) {
    throw new RangeError(`Cannot read varint: offset ${String(offset)} is outside 0..${bytes.length}`);
  }
}

/** The need-more result for a varint that starts at `bytes[offset]` and runs past the end. @internal */
export function varintNeedMore(bytes: Uint8Array, offset: number): NeedMore {
  const want = offset < bytes.length ? 1 << (bytes[offset]! >> 6) : 1;
  return needMore(offset + want - bytes.length);
}

/**
 * Reads the varint at `bytes[offset]`. "Need more bytes" is a result, not
 * an exception: every byte string is a valid varint prefix.
 *
 * @returns `{ status: "ok", value, length }` with `value` a `number` when it
 *   is at most `Number.MAX_SAFE_INTEGER`, else a `bigint`; or
 *   `{ status: "need-more", needed }`
 * @throws RangeError when `offset` is outside `0..bytes.length` (caller error)
 * @example
 * ```ts
 * readVarint(Uint8Array.of(0x7b, 0xbd)); // { status: "ok", value: 15293, length: 2 }
 * readVarint(Uint8Array.of(0x7b)); // { status: "need-more", needed: 1 }
 * ```
 */
export function readVarint(bytes: Uint8Array, offset = 0): ReadVarintResult<number | bigint> | NeedMore {
  checkOffset(bytes, offset);
  const c: Cursor = { buf: bytes, pos: offset, end: bytes.length };
  const v = takeVarintAny(c);
  if (v === NEED_MORE) return varintNeedMore(bytes, offset);
  return { status: "ok", value: v, length: (c.pos - offset) as VarintLength };
}

/**
 * Like {@link readVarint} but the value is always a `bigint`.
 *
 * @throws RangeError when `offset` is outside `0..bytes.length`
 * @example
 * ```ts
 * readVarintBig(Uint8Array.of(0x25)); // { status: "ok", value: 37n, length: 1 }
 * ```
 */
export function readVarintBig(bytes: Uint8Array, offset = 0): ReadVarintResult<bigint> | NeedMore {
  checkOffset(bytes, offset);
  const c: Cursor = { buf: bytes, pos: offset, end: bytes.length };
  const v = takeVarintBig(c);
  if (v === NEED_MORE) return varintNeedMore(bytes, offset);
  return { status: "ok", value: v, length: (c.pos - offset) as VarintLength };
}

/**
 * Numeric order of two varint values, `number` or `bigint` mixed: negative,
 * 0 or positive. No checks (the values come from a varint reader).
 * @internal
 */
export function compareVarints(a: number | bigint, b: number | bigint): number {
  if (typeof a === "number" && typeof b === "number") return a - b;
  const d = BigInt(a) - BigInt(b);
  return d < 0n ? -1 : d > 0n ? 1 : 0;
}

/**
 * Converts a `bigint` to `number` when it is at most
 * `Number.MAX_SAFE_INTEGER`, leaving larger values as `bigint`: the
 * module-wide rule for `number | bigint` results.
 */
export function normalizeVarint(value: bigint): number | bigint {
  return value <= MAX_SAFE_BIG ? Number(value) : value;
}
