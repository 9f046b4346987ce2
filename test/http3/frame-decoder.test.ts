import {
  encodeFrame,
  FrameType,
  Http3Error,
  Http3FrameDecoder,
  type Http3FrameDecoderOptions,
  type Http3StreamEvent,
} from "httpwire/http3";
import { describe, expect, test } from "vitest";
import { catchH3, expectH3, hex } from "./helpers.js";

const SETTINGS = "0402 0610"; // SETTINGS_MAX_FIELD_SECTION_SIZE = 16
const HEADERS = "0104 0000d1d7"; // static-only QPACK section
const DATA3 = "0003 616263";
const GREASE = "2102 abcd"; // reserved frame type 0x21

function feed(opts: Http3FrameDecoderOptions, h: string, chunkSize = 0): Http3StreamEvent[] {
  const d = new Http3FrameDecoder(opts);
  const bytes = hex(h);
  if (chunkSize === 0) return d.push(bytes);
  const out: Http3StreamEvent[] = [];
  for (let i = 0; i < bytes.length; i += chunkSize) out.push(...d.push(bytes.subarray(i, i + chunkSize)));
  return out;
}

describe("Http3FrameDecoder basics", () => {
  test("control stream: SETTINGS, GREASE skipped, GOAWAY", () => {
    expect(feed({ stream: "control" }, `${SETTINGS} ${GREASE} 070104`)).toEqual([
      {
        type: "frame",
        frame: { type: FrameType.SETTINGS, settings: [{ id: 6, value: 16 }] },
        offset: 0,
        headerLength: 2,
        length: 2,
      },
      { type: "frame", frame: { type: FrameType.GOAWAY, id: 4 }, offset: 8, headerLength: 2, length: 1 },
    ]);
  });
  test("request stream: HEADERS, DATA streamed as views, trailers", () => {
    const d = new Http3FrameDecoder({ stream: "request", sender: "client" });
    const bytes = hex(`${HEADERS} ${DATA3} ${GREASE} 0000 ${HEADERS}`);
    const ev = d.push(bytes);
    expect(ev).toEqual([
      {
        type: "frame",
        frame: { type: FrameType.HEADERS, fieldSection: hex("0000d1d7") },
        offset: 0,
        headerLength: 2,
        length: 4,
      },
      { type: "data-start", offset: 6, headerLength: 2, length: 3 },
      { type: "data", data: hex("616263"), offset: 8, end: true },
      { type: "data-start", offset: 15, headerLength: 2, length: 0 },
      { type: "data", data: new Uint8Array(0), offset: 17, end: true },
      {
        type: "frame",
        frame: { type: FrameType.HEADERS, fieldSection: hex("0000d1d7") },
        offset: 17,
        headerLength: 2,
        length: 4,
      },
    ]);
    const data = ev[2] as { data: Uint8Array };
    expect(data.data.buffer).toBe(bytes.buffer); // zero-copy
    const headers = ev[0] as { frame: { fieldSection: Uint8Array } };
    expect(headers.frame.fieldSection.buffer).toBe(bytes.buffer);
    d.end();
  });
  test("one byte at a time gives the same frames, with DATA in pieces", () => {
    const ev = feed({ stream: "request" }, `${HEADERS} ${DATA3} ${GREASE} ${HEADERS}`, 1);
    expect(ev).toEqual([
      {
        type: "frame",
        frame: { type: FrameType.HEADERS, fieldSection: hex("0000d1d7") },
        offset: 0,
        headerLength: 2,
        length: 4,
      },
      { type: "data-start", offset: 6, headerLength: 2, length: 3 },
      { type: "data", data: hex("61"), offset: 8, end: false },
      { type: "data", data: hex("62"), offset: 9, end: false },
      { type: "data", data: hex("63"), offset: 10, end: true },
      {
        type: "frame",
        frame: { type: FrameType.HEADERS, fieldSection: hex("0000d1d7") },
        offset: 15,
        headerLength: 2,
        length: 4,
      },
    ]);
  });
  test("frames that straddle chunks get their own buffer; earlier views stay intact", () => {
    const d = new Http3FrameDecoder({ stream: "request" });
    const a = hex("0104 0000");
    const b = hex("d1d7 0104 0000");
    const c = hex("d1d8");
    const e1 = d.push(a);
    const e2 = d.push(b);
    const e3 = d.push(c);
    expect(e1).toEqual([]);
    expect(e2).toEqual([{ type: "frame", frame: { type: 1, fieldSection: hex("0000d1d7") }, offset: 0, headerLength: 2, length: 4 }]);
    expect(e3).toEqual([{ type: "frame", frame: { type: 1, fieldSection: hex("0000d1d8") }, offset: 6, headerLength: 2, length: 4 }]);
    expect((e2[0] as { frame: { fieldSection: Uint8Array } }).frame.fieldSection).toEqual(hex("0000d1d7"));
  });
  test("a header split across chunks (8-byte type varint)", () => {
    const ev = feed({ stream: "request", emitUnknown: true }, `${HEADERS} c000000000000021 01 ff`, 3);
    expect(ev[1]).toEqual({
      type: "frame",
      frame: { type: "unknown", frameType: 0x21, reserved: true, payload: hex("ff") },
      offset: 6,
      headerLength: 9,
      length: 1,
    });
  });
  test("emitUnknown returns unknown and reserved frames; default skips them unbuffered", () => {
    expect(feed({ stream: "request", emitUnknown: true }, `${GREASE} 0a00`)).toEqual([
      {
        type: "frame",
        frame: { type: "unknown", frameType: 0x21, reserved: true, payload: hex("abcd") },
        offset: 0,
        headerLength: 2,
        length: 2,
      },
      {
        type: "frame",
        frame: { type: "unknown", frameType: 0x0a, reserved: false, payload: new Uint8Array(0) },
        offset: 4,
        headerLength: 2,
        length: 0,
      },
    ]);
    // A huge unknown frame is skipped without allocation or a limit error.
    const d = new Http3FrameDecoder({ stream: "request" });
    expect(d.push(hex("21ffffffffffffffff 00112233"))).toEqual([]);
    expect(d.offset).toBe(13);
    // ...but with emitUnknown it is subject to the limit.
    expectH3(() => new Http3FrameDecoder({ emitUnknown: true }).push(hex("21ffffffffffffffff")), "H3_EXCESSIVE_LOAD", "frame_too_large");
  });
  test("DATA with a declared length above 2^53 is streamed", () => {
    const d = new Http3FrameDecoder({ stream: "request" });
    const ev = d.push(hex(`${HEADERS} 00ffffffffffffffff 0102`));
    expect(ev.slice(1)).toEqual([
      { type: "data-start", offset: 6, headerLength: 9, length: 2n ** 62n - 1n },
      { type: "data", data: hex("0102"), offset: 15, end: false },
    ]);
    expect(() => d.end()).toThrow(Http3Error);
  });
  test("the length limit is checked from the header, before any payload", () => {
    const d = new Http3FrameDecoder({ stream: "request", maxPayloadLengthByType: { [FrameType.HEADERS]: 100 } });
    expectH3(() => d.push(hex("014065")), "H3_EXCESSIVE_LOAD", "frame_too_large");
    const e = catchH3(() => new Http3FrameDecoder({ stream: "request" }).push(hex("01ffffffffffffffff")));
    expect(e.offset).toBe(0);
  });
  test("stream kind 'any' (the default) applies framing rules only", () => {
    expect(feed({}, `${SETTINGS} ${HEADERS} ${DATA3} 070104`).length).toBe(5);
    expectH3(() => feed({}, "0600"), "H3_FRAME_UNEXPECTED", "http2_frame_type");
  });
  test("encodeFrame output decodes back", () => {
    const bytes = encodeFrame({ type: FrameType.PRIORITY_UPDATE_REQUEST, elementId: 8, priorityFieldValue: "u=2" });
    expect(new Http3FrameDecoder({ stream: "control" }).push(new Uint8Array([...hex(SETTINGS), ...bytes]))[1]).toEqual({
      type: "frame",
      frame: { type: FrameType.PRIORITY_UPDATE_REQUEST, elementId: 8, priorityFieldValue: "u=2" },
      offset: 4,
      headerLength: 5,
      length: 4,
    });
  });
  test("invalid stream kind is a caller error", () => {
    expect(() => new Http3FrameDecoder({ stream: "bogus" as "any" })).toThrow(RangeError);
  });
  test("options are checked: a caller's mistake is a RangeError or TypeError", () => {
    expect(() => new Http3FrameDecoder({ sender: "peer" as "client" })).toThrow(RangeError);
    expect(() => new Http3FrameDecoder({ streamId: -4 })).toThrow(RangeError);
    expect(() => new Http3FrameDecoder({ maxPayloadLength: -1 })).toThrow(RangeError);
    expect(() => new Http3FrameDecoder({ maxPayloadLength: 1.5 })).toThrow(RangeError);
    expect(() => new Http3FrameDecoder({ maxPayloadLengthByType: { [FrameType.HEADERS]: Number.NaN } })).toThrow(RangeError);
    expect(() => new Http3FrameDecoder({ emitUnknown: "yes" as unknown as boolean })).toThrow(TypeError);
    expect(() => new Http3FrameDecoder().push("00" as unknown as Uint8Array)).toThrow(TypeError);
  });
});

describe("placement and order rules: code, scope, reason", () => {
  const rows: [string, Http3FrameDecoderOptions, string, string, string][] = [
    // RFC 9114 §6.2.1: control stream starts with SETTINGS.
    ["control starts with GOAWAY (§6.2.1)", { stream: "control" }, "070104", "H3_MISSING_SETTINGS", "control_stream_missing_settings"],
    [
      "control starts with a GREASE frame (§6.2.1)",
      { stream: "control" },
      GREASE,
      "H3_MISSING_SETTINGS",
      "control_stream_missing_settings",
    ],
    ["control starts with DATA (§6.2.1)", { stream: "control" }, DATA3, "H3_MISSING_SETTINGS", "control_stream_missing_settings"],
    ["second SETTINGS (§7.2.4)", { stream: "control" }, `${SETTINGS} 0400`, "H3_FRAME_UNEXPECTED", "settings_repeated"],
    ["DATA on control (§7.2.1)", { stream: "control" }, `${SETTINGS} ${DATA3}`, "H3_FRAME_UNEXPECTED", "data_on_control_stream"],
    ["HEADERS on control (§7.2.2)", { stream: "control" }, `${SETTINGS} ${HEADERS}`, "H3_FRAME_UNEXPECTED", "headers_on_control_stream"],
    [
      "PUSH_PROMISE on control (§7.2.5)",
      { stream: "control" },
      `${SETTINGS} 050100`,
      "H3_FRAME_UNEXPECTED",
      "push_promise_on_control_stream",
    ],
    [
      "MAX_PUSH_ID received by a client (§7.2.7)",
      { stream: "control", sender: "server" },
      `${SETTINGS} 0d0100`,
      "H3_FRAME_UNEXPECTED",
      "max_push_id_received_by_client",
    ],
    [
      "PRIORITY_UPDATE received by a client (RFC 9218 §7.2)",
      { stream: "control", sender: "server" },
      `${SETTINGS} 800f07000100`,
      "H3_FRAME_UNEXPECTED",
      "priority_update_received_by_client",
    ],
    [
      "PRIORITY_UPDATE push received by a client (RFC 9218 §7.2)",
      { stream: "control", sender: "server" },
      `${SETTINGS} 800f07010100`,
      "H3_FRAME_UNEXPECTED",
      "priority_update_received_by_client",
    ],
    [
      "GOAWAY for stream 1 received by a client (§7.2.6)",
      { stream: "control", sender: "server" },
      `${SETTINGS} 070101`,
      "H3_ID_ERROR",
      "goaway_not_client_bidi_stream",
    ],
    [
      "GOAWAY for stream 2 received by a client (§7.2.6)",
      { stream: "control", sender: "server" },
      `${SETTINGS} 070102`,
      "H3_ID_ERROR",
      "goaway_not_client_bidi_stream",
    ],
    [
      "GOAWAY identifier increases (§5.2)",
      { stream: "control", sender: "server" },
      `${SETTINGS} 070108 07010c`,
      "H3_ID_ERROR",
      "goaway_id_increased",
    ],
    [
      "GOAWAY push ID increases, read by a server (§5.2)",
      { stream: "control", sender: "client" },
      `${SETTINGS} 070103 070104`,
      "H3_ID_ERROR",
      "goaway_id_increased",
    ],
    [
      "GOAWAY increases from a small ID to 2^62 - 4 (§5.2)",
      { stream: "control" },
      `${SETTINGS} 070100 0708fffffffffffffffc`,
      "H3_ID_ERROR",
      "goaway_id_increased",
    ],
    [
      "MAX_PUSH_ID decreases (§7.2.7)",
      { stream: "control", sender: "client" },
      `${SETTINGS} 0d0105 0d0104`,
      "H3_ID_ERROR",
      "max_push_id_decreased",
    ],
    [
      "MAX_PUSH_ID decreases from above 2^53 (§7.2.7)",
      { stream: "control" },
      `${SETTINGS} 0d08c020000000000000 0d0104`,
      "H3_ID_ERROR",
      "max_push_id_decreased",
    ],
    [
      "CANCEL_PUSH before any MAX_PUSH_ID, read by a server (§7.2.3)",
      { stream: "control", sender: "client" },
      `${SETTINGS} 030100`,
      "H3_ID_ERROR",
      "cancel_push_above_max_push_id",
    ],
    [
      "CANCEL_PUSH above MAX_PUSH_ID, read by a server (§7.2.3)",
      { stream: "control", sender: "client" },
      `${SETTINGS} 0d0105 030106`,
      "H3_ID_ERROR",
      "cancel_push_above_max_push_id",
    ],
    [
      "PRIORITY_UPDATE push above MAX_PUSH_ID (RFC 9218 §7.2)",
      { stream: "control", sender: "client" },
      `${SETTINGS} 0d0102 800f07010103`,
      "H3_ID_ERROR",
      "priority_update_push_above_max_push_id",
    ],
    [
      "PRIORITY_UPDATE push before any MAX_PUSH_ID (RFC 9218 §7.2)",
      { stream: "control", sender: "client" },
      `${SETTINGS} 800f07010100`,
      "H3_ID_ERROR",
      "priority_update_push_above_max_push_id",
    ],
    ["HTTP/2 PING on control (§7.2.8)", { stream: "control" }, `${SETTINGS} 0600`, "H3_FRAME_UNEXPECTED", "http2_frame_type"],
    // Request streams (§4.1, §7.2 Table 1).
    ["DATA before HEADERS (§4.1)", { stream: "request" }, DATA3, "H3_FRAME_UNEXPECTED", "data_before_headers"],
    [
      "DATA after trailers (§4.1)",
      { stream: "request" },
      `${HEADERS} ${DATA3} ${HEADERS} ${DATA3}`,
      "H3_FRAME_UNEXPECTED",
      "data_after_trailers",
    ],
    [
      "HEADERS after trailers (§4.1)",
      { stream: "request" },
      `${HEADERS} ${DATA3} ${HEADERS} ${HEADERS}`,
      "H3_FRAME_UNEXPECTED",
      "headers_after_trailers",
    ],
    [
      "third HEADERS on a request read by a server (§4.1)",
      { stream: "request", sender: "client" },
      `${HEADERS} ${HEADERS} ${HEADERS}`,
      "H3_FRAME_UNEXPECTED",
      "headers_after_trailers",
    ],
    [
      "DATA after body-less trailers, server (§4.1)",
      { stream: "request", sender: "client" },
      `${HEADERS} ${HEADERS} 0000`,
      "H3_FRAME_UNEXPECTED",
      "data_after_trailers",
    ],
    ["SETTINGS on request (§7.2.4)", { stream: "request" }, SETTINGS, "H3_FRAME_UNEXPECTED", "settings_on_request_stream"],
    ["CANCEL_PUSH on request (§7.2.3)", { stream: "request" }, "030100", "H3_FRAME_UNEXPECTED", "cancel_push_on_request_stream"],
    ["GOAWAY on request (§7.2.6)", { stream: "request" }, "070100", "H3_FRAME_UNEXPECTED", "goaway_on_request_stream"],
    ["MAX_PUSH_ID on request (§7.2.7)", { stream: "request" }, "0d0100", "H3_FRAME_UNEXPECTED", "max_push_id_on_request_stream"],
    [
      "PRIORITY_UPDATE on request (RFC 9218 §7.2)",
      { stream: "request" },
      "800f07000100",
      "H3_FRAME_UNEXPECTED",
      "priority_update_request_on_request_stream",
    ],
    [
      "PUSH_PROMISE received by a server (§7.2.5)",
      { stream: "request", sender: "client" },
      `${HEADERS} 050100`,
      "H3_FRAME_UNEXPECTED",
      "push_promise_received_by_server",
    ],
    // Push streams (§4.1, §6.2.2).
    ["PUSH_PROMISE on push (§4.1)", { stream: "push" }, `${HEADERS} 050100`, "H3_FRAME_UNEXPECTED", "push_promise_on_push_stream"],
    ["SETTINGS on push (§7.2.4)", { stream: "push" }, SETTINGS, "H3_FRAME_UNEXPECTED", "settings_on_push_stream"],
    ["DATA before HEADERS on push (§4.1)", { stream: "push" }, DATA3, "H3_FRAME_UNEXPECTED", "data_before_headers"],
    [
      "PRIORITY_UPDATE push on push (RFC 9218 §7.2)",
      { stream: "push" },
      "800f07010100",
      "H3_FRAME_UNEXPECTED",
      "priority_update_push_on_push_stream",
    ],
  ];
  test.each(rows)("%s", (_name, opts, h, codeName, reason) => {
    expectH3(() => feed(opts, h), codeName, reason);
    // Same error when the bytes come one at a time.
    expectH3(() => feed(opts, h, 1), codeName, reason);
  });

  test("allowed sequences", () => {
    // A response may carry interim (1xx) header sections before the final one.
    expect(feed({ stream: "request", sender: "server" }, `${HEADERS} ${HEADERS} ${HEADERS} ${DATA3} ${HEADERS}`)).toHaveLength(6);
    // PUSH_PROMISE interleaved with a response (§4.1), read by a client.
    expect(feed({ stream: "request", sender: "server" }, `050100 ${HEADERS} 050101 ${DATA3} 050102`)).toHaveLength(6);
    // Reserved frames anywhere (§7.2.8), including after trailers.
    expect(feed({ stream: "request" }, `${GREASE} ${HEADERS} ${GREASE} ${DATA3} ${HEADERS} ${GREASE}`)).toHaveLength(4);
    // GOAWAY with a client bidi stream ID, MAX_PUSH_ID and PRIORITY_UPDATE at a server.
    expect(feed({ stream: "control", sender: "server" }, `${SETTINGS} 070108 030101`)).toHaveLength(3);
    expect(feed({ stream: "control", sender: "client" }, `${SETTINGS} 0d0105 070103 800f07000400753d31`)).toHaveLength(4);
    // CANCEL_PUSH and push PRIORITY_UPDATE up to the MAX_PUSH_ID sent before them, at a server;
    // a client cannot know its own MAX_PUSH_ID from the server's control stream, so it does not check.
    expect(feed({ stream: "control", sender: "client" }, `${SETTINGS} 0d0105 030105 030100 800f07010105`)).toHaveLength(5);
    expect(feed({ stream: "control", sender: "server" }, `${SETTINGS} 030109`)).toHaveLength(2);
    // GOAWAY identifiers may repeat or shrink (§5.2), MAX_PUSH_ID may repeat or grow (§7.2.7).
    expect(feed({ stream: "control", sender: "server" }, `${SETTINGS} 0708fffffffffffffffc 070108 070108 070100`)).toHaveLength(5);
    expect(feed({ stream: "control", sender: "client" }, `${SETTINGS} 0d0100 0d0100 0d0108 0d08c020000000000000`)).toHaveLength(5);
    // A push stream: response with trailers.
    expect(feed({ stream: "push" }, `${HEADERS} ${DATA3} ${HEADERS}`)).toHaveLength(4);
  });
  test("the order error is raised on the frame header, before its payload", () => {
    expectH3(() => feed({ stream: "request" }, "0005"), "H3_FRAME_UNEXPECTED", "data_before_headers");
  });
  test("error offsets point at the offending frame", () => {
    expect(catchH3(() => feed({ stream: "control" }, `${SETTINGS} 0400`)).offset).toBe(4);
    expect(catchH3(() => feed({ stream: "control" }, `${SETTINGS} 0400`, 1)).offset).toBe(4);
  });
});

describe("sender: the rules follow the endpoint that sent the bytes, in both directions", () => {
  test("PUSH_PROMISE on a request stream: an error when a client sent it, allowed when a server sent it", () => {
    expectH3(
      () => feed({ stream: "request", sender: "client" }, `${HEADERS} 050100`),
      "H3_FRAME_UNEXPECTED",
      "push_promise_received_by_server",
    );
    expect(feed({ stream: "request", sender: "server" }, `${HEADERS} 050100`)).toHaveLength(2);
    expect(feed({ stream: "request" }, `${HEADERS} 050100`)).toHaveLength(2);
  });
  test("MAX_PUSH_ID and PRIORITY_UPDATE: an error when a server sent them, allowed when a client sent them", () => {
    expectH3(
      () => feed({ stream: "control", sender: "server" }, `${SETTINGS} 0d0100`),
      "H3_FRAME_UNEXPECTED",
      "max_push_id_received_by_client",
    );
    expectH3(
      () => feed({ stream: "control", sender: "server" }, `${SETTINGS} 800f07000100`),
      "H3_FRAME_UNEXPECTED",
      "priority_update_received_by_client",
    );
    expect(feed({ stream: "control", sender: "client" }, `${SETTINGS} 0d0100 800f07000100`)).toHaveLength(3);
  });
  test("GOAWAY naming stream 1: an error when a server sent it; from a client it is a push ID", () => {
    expectH3(() => feed({ stream: "control", sender: "server" }, `${SETTINGS} 070101`), "H3_ID_ERROR", "goaway_not_client_bidi_stream");
    expect(feed({ stream: "control", sender: "client" }, `${SETTINGS} 070101`)).toHaveLength(2);
  });
  test("CANCEL_PUSH above MAX_PUSH_ID: checked on what a client sent only", () => {
    expectH3(() => feed({ stream: "control", sender: "client" }, `${SETTINGS} 030101`), "H3_ID_ERROR", "cancel_push_above_max_push_id");
    expect(feed({ stream: "control", sender: "server" }, `${SETTINGS} 030101`)).toHaveLength(2);
  });
  test("a second HEADERS is the trailers of a request a client sent, an interim response from a server", () => {
    expectH3(
      () => feed({ stream: "request", sender: "client" }, `${HEADERS} ${HEADERS} ${HEADERS}`),
      "H3_FRAME_UNEXPECTED",
      "headers_after_trailers",
    );
    expect(feed({ stream: "request", sender: "server" }, `${HEADERS} ${HEADERS} ${HEADERS}`)).toHaveLength(3);
  });
});

describe("end()", () => {
  test("truncated last frame is H3_FRAME_ERROR (§7.1), at the offset of that frame", () => {
    for (const [partial, at] of [
      ["01", 0],
      ["0104", 0],
      ["0104 0000", 0],
      [`${HEADERS} 0003 61`, 6],
      [`${HEADERS} 01`, 6],
    ] as const) {
      const d = new Http3FrameDecoder({ stream: "request" });
      d.push(hex(partial));
      expect(expectH3(() => d.end(), "H3_FRAME_ERROR", "frame_truncated").offset).toBe(at);
    }
  });
  test("closing a control stream is H3_CLOSED_CRITICAL_STREAM (§6.2.1)", () => {
    const d = new Http3FrameDecoder({ stream: "control" });
    d.push(hex(SETTINGS));
    expectH3(() => d.end(), "H3_CLOSED_CRITICAL_STREAM", "control_stream_closed");
  });
  test("a client's request stream that ends before HEADERS is a stream-error event, not an exception", () => {
    const d = new Http3FrameDecoder({ stream: "request", sender: "client", streamId: 8 });
    d.push(hex(GREASE));
    const ev = d.end();
    expect(ev).toHaveLength(1);
    const e = ev[0]!;
    if (e.type !== "stream-error") throw new Error("expected a stream-error event");
    expect(e.streamId).toBe(8);
    expect(e.error).toBeInstanceOf(Http3Error);
    expect([e.error.codeName, e.error.scope, e.error.reason, e.error.streamId, e.error.offset]).toEqual([
      "H3_REQUEST_INCOMPLETE",
      "stream",
      "request_incomplete",
      8,
      4,
    ]);
    // Without a stream ID the event has none.
    const u = new Http3FrameDecoder({ stream: "request", sender: "client" });
    const out: Http3StreamEvent[] = [];
    expect(u.end(out)).toBe(out);
    expect(out).toHaveLength(1);
    expect("streamId" in out[0]!).toBe(false);
    // A request read from a server's side (a response) may end without HEADERS only by a reset; no event here.
    expect(new Http3FrameDecoder({ stream: "request", sender: "server" }).end()).toEqual([]);
  });
  test("clean ends", () => {
    const d = new Http3FrameDecoder({ stream: "request", sender: "client" });
    d.push(hex(`${HEADERS} ${DATA3}`));
    expect(() => d.end()).not.toThrow();
    expect(() => d.end()).not.toThrow();
    expect(() => d.push(hex("00"))).toThrow(TypeError);
    const e = new Http3FrameDecoder({ stream: "push" });
    e.end();
  });
});

describe("poisoning", () => {
  test("after a connection error every call rethrows the same error", () => {
    const d = new Http3FrameDecoder({ stream: "request" });
    const first = catchH3(() => d.push(hex(DATA3)));
    expect(catchH3(() => d.push(hex(HEADERS)))).toBe(first);
    expect(catchH3(() => d.end())).toBe(first);
  });
});
