import {
  DEFAULT_HTTP3_SETTINGS,
  encodeUniStreamHeader,
  FrameType,
  frameTypeName,
  greaseValue,
  HTTP2_ONLY_FRAME_TYPES,
  HTTP2_ONLY_SETTINGS_IDS,
  Http3ErrorCode,
  http3ErrorName,
  isGreaseValue,
  isHttp2OnlyFrameType,
  isHttp2OnlySettingsId,
  isReservedFrameType,
  isReservedHttp3ErrorCode,
  isReservedSettingsId,
  isReservedStreamType,
  MAX_GREASE_INDEX,
  randomGreaseValue,
  readFrame,
  readUniStreamHeader,
  resolveSettings,
  SettingsId,
  StreamType,
  settingsIdName,
  streamTypeName,
} from "httpwire/http3";
import { describe, expect, test } from "vitest";
import { hex, toHex } from "./helpers.js";

describe("code points (RFC 9114 §11.2, RFC 9204 §8.2, RFC 9218 §9, RFC 9220 §5, RFC 9297 §5)", () => {
  test("values", () => {
    expect(FrameType).toEqual({
      DATA: 0x00,
      HEADERS: 0x01,
      CANCEL_PUSH: 0x03,
      SETTINGS: 0x04,
      PUSH_PROMISE: 0x05,
      GOAWAY: 0x07,
      MAX_PUSH_ID: 0x0d,
      PRIORITY_UPDATE_REQUEST: 0xf0700,
      PRIORITY_UPDATE_PUSH: 0xf0701,
    });
    expect(StreamType).toEqual({ CONTROL: 0x00, PUSH: 0x01, QPACK_ENCODER: 0x02, QPACK_DECODER: 0x03 });
    expect(SettingsId).toEqual({
      SETTINGS_QPACK_MAX_TABLE_CAPACITY: 0x01,
      SETTINGS_MAX_FIELD_SECTION_SIZE: 0x06,
      SETTINGS_QPACK_BLOCKED_STREAMS: 0x07,
      SETTINGS_ENABLE_CONNECT_PROTOCOL: 0x08,
      SETTINGS_H3_DATAGRAM: 0x33,
    });
    expect(Object.values(HTTP2_ONLY_FRAME_TYPES)).toEqual([0x02, 0x06, 0x08, 0x09]);
    expect(Object.values(HTTP2_ONLY_SETTINGS_IDS)).toEqual([0x00, 0x02, 0x03, 0x04, 0x05]);
  });
  test("names never throw", () => {
    expect(frameTypeName(0x04)).toBe("SETTINGS");
    expect(frameTypeName(0xf0701)).toBe("PRIORITY_UPDATE_PUSH");
    expect(frameTypeName(0x06)).toBe("H2_PING");
    expect(frameTypeName(0x21)).toBe("GREASE_0x21");
    expect(frameTypeName(0x0a)).toBe("UNKNOWN_0x0a");
    expect(frameTypeName(2n ** 60n)).toBe("UNKNOWN_0x1000000000000000");
    expect(streamTypeName(0x02)).toBe("QPACK_ENCODER");
    expect(streamTypeName(0x40)).toBe("GREASE_0x40");
    expect(streamTypeName(0x54)).toBe("UNKNOWN_0x54");
    expect(settingsIdName(0x33)).toBe("SETTINGS_H3_DATAGRAM");
    expect(settingsIdName(0x02)).toBe("H2_SETTINGS_ENABLE_PUSH");
    expect(settingsIdName(0x21)).toBe("GREASE_0x21");
    expect(http3ErrorName(Http3ErrorCode.H3_FRAME_UNEXPECTED)).toBe("H3_FRAME_UNEXPECTED");
    expect(http3ErrorName(0x40)).toBe("H3_GREASE_0x40");
    expect(http3ErrorName(0x10f1)).toBe("UNKNOWN_0x10f1");
    // "Never throws": a non-integer or out-of-range code is simply not reserved.
    expect(() => http3ErrorName(1.5)).not.toThrow();
    expect(isReservedHttp3ErrorCode(1.5)).toBe(false);
    expect(isReservedHttp3ErrorCode(0x1fn * 2n ** 58n + 0x21n)).toBe(false); // above 2^62 - 1
  });
  test("HTTP/2-only checks", () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10].filter(isHttp2OnlyFrameType)).toEqual([2, 6, 8, 9]);
    expect([0, 1, 2, 3, 4, 5, 6, 7, 8].filter(isHttp2OnlySettingsId)).toEqual([0, 2, 3, 4, 5]);
    expect(isHttp2OnlySettingsId(2n ** 60n)).toBe(false);
  });
});

describe("GREASE (RFC 9114 §6.2.3, §7.2.4.1, §7.2.8, §8.1): 0x1f * N + 0x21", () => {
  test("first values", () => {
    expect([0, 1, 2, 3].map((n) => greaseValue(n))).toEqual([0x21, 0x40, 0x5f, 0x7e]);
    expect(greaseValue(MAX_GREASE_INDEX)).toBe(0x1fn * MAX_GREASE_INDEX + 0x21n);
    expect(BigInt(greaseValue(MAX_GREASE_INDEX))).toBeLessThanOrEqual(2n ** 62n - 1n);
    expect(0x1fn * (MAX_GREASE_INDEX + 1n) + 0x21n).toBeGreaterThan(2n ** 62n - 1n);
    expect(() => greaseValue(-1)).toThrow(RangeError);
    expect(() => greaseValue(MAX_GREASE_INDEX + 1n)).toThrow(RangeError);
    expect(() => greaseValue(0.5)).toThrow(RangeError);
  });
  test("checks agree for all four registries", () => {
    for (const v of [0x21, 0x40, 0x5f, 0x1f * 1000 + 0x21]) {
      expect([
        isGreaseValue(v),
        isReservedFrameType(v),
        isReservedStreamType(v),
        isReservedSettingsId(v),
        isReservedHttp3ErrorCode(v),
      ]).toEqual([true, true, true, true, true]);
    }
    for (const v of [0, 0x20, 0x22, 0x41, 0x33, -0x1f + 0x21, 1.5]) expect(isGreaseValue(v)).toBe(false);
    expect(isGreaseValue(BigInt(greaseValue(MAX_GREASE_INDEX)))).toBe(true);
    expect(isGreaseValue(2n ** 62n + 0x21n)).toBe(false);
  });
  test("randomGreaseValue uses the caller's source", () => {
    expect(randomGreaseValue(() => 0)).toBe(0x21);
    expect(randomGreaseValue(() => 0.5, 2)).toBe(0x40);
    expect(randomGreaseValue(() => 0.999999, 2)).toBe(0x5f);
    let seed = 1;
    const lcg = (): number => {
      seed = (seed * 48271) % 2147483647;
      return seed / 2147483647;
    };
    for (let i = 0; i < 50; i++) expect(isGreaseValue(randomGreaseValue(lcg))).toBe(true);
    expect(() => randomGreaseValue(() => 1)).toThrow(RangeError);
    expect(() => randomGreaseValue(() => 0, -1)).toThrow(RangeError);
  });
});

describe("unidirectional stream headers (§6.2)", () => {
  test.each([
    ["00 0400", { status: "ok", streamType: 0, length: 1 }],
    ["01 05 0100", { status: "ok", streamType: 1, pushId: 5, length: 2 }],
    ["01 4005", { status: "ok", streamType: 1, pushId: 5, length: 3 }],
    ["02", { status: "ok", streamType: 2, length: 1 }],
    ["03", { status: "ok", streamType: 3, length: 1 }],
    ["4040", { status: "ok", streamType: 0x40, length: 2 }],
    ["", { status: "need-more", needed: 1 }],
    ["01", { status: "need-more", needed: 1 }],
    ["0140", { status: "need-more", needed: 1 }],
    ["01c0", { status: "need-more", needed: 7 }],
    ["40", { status: "need-more", needed: 1 }],
    ["80", { status: "need-more", needed: 3 }],
  ])("%s", (h, expected) => {
    expect(readUniStreamHeader(hex(h))).toEqual(expected);
  });
  test("encode", () => {
    expect(toHex(encodeUniStreamHeader(StreamType.CONTROL))).toBe("00");
    expect(toHex(encodeUniStreamHeader(StreamType.PUSH, 15293))).toBe("017bbd");
    expect(toHex(encodeUniStreamHeader(0x21))).toBe("21");
    expect(() => encodeUniStreamHeader(StreamType.PUSH)).toThrow(RangeError);
    expect(() => encodeUniStreamHeader(StreamType.CONTROL, 1)).toThrow(RangeError);
    expect(() => readUniStreamHeader(hex(""), 1)).toThrow(RangeError);
    expect(() => readUniStreamHeader([1, 2] as never)).toThrow(TypeError);
  });
});

describe("resolveSettings", () => {
  test("defaults (RFC 9114 §7.2.4.2, RFC 9204 §5)", () => {
    expect(resolveSettings([])).toEqual(DEFAULT_HTTP3_SETTINGS);
    expect(DEFAULT_HTTP3_SETTINGS).toEqual({
      qpackMaxTableCapacity: 0,
      maxFieldSectionSize: undefined,
      qpackBlockedStreams: 0,
      enableConnectProtocol: false,
      h3Datagram: false,
    });
  });
  test("known settings resolved, unknown and GREASE ignored", () => {
    expect(
      resolveSettings([
        { id: 0x01, value: 4096 },
        { id: 0x06, value: 2n ** 60n },
        { id: 0x07, value: 100 },
        { id: 0x08, value: 1 },
        { id: 0x33, value: 1 },
        { id: 0x21, value: 7 },
        { id: 2n ** 60n, value: 1 },
      ]),
    ).toEqual({
      qpackMaxTableCapacity: 4096,
      maxFieldSectionSize: 2n ** 60n,
      qpackBlockedStreams: 100,
      enableConnectProtocol: true,
      h3Datagram: true,
    });
  });
  test("decoded SETTINGS frame feeds it directly", () => {
    const r = readFrame(hex("0407 015000 0801 3300"));
    if (r.status !== "ok" || r.frame.type !== FrameType.SETTINGS) throw new Error("expected SETTINGS");
    expect(resolveSettings(r.frame.settings)).toMatchObject({
      qpackMaxTableCapacity: 4096,
      enableConnectProtocol: true,
      h3Datagram: false,
    });
  });
});

// The source scan for magic numbers in src/http3, src/quic and the h3 command is in test/conventions.test.ts (Node only).
