/**
 * Decoding one complete frame from its header and payload: a dispatch by
 * type to the per-frame codecs in `frames/`, each of which enforces the
 * rules the RFCs put on a single frame of its type (RFC 9113 §6, RFC 7838
 * §4, RFC 8336 §2, RFC 9218 §7.1) with the code and scope they name.
 * @module
 */
import { FrameType as FrameType_ } from "./constants.js";
import type { Frame } from "./frame.js";
import type { FrameHeader } from "./frame-header.js";
import { decodeAltsvc } from "./frames/altsvc.js";
import { unknownFrame } from "./frames/common.js";
import { decodeContinuation } from "./frames/continuation.js";
import { decodeData } from "./frames/data.js";
import { decodeGoaway } from "./frames/goaway.js";
import { decodeHeadersFrame, headersSelfDependency } from "./frames/headers.js";
import { decodeOrigin } from "./frames/origin.js";
import { decodePing } from "./frames/ping.js";
import { decodePriority } from "./frames/priority.js";
import { decodePriorityUpdate } from "./frames/priority-update.js";
import { decodePushPromise } from "./frames/push-promise.js";
import { decodeRstStream } from "./frames/rst-stream.js";
import { decodeSettings } from "./frames/settings.js";
import { decodeWindowUpdate } from "./frames/window-update.js";

// Module-local copies of imported bindings: where ESM is compiled to CommonJS (tsx does so when the module
// is loaded through require(), bundlers may), each use of an imported binding is a getter call; in native
// ESM the copy costs nothing.
const FrameType = FrameType_;

/**
 * Decodes one frame. `payload` must be exactly `header.length` bytes. Frame
 * types not listed in `FrameType` become an `UnknownFrame` (RFC 9113 §5.5).
 *
 * Lifetime: byte fields of the result (`data`, `fragment`, `opaqueData`,
 * `debugData`, `payload`) are `subarray` views of `payload`, not copies;
 * they stay valid, and unchanged, only as long as the caller leaves that
 * memory alone. Copy them (`.slice()`) to keep them past a buffer's reuse.
 * Strings (ALTSVC, ORIGIN, PRIORITY_UPDATE) are new values.
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
 * const header = readFrameHeader(bytes, 0);
 * if (header.status === "ok") decodeFrame(header, bytes.subarray(9));
 * // { type: 8, streamId: 1, flags: 0, windowSizeIncrement: 4096 }
 * ```
 */
export function decodeFrame(header: FrameHeader, payload: Uint8Array, offset?: number): Frame {
  if (payload.length !== header.length) {
    throw new RangeError(`Payload length ${payload.length} does not match the header's length ${header.length}`);
  }
  switch (header.type) {
    case FrameType.DATA:
      return decodeData(header, payload, offset);
    case FrameType.HEADERS: {
      const frame = decodeHeadersFrame(header, payload, offset);
      // RFC 9113 §5.3.1: a stream cannot depend on itself (a stream error, thrown by this pure function)
      const error = headersSelfDependency(frame, offset);
      if (error !== undefined) throw error;
      return frame;
    }
    case FrameType.PRIORITY:
      return decodePriority(header, payload, offset);
    case FrameType.RST_STREAM:
      return decodeRstStream(header, payload, offset);
    case FrameType.SETTINGS:
      return decodeSettings(header, payload, offset);
    case FrameType.PUSH_PROMISE:
      return decodePushPromise(header, payload, offset);
    case FrameType.PING:
      return decodePing(header, payload, offset);
    case FrameType.GOAWAY:
      return decodeGoaway(header, payload, offset);
    case FrameType.WINDOW_UPDATE:
      return decodeWindowUpdate(header, payload, offset);
    case FrameType.CONTINUATION:
      return decodeContinuation(header, payload, offset);
    case FrameType.ALTSVC:
      return decodeAltsvc(header, payload);
    case FrameType.ORIGIN:
      return decodeOrigin(header, payload);
    case FrameType.PRIORITY_UPDATE:
      return decodePriorityUpdate(header, payload, offset);
    default:
      return unknownFrame(header, payload);
  }
}
