/**
 * Arbitraries for HTTP/2 frames (RFC 9113 §4.1, §6; RFC 7838 ALTSVC;
 * RFC 8336 ORIGIN; RFC 9218 PRIORITY_UPDATE): valid frames with the decoded
 * value they stand for, and malformed frames, each with the RFC error code
 * and scope a receiver must answer with.
 *
 * The bytes are built here by hand from the RFC layouts, not with the
 * toolkit's encoder, so the arbitraries test the decoder independently.
 * @module
 */

import type { Arbitrary } from "fast-check";
import * as fc from "fast-check";
import { Flags, FrameType } from "../http2/constants.js";
import { ErrorCode, errorCodeName } from "../http2/error-codes.js";
import { concatBytes, latin1Bytes, uintBytes } from "./bytes.js";
import type { ExpectedError, MalformedCase } from "./expected.js";
import { http2StreamId } from "./stream-id.js";

/**
 * HTTP/2 frame type octets this module generates (RFC 9113 §6 and
 * extensions): `httpwire/http2`'s `FrameType`. The frames themselves are
 * built by hand from the RFC layouts, not with the codec's encoder.
 */
export const H2 = FrameType;

const KNOWN_TYPES = new Set<number>(Object.values(H2));
const { END_STREAM, ACK, END_HEADERS, PADDED, PRIORITY } = Flags;

/**
 * The decoded form of a generated frame, shaped like `httpwire/http2`'s
 * `Frame` union (`type`, `streamId`, raw `flags`, flag booleans, fields).
 */
export interface Http2FrameValue {
  readonly type: number | "unknown";
  readonly streamId: number;
  readonly flags: number;
  readonly [field: string]: unknown;
}

/** A generated frame: its decoded value and its wire bytes (9-byte header + payload). */
export interface Http2FrameCase {
  readonly frame: Http2FrameValue;
  readonly bytes: Uint8Array;
}

/** Builds a frame's wire bytes: header (RFC 9113 §4.1) then payload. */
export function http2FrameBytes(type: number, flags: number, streamId: number, payload: Uint8Array, reservedBit = false): Uint8Array {
  const h = new Uint8Array(9);
  h.set(uintBytes(payload.length, 3), 0);
  h[3] = type;
  h[4] = flags;
  h.set(uintBytes((streamId | (reservedBit ? 0x80000000 : 0)) >>> 0, 4), 5);
  return concatBytes([h, payload]);
}

const u31 = fc.integer({ min: 0, max: 0x7fffffff });
const u32 = fc.oneof(fc.constantFrom(0, 1, 2, 7, 8, 13, 0xffffffff), fc.integer({ min: 0, max: 0xffffffff }));
const payloadBytes = (max = 64) => fc.uint8Array({ maxLength: max });
/** Extra flag bits outside `defined`, which a receiver must ignore. */
const extraFlags = (defined: number) =>
  fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 255 }).map((f) => f & ~defined) });
const padding = fc.option(fc.integer({ min: 0, max: 32 }), { nil: undefined });

function padded(padLength: number | undefined, fixed: Uint8Array, body: Uint8Array): Uint8Array {
  if (padLength === undefined) return concatBytes([fixed, body]);
  return concatBytes([Uint8Array.of(padLength), fixed, body, new Uint8Array(padLength)]);
}

function priorityBytes(exclusive: boolean, dep: number, weight: number): Uint8Array {
  return concatBytes([uintBytes((dep | (exclusive ? 0x80000000 : 0)) >>> 0, 4), Uint8Array.of(weight - 1)]);
}

function dataFrame(): Arbitrary<Http2FrameCase> {
  return fc
    .tuple(http2StreamId(), fc.boolean(), padding, payloadBytes(), extraFlags(END_STREAM | PADDED))
    .map(([id, es, pad, data, extra]) => {
      const flags = extra | (es ? END_STREAM : 0) | (pad !== undefined ? PADDED : 0);
      return {
        frame: { type: H2.DATA, streamId: id, flags, endStream: es, padded: pad !== undefined, padLength: pad, data },
        bytes: http2FrameBytes(H2.DATA, flags, id, padded(pad, new Uint8Array(0), data)),
      };
    });
}

function headersFrame(): Arbitrary<Http2FrameCase> {
  const prio = fc.option(fc.record({ exclusive: fc.boolean(), streamDependency: u31, weight: fc.integer({ min: 1, max: 256 }) }), {
    nil: undefined,
  });
  return fc
    .tuple(
      http2StreamId(),
      fc.boolean(),
      fc.boolean(),
      padding,
      prio,
      payloadBytes(),
      extraFlags(END_STREAM | END_HEADERS | PADDED | PRIORITY),
    )
    .filter(([id, , , , p]) => p === undefined || p.streamDependency !== id)
    .map(([id, es, eh, pad, p, fragment, extra]) => {
      const flags = extra | (es ? END_STREAM : 0) | (eh ? END_HEADERS : 0) | (pad !== undefined ? PADDED : 0) | (p ? PRIORITY : 0);
      const fixed = p ? priorityBytes(p.exclusive, p.streamDependency, p.weight) : new Uint8Array(0);
      return {
        frame: {
          type: H2.HEADERS,
          streamId: id,
          flags,
          endStream: es,
          endHeaders: eh,
          padded: pad !== undefined,
          padLength: pad,
          priority: p,
          fragment,
        },
        bytes: http2FrameBytes(H2.HEADERS, flags, id, padded(pad, fixed, fragment)),
      };
    });
}

function priorityFrame(): Arbitrary<Http2FrameCase> {
  return fc
    .tuple(http2StreamId(), fc.boolean(), u31, fc.integer({ min: 1, max: 256 }), extraFlags(0))
    .filter(([id, , dep]) => dep !== id)
    .map(([id, exclusive, streamDependency, weight, flags]) => ({
      frame: { type: H2.PRIORITY, streamId: id, flags, exclusive, streamDependency, weight },
      bytes: http2FrameBytes(H2.PRIORITY, flags, id, priorityBytes(exclusive, streamDependency, weight)),
    }));
}

function rstStreamFrame(): Arbitrary<Http2FrameCase> {
  return fc.tuple(http2StreamId(), u32, extraFlags(0)).map(([id, errorCode, flags]) => ({
    frame: { type: H2.RST_STREAM, streamId: id, flags, errorCode },
    bytes: http2FrameBytes(H2.RST_STREAM, flags, id, uintBytes(errorCode, 4)),
  }));
}

/** One SETTINGS parameter with a value valid for its identifier (RFC 9113 §6.5.2, RFC 8441 §3, RFC 9218 §2.1). */
export function http2Setting(): Arbitrary<{ id: number; value: number }> {
  return fc.oneof(
    fc.record({ id: fc.constant(0x1), value: u32 }),
    fc.record({ id: fc.constant(0x2), value: fc.constantFrom(0, 1) }),
    fc.record({ id: fc.constant(0x3), value: u32 }),
    fc.record({ id: fc.constant(0x4), value: fc.integer({ min: 0, max: 0x7fffffff }) }),
    fc.record({ id: fc.constant(0x5), value: fc.integer({ min: 16384, max: 16777215 }) }),
    fc.record({ id: fc.constant(0x6), value: u32 }),
    fc.record({ id: fc.constant(0x8), value: fc.constantFrom(0, 1) }),
    fc.record({ id: fc.constant(0x9), value: fc.constantFrom(0, 1) }),
    fc.record({ id: fc.integer({ min: 0, max: 0xffff }).filter((i) => i === 0 || i === 7 || i > 9), value: u32 }),
  );
}

function settingsBytes(settings: readonly { id: number; value: number }[]): Uint8Array {
  return concatBytes(settings.map((s) => concatBytes([uintBytes(s.id, 2), uintBytes(s.value, 4)])));
}

function settingsFrame(): Arbitrary<Http2FrameCase> {
  return fc.oneof(
    extraFlags(ACK).map((extra) => ({
      frame: { type: H2.SETTINGS, streamId: 0, flags: extra | ACK, ack: true, settings: [] },
      bytes: http2FrameBytes(H2.SETTINGS, extra | ACK, 0, new Uint8Array(0)),
    })),
    fc.tuple(fc.array(http2Setting(), { maxLength: 8 }), extraFlags(ACK)).map(([settings, flags]) => ({
      frame: { type: H2.SETTINGS, streamId: 0, flags, ack: false, settings },
      bytes: http2FrameBytes(H2.SETTINGS, flags, 0, settingsBytes(settings)),
    })),
  );
}

function pushPromiseFrame(): Arbitrary<Http2FrameCase> {
  return fc
    .tuple(http2StreamId(), http2StreamId({ initiator: "server" }), fc.boolean(), padding, payloadBytes(), extraFlags(END_HEADERS | PADDED))
    .map(([id, promised, eh, pad, fragment, extra]) => {
      const flags = extra | (eh ? END_HEADERS : 0) | (pad !== undefined ? PADDED : 0);
      return {
        frame: {
          type: H2.PUSH_PROMISE,
          streamId: id,
          flags,
          endHeaders: eh,
          padded: pad !== undefined,
          padLength: pad,
          promisedStreamId: promised,
          fragment,
        },
        bytes: http2FrameBytes(H2.PUSH_PROMISE, flags, id, padded(pad, uintBytes(promised, 4), fragment)),
      };
    });
}

function pingFrame(): Arbitrary<Http2FrameCase> {
  return fc.tuple(fc.uint8Array({ minLength: 8, maxLength: 8 }), fc.boolean(), extraFlags(ACK)).map(([opaqueData, ack, extra]) => {
    const flags = extra | (ack ? ACK : 0);
    return {
      frame: { type: H2.PING, streamId: 0, flags, ack, opaqueData },
      bytes: http2FrameBytes(H2.PING, flags, 0, opaqueData),
    };
  });
}

function goawayFrame(): Arbitrary<Http2FrameCase> {
  return fc.tuple(u31, u32, payloadBytes(), extraFlags(0)).map(([lastStreamId, errorCode, debugData, flags]) => ({
    frame: { type: H2.GOAWAY, streamId: 0, flags, lastStreamId, errorCode, debugData },
    bytes: http2FrameBytes(H2.GOAWAY, flags, 0, concatBytes([uintBytes(lastStreamId, 4), uintBytes(errorCode, 4), debugData])),
  }));
}

function windowUpdateFrame(): Arbitrary<Http2FrameCase> {
  return fc
    .tuple(
      http2StreamId({ includeZero: true }),
      fc.oneof(fc.constantFrom(1, 0x7fffffff), fc.integer({ min: 1, max: 0x7fffffff })),
      fc.boolean(),
      extraFlags(0),
    )
    .map(([id, inc, reserved, flags]) => ({
      frame: { type: H2.WINDOW_UPDATE, streamId: id, flags, windowSizeIncrement: inc },
      // RFC 9113 §6.9: the reserved bit MUST be ignored on receipt
      bytes: http2FrameBytes(H2.WINDOW_UPDATE, flags, id, uintBytes((inc | (reserved ? 0x80000000 : 0)) >>> 0, 4)),
    }));
}

function continuationFrame(): Arbitrary<Http2FrameCase> {
  return fc.tuple(http2StreamId(), fc.boolean(), payloadBytes(), extraFlags(END_HEADERS)).map(([id, eh, fragment, extra]) => {
    const flags = extra | (eh ? END_HEADERS : 0);
    return {
      frame: { type: H2.CONTINUATION, streamId: id, flags, endHeaders: eh, fragment },
      bytes: http2FrameBytes(H2.CONTINUATION, flags, id, fragment),
    };
  });
}

function altsvcFrame(): Arbitrary<Http2FrameCase> {
  return fc
    .tuple(
      fc.oneof(
        fc.constant({ id: 0, origin: "https://example.com" }),
        http2StreamId().map((id) => ({ id, origin: "" })),
      ),
      fc.constantFrom('h3=":443"; ma=3600', "clear", 'h2="alt.example:8443"'),
      extraFlags(0),
    )
    .map(([{ id, origin }, fieldValue, flags]) => ({
      frame: { type: H2.ALTSVC, streamId: id, flags, origin, fieldValue },
      bytes: http2FrameBytes(
        H2.ALTSVC,
        flags,
        id,
        concatBytes([uintBytes(origin.length, 2), latin1Bytes(origin), latin1Bytes(fieldValue)]),
      ),
    }));
}

function originFrame(): Arbitrary<Http2FrameCase> {
  return fc
    .tuple(fc.array(fc.constantFrom("https://example.com", "https://a.example:8443", "https://b.example"), { maxLength: 4 }), extraFlags(0))
    .map(([origins, flags]) => ({
      frame: { type: H2.ORIGIN, streamId: 0, flags, origins },
      bytes: http2FrameBytes(H2.ORIGIN, flags, 0, concatBytes(origins.map((o) => concatBytes([uintBytes(o.length, 2), latin1Bytes(o)])))),
    }));
}

function priorityUpdateFrame(): Arbitrary<Http2FrameCase> {
  return fc.tuple(http2StreamId(), fc.constantFrom("u=1", "u=3, i", "i", ""), extraFlags(0)).map(([prioritized, fieldValue, flags]) => ({
    frame: {
      type: H2.PRIORITY_UPDATE,
      streamId: 0,
      flags,
      prioritizedStreamId: prioritized,
      priorityFieldValue: fieldValue,
    },
    bytes: http2FrameBytes(H2.PRIORITY_UPDATE, flags, 0, concatBytes([uintBytes(prioritized, 4), latin1Bytes(fieldValue)])),
  }));
}

function unknownFrame(): Arbitrary<Http2FrameCase> {
  return fc
    .tuple(
      fc.integer({ min: 0, max: 255 }).filter((t) => !KNOWN_TYPES.has(t)),
      fc.integer({ min: 0, max: 255 }),
      http2StreamId({ includeZero: true }),
      payloadBytes(),
    )
    .map(([frameType, flags, id, payload]) => ({
      frame: { type: "unknown" as const, frameType, streamId: id, flags, payload },
      bytes: http2FrameBytes(frameType, flags, id, payload),
    }));
}

/** The frame kinds {@link http2Frame} can generate. */
export type Http2FrameKind =
  | "DATA"
  | "HEADERS"
  | "PRIORITY"
  | "RST_STREAM"
  | "SETTINGS"
  | "PUSH_PROMISE"
  | "PING"
  | "GOAWAY"
  | "WINDOW_UPDATE"
  | "CONTINUATION"
  | "ALTSVC"
  | "ORIGIN"
  | "PRIORITY_UPDATE"
  | "unknown";

const FRAME_ARBS: Record<Http2FrameKind, () => Arbitrary<Http2FrameCase>> = {
  DATA: dataFrame,
  HEADERS: headersFrame,
  PRIORITY: priorityFrame,
  RST_STREAM: rstStreamFrame,
  SETTINGS: settingsFrame,
  PUSH_PROMISE: pushPromiseFrame,
  PING: pingFrame,
  GOAWAY: goawayFrame,
  WINDOW_UPDATE: windowUpdateFrame,
  CONTINUATION: continuationFrame,
  ALTSVC: altsvcFrame,
  ORIGIN: originFrame,
  PRIORITY_UPDATE: priorityUpdateFrame,
  unknown: unknownFrame,
};

/**
 * Valid HTTP/2 frames of every type (or only `kinds`), each with the value
 * a decoder must produce. Padding, priority fields, unknown flag bits (which
 * a receiver ignores), the reserved bit of WINDOW_UPDATE and unknown
 * settings are all exercised. Frames fit the default SETTINGS_MAX_FRAME_SIZE.
 *
 * @example
 * ```ts
 * import fc from "fast-check";
 * import { http2Frame } from "httpwire/arbitraries";
 * import { readFrameHeader, decodeFrame } from "httpwire/http2";
 * fc.assert(fc.property(http2Frame(), ({ frame, bytes }) => {
 *   const h = readFrameHeader(bytes, 0);
 *   return h.status === "ok" && decodeFrame(h, bytes.subarray(9)).type === frame.type;
 * }));
 * ```
 */
export function http2Frame(options: { readonly kinds?: readonly Http2FrameKind[] } = {}): Arbitrary<Http2FrameCase> {
  const kinds = options.kinds ?? (Object.keys(FRAME_ARBS) as Http2FrameKind[]);
  return fc.oneof(...kinds.map((k) => FRAME_ARBS[k]()));
}

const { PROTOCOL_ERROR, FLOW_CONTROL_ERROR, FRAME_SIZE_ERROR } = ErrorCode;
const conn = (code: number, reason: string): ExpectedError => ({
  code,
  codeName: errorCodeName(code),
  scope: "connection",
  reason,
});
const strm = (code: number, reason: string): ExpectedError => ({
  code,
  codeName: errorCodeName(code),
  scope: "stream",
  reason,
});

/**
 * The single-frame defects {@link http2MalformedFrame} generates: httpwire's
 * `reason` token in kebab-case (`"ping-length-invalid"` for `ping_length_invalid`);
 * the exact token is in `expected.reason`.
 */
export type Http2MalformedKind =
  | "data-stream-0"
  | "data-too-short"
  | "data-padding-too-long"
  | "headers-stream-0"
  | "headers-too-short"
  | "headers-padding-too-long"
  | "headers-self-dependency"
  | "priority-stream-0"
  | "priority-length-invalid"
  | "priority-self-dependency"
  | "rst-stream-stream-0"
  | "rst-stream-length-invalid"
  | "settings-stream-nonzero"
  | "settings-ack-with-payload"
  | "settings-length-not-multiple-of-6"
  | "settings-enable-push-invalid"
  | "settings-initial-window-size-too-large"
  | "settings-max-frame-size-invalid"
  | "push-promise-stream-0"
  | "push-promise-too-short"
  | "push-promise-padding-too-long"
  | "push-promise-invalid-promised-stream-id"
  | "ping-stream-nonzero"
  | "ping-length-invalid"
  | "goaway-stream-nonzero"
  | "goaway-too-short"
  | "window-update-length-invalid"
  | "window-update-zero-increment"
  | "window-update-zero-increment-stream-0"
  | "continuation-stream-0"
  | "priority-update-stream-nonzero"
  | "priority-update-too-short"
  | "priority-update-stream-0";

type M = Arbitrary<MalformedCase<Http2MalformedKind>>;
const sid = http2StreamId();
const nonZero = (max: number) => fc.integer({ min: 1, max });
const f = (kind: Http2MalformedKind, expected: ExpectedError, bytes: Uint8Array): MalformedCase<Http2MalformedKind> => ({
  kind,
  bytes,
  expected,
});

/** Pad Length above what the payload can hold. */
const tooLongPad = (fixed: number) =>
  fc.tuple(payloadBytes(16), fc.integer({ min: 1, max: 200 })).map(([body, extra]) => {
    const room = fixed + body.length;
    const padLength = Math.min(255, room + extra);
    return concatBytes([Uint8Array.of(padLength), new Uint8Array(fixed), body]);
  });

const MALFORMED: Record<Http2MalformedKind, () => M> = {
  // RFC 9113 §6.1: DATA on stream 0 is a connection error of type PROTOCOL_ERROR
  "data-stream-0": () =>
    payloadBytes().map((p) => f("data-stream-0", conn(PROTOCOL_ERROR, "data_stream_0"), http2FrameBytes(H2.DATA, 0, 0, p))),
  // RFC 9113 §4.2: too small for the Pad Length octet
  "data-too-short": () =>
    sid.map((id) => f("data-too-short", conn(FRAME_SIZE_ERROR, "data_too_short"), http2FrameBytes(H2.DATA, PADDED, id, new Uint8Array(0)))),
  // RFC 9113 §6.1: padding that is the length of the payload or greater is a connection PROTOCOL_ERROR
  "data-padding-too-long": () =>
    fc
      .tuple(sid, tooLongPad(0))
      .map(([id, p]) => f("data-padding-too-long", conn(PROTOCOL_ERROR, "data_padding_too_long"), http2FrameBytes(H2.DATA, PADDED, id, p))),
  "headers-stream-0": () =>
    payloadBytes().map((p) =>
      f("headers-stream-0", conn(PROTOCOL_ERROR, "headers_stream_0"), http2FrameBytes(H2.HEADERS, END_HEADERS, 0, p)),
    ),
  "headers-too-short": () =>
    fc
      .tuple(sid, fc.uint8Array({ maxLength: 4 }))
      .map(([id, p]) =>
        f("headers-too-short", conn(FRAME_SIZE_ERROR, "headers_too_short"), http2FrameBytes(H2.HEADERS, END_HEADERS | PRIORITY, id, p)),
      ),
  "headers-padding-too-long": () =>
    fc
      .tuple(sid, tooLongPad(0))
      .map(([id, p]) =>
        f(
          "headers-padding-too-long",
          conn(PROTOCOL_ERROR, "headers_padding_too_long"),
          http2FrameBytes(H2.HEADERS, END_HEADERS | PADDED, id, p),
        ),
      ),
  // RFC 9113 §5.3.1: a stream cannot depend on itself: stream error of type PROTOCOL_ERROR
  "headers-self-dependency": () =>
    fc
      .tuple(sid, fc.boolean(), payloadBytes())
      .map(([id, e, p]) =>
        f(
          "headers-self-dependency",
          strm(PROTOCOL_ERROR, "headers_self_dependency"),
          http2FrameBytes(H2.HEADERS, END_HEADERS | PRIORITY, id, concatBytes([priorityBytes(e, id, 16), p])),
        ),
      ),
  "priority-stream-0": () =>
    u31.map((d) =>
      f("priority-stream-0", conn(PROTOCOL_ERROR, "priority_stream_0"), http2FrameBytes(H2.PRIORITY, 0, 0, priorityBytes(false, d, 16))),
    ),
  // RFC 9113 §6.3: a length other than 5 is a *stream* error of type FRAME_SIZE_ERROR
  "priority-length-invalid": () =>
    fc
      .tuple(
        sid,
        fc.uint8Array({ maxLength: 12 }).filter((p) => p.length !== 5),
      )
      .map(([id, p]) =>
        f("priority-length-invalid", strm(FRAME_SIZE_ERROR, "priority_length_invalid"), http2FrameBytes(H2.PRIORITY, 0, id, p)),
      ),
  "priority-self-dependency": () =>
    sid.map((id) =>
      f(
        "priority-self-dependency",
        strm(PROTOCOL_ERROR, "priority_self_dependency"),
        http2FrameBytes(H2.PRIORITY, 0, id, priorityBytes(false, id, 16)),
      ),
    ),
  "rst-stream-stream-0": () =>
    u32.map((c) =>
      f("rst-stream-stream-0", conn(PROTOCOL_ERROR, "rst_stream_stream_0"), http2FrameBytes(H2.RST_STREAM, 0, 0, uintBytes(c, 4))),
    ),
  // RFC 9113 §6.4: a length other than 4 is a connection FRAME_SIZE_ERROR
  "rst-stream-length-invalid": () =>
    fc
      .tuple(
        sid,
        fc.uint8Array({ maxLength: 12 }).filter((p) => p.length !== 4),
      )
      .map(([id, p]) =>
        f("rst-stream-length-invalid", conn(FRAME_SIZE_ERROR, "rst_stream_length_invalid"), http2FrameBytes(H2.RST_STREAM, 0, id, p)),
      ),
  "settings-stream-nonzero": () =>
    sid.map((id) =>
      f("settings-stream-nonzero", conn(PROTOCOL_ERROR, "settings_stream_nonzero"), http2FrameBytes(H2.SETTINGS, 0, id, new Uint8Array(0))),
    ),
  "settings-ack-with-payload": () =>
    fc
      .uint8Array({ minLength: 1, maxLength: 12 })
      .map((p) =>
        f("settings-ack-with-payload", conn(FRAME_SIZE_ERROR, "settings_ack_with_payload"), http2FrameBytes(H2.SETTINGS, ACK, 0, p)),
      ),
  "settings-length-not-multiple-of-6": () =>
    fc
      .uint8Array({ minLength: 1, maxLength: 40 })
      .filter((p) => p.length % 6 !== 0)
      .map((p) =>
        f(
          "settings-length-not-multiple-of-6",
          conn(FRAME_SIZE_ERROR, "settings_length_not_multiple_of_6"),
          http2FrameBytes(H2.SETTINGS, 0, 0, p),
        ),
      ),
  // RFC 9113 §6.5.2: ENABLE_PUSH other than 0 or 1 is a connection PROTOCOL_ERROR
  "settings-enable-push-invalid": () =>
    fc
      .integer({ min: 2, max: 0xffffffff })
      .map((v) =>
        f(
          "settings-enable-push-invalid",
          conn(PROTOCOL_ERROR, "settings_enable_push_invalid"),
          http2FrameBytes(H2.SETTINGS, 0, 0, settingsBytes([{ id: 2, value: v }])),
        ),
      ),
  // RFC 9113 §6.5.2: INITIAL_WINDOW_SIZE above 2^31-1 is a connection FLOW_CONTROL_ERROR
  "settings-initial-window-size-too-large": () =>
    fc
      .integer({ min: 0x80000000, max: 0xffffffff })
      .map((v) =>
        f(
          "settings-initial-window-size-too-large",
          conn(FLOW_CONTROL_ERROR, "settings_initial_window_size_too_large"),
          http2FrameBytes(H2.SETTINGS, 0, 0, settingsBytes([{ id: 4, value: v }])),
        ),
      ),
  // RFC 9113 §6.5.2: MAX_FRAME_SIZE outside 2^14..2^24-1 is a connection PROTOCOL_ERROR
  "settings-max-frame-size-invalid": () =>
    fc
      .oneof(fc.integer({ min: 0, max: 16383 }), fc.integer({ min: 16777216, max: 0xffffffff }))
      .map((v) =>
        f(
          "settings-max-frame-size-invalid",
          conn(PROTOCOL_ERROR, "settings_max_frame_size_invalid"),
          http2FrameBytes(H2.SETTINGS, 0, 0, settingsBytes([{ id: 5, value: v }])),
        ),
      ),
  "push-promise-stream-0": () =>
    http2StreamId({ initiator: "server" }).map((p) =>
      f(
        "push-promise-stream-0",
        conn(PROTOCOL_ERROR, "push_promise_stream_0"),
        http2FrameBytes(H2.PUSH_PROMISE, END_HEADERS, 0, uintBytes(p, 4)),
      ),
    ),
  "push-promise-too-short": () =>
    fc
      .tuple(sid, fc.uint8Array({ maxLength: 3 }))
      .map(([id, p]) =>
        f("push-promise-too-short", conn(FRAME_SIZE_ERROR, "push_promise_too_short"), http2FrameBytes(H2.PUSH_PROMISE, END_HEADERS, id, p)),
      ),
  "push-promise-padding-too-long": () =>
    fc
      .tuple(sid, tooLongPad(4))
      .map(([id, p]) =>
        f(
          "push-promise-padding-too-long",
          conn(PROTOCOL_ERROR, "push_promise_padding_too_long"),
          http2FrameBytes(H2.PUSH_PROMISE, END_HEADERS | PADDED, id, p),
        ),
      ),
  // RFC 9113 §5.1.1: a server-initiated stream has an even, non-zero identifier
  "push-promise-invalid-promised-stream-id": () =>
    fc
      .tuple(sid, fc.oneof(fc.constant(0), http2StreamId({ initiator: "client" })))
      .map(([id, p]) =>
        f(
          "push-promise-invalid-promised-stream-id",
          conn(PROTOCOL_ERROR, "push_promise_invalid_promised_stream_id"),
          http2FrameBytes(H2.PUSH_PROMISE, END_HEADERS, id, uintBytes(p, 4)),
        ),
      ),
  "ping-stream-nonzero": () =>
    sid.map((id) =>
      f("ping-stream-nonzero", conn(PROTOCOL_ERROR, "ping_stream_nonzero"), http2FrameBytes(H2.PING, 0, id, new Uint8Array(8))),
    ),
  // RFC 9113 §6.7: a length other than 8 is a connection FRAME_SIZE_ERROR
  "ping-length-invalid": () =>
    fc
      .uint8Array({ maxLength: 16 })
      .filter((p) => p.length !== 8)
      .map((p) => f("ping-length-invalid", conn(FRAME_SIZE_ERROR, "ping_length_invalid"), http2FrameBytes(H2.PING, 0, 0, p))),
  "goaway-stream-nonzero": () =>
    sid.map((id) =>
      f("goaway-stream-nonzero", conn(PROTOCOL_ERROR, "goaway_stream_nonzero"), http2FrameBytes(H2.GOAWAY, 0, id, new Uint8Array(8))),
    ),
  "goaway-too-short": () =>
    fc
      .uint8Array({ maxLength: 7 })
      .map((p) => f("goaway-too-short", conn(FRAME_SIZE_ERROR, "goaway_too_short"), http2FrameBytes(H2.GOAWAY, 0, 0, p))),
  // RFC 9113 §6.9: a length other than 4 is a connection FRAME_SIZE_ERROR
  "window-update-length-invalid": () =>
    fc
      .tuple(
        http2StreamId({ includeZero: true }),
        fc.uint8Array({ maxLength: 12 }).filter((p) => p.length !== 4),
      )
      .map(([id, p]) =>
        f(
          "window-update-length-invalid",
          conn(FRAME_SIZE_ERROR, "window_update_length_invalid"),
          http2FrameBytes(H2.WINDOW_UPDATE, 0, id, p),
        ),
      ),
  // RFC 9113 §6.9: increment 0 is a stream error, or a connection error on stream 0
  "window-update-zero-increment": () =>
    fc
      .tuple(sid, fc.boolean())
      .map(([id, r]) =>
        f(
          "window-update-zero-increment",
          strm(PROTOCOL_ERROR, "window_update_zero_increment"),
          http2FrameBytes(H2.WINDOW_UPDATE, 0, id, uintBytes(r ? 0x80000000 : 0, 4)),
        ),
      ),
  "window-update-zero-increment-stream-0": () =>
    fc
      .boolean()
      .map((r) =>
        f(
          "window-update-zero-increment-stream-0",
          conn(PROTOCOL_ERROR, "window_update_zero_increment"),
          http2FrameBytes(H2.WINDOW_UPDATE, 0, 0, uintBytes(r ? 0x80000000 : 0, 4)),
        ),
      ),
  "continuation-stream-0": () =>
    payloadBytes().map((p) =>
      f("continuation-stream-0", conn(PROTOCOL_ERROR, "continuation_stream_0"), http2FrameBytes(H2.CONTINUATION, END_HEADERS, 0, p)),
    ),
  // RFC 9218 §7.1: PRIORITY_UPDATE on a non-zero stream, or naming stream 0, is a connection PROTOCOL_ERROR
  "priority-update-stream-nonzero": () =>
    fc
      .tuple(sid, nonZero(0x7fffffff))
      .map(([id, p]) =>
        f(
          "priority-update-stream-nonzero",
          conn(PROTOCOL_ERROR, "priority_update_stream_nonzero"),
          http2FrameBytes(H2.PRIORITY_UPDATE, 0, id, uintBytes(p, 4)),
        ),
      ),
  "priority-update-too-short": () =>
    fc
      .uint8Array({ maxLength: 3 })
      .map((p) =>
        f("priority-update-too-short", conn(FRAME_SIZE_ERROR, "priority_update_too_short"), http2FrameBytes(H2.PRIORITY_UPDATE, 0, 0, p)),
      ),
  "priority-update-stream-0": () =>
    fc
      .constantFrom("", "u=1")
      .map((v) =>
        f(
          "priority-update-stream-0",
          conn(PROTOCOL_ERROR, "priority_update_stream_0"),
          http2FrameBytes(H2.PRIORITY_UPDATE, 0, 0, concatBytes([uintBytes(0, 4), latin1Bytes(v)])),
        ),
      ),
};

/** Every kind {@link http2MalformedFrame} knows. */
export const HTTP2_MALFORMED_KINDS: readonly Http2MalformedKind[] = Object.keys(MALFORMED) as Http2MalformedKind[];

/**
 * Single HTTP/2 frames that break one named MUST of RFC 9113 (or RFC 9218),
 * each with the code and scope a receiver must answer with.
 *
 * @example
 * ```ts
 * import fc from "fast-check";
 * import { http2MalformedFrame } from "httpwire/arbitraries";
 * const [c] = fc.sample(http2MalformedFrame({ kinds: ["ping-length-invalid"] }), 1);
 * c!.expected; // { code: 6, codeName: "FRAME_SIZE_ERROR", scope: "connection", reason: "ping_length_invalid" }
 * ```
 */
export function http2MalformedFrame(
  options: { readonly kinds?: readonly Http2MalformedKind[] } = {},
): Arbitrary<MalformedCase<Http2MalformedKind>> {
  const kinds = options.kinds ?? HTTP2_MALFORMED_KINDS;
  return fc.oneof(...kinds.map((k) => MALFORMED[k]()));
}

/** The connection preface a client sends first (RFC 9113 §3.4). */
export const HTTP2_CLIENT_PREFACE: Uint8Array = latin1Bytes("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
