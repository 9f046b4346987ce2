import { fc, test as ptest } from "@fast-check/vitest";
import { describe, expect, test } from "vitest";
import { ByteWriter } from "../../src/shared/byte-writer.js";
import { cursor } from "../../src/shared/cursor.js";
import { decodePrefixInt, decodePrefixInt62, prefixIntLength, writePrefixInt, writePrefixIntBig } from "../../src/shared/prefix-int.js";
import { NEED_MORE, OVERFLOW } from "../../src/shared/result.js";
import { toHex as hex, hex as unhex } from "../helpers/hex.js";

describe("prefix integers (RFC 7541 §5.1, examples C.1)", () => {
  test.each([
    ["C.1.1: 10 with a 5-bit prefix", 10, 5, "0a"],
    ["C.1.2: 1337 with a 5-bit prefix", 1337, 5, "1f9a0a"],
    ["C.1.3: 42 at an octet boundary", 42, 8, "2a"],
    ["2^N - 1 needs a zero continuation byte", 31, 5, "1f00"],
    ["2^N - 2 fits the prefix", 30, 5, "1e"],
    ["8-bit prefix max", 255, 8, "ff00"],
    ["2^32 - 1 with a 7-bit prefix", 2 ** 32 - 1, 7, "7f80ffffff0f"],
  ])("%s", (_name, value, prefixBits, h) => {
    const w = new ByteWriter(1);
    writePrefixInt(w, value, prefixBits, 0);
    expect(hex(w.view())).toBe(h);
    expect(prefixIntLength(value, prefixBits)).toBe(h.length / 2);
    const c = cursor(unhex(h));
    expect(decodePrefixInt(c, prefixBits, 2 ** 32)).toBe(value);
    expect(c.pos).toBe(h.length / 2);
  });

  test("flags occupy the bits above the prefix and are ignored by the decoder", () => {
    const w = new ByteWriter();
    writePrefixInt(w, 10, 5, 0xe0);
    expect(hex(w.view())).toBe("ea");
    expect(decodePrefixInt(cursor(w.view()), 5, 100)).toBe(10);
  });

  test.each([
    ["empty", "", 5, 100, NEED_MORE],
    ["continuation missing", "1f", 5, 10_000, NEED_MORE],
    ["continuation truncated", "1f9a", 5, 10_000, NEED_MORE],
    ["above max in the prefix", "0a", 5, 9, OVERFLOW],
    ["above max after continuation", "1f9a0a", 5, 1336, OVERFLOW],
    ["past 2^32 with max 2^32 - 1", "7f 81ffffff0f", 7, 2 ** 32 - 1, OVERFLOW],
    // A long run of zero-valued continuation bytes is refused after a bounded number of bytes.
    ["long run of 0x80 continuation bytes", `7f${"80".repeat(20)}`, 7, 2 ** 32 - 1, OVERFLOW],
  ] as const)("%s", (_name, h, prefixBits, max, expected) => {
    const c = cursor(unhex(h));
    expect(decodePrefixInt(c, prefixBits, max)).toBe(expected);
    expect(c.pos).toBe(0);
  });

  test("a long 0x80 run is refused within 10 bytes even when more would follow", () => {
    // Only 10 bytes present: the decoder must not ask for more.
    const c = cursor(unhex(`7f${"80".repeat(9)}`));
    expect(decodePrefixInt(c, 7, 2 ** 32 - 1)).toBe(OVERFLOW);
  });

  test("62-bit values as bigint (RFC 9204 §4.1.1)", () => {
    const w = new ByteWriter();
    writePrefixIntBig(w, 2n ** 62n - 1n, 6, 0);
    const c = cursor(w.view());
    expect(decodePrefixInt62(c, 6)).toBe(2n ** 62n - 1n);
    expect(c.pos).toBe(w.pos);
    w.reset();
    writePrefixIntBig(w, 2n ** 62n, 6, 0);
    expect(decodePrefixInt62(cursor(w.view()), 6)).toBe(OVERFLOW);
    w.reset();
    writePrefixIntBig(w, 1000n, 6, 0);
    expect(decodePrefixInt62(cursor(w.view()), 6)).toBe(1000);
  });
});

describe("prefix integer properties", () => {
  ptest.prop([fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), fc.integer({ min: 1, max: 8 })])(
    "round trip and length",
    (value, prefixBits) => {
      const w = new ByteWriter(1);
      writePrefixInt(w, value, prefixBits, 0);
      expect(w.pos).toBe(prefixIntLength(value, prefixBits));
      const c = cursor(w.view());
      expect(decodePrefixInt(c, prefixBits, Number.MAX_SAFE_INTEGER)).toBe(value);
      expect(c.pos).toBe(w.pos);
      // Every strict prefix of the encoding asks for more.
      for (let n = 0; n < w.pos; n++) expect(decodePrefixInt(cursor(w.view(), 0, n), prefixBits, Number.MAX_SAFE_INTEGER)).toBe(NEED_MORE);
    },
  );

  ptest.prop([fc.bigInt({ min: 0n, max: 2n ** 62n - 1n }), fc.integer({ min: 1, max: 8 })])("62-bit round trip", (value, prefixBits) => {
    const w = new ByteWriter(1);
    writePrefixIntBig(w, value, prefixBits, 0);
    const r = decodePrefixInt62(cursor(w.view()), prefixBits);
    expect(BigInt(r)).toBe(value);
    expect(typeof r).toBe(value <= BigInt(Number.MAX_SAFE_INTEGER) ? "number" : "bigint");
  });
});
