import { fc, test as ptest } from "@fast-check/vitest";
import {
  absoluteToEncoderRelative,
  absoluteToPostBase,
  absoluteToRelative,
  decodeBase,
  decodeRequiredInsertCount,
  encodeDeltaBase,
  encodeRequiredInsertCount,
  encoderRelativeToAbsolute,
  maxEntries,
  postBaseToAbsolute,
  relativeToAbsolute,
} from "httpwire/qpack";
import { describe, expect, test } from "vitest";
import { qerr } from "../helpers/qpack.js";

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
    ["EncodedInsertCount > FullRange", 13, 6, 0, "ric_exceeds_full_range"],
    ["encoded but MaxEntries is 0", 1, 0, 0, "ric_exceeds_full_range"],
    ["would have wrapped one fewer time, but cannot", 8, 6, 0, "ric_invalid_wrap"],
    ["decodes to 0 but is not encoded as 0", 1, 6, 0, "ric_zero_encoded_nonzero"],
  ])("error branch: %s", (_name, enc, max, inserts, want) => {
    const e = qerr(() => decodeRequiredInsertCount(enc, max, inserts));
    expect([e.codeName, e.reason, e.scope]).toEqual(["QPACK_DECOMPRESSION_FAILED", want, "connection"]);
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

describe("the inverse helpers and the Base (RFC 9204 §3.2.5, §3.2.6, §4.5.1.2)", () => {
  test("the worked example backwards", () => {
    expect(absoluteToRelative(6, 5)).toBe(0);
    expect(absoluteToRelative(6, 2)).toBe(3);
    expect(absoluteToPostBase(6, 9)).toBe(3);
    expect(absoluteToEncoderRelative(10, 9)).toBe(0);
    expect(absoluteToEncoderRelative(10, 2)).toBe(7);
  });
  test("RIC 10, Base 6: Sign 1, Delta Base 3; RIC 9, Base 9: Sign 0, Delta Base 0", () => {
    expect(encodeDeltaBase(10, 6)).toBe(3);
    expect(decodeBase(10, true, 3)).toBe(6);
    expect(encodeDeltaBase(9, 9)).toBe(0);
    expect(decodeBase(9, false, 0)).toBe(9);
    expect(decodeBase(9, false, 4)).toBe(13);
  });
  test("Sign 1 with RIC <= Delta Base is negative_base", () => {
    const e = qerr(() => decodeBase(3, true, 3));
    expect([e.codeName, e.reason]).toEqual(["QPACK_DECOMPRESSION_FAILED", "negative_base"]);
  });
  ptest.prop([fc.integer({ min: 1, max: 10_000 }), fc.integer({ min: 0, max: 20_000 })])("Base round trip", (ric, base) => {
    expect(decodeBase(ric, base < ric, encodeDeltaBase(ric, base))).toBe(base);
  });
  ptest.prop([fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 0, max: 10_000 })])("index round trips", (base, x) => {
    expect(relativeToAbsolute(base, absoluteToRelative(base, x))).toBe(x);
    expect(postBaseToAbsolute(base, absoluteToPostBase(base, x))).toBe(x);
    expect(encoderRelativeToAbsolute(base, absoluteToEncoderRelative(base, x))).toBe(x);
  });
});
