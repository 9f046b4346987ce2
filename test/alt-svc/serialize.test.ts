import type { AltSvcInit } from "httpwire/alt-svc";
import { parseAltSvc, serializeAltSvc } from "httpwire/alt-svc";
import { describe, expect, test } from "vitest";

describe("serializeAltSvc", () => {
  test.each<{ name: string; init: AltSvcInit; out: string }>([
    { name: "clear", init: { clear: true }, out: "clear" },
    { name: "defaults: no ma written", init: { alternatives: [{ protocolId: "h3", port: 443 }] }, out: 'h3=":443"' },
    {
      name: "maxAge equal to the default is not written",
      init: { alternatives: [{ protocolId: "h3", port: 443, maxAge: 86400 }] },
      out: 'h3=":443"',
    },
    {
      name: "maxAge and persist",
      init: { alternatives: [{ protocolId: "h2", port: 443, maxAge: 2592000, persist: true }] },
      out: 'h2=":443"; ma=2592000; persist=1',
    },
    { name: "maxAge 0", init: { alternatives: [{ protocolId: "h2", port: 1, maxAge: 0 }] }, out: 'h2=":1"; ma=0' },
    {
      name: "host and IPv6 literal",
      init: {
        alternatives: [
          { protocolId: "h2", host: "alt.example.com", port: 8000 },
          { protocolId: "h3", host: "[::1]", port: 443 },
        ],
      },
      out: 'h2="alt.example.com:8000", h3="[::1]:443"',
    },
    {
      name: "protocol-id percent-encoding, uppercase hex",
      init: {
        alternatives: [
          { protocolId: "w=x:y#z", port: 1 },
          { protocolId: "x%y", port: 2 },
          { protocolId: "\xff ", port: 3 },
        ],
      },
      out: 'w%3Dx%3Ay#z=":1", x%25y=":2", %FF%20=":3"',
    },
    {
      name: "parameter values: token or quoted-string",
      init: {
        alternatives: [
          {
            protocolId: "h3",
            port: 443,
            parameters: [
              { name: "a", value: "tok" },
              { name: "b", value: 'sp "q" \\' },
              { name: "c", value: "" },
            ],
          },
        ],
      },
      out: 'h3=":443"; a=tok; b="sp \\"q\\" \\\\"; c=""',
    },
    {
      name: "listed ma agreeing with maxAge is written once, in place",
      init: {
        alternatives: [
          {
            protocolId: "h3",
            port: 443,
            maxAge: 60,
            parameters: [
              { name: "x", value: "1" },
              { name: "ma", value: "60" },
            ],
          },
        ],
      },
      out: 'h3=":443"; x=1; ma=60',
    },
    {
      name: "maxAge goes before listed parameters",
      init: { alternatives: [{ protocolId: "h3", port: 443, maxAge: 60, parameters: [{ name: "x", value: "1" }] }] },
      out: 'h3=":443"; ma=60; x=1',
    },
  ])("$name", ({ init, out }) => {
    expect(serializeAltSvc(init)).toBe(out);
  });

  test("a parsed value serialises back to an equal value", () => {
    const v = 'h3=":443";ma=60;persist=1;foo="a b", h2="[2001:db8::1]:8443"; MA="7"';
    const parsed = parseAltSvc(v);
    const out = serializeAltSvc(parsed);
    expect(out).toBe('h3=":443"; ma=60; persist=1; foo="a b", h2="[2001:db8::1]:8443"; MA=7');
    expect(parseAltSvc(out)).toEqual(parsed);
  });

  test.each<{ name: string; init: AltSvcInit; error: typeof TypeError | typeof RangeError }>([
    { name: "no alternatives", init: { alternatives: [] }, error: TypeError },
    { name: "empty protocol ID", init: { alternatives: [{ protocolId: "", port: 1 }] }, error: TypeError },
    { name: "protocol ID above 0xff", init: { alternatives: [{ protocolId: "\u0100", port: 1 }] }, error: TypeError },
    {
      name: "host not a uri-host",
      init: { alternatives: [{ protocolId: "h2", host: "a b", port: 1 }] },
      error: TypeError,
    },
    {
      name: "unbracketed IPv6",
      init: { alternatives: [{ protocolId: "h2", host: "::1", port: 1 }] },
      error: TypeError,
    },
    { name: "port too big", init: { alternatives: [{ protocolId: "h2", port: 65536 }] }, error: RangeError },
    { name: "port not an integer", init: { alternatives: [{ protocolId: "h2", port: 1.5 }] }, error: RangeError },
    { name: "negative maxAge", init: { alternatives: [{ protocolId: "h2", port: 1, maxAge: -1 }] }, error: RangeError },
    {
      name: "maxAge above 2^31",
      init: { alternatives: [{ protocolId: "h2", port: 1, maxAge: 2 ** 31 + 1 }] },
      error: RangeError,
    },
    {
      name: "maxAge contradicting ma",
      init: { alternatives: [{ protocolId: "h2", port: 1, maxAge: 5, parameters: [{ name: "ma", value: "6" }] }] },
      error: TypeError,
    },
    {
      name: "persist false with persist=1",
      init: {
        alternatives: [{ protocolId: "h2", port: 1, persist: false, parameters: [{ name: "persist", value: "1" }] }],
      },
      error: TypeError,
    },
    {
      name: "ma parameter not delta-seconds",
      init: { alternatives: [{ protocolId: "h2", port: 1, parameters: [{ name: "ma", value: "soon" }] }] },
      error: TypeError,
    },
    {
      name: "parameter name not a token",
      init: { alternatives: [{ protocolId: "h2", port: 1, parameters: [{ name: "a b", value: "1" }] }] },
      error: TypeError,
    },
    {
      name: "parameter value with a control character",
      init: { alternatives: [{ protocolId: "h2", port: 1, parameters: [{ name: "a", value: "\n" }] }] },
      error: TypeError,
    },
  ])("caller mistake: $name", ({ init, error }) => {
    expect(() => serializeAltSvc(init)).toThrow(error);
  });
});
