import { fc, test } from "@fast-check/vitest";
import { encodeVarint, MAX_VARINT, readVarint, readVarintBig, type VarintLength, varintLength } from "httpwire/quic";
import { expect } from "vitest";

const anyValue = fc.bigInt({ min: 0n, max: MAX_VARINT });
const lengths: VarintLength[] = [1, 2, 4, 8];
const minLen = (v: bigint): VarintLength => (v < 64n ? 1 : v < 16384n ? 2 : v < 2n ** 30n ? 4 : 8);

test.prop([anyValue, fc.constantFrom(...lengths)])("round trip of any value in any allowed length", (v, len) => {
  const min = minLen(v);
  if (len < min) {
    expect(() => encodeVarint(v, len)).toThrow(RangeError);
    return;
  }
  const bytes = encodeVarint(v, len);
  expect(bytes.length).toBe(len);
  const big = readVarintBig(bytes);
  expect(big).toEqual({ status: "ok", value: v, length: len });
  const any = readVarint(bytes);
  expect(any.status).toBe("ok");
  if (any.status === "ok") {
    // Compare values, not bytes: non-minimal encodings are legal (RFC 9000 §16).
    expect(BigInt(any.value)).toBe(v);
    expect(typeof any.value).toBe(v <= BigInt(Number.MAX_SAFE_INTEGER) ? "number" : "bigint");
  }
  expect(varintLength(v)).toBe(min);
});

test.prop([fc.maxSafeNat()])("safe numbers round trip as numbers", (v) => {
  expect(readVarint(encodeVarint(v))).toEqual({ status: "ok", value: v, length: varintLength(v) });
});

test.prop([fc.uint8Array({ maxLength: 12 }), fc.nat({ max: 12 })])("arbitrary bytes give a value or need-more", (bytes, o) => {
  const offset = Math.min(o, bytes.length);
  const r = readVarint(bytes, offset);
  if (r.status === "ok") {
    expect(r.length).toBe(1 << (bytes[offset]! >> 6));
    expect(BigInt(r.value)).toBeLessThanOrEqual(MAX_VARINT);
    expect(readVarintBig(bytes, offset)).toEqual({ status: "ok", value: BigInt(r.value), length: r.length });
  } else {
    expect(r.status).toBe("need-more");
    expect(r.needed).toBeGreaterThan(0);
    const want = offset < bytes.length ? 1 << (bytes[offset]! >> 6) : 1;
    expect(r.needed).toBe(want - (bytes.length - offset));
  }
});
