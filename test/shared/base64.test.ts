import { describe, expect, test } from "vitest";
import { base64Decode, base64Encode, base64urlDecode, base64urlEncode } from "../../src/shared/base64.js";

describe("base64 (RFC 4648)", () => {
  // RFC 4648 §10 test vectors.
  const vectors: [string, string][] = [
    ["", ""],
    ["f", "Zg=="],
    ["fo", "Zm8="],
    ["foo", "Zm9v"],
    ["foob", "Zm9vYg=="],
    ["fooba", "Zm9vYmE="],
    ["foobar", "Zm9vYmFy"],
  ];
  test.each(vectors)("§10 %j <-> %j", (plain, encoded) => {
    const bytes = new TextEncoder().encode(plain);
    expect(base64Encode(bytes)).toBe(encoded);
    expect(base64Decode(encoded)).toEqual(bytes);
    expect(base64urlEncode(bytes)).toBe(encoded.replace(/=+$/, ""));
    expect(base64urlDecode(encoded.replace(/=+$/, ""))).toEqual(bytes);
  });

  test("base64url uses - and _ and tolerates padding only to a multiple of 4", () => {
    expect(base64urlEncode(new Uint8Array([0xfb, 0xff]))).toBe("-_8");
    expect(base64urlDecode("-_8")).toEqual(new Uint8Array([0xfb, 0xff]));
    expect(base64urlDecode("-_8=")).toEqual(new Uint8Array([0xfb, 0xff]));
    expect(base64urlDecode("-_8==")).toBeUndefined();
    expect(base64urlDecode("+/8")).toBeUndefined();
  });

  test("padded base64 requires padding and canonical trailing bits", () => {
    expect(base64Decode("Zg")).toBeUndefined();
    expect(base64Decode("Zh==")).toBeUndefined(); // non-zero unused bits
    expect(base64Decode("Z===")).toBeUndefined();
    expect(base64Decode("-_8=")).toBeUndefined();
  });
});
