import { HttpwireError } from "httpwire";
import { AltSvcError, DEFAULT_MAX_AGE, MAX_MAX_AGE, parseAltSvc } from "httpwire/alt-svc";
import { describe, expect, test } from "vitest";

function alt(over: Record<string, unknown>) {
  return { protocolId: "h2", host: "", port: 443, maxAge: DEFAULT_MAX_AGE, persist: false, parameters: [], ...over };
}

describe("parseAltSvc: valid inputs", () => {
  test.each([
    { name: "h3 on the same host", value: 'h3=":443"', alts: [alt({ protocolId: "h3" })] },
    {
      name: "IPv6 literal keeps its brackets",
      value: 'h2="[2001:db8::1]:8443"',
      alts: [alt({ host: "[2001:db8::1]", port: 8443 })],
    },
    {
      name: "IPv6 with embedded IPv4",
      value: 'h2="[::ffff:192.0.2.1]:1"',
      alts: [alt({ host: "[::ffff:192.0.2.1]", port: 1 })],
    },
    { name: "IPvFuture literal", value: 'h2="[v1.fe:x]:2"', alts: [alt({ host: "[v1.fe:x]", port: 2 })] },
    { name: "IPv4 host", value: 'h2="192.0.2.7:80"', alts: [alt({ host: "192.0.2.7", port: 80 })] },
    {
      name: "percent-encoded reg-name",
      value: 'h2="a%2Db.example:80"',
      alts: [alt({ host: "a%2Db.example", port: 80 })],
    },
    { name: "port 0 and 65535", value: 'h2=":0", h2=":65535"', alts: [alt({ port: 0 }), alt({ port: 65535 })] },
    { name: "quoted-pair in the authority", value: 'h2="\\:\\4\\43"', alts: [alt({ port: 443 })] },
    {
      name: "OWS around ';' and ','",
      value: 'h2=":443" \t;\t ma=5 ,\th3=":443"',
      alts: [alt({ maxAge: 5, parameters: [{ name: "ma", value: "5" }] }), alt({ protocolId: "h3" })],
    },
    {
      name: "RFC 9110 §5.6.1 empty list elements are ignored",
      value: ' , ,h2=":443",, , h3=":1",',
      alts: [alt({}), alt({ protocolId: "h3", port: 1 })],
    },
    {
      name: "quoted ma value",
      value: 'h2=":443"; ma="60"',
      alts: [alt({ maxAge: 60, parameters: [{ name: "ma", value: "60" }] })],
    },
    {
      name: "ma name is case-insensitive",
      value: 'h2=":443"; MA=7',
      alts: [alt({ maxAge: 7, parameters: [{ name: "MA", value: "7" }] })],
    },
    {
      name: "first ma wins",
      value: 'h2=":443"; ma=1; ma=2',
      alts: [
        alt({
          maxAge: 1,
          parameters: [
            { name: "ma", value: "1" },
            { name: "ma", value: "2" },
          ],
        }),
      ],
    },
    { name: "ma=0", value: 'h2=":443"; ma=0', alts: [alt({ maxAge: 0, parameters: [{ name: "ma", value: "0" }] })] },
    {
      name: "huge ma is clamped to 2^31 (RFC 9111 §1.2.2)",
      value: 'h2=":443"; ma=99999999999999999999',
      alts: [alt({ maxAge: MAX_MAX_AGE, parameters: [{ name: "ma", value: "99999999999999999999" }] })],
    },
    {
      name: "RFC 7838 §3.1 persist values other than 1 are ignored",
      value: 'h2=":443"; persist=0; persist="yes"',
      alts: [
        alt({
          parameters: [
            { name: "persist", value: "0" },
            { name: "persist", value: "yes" },
          ],
        }),
      ],
    },
    {
      name: "unknown parameters are kept in order",
      value: 'h3=":443"; foo=bar; q="a \\"b\\" \\\\c"; ma=9',
      alts: [
        alt({
          protocolId: "h3",
          maxAge: 9,
          parameters: [
            { name: "foo", value: "bar" },
            { name: "q", value: 'a "b" \\c' },
            { name: "ma", value: "9" },
          ],
        }),
      ],
    },
    {
      name: "empty quoted parameter value",
      value: 'h2=":443"; e=""',
      alts: [alt({ parameters: [{ name: "e", value: "" }] })],
    },
    {
      name: "lowercase hex and needless escapes are decoded",
      value: 'h%32=":443", %2a%3d=":1"',
      alts: [alt({}), alt({ protocolId: "*=", port: 1 })],
    },
    {
      name: "obs-text in a quoted value",
      value: 'h2=":443"; x="\xe9"',
      alts: [alt({ parameters: [{ name: "x", value: "\xe9" }] })],
    },
    {
      name: "';' instead of ',' makes the next alternative a parameter",
      value: 'h2=":443"; h3=":443"',
      alts: [alt({ parameters: [{ name: "h3", value: ":443" }] })],
    },
    { name: "a protocol named clear", value: 'clear=":443"', alts: [alt({ protocolId: "clear" })] },
  ])("$name", ({ value, alts }) => {
    expect(parseAltSvc(value)).toEqual({ clear: false, alternatives: alts });
  });

  test("clear with OWS", () => {
    expect(parseAltSvc(" clear \t")).toEqual({ clear: true, alternatives: [] });
  });

  test("RFC 7838 §3: clear among alternatives invalidates them all", () => {
    expect(parseAltSvc('h2=":443", clear')).toEqual({ clear: true, alternatives: [] });
    expect(parseAltSvc('clear, h3=":443"')).toEqual({ clear: true, alternatives: [] });
  });

  test("a Uint8Array field value is read octet for octet", () => {
    const bytes = new Uint8Array([...new TextEncoder().encode('h2=":443"; x="'), 0xe9, 0x22]);
    expect(parseAltSvc(bytes).alternatives[0]!.parameters).toEqual([{ name: "x", value: "\xe9" }]);
  });

  test("the result keeps no view of the input bytes: reusing them changes nothing", () => {
    const bytes = new TextEncoder().encode('h3=":443"; ma=60');
    const parsed = parseAltSvc(bytes);
    const before = structuredClone(parsed);
    bytes.fill(0x41);
    expect(parsed).toEqual(before);
  });
});

describe("parseAltSvc: every rule has a row", () => {
  test.each([
    { name: "empty field value", value: "", reason: "empty_field_value", offset: 0 },
    { name: "only OWS and commas", value: " ,\t, ", reason: "empty_field_value", offset: 0 },
    { name: "clear is case-sensitive", value: "Clear", reason: "expected_equals", offset: 5 },
    { name: "clear followed by a parameter", value: "clear; ma=1", reason: "expected_equals", offset: 5 },
    { name: "missing comma", value: 'h2=":443" h3=":443"', reason: "expected_comma", offset: 10 },
    { name: "no protocol-id", value: '=":443"', reason: "invalid_protocol_id", offset: 0 },
    { name: "protocol-id with a space", value: 'h 2=":443"', reason: "expected_equals", offset: 1 },
    { name: "bad percent escape", value: 'h%3=":443"', reason: "invalid_percent_encoding", offset: 1 },
    { name: "percent escape with non-hex", value: 'ab%G1=":443"', reason: "invalid_percent_encoding", offset: 2 },
    { name: "OWS before '='", value: 'h2 =":443"', reason: "expected_equals", offset: 2 },
    { name: "OWS after '='", value: 'h2= ":443"', reason: "expected_quoted_alt_authority", offset: 3 },
    { name: "unquoted alt-authority", value: "h2=:443", reason: "expected_quoted_alt_authority", offset: 3 },
    { name: "token alt-authority", value: "h2=443", reason: "expected_quoted_alt_authority", offset: 3 },
    { name: "unterminated quoted-string", value: 'h2=":443', reason: "unterminated_quoted_string", offset: 3 },
    { name: "quoted-pair at the end", value: 'h2=":443\\', reason: "unterminated_quoted_string", offset: 3 },
    {
      name: "control character in quoted-string",
      value: 'h2=":4\x0143"',
      reason: "invalid_quoted_string_character",
      offset: 6,
    },
    {
      name: "DEL in quoted-string",
      value: 'h2=":443"; a="\x7f"',
      reason: "invalid_quoted_string_character",
      offset: 14,
    },
    {
      name: "quoted-pair escaping a control character",
      value: 'h2=":443"; a="\\\x01"',
      reason: "invalid_quoted_pair",
      offset: 15,
    },
    { name: "no port", value: 'h2="example.com"', reason: "missing_alt_authority_port", offset: 15 },
    { name: "empty port", value: 'h2="example.com:"', reason: "missing_alt_authority_port", offset: 16 },
    { name: "empty authority", value: 'h2=""', reason: "missing_alt_authority_port", offset: 4 },
    { name: "port above 65535", value: 'h2=":65536"', reason: "invalid_alt_authority_port", offset: 5 },
    { name: "very long port", value: 'h2=":0000000000443"', reason: "invalid_alt_authority_port", offset: 5 },
    { name: "port with a sign", value: 'h2=":+443"', reason: "invalid_alt_authority_port", offset: 5 },
    { name: "second colon (unbracketed IPv6)", value: 'h2="::1:443"', reason: "invalid_alt_authority_port", offset: 5 },
    { name: "host with a space", value: 'h2="a b:443"', reason: "invalid_alt_authority_host", offset: 5 },
    { name: "host with '@'", value: 'h2="u@h:443"', reason: "invalid_alt_authority_host", offset: 5 },
    { name: "bad IPv6 literal", value: 'h2="[2001:db8::1::2]:443"', reason: "invalid_alt_authority_host", offset: 4 },
    {
      name: "IPv6 with too many groups",
      value: 'h2="[1:2:3:4:5:6:7:8:9]:443"',
      reason: "invalid_alt_authority_host",
      offset: 4,
    },
    { name: "unclosed bracket", value: 'h2="[::1:443"', reason: "invalid_alt_authority_host", offset: 4 },
    { name: "bracket without port", value: 'h2="[::1]"', reason: "missing_alt_authority_port", offset: 9 },
    { name: "trailing semicolon", value: 'h2=":443";', reason: "invalid_parameter_name", offset: 10 },
    {
      name: "empty parameter between semicolons",
      value: 'h2=":443"; ; ma=1',
      reason: "invalid_parameter_name",
      offset: 11,
    },
    { name: "parameter without '='", value: 'h2=":443"; persist', reason: "expected_equals", offset: 18 },
    { name: "OWS around parameter '='", value: 'h2=":443"; ma = 1', reason: "expected_equals", offset: 13 },
    { name: "parameter without value", value: 'h2=":443"; ma=', reason: "invalid_parameter_value", offset: 14 },
    { name: "ma that is not delta-seconds", value: 'h2=":443"; ma=-1', reason: "invalid_ma", offset: 14 },
    { name: "quoted ma that is not digits", value: 'h2=":443"; ma="1 "', reason: "invalid_ma", offset: 14 },
    { name: "a later bad ma", value: 'h2=":443"; ma=1; ma=x', reason: "invalid_ma", offset: 20 },
    { name: "CR in a field value", value: 'h2=":443"\r', reason: "invalid_character", offset: 9 },
    { name: "LF in a field value", value: 'h2="\n:443"', reason: "invalid_character", offset: 4 },
    { name: "NUL in a field value", value: 'h2=":443"; a="\0"', reason: "invalid_character", offset: 14 },
    { name: "character above 0xff", value: 'h2=":443"; a="\u0100"', reason: "invalid_character", offset: 14 },
    { name: "clear with a bad neighbour still fails", value: "clear, h2", reason: "expected_equals", offset: 9 },
  ])("$name → $reason", ({ value, reason, offset }) => {
    let err: unknown;
    try {
      parseAltSvc(value);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AltSvcError);
    expect(err).toBeInstanceOf(HttpwireError);
    const e = err as AltSvcError;
    expect({ code: e.code, codeName: e.codeName, scope: e.scope, reason: e.reason, offset: e.offset }).toEqual({
      code: 0,
      codeName: "MALFORMED_ALT_SVC",
      scope: "stream",
      reason,
      offset,
    });
    expect(e.name).toBe("AltSvcError");
    expect(e.message).toMatch(/^Cannot parse Alt-Svc field value: .* at offset \d+$/);
  });

  test("messages never include parameter values", () => {
    try {
      parseAltSvc('h2=":443"; ma=secret-value');
    } catch (e) {
      expect((e as Error).message).not.toContain("secret");
    }
    expect.assertions(1);
  });
});
