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

type FrameCodec = (header: FrameHeader, payload: Uint8Array, offset: number | undefined) => Frame;

/** HEADERS, with RFC 9113 §5.3.1: a stream cannot depend on itself (a stream error, thrown by this pure function). */
function decodeHeaders(header: FrameHeader, payload: Uint8Array, offset: number | undefined): Frame {
  const frame = decodeHeadersFrame(header, payload, offset);
  const error = headersSelfDependency(frame, offset);
  if (error !== undefined) throw error;
  return frame;
}

/** The decoder of each frame type, by its RFC name (the type says none is missing). */
const DECODER_OF: Readonly<Record<keyof typeof FrameType, FrameCodec>> = {
  DATA: decodeData,
  HEADERS: decodeHeaders,
  PRIORITY: decodePriority,
  RST_STREAM: decodeRstStream,
  SETTINGS: decodeSettings,
  PUSH_PROMISE: decodePushPromise,
  PING: decodePing,
  GOAWAY: decodeGoaway,
  WINDOW_UPDATE: decodeWindowUpdate,
  CONTINUATION: decodeContinuation,
  ALTSVC: decodeAltsvc,
  ORIGIN: decodeOrigin,
  PRIORITY_UPDATE: decodePriorityUpdate,
};

/** {@link DECODER_OF} by type octet, dense; the other types are unknown frames (RFC 9113 §5.5). */
const DECODERS: readonly (FrameCodec | undefined)[] = (() => {
  const table: (FrameCodec | undefined)[] = new Array(256).fill(undefined);
  for (const [name, type] of Object.entries(FrameType)) table[type] = DECODER_OF[name as keyof typeof FrameType];
  return table;
})();

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
  const decode = DECODERS[header.type];
  return decode === undefined ? unknownFrame(header, payload) : decode(header, payload, offset);
}
