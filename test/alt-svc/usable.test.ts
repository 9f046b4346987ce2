import { AlpnProtocol, parseAltSvc, usableAlternatives } from "httpwire/alt-svc";
import { describe, expect, test } from "vitest";

describe("usableAlternatives", () => {
  const adv = parseAltSvc('h3=":443"; ma=60, h3-29=":443", h2="alt.example.com:443"; ma=120, h3="b.example:443"; ma=0');

  test("keeps the server's order and drops unsupported protocols", () => {
    const got = usableAlternatives(adv, { receivedAt: 1000, now: 1000, supported: [AlpnProtocol.H2, AlpnProtocol.H3] });
    expect(got.map((a) => `${a.protocolId}@${a.host}`)).toEqual(["h3@", "h2@alt.example.com"]);
    expect(got.map((a) => a.expiresAt)).toEqual([61_000, 121_000]);
  });

  test("ma=0 is never usable", () => {
    const got = usableAlternatives(adv, { receivedAt: 0, now: 0, supported: ["h3"] });
    expect(got.map((a) => a.host)).toEqual([""]);
  });

  test("expired alternatives are dropped at exactly ma seconds", () => {
    expect(usableAlternatives(adv, { receivedAt: 0, now: 59_999, supported: ["h3", "h2"] })).toHaveLength(2);
    expect(usableAlternatives(adv, { receivedAt: 0, now: 60_000, supported: ["h3", "h2"] }).map((a) => a.protocolId)).toEqual(["h2"]);
    expect(usableAlternatives(adv, { receivedAt: 0, now: 120_000, supported: ["h3", "h2"] })).toEqual([]);
  });

  test("Age is subtracted from ma (RFC 7838 §3.1)", () => {
    const got = usableAlternatives(adv, { receivedAt: 0, now: 0, age: 60, supported: ["h3", "h2"] });
    expect(got.map((a) => [a.protocolId, a.expiresAt])).toEqual([["h2", 60_000]]);
  });

  test("clear gives nothing", () => {
    expect(usableAlternatives(parseAltSvc("clear"), { receivedAt: 0, now: 0, supported: ["h3"] })).toEqual([]);
  });

  test("protocol IDs compare octet for octet after percent-decoding", () => {
    const a = parseAltSvc('w%3Dx=":1"');
    expect(usableAlternatives(a, { receivedAt: 0, now: 0, supported: ["w=x"] })).toHaveLength(1);
    expect(usableAlternatives(a, { receivedAt: 0, now: 0, supported: ["w%3Dx", "W=X"] })).toHaveLength(0);
  });

  test("now defaults to Date.now()", () => {
    expect(usableAlternatives(adv, { receivedAt: Date.now(), supported: ["h3"] })).toHaveLength(1);
    expect(usableAlternatives(adv, { receivedAt: Date.now() - 61_000, supported: ["h3"] })).toHaveLength(0);
  });

  test("accepts any iterable of supported protocols", () => {
    expect(usableAlternatives(adv, { receivedAt: 0, now: 0, supported: new Set(["h2"]) })).toHaveLength(1);
  });

  test.each([
    { receivedAt: Number.NaN, now: 0 },
    { receivedAt: 0, now: Infinity },
    { receivedAt: 0, now: 0, age: -1 },
  ])("caller mistake: %o", (opts) => {
    expect(() => usableAlternatives(adv, { ...opts, supported: [] })).toThrow(RangeError);
  });
});
