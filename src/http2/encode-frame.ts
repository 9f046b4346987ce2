/**
 * Encoding frames: the exact inverse of {@link decodeFrame}. The encoder
 * emits what it is given (settings in order with repeats and unknown
 * identifiers, the chosen padding, unknown flag bits, any stream
 * identifier), so it can also build frames a peer must reject.
 * @module
 */
import { ByteWriter } from "../shared/byte-writer.js";
import { isLatin1 } from "../shared/latin1.js";
import { FRAME_HEADER_LENGTH, FrameType, MAX_STREAM_ID } from "./constants.js";
import type { FrameInit } from "./frame.js";
import { checkUint } from "./frame-header.js";

const END_STREAM = 0x01;
const ACK = 0x01;
const END_HEADERS = 0x04;
const PADDED = 0x08;
const PRIORITY = 0x20;
const MAX_LENGTH = 0xffffff;

/**
 * Encodes one frame, header included, into a new array.
 *
 * Flags: the raw `flags` (default 0) with the bits of the flag booleans
 * replaced by the booleans; PADDED is set when `padded` is true or
 * `padLength` is given (padding octets are zero, RFC 9113 §6.1); PRIORITY
 * when `priority` is given. An `UnknownFrame` is written as given, whatever
 * its `frameType`, so any byte sequence can be produced.
 *
 * @throws RangeError / TypeError for values that cannot be encoded (a stream
 *   identifier above 2^31-1, weight outside 1..256, padLength above 255,
 *   PING data not 8 octets, a payload above 2^24-1, non-Latin-1 strings).
 * @example
 * ```ts
 * encodeFrame({ type: FrameType.PING, streamId: 0, opaqueData: new Uint8Array(8) });
 * // 00 00 08 06 00 00 00 00 00 + 8 zero octets
 * ```
 */
export function encodeFrame(frame: FrameInit): Uint8Array {
  const w = new ByteWriter(64);
  encodeFrameInto(frame, w);
  return w.finish();
}

/** Appends one encoded frame to `writer`; see {@link encodeFrame}. */
export function encodeFrameInto(frame: FrameInit, writer: ByteWriter): void {
  checkUint("streamId", frame.streamId, MAX_STREAM_ID);
  const raw = frame.flags ?? 0;
  checkUint("flags", raw, 0xff);
  const start = writer.pos;
  writer.ensure(FRAME_HEADER_LENGTH);
  writer.pos += FRAME_HEADER_LENGTH;
  let type: number;
  let flags = raw;
  switch (frame.type) {
    case FrameType.DATA: {
      type = frame.type;
      const pad = padLengthOf(frame.padded, frame.padLength);
      flags = setFlag(setFlag(flags, END_STREAM, frame.endStream), PADDED, pad !== undefined);
      if (pad !== undefined) writer.u8(pad);
      writer.bytes(frame.data);
      zeros(writer, pad);
      break;
    }
    case FrameType.HEADERS: {
      type = frame.type;
      const pad = padLengthOf(frame.padded, frame.padLength);
      flags = setFlag(flags, END_STREAM, frame.endStream);
      flags = setFlag(flags, END_HEADERS, frame.endHeaders);
      flags = setFlag(flags, PADDED, pad !== undefined);
      flags = setFlag(flags, PRIORITY, frame.priority !== undefined);
      if (pad !== undefined) writer.u8(pad);
      if (frame.priority !== undefined) writePriority(writer, frame.priority.exclusive, frame.priority.streamDependency, frame.priority.weight);
      writer.bytes(frame.fragment);
      zeros(writer, pad);
      break;
    }
    case FrameType.PRIORITY:
      type = frame.type;
      writePriority(writer, frame.exclusive ?? false, frame.streamDependency, frame.weight);
      break;
    case FrameType.RST_STREAM:
      type = frame.type;
      checkUint("errorCode", frame.errorCode, 0xffffffff);
      writer.u32(frame.errorCode);
      break;
    case FrameType.SETTINGS:
      type = frame.type;
      flags = setFlag(flags, ACK, frame.ack);
      for (const s of frame.settings) {
        checkUint("setting id", s.id, 0xffff);
        checkUint("setting value", s.value, 0xffffffff);
        writer.u16(s.id);
        writer.u32(s.value);
      }
      break;
    case FrameType.PUSH_PROMISE: {
      type = frame.type;
      const pad = padLengthOf(frame.padded, frame.padLength);
      flags = setFlag(setFlag(flags, END_HEADERS, frame.endHeaders), PADDED, pad !== undefined);
      checkUint("promisedStreamId", frame.promisedStreamId, MAX_STREAM_ID);
      if (pad !== undefined) writer.u8(pad);
      writer.u32(frame.promisedStreamId);
      writer.bytes(frame.fragment);
      zeros(writer, pad);
      break;
    }
    case FrameType.PING:
      type = frame.type;
      if (frame.opaqueData.length !== 8) throw new RangeError(`PING opaqueData must be 8 octets, got ${frame.opaqueData.length}`);
      flags = setFlag(flags, ACK, frame.ack);
      writer.bytes(frame.opaqueData);
      break;
    case FrameType.GOAWAY:
      type = frame.type;
      checkUint("lastStreamId", frame.lastStreamId, MAX_STREAM_ID);
      checkUint("errorCode", frame.errorCode, 0xffffffff);
      writer.u32(frame.lastStreamId);
      writer.u32(frame.errorCode);
      writer.bytes(frame.debugData);
      break;
    case FrameType.WINDOW_UPDATE:
      type = frame.type;
      checkUint("windowSizeIncrement", frame.windowSizeIncrement, MAX_STREAM_ID);
      writer.u32(frame.windowSizeIncrement);
      break;
    case FrameType.CONTINUATION:
      type = frame.type;
      flags = setFlag(flags, END_HEADERS, frame.endHeaders);
      writer.bytes(frame.fragment);
      break;
    case FrameType.ALTSVC:
      type = frame.type;
      checkLatin1("origin", frame.origin);
      checkLatin1("fieldValue", frame.fieldValue);
      checkUint("origin length", frame.origin.length, 0xffff);
      writer.u16(frame.origin.length);
      writer.latin1(frame.origin);
      writer.latin1(frame.fieldValue);
      break;
    case FrameType.ORIGIN:
      type = frame.type;
      for (const o of frame.origins) {
        checkLatin1("origin", o);
        checkUint("origin length", o.length, 0xffff);
        writer.u16(o.length);
        writer.latin1(o);
      }
      break;
    case FrameType.PRIORITY_UPDATE:
      type = frame.type;
      checkUint("prioritizedStreamId", frame.prioritizedStreamId, MAX_STREAM_ID);
      checkLatin1("fieldValue", frame.fieldValue);
      writer.u32(frame.prioritizedStreamId);
      writer.latin1(frame.fieldValue);
      break;
    case "unknown":
      checkUint("frameType", frame.frameType, 0xff);
      type = frame.frameType;
      writer.bytes(frame.payload);
      break;
    default: {
      const never: never = frame;
      throw new TypeError(`Unknown frame type ${String((never as { type: unknown }).type)}`);
    }
  }
  const length = writer.pos - start - FRAME_HEADER_LENGTH;
  if (length > MAX_LENGTH) {
    writer.pos = start;
    throw new RangeError(`Frame payload length ${length} exceeds 2^24-1`);
  }
  const b = writer.buf;
  b[start] = length >>> 16;
  b[start + 1] = length >>> 8;
  b[start + 2] = length;
  b[start + 3] = type;
  b[start + 4] = flags;
  const id = frame.streamId;
  b[start + 5] = id >>> 24;
  b[start + 6] = id >>> 16;
  b[start + 7] = id >>> 8;
  b[start + 8] = id;
}

function setFlag(flags: number, bit: number, on: boolean | undefined): number {
  return on === true ? flags | bit : flags & ~bit;
}

function padLengthOf(padded: boolean | undefined, padLength: number | undefined): number | undefined {
  if (padLength !== undefined) {
    checkUint("padLength", padLength, 0xff);
    return padLength;
  }
  return padded === true ? 0 : undefined;
}

function zeros(writer: ByteWriter, n: number | undefined): void {
  if (n === undefined || n === 0) return;
  writer.ensure(n);
  writer.buf.fill(0, writer.pos, writer.pos + n);
  writer.pos += n;
}

function writePriority(writer: ByteWriter, exclusive: boolean, dependency: number, weight: number): void {
  checkUint("streamDependency", dependency, MAX_STREAM_ID);
  if (!Number.isInteger(weight) || weight < 1 || weight > 256) throw new RangeError(`weight must be an integer in 1..256, got ${String(weight)}`);
  writer.u32((exclusive ? 0x80000000 : 0) + dependency);
  writer.u8(weight - 1);
}

function checkLatin1(name: string, s: string): void {
  if (!isLatin1(s)) throw new TypeError(`${name} must contain only Latin-1 characters`);
}
