/** Every example of RFC 7838, from fixtures/rfc7838-examples.json. */

import type { AltSvc } from "httpwire/alt-svc";
import {
  decodeProtocolId,
  encodeProtocolId,
  formatAltUsed,
  parseAltSvc,
  parseAltUsed,
  serializeAltSvc,
  usableAlternatives,
} from "httpwire/alt-svc";
import { describe, expect, test } from "vitest";
import examples from "../../fixtures/rfc7838-examples.json";

interface Fixture {
  fieldValues: { name: string; value: string; serialized: string; expected: AltSvc }[];
  protocolIds: { name: string; alpn: string; protocolId: string }[];
  altUsed: { name: string; request: string; value: string; expected: { host: string; port: number | null } }[];
  freshness: {
    name: string;
    value: string;
    age: number;
    supported: string[];
    checks: { afterMs: number; usable: string[] }[];
  }[];
}

const fixture = examples as Fixture;

describe("RFC 7838 field value examples", () => {
  test.each(fixture.fieldValues)("$name", ({ value, serialized, expected }) => {
    const parsed = parseAltSvc(value);
    expect(parsed).toEqual(expected);
    expect(serializeAltSvc(parsed)).toBe(serialized);
    // Bytes (as an ALTSVC frame carries them) parse the same.
    expect(parseAltSvc(new TextEncoder().encode(value))).toEqual(expected);
  });
});

describe("RFC 7838 §3.1 protocol-id escaping table", () => {
  test.each(fixture.protocolIds)("$name", ({ alpn, protocolId }) => {
    expect(encodeProtocolId(alpn)).toBe(protocolId);
    expect(encodeProtocolId(new TextEncoder().encode(alpn))).toBe(protocolId);
    expect(decodeProtocolId(protocolId)).toBe(alpn);
  });
});

describe("RFC 7838 §3.1 freshness examples", () => {
  const receivedAt = 1_700_000_000_000;
  for (const f of fixture.freshness) {
    test.each(f.checks)(`${f.name} (+$afterMs ms)`, ({ afterMs, usable }) => {
      const got = usableAlternatives(parseAltSvc(f.value), {
        receivedAt,
        now: receivedAt + afterMs,
        age: f.age,
        supported: f.supported,
      });
      expect(got.map((a) => a.protocolId)).toEqual(usable);
    });
  }
});

describe("RFC 7838 §5 Alt-Used example", () => {
  test.each(fixture.altUsed)("$name", ({ request, value, expected }) => {
    const line = request.split("\r\n").find((l) => l.startsWith("Alt-Used:"));
    expect(line?.slice("Alt-Used:".length)).toBe(` ${value}`);
    expect(parseAltUsed(line!.slice("Alt-Used:".length))).toEqual({
      host: expected.host,
      port: expected.port ?? undefined,
    });
    expect(formatAltUsed({ host: expected.host, port: expected.port ?? undefined })).toBe(value);
  });
});
