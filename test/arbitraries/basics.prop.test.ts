// The generic arbitraries produce what they claim: varints decode to their
// value, stream IDs have the requested type bits, chunkings join back, and
// header lists keep (or break) the RFC 9113 §8.2 rules they say they do.
import { fc, test } from "@fast-check/vitest";
import {
  chunked,
  chunking,
  headerList,
  hostileHeaderList,
  http2StreamId,
  quicStreamId,
  requestHeaderList,
  splitPoints,
  truncatedVarint,
  varintEncoding,
  varintNumber,
} from "httpwire/arbitraries";
import { encodeVarint, readVarint, readVarintBig } from "httpwire/quic";
import { describe, expect } from "vitest";

describe("varints", () => {
  test.prop([varintEncoding()])("every encoding decodes to its value and length (RFC 9000 §16)", (e) => {
    const r = readVarintBig(e.bytes);
    expect(r).toEqual({ status: "ok", value: e.value, length: e.length });
    expect(e.minimal).toBe(encodeVarint(e.value).length === e.length);
  });
  test.prop([varintEncoding({ nonMinimal: false })])("nonMinimal: false gives the shortest form", (e) => {
    expect(e.minimal).toBe(true);
    expect(e.bytes).toEqual(encodeVarint(e.value));
  });
  test.prop([truncatedVarint()])("truncated encodings need exactly the missing bytes", ({ bytes, needed }) => {
    const r = readVarint(bytes);
    expect(r.status).toBe("need-more");
    if (bytes.length > 0 && r.status === "need-more") expect(r.needed).toBe(needed);
  });
  test.prop([varintNumber()])("varintNumber is a number exactly when the value is safe", (v) => {
    expect(typeof v === "number").toBe(BigInt(v) <= BigInt(Number.MAX_SAFE_INTEGER));
  });
});

describe("stream IDs", () => {
  test.prop([quicStreamId({ initiator: "server", direction: "uni" })])("QUIC IDs carry the requested type bits (RFC 9000 §2.1)", (id) => {
    const b = BigInt(id);
    expect(b & 3n).toBe(3n);
    expect(b < 2n ** 62n).toBe(true);
  });
  test.prop([quicStreamId()])("QUIC IDs are numbers when safe", (id) => {
    expect(typeof id === "number").toBe(BigInt(id) <= BigInt(Number.MAX_SAFE_INTEGER));
  });
  test.prop([http2StreamId({ initiator: "client" }), http2StreamId({ initiator: "server" })])(
    "HTTP/2 IDs: odd for clients, even for servers, 31 bits (RFC 9113 §5.1.1)",
    (c, s) => {
      expect(c % 2).toBe(1);
      expect(s % 2).toBe(0);
      expect(s).toBeGreaterThan(0);
      expect(Math.max(c, s)).toBeLessThanOrEqual(0x7fffffff);
    },
  );
});

describe("chunkings", () => {
  test.prop([chunked(fc.uint8Array({ maxLength: 100 }))])("chunks are views that join back to the input", ({ bytes, chunks }) => {
    const joined = chunks.flatMap((c) => Array.from(c));
    expect(Uint8Array.from(joined)).toEqual(bytes);
    for (const c of chunks) if (bytes.length > 0) expect(c.buffer).toBe(bytes.buffer);
  });
  test.prop([fc.integer({ min: 0, max: 50 }).chain((n) => splitPoints(n, { maxSplits: 5 }).map((p) => [n, p] as const))])(
    "split points are sorted, distinct, inside",
    ([n, p]) => {
      expect(p.length).toBeLessThanOrEqual(5);
      for (let i = 0; i < p.length; i++) {
        expect(p[i]).toBeGreaterThan(i === 0 ? 0 : p[i - 1]!);
        expect(p[i]).toBeLessThan(n);
      }
    },
  );
  test("one-byte-at-a-time and whole chunkings both occur", () => {
    const bytes = Uint8Array.of(1, 2, 3, 4, 5);
    const seen = new Set(fc.sample(chunking(bytes), { numRuns: 200, seed: 1 }).map((c) => c.length));
    expect(seen.has(1)).toBe(true);
    expect(seen.has(5)).toBe(true);
  });
});

// RFC 9113 §8.2.1 / §8.2.2 / §8.3 checks, written here independently of the codecs.
function violations(fields: readonly { name: string; value: string }[], request: boolean): string[] {
  const out: string[] = [];
  let regular = false;
  const pseudo = new Set<string>();
  const allowed = request ? [":method", ":scheme", ":authority", ":path"] : [":status"];
  for (const { name, value } of fields) {
    if (name.length === 0) out.push("empty-name");
    if (name.startsWith(":")) {
      if (regular) out.push("pseudo-after-regular");
      if (!allowed.includes(name)) out.push("unknown-pseudo");
      if (pseudo.has(name)) out.push("duplicate-pseudo");
      pseudo.add(name);
    } else {
      regular = true;
      if (/[A-Z]/.test(name)) out.push("uppercase-name");
      // biome-ignore lint/suspicious/noControlCharactersInRegex: RFC 9113 §8.2.1 forbids exactly these octets in names
      if (/[\x00-\x20\x7f-\xff:]/.test(name)) out.push("invalid-name-char");
      if (["connection", "proxy-connection", "keep-alive", "transfer-encoding", "upgrade"].includes(name)) out.push("connection-specific");
      if (name === "te" && value !== "trailers") out.push("te-not-trailers");
    }
    // biome-ignore lint/suspicious/noControlCharactersInRegex: RFC 9113 §8.2.1 forbids NUL, CR and LF in values
    if (/[\x00\r\n]/.test(value)) out.push("invalid-value-char");
    if (/^[ \t]|[ \t]$/.test(value)) out.push("value-edge-whitespace");
  }
  if (request && (!pseudo.has(":method") || !pseudo.has(":scheme") || !pseudo.has(":path"))) out.push("missing-pseudo");
  return out;
}

describe("header lists", () => {
  test.prop([headerList()])("valid lists keep every RFC 9113 §8.2/§8.3 rule", (fields) => {
    expect(violations(fields, fields[0]!.name !== ":status")).toEqual([]);
  });
  test.prop([requestHeaderList()])("request lists start with the four pseudo-headers", (fields) => {
    expect(fields.slice(0, 4).map((f) => f.name)).toEqual([":method", ":scheme", ":authority", ":path"]);
  });
  test.prop([hostileHeaderList({ hugeValueLength: 1000, manyFields: 50 })])("hostile lists break exactly the rule they name", (h) => {
    const v = violations(h.fields, true);
    if (h.malformed) {
      const expectedToken = h.kind === "response-pseudo-in-request" ? "unknown-pseudo" : h.kind;
      expect(v).toContain(expectedToken);
    } else {
      expect(v).toEqual([]);
      const size = h.fields.reduce((n, f) => n + f.name.length + f.value.length + 32, 0);
      expect(h.kind === "huge-value" ? size > 1000 : h.fields.length > 50).toBe(true);
    }
  });
});
