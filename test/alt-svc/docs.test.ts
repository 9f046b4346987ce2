/** The examples of docs/alt-svc.md and the JSDoc, run as written. */

import {
  AlpnProtocol,
  altSvcFromFrame,
  altSvcToFrame,
  decodeProtocolId,
  encodeProtocolId,
  formatAltUsed,
  parseAltSvc,
  parseAltUsed,
  serializeAltSvc,
  usableAlternatives,
} from "httpwire/alt-svc";
import { expect, test } from "vitest";

test("docs/alt-svc.md overview", () => {
  const adv = parseAltSvc('h3=":443"; ma=3600, h2="alt.example.com:8443"');
  expect(adv).toEqual({
    clear: false,
    alternatives: [
      {
        protocolId: "h3",
        host: "",
        port: 443,
        maxAge: 3600,
        persist: false,
        parameters: [{ name: "ma", value: "3600" }],
      },
      { protocolId: "h2", host: "alt.example.com", port: 8443, maxAge: 86400, persist: false, parameters: [] },
    ],
  });
  expect(
    usableAlternatives(adv, { receivedAt: 0, now: 60_000, supported: [AlpnProtocol.H3, AlpnProtocol.H2] }).map((a) => a.protocolId),
  ).toEqual(["h3", "h2"]);
  expect(
    serializeAltSvc({
      alternatives: [
        { protocolId: "h3", port: 443, maxAge: 3600 },
        { protocolId: "h2", host: "alt.example.com", port: 443 },
      ],
    }),
  ).toBe('h3=":443"; ma=3600, h2="alt.example.com:443"');
  expect(serializeAltSvc({ clear: true })).toBe("clear");
});

test("usableAlternatives JSDoc example", () => {
  const adv = parseAltSvc('h3=":443"; ma=60, h2=":8443"');
  expect(usableAlternatives(adv, { receivedAt: 0, now: 30_000, supported: ["h2", "h3"] }).map((a) => a.protocolId)).toEqual(["h3", "h2"]);
  expect(usableAlternatives(adv, { receivedAt: 0, now: 60_000, supported: ["h2", "h3"] }).map((a) => a.protocolId)).toEqual(["h2"]);
});

test("ALTSVC frame and ALPN examples", () => {
  expect(altSvcFromFrame({ streamId: 0, origin: "https://example.com", fieldValue: 'h3=":443"' })?.advert.alternatives[0]?.port).toBe(443);
  expect(altSvcToFrame({ alternatives: [{ protocolId: "h3", port: 443, maxAge: 3600 }] }, { origin: "https://example.com" })).toEqual({
    streamId: 0,
    origin: "https://example.com",
    fieldValue: 'h3=":443"; ma=3600',
  });
  expect(encodeProtocolId("http/1.1")).toBe("http%2F1.1");
  expect(decodeProtocolId("w%3Dx%3Ay#z")).toBe("w=x:y#z");
  expect(parseAltSvc("clear").clear).toBe(true);
});

test("docs/alt-svc.md frame, Alt-Used and ALPN lines, as written", () => {
  expect(altSvcFromFrame({ streamId: 0, origin: "", fieldValue: 'h3=":443"' })).toBeUndefined();
  expect(altSvcFromFrame({ streamId: 1, origin: "https://example.com", fieldValue: 'h3=":443"' })).toBeUndefined();
  expect(altSvcToFrame({ clear: true }, { streamId: 5 })).toEqual({ streamId: 5, origin: "", fieldValue: "clear" });
  expect(formatAltUsed({ host: "alternate.example.net" })).toBe("alternate.example.net");
  expect(formatAltUsed({ host: "", port: 443 }, "origin.example.com")).toBe("origin.example.com:443");
  expect(parseAltUsed("alternate.example.net")).toEqual({ host: "alternate.example.net", port: undefined });
  expect(parseAltUsed("[2001:db8::1]:8443")).toEqual({ host: "[2001:db8::1]", port: 8443 });
  expect([AlpnProtocol.HTTP_1_1, AlpnProtocol.H2, AlpnProtocol.H2C, AlpnProtocol.H3]).toEqual(["http/1.1", "h2", "h2c", "h3"]);
});

test("docs/alt-svc.md and AltSvcError JSDoc: a caller's own AltSvcError", async () => {
  const { AltSvcError } = await import("httpwire/alt-svc");
  const adv = parseAltSvc('h2="other.example.net:443"');
  const e = new AltSvcError("Alt-Svc names an alternative on another host", {
    reason: "alternative_host_not_allowed",
    streamId: 1,
  });
  expect(e.code).toBe(0);
  expect(e.scope).toBe("stream");
  expect({ name: e.name, codeName: e.codeName, reason: e.reason, streamId: e.streamId }).toEqual({
    name: "AltSvcError",
    codeName: "MALFORMED_ALT_SVC",
    reason: "alternative_host_not_allowed",
    streamId: 1,
  });
  expect(adv.alternatives[0]?.host).toBe("other.example.net");
});
