import { AlpnProtocol, AltSvcError, decodeProtocolId, encodeProtocolId } from "httpwire/alt-svc";
import { describe, expect, test } from "vitest";

describe("ALPN identifiers", () => {
  test("constants", () => {
    expect(AlpnProtocol).toEqual({ HTTP_1_1: "http/1.1", H2: "h2", H2C: "h2c", H3: "h3" });
  });

  test("http/1.1 needs its slash escaped", () => {
    expect(encodeProtocolId(AlpnProtocol.HTTP_1_1)).toBe("http%2F1.1");
    expect(decodeProtocolId("http%2F1.1")).toBe("http/1.1");
  });

  test("every octet: token characters other than % stay, others are %XX uppercase", () => {
    for (let c = 0; c < 256; c++) {
      const ch = String.fromCharCode(c);
      const enc = encodeProtocolId(ch);
      const isTokenChar = /^[!#$&'*+\-.^_`|~0-9A-Za-z]$/.test(ch);
      expect(enc).toBe(isTokenChar ? ch : `%${c.toString(16).toUpperCase().padStart(2, "0")}`);
      expect(decodeProtocolId(enc)).toBe(ch);
    }
  });

  test.each([
    { id: "", reason: "invalid_protocol_id", offset: 0 },
    { id: "h 2", reason: "invalid_protocol_id", offset: 1 },
    { id: "h%2", reason: "invalid_percent_encoding", offset: 1 },
    { id: "%", reason: "invalid_percent_encoding", offset: 0 },
  ])("decodeProtocolId($id) → $reason", ({ id, reason, offset }) => {
    try {
      decodeProtocolId(id);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(AltSvcError);
      expect({
        reason: (e as AltSvcError).reason,
        offset: (e as AltSvcError).offset,
        scope: (e as AltSvcError).scope,
      }).toEqual({ reason, offset, scope: "stream" });
    }
  });

  test("encodeProtocolId rejects caller mistakes", () => {
    expect(() => encodeProtocolId("")).toThrow(TypeError);
    expect(() => encodeProtocolId("\u0100")).toThrow(TypeError);
  });
});
