import { fc, test as ptest } from "@fast-check/vitest";
import {
  adjustWindowForSettings,
  base64urlDecode,
  base64urlEncode,
  checkPeerStreamId,
  consumeWindow,
  DEFAULT_SETTINGS,
  decodeHttp2Settings,
  encodeHttp2Settings,
  type Field,
  flowControlledLength,
  Http2Error,
  increaseWindow,
  isClientStreamId,
  isServerStreamId,
  nextStreamId,
  parsePriority,
  type StreamEvent,
  type StreamSide,
  type StreamState,
  serializePriority,
  streamInitiator,
  transitionStream,
  validateRequestHeaders,
  validateResponseHeaders,
  validateTrailers,
} from "httpwire/http2";
import { describe, expect, test } from "vitest";
import { caught } from "./hex.js";

describe("RFC 9218 priority field value", () => {
  test.each([
    ["", 3, false],
    ["u=0", 0, false],
    ["u=7, i", 7, true],
    ["i", 3, true],
    ["i=?0, u=5", 5, false],
    ["u=9", 3, false], // out of range: ignored
    ["u=-1", 3, false],
    ["u=1.0", 3, false], // decimal: unexpected type, ignored
    ['u="1"', 3, false],
    ["i=1", 3, false], // integer for a boolean: ignored
    ["u=2, foo=bar, baz", 2, false], // unknown keys ignored
    ["u=2;x=1, i;y", 2, true], // parameters ignored
    ["u=1, u=4", 4, false], // last wins (RFC 8941 §3.2)
    ["x=(a b), u=6", 6, false], // inner list parsed and ignored
    ["U=1", 3, false], // not a dictionary: defaults
    ["u=1,", 3, false],
    ["u=1 i", 3, false],
  ] as const)("parsePriority(%j)", (text, urgency, incremental) => {
    expect(parsePriority(text)).toEqual({ urgency, incremental });
  });
  test("serializePriority leaves out defaults", () => {
    expect(serializePriority({ urgency: 3, incremental: false })).toBe("");
    expect(serializePriority({ urgency: 0, incremental: true })).toBe("u=0, i");
    expect(() => serializePriority({ urgency: 8, incremental: false })).toThrow(RangeError);
  });
  ptest.prop([fc.integer({ min: 0, max: 7 }), fc.boolean()])("round trip", (urgency, incremental) => {
    expect(parsePriority(serializePriority({ urgency, incremental }))).toEqual({ urgency, incremental });
  });
  ptest.prop([fc.string({ maxLength: 30 })])("never throws", (s) => {
    const p = parsePriority(s);
    expect(p.urgency >= 0 && p.urgency <= 7).toBe(true);
  });
});

describe("stream state machine RFC 9113 §5.1", () => {
  const ok: [StreamState, StreamEvent, StreamSide, StreamState][] = [
    ["idle", "headers", "recv", "open"],
    ["idle", "headers", "send", "open"],
    ["idle", "push-promise", "send", "reserved-local"],
    ["idle", "push-promise", "recv", "reserved-remote"],
    ["idle", "priority", "recv", "idle"],
    ["reserved-local", "headers", "send", "half-closed-remote"],
    ["reserved-local", "rst-stream", "recv", "closed"],
    ["reserved-local", "window-update", "recv", "reserved-local"],
    ["reserved-remote", "headers", "recv", "half-closed-local"],
    ["reserved-remote", "rst-stream", "send", "closed"],
    ["reserved-remote", "window-update", "send", "reserved-remote"],
    ["open", "data", "recv", "open"],
    ["open", "end-stream", "send", "half-closed-local"],
    ["open", "end-stream", "recv", "half-closed-remote"],
    ["open", "rst-stream", "recv", "closed"],
    ["half-closed-local", "data", "recv", "half-closed-local"],
    ["half-closed-local", "end-stream", "recv", "closed"],
    ["half-closed-local", "window-update", "send", "half-closed-local"],
    ["half-closed-remote", "window-update", "recv", "half-closed-remote"],
    ["half-closed-remote", "data", "send", "half-closed-remote"],
    ["half-closed-remote", "end-stream", "send", "closed"],
    ["half-closed-remote", "rst-stream", "recv", "closed"],
    ["closed", "priority", "recv", "closed"],
    ["closed", "window-update", "recv", "closed"],
  ];
  test.each(ok)("%s --%s/%s--> %s", (s, e, side, next) => {
    expect(transitionStream(s, e, side)).toBe(next);
  });
  const bad: [StreamState, StreamEvent, StreamSide, number, string, string][] = [
    ["idle", "data", "recv", 1, "connection", "stream_idle"],
    ["idle", "rst-stream", "recv", 1, "connection", "stream_idle"],
    ["idle", "window-update", "recv", 1, "connection", "stream_idle"],
    ["reserved-local", "data", "recv", 1, "connection", "stream_reserved_local"],
    ["reserved-remote", "data", "recv", 1, "connection", "stream_reserved_remote"],
    ["reserved-remote", "window-update", "recv", 1, "connection", "stream_reserved_remote"],
    ["half-closed-remote", "data", "recv", 5, "stream", "stream_half_closed_remote"],
    ["half-closed-remote", "headers", "recv", 5, "stream", "stream_half_closed_remote"],
    ["half-closed-local", "data", "send", 5, "stream", "stream_half_closed_local"],
    ["closed", "data", "recv", 5, "stream", "stream_closed"],
    ["open", "push-promise", "recv", 1, "connection", "promised_stream_not_idle"],
    // RFC 9113 §6.6: whatever the promised stream's state, if it is not idle the identifier is illegal
    ["half-closed-remote", "push-promise", "recv", 1, "connection", "promised_stream_not_idle"],
    ["reserved-local", "push-promise", "recv", 1, "connection", "promised_stream_not_idle"],
    ["closed", "push-promise", "send", 1, "connection", "promised_stream_not_idle"],
  ];
  test.each(bad)("%s --%s/%s--> error", (s, e, side, code, scope, reason) => {
    const r = transitionStream(s, e, side, 7);
    expect(r).toBeInstanceOf(Http2Error);
    expect(r).toMatchObject({ code, scope, reason, streamId: 7 });
  });
});

describe("stream identifiers RFC 9113 §5.1.1", () => {
  test("parity, growth, exhaustion", () => {
    expect([isClientStreamId(1), isClientStreamId(2), isServerStreamId(2), isServerStreamId(0)]).toEqual([true, false, true, false]);
    expect([streamInitiator(3), streamInitiator(4)]).toEqual(["client", "server"]);
    expect(() => streamInitiator(0)).toThrow(RangeError);
    expect([nextStreamId(1), nextStreamId(2), nextStreamId(5)]).toEqual([3, 4, 7]);
    expect(nextStreamId(2 ** 31 - 1)).toBeUndefined();
    expect(nextStreamId(2 ** 31 - 2)).toBeUndefined();
    expect(nextStreamId(2 ** 31 - 3)).toBe(2 ** 31 - 1);
    // Caller mistakes: 0 (no initiator), negative, fractional or past 2^31-1.
    for (const id of [0, -1, 1.5, 2 ** 31]) expect(() => nextStreamId(id)).toThrow(RangeError);
    expect(checkPeerStreamId(5, "client", 3)).toBeUndefined();
    expect(checkPeerStreamId(4, "client", 3)).toBeInstanceOf(Http2Error);
    expect(checkPeerStreamId(4, "client", 3)).toMatchObject({
      code: 1,
      codeName: "PROTOCOL_ERROR",
      scope: "connection",
      reason: "stream_id_wrong_parity",
    });
    expect(checkPeerStreamId(3, "client", 3)).toMatchObject({
      code: 1,
      codeName: "PROTOCOL_ERROR",
      scope: "connection",
      reason: "stream_id_not_increasing",
    });
    expect(checkPeerStreamId(0, "server", 0)?.reason).toBe("stream_id_zero");
  });
});

describe("flow control RFC 9113 §6.9", () => {
  test("window arithmetic and its limits", () => {
    expect(increaseWindow(65_535, 1, 1)).toBe(65_536);
    expect(increaseWindow(0, 2 ** 31 - 1, 0)).toBe(2 ** 31 - 1);
    expect(caught(() => increaseWindow(1, 2 ** 31 - 1, 3))).toMatchObject({
      code: 3,
      scope: "stream",
      streamId: 3,
      reason: "window_overflow",
    });
    expect(caught(() => increaseWindow(1, 2 ** 31 - 1, 0))).toMatchObject({
      code: 3,
      scope: "connection",
      reason: "window_overflow",
    });
    expect(consumeWindow(10, 10, 1)).toBe(0);
    expect(caught(() => consumeWindow(10, 11, 1))).toMatchObject({
      code: 3,
      scope: "stream",
      reason: "window_exceeded",
    });
    expect(adjustWindowForSettings(100, 65_535, 0)).toBe(100 - 65_535);
    expect(caught(() => adjustWindowForSettings(2 ** 31 - 1, 0, 1))).toMatchObject({
      code: 3,
      scope: "connection",
      reason: "settings_window_overflow",
    });
    expect(
      flowControlledLength({
        type: 0,
        streamId: 1,
        flags: 8,
        endStream: false,
        padded: true,
        padLength: 255,
        data: new Uint8Array(10),
      }),
    ).toBe(266);
    expect(DEFAULT_SETTINGS.SETTINGS_INITIAL_WINDOW_SIZE).toBe(65_535);
  });
});

describe("HTTP2-Settings of an h2c upgrade", () => {
  test("exact value", () => {
    // SETTINGS_MAX_CONCURRENT_STREAMS=100, SETTINGS_INITIAL_WINDOW_SIZE=65535: 0003 00000064 0004 0000ffff
    expect(
      encodeHttp2Settings([
        { id: 3, value: 100 },
        { id: 4, value: 65_535 },
      ]),
    ).toBe("AAMAAABkAAQAAP__");
    expect(decodeHttp2Settings("AAMAAABkAAQAAP__")).toEqual([
      { id: 3, value: 100 },
      { id: 4, value: 65_535 },
    ]);
    expect(decodeHttp2Settings("")).toEqual([]);
  });
  test("errors", () => {
    expect(caught(() => decodeHttp2Settings("AAMAAABk+"))).toMatchObject({
      code: 1,
      reason: "http2_settings_invalid_base64",
    });
    expect(caught(() => decodeHttp2Settings("AAMAAA"))).toMatchObject({
      code: 6,
      reason: "settings_length_not_multiple_of_6",
    });
    expect(caught(() => decodeHttp2Settings("AAIAAAAC"))).toMatchObject({
      code: 1,
      reason: "settings_enable_push_invalid",
    });
  });
  test("base64url edge cases", () => {
    expect(base64urlEncode(new Uint8Array([0xfb, 0xff]))).toBe("-_8");
    expect(base64urlDecode("-_8")).toEqual(new Uint8Array([0xfb, 0xff]));
    expect(base64urlDecode("-_8=")).toEqual(new Uint8Array([0xfb, 0xff]));
    expect(base64urlDecode("-_9")).toBeUndefined(); // non-zero trailing bits
    expect(base64urlDecode("A")).toBeUndefined();
  });
  ptest.prop([fc.uint8Array({ maxLength: 40 })])("base64url round trip", (b) => {
    expect(base64urlDecode(base64urlEncode(b))).toEqual(b);
  });
});

describe("message validation RFC 9113 §8.2, §8.3, RFC 8441 §4", () => {
  const f = (...pairs: string[]): Field[] => {
    const out: Field[] = [];
    for (let i = 0; i < pairs.length; i += 2) out.push({ name: pairs[i]!, value: pairs[i + 1]! });
    return out;
  };
  const get = f(":method", "GET", ":scheme", "https", ":authority", "a.example", ":path", "/", "accept", "*/*");
  test("valid messages", () => {
    validateRequestHeaders(get, { streamId: 1 });
    validateRequestHeaders(f(":method", "CONNECT", ":authority", "a.example:443"), { streamId: 1 });
    validateRequestHeaders(
      f(":method", "CONNECT", ":protocol", "websocket", ":scheme", "https", ":path", "/chat", ":authority", "a.example"),
      {
        streamId: 1,
        enableConnectProtocol: true,
      },
    );
    validateRequestHeaders(f(":method", "GET", ":scheme", "https", ":path", "/", "te", "trailers"), { streamId: 1 });
    validateRequestHeaders(f(":method", "OPTIONS", ":scheme", "https", ":authority", "a.example", ":path", "*"), {
      streamId: 1,
    });
    // The http/https :path and :authority forms are not imposed on other schemes.
    validateRequestHeaders(f(":method", "GET", ":scheme", "urn", ":authority", "x@y", ":path", "z"), { streamId: 1 });
    validateResponseHeaders(f(":status", "200", "content-type", "text/plain"), { streamId: 1 });
    validateResponseHeaders(f(":status", "103"), { streamId: 1 });
    validateTrailers(f("grpc-status", "0"), { streamId: 1 });
  });
  const bad: [string, Field[], string, boolean?][] = [
    ["uppercase name", f(":method", "GET", ":scheme", "https", ":path", "/", "Accept", "x"), "field_name_invalid"],
    ["space in name", f(":method", "GET", ":scheme", "https", ":path", "/", "a b", "x"), "field_name_invalid"],
    ["empty name", f(":method", "GET", ":scheme", "https", ":path", "/", "", "x"), "field_name_empty"],
    ["CR in value", f(":method", "GET", ":scheme", "https", ":path", "/", "a", "x\ry"), "field_value_invalid"],
    ["NUL in value", f(":method", "GET", ":scheme", "https", ":path", "/", "a", "\0"), "field_value_invalid"],
    ["leading space in value", f(":method", "GET", ":scheme", "https", ":path", "/", "a", " x"), "field_value_whitespace"],
    ["connection header", f(":method", "GET", ":scheme", "https", ":path", "/", "connection", "close"), "connection_specific_field"],
    [
      "transfer-encoding",
      f(":method", "GET", ":scheme", "https", ":path", "/", "transfer-encoding", "chunked"),
      "connection_specific_field",
    ],
    ["te gzip", f(":method", "GET", ":scheme", "https", ":path", "/", "te", "gzip"), "te_not_trailers"],
    ["pseudo after regular", f(":method", "GET", ":scheme", "https", "a", "b", ":path", "/"), "pseudo_header_after_regular"],
    ["duplicate :path", f(":method", "GET", ":scheme", "https", ":path", "/", ":path", "/"), "pseudo_header_duplicate"],
    [":status in request", f(":method", "GET", ":scheme", "https", ":path", "/", ":status", "200"), "pseudo_header_unknown"],
    ["unknown pseudo", f(":method", "GET", ":scheme", "https", ":path", "/", ":foo", "x"), "pseudo_header_unknown"],
    ["no :method", f(":scheme", "https", ":path", "/"), "method_missing"],
    ["no :scheme", f(":method", "GET", ":path", "/"), "scheme_missing"],
    ["no :path", f(":method", "GET", ":scheme", "https"), "path_missing"],
    ["empty :path", f(":method", "GET", ":scheme", "https", ":path", ""), "path_empty"],
    // RFC 9113 §8.3.1: for http and https, an absolute path, or '*' for OPTIONS only
    ["relative :path", f(":method", "GET", ":scheme", "https", ":path", "index.html"), "path_invalid"],
    [":path * on GET", f(":method", "GET", ":scheme", "http", ":path", "*"), "path_invalid"],
    // RFC 9113 §8.3.1: ":authority" MUST NOT include userinfo for http and https
    [
      "userinfo in :authority",
      f(":method", "GET", ":scheme", "https", ":authority", "user:pw@a.example", ":path", "/"),
      "authority_userinfo",
    ],
    ["CONNECT with :path", f(":method", "CONNECT", ":authority", "a:1", ":path", "/"), "connect_with_scheme_or_path"],
    ["CONNECT without :authority", f(":method", "CONNECT"), "connect_authority_missing"],
    [
      ":protocol not enabled",
      f(":method", "CONNECT", ":protocol", "websocket", ":scheme", "https", ":path", "/", ":authority", "a"),
      "protocol_not_enabled",
    ],
    [":protocol on GET", f(":method", "GET", ":protocol", "websocket", ":scheme", "https", ":path", "/"), "protocol_without_connect", true],
    [
      "extended CONNECT without :path",
      f(":method", "CONNECT", ":protocol", "websocket", ":scheme", "https", ":authority", "a"),
      "path_missing",
      true,
    ],
  ];
  test.each(bad)("request: %s", (_n, fields, reason, enable) => {
    const e = caught(() => validateRequestHeaders(fields, { streamId: 7, enableConnectProtocol: enable === true }));
    expect([e.code, e.scope, e.streamId, e.reason]).toEqual([1, "stream", 7, reason]);
    expect(e.message).not.toMatch(/close|chunked|gzip|x\ry/);
  });
  test.each([
    ["no :status", f("a", "b"), "status_missing"],
    ["bad :status", f(":status", "20"), "status_invalid"],
    [":path in response", f(":status", "200", ":path", "/"), "pseudo_header_unknown"],
  ] as const)("response: %s", (_n, fields, reason) => {
    expect(caught(() => validateResponseHeaders(fields, { streamId: 1 })).reason).toBe(reason);
  });
  test("trailers carry no pseudo-header fields", () => {
    expect(caught(() => validateTrailers(f(":status", "200"), { streamId: 1 })).reason).toBe("pseudo_header_in_trailers");
  });
});

describe("stream state machine is total", () => {
  const states = ["idle", "reserved-local", "reserved-remote", "open", "half-closed-local", "half-closed-remote", "closed"] as const;
  const events = ["headers", "push-promise", "data", "end-stream", "rst-stream", "window-update", "priority"] as const;
  test("every (state, event, side) gives a state or an error naming an RFC code", () => {
    for (const s of states)
      for (const e of events)
        for (const side of ["send", "recv"] as const) {
          const r = transitionStream(s, e, side);
          if (r instanceof Http2Error) {
            expect([1, 5]).toContain(r.code);
            expect(r.reason).toMatch(/^[a-z_]+$/);
          } else expect(states).toContain(r);
        }
  });
  test("closing is absorbing: closed never goes back", () => {
    for (const e of events)
      for (const side of ["send", "recv"] as const) {
        const r = transitionStream("closed", e, side);
        if (!(r instanceof Http2Error)) expect(r).toBe("closed");
      }
  });
});
