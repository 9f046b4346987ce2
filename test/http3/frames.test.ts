import {
  DEFAULT_MAX_PAYLOAD_LENGTH,
  encodeFrame,
  encodeFrameHeader,
  FrameType,
  Http3ErrorCode,
  type Http3Frame,
  readFrame,
  readFrameHeader,
} from "httpwire/http3";
import { describe, expect, test } from "vitest";
import vectors from "../../fixtures/http3-frames.json";
import { expectH3, hex, toHex } from "./helpers.js";

interface Case {
  name: string;
  hex: string;
  expected: Record<string, unknown>;
  minimal?: boolean;
}
const fixture = vectors as { cases: Case[] };

const BYTE_FIELDS = new Set(["data", "payload", "fieldSection"]);
/** Fixture JSON to the frame object the decoder returns. */
function toFrame(e: Record<string, unknown>): Http3Frame {
  const conv = (k: string, v: unknown): unknown => {
    if (BYTE_FIELDS.has(k)) return hex(v as string);
    if (typeof v === "string" && /^\d+n$/.test(v)) return BigInt(v.slice(0, -1));
    if (Array.isArray(v))
      return v.map((x) =>
        typeof x === "object" && x !== null ? Object.fromEntries(Object.entries(x).map(([k2, v2]) => [k2, conv(k2, v2)])) : x,
      );
    return v;
  };
  return Object.fromEntries(Object.entries(e).map(([k, v]) => [k, conv(k, v)])) as unknown as Http3Frame;
}

describe("exact bytes of every frame type (fixtures/http3-frames.json)", () => {
  test("covers every FrameType", () => {
    const types = new Set(fixture.cases.map((c) => c.expected.type));
    for (const t of Object.values(FrameType)) expect(types.has(t)).toBe(true);
    expect(types.has("unknown")).toBe(true);
  });
  test.each(fixture.cases)("decode: $name", (c) => {
    const bytes = hex(c.hex);
    expect(readFrame(bytes)).toEqual({ status: "ok", frame: toFrame(c.expected), length: bytes.length });
    // At an offset, and with trailing bytes that belong to the next frame.
    const padded = hex(`ffff${c.hex}00`);
    expect(readFrame(padded, 2)).toEqual({ status: "ok", frame: toFrame(c.expected), length: bytes.length });
  });
  test.each(fixture.cases.filter((c) => c.minimal !== false))("encode: $name", (c) => {
    expect(toHex(encodeFrame(toFrame(c.expected)))).toBe(c.hex);
  });
  test("payloads are views of the input, not copies", () => {
    const bytes = hex("0003616263");
    const r = readFrame(bytes);
    if (r.status !== "ok" || r.frame.type !== FrameType.DATA) throw new Error("expected DATA");
    expect(r.frame.data.buffer).toBe(bytes.buffer);
    expect(r.frame.data.byteOffset).toBe(2);
  });
  test.each([
    ["HEADERS", "ff 0102 abcd", 3],
    ["PUSH_PROMISE", "ff 0503 07 abcd", 4],
    ["unknown type 0x21", "ff 2102 abcd", 3],
  ])("%s payload is a view at the right offset", (_name, h, at) => {
    const bytes = hex(h);
    const r = readFrame(bytes, 1, { maxPayloadLength: 16 });
    if (r.status !== "ok") throw new Error("expected a frame");
    const f = r.frame as { payload?: Uint8Array; fieldSection?: Uint8Array };
    const view = f.fieldSection ?? f.payload!;
    expect(view.buffer).toBe(bytes.buffer);
    expect(view.byteOffset).toBe(at);
    expect(toHex(view)).toBe("abcd");
  });
});

describe("need more bytes", () => {
  test.each([
    ["", 2],
    ["00", 1],
    ["40", 2], // 2-byte type, then at least a length byte
    ["0040", 1], // 2-byte length needs 1 more
    ["0003", 3],
    ["000361", 2],
    ["800f07", 2],
  ])("%s needs %i", (h, needed) => {
    expect(readFrame(hex(h))).toEqual({ status: "need-more", needed });
  });
  test("readFrameHeader", () => {
    expect(readFrameHeader(hex("00437b"))).toEqual({ status: "ok", type: 0, length: 891, headerLength: 3 });
    expect(readFrameHeader(hex("0043"))).toEqual({ status: "need-more", needed: 1 });
    expect(() => readFrameHeader(hex("00"), 2)).toThrow(RangeError);
  });
});

describe("every MUST of one frame: code, scope, reason", () => {
  const rows: [string, string, string, string][] = [
    // RFC 9114 §7.2.8: HTTP/2-only frame types.
    ["0x02 PRIORITY (§7.2.8)", "0200", "H3_FRAME_UNEXPECTED", "http2_frame_type"],
    ["0x06 PING (§7.2.8)", "06080000000000000000", "H3_FRAME_UNEXPECTED", "http2_frame_type"],
    ["0x08 WINDOW_UPDATE (§7.2.8)", "0804", "H3_FRAME_UNEXPECTED", "http2_frame_type"],
    ["0x09 CONTINUATION (§7.2.8)", "0900", "H3_FRAME_UNEXPECTED", "http2_frame_type"],
    ["0x06 PING in a 2-byte type varint (§7.2.8)", "400600", "H3_FRAME_UNEXPECTED", "http2_frame_type"],
    // RFC 9114 §7.1: payload exactly one varint.
    ["CANCEL_PUSH empty (§7.1)", "0300", "H3_FRAME_ERROR", "frame_payload_length_invalid"],
    ["CANCEL_PUSH 3 bytes (§7.1)", "0303000000", "H3_FRAME_ERROR", "frame_payload_length_invalid"],
    ["CANCEL_PUSH extra byte (§7.1)", "03020300", "H3_FRAME_ERROR", "frame_payload_extra_bytes"],
    ["CANCEL_PUSH truncated varint (§7.1)", "03014000", "H3_FRAME_ERROR", "frame_payload_truncated"],
    ["GOAWAY 9 bytes (§7.1)", "0709c0000000000000000000", "H3_FRAME_ERROR", "frame_payload_length_invalid"],
    ["GOAWAY extra bytes (§7.1)", "070400000000", "H3_FRAME_ERROR", "frame_payload_extra_bytes"],
    ["GOAWAY truncated 4-byte varint (§7.1)", "070280000000", "H3_FRAME_ERROR", "frame_payload_truncated"],
    ["MAX_PUSH_ID extra byte (§7.1)", "0d020101", "H3_FRAME_ERROR", "frame_payload_extra_bytes"],
    ["MAX_PUSH_ID empty (§7.1)", "0d00", "H3_FRAME_ERROR", "frame_payload_length_invalid"],
    // SETTINGS (§7.2.4).
    ["SETTINGS identifier without value (§7.1)", "040106", "H3_FRAME_ERROR", "frame_payload_truncated"],
    ["SETTINGS truncated 2-byte value (§7.1)", "04020640", "H3_FRAME_ERROR", "frame_payload_truncated"],
    ["SETTINGS 0x00 (§7.2.4.1)", "04020000", "H3_SETTINGS_ERROR", "settings_http2_identifier"],
    ["SETTINGS 0x02 ENABLE_PUSH (§7.2.4.1)", "04020200", "H3_SETTINGS_ERROR", "settings_http2_identifier"],
    ["SETTINGS 0x03 MAX_CONCURRENT_STREAMS (§7.2.4.1)", "04020300", "H3_SETTINGS_ERROR", "settings_http2_identifier"],
    ["SETTINGS 0x04 INITIAL_WINDOW_SIZE (§7.2.4.1)", "04020400", "H3_SETTINGS_ERROR", "settings_http2_identifier"],
    ["SETTINGS 0x05 MAX_FRAME_SIZE (§7.2.4.1)", "04020500", "H3_SETTINGS_ERROR", "settings_http2_identifier"],
    ["SETTINGS 0x05 in a 2-byte varint (§7.2.4.1)", "0403400500", "H3_SETTINGS_ERROR", "settings_http2_identifier"],
    ["SETTINGS duplicate identifier (§7.2.4)", "0404060106 02", "H3_SETTINGS_ERROR", "settings_duplicate_identifier"],
    ["SETTINGS duplicate with different encodings (§7.2.4)", "0405060140 0602", "H3_SETTINGS_ERROR", "settings_duplicate_identifier"],
    ["SETTINGS duplicate GREASE identifier (§7.2.4)", "0404210021 00", "H3_SETTINGS_ERROR", "settings_duplicate_identifier"],
    ["SETTINGS H3_DATAGRAM 2 (RFC 9297 §2.1.1)", "04023302", "H3_SETTINGS_ERROR", "settings_value_not_boolean"],
    ["SETTINGS ENABLE_CONNECT_PROTOCOL 2 (RFC 9220 §3)", "04020802", "H3_SETTINGS_ERROR", "settings_value_not_boolean"],
    // PUSH_PROMISE (§7.2.5).
    ["PUSH_PROMISE empty (§7.1)", "0500", "H3_FRAME_ERROR", "frame_payload_truncated"],
    ["PUSH_PROMISE truncated push ID (§7.1)", "050140", "H3_FRAME_ERROR", "frame_payload_truncated"],
    // PRIORITY_UPDATE (RFC 9218 §7.2).
    ["PRIORITY_UPDATE empty (§7.1)", "800f070000", "H3_FRAME_ERROR", "frame_payload_truncated"],
    ["PRIORITY_UPDATE request for stream 2 (RFC 9218 §7.2)", "800f07000102", "H3_ID_ERROR", "priority_update_not_request_stream"],
    ["PRIORITY_UPDATE request for server stream 1 (RFC 9218 §7.2)", "800f07000101", "H3_ID_ERROR", "priority_update_not_request_stream"],
  ];
  test.each(rows)("%s", (_name, h, codeName, reason) => {
    const e = expectH3(() => readFrame(hex(h)), codeName, reason);
    expect(e.code).toBe(Http3ErrorCode[codeName as keyof typeof Http3ErrorCode]);
    expect(e.offset).toBeTypeOf("number");
  });
  test("PRIORITY_UPDATE push variant takes any push ID", () => {
    expect(readFrame(hex("800f07010102"))).toMatchObject({ status: "ok", frame: { elementId: 2 } });
  });
  test("the HTTP/2-only check happens on the header, before the payload arrives", () => {
    expectH3(() => readFrame(hex("0610")), "H3_FRAME_UNEXPECTED", "http2_frame_type");
  });
  test("unknown settings are kept, not rejected (§7.2.4: MUST ignore unknown identifiers)", () => {
    expect(readFrame(hex("0405 4100 0a 07 01"))).toMatchObject({
      status: "ok",
      frame: { settings: [{ id: 0x100, value: 10 }, { id: 7 }] },
    });
  });
});

describe("length limits (checked from the header)", () => {
  test("default limit is 64 KiB for buffered frames", () => {
    expect(DEFAULT_MAX_PAYLOAD_LENGTH).toBe(65536);
    expectH3(() => readFrame(hex("0180010001")), "H3_EXCESSIVE_LOAD", "frame_too_large");
    expect(readFrame(hex("0180010000"))).toEqual({ status: "need-more", needed: 65536 });
  });
  test("a declared length of 2^62-1 is rejected without allocating", () => {
    expectH3(() => readFrame(hex("01ffffffffffffffff")), "H3_EXCESSIVE_LOAD", "frame_too_large");
    expectH3(() => readFrame(hex("21ffffffffffffffff")), "H3_EXCESSIVE_LOAD", "frame_too_large");
  });
  test("DATA is not limited unless a per-type limit says so", () => {
    expect(readFrame(hex("00ffffffffffffffff"))).toMatchObject({ status: "need-more" });
    expectH3(
      () => readFrame(hex("00050102030405"), 0, { maxPayloadLengthByType: { [FrameType.DATA]: 4 } }),
      "H3_EXCESSIVE_LOAD",
      "frame_too_large",
    );
  });
  test("per-type overrides and the general option", () => {
    const limits = { maxPayloadLength: 2, maxPayloadLengthByType: { [FrameType.HEADERS]: 4 } };
    expect(readFrame(hex("01040000d1d7"), 0, limits)).toMatchObject({ status: "ok" });
    expectH3(() => readFrame(hex("05050000000000"), 0, limits), "H3_EXCESSIVE_LOAD", "frame_too_large");
  });
});

describe("encoding", () => {
  test("encodeFrameHeader for streamed DATA", () => {
    expect(toHex(encodeFrameHeader(FrameType.DATA, 1000))).toBe("0043e8");
    expect(toHex(encodeFrameHeader(0x21, 0))).toBe("2100");
    expect(() => encodeFrameHeader(0x06, 0)).toThrow(RangeError);
    expect(() => encodeFrameHeader(0, -1)).toThrow(RangeError);
    // A header the decoder would reject with frame_payload_length_invalid.
    expect(() => encodeFrameHeader(FrameType.GOAWAY, 3)).toThrow(RangeError);
    expect(toHex(encodeFrameHeader(FrameType.MAX_PUSH_ID, 8))).toBe("0d08");
  });
  test("caller mistakes throw RangeError/TypeError", () => {
    expect(() => encodeFrame({ type: FrameType.SETTINGS, settings: [{ id: 2, value: 0 }] })).toThrow(RangeError);
    expect(() =>
      encodeFrame({
        type: FrameType.SETTINGS,
        settings: [
          { id: 6, value: 0 },
          { id: 6, value: 1 },
        ],
      }),
    ).toThrow(RangeError);
    expect(() => encodeFrame({ type: FrameType.GOAWAY, id: 2n ** 62n })).toThrow(RangeError);
    expect(() => encodeFrame({ type: FrameType.CANCEL_PUSH, pushId: -1 })).toThrow(RangeError);
    expect(() => encodeFrame({ type: "unknown", frameType: 0x09, reserved: false, payload: new Uint8Array() })).toThrow(RangeError);
    expect(() => encodeFrame({ type: "unknown", frameType: 0x01, reserved: false, payload: new Uint8Array() })).toThrow(RangeError);
    expect(() => encodeFrame({ type: FrameType.PRIORITY_UPDATE_REQUEST, elementId: 0, priorityFieldValue: "u=\u0100" })).toThrow(TypeError);
    // Values the decoder rejects are refused at the encoder, so it never writes a frame the peer must reject.
    expect(() => encodeFrame({ type: FrameType.SETTINGS, settings: [{ id: 0x08, value: 2 }] })).toThrow(RangeError);
    expect(() => encodeFrame({ type: FrameType.SETTINGS, settings: [{ id: 0x33, value: 2n }] })).toThrow(RangeError);
    expect(() => encodeFrame({ type: FrameType.PRIORITY_UPDATE_REQUEST, elementId: 2, priorityFieldValue: "u=1" })).toThrow(RangeError);
    expect(() => encodeFrame({ type: FrameType.PRIORITY_UPDATE_REQUEST, elementId: 2n ** 61n + 1n, priorityFieldValue: "u=1" })).toThrow(
      RangeError,
    );
    expect(toHex(encodeFrame({ type: FrameType.PRIORITY_UPDATE_PUSH, elementId: 2, priorityFieldValue: "" }))).toBe("800f07010102");
    expect(toHex(encodeFrame({ type: FrameType.SETTINGS, settings: [{ id: 0x08, value: 1n }] }))).toBe("04020801");
    // Wrong field types from untyped callers.
    expect(() => encodeFrame({ type: FrameType.DATA, data: "abc" as never })).toThrow(TypeError);
    expect(() => encodeFrame({ type: FrameType.HEADERS, fieldSection: [1, 2] as never })).toThrow(TypeError);
    expect(() => encodeFrame({ type: FrameType.PUSH_PROMISE, pushId: 0, fieldSection: undefined as never })).toThrow(TypeError);
    expect(() => encodeFrame({ type: "unknown", frameType: 0x21, reserved: true, payload: null as never })).toThrow(TypeError);
    expect(() => encodeFrame({ type: FrameType.PRIORITY_UPDATE_PUSH, elementId: 0, priorityFieldValue: 7 as never })).toThrow(TypeError);
  });
  test("a non-ASCII priority field value decodes and re-encodes byte for byte", () => {
    const wire = hex("800f070003 00 ff00");
    const r = readFrame(wire);
    expect(r).toEqual({
      status: "ok",
      frame: { type: FrameType.PRIORITY_UPDATE_REQUEST, elementId: 0, priorityFieldValue: "\u00ff\u0000" },
      length: 8,
    });
    if (r.status === "ok") expect(toHex(encodeFrame(r.frame))).toBe(toHex(wire));
  });
  test("bigint values", () => {
    expect(toHex(encodeFrame({ type: FrameType.MAX_PUSH_ID, pushId: 2n ** 62n - 1n }))).toBe("0d08ffffffffffffffff");
    expect(toHex(encodeFrame({ type: "unknown", frameType: 2n ** 53n, reserved: false, payload: hex("ff") }))).toBe("c02000000000000001ff");
  });
});

describe("error helpers, one per scope (http3/errors.ts, quic/errors.ts)", () => {
  test("connectionError and streamError return the module's error with its scope", async () => {
    const h3 = await import("../../src/http3/errors.js");
    const quic = await import("../../src/quic/errors.js");
    const c = h3.connectionError(0x0105, "some_reason", "message", 7);
    expect(c).toBeInstanceOf(h3.Http3Error);
    expect([c.codeName, c.scope, c.reason, c.message, c.offset, c.streamId]).toEqual([
      "H3_FRAME_UNEXPECTED",
      "connection",
      "some_reason",
      "message",
      7,
      undefined,
    ]);
    const s = h3.streamError(0x010d, 4, "request_incomplete", "m");
    expect([s.codeName, s.scope, s.streamId, s.offset]).toEqual(["H3_REQUEST_INCOMPLETE", "stream", 4, undefined]);
    const q = quic.connectionError(0x04, "stream_limit_exceeded", "m", 1);
    expect(q).toBeInstanceOf(quic.QuicError);
    expect([q.codeName, q.scope, q.offset]).toEqual(["STREAM_LIMIT_ERROR", "connection", 1]);
    const qs = quic.streamError(0x04, 8n, "r", "m");
    expect([qs.scope, qs.streamId]).toEqual(["stream", 8n]);
  });
});

describe("readFrame checks its limits (a caller's mistake)", () => {
  test("negative, fractional or NaN limits are a RangeError", () => {
    expect(() => readFrame(hex("0400"), 0, { maxPayloadLength: -1 })).toThrow(RangeError);
    expect(() => readFrame(hex("0400"), 0, { maxPayloadLength: 0.5 })).toThrow(RangeError);
    expect(() => readFrame(hex("0400"), 0, { maxPayloadLengthByType: { [FrameType.SETTINGS]: Number.NaN } })).toThrow(RangeError);
    expect(readFrame(hex("0400"), 0, { maxPayloadLength: 0 })).toEqual({
      status: "ok",
      frame: { type: FrameType.SETTINGS, settings: [] },
      length: 2,
    });
  });
});
