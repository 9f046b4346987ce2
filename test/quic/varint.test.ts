import {
  encodeVarint,
  MAX_VARINT,
  normalizeVarint,
  readVarint,
  readVarintBig,
  type VarintLength,
  varintLength,
  varintLengthOfFirstByte,
  writeVarint,
} from "httpwire/quic";
import { describe, expect, test } from "vitest";
import vectors from "../../fixtures/rfc9000-sample-varints.json";
import { takeVarint, takeVarintAny, takeVarintBig, writeVarintTo } from "../../src/quic/varint.js";
import { ByteWriter } from "../../src/shared/byte-writer.js";
import { cursor } from "../../src/shared/cursor.js";
import { NEED_MORE, OVERFLOW } from "../../src/shared/result.js";
import { hex, toHex } from "../helpers/hex.js";

interface Case {
  name: string;
  hex: string;
  value: string;
  length: VarintLength;
  minimal: boolean;
}
const fixture = vectors as { cases: Case[] };

/** The value the number|bigint API must return: number when safe. */
const expected = (v: string): number | bigint => (BigInt(v) <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : BigInt(v));

describe("RFC 9000 Appendix A.1 and §16 vectors (fixtures/rfc9000-sample-varints.json)", () => {
  test("fixture has the A.1 examples", () => {
    expect(fixture.cases.length).toBeGreaterThanOrEqual(5);
  });
  test.each(fixture.cases)("decode $name ($hex)", (c) => {
    const r = readVarint(hex(c.hex));
    expect(r).toEqual({ status: "ok", value: expected(c.value), length: c.length });
    expect(readVarintBig(hex(c.hex))).toEqual({ status: "ok", value: BigInt(c.value), length: c.length });
  });
  test.each(fixture.cases)("encode $name ($hex)", (c) => {
    const v = expected(c.value);
    expect(toHex(encodeVarint(v, c.length))).toBe(c.hex);
    expect(toHex(encodeVarint(BigInt(c.value), c.length))).toBe(c.hex);
    if (c.minimal) {
      expect(toHex(encodeVarint(v))).toBe(c.hex);
      expect(varintLength(v)).toBe(c.length);
    } else {
      expect(varintLength(v)).toBeLessThan(c.length);
    }
  });
});

describe("decodeVarint", () => {
  test("returns number at 2^53-1 and bigint from 2^53", () => {
    const a = readVarint(hex("c01fffffffffffff"));
    expect(a.status === "ok" && typeof a.value).toBe("number");
    const b = readVarint(hex("c020000000000000"));
    expect(b).toEqual({ status: "ok", value: 2n ** 53n, length: 8 });
    // 2^53 + 1 is not representable as a number: must not be rounded.
    expect(readVarint(hex("c020000000000001"))).toEqual({ status: "ok", value: 2n ** 53n + 1n, length: 8 });
  });
  test("decodes at an offset", () => {
    expect(readVarint(hex("ff7bbd00"), 1)).toEqual({ status: "ok", value: 15293, length: 2 });
  });
  test.each([
    ["", 0, 1],
    ["40", 0, 1],
    ["80", 0, 3],
    ["9d7f3e", 0, 1],
    ["c2197c5eff14e8", 0, 1],
    ["c2", 0, 7],
    ["00c2", 1, 7],
    ["25", 1, 1],
  ])("need more: %s at %i needs %i", (h, off, needed) => {
    expect(readVarint(hex(h), off)).toEqual({ status: "need-more", needed });
    expect(readVarintBig(hex(h), off)).toEqual({ status: "need-more", needed });
  });
  test("offset outside the bytes is a caller error", () => {
    expect(() => readVarint(hex("25"), 2)).toThrow(RangeError);
    expect(() => readVarint(hex("25"), -1)).toThrow(RangeError);
    expect(() => readVarint(hex("25"), 0.5)).toThrow(RangeError);
    expect(() => readVarint([0x25] as unknown as Uint8Array)).toThrow(TypeError);
  });
  test("reads through a subarray's own offset", () => {
    const outer = hex("aabb7bbdcc");
    expect(readVarint(outer.subarray(2, 4))).toEqual({ status: "ok", value: 15293, length: 2 });
  });
});

describe("encodeVarint / varintLength", () => {
  test.each([
    [63, 1],
    [64, 2],
    [16383, 2],
    [16384, 4],
    [2 ** 30 - 1, 4],
    [2 ** 30, 8],
    [Number.MAX_SAFE_INTEGER, 8],
  ])("length class boundary %d -> %d bytes", (v, n) => {
    expect(varintLength(v)).toBe(n);
    expect(varintLength(BigInt(v))).toBe(n);
    expect(encodeVarint(v)).toHaveLength(n);
  });
  test("2^62-1 encodes, 2^62 is rejected", () => {
    expect(toHex(encodeVarint(MAX_VARINT))).toBe("ffffffffffffffff");
    expect(() => encodeVarint(MAX_VARINT + 1n)).toThrow(RangeError);
    expect(() => varintLength(2n ** 62n)).toThrow(RangeError);
  });
  test.each([
    [-1, RangeError],
    [-1n, RangeError],
    [1.5, RangeError],
    [NaN, RangeError],
    [Infinity, RangeError],
    [2 ** 53, RangeError], // unsafe number: may already be rounded
    ["5", TypeError],
    [null, TypeError],
  ])("rejects %s with %s", (v, E) => {
    expect(() => encodeVarint(v as number)).toThrow(E);
    expect(() => varintLength(v as number)).toThrow(E);
  });
  test("requested lengths", () => {
    expect(toHex(encodeVarint(37, 1))).toBe("25");
    expect(toHex(encodeVarint(37, 2))).toBe("4025");
    expect(toHex(encodeVarint(37, 4))).toBe("80000025");
    expect(toHex(encodeVarint(37, 8))).toBe("c000000000000025");
    expect(() => encodeVarint(64, 1)).toThrow(RangeError);
    expect(() => encodeVarint(16384, 2)).toThrow(RangeError);
    expect(() => encodeVarint(2 ** 30, 4)).toThrow(RangeError);
    expect(() => encodeVarint(1, 3 as VarintLength)).toThrow(RangeError);
  });
  test("writeVarint writes in place and returns the length", () => {
    const buf = new Uint8Array(8).fill(0xee);
    expect(writeVarint(494878333, buf, 2)).toBe(6);
    expect(toHex(buf)).toBe("eeee9d7f3e7deeee");
    expect(writeVarint(5n, buf, 7)).toBe(8);
    expect(buf[7]).toBe(5);
    expect(() => writeVarint(15293, buf, 7)).toThrow(RangeError);
    expect(() => writeVarint(1, buf, -1)).toThrow(RangeError);
  });
  test("writeVarintTo appends to a ByteWriter", () => {
    const w = new ByteWriter(1);
    writeVarintTo(w, 15293);
    writeVarintTo(w, 151288809941952652n);
    writeVarintTo(w, 37, 2);
    expect(toHex(w.finish())).toBe("7bbdc2197c5eff14e88c4025");
  });
});

describe("varintLengthOfFirstByte", () => {
  test.each([
    [0x00, 1],
    [0x3f, 1],
    [0x40, 2],
    [0x7f, 2],
    [0x80, 4],
    [0xbf, 4],
    [0xc0, 8],
    [0xff, 8],
  ])("0x%s -> %i", (b, n) => {
    expect(varintLengthOfFirstByte(b)).toBe(n);
  });
  test("rejects non-bytes", () => {
    expect(() => varintLengthOfFirstByte(256)).toThrow(RangeError);
    expect(() => varintLengthOfFirstByte(-1)).toThrow(RangeError);
  });
});

describe("cursor reads (internal hot path)", () => {
  test("takeVarint advances only over complete values", () => {
    const c = cursor(hex("257bbd9d7f3e"));
    expect(takeVarint(c)).toBe(37);
    expect(c.pos).toBe(1);
    expect(takeVarint(c)).toBe(15293);
    expect(c.pos).toBe(3);
    expect(takeVarint(c)).toBe(NEED_MORE);
    expect(c.pos).toBe(3);
  });
  test("takeVarint reports values above 2^53-1 without consuming them", () => {
    const c = cursor(hex("c2197c5eff14e88c"));
    expect(takeVarint(c)).toBe(OVERFLOW);
    expect(c.pos).toBe(0);
    expect(takeVarintBig(c)).toBe(151288809941952652n);
    expect(c.pos).toBe(8);
    expect(takeVarintAny(cursor(hex("c2197c5eff14e88c")))).toBe(151288809941952652n);
    expect(takeVarintAny(cursor(hex("4025")))).toBe(37);
  });
  test("takeVarint respects cursor.end", () => {
    const c = cursor(hex("7bbd"), 0, 1);
    expect(takeVarint(c)).toBe(NEED_MORE);
    expect(takeVarintBig(c)).toBe(NEED_MORE);
  });
  test("normalizeVarint", () => {
    expect(normalizeVarint(5n)).toBe(5);
    expect(normalizeVarint(2n ** 53n)).toBe(2n ** 53n);
  });
});
