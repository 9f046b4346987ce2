/**
 * Encoding frames: the exact inverse of {@link decodeFrame}. The encoder
 * emits what it is given (settings in order with repeats and unknown
 * identifiers, the chosen padding, unknown flag bits, any stream
 * identifier), so it can also build frames a peer must reject.
 * @module
 */
import { ByteWriter } from "../shared/byte-writer.js";
import { FRAME_HEADER_LENGTH, FrameType, MAX_MAX_FRAME_SIZE, MAX_STREAM_ID } from "./constants.js";
import type { FrameInit } from "./frame.js";
import { checkUint, writeFrameHeaderAt } from "./frame-header.js";
import { encodeAltsvc } from "./frames/altsvc.js";
import { encodeContinuation } from "./frames/continuation.js";
import { encodeData } from "./frames/data.js";
import { encodeGoaway } from "./frames/goaway.js";
import { encodeHeaders } from "./frames/headers.js";
import { encodeOrigin } from "./frames/origin.js";
import { encodePing } from "./frames/ping.js";
import { encodePriority } from "./frames/priority.js";
import { encodePriorityUpdate } from "./frames/priority-update.js";
import { encodePushPromise } from "./frames/push-promise.js";
import { encodeRstStream } from "./frames/rst-stream.js";
import { encodeSettings } from "./frames/settings.js";
import { encodeWindowUpdate } from "./frames/window-update.js";

/**
 * Encodes one frame, header included, into a new array.
 *
 * Flags: the raw `flags` (default 0) with the bits of the flag booleans
 * replaced by the booleans; PADDED is set when `padded` is true or
 * `padLength` is given (padding octets are zero, RFC 9113 §6.1); PRIORITY
 * when `priority` is given. Optional fields default: a SETTINGS frame's
 * `settings` to none (as an ACK must be), GOAWAY `debugData` to empty. An `UnknownFrame` is written as given, whatever
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
  const w = new ByteWriter(FRAME_HEADER_LENGTH + payloadSizeHint(frame));
  encodeFrameInto(frame, w);
  // The hint is exact for every type but ALTSVC/ORIGIN/PRIORITY_UPDATE strings; no copy when it was.
  return w.pos === w.buf.length ? w.buf : w.finish();
}

/** The payload size, computed up front so the common frames are written with one allocation. */
function payloadSizeHint(frame: FrameInit): number {
  switch (frame.type) {
    case FrameType.DATA:
      return frame.data.length + padHint(frame.padded, frame.padLength);
    case FrameType.HEADERS:
      return frame.fragment.length + padHint(frame.padded, frame.padLength) + (frame.priority !== undefined ? 5 : 0);
    case FrameType.PUSH_PROMISE:
      return 4 + frame.fragment.length + padHint(frame.padded, frame.padLength);
    case FrameType.CONTINUATION:
      return frame.fragment.length;
    case FrameType.SETTINGS:
      return 6 * (frame.settings?.length ?? 0);
    case FrameType.GOAWAY:
      return 8 + (frame.debugData?.length ?? 0);
    case FrameType.PING:
      return 8;
    case FrameType.PRIORITY:
      return 5;
    case FrameType.RST_STREAM:
    case FrameType.WINDOW_UPDATE:
      return 4;
    case "unknown":
      return frame.payload.length;
    default:
      return 64;
  }
}

function padHint(padded: boolean | undefined, padLength: number | undefined): number {
  return padLength !== undefined ? 1 + padLength : padded === true ? 1 : 0;
}

/**
 * Appends one encoded frame to `writer`; see {@link encodeFrame}.
 *
 * @throws RangeError / TypeError as {@link encodeFrame} does; the writer's
 *   position is then left where it was.
 * @example
 * ```ts
 * const w = new ByteWriter(64);
 * encodeFrameInto({ type: FrameType.RST_STREAM, streamId: 1, errorCode: ErrorCode.CANCEL }, w);
 * encodeFrameInto({ type: FrameType.SETTINGS, streamId: 0, ack: true }, w);
 * w.finish(); // 00 00 04 03 00 00 00 00 01 00 00 00 08 | 00 00 00 04 01 00 00 00 00
 * ```
 */
export function encodeFrameInto(frame: FrameInit, writer: ByteWriter): void {
  checkUint("streamId", frame.streamId, MAX_STREAM_ID);
  const raw = frame.flags ?? 0;
  checkUint("flags", raw, 0xff);
  const start = writer.pos;
  writer.ensure(FRAME_HEADER_LENGTH);
  writer.pos += FRAME_HEADER_LENGTH;
  try {
    writeFrame(frame, writer, start, raw);
  } catch (e) {
    writer.pos = start; // leave the writer as it was
    throw e;
  }
}

function writeFrame(frame: FrameInit, writer: ByteWriter, start: number, raw: number): void {
  let flags: number;
  switch (frame.type) {
    case FrameType.DATA:
      flags = encodeData(frame, writer, raw);
      break;
    case FrameType.HEADERS:
      flags = encodeHeaders(frame, writer, raw);
      break;
    case FrameType.PRIORITY:
      flags = encodePriority(frame, writer, raw);
      break;
    case FrameType.RST_STREAM:
      flags = encodeRstStream(frame, writer, raw);
      break;
    case FrameType.SETTINGS:
      flags = encodeSettings(frame, writer, raw);
      break;
    case FrameType.PUSH_PROMISE:
      flags = encodePushPromise(frame, writer, raw);
      break;
    case FrameType.PING:
      flags = encodePing(frame, writer, raw);
      break;
    case FrameType.GOAWAY:
      flags = encodeGoaway(frame, writer, raw);
      break;
    case FrameType.WINDOW_UPDATE:
      flags = encodeWindowUpdate(frame, writer, raw);
      break;
    case FrameType.CONTINUATION:
      flags = encodeContinuation(frame, writer, raw);
      break;
    case FrameType.ALTSVC:
      flags = encodeAltsvc(frame, writer, raw);
      break;
    case FrameType.ORIGIN:
      flags = encodeOrigin(frame, writer, raw);
      break;
    case FrameType.PRIORITY_UPDATE:
      flags = encodePriorityUpdate(frame, writer, raw);
      break;
    case "unknown":
      checkUint("frameType", frame.frameType, 0xff);
      writer.bytes(frame.payload);
      flags = raw;
      break;
    default: {
      const never: never = frame;
      throw new TypeError(`Unknown frame type ${String((never as { type: unknown }).type)}`);
    }
  }
  const type = frame.type === "unknown" ? frame.frameType : frame.type;
  const length = writer.pos - start - FRAME_HEADER_LENGTH;
  if (length > MAX_MAX_FRAME_SIZE) throw new RangeError(`Frame payload length ${length} exceeds 2^24-1`);
  writeFrameHeaderAt(writer.buf, start, length, type, flags, frame.streamId);
}
