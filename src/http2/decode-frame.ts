/**
 * Decoding one complete frame from its header and payload (RFC 9113 §6,
 * RFC 7838 §4, RFC 8336 §2, RFC 9218 §7.1), enforcing every rule the RFCs
 * put on a single frame with the code and scope they name.
 * @module
 */
import { readU32 } from "../shared/byte-reader.js";
import { latin1Decode } from "../shared/latin1.js";
import { FrameType } from "./constants.js";
import { ErrorCode } from "./error-codes.js";
import { connectionError, streamError } from "./errors.js";
import type { Frame, PriorityFields, Setting, UnknownFrame } from "./frame.js";
import type { FrameHeader } from "./frame-header.js";
import { validateSetting } from "./settings.js";

const END_STREAM = 0x01;
const ACK = 0x01;
const END_HEADERS = 0x04;
const PADDED = 0x08;
const PRIORITY = 0x20;

/**
 * Decodes one frame. `payload` must be exactly `header.length` bytes; byte
 * fields of the result are views of it (no copy). Frame types not listed in
 * `FrameType` become an `UnknownFrame` (RFC 9113 §5.5).
 *
 * Checks that need connection state (stream states, CONTINUATION order,
 * SETTINGS_MAX_FRAME_SIZE) are not made here; {@link FrameDecoder} makes the
 * ones that belong to framing.
 *
 * @param offset Where the frame starts in the caller's byte stream, reported
 *   as the error `offset`.
 * @throws Http2Error with the RFC code and scope, e.g. FRAME_SIZE_ERROR
 *   (`ping_length_invalid`), PROTOCOL_ERROR (`data_stream_0`), stream
 *   PROTOCOL_ERROR (`priority_self_dependency`); see docs/http2.md for the table.
 * @throws RangeError when `payload.length !== header.length`.
 * @example
 * ```ts
 * const bytes = new Uint8Array([0, 0, 4, 8, 0, 0, 0, 0, 1, 0, 0, 0x10, 0]);
 * const frame = decodeFrame(readFrameHeader(bytes)!, bytes.subarray(9));
 * // { type: 8, streamId: 1, flags: 0, windowSizeIncrement: 4096 }
 * ```
 */
export function decodeFrame(header: FrameHeader, payload: Uint8Array, offset?: number): Frame {
  return decodeFrameImpl(header, payload, offset, false);
}

/** @internal `deferHeadersStreamErrors`: the FrameDecoder checks HEADERS self-dependency itself. */
export function decodeFrameImpl(header: FrameHeader, payload: Uint8Array, offset: number | undefined, deferHeadersStreamErrors: boolean): Frame {
  if (payload.length !== header.length) {
    throw new RangeError(`Payload length ${payload.length} does not match the header's length ${header.length}`);
  }
  const { type, flags, streamId, length } = header;
  switch (type) {
    case FrameType.DATA: {
      // RFC 9113 §6.1: DATA on stream 0 MUST be treated as a connection error of type PROTOCOL_ERROR
      if (streamId === 0) connectionError(ErrorCode.PROTOCOL_ERROR, "data_stream_0", "Cannot decode DATA frame: stream identifier is 0", 0, offset);
      const padded = (flags & PADDED) !== 0;
      const [start, end, padLength] = padding("DATA", "data", payload, padded, 0, streamId, offset);
      return {
        type,
        streamId,
        flags,
        endStream: (flags & END_STREAM) !== 0,
        padded,
        padLength,
        data: payload.subarray(start, end),
      };
    }
    case FrameType.HEADERS: {
      // RFC 9113 §6.2: HEADERS on stream 0 MUST be treated as a connection error of type PROTOCOL_ERROR
      if (streamId === 0) connectionError(ErrorCode.PROTOCOL_ERROR, "headers_stream_0", "Cannot decode HEADERS frame: stream identifier is 0", 0, offset);
      const padded = (flags & PADDED) !== 0;
      const hasPriority = (flags & PRIORITY) !== 0;
      const [start, end, padLength] = padding("HEADERS", "headers", payload, padded, hasPriority ? 5 : 0, streamId, offset);
      let priority: PriorityFields | undefined;
      if (hasPriority) {
        priority = priorityFields(payload, start - 5);
        // RFC 9113 §5.3.1: a stream cannot depend on itself; treat as a stream error of type PROTOCOL_ERROR
        if (priority.streamDependency === streamId && !deferHeadersStreamErrors)
          selfDependency("HEADERS", "headers_self_dependency", streamId, offset);
      }
      return {
        type,
        streamId,
        flags,
        endStream: (flags & END_STREAM) !== 0,
        endHeaders: (flags & END_HEADERS) !== 0,
        padded,
        padLength,
        priority,
        fragment: payload.subarray(start, end),
      };
    }
    case FrameType.PRIORITY: {
      // RFC 9113 §6.3: PRIORITY on stream 0 MUST be treated as a connection error of type PROTOCOL_ERROR
      if (streamId === 0) connectionError(ErrorCode.PROTOCOL_ERROR, "priority_stream_0", "Cannot decode PRIORITY frame: stream identifier is 0", 0, offset);
      // RFC 9113 §6.3: a length other than 5 octets MUST be treated as a *stream* error of type FRAME_SIZE_ERROR
      if (length !== 5)
        streamError(ErrorCode.FRAME_SIZE_ERROR, "priority_length_invalid", `Cannot decode PRIORITY frame: length ${length} is not 5`, streamId, offset);
      const p = priorityFields(payload, 0);
      if (p.streamDependency === streamId) selfDependency("PRIORITY", "priority_self_dependency", streamId, offset);
      return { type, streamId, flags, ...p };
    }
    case FrameType.RST_STREAM:
      // RFC 9113 §6.4: RST_STREAM on stream 0 MUST be treated as a connection error of type PROTOCOL_ERROR
      if (streamId === 0) connectionError(ErrorCode.PROTOCOL_ERROR, "rst_stream_stream_0", "Cannot decode RST_STREAM frame: stream identifier is 0", 0, offset);
      // RFC 9113 §6.4: a length other than 4 octets MUST be treated as a connection error of type FRAME_SIZE_ERROR
      if (length !== 4)
        connectionError(ErrorCode.FRAME_SIZE_ERROR, "rst_stream_length_invalid", `Cannot decode RST_STREAM frame: length ${length} is not 4`, streamId, offset);
      return { type, streamId, flags, errorCode: readU32(payload, 0) };
    case FrameType.SETTINGS: {
      // RFC 9113 §6.5: a stream identifier other than 0 MUST be treated as a connection error of type PROTOCOL_ERROR
      if (streamId !== 0)
        connectionError(ErrorCode.PROTOCOL_ERROR, "settings_stream_nonzero", `Cannot decode SETTINGS frame: stream identifier is ${streamId}, not 0`, streamId, offset);
      const ack = (flags & ACK) !== 0;
      // RFC 9113 §6.5: ACK with a non-empty payload MUST be treated as a connection error of type FRAME_SIZE_ERROR
      if (ack && length !== 0)
        connectionError(ErrorCode.FRAME_SIZE_ERROR, "settings_ack_with_payload", `Cannot decode SETTINGS frame: ACK with payload length ${length}`, 0, offset);
      // RFC 9113 §6.5: a length not a multiple of 6 octets MUST be treated as a connection error of type FRAME_SIZE_ERROR
      if (length % 6 !== 0)
        connectionError(
          ErrorCode.FRAME_SIZE_ERROR,
          "settings_length_not_multiple_of_6",
          `Cannot decode SETTINGS frame: payload length ${length} is not a multiple of 6`,
          0,
          offset,
        );
      const settings: Setting[] = [];
      for (let p = 0; p < length; p += 6) {
        const s = { id: (payload[p]! << 8) | payload[p + 1]!, value: readU32(payload, p + 2) };
        validateSetting(s, offset === undefined ? undefined : offset + 9 + p);
        settings.push(s);
      }
      return { type, streamId, flags, ack, settings };
    }
    case FrameType.PUSH_PROMISE: {
      // RFC 9113 §6.6: PUSH_PROMISE on stream 0 MUST be treated as a connection error of type PROTOCOL_ERROR
      if (streamId === 0)
        connectionError(ErrorCode.PROTOCOL_ERROR, "push_promise_stream_0", "Cannot decode PUSH_PROMISE frame: stream identifier is 0", 0, offset);
      const padded = (flags & PADDED) !== 0;
      const [start, end, padLength] = padding("PUSH_PROMISE", "push_promise", payload, padded, 4, streamId, offset);
      const promisedStreamId = readU32(payload, start - 4) & 0x7fffffff;
      // RFC 9113 §5.1.1: streams initiated by a server use even-numbered identifiers; an unexpected
      // identifier MUST be treated as a connection error of type PROTOCOL_ERROR
      if (promisedStreamId === 0 || promisedStreamId % 2 === 1)
        connectionError(
          ErrorCode.PROTOCOL_ERROR,
          "push_promise_invalid_promised_stream_id",
          `Cannot decode PUSH_PROMISE frame: promised stream identifier ${promisedStreamId} is not a non-zero even number`,
          streamId,
          offset,
        );
      return {
        type,
        streamId,
        flags,
        endHeaders: (flags & END_HEADERS) !== 0,
        padded,
        padLength,
        promisedStreamId,
        fragment: payload.subarray(start, end),
      };
    }
    case FrameType.PING:
      // RFC 9113 §6.7: a stream identifier other than 0 MUST be treated as a connection error of type PROTOCOL_ERROR
      if (streamId !== 0)
        connectionError(ErrorCode.PROTOCOL_ERROR, "ping_stream_nonzero", `Cannot decode PING frame: stream identifier is ${streamId}, not 0`, streamId, offset);
      // RFC 9113 §6.7: a length other than 8 MUST be treated as a connection error of type FRAME_SIZE_ERROR
      if (length !== 8)
        connectionError(ErrorCode.FRAME_SIZE_ERROR, "ping_length_invalid", `Cannot decode PING frame: length ${length} is not 8`, 0, offset);
      return { type, streamId, flags, ack: (flags & ACK) !== 0, opaqueData: payload };
    case FrameType.GOAWAY:
      // RFC 9113 §6.8: a stream identifier other than 0 MUST be treated as a connection error of type PROTOCOL_ERROR
      if (streamId !== 0)
        connectionError(ErrorCode.PROTOCOL_ERROR, "goaway_stream_nonzero", `Cannot decode GOAWAY frame: stream identifier is ${streamId}, not 0`, streamId, offset);
      // RFC 9113 §4.2: a frame too small to contain mandatory frame data: FRAME_SIZE_ERROR (stream 0: connection)
      if (length < 8)
        connectionError(ErrorCode.FRAME_SIZE_ERROR, "goaway_too_short", `Cannot decode GOAWAY frame: length ${length} is below 8`, 0, offset);
      return {
        type,
        streamId,
        flags,
        lastStreamId: readU32(payload, 0) & 0x7fffffff,
        errorCode: readU32(payload, 4),
        debugData: payload.subarray(8),
      };
    case FrameType.WINDOW_UPDATE: {
      // RFC 9113 §6.9: a length other than 4 octets MUST be treated as a connection error of type FRAME_SIZE_ERROR
      if (length !== 4)
        connectionError(ErrorCode.FRAME_SIZE_ERROR, "window_update_length_invalid", `Cannot decode WINDOW_UPDATE frame: length ${length} is not 4`, streamId, offset);
      // RFC 9113 §6.9: the reserved bit MUST be ignored
      const windowSizeIncrement = readU32(payload, 0) & 0x7fffffff;
      if (windowSizeIncrement === 0) {
        // RFC 9113 §6.9: an increment of 0 MUST be treated as a stream error of type PROTOCOL_ERROR;
        // errors on the connection flow-control window MUST be treated as a connection error
        const message = "Cannot decode WINDOW_UPDATE frame: window size increment is 0";
        if (streamId === 0) connectionError(ErrorCode.PROTOCOL_ERROR, "window_update_zero_increment", message, 0, offset);
        streamError(ErrorCode.PROTOCOL_ERROR, "window_update_zero_increment", message, streamId, offset);
      }
      return { type, streamId, flags, windowSizeIncrement };
    }
    case FrameType.CONTINUATION:
      // RFC 9113 §6.10: CONTINUATION on stream 0 MUST be treated as a connection error of type PROTOCOL_ERROR
      if (streamId === 0)
        connectionError(ErrorCode.PROTOCOL_ERROR, "continuation_stream_0", "Cannot decode CONTINUATION frame: stream identifier is 0", 0, offset);
      return { type, streamId, flags, endHeaders: (flags & END_HEADERS) !== 0, fragment: payload };
    case FrameType.ALTSVC: {
      // RFC 7838 §4: Origin-Len (16), Origin, Alt-Svc-Field-Value. A frame whose Origin-Len runs past the
      // payload cannot be parsed; the RFC's rule for invalid frames is "ignore", so it becomes an unknown frame.
      if (length < 2) return unknown(header, payload);
      const originLength = (payload[0]! << 8) | payload[1]!;
      if (2 + originLength > length) return unknown(header, payload);
      return {
        type,
        streamId,
        flags,
        origin: latin1Decode(payload, 2, 2 + originLength),
        fieldValue: latin1Decode(payload, 2 + originLength, length),
      };
    }
    case FrameType.ORIGIN: {
      // RFC 8336 §2: a sequence of Origin-Entry { Origin-Len (16), ASCII-Origin }. Entries that do not
      // fit make the frame unparsable: it becomes an unknown frame (invalid ORIGIN frames are ignored).
      const origins: string[] = [];
      let p = 0;
      while (p < length) {
        if (length - p < 2) return unknown(header, payload);
        const n = (payload[p]! << 8) | payload[p + 1]!;
        if (p + 2 + n > length) return unknown(header, payload);
        origins.push(latin1Decode(payload, p + 2, p + 2 + n));
        p += 2 + n;
      }
      return { type, streamId, flags, origins };
    }
    case FrameType.PRIORITY_UPDATE: {
      // RFC 9218 §7.1: the stream identifier MUST be zero; any other value MUST be treated as a
      // connection error of type PROTOCOL_ERROR
      if (streamId !== 0)
        connectionError(
          ErrorCode.PROTOCOL_ERROR,
          "priority_update_stream_nonzero",
          `Cannot decode PRIORITY_UPDATE frame: stream identifier is ${streamId}, not 0`,
          streamId,
          offset,
        );
      // RFC 9113 §4.2: too small to contain mandatory frame data (stream 0: connection FRAME_SIZE_ERROR)
      if (length < 4)
        connectionError(ErrorCode.FRAME_SIZE_ERROR, "priority_update_too_short", `Cannot decode PRIORITY_UPDATE frame: length ${length} is below 4`, 0, offset);
      const prioritizedStreamId = readU32(payload, 0) & 0x7fffffff;
      // RFC 9218 §7.1: a prioritized stream ID of 0x0 MUST be treated as a connection error of type PROTOCOL_ERROR
      if (prioritizedStreamId === 0)
        connectionError(ErrorCode.PROTOCOL_ERROR, "priority_update_stream_0", "Cannot decode PRIORITY_UPDATE frame: prioritized stream identifier is 0", 0, offset);
      return { type, streamId, flags, prioritizedStreamId, fieldValue: latin1Decode(payload, 4, length) };
    }
    default:
      return unknown(header, payload);
  }
}

function unknown(header: FrameHeader, payload: Uint8Array): UnknownFrame {
  return { type: "unknown", frameType: header.type, streamId: header.streamId, flags: header.flags, payload };
}

function priorityFields(b: Uint8Array, p: number): PriorityFields {
  const word = readU32(b, p);
  return { exclusive: word >= 0x80000000, streamDependency: word & 0x7fffffff, weight: b[p + 4]! + 1 };
}

function selfDependency(name: string, reason: string, streamId: number, offset: number | undefined): never {
  return streamError(ErrorCode.PROTOCOL_ERROR, reason, `Cannot decode ${name} frame: stream ${streamId} depends on itself`, streamId, offset);
}

/**
 * Splits a possibly padded payload: returns [start, end, padLength] of the
 * content after `fixed` octets of fixed fields (which follow the Pad Length).
 */
function padding(
  name: string,
  token: string,
  payload: Uint8Array,
  padded: boolean,
  fixed: number,
  streamId: number,
  offset: number | undefined,
): [number, number, number | undefined] {
  const length = payload.length;
  const min = (padded ? 1 : 0) + fixed;
  // RFC 9113 §4.2: too small to contain mandatory frame data: FRAME_SIZE_ERROR; a frame that carries
  // a field block or DATA (which counts against the connection window) alters connection state,
  // so the error is connection-scoped
  if (length < min)
    connectionError(
      ErrorCode.FRAME_SIZE_ERROR,
      `${token}_too_short`,
      `Cannot decode ${name} frame: length ${length} is below the ${min} octets of its fixed fields`,
      streamId,
      offset,
    );
  if (!padded) return [fixed, length, undefined];
  const padLength = payload[0]!;
  // RFC 9113 §6.1, §6.2, §6.6: padding that is the length of the frame payload or greater
  // MUST be treated as a connection error of type PROTOCOL_ERROR
  if (padLength > length - min)
    connectionError(
      ErrorCode.PROTOCOL_ERROR,
      `${token}_padding_too_long`,
      `Cannot decode ${name} frame: pad length ${padLength} leaves no room in payload length ${length}`,
      streamId,
      offset,
    );
  return [min, length - padLength, padLength];
}
