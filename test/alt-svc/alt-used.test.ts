import { AltSvcError, formatAltUsed, parseAltSvc, parseAltUsed } from "httpwire/alt-svc";
import { describe, expect, test } from "vitest";

describe("Alt-Used (RFC 7838 §5)", () => {
  test.each([
    { value: "alternate.example.net", host: "alternate.example.net", port: undefined },
    { value: " alt.example:8443\t", host: "alt.example", port: 8443 },
    { value: "192.0.2.1:0", host: "192.0.2.1", port: 0 },
    { value: "[2001:db8::1]", host: "[2001:db8::1]", port: undefined },
    { value: "[2001:db8::1]:443", host: "[2001:db8::1]", port: 443 },
  ])("parse $value", ({ value, host, port }) => {
    expect(parseAltUsed(value)).toEqual({ host, port });
  });

  test.each([
    { value: "", reason: "invalid_alt_used_host", offset: 0 },
    { value: ":443", reason: "invalid_alt_used_host", offset: 0 },
    { value: "a b", reason: "invalid_alt_used_host", offset: 1 },
    { value: "[::1", reason: "invalid_alt_used_host", offset: 0 },
    { value: "[::1]x", reason: "invalid_alt_used_port", offset: 5 },
    { value: "a:", reason: "invalid_alt_used_port", offset: 2 },
    { value: "a:65536", reason: "invalid_alt_used_port", offset: 2 },
    { value: "a:1:2", reason: "invalid_alt_used_port", offset: 2 },
    { value: "::1", reason: "invalid_alt_used_host", offset: 0 },
  ])("parse $value → $reason", ({ value, reason, offset }) => {
    try {
      parseAltUsed(value);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(AltSvcError);
      const err = e as AltSvcError;
      expect({ code: err.code, scope: err.scope, reason: err.reason, offset: err.offset }).toEqual({
        code: 0,
        scope: "stream",
        reason,
        offset,
      });
    }
  });

  test("format for a used alternative, the origin's host when the alternative has none", () => {
    const [a, b] = parseAltSvc('h2="alt.example.com:8000", h3=":443"').alternatives;
    expect(formatAltUsed(a!)).toBe("alt.example.com:8000");
    expect(formatAltUsed(b!, "origin.example.com")).toBe("origin.example.com:443");
    expect(parseAltUsed(formatAltUsed(b!, "origin.example.com"))).toEqual({ host: "origin.example.com", port: 443 });
  });

  test("format caller mistakes", () => {
    expect(() => formatAltUsed({ host: "" })).toThrow(TypeError);
    expect(() => formatAltUsed({ host: "a b" })).toThrow(TypeError);
    expect(() => formatAltUsed({ host: "a", port: 70000 })).toThrow(RangeError);
  });
});
