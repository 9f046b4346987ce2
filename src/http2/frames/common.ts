/**
 * Pieces shared by the per-frame codecs: flag bits, padding, priority
 * fields, the encoder's flag merging, and the errors of the rules several
 * frame types share (stream 0 or not, payload length, self-dependency).
 * @internal
 * @module
 */
import { readU32 } from "../../shared/byte-reader.js";
import type { ByteWriter } from "../../shared/byte-writer.js";
import { isLatin1 } from "../../shared/latin1.js";
import { MAX_STREAM_ID } from "../constants.js";
import { ErrorCode } from "../error-codes.js";
import { connectionError, type Http2Error, streamError } from "../errors.js";
import type { FrameInit, PriorityFields, UnknownFrame } from "../frame.js";
import { checkUint, type FrameHeader } from "../frame-header.js";

/** The encoder's input for one frame type. */
export type InitOf<T extends FrameInit["type"]> = Extract<FrameInit, { type: T }>;

/** A frame the RFCs say to ignore when malformed, or of an unknown type (RFC 9113 §5.5). */
export function unknownFrame(header: FrameHeader, payload: Uint8Array): UnknownFrame {
  return { type: "unknown", frameType: header.type, streamId: header.streamId, flags: header.flags, payload };
}

/**
 * RFC 9113 §6.1-§6.4, §6.6, §6.10: a frame type that belongs to a stream, received on stream 0, MUST be treated as
 * a connection error of type PROTOCOL_ERROR (`<token>_stream_0`). The caller writes `throw`.
 */
export function onStream0Error(name: string, token: string, offset: number | undefined): Http2Error {
  return connectionError(ErrorCode.PROTOCOL_ERROR, `${token}_stream_0`, `Cannot decode ${name} frame: stream identifier is 0`, offset);
}

/**
 * RFC 9113 §6.5, §6.7, §6.8, RFC 9218 §7.1: a connection-level frame type with a stream identifier other than 0
 * MUST be treated as a connection error of type PROTOCOL_ERROR (`<token>_stream_nonzero`).
 */
export function notOnStream0Error(name: string, token: string, streamId: number, offset: number | undefined): Http2Error {
  return connectionError(
    ErrorCode.PROTOCOL_ERROR,
    `${token}_stream_nonzero`,
    `Cannot decode ${name} frame: stream identifier is ${streamId}, not 0`,
    offset,
  );
}

/**
 * A fixed-length frame (PING, PRIORITY, RST_STREAM, WINDOW_UPDATE) whose length is not `expected`: FRAME_SIZE_ERROR
 * (`<token>_length_invalid`), of the connection, or of the stream where the RFC says so (PRIORITY, RFC 9113 §6.3).
 */
export function lengthInvalidError(
  h: FrameHeader,
  name: string,
  token: string,
  expected: number,
  scope: "connection" | "stream",
  offset: number | undefined,
): Http2Error {
  const reason = `${token}_length_invalid`;
  const message = `Cannot decode ${name} frame: length ${h.length} is not ${expected}`;
  return scope === "stream"
    ? streamError(ErrorCode.FRAME_SIZE_ERROR, h.streamId, reason, message, offset)
    : connectionError(ErrorCode.FRAME_SIZE_ERROR, reason, message, offset);
}

/**
 * RFC 9113 §4.2: a stream-0 frame too small to contain mandatory frame data (GOAWAY, PRIORITY_UPDATE): a connection
 * error of type FRAME_SIZE_ERROR (`<token>_too_short`). Padded frames have {@link contentStart}'s check instead.
 */
export function tooShortError(h: FrameHeader, name: string, token: string, min: number, offset: number | undefined): Http2Error {
  return connectionError(
    ErrorCode.FRAME_SIZE_ERROR,
    `${token}_too_short`,
    `Cannot decode ${name} frame: length ${h.length} is below ${min}`,
    offset,
  );
}

/**
 * RFC 9113 §5.3.1: "A stream cannot depend on itself. An endpoint MUST treat this as a stream error of type
 * PROTOCOL_ERROR" (`<token>_self_dependency`; HEADERS and PRIORITY).
 */
export function selfDependencyError(name: string, token: string, streamId: number, offset: number | undefined): Http2Error {
  return streamError(
    ErrorCode.PROTOCOL_ERROR,
    streamId,
    `${token}_self_dependency`,
    `Cannot decode ${name} frame: stream ${streamId} depends on itself`,
    offset,
  );
}

/**
 * ```
 * Exclusive (1), Stream Dependency (31), Weight (8)
 * ```
 */
export function readPriorityFields(b: Uint8Array, p: number): PriorityFields {
  const word = readU32(b, p);
  return { exclusive: word >= 0x80000000, streamDependency: word & 0x7fffffff, weight: b[p + 4]! + 1 };
}

export function writePriorityFields(writer: ByteWriter, exclusive: boolean, dependency: number, weight: number): void {
  checkUint("streamDependency", dependency, MAX_STREAM_ID);
  if (!Number.isInteger(weight) || weight < 1 || weight > 256)
    throw new RangeError(`weight must be an integer in 1..256, got ${String(weight)}`);
  writer.u32((exclusive ? 0x80000000 : 0) + dependency);
  writer.u8(weight - 1);
}

/**
 * Checks a possibly padded payload's length and Pad Length and returns where
 * the content starts, after Pad Length and `fixed` octets of fixed fields;
 * {@link contentEnd} says where it ends.
 */
export function contentStart(
  name: string,
  token: string,
  payload: Uint8Array,
  padded: boolean,
  fixed: number,
  offset: number | undefined,
): number {
  const length = payload.length;
  const min = (padded ? 1 : 0) + fixed;
  // RFC 9113 §4.2: too small to contain mandatory frame data: FRAME_SIZE_ERROR; a frame that carries
  // a field block or DATA (which counts against the connection window) alters connection state,
  // so the error is connection-scoped
  if (length < min)
    throw connectionError(
      ErrorCode.FRAME_SIZE_ERROR,
      `${token}_too_short`,
      `Cannot decode ${name} frame: length ${length} is below the ${min} octets of its fixed fields`,
      offset,
    );
  if (!padded) return min;
  const padLength = payload[0]!;
  // RFC 9113 §6.1, §6.2, §6.6: padding that is the length of the frame payload or greater
  // MUST be treated as a connection error of type PROTOCOL_ERROR
  if (padLength > length - min) throw paddingTooLongError(name, token, padLength, length, offset);
  return min;
}

/**
 * RFC 9113 §6.1, §6.2, §6.6: a Pad Length that leaves no room in the payload (`<token>_padding_too_long`, connection
 * PROTOCOL_ERROR); {@link contentStart} and the DATA pieces of the frame decoder throw it. The caller writes `throw`.
 */
export function paddingTooLongError(
  name: string,
  token: string,
  padLength: number,
  length: number,
  offset: number | undefined,
): Http2Error {
  return connectionError(
    ErrorCode.PROTOCOL_ERROR,
    `${token}_padding_too_long`,
    `Cannot decode ${name} frame: pad length ${padLength} leaves no room in payload length ${length}`,
    offset,
  );
}

/** Sets or clears `bit` as the boolean says (absent: cleared). */
export function setFlag(flags: number, bit: number, on: boolean | undefined): number {
  return on === true ? flags | bit : flags & ~bit;
}

/** The Pad Length to write, or `undefined` for no PADDED flag. */
export function padLengthOf(padded: boolean | undefined, padLength: number | undefined): number | undefined {
  if (padLength !== undefined) {
    checkUint("padLength", padLength, 0xff);
    return padLength;
  }
  return padded === true ? 0 : undefined;
}

/** Writes `n` zero octets of padding (RFC 9113 §6.1: padding octets MUST be set to zero when sending). */
export function writePadding(writer: ByteWriter, n: number | undefined): void {
  if (n === undefined || n === 0) return;
  writer.ensure(n);
  writer.buf.fill(0, writer.pos, writer.pos + n);
  writer.pos += n;
}

export function checkLatin1(name: string, s: string): void {
  if (!isLatin1(s)) throw new TypeError(`${name} must contain only Latin-1 characters`);
}

/** Where the content of a payload checked by {@link contentStart} ends: before the padding. */
export function contentEnd(payload: Uint8Array, padded: boolean): number {
  return padded ? payload.length - payload[0]! : payload.length;
}
