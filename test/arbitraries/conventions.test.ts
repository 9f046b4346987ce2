// docs/architecture.md "Conventions": string literals in public types are
// kebab-case; error `reason` tokens are the one exception (snake_case). The
// `kind` of every malformed or hostile case is a public literal, so it is
// kebab-case, while `expected.reason` is the decoder's snake_case token.
import fc from "fast-check";
import {
  HTTP2_MALFORMED_KINDS,
  HTTP3_MALFORMED_KINDS,
  hostileHeaderList,
  hpackMalformedBlock,
  http2MalformedFrame,
  http3MalformedFrame,
  qpackMalformed,
} from "httpwire/arbitraries";
import { describe, expect, test } from "vitest";

const KEBAB = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const SNAKE = /^[a-z0-9]+(_[a-z0-9]+)*$/;

function sampled<T extends { kind: string; expected?: { reason?: string } }>(
  arb: fc.Arbitrary<T>,
  numRuns: number,
): { kinds: Set<string>; reasons: Set<string> } {
  const kinds = new Set<string>();
  const reasons = new Set<string>();
  for (const c of fc.sample(arb, { numRuns, seed: 17 })) {
    kinds.add(c.kind);
    if (c.expected?.reason !== undefined) reasons.add(c.expected.reason);
  }
  return { kinds, reasons };
}

describe("arbitraries: kinds are kebab-case, expected reasons snake_case", () => {
  test("HTTP2_MALFORMED_KINDS and HTTP3_MALFORMED_KINDS", () => {
    for (const k of [...HTTP2_MALFORMED_KINDS, ...HTTP3_MALFORMED_KINDS]) expect(k).toMatch(KEBAB);
    expect(HTTP2_MALFORMED_KINDS).toContain("ping-length-invalid");
    expect(HTTP3_MALFORMED_KINDS).toContain("reserved-http2-frame-type");
  });
  test.each([
    ["http2MalformedFrame", () => sampled(http2MalformedFrame(), 600), 33],
    ["http3MalformedFrame", () => sampled(http3MalformedFrame(), 300), 8],
    ["hpackMalformedBlock", () => sampled(hpackMalformedBlock(), 300), 10],
    ["qpackMalformed", () => sampled(qpackMalformed(), 300), 9],
    ["hostileHeaderList", () => sampled(hostileHeaderList({ hugeValueLength: 100, manyFields: 10 }), 400), 14],
  ] as const)("%s", (_name, run, count) => {
    const { kinds, reasons } = run();
    expect(kinds.size).toBe(count);
    for (const k of kinds) expect(k).toMatch(KEBAB);
    for (const r of reasons) expect(r).toMatch(SNAKE);
  });
  test("a case's kind and its expected reason token differ only in casing where they name the same defect", () => {
    const [c] = fc.sample(http2MalformedFrame({ kinds: ["ping-length-invalid"] }), { numRuns: 1, seed: 1 });
    expect(c!.kind).toBe("ping-length-invalid");
    expect(c!.expected.reason).toBe("ping_length_invalid");
  });
});
