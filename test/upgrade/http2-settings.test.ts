import { describe, expect } from "vitest";
import { fc, test } from "@fast-check/vitest";
import { decodeHttp2Settings, encodeHttp2Settings, UpgradeError } from "httpwire/upgrade";
import { HttpwireError } from "httpwire";

describe("HTTP2-Settings (RFC 7540 §3.2.1)", () => {
  test("known value", () => {
    expect(encodeHttp2Settings([{ id: 0x03, value: 100 }, { id: 0x04, value: 65535 }])).toBe("AAMAAABkAAQAAP__");
    expect(decodeHttp2Settings("AAMAAABkAAQAAP__")).toEqual([{ id: 3, value: 100 }, { id: 4, value: 65535 }]);
    expect(encodeHttp2Settings([])).toBe("");
    expect(decodeHttp2Settings("")).toEqual([]);
  });

  test("unknown identifiers and repeats are kept in order", () => {
    const s = [{ id: 0xabcd, value: 0xffffffff }, { id: 1, value: 0 }, { id: 1, value: 4096 }];
    expect(decodeHttp2Settings(encodeHttp2Settings(s))).toEqual(s);
  });

  test.each([
    { name: "padding", value: "AAMAAABk=", reason: "http2_settings_not_base64url", code: 0x01 },
    { name: "non-alphabet", value: "AAMA AABk", reason: "http2_settings_not_base64url", code: 0x01 },
    { name: "non-canonical trailing bits", value: "AAMAAAB", reason: "http2_settings_not_base64url", code: 0x01 },
    { name: "length 5", value: encodeHttp2Settings([{ id: 1, value: 1 }]).slice(0, 7), reason: "settings_length_not_multiple_of_6", code: 0x06 },
    { name: "ENABLE_PUSH 2", value: encodeHttp2Settings([{ id: 2, value: 2 }]), reason: "settings_enable_push_invalid", code: 0x01 },
    { name: "INITIAL_WINDOW_SIZE 2^31", value: encodeHttp2Settings([{ id: 4, value: 2 ** 31 }]), reason: "settings_initial_window_size_too_large", code: 0x03 },
    { name: "MAX_FRAME_SIZE 16383", value: encodeHttp2Settings([{ id: 5, value: 16383 }]), reason: "settings_max_frame_size_invalid", code: 0x01 },
    { name: "MAX_FRAME_SIZE 2^24", value: encodeHttp2Settings([{ id: 5, value: 2 ** 24 }]), reason: "settings_max_frame_size_invalid", code: 0x01 },
    { name: "ENABLE_CONNECT_PROTOCOL 2", value: encodeHttp2Settings([{ id: 8, value: 2 }]), reason: "settings_enable_connect_protocol_invalid", code: 0x01 },
    { name: "NO_RFC7540_PRIORITIES 2", value: encodeHttp2Settings([{ id: 9, value: 2 }]), reason: "settings_no_rfc7540_priorities_invalid", code: 0x01 },
  ])("$name → $reason", ({ value, reason, code }) => {
    let err: unknown;
    try {
      decodeHttp2Settings(value);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UpgradeError);
    const e = err as UpgradeError;
    expect({ code: e.code, scope: e.scope, reason: e.reason }).toEqual({ code, scope: "connection", reason });
  });

  test("limits accepted at the edge", () => {
    const edge = [{ id: 4, value: 2 ** 31 - 1 }, { id: 5, value: 2 ** 14 }, { id: 5, value: 2 ** 24 - 1 }, { id: 2, value: 1 }, { id: 8, value: 1 }];
    expect(decodeHttp2Settings(encodeHttp2Settings(edge))).toEqual(edge);
  });

  test("caller mistakes", () => {
    expect(() => encodeHttp2Settings([{ id: -1, value: 0 }])).toThrow(RangeError);
    expect(() => encodeHttp2Settings([{ id: 1, value: 2 ** 32 }])).toThrow(RangeError);
  });

  test.prop([fc.array(fc.record({ id: fc.integer({ min: 10, max: 0xffff }), value: fc.integer({ min: 0, max: 0xffffffff }) }), { maxLength: 8 })])(
    "encode then decode gives the settings back",
    (s) => {
      const text = encodeHttp2Settings(s);
      expect(text).toMatch(/^[A-Za-z0-9_-]*$/);
      expect(decodeHttp2Settings(text)).toEqual(s);
    },
  );

  test.prop([fc.string({ maxLength: 40 })])("arbitrary strings decode or throw an HttpwireError", (s) => {
    try {
      decodeHttp2Settings(s);
    } catch (e) {
      if (!(e instanceof HttpwireError)) throw e;
    }
  });
});
