/**
 * The `HTTP2-Settings` field of the h2c upgrade (RFC 7540 §3.2.1, obsoleted
 * by RFC 9113 §3.1 and §11.1): the payload of a SETTINGS frame, base64url
 * encoded with the trailing `=` omitted.
 *
 * A private codec: `httpwire/http2` had no `HTTP2-Settings` helper when this
 * was written; the value checks mirror RFC 9113 §6.5.2 and use the same
 * reason tokens as `httpwire/http2`.
 * @module
 */
import { ErrorCode, errorCodeName } from "../http2/index.js";
import { base64UrlDecode, base64UrlEncode } from "./base64.js";
import { UpgradeError } from "./errors.js";

/** One SETTINGS parameter (the shape of `httpwire/http2`'s `Setting`). */
export interface Http2Setting {
  /** The 16-bit identifier, e.g. 0x04 for SETTINGS_INITIAL_WINDOW_SIZE. */
  readonly id: number;
  /** The 32-bit value. */
  readonly value: number;
}

function fail(code: number, reason: string, message: string, offset?: number): never {
  throw new UpgradeError(`Cannot decode HTTP2-Settings: ${message}`, code, errorCodeName(code), { reason, scope: "connection", offset });
}

/**
 * Encodes SETTINGS parameters as an `HTTP2-Settings` value: each parameter
 * is a 16-bit identifier and a 32-bit value (RFC 9113 §6.5.1), the whole
 * payload base64url without padding (RFC 7540 §3.2.1). No settings give `""`.
 *
 * @throws RangeError for an identifier outside 0-0xffff or a value outside 0-2^32-1.
 * @example
 * ```ts
 * encodeHttp2Settings([{ id: 0x03, value: 100 }, { id: 0x04, value: 65535 }]); // "AAMAAABkAAQAAP__"
 * ```
 */
export function encodeHttp2Settings(settings: Iterable<Http2Setting>): string {
  const list = [...settings];
  const payload = new Uint8Array(list.length * 6);
  const dv = new DataView(payload.buffer);
  list.forEach((s, k) => {
    if (!Number.isInteger(s.id) || s.id < 0 || s.id > 0xffff) throw new RangeError(`Cannot encode setting ${k}: identifier ${s.id} is not 0 to 0xffff`);
    if (!Number.isInteger(s.value) || s.value < 0 || s.value > 0xffffffff) {
      throw new RangeError(`Cannot encode setting ${k}: value ${s.value} is not 0 to 2^32-1`);
    }
    dv.setUint16(k * 6, s.id);
    dv.setUint32(k * 6 + 2, s.value);
  });
  return base64UrlEncode(payload);
}

/**
 * Decodes an `HTTP2-Settings` value into SETTINGS parameters in wire order
 * (repeats and unknown identifiers kept), checking them as a SETTINGS frame
 * (RFC 7540 §3.2.1: "decodes and interprets these values as it would any
 * other SETTINGS frame"). An empty value is an empty SETTINGS payload.
 *
 * @throws {UpgradeError} connection-scoped, HTTP/2 codes:
 *   PROTOCOL_ERROR `http2_settings_not_base64url` (not base64url, or padded);
 *   FRAME_SIZE_ERROR `settings_length_not_multiple_of_6`;
 *   PROTOCOL_ERROR `settings_enable_push_invalid`, `settings_max_frame_size_invalid`,
 *   `settings_enable_connect_protocol_invalid`, `settings_no_rfc7540_priorities_invalid`;
 *   FLOW_CONTROL_ERROR `settings_initial_window_size_too_large`.
 * @example
 * ```ts
 * decodeHttp2Settings("AAMAAABkAAQAAP__"); // [{ id: 3, value: 100 }, { id: 4, value: 65535 }]
 * ```
 */
export function decodeHttp2Settings(value: string): Http2Setting[] {
  const payload = base64UrlDecode(value);
  if (payload === undefined) fail(ErrorCode.PROTOCOL_ERROR, "http2_settings_not_base64url", "the value is not unpadded base64url");
  // RFC 9113 §6.5: a length that is not a multiple of 6 octets MUST be treated as a connection error of type FRAME_SIZE_ERROR
  if (payload.length % 6 !== 0) {
    fail(ErrorCode.FRAME_SIZE_ERROR, "settings_length_not_multiple_of_6", `payload length ${payload.length} is not a multiple of 6`);
  }
  const dv = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
  const out: Http2Setting[] = [];
  for (let off = 0; off < payload.length; off += 6) {
    const id = dv.getUint16(off);
    const v = dv.getUint32(off + 2);
    switch (id) {
      case 0x02: // RFC 9113 §6.5.2: SETTINGS_ENABLE_PUSH other than 0 or 1 MUST be treated as a connection error of type PROTOCOL_ERROR
        if (v > 1) fail(ErrorCode.PROTOCOL_ERROR, "settings_enable_push_invalid", `SETTINGS_ENABLE_PUSH value "${v}" is not 0 or 1`, off);
        break;
      case 0x04: // RFC 9113 §6.5.2: above 2^31-1 MUST be treated as a connection error of type FLOW_CONTROL_ERROR
        if (v > 0x7fffffff) {
          fail(ErrorCode.FLOW_CONTROL_ERROR, "settings_initial_window_size_too_large", `SETTINGS_INITIAL_WINDOW_SIZE value "${v}" is above 2^31-1`, off);
        }
        break;
      case 0x05: // RFC 9113 §6.5.2: outside 2^14..2^24-1 MUST be treated as a connection error of type PROTOCOL_ERROR
        if (v < 0x4000 || v > 0xffffff) {
          fail(ErrorCode.PROTOCOL_ERROR, "settings_max_frame_size_invalid", `SETTINGS_MAX_FRAME_SIZE value "${v}" is outside 16384..16777215`, off);
        }
        break;
      case 0x08: // RFC 8441 §3: the value MUST be 0 or 1
        if (v > 1) {
          fail(ErrorCode.PROTOCOL_ERROR, "settings_enable_connect_protocol_invalid", `SETTINGS_ENABLE_CONNECT_PROTOCOL value "${v}" is not 0 or 1`, off);
        }
        break;
      case 0x09: // RFC 9218 §2.1: other than 0 or 1 MUST be treated as a connection error of type PROTOCOL_ERROR
        if (v > 1) {
          fail(ErrorCode.PROTOCOL_ERROR, "settings_no_rfc7540_priorities_invalid", `SETTINGS_NO_RFC7540_PRIORITIES value "${v}" is not 0 or 1`, off);
        }
        break;
      default:
        break;
    }
    out.push({ id, value: v });
  }
  return out;
}
