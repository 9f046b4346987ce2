/**
 * HTTP/3 frames (RFC 9114 §7; RFC 9218 §7.2): the typed union, the pure
 * decoder and the encoder.
 *
 * ```
 * HTTP/3 Frame Format {
 *   Type (i),
 *   Length (i),
 *   Frame Payload (..),
 * }
 * ```
 *
 * Payload views (`data`, `fieldSection`, `payload`) alias the input bytes
 * (`subarray`, no copy): do not mutate the input while using a frame.
 *
 * @module
 */

import { isValidStreamId, StreamIdType, streamIdType } from "../quic/stream-id.js";
import { takeVarintAny, varintLength, writeVarintTo } from "../quic/varint.js";
import { ByteWriter } from "../shared/byte-writer.js";
import type { Cursor } from "../shared/cursor.js";
import { isLatin1, latin1Decode, latin1Encode } from "../shared/latin1.js";
import { integerOption } from "../shared/options.js";
import { NEED_MORE, type NeedMore, needMore } from "../shared/result.js";
import { Http3ErrorCode } from "./error-codes.js";
import { connectionError } from "./errors.js";
import { FrameType, frameTypeName, isHttp2OnlyFrameType, isReservedFrameType } from "./frame-type.js";
import { isHttp2OnlySettingsId, type Setting, SettingsId, settingsIdName } from "./settings.js";

/** DATA (0x00, §7.2.1): request or response content. */
export interface DataFrame {
  readonly type: typeof FrameType.DATA;
  /** The content bytes (a view of the input). */
  readonly data: Uint8Array;
}

/** HEADERS (0x01, §7.2.2): a QPACK-encoded field section. */
export interface HeadersFrame {
  readonly type: typeof FrameType.HEADERS;
  /** The encoded field section, for a QPACK decoder (a view of the input). */
  readonly fieldSection: Uint8Array;
}

/** CANCEL_PUSH (0x03, §7.2.3). */
export interface CancelPushFrame {
  readonly type: typeof FrameType.CANCEL_PUSH;
  readonly pushId: number | bigint;
}

/** SETTINGS (0x04, §7.2.4). */
export interface SettingsFrame {
  readonly type: typeof FrameType.SETTINGS;
  /** The settings in wire order, unknown and reserved identifiers included. */
  readonly settings: readonly Setting[];
}

/** PUSH_PROMISE (0x05, §7.2.5). */
export interface PushPromiseFrame {
  readonly type: typeof FrameType.PUSH_PROMISE;
  readonly pushId: number | bigint;
  /** The encoded request field section (a view of the input). */
  readonly fieldSection: Uint8Array;
}

/** GOAWAY (0x07, §7.2.6): a stream ID (server to client) or push ID (client to server). */
export interface GoawayFrame {
  readonly type: typeof FrameType.GOAWAY;
  readonly id: number | bigint;
}

/** MAX_PUSH_ID (0x0d, §7.2.7). */
export interface MaxPushIdFrame {
  readonly type: typeof FrameType.MAX_PUSH_ID;
  readonly pushId: number | bigint;
}

/** PRIORITY_UPDATE (0xf0700 request, 0xf0701 push; RFC 9218 §7.2). */
export interface PriorityUpdateFrame {
  readonly type: typeof FrameType.PRIORITY_UPDATE_REQUEST | typeof FrameType.PRIORITY_UPDATE_PUSH;
  /** The stream ID (0xf0700) or push ID (0xf0701) being reprioritised. */
  readonly elementId: number | bigint;
  /** The Priority Field Value (a Structured Field, e.g. `"u=1, i"`), unparsed; bytes map 1:1 to characters (Latin-1). */
  readonly priorityFieldValue: string;
}

/** A frame of a type this module does not define, reserved (GREASE) types included. */
export interface UnknownFrame {
  readonly type: "unknown";
  /** The wire type. */
  readonly frameType: number | bigint;
  /** Whether `frameType` has the reserved form `0x1f * N + 0x21`. */
  readonly reserved: boolean;
  /** The payload (a view of the input). */
  readonly payload: Uint8Array;
}

/** Every HTTP/3 frame, discriminated on `type`. */
export type Http3Frame =
  | DataFrame
  | HeadersFrame
  | CancelPushFrame
  | SettingsFrame
  | PushPromiseFrame
  | GoawayFrame
  | MaxPushIdFrame
  | PriorityUpdateFrame
  | UnknownFrame;

/** A frame's type and length, read from its first bytes. */
export interface FrameHeader {
  readonly status: "ok";
  readonly type: number | bigint;
  /** The declared payload length. */
  readonly length: number | bigint;
  /** Bytes the type and length took (2 to 16). */
  readonly headerLength: number;
}

/** A whole frame read by {@link readFrame}. */
export interface ReadFrameResult {
  readonly status: "ok";
  readonly frame: Http3Frame;
  /** Bytes the frame took, header included. */
  readonly length: number;
}

/** Payload length limits, checked from the frame header before any payload is read or buffered. */
export interface FrameLimits {
  /**
   * Largest payload accepted for frames that are decoded whole (every type
   * but DATA, which the stream decoder delivers in chunks). Default
   * {@link DEFAULT_MAX_PAYLOAD_LENGTH}.
   */
  readonly maxPayloadLength?: number;
  /**
   * Per-type overrides, e.g. `{ [FrameType.HEADERS]: 1 << 20 }`; a DATA entry
   * limits DATA frames too. Unknown types use `maxPayloadLength`.
   */
  readonly maxPayloadLengthByType?: Readonly<Record<number, number>>;
}

/** Default {@link FrameLimits.maxPayloadLength}: 64 KiB. */
export const DEFAULT_MAX_PAYLOAD_LENGTH = 65_536;

/** Whether `type` is one of the {@link FrameType}s this module decodes into its own shape. @internal */
export function isDefinedFrameType(type: number | bigint): boolean {
  switch (type) {
    case FrameType.DATA:
    case FrameType.HEADERS:
    case FrameType.CANCEL_PUSH:
    case FrameType.SETTINGS:
    case FrameType.PUSH_PROMISE:
    case FrameType.GOAWAY:
    case FrameType.MAX_PUSH_ID:
    case FrameType.PRIORITY_UPDATE_REQUEST:
    case FrameType.PRIORITY_UPDATE_PUSH:
      return true;
    default:
      return false;
  }
}

/**
 * Checks caller-given {@link FrameLimits} (a caller's mistake is a
 * `RangeError`) and returns them.
 * @internal
 */
export function checkLimits(owner: string, limits: FrameLimits | undefined): FrameLimits | undefined {
  if (limits === undefined) return undefined;
  integerOption(owner, "maxPayloadLength", limits.maxPayloadLength, DEFAULT_MAX_PAYLOAD_LENGTH, 0, Number.MAX_SAFE_INTEGER);
  const byType = limits.maxPayloadLengthByType;
  if (byType !== undefined) {
    for (const key of Object.keys(byType))
      integerOption(owner, `maxPayloadLengthByType[${key}]`, byType[Number(key)], 0, 0, Number.MAX_SAFE_INTEGER);
  }
  return limits;
}

/** Payload lengths that hold exactly one varint. */
const ONE_VARINT = (len: number | bigint): boolean => len === 1 || len === 2 || len === 4 || len === 8;

/**
 * Whether a stream ID names a client-initiated bidirectional stream (the two
 * low bits are 0, RFC 9000 §2.1), the only kind that carries requests.
 * `false` for anything that is not a non-negative integer.
 * @internal
 */
export function isRequestStreamId(id: number | bigint): boolean {
  return isValidStreamId(id) && streamIdType(id) === StreamIdType.CLIENT_BIDI;
}

/**
 * Reads a frame's type and length at `bytes[offset]` (pure: no checks).
 *
 * @throws RangeError when `offset` is outside `0..bytes.length`
 */
export function readFrameHeader(bytes: Uint8Array, offset = 0): FrameHeader | NeedMore {
  checkOffset(bytes, offset);
  return readHeaderAt(bytes, offset, bytes.length);
}

/** @internal header read over `[offset, end)`. */
export function readHeaderAt(bytes: Uint8Array, offset: number, end: number): FrameHeader | NeedMore {
  const c: Cursor = { buf: bytes, pos: offset, end };
  const type = takeVarintAny(c);
  // The type's remaining bytes, plus at least one for the length.
  if (type === NEED_MORE) return needMore(offset < end ? (1 << (bytes[offset]! >> 6)) + 1 - (end - offset) : 2);
  const lenPos = c.pos;
  const length = takeVarintAny(c);
  if (length === NEED_MORE) return needMore(lenPos < end ? (1 << (bytes[lenPos]! >> 6)) - (end - lenPos) : 1);
  return { status: "ok", type, length, headerLength: c.pos - offset };
}

/**
 * The payload limit for `type` under `limits`, or `undefined` for DATA
 * without an explicit per-type entry (DATA is streamed, not buffered).
 */
function payloadLimit(type: number | bigint, limits: FrameLimits | undefined): number | undefined {
  const byType = limits?.maxPayloadLengthByType;
  if (byType !== undefined && typeof type === "number") {
    const v = byType[type];
    if (v !== undefined) return v;
  }
  if (type === FrameType.DATA) return undefined;
  return limits?.maxPayloadLength ?? DEFAULT_MAX_PAYLOAD_LENGTH;
}

/**
 * Checks that follow from a frame header alone, before the payload is
 * awaited: HTTP/2-only types, fixed-size payloads, and the length limit.
 *
 * @throws Http3Error H3_FRAME_UNEXPECTED `http2_frame_type`;
 *   H3_FRAME_ERROR `frame_payload_length_invalid`; H3_EXCESSIVE_LOAD `frame_too_large`
 * @internal
 */
export function checkFrameHeader(
  type: number | bigint,
  length: number | bigint,
  limits: FrameLimits | undefined,
  offset: number | undefined,
  unbuffered = false,
): void {
  if (isHttp2OnlyFrameType(type)) {
    // RFC 9114 §7.2.8: HTTP/2 frame types "MUST NOT be sent, and their receipt
    // MUST be treated as a connection error of type H3_FRAME_UNEXPECTED".
    throw connectionError(
      Http3ErrorCode.H3_FRAME_UNEXPECTED,
      "http2_frame_type",
      `Cannot decode frame: type ${frameTypeName(type)} (0x${type.toString(16)}) is reserved from HTTP/2`,
      offset,
    );
  }
  if ((type === FrameType.CANCEL_PUSH || type === FrameType.GOAWAY || type === FrameType.MAX_PUSH_ID) && !ONE_VARINT(length)) {
    // RFC 9114 §7.1: the payload is exactly one varint, so 1, 2, 4 or 8 bytes;
    // anything else has missing or extra bytes: H3_FRAME_ERROR.
    throw connectionError(
      Http3ErrorCode.H3_FRAME_ERROR,
      "frame_payload_length_invalid",
      `Cannot decode ${frameTypeName(type)} frame: payload length ${length} cannot hold exactly one varint`,
      offset,
    );
  }
  // A frame the stream decoder skips without buffering (unknown types, §9) needs no limit.
  const limit = unbuffered ? undefined : payloadLimit(type, limits);
  if (limit !== undefined && (typeof length === "bigint" || length > limit)) {
    throw connectionError(
      Http3ErrorCode.H3_EXCESSIVE_LOAD,
      "frame_too_large",
      `Cannot decode ${frameTypeName(type)} frame: payload length ${length} is above the limit ${limit}`,
      offset,
    );
  }
}

/** The varint that opens a payload (`what`, e.g. "push ID"); a payload that ends inside it is H3_FRAME_ERROR. */
function takeLeadingVarint(c: Cursor, frame: string, what: string, offset: number): number | bigint {
  const v = takeVarintAny(c);
  if (v === NEED_MORE)
    throw connectionError(
      Http3ErrorCode.H3_FRAME_ERROR,
      "frame_payload_truncated",
      `Cannot decode ${frame} frame: payload ends inside the ${what}`,
      offset,
    );
  return v;
}

function readOneVarint(type: number, payload: Uint8Array, offset: number): number | bigint {
  const c: Cursor = { buf: payload, pos: 0, end: payload.length };
  const v = takeLeadingVarint(c, frameTypeName(type), "varint", offset);
  if (c.pos !== payload.length) {
    // RFC 9114 §7.1: additional bytes after the identified fields: H3_FRAME_ERROR.
    throw connectionError(
      Http3ErrorCode.H3_FRAME_ERROR,
      "frame_payload_extra_bytes",
      `Cannot decode ${frameTypeName(type)} frame: ${payload.length - c.pos} bytes follow its varint`,
      offset + c.pos,
    );
  }
  return v;
}

function settingKey(id: number | bigint): number | string {
  return typeof id === "number" ? id : id.toString();
}

function decodeSettings(payload: Uint8Array, offset: number): SettingsFrame {
  const c: Cursor = { buf: payload, pos: 0, end: payload.length };
  const settings: Setting[] = [];
  const seen = new Set<number | string>();
  while (c.pos < c.end) {
    const at = c.pos;
    const id = takeVarintAny(c);
    const value = id === NEED_MORE ? NEED_MORE : takeVarintAny(c);
    if (id === NEED_MORE || value === NEED_MORE) {
      throw connectionError(
        Http3ErrorCode.H3_FRAME_ERROR,
        "frame_payload_truncated",
        "Cannot decode SETTINGS frame: payload ends inside a setting",
        offset + at,
      );
    }
    if (isHttp2OnlySettingsId(id)) {
      // RFC 9114 §7.2.4.1: HTTP/2-only identifiers "MUST NOT be sent, and their
      // receipt MUST be treated as a connection error of type H3_SETTINGS_ERROR".
      throw connectionError(
        Http3ErrorCode.H3_SETTINGS_ERROR,
        "settings_http2_identifier",
        `Cannot decode SETTINGS frame: identifier ${settingsIdName(id)} is reserved from HTTP/2`,
        offset + at,
      );
    }
    const key = settingKey(id);
    if (seen.has(key)) {
      // RFC 9114 §7.2.4: duplicates MAY be a connection error of type
      // H3_SETTINGS_ERROR; we always treat them so (docs/http3.md).
      throw connectionError(
        Http3ErrorCode.H3_SETTINGS_ERROR,
        "settings_duplicate_identifier",
        `Cannot decode SETTINGS frame: identifier ${settingsIdName(id)} occurs twice`,
        offset + at,
      );
    }
    seen.add(key);
    if ((id === SettingsId.SETTINGS_ENABLE_CONNECT_PROTOCOL || id === SettingsId.SETTINGS_H3_DATAGRAM) && value !== 0 && value !== 1) {
      // RFC 9297 §2.1.1: an H3_DATAGRAM value other than 0 or 1 MUST be
      // H3_SETTINGS_ERROR; RFC 9220 §3 gives ENABLE_CONNECT_PROTOCOL the RFC 8441
      // semantics (0 or 1), so we apply the same rule.
      throw connectionError(
        Http3ErrorCode.H3_SETTINGS_ERROR,
        "settings_value_not_boolean",
        `Cannot decode SETTINGS frame: ${settingsIdName(id)} is ${value}, not 0 or 1`,
        offset + at,
      );
    }
    settings.push({ id, value });
  }
  return { type: FrameType.SETTINGS, settings };
}

/**
 * Decodes a frame's payload whose header is already validated
 * ({@link checkFrameHeader}). `offset` is where the payload starts in the
 * caller's input, for error offsets.
 *
 * @throws Http3Error (see {@link readFrame})
 * @internal
 */
export function decodePayload(type: number | bigint, payload: Uint8Array, offset: number): Http3Frame {
  switch (type) {
    case FrameType.DATA:
      return { type, data: payload };
    case FrameType.HEADERS:
      return { type, fieldSection: payload };
    case FrameType.CANCEL_PUSH:
    case FrameType.MAX_PUSH_ID:
      return { type, pushId: readOneVarint(type, payload, offset) };
    case FrameType.GOAWAY:
      return { type, id: readOneVarint(type, payload, offset) };
    case FrameType.SETTINGS:
      return decodeSettings(payload, offset);
    case FrameType.PUSH_PROMISE: {
      const c: Cursor = { buf: payload, pos: 0, end: payload.length };
      const pushId = takeLeadingVarint(c, "PUSH_PROMISE", "push ID", offset);
      return { type, pushId, fieldSection: payload.subarray(c.pos) };
    }
    case FrameType.PRIORITY_UPDATE_REQUEST:
    case FrameType.PRIORITY_UPDATE_PUSH: {
      const c: Cursor = { buf: payload, pos: 0, end: payload.length };
      const elementId = takeLeadingVarint(c, "PRIORITY_UPDATE", "element ID", offset);
      if (type === FrameType.PRIORITY_UPDATE_REQUEST && !isRequestStreamId(elementId)) {
        // RFC 9218 §7.2: a 0xF0700 update for a stream ID that is not a request
        // stream (client-initiated bidirectional) MUST be a connection error of
        // type H3_ID_ERROR.
        throw connectionError(
          Http3ErrorCode.H3_ID_ERROR,
          "priority_update_not_request_stream",
          `Cannot decode PRIORITY_UPDATE frame: stream ${elementId} is not a client-initiated bidirectional stream`,
          offset,
        );
      }
      return { type, elementId, priorityFieldValue: latin1Decode(payload, c.pos, payload.length) };
    }
    default:
      return { type: "unknown", frameType: type, reserved: isReservedFrameType(type), payload };
  }
}

function checkOffset(bytes: Uint8Array, offset: number): void {
  if (!(bytes instanceof Uint8Array)) throw new TypeError("Cannot read frame: expected a Uint8Array");
  if (!Number.isInteger(offset) || offset < 0 || offset > bytes.length) {
    throw new RangeError(`Cannot read frame: offset ${String(offset)} is outside 0..${bytes.length}`);
  }
}

/**
 * Reads one whole frame at `bytes[offset]`. Pure: "need more bytes" is a
 * result. It applies every rule that concerns one frame alone (not which
 * stream it is on: that is {@link Http3FrameDecoder}'s job). Unknown and
 * reserved types come back as `{ type: "unknown" }` frames.
 *
 * Lifetime: `data`, `fieldSection` and `payload` are `subarray` views of `bytes`
 * (no copy), valid as long as the caller leaves `bytes` unchanged; copy them
 * (`slice()`) to keep them past a reuse of that buffer.
 *
 * @returns `{ status: "ok", frame, length }` or `{ status: "need-more", needed }`
 * @throws Http3Error, connection scope:
 *   H3_FRAME_UNEXPECTED `http2_frame_type` (types 0x02, 0x06, 0x08, 0x09, §7.2.8);
 *   H3_FRAME_ERROR `frame_payload_length_invalid`, `frame_payload_truncated`,
 *   `frame_payload_extra_bytes` (§7.1);
 *   H3_SETTINGS_ERROR `settings_http2_identifier`, `settings_duplicate_identifier`,
 *   `settings_value_not_boolean` (§7.2.4);
 *   H3_ID_ERROR `priority_update_not_request_stream` (RFC 9218 §7.2);
 *   H3_EXCESSIVE_LOAD `frame_too_large` (a payload above the limit)
 * @throws RangeError when `offset` is outside `0..bytes.length` or a limit is not a
 *   non-negative safe integer
 * @example
 * ```ts
 * readFrame(Uint8Array.of(0x07, 0x01, 0x04));
 * // { status: "ok", frame: { type: 0x07, id: 4 }, length: 3 }
 * ```
 */
export function readFrame(bytes: Uint8Array, offset = 0, limits?: FrameLimits): ReadFrameResult | NeedMore {
  checkOffset(bytes, offset);
  checkLimits("readFrame", limits);
  const h = readHeaderAt(bytes, offset, bytes.length);
  if (h.status === "need-more") return h;
  checkFrameHeader(h.type, h.length, limits, offset);
  const start = offset + h.headerLength;
  const avail = bytes.length - start;
  if (typeof h.length === "bigint" || h.length > avail) {
    return needMore(typeof h.length === "bigint" ? Number.MAX_SAFE_INTEGER : h.length - avail);
  }
  const frame = decodePayload(h.type, bytes.subarray(start, start + h.length), start);
  return { status: "ok", frame, length: h.headerLength + h.length };
}

// ---------------------------------------------------------------- encoding

function payloadLength(frame: Http3Frame): number {
  switch (frame.type) {
    case FrameType.DATA:
      return frame.data.length;
    case FrameType.HEADERS:
      return frame.fieldSection.length;
    case FrameType.CANCEL_PUSH:
    case FrameType.MAX_PUSH_ID:
      return varintLength(frame.pushId);
    case FrameType.GOAWAY:
      return varintLength(frame.id);
    case FrameType.SETTINGS: {
      let n = 0;
      for (const s of frame.settings) n += varintLength(s.id) + varintLength(s.value);
      return n;
    }
    case FrameType.PUSH_PROMISE:
      return varintLength(frame.pushId) + frame.fieldSection.length;
    case FrameType.PRIORITY_UPDATE_REQUEST:
    case FrameType.PRIORITY_UPDATE_PUSH:
      return varintLength(frame.elementId) + frame.priorityFieldValue.length;
    case "unknown":
      return frame.payload.length;
    default: {
      const never: never = frame;
      throw new TypeError(`Cannot encode frame: unknown frame ${String((never as { type: unknown }).type)}`);
    }
  }
}

function checkBytes(what: string, v: unknown): void {
  if (!(v instanceof Uint8Array)) throw new TypeError(`Cannot encode frame: ${what} must be a Uint8Array`);
}

function checkForEncode(frame: Http3Frame): void {
  if (frame.type === FrameType.DATA) checkBytes("data", frame.data);
  else if (frame.type === "unknown") checkBytes("payload", frame.payload);
  else if (frame.type === FrameType.HEADERS || frame.type === FrameType.PUSH_PROMISE) checkBytes("fieldSection", frame.fieldSection);
  if (frame.type === FrameType.SETTINGS) {
    const seen = new Set<number | string>();
    for (const s of frame.settings) {
      if (isHttp2OnlySettingsId(s.id))
        throw new RangeError(`Cannot encode SETTINGS: identifier ${settingsIdName(s.id)} is reserved from HTTP/2`);
      const key = settingKey(s.id);
      if (seen.has(key)) throw new RangeError(`Cannot encode SETTINGS: identifier ${settingsIdName(s.id)} occurs twice`);
      seen.add(key);
      if (
        (s.id === SettingsId.SETTINGS_ENABLE_CONNECT_PROTOCOL || s.id === SettingsId.SETTINGS_H3_DATAGRAM) &&
        !(s.value === 0 || s.value === 1 || s.value === 0n || s.value === 1n)
      ) {
        throw new RangeError(`Cannot encode SETTINGS: ${settingsIdName(s.id)} must be 0 or 1, got ${String(s.value)}`);
      }
    }
  } else if (frame.type === "unknown") {
    varintLength(frame.frameType);
    if (isHttp2OnlyFrameType(frame.frameType))
      throw new RangeError(`Cannot encode frame: type ${frameTypeName(frame.frameType)} is reserved from HTTP/2`);
    if (isDefinedFrameType(frame.frameType))
      throw new RangeError(`Cannot encode frame: type ${frameTypeName(frame.frameType)} has its own frame shape; use it`);
  } else if (frame.type === FrameType.PRIORITY_UPDATE_REQUEST || frame.type === FrameType.PRIORITY_UPDATE_PUSH) {
    // RFC 9218 §7.2 calls for ASCII; like the decoder, the encoder maps bytes
    // 1:1 and leaves Structured Field syntax to the caller, so every decoded
    // frame re-encodes to the same bytes.
    if (typeof frame.priorityFieldValue !== "string")
      throw new TypeError("Cannot encode PRIORITY_UPDATE: the priority field value must be a string");
    if (!isLatin1(frame.priorityFieldValue))
      throw new TypeError("Cannot encode PRIORITY_UPDATE: the priority field value has a character above 0xff");
    // RFC 9218 §7.2: the request variant names a client-initiated bidirectional stream.
    const id = frame.elementId;
    if (frame.type === FrameType.PRIORITY_UPDATE_REQUEST && (typeof id === "number" || typeof id === "bigint") && !isRequestStreamId(id)) {
      throw new RangeError(`Cannot encode PRIORITY_UPDATE: stream ${String(id)} is not a client-initiated bidirectional stream`);
    }
  }
}

/** @internal Appends `frame` to `w` (validated by the caller). */
function writeFrame(w: ByteWriter, frame: Http3Frame, length: number): void {
  writeVarintTo(w, frame.type === "unknown" ? frame.frameType : frame.type);
  writeVarintTo(w, length);
  switch (frame.type) {
    case FrameType.DATA:
      w.bytes(frame.data);
      break;
    case "unknown":
      w.bytes(frame.payload);
      break;
    case FrameType.HEADERS:
      w.bytes(frame.fieldSection);
      break;
    case FrameType.CANCEL_PUSH:
    case FrameType.MAX_PUSH_ID:
      writeVarintTo(w, frame.pushId);
      break;
    case FrameType.GOAWAY:
      writeVarintTo(w, frame.id);
      break;
    case FrameType.SETTINGS:
      for (const s of frame.settings) {
        writeVarintTo(w, s.id);
        writeVarintTo(w, s.value);
      }
      break;
    case FrameType.PUSH_PROMISE:
      writeVarintTo(w, frame.pushId);
      w.bytes(frame.fieldSection);
      break;
    case FrameType.PRIORITY_UPDATE_REQUEST:
    case FrameType.PRIORITY_UPDATE_PUSH:
      writeVarintTo(w, frame.elementId);
      w.bytes(latin1Encode(frame.priorityFieldValue));
      break;
  }
}

/**
 * Encodes one frame with minimal varints.
 *
 * @throws RangeError / TypeError for values a frame cannot carry (above
 *   2^62 - 1, negative), HTTP/2-reserved or duplicate setting identifiers,
 *   SETTINGS_ENABLE_CONNECT_PROTOCOL or SETTINGS_H3_DATAGRAM other than 0 or 1,
 *   a request-variant PRIORITY_UPDATE for a stream that is not client bidi,
 *   an unknown frame using an HTTP/2-only or a defined type, a priority
 *   field value with a character above 0xff
 * @example
 * ```ts
 * encodeFrame({ type: FrameType.GOAWAY, id: 4 }); // Uint8Array [0x07, 0x01, 0x04]
 * ```
 */
export function encodeFrame(frame: Http3Frame): Uint8Array {
  checkForEncode(frame);
  const len = payloadLength(frame);
  const w = new ByteWriter(len + 16);
  writeFrame(w, frame, len);
  return w.finish();
}

/**
 * Encodes only a frame header (type and length), for writing a large DATA
 * payload without copying it: send the header, then the payload bytes.
 *
 * @throws RangeError for out-of-range values, an HTTP/2-only type, or a
 *   CANCEL_PUSH/GOAWAY/MAX_PUSH_ID length other than 1, 2, 4 or 8
 * @example
 * ```ts
 * encodeFrameHeader(FrameType.DATA, 1000); // Uint8Array [0x00, 0x43, 0xe8]
 * ```
 */
export function encodeFrameHeader(type: number | bigint, length: number | bigint): Uint8Array {
  varintLength(type);
  varintLength(length);
  if (isHttp2OnlyFrameType(type)) throw new RangeError(`Cannot encode frame header: type ${frameTypeName(type)} is reserved from HTTP/2`);
  if ((type === FrameType.CANCEL_PUSH || type === FrameType.GOAWAY || type === FrameType.MAX_PUSH_ID) && !ONE_VARINT(length)) {
    throw new RangeError(
      `Cannot encode frame header: a ${frameTypeName(type)} payload is one varint, so 1, 2, 4 or 8 bytes, not ${length}`,
    );
  }
  const w = new ByteWriter(16);
  writeVarintTo(w, type);
  writeVarintTo(w, length);
  return w.finish();
}
