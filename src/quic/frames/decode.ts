/**
 * Decoding the frames of a QUIC packet payload (RFC 9000 §12.4, §19;
 * RFC 9221 §4).
 *
 * @module
 */

import type { Cursor } from "../../shared/cursor.js";
import { NEED_MORE } from "../../shared/result.js";
import { TransportErrorCode } from "../error-codes.js";
import { connectionError } from "../errors.js";
import { DATAGRAM_LEN_BIT, QuicFrameType, quicFrameTypeName, STREAM_FRAME_TYPE_LAST, StreamFrameBits } from "../frame-type.js";
import { MAX_STREAMS_LIMIT } from "../stream-id.js";
import { MAX_VARINT, takeVarintAny, varintLength } from "../varint.js";
import { checkFramePermitted } from "./permitted.js";
import type { AckFrame, AckRange, EcnCounts, FramePacketType, QuicFrame } from "./types.js";

/** Options of {@link decodeFrames}. */
export interface DecodeFramesOptions {
  /**
   * The packet type the payload came in. When given, each frame type is
   * checked against RFC 9000 §12.4 Table 3 (PROTOCOL_VIOLATION
   * `frame_not_permitted_in_packet_type`).
   */
  readonly packetType?: FramePacketType;
  /**
   * Which endpoint sent the packet. When given, the rules that depend on it
   * alone are applied: NEW_TOKEN and HANDSHAKE_DONE only from a server
   * (§19.7, §19.20), and stream frames only in the directions a
   * unidirectional stream allows (§19.4, §19.5, §19.8, §19.10, §19.13).
   */
  readonly sender?: "client" | "server";
}

/** Length of a connection ID in NEW_CONNECTION_ID: 1..20 (§19.15). */
const MAX_CID = 20;
/** Stateless Reset Token length (§19.15). */
const RESET_TOKEN_LENGTH = 16;
/** PATH_CHALLENGE / PATH_RESPONSE data length (§19.17). */
const PATH_DATA_LENGTH = 8;
/** Stream ID bits (RFC 9000 §2.1). */
const INITIATOR_BIT = 0x01;
const DIRECTION_BIT = 0x02;

function frameError(reason: string, message: string, offset: number): never {
  throw connectionError(TransportErrorCode.FRAME_ENCODING_ERROR, reason, message, offset);
}

function truncated(type: number, at: number, what: string): never {
  // RFC 9000 §12.4: a frame whose fields run past the end of the payload is
  // malformed: FRAME_ENCODING_ERROR.
  return frameError("frame_truncated", `Cannot decode ${quicFrameTypeName(type)} frame: the packet ends inside its ${what}`, at);
}

/** A varint field of a frame; running out of payload is FRAME_ENCODING_ERROR. */
function field(c: Cursor, type: number, what: string): number | bigint {
  const v = takeVarintAny(c);
  if (v === NEED_MORE) truncated(type, c.pos, what);
  return v;
}

/** A length field followed by that many bytes, as a view. */
function bytesField(c: Cursor, type: number, what: string): Uint8Array {
  const n = field(c, type, `${what} length`);
  if (typeof n === "bigint" || n > c.end - c.pos) truncated(type, c.pos, what);
  const out = c.buf.subarray(c.pos, c.pos + n);
  c.pos += n;
  return out;
}

function fixedBytes(c: Cursor, type: number, n: number, what: string): Uint8Array {
  if (n > c.end - c.pos) truncated(type, c.pos, what);
  const out = c.buf.subarray(c.pos, c.pos + n);
  c.pos += n;
  return out;
}

/** Whether a stream's last byte, `offset + length`, is beyond 2^62 - 1. */
function endBeyondMax(offset: number | bigint, length: number): boolean {
  // A number offset is at most 2^53 - 1, and a length fits in memory: never beyond 2^62 - 1.
  return typeof offset === "bigint" && offset + BigInt(length) > MAX_VARINT;
}

function checkStreamDirection(
  type: number,
  streamId: number | bigint,
  sender: "client" | "server" | undefined,
  dataSender: boolean,
  at: number,
): void {
  if (sender === undefined) return;
  const low = typeof streamId === "number" ? streamId % 4 : Number(streamId & 3n);
  if ((low & DIRECTION_BIT) === 0) return;
  const initiator = (low & INITIATOR_BIT) === 0 ? "client" : "server";
  if (dataSender && initiator !== sender) {
    // RFC 9000 §19.4, §19.8, §19.13: STREAM, RESET_STREAM or STREAM_DATA_BLOCKED
    // for a stream that is send-only for the receiver: STREAM_STATE_ERROR.
    throw connectionError(
      TransportErrorCode.STREAM_STATE_ERROR,
      "stream_send_only",
      `Invalid ${quicFrameTypeName(type)} frame: the ${sender} cannot send on unidirectional stream ${streamId}, which the ${initiator} opened`,
      at,
    );
  }
  if (!dataSender && initiator === sender) {
    // RFC 9000 §19.5, §19.10: STOP_SENDING or MAX_STREAM_DATA for a stream that
    // is receive-only for the receiver: STREAM_STATE_ERROR.
    throw connectionError(
      TransportErrorCode.STREAM_STATE_ERROR,
      "stream_receive_only",
      `Invalid ${quicFrameTypeName(type)} frame: the ${sender} does not receive on unidirectional stream ${streamId}, which it opened`,
      at,
    );
  }
}

function decodeAck(c: Cursor, type: number, start: number): AckFrame {
  const largestAcknowledged = field(c, type, "Largest Acknowledged");
  const ackDelay = field(c, type, "ACK Delay");
  const count = field(c, type, "ACK Range Count");
  const firstAckRange = field(c, type, "First ACK Range");
  // Each range takes at least 2 bytes: a count beyond that is truncation,
  // found before anything is allocated for it.
  if (typeof count === "bigint" || count > (c.end - c.pos) / 2) truncated(type, c.pos, "ACK Ranges");
  const ackRanges: AckRange[] = [];
  // RFC 9000 §19.3.1: "If any computed packet number is negative, an endpoint
  // MUST generate a connection error of type FRAME_ENCODING_ERROR."
  let underflow = false;
  let smallest: number | bigint;
  if (typeof largestAcknowledged === "number") {
    if (typeof firstAckRange === "bigint" || firstAckRange > largestAcknowledged) underflow = true;
    smallest = underflow ? 0 : largestAcknowledged - (firstAckRange as number);
  } else {
    const s = largestAcknowledged - BigInt(firstAckRange);
    underflow = s < 0n;
    smallest = s;
  }
  for (let i = 0; i < count; i++) {
    const gap = field(c, type, "Gap");
    const length = field(c, type, "ACK Range Length");
    ackRanges.push({ gap, length });
    if (underflow) continue;
    if (typeof smallest === "number" && typeof gap === "number" && typeof length === "number") {
      const largest = smallest - gap - 2;
      if (largest < 0 || length > largest) underflow = true;
      else smallest = largest - length;
    } else {
      const largest = BigInt(smallest) - BigInt(gap) - 2n;
      const s = largest - BigInt(length);
      if (largest < 0n || s < 0n) underflow = true;
      else smallest = s <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(s) : s;
    }
  }
  let ecnCounts: EcnCounts | undefined;
  if (type === QuicFrameType.ACK_ECN) {
    const ect0 = field(c, type, "ECT0 Count");
    const ect1 = field(c, type, "ECT1 Count");
    const ecnCe = field(c, type, "ECN-CE Count");
    ecnCounts = { ect0, ect1, ecnCe };
  }
  if (underflow) {
    frameError(
      "ack_range_underflow",
      `Cannot decode ${quicFrameTypeName(type)} frame: its ranges go below packet number 0 (largest acknowledged ${largestAcknowledged})`,
      start,
    );
  }
  return ecnCounts === undefined
    ? { type: "ack", largestAcknowledged, ackDelay, firstAckRange, ackRanges }
    : { type: "ack", largestAcknowledged, ackDelay, firstAckRange, ackRanges, ecnCounts };
}

function checkMaxStreamsValue(type: number, value: number | bigint, code: number, reason: string, at: number): void {
  if (typeof value === "bigint" && value > MAX_STREAMS_LIMIT) {
    throw connectionError(code, reason, `Invalid ${quicFrameTypeName(type)} frame: ${value} streams is above 2^60`, at);
  }
}

/** Decodes the frame of type `type` whose body starts at `c.pos`. */
function decodeBody(c: Cursor, type: number, start: number, sender: "client" | "server" | undefined): QuicFrame {
  if (type >= QuicFrameType.STREAM && type <= STREAM_FRAME_TYPE_LAST) {
    const streamId = field(c, type, "Stream ID");
    checkStreamDirection(type, streamId, sender, true, start);
    const hasOffset = (type & StreamFrameBits.OFF) !== 0;
    const hasLength = (type & StreamFrameBits.LEN) !== 0;
    const offset = hasOffset ? field(c, type, "Offset") : 0;
    let data: Uint8Array;
    if (hasLength) data = bytesField(c, type, "Stream Data");
    else {
      data = c.buf.subarray(c.pos, c.end);
      c.pos = c.end;
    }
    if (endBeyondMax(offset, data.length)) {
      // RFC 9000 §19.8: offset + length above 2^62 - 1 MUST be FRAME_ENCODING_ERROR or FLOW_CONTROL_ERROR.
      frameError(
        "stream_offset_too_large",
        `Cannot decode STREAM frame: offset ${offset} plus ${data.length} bytes is above 2^62 - 1`,
        start,
      );
    }
    return { type: "stream", streamId, offset, data, fin: (type & StreamFrameBits.FIN) !== 0, hasOffset, hasLength };
  }
  switch (type) {
    case QuicFrameType.PING:
      return { type: "ping" };
    case QuicFrameType.ACK:
    case QuicFrameType.ACK_ECN:
      return decodeAck(c, type, start);
    case QuicFrameType.RESET_STREAM: {
      const streamId = field(c, type, "Stream ID");
      checkStreamDirection(type, streamId, sender, true, start);
      const errorCode = field(c, type, "Application Protocol Error Code");
      const finalSize = field(c, type, "Final Size");
      return { type: "reset-stream", streamId, errorCode, finalSize };
    }
    case QuicFrameType.STOP_SENDING: {
      const streamId = field(c, type, "Stream ID");
      checkStreamDirection(type, streamId, sender, false, start);
      return { type: "stop-sending", streamId, errorCode: field(c, type, "Application Protocol Error Code") };
    }
    case QuicFrameType.CRYPTO: {
      const offset = field(c, type, "Offset");
      const data = bytesField(c, type, "Crypto Data");
      if (endBeyondMax(offset, data.length)) {
        // RFC 9000 §19.6: above 2^62 - 1 MUST be FRAME_ENCODING_ERROR or CRYPTO_BUFFER_EXCEEDED.
        frameError(
          "crypto_offset_too_large",
          `Cannot decode CRYPTO frame: offset ${offset} plus ${data.length} bytes is above 2^62 - 1`,
          start,
        );
      }
      return { type: "crypto", offset, data };
    }
    case QuicFrameType.NEW_TOKEN: {
      if (sender === "client") {
        // RFC 9000 §19.7: "A server MUST treat receipt of a NEW_TOKEN frame as a
        // connection error of type PROTOCOL_VIOLATION."
        throw connectionError(
          TransportErrorCode.PROTOCOL_VIOLATION,
          "new_token_from_client",
          "Invalid NEW_TOKEN frame: sent by a client",
          start,
        );
      }
      const token = bytesField(c, type, "Token");
      // RFC 9000 §19.7: an empty Token MUST be FRAME_ENCODING_ERROR.
      if (token.length === 0) frameError("new_token_empty", "Cannot decode NEW_TOKEN frame: the token is empty", start);
      return { type: "new-token", token };
    }
    case QuicFrameType.MAX_DATA:
      return { type: "max-data", maximumData: field(c, type, "Maximum Data") };
    case QuicFrameType.MAX_STREAM_DATA: {
      const streamId = field(c, type, "Stream ID");
      checkStreamDirection(type, streamId, sender, false, start);
      return { type: "max-stream-data", streamId, maximumStreamData: field(c, type, "Maximum Stream Data") };
    }
    case QuicFrameType.MAX_STREAMS_BIDI:
    case QuicFrameType.MAX_STREAMS_UNI: {
      const maximumStreams = field(c, type, "Maximum Streams");
      // RFC 9000 §19.11: above 2^60 MUST be FRAME_ENCODING_ERROR.
      checkMaxStreamsValue(type, maximumStreams, TransportErrorCode.FRAME_ENCODING_ERROR, "max_streams_above_2_60", start);
      return { type: "max-streams", direction: type === QuicFrameType.MAX_STREAMS_BIDI ? "bidi" : "uni", maximumStreams };
    }
    case QuicFrameType.DATA_BLOCKED:
      return { type: "data-blocked", maximumData: field(c, type, "Maximum Data") };
    case QuicFrameType.STREAM_DATA_BLOCKED: {
      const streamId = field(c, type, "Stream ID");
      checkStreamDirection(type, streamId, sender, true, start);
      return { type: "stream-data-blocked", streamId, maximumStreamData: field(c, type, "Maximum Stream Data") };
    }
    case QuicFrameType.STREAMS_BLOCKED_BIDI:
    case QuicFrameType.STREAMS_BLOCKED_UNI: {
      const maximumStreams = field(c, type, "Maximum Streams");
      // RFC 9000 §19.14: above 2^60 MUST be STREAM_LIMIT_ERROR or FRAME_ENCODING_ERROR.
      checkMaxStreamsValue(type, maximumStreams, TransportErrorCode.STREAM_LIMIT_ERROR, "streams_blocked_above_2_60", start);
      return { type: "streams-blocked", direction: type === QuicFrameType.STREAMS_BLOCKED_BIDI ? "bidi" : "uni", maximumStreams };
    }
    case QuicFrameType.NEW_CONNECTION_ID: {
      const sequenceNumber = field(c, type, "Sequence Number");
      const retirePriorTo = field(c, type, "Retire Prior To");
      if (c.pos >= c.end) truncated(type, c.pos, "Length");
      const len = c.buf[c.pos]!;
      if (len < 1 || len > MAX_CID) {
        // RFC 9000 §19.15: a length below 1 or above 20 MUST be FRAME_ENCODING_ERROR.
        frameError(
          "connection_id_length_invalid",
          `Cannot decode NEW_CONNECTION_ID frame: connection ID length ${len} is not 1..20`,
          c.pos,
        );
      }
      c.pos++;
      const connectionId = fixedBytes(c, type, len, "Connection ID");
      const statelessResetToken = fixedBytes(c, type, RESET_TOKEN_LENGTH, "Stateless Reset Token");
      if (BigInt(retirePriorTo) > BigInt(sequenceNumber)) {
        // RFC 9000 §19.15: Retire Prior To above Sequence Number MUST be FRAME_ENCODING_ERROR.
        frameError(
          "retire_prior_to_above_sequence_number",
          `Cannot decode NEW_CONNECTION_ID frame: Retire Prior To ${retirePriorTo} is above Sequence Number ${sequenceNumber}`,
          start,
        );
      }
      return { type: "new-connection-id", sequenceNumber, retirePriorTo, connectionId, statelessResetToken };
    }
    case QuicFrameType.RETIRE_CONNECTION_ID:
      return { type: "retire-connection-id", sequenceNumber: field(c, type, "Sequence Number") };
    case QuicFrameType.PATH_CHALLENGE:
      return { type: "path-challenge", data: fixedBytes(c, type, PATH_DATA_LENGTH, "Data") };
    case QuicFrameType.PATH_RESPONSE:
      return { type: "path-response", data: fixedBytes(c, type, PATH_DATA_LENGTH, "Data") };
    case QuicFrameType.CONNECTION_CLOSE: {
      const errorCode = field(c, type, "Error Code");
      const frameType = field(c, type, "Frame Type");
      return {
        type: "connection-close",
        errorSpace: "transport",
        errorCode,
        frameType,
        reasonPhrase: bytesField(c, type, "Reason Phrase"),
      };
    }
    case QuicFrameType.CONNECTION_CLOSE_APPLICATION: {
      const errorCode = field(c, type, "Error Code");
      return { type: "connection-close", errorSpace: "application", errorCode, reasonPhrase: bytesField(c, type, "Reason Phrase") };
    }
    case QuicFrameType.HANDSHAKE_DONE:
      if (sender === "client") {
        // RFC 9000 §19.20: "A server MUST treat receipt of a HANDSHAKE_DONE frame
        // as a connection error of type PROTOCOL_VIOLATION."
        throw connectionError(
          TransportErrorCode.PROTOCOL_VIOLATION,
          "handshake_done_from_client",
          "Invalid HANDSHAKE_DONE frame: sent by a client",
          start,
        );
      }
      return { type: "handshake-done" };
    case QuicFrameType.DATAGRAM:
    case QuicFrameType.DATAGRAM_WITH_LENGTH: {
      const hasLength = (type & DATAGRAM_LEN_BIT) !== 0;
      let data: Uint8Array;
      if (hasLength) data = bytesField(c, type, "Datagram Data");
      else {
        data = c.buf.subarray(c.pos, c.end);
        c.pos = c.end;
      }
      return { type: "datagram", data, hasLength };
    }
    default:
      // RFC 9000 §12.4: "An endpoint MUST treat the receipt of a frame of
      // unknown type as a connection error of type FRAME_ENCODING_ERROR."
      return frameError(
        "unknown_frame_type",
        `Cannot decode frame: unknown type ${quicFrameTypeName(type)} (0x${type.toString(16)})`,
        start,
      );
  }
}

/**
 * Decodes every frame of a packet payload (the plaintext after packet
 * protection is removed). Consecutive PADDING bytes come back as one
 * `{ type: "padding", length }`. Data fields (CRYPTO and STREAM data,
 * tokens, connection IDs, reason phrases, DATAGRAM data) are views of
 * `payload`, no copy.
 *
 * @param out when given, frames are appended to it as they are decoded, so
 *   the frames before a malformed one are kept when this throws
 * @returns the frames (`out`)
 * @throws QuicError, connection scope:
 *   PROTOCOL_VIOLATION `packet_without_frames` (an empty payload, §12.4),
 *   `frame_type_not_minimal` (a frame type in a longer varint than needed,
 *   §12.4), `frame_not_permitted_in_packet_type` (with `options.packetType`,
 *   §12.4 Table 3), `new_token_from_client`, `handshake_done_from_client`
 *   (with `options.sender`);
 *   FRAME_ENCODING_ERROR `unknown_frame_type`, `frame_truncated`,
 *   `ack_range_underflow` (§19.3.1), `stream_offset_too_large` (§19.8),
 *   `crypto_offset_too_large` (§19.6), `new_token_empty` (§19.7),
 *   `max_streams_above_2_60` (§19.11), `connection_id_length_invalid` and
 *   `retire_prior_to_above_sequence_number` (§19.15);
 *   STREAM_LIMIT_ERROR `streams_blocked_above_2_60` (§19.14);
 *   STREAM_STATE_ERROR `stream_send_only`, `stream_receive_only` (with
 *   `options.sender`: a frame for a direction a unidirectional stream does not have)
 * @throws RangeError / TypeError for bad options
 * @example
 * ```ts
 * decodeFrames(Uint8Array.of(0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00));
 * // [{ type: "ack", largestAcknowledged: 0, ackDelay: 0, firstAckRange: 0, ackRanges: [] },
 * //  { type: "ping" }, { type: "padding", length: 2 }]
 * ```
 */
export function decodeFrames(payload: Uint8Array, options?: DecodeFramesOptions, out: QuicFrame[] = []): QuicFrame[] {
  if (!(payload instanceof Uint8Array)) throw new TypeError("decodeFrames: expected a Uint8Array");
  const packetType = options?.packetType;
  const sender = options?.sender;
  if (sender !== undefined && sender !== "client" && sender !== "server")
    throw new RangeError(`decodeFrames: option sender must be "client" or "server", got ${String(sender)}`);
  const end = payload.length;
  if (end === 0) {
    // RFC 9000 §12.4: "An endpoint MUST treat receipt of a packet containing no
    // frames as a connection error of type PROTOCOL_VIOLATION."
    throw connectionError(TransportErrorCode.PROTOCOL_VIOLATION, "packet_without_frames", "Invalid packet: its payload holds no frame", 0);
  }
  const c: Cursor = { buf: payload, pos: 0, end };
  while (c.pos < end) {
    const start = c.pos;
    if (payload[start] === QuicFrameType.PADDING) {
      let p = start + 1;
      while (p < end && payload[p] === QuicFrameType.PADDING) p++;
      if (packetType !== undefined) checkFramePermitted(QuicFrameType.PADDING, packetType, start);
      out.push({ type: "padding", length: p - start });
      c.pos = p;
      continue;
    }
    const type = takeVarintAny(c);
    if (type === NEED_MORE) truncated(QuicFrameType.PADDING, start, "Frame Type");
    if (typeof type === "bigint" || !isKnownType(type)) {
      frameError("unknown_frame_type", `Cannot decode frame: unknown type ${quicFrameTypeName(type)} (0x${type.toString(16)})`, start);
    }
    if (c.pos - start !== varintLength(type)) {
      // RFC 9000 §12.4: "a frame type MUST use the shortest possible encoding"; an
      // endpoint MAY treat a longer one as PROTOCOL_VIOLATION, and this one does.
      throw connectionError(
        TransportErrorCode.PROTOCOL_VIOLATION,
        "frame_type_not_minimal",
        `Invalid frame: type ${quicFrameTypeName(type)} is encoded in ${c.pos - start} bytes, not ${varintLength(type)}`,
        start,
      );
    }
    if (packetType !== undefined) checkFramePermitted(type, packetType, start);
    out.push(decodeBody(c, type, start, sender));
  }
  return out;
}

function isKnownType(type: number): boolean {
  return type <= QuicFrameType.HANDSHAKE_DONE || type === QuicFrameType.DATAGRAM || type === QuicFrameType.DATAGRAM_WITH_LENGTH;
}

/** A range of acknowledged packet numbers, both ends included. */
export interface AckedRange {
  readonly smallest: number | bigint;
  readonly largest: number | bigint;
}

/**
 * The packet numbers an ACK frame acknowledges, as ranges from the highest
 * down (RFC 9000 §19.3.1).
 *
 * @throws RangeError when the ranges go below 0 (a decoded frame never does:
 *   {@link decodeFrames} rejects it with FRAME_ENCODING_ERROR)
 * @example
 * ```ts
 * ackedRanges({ type: "ack", largestAcknowledged: 10, ackDelay: 0, firstAckRange: 2,
 *   ackRanges: [{ gap: 1, length: 0 }] });
 * // [{ smallest: 8, largest: 10 }, { smallest: 5, largest: 5 }]
 * ```
 */
export function ackedRanges(frame: AckFrame): AckedRange[] {
  const norm = (v: bigint): number | bigint => (v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v);
  let largest = BigInt(frame.largestAcknowledged);
  let smallest = largest - BigInt(frame.firstAckRange);
  if (smallest < 0n) throw new RangeError("ackedRanges: the First ACK Range goes below packet number 0");
  const out: AckedRange[] = [{ smallest: norm(smallest), largest: norm(largest) }];
  for (const r of frame.ackRanges) {
    largest = smallest - BigInt(r.gap) - 2n;
    smallest = largest - BigInt(r.length);
    if (largest < 0n || smallest < 0n) throw new RangeError("ackedRanges: an ACK Range goes below packet number 0");
    out.push({ smallest: norm(smallest), largest: norm(largest) });
  }
  return out;
}
