/** The examples of docs/alt-svc.md and the JSDoc, run as written. */
import { expect, test } from "vitest";
import { AlpnProtocol, altSvcFromFrame, altSvcToFrame, decodeProtocolId, encodeProtocolId, parseAltSvc, serializeAltSvc, usableAlternatives } from "httpwire/alt-svc";

test("docs/alt-svc.md overview", () => {
  const adv = parseAltSvc('h3=":443"; ma=3600, h2="alt.example.com:8443"');
  expect(adv).toEqual({
    clear: false,
    alternatives: [
      { protocolId: "h3", host: "", port: 443, maxAge: 3600, persist: false, parameters: [{ name: "ma", value: "3600" }] },
      { protocolId: "h2", host: "alt.example.com", port: 8443, maxAge: 86400, persist: false, parameters: [] },
    ],
  });
  expect(usableAlternatives(adv, { receivedAt: 0, now: 60_000, supported: [AlpnProtocol.H3, AlpnProtocol.H2] }).map((a) => a.protocolId)).toEqual(["h3", "h2"]);
  expect(serializeAltSvc({ alternatives: [{ protocolId: "h3", port: 443, maxAge: 3600 }, { protocolId: "h2", host: "alt.example.com", port: 443 }] })).toBe(
    'h3=":443"; ma=3600, h2="alt.example.com:443"',
  );
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
