/**
 * Encoding QUIC frames (RFC 9000 §19, RFC 9221 §4): the exact inverse of
 * {@link decodeFrames} for frames with minimal varints.
 *
 * @module
 */

import { ByteWriter } from "../../shared/byte-writer.js";
import { DATAGRAM_LEN_BIT, QuicFrameType, StreamFrameBits } from "../frame-type.js";
import { MAX_STREAMS_LIMIT } from "../stream-id.js";
import { MAX_VARINT, varintLength, writeVarintTo } from "../varint.js";
import { ackedRanges } from "./decode.js";
import type { AckFrame, QuicFrame, QuicFrameInput } from "./types.js";

function bytes(frame: string, what: string, v: unknown, exact?: number): Uint8Array {
  if (!(v instanceof Uint8Array)) throw new TypeError(`Cannot encode ${frame}: ${what} must be a Uint8Array`);
  if (exact !== undefined && v.length !== exact)
    throw new RangeError(`Cannot encode ${frame}: ${what} must be ${exact} bytes, got ${v.length}`);
  return v;
}

/** Checks a varint field (RangeError / TypeError from varintLength) and returns it. */
function vi(v: number | bigint): number | bigint {
  varintLength(v);
  return v;
}

function streamsValue(frame: string, v: number | bigint): number | bigint {
  vi(v);
  if (BigInt(v) > MAX_STREAMS_LIMIT) throw new RangeError(`Cannot encode ${frame}: ${v} streams is above 2^60`);
  return v;
}

function endCheck(frame: string, offset: number | bigint, length: number): void {
  vi(offset);
  if (BigInt(offset) + BigInt(length) > MAX_VARINT)
    throw new RangeError(`Cannot encode ${frame}: offset ${offset} plus ${length} bytes is above 2^62 - 1`);
}

function writeAck(w: ByteWriter, f: AckFrame): void {
  if (!Array.isArray(f.ackRanges)) throw new TypeError("Cannot encode ACK: ackRanges must be an array");
  ackedRanges(f); // RangeError for ranges below 0
  w.u8(f.ecnCounts === undefined ? QuicFrameType.ACK : QuicFrameType.ACK_ECN);
  writeVarintTo(w, vi(f.largestAcknowledged));
  writeVarintTo(w, vi(f.ackDelay));
  writeVarintTo(w, f.ackRanges.length);
  writeVarintTo(w, vi(f.firstAckRange));
  for (const r of f.ackRanges) {
    writeVarintTo(w, vi(r.gap));
    writeVarintTo(w, vi(r.length));
  }
  if (f.ecnCounts !== undefined) {
    writeVarintTo(w, vi(f.ecnCounts.ect0));
    writeVarintTo(w, vi(f.ecnCounts.ect1));
    writeVarintTo(w, vi(f.ecnCounts.ecnCe));
  }
}

function writeFrame(w: ByteWriter, f: QuicFrameInput, last: boolean): void {
  switch (f.type) {
    case "padding": {
      const n = f.length;
      if (!Number.isSafeInteger(n) || n < 1)
        throw new RangeError(`Cannot encode PADDING: length must be a positive integer, got ${String(n)}`);
      w.ensure(n);
      w.buf.fill(QuicFrameType.PADDING, w.pos, w.pos + n);
      w.pos += n;
      return;
    }
    case "ping":
      w.u8(QuicFrameType.PING);
      return;
    case "ack":
      writeAck(w, f);
      return;
    case "reset-stream":
      w.u8(QuicFrameType.RESET_STREAM);
      writeVarintTo(w, vi(f.streamId));
      writeVarintTo(w, vi(f.errorCode));
      writeVarintTo(w, vi(f.finalSize));
      return;
    case "stop-sending":
      w.u8(QuicFrameType.STOP_SENDING);
      writeVarintTo(w, vi(f.streamId));
      writeVarintTo(w, vi(f.errorCode));
      return;
    case "crypto": {
      const data = bytes("CRYPTO", "data", f.data);
      endCheck("CRYPTO", f.offset, data.length);
      w.u8(QuicFrameType.CRYPTO);
      writeVarintTo(w, f.offset);
      writeVarintTo(w, data.length);
      w.bytes(data);
      return;
    }
    case "new-token": {
      const token = bytes("NEW_TOKEN", "token", f.token);
      if (token.length === 0) throw new RangeError("Cannot encode NEW_TOKEN: the token is empty");
      w.u8(QuicFrameType.NEW_TOKEN);
      writeVarintTo(w, token.length);
      w.bytes(token);
      return;
    }
    case "stream": {
      const data = bytes("STREAM", "data", f.data);
      const offset = f.offset ?? 0;
      endCheck("STREAM", offset, data.length);
      const hasOffset = f.hasOffset ?? (offset !== 0 && offset !== 0n);
      const hasLength = f.hasLength ?? true;
      if (!hasOffset && offset !== 0 && offset !== 0n)
        throw new RangeError(`Cannot encode STREAM: offset ${offset} needs the Offset field (hasOffset)`);
      if (!hasLength && !last) throw new RangeError("Cannot encode STREAM: a frame without a Length field must be the last of the packet");
      w.u8(
        QuicFrameType.STREAM |
          (hasOffset ? StreamFrameBits.OFF : 0) |
          (hasLength ? StreamFrameBits.LEN : 0) |
          (f.fin === true ? StreamFrameBits.FIN : 0),
      );
      writeVarintTo(w, vi(f.streamId));
      if (hasOffset) writeVarintTo(w, offset);
      if (hasLength) writeVarintTo(w, data.length);
      w.bytes(data);
      return;
    }
    case "max-data":
      w.u8(QuicFrameType.MAX_DATA);
      writeVarintTo(w, vi(f.maximumData));
      return;
    case "max-stream-data":
      w.u8(QuicFrameType.MAX_STREAM_DATA);
      writeVarintTo(w, vi(f.streamId));
      writeVarintTo(w, vi(f.maximumStreamData));
      return;
    case "max-streams":
      w.u8(direction("MAX_STREAMS", f.direction) === "bidi" ? QuicFrameType.MAX_STREAMS_BIDI : QuicFrameType.MAX_STREAMS_UNI);
      writeVarintTo(w, streamsValue("MAX_STREAMS", f.maximumStreams));
      return;
    case "data-blocked":
      w.u8(QuicFrameType.DATA_BLOCKED);
      writeVarintTo(w, vi(f.maximumData));
      return;
    case "stream-data-blocked":
      w.u8(QuicFrameType.STREAM_DATA_BLOCKED);
      writeVarintTo(w, vi(f.streamId));
      writeVarintTo(w, vi(f.maximumStreamData));
      return;
    case "streams-blocked":
      w.u8(direction("STREAMS_BLOCKED", f.direction) === "bidi" ? QuicFrameType.STREAMS_BLOCKED_BIDI : QuicFrameType.STREAMS_BLOCKED_UNI);
      writeVarintTo(w, streamsValue("STREAMS_BLOCKED", f.maximumStreams));
      return;
    case "new-connection-id": {
      const cid = bytes("NEW_CONNECTION_ID", "connectionId", f.connectionId);
      if (cid.length < 1 || cid.length > 20)
        throw new RangeError(`Cannot encode NEW_CONNECTION_ID: connection ID length ${cid.length} is not 1..20`);
      const token = bytes("NEW_CONNECTION_ID", "statelessResetToken", f.statelessResetToken, 16);
      vi(f.sequenceNumber);
      vi(f.retirePriorTo);
      if (BigInt(f.retirePriorTo) > BigInt(f.sequenceNumber))
        throw new RangeError(
          `Cannot encode NEW_CONNECTION_ID: Retire Prior To ${f.retirePriorTo} is above Sequence Number ${f.sequenceNumber}`,
        );
      w.u8(QuicFrameType.NEW_CONNECTION_ID);
      writeVarintTo(w, f.sequenceNumber);
      writeVarintTo(w, f.retirePriorTo);
      w.u8(cid.length);
      w.bytes(cid);
      w.bytes(token);
      return;
    }
    case "retire-connection-id":
      w.u8(QuicFrameType.RETIRE_CONNECTION_ID);
      writeVarintTo(w, vi(f.sequenceNumber));
      return;
    case "path-challenge":
      w.u8(QuicFrameType.PATH_CHALLENGE);
      w.bytes(bytes("PATH_CHALLENGE", "data", f.data, 8));
      return;
    case "path-response":
      w.u8(QuicFrameType.PATH_RESPONSE);
      w.bytes(bytes("PATH_RESPONSE", "data", f.data, 8));
      return;
    case "connection-close": {
      const reason = bytes("CONNECTION_CLOSE", "reasonPhrase", f.reasonPhrase);
      if (f.errorSpace === "transport") {
        w.u8(QuicFrameType.CONNECTION_CLOSE);
        writeVarintTo(w, vi(f.errorCode));
        writeVarintTo(w, vi(f.frameType));
      } else if (f.errorSpace === "application") {
        w.u8(QuicFrameType.CONNECTION_CLOSE_APPLICATION);
        writeVarintTo(w, vi(f.errorCode));
      } else {
        throw new RangeError(
          `Cannot encode CONNECTION_CLOSE: errorSpace must be "transport" or "application", got ${String((f as { errorSpace: unknown }).errorSpace)}`,
        );
      }
      writeVarintTo(w, reason.length);
      w.bytes(reason);
      return;
    }
    case "handshake-done":
      w.u8(QuicFrameType.HANDSHAKE_DONE);
      return;
    case "datagram": {
      const data = bytes("DATAGRAM", "data", f.data);
      const hasLength = f.hasLength ?? true;
      if (!hasLength && !last)
        throw new RangeError("Cannot encode DATAGRAM: a frame without a Length field must be the last of the packet");
      w.u8(QuicFrameType.DATAGRAM | (hasLength ? DATAGRAM_LEN_BIT : 0));
      if (hasLength) writeVarintTo(w, data.length);
      w.bytes(data);
      return;
    }
    default: {
      const never: never = f;
      throw new TypeError(`Cannot encode frame: unknown type ${String((never as { type: unknown }).type)}`);
    }
  }
}

function direction(frame: string, d: unknown): "bidi" | "uni" {
  if (d !== "bidi" && d !== "uni") throw new RangeError(`Cannot encode ${frame}: direction must be "bidi" or "uni", got ${String(d)}`);
  return d;
}

/**
 * Encodes frames into one packet payload, with minimal varints: the exact
 * inverse of {@link decodeFrames} (decoding the output gives the frames
 * back, and a decoded payload with minimal varints encodes to its own
 * bytes). Adjacent `padding` frames decode as one.
 *
 * @throws RangeError / TypeError for a frame that cannot be sent: a value
 *   above 2^62 - 1, a connection ID not 1..20 bytes, a reset token not 16
 *   bytes, Retire Prior To above Sequence Number, stream counts above 2^60,
 *   offset plus length above 2^62 - 1, ACK ranges below 0, an empty
 *   NEW_TOKEN, PATH data not 8 bytes, a STREAM or DATAGRAM without a Length
 *   field that is not the last frame
 * @example
 * ```ts
 * encodeFrames([{ type: "stream", streamId: 0, offset: 0, data: Uint8Array.of(0x68, 0x69), fin: true }]);
 * // Uint8Array [0x0b, 0x00, 0x02, 0x68, 0x69]
 * ```
 */
export function encodeFrames(frames: readonly (QuicFrame | QuicFrameInput)[]): Uint8Array {
  if (!Array.isArray(frames)) throw new TypeError("encodeFrames: expected an array of frames");
  const w = new ByteWriter(64);
  for (let i = 0; i < frames.length; i++) writeFrame(w, frames[i] as QuicFrameInput, i === frames.length - 1);
  return w.finish();
}

/**
 * The wire frame type of a decoded frame: 0x03 for an ACK with ECN counts,
 * 0x08–0x0f for STREAM by its bits, 0x1c or 0x1d for CONNECTION_CLOSE, 0x30
 * or 0x31 for DATAGRAM. Name it with `quicFrameTypeName`.
 *
 * @example
 * ```ts
 * const data = new TextEncoder().encode("hello");
 * quicFrameTypeOf({ type: "stream", streamId: 4, offset: 0, data, fin: true, hasOffset: false, hasLength: true }); // => 0x0b
 * ```
 */
export function quicFrameTypeOf(frame: QuicFrame): number {
  switch (frame.type) {
    case "padding":
      return QuicFrameType.PADDING;
    case "ping":
      return QuicFrameType.PING;
    case "ack":
      return frame.ecnCounts === undefined ? QuicFrameType.ACK : QuicFrameType.ACK_ECN;
    case "reset-stream":
      return QuicFrameType.RESET_STREAM;
    case "stop-sending":
      return QuicFrameType.STOP_SENDING;
    case "crypto":
      return QuicFrameType.CRYPTO;
    case "new-token":
      return QuicFrameType.NEW_TOKEN;
    case "stream":
      return (
        QuicFrameType.STREAM |
        (frame.hasOffset ? StreamFrameBits.OFF : 0) |
        (frame.hasLength ? StreamFrameBits.LEN : 0) |
        (frame.fin ? StreamFrameBits.FIN : 0)
      );
    case "max-data":
      return QuicFrameType.MAX_DATA;
    case "max-stream-data":
      return QuicFrameType.MAX_STREAM_DATA;
    case "max-streams":
      return frame.direction === "bidi" ? QuicFrameType.MAX_STREAMS_BIDI : QuicFrameType.MAX_STREAMS_UNI;
    case "data-blocked":
      return QuicFrameType.DATA_BLOCKED;
    case "stream-data-blocked":
      return QuicFrameType.STREAM_DATA_BLOCKED;
    case "streams-blocked":
      return frame.direction === "bidi" ? QuicFrameType.STREAMS_BLOCKED_BIDI : QuicFrameType.STREAMS_BLOCKED_UNI;
    case "new-connection-id":
      return QuicFrameType.NEW_CONNECTION_ID;
    case "retire-connection-id":
      return QuicFrameType.RETIRE_CONNECTION_ID;
    case "path-challenge":
      return QuicFrameType.PATH_CHALLENGE;
    case "path-response":
      return QuicFrameType.PATH_RESPONSE;
    case "connection-close":
      return frame.errorSpace === "transport" ? QuicFrameType.CONNECTION_CLOSE : QuicFrameType.CONNECTION_CLOSE_APPLICATION;
    case "handshake-done":
      return QuicFrameType.HANDSHAKE_DONE;
    case "datagram":
      return frame.hasLength ? QuicFrameType.DATAGRAM_WITH_LENGTH : QuicFrameType.DATAGRAM;
    default: {
      const never: never = frame;
      throw new TypeError(`quicFrameTypeOf: unknown frame type ${String((never as { type: unknown }).type)}`);
    }
  }
}
