import { fc, test } from "@fast-check/vitest";
import { HttpwireError } from "httpwire";
import type { AltSvcAlternative, AltSvcParameter } from "httpwire/alt-svc";
import { decodeProtocolId, encodeProtocolId, parseAltSvc, serializeAltSvc } from "httpwire/alt-svc";
import { describe, expect } from "vitest";

const latin1Char = fc.integer({ min: 0, max: 0xff }).map((c) => String.fromCharCode(c));
const latin1String = (min: number, max: number) => fc.array(latin1Char, { minLength: min, maxLength: max }).map((a) => a.join(""));
const tokenChar = fc.constantFrom(..."!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ");
const token = fc.array(tokenChar, { minLength: 1, maxLength: 8 }).map((a) => a.join(""));
// Parameter values: any octet a quoted-string can carry (no CTL other than HTAB, no DEL).
const valueChar = latin1Char.filter((c) => c === "\t" || (c >= " " && c !== "\x7f"));
const paramValue = fc.array(valueChar, { maxLength: 10 }).map((a) => a.join(""));

const h16 = fc.integer({ min: 0, max: 0xffff }).map((n) => n.toString(16));
const host = fc.oneof(
  fc.constant(""),
  fc.domain(),
  fc.ipV4(),
  fc.array(h16, { minLength: 8, maxLength: 8 }).map((g) => `[${g.join(":")}]`),
  fc.tuple(fc.array(h16, { maxLength: 3 }), fc.array(h16, { maxLength: 3 })).map(([a, b]) => `[${a.join(":")}::${b.join(":")}]`),
);

const parameter: fc.Arbitrary<AltSvcParameter> = fc.oneof(
  fc.record({ name: token.filter((n) => !["ma", "persist"].includes(n.toLowerCase())), value: paramValue }),
  fc.record({
    name: fc.constantFrom("ma", "MA", "Ma"),
    value: fc.oneof(fc.nat().map(String), fc.stringMatching(/^[0-9]{1,25}$/)),
  }),
  fc.record({ name: fc.constantFrom("persist", "Persist"), value: fc.oneof(fc.constant("1"), paramValue) }),
);

/** A parsed-shaped alternative: maxAge/persist derived from its parameters as the parser does. */
const alternative: fc.Arbitrary<AltSvcAlternative> = fc
  .record({
    protocolId: latin1String(1, 8),
    host,
    port: fc.integer({ min: 0, max: 65535 }),
    parameters: fc.array(parameter, { maxLength: 4 }),
  })
  .map((a) => {
    const ma = a.parameters.find((p) => p.name.toLowerCase() === "ma");
    const maxAge = ma === undefined ? 86400 : Math.min(2 ** 31, Number(BigInt(ma.value) > 2n ** 31n ? 2n ** 31n : BigInt(ma.value)));
    const persist = a.parameters.some((p) => p.name.toLowerCase() === "persist" && p.value === "1");
    return { ...a, maxAge, persist };
  });

describe("alt-svc properties", () => {
  test.prop([fc.array(alternative, { minLength: 1, maxLength: 5 })])("serialise then parse gives the same alternatives", (alternatives) => {
    const text = serializeAltSvc({ alternatives });
    expect(parseAltSvc(text)).toEqual({ clear: false, alternatives });
  });

  test.prop([
    fc.array(
      fc.record({
        protocolId: latin1String(1, 6),
        port: fc.integer({ min: 0, max: 65535 }),
        maxAge: fc.option(fc.integer({ min: 0, max: 2 ** 31 }), { nil: undefined }),
        persist: fc.option(fc.boolean(), { nil: undefined }),
      }),
      { minLength: 1, maxLength: 4 },
    ),
  ])("maxAge and persist survive a round trip", (inits) => {
    const back = parseAltSvc(serializeAltSvc({ alternatives: inits })).alternatives;
    expect(back.map((a) => [a.protocolId, a.port, a.maxAge, a.persist])).toEqual(
      inits.map((a) => [a.protocolId, a.port, a.maxAge ?? 86400, a.persist ?? false]),
    );
  });

  test.prop([latin1String(1, 12)])("protocol-id encoding round-trips and is canonical", (alpn) => {
    const id = encodeProtocolId(alpn);
    expect(decodeProtocolId(id)).toBe(alpn);
    expect(encodeProtocolId(decodeProtocolId(id))).toBe(id);
  });

  const fragments = fc.constantFrom(
    "h2",
    "h3",
    "=",
    '"',
    ":",
    ";",
    ",",
    " ",
    "\t",
    "\\",
    "%",
    "%2",
    "%3D",
    "ma",
    "persist",
    "443",
    "[",
    "]",
    "::1",
    "clear",
    "example.com",
    "1",
    "x",
  );
  const altSvcish = fc.oneof(
    fc.string({ unit: "binary", maxLength: 40 }),
    latin1String(0, 40),
    fc.array(fragments, { maxLength: 20 }).map((a) => a.join("")),
  );

  test.prop([altSvcish])("arbitrary strings give a result or an HttpwireError", (s) => {
    try {
      const r = parseAltSvc(s);
      // A result is never partial: it serialises and parses back to itself.
      expect(parseAltSvc(serializeAltSvc(r))).toEqual(r);
    } catch (e) {
      if (!(e instanceof HttpwireError)) throw e;
      expect(e.offset).toBeGreaterThanOrEqual(0);
      expect(e.offset).toBeLessThanOrEqual(s.length);
    }
  });

  test.prop([fc.uint8Array({ maxLength: 40 })])("arbitrary bytes give a result or an HttpwireError", (b) => {
    try {
      parseAltSvc(b);
    } catch (e) {
      if (!(e instanceof HttpwireError)) throw e;
    }
  });
});
