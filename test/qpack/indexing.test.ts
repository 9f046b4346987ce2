import { describe, expect, test } from "vitest";
import { fc, test as ptest } from "@fast-check/vitest";
import {
  RIC_EXCEEDS_FULL_RANGE,
  RIC_INVALID_WRAP,
  RIC_ZERO_NOT_ENCODED_AS_ZERO,
  decodeRequiredInsertCount,
  encodeRequiredInsertCount,
  maxEntries,
} from "httpwire/qpack";
import { encoderRelativeToAbsolute, postBaseToAbsolute, relativeToAbsolute } from "../../src/qpack/indexing.js";

describe("Required Insert Count (RFC 9204 §4.5.1.1)", () => {
  test("MaxEntries = floor(capacity / 32)", () => {
    expect(maxEntries(0)).toBe(0);
    expect(maxEntries(31)).toBe(0);
    expect(maxEntries(100)).toBe(3);
    expect(maxEntries(220)).toBe(6);
    expect(maxEntries(4096)).toBe(128);
  });

  test("the RFC's example: 100-byte table, 10 inserts, encoded 4 is 9", () => {
    expect(decodeRequiredInsertCount(4, 3, 10)).toBe(9);
    expect(encodeRequiredInsertCount(9, 3)).toBe(4);
  });

  test("0 encodes as 0", () => {
    expect(encodeRequiredInsertCount(0, 6)).toBe(0);
    expect(decodeRequiredInsertCount(0, 6, 100)).toBe(0);
  });

  test.each([
    ["EncodedInsertCount > FullRange", 13, 6, 0, RIC_EXCEEDS_FULL_RANGE],
    ["encoded but MaxEntries is 0", 1, 0, 0, RIC_EXCEEDS_FULL_RANGE],
    ["would have wrapped one fewer time, but cannot", 8, 6, 0, RIC_INVALID_WRAP],
    ["decodes to 0 but is not encoded as 0", 1, 6, 0, RIC_ZERO_NOT_ENCODED_AS_ZERO],
  ])("error branch: %s", (_name, enc, max, inserts, want) => {
    expect(decodeRequiredInsertCount(enc, max, inserts)).toBe(want);
  });

  ptest.prop([fc.integer({ min: 1, max: 200 }), fc.integer({ min: 0, max: 100_000 }), fc.nat()])(
    "round trip for every RIC a conformant encoder can send",
    (max, inserts, r) => {
      // A conformant RIC lies in (inserts - max, inserts + max] and is > 0
      // (the decoder may be behind the encoder by up to MaxEntries).
      const lo = Math.max(1, inserts - max + 1);
      const hi = inserts + max;
      const ric = lo + (r % (hi - lo + 1));
      expect(decodeRequiredInsertCount(encodeRequiredInsertCount(ric, max), max, inserts)).toBe(ric);
    },
  );
});

describe("indexing (RFC 9204 §3.2.4-§3.2.6)", () => {
  test("the module's worked example", () => {
    // Base 6, Insert Count 10 after two inserts during the section.
    expect(relativeToAbsolute(6, 0)).toBe(5);
    expect(relativeToAbsolute(6, 3)).toBe(2);
    expect(postBaseToAbsolute(6, 0)).toBe(6);
    expect(postBaseToAbsolute(6, 3)).toBe(9);
    expect(encoderRelativeToAbsolute(10, 0)).toBe(9);
    expect(encoderRelativeToAbsolute(10, 7)).toBe(2);
  });
  test("the RFC's Base example: RIC 9, S=1, Delta Base 2 gives Base 6", () => {
    // relative 1 -> the fifth entry added (absolute 4); post-base 1 -> the eighth (absolute 7)
    expect(relativeToAbsolute(9 - 2 - 1, 1)).toBe(4);
    expect(postBaseToAbsolute(9 - 2 - 1, 1)).toBe(7);
  });
});
