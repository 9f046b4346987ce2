/**
 * A reader of the transport frames in a decrypted QUIC payload (RFC 9000
 * §19, RFC 9221), just what the capture needs: every frame's extent and
 * fields. Interim: to be replaced by httpwire/quic's frame codec.
 * @internal
 */
import { TransportErrorCode } from "../../quic/error-codes.js";
import { connectionError } from "../../quic/errors.js";
import { takeVarint } from "../../quic/varint.js";
import type { Cursor } from "../../shared/cursor.js";

/** A decoded transport frame; byte fields are views of the payload. */
export type QuicFrame =
  | { readonly type: "padding"; readonly length: number }
  | { readonly type: "ping" }
  | {
      readonly type: "ack";
      readonly largest: number;
      readonly delay: number;
      readonly firstRange: number;
      readonly ranges: readonly (readonly [gap: number, length: number])[];
      readonly ecn?: readonly [ect0: number, ect1: number, ce: number];
    }
  | { readonly type: "reset-stream"; readonly streamId: number; readonly errorCode: number; readonly finalSize: number }
  | { readonly type: "stop-sending"; readonly streamId: number; readonly errorCode: number }
  | { readonly type: "crypto"; readonly offset: number; readonly data: Uint8Array }
  | { readonly type: "new-token"; readonly token: Uint8Array }
  | { readonly type: "stream"; readonly streamId: number; readonly offset: number; readonly fin: boolean; readonly data: Uint8Array }
  | { readonly type: "max-data"; readonly maximum: number }
  | { readonly type: "max-stream-data"; readonly streamId: number; readonly maximum: number }
  | { readonly type: "max-streams"; readonly bidirectional: boolean; readonly maximum: number }
  | { readonly type: "data-blocked"; readonly limit: number }
  | { readonly type: "stream-data-blocked"; readonly streamId: number; readonly limit: number }
  | { readonly type: "streams-blocked"; readonly bidirectional: boolean; readonly limit: number }
  | {
      readonly type: "new-connection-id";
      readonly sequence: number;
      readonly retirePriorTo: number;
      readonly connectionId: Uint8Array;
      readonly resetToken: Uint8Array;
    }
  | { readonly type: "retire-connection-id"; readonly sequence: number }
  | { readonly type: "path-challenge"; readonly data: Uint8Array }
  | { readonly type: "path-response"; readonly data: Uint8Array }
  | {
      readonly type: "connection-close";
      readonly application: boolean;
      readonly errorCode: number;
      readonly frameType?: number;
      readonly reason: Uint8Array;
    }
  | { readonly type: "handshake-done" }
  | { readonly type: "datagram"; readonly data: Uint8Array };

function bad(message: string, reason: string, offset: number): never {
  throw connectionError(TransportErrorCode.FRAME_ENCODING_ERROR, reason, message, offset);
}

function v(c: Cursor, what: string): number {
  const x = takeVarint(c);
  if (x < 0) bad(`Cannot read ${what}: ${x === -1 ? "the frame is truncated" : "the value is above 2^53 - 1"}`, "malformed_frame", c.pos);
  return x;
}

function bytes(c: Cursor, n: number, what: string): Uint8Array {
  if (n > c.end - c.pos) bad(`Cannot read ${what}: ${n} bytes announced, ${c.end - c.pos} left`, "malformed_frame", c.pos);
  const b = c.buf.subarray(c.pos, c.pos + n);
  c.pos += n;
  return b;
}

/**
 * Reads every frame of a decrypted packet payload.
 * @throws QuicError FRAME_ENCODING_ERROR for a truncated frame or an unknown frame type
 */
export function readQuicFrames(payload: Uint8Array): QuicFrame[] {
  const c: Cursor = { buf: payload, pos: 0, end: payload.length };
  const out: QuicFrame[] = [];
  while (c.pos < c.end) {
    const at = c.pos;
    const type = v(c, "a frame type");
    switch (type) {
      case 0x00: {
        let n = 1;
        while (c.pos < c.end && payload[c.pos] === 0) {
          c.pos++;
          n++;
        }
        out.push({ type: "padding", length: n });
        break;
      }
      case 0x01:
        out.push({ type: "ping" });
        break;
      case 0x02:
      case 0x03: {
        const largest = v(c, "ACK Largest Acknowledged");
        const delay = v(c, "ACK Delay");
        const count = v(c, "ACK Range Count");
        const firstRange = v(c, "First ACK Range");
        const ranges: [number, number][] = [];
        for (let i = 0; i < count; i++) ranges.push([v(c, "ACK Gap"), v(c, "ACK Range Length")]);
        if (type === 0x03) {
          const ecn = [v(c, "ECT0 Count"), v(c, "ECT1 Count"), v(c, "ECN-CE Count")] as const;
          out.push({ type: "ack", largest, delay, firstRange, ranges, ecn });
        } else {
          out.push({ type: "ack", largest, delay, firstRange, ranges });
        }
        break;
      }
      case 0x04:
        out.push({ type: "reset-stream", streamId: v(c, "Stream ID"), errorCode: v(c, "error code"), finalSize: v(c, "Final Size") });
        break;
      case 0x05:
        out.push({ type: "stop-sending", streamId: v(c, "Stream ID"), errorCode: v(c, "error code") });
        break;
      case 0x06: {
        const offset = v(c, "CRYPTO Offset");
        out.push({ type: "crypto", offset, data: bytes(c, v(c, "CRYPTO Length"), "CRYPTO data") });
        break;
      }
      case 0x07:
        out.push({ type: "new-token", token: bytes(c, v(c, "Token Length"), "the token") });
        break;
      case 0x08:
      case 0x09:
      case 0x0a:
      case 0x0b:
      case 0x0c:
      case 0x0d:
      case 0x0e:
      case 0x0f: {
        const streamId = v(c, "Stream ID");
        const offset = type & 0x04 ? v(c, "STREAM Offset") : 0;
        const length = type & 0x02 ? v(c, "STREAM Length") : c.end - c.pos;
        out.push({ type: "stream", streamId, offset, fin: (type & 0x01) !== 0, data: bytes(c, length, "STREAM data") });
        break;
      }
      case 0x10:
        out.push({ type: "max-data", maximum: v(c, "Maximum Data") });
        break;
      case 0x11:
        out.push({ type: "max-stream-data", streamId: v(c, "Stream ID"), maximum: v(c, "Maximum Stream Data") });
        break;
      case 0x12:
      case 0x13:
        out.push({ type: "max-streams", bidirectional: type === 0x12, maximum: v(c, "Maximum Streams") });
        break;
      case 0x14:
        out.push({ type: "data-blocked", limit: v(c, "Maximum Data") });
        break;
      case 0x15:
        out.push({ type: "stream-data-blocked", streamId: v(c, "Stream ID"), limit: v(c, "Maximum Stream Data") });
        break;
      case 0x16:
      case 0x17:
        out.push({ type: "streams-blocked", bidirectional: type === 0x16, limit: v(c, "Maximum Streams") });
        break;
      case 0x18: {
        const sequence = v(c, "Sequence Number");
        const retirePriorTo = v(c, "Retire Prior To");
        const len = bytes(c, 1, "the connection ID length")[0]!;
        if (len < 1 || len > 20) bad(`Cannot read NEW_CONNECTION_ID: connection ID length ${len} is not 1 to 20`, "bad_connection_id_length", at);
        const connectionId = bytes(c, len, "the connection ID");
        out.push({ type: "new-connection-id", sequence, retirePriorTo, connectionId, resetToken: bytes(c, 16, "the reset token") });
        break;
      }
      case 0x19:
        out.push({ type: "retire-connection-id", sequence: v(c, "Sequence Number") });
        break;
      case 0x1a:
      case 0x1b:
        out.push({ type: type === 0x1a ? "path-challenge" : "path-response", data: bytes(c, 8, "the path data") });
        break;
      case 0x1c:
      case 0x1d: {
        const errorCode = v(c, "error code");
        const frameType = type === 0x1c ? v(c, "Frame Type") : undefined;
        const reason = bytes(c, v(c, "Reason Phrase Length"), "the reason phrase");
        out.push(
          frameType === undefined
            ? { type: "connection-close", application: true, errorCode, reason }
            : { type: "connection-close", application: false, errorCode, frameType, reason },
        );
        break;
      }
      case 0x1e:
        out.push({ type: "handshake-done" });
        break;
      case 0x30:
        out.push({ type: "datagram", data: bytes(c, c.end - c.pos, "DATAGRAM data") });
        break;
      case 0x31:
        out.push({ type: "datagram", data: bytes(c, v(c, "DATAGRAM Length"), "DATAGRAM data") });
        break;
      default:
        bad(`Cannot read frame: unknown frame type 0x${type.toString(16)}`, "unknown_frame_type", at);
    }
  }
  return out;
}
