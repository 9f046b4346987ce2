import { fc, test } from "@fast-check/vitest";
import { computeWebSocketAccept, generateWebSocketKey, isValidWebSocketKey, WEBSOCKET_GUID } from "httpwire/upgrade";
import { describe, expect } from "vitest";
import { base64Decode, base64Encode } from "../../src/shared/base64.js";
import { sha1 } from "../../src/upgrade/sha1.js";
import { toHex as hex } from "../helpers/hex.js";

const ascii = (s: string) => new TextEncoder().encode(s);

describe("SHA-1", () => {
  test.each([
    // FIPS 180-2 / RFC 3174 test vectors
    { input: "abc", digest: "a9993e364706816aba3e25717850c26c9cd0d89d" },
    {
      input: "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
      digest: "84983e441c3bd26ebaae4aa1f95129e5e54670f1",
    },
    { input: "", digest: "da39a3ee5e6b4b0d3255bfef95601890afd80709" },
    { input: "a".repeat(1000), digest: "291e9a6c66994949b57ba5e650361e98fc36b1ba" },
  ])("sha1($input.length chars)", ({ input, digest }) => {
    expect(hex(sha1(ascii(input)))).toBe(digest);
  });

  // WebCrypto (in Node and in browsers) as the reference; its digest is async, so sample inputs up front.
  test("matches WebCrypto SHA-1 on sampled inputs", async () => {
    for (const b of fc.sample(fc.uint8Array({ maxLength: 300 }), { numRuns: 100, seed: 7 })) {
      const want = new Uint8Array(await globalThis.crypto.subtle.digest("SHA-1", b));
      expect(hex(sha1(b))).toBe(hex(want));
    }
  });
});

describe("base64", () => {
  test.prop([fc.uint8Array({ maxLength: 64 })])("round trips and matches btoa", (b) => {
    expect(base64Encode(b)).toBe(btoa(String.fromCharCode(...b)));
    expect(base64Decode(base64Encode(b))).toEqual(b);
  });

  test.each(["A", "AB=", "A===", "AB==C", "QQ", "QR==", "Q!==", "Q-==", "QUJDÿ"])(
    "base64Decode rejects %j (not canonical padded base64)",
    (s) => {
      expect(base64Decode(s)).toBeUndefined();
    },
  );

  test("base64Decode accepts canonical padded base64", () => {
    expect(base64Decode("QQ==")).toEqual(new Uint8Array([0x41]));
    expect(base64Decode("")).toEqual(new Uint8Array(0));
  });
});

describe("RFC 6455 handshake values", () => {
  test("RFC 6455 §1.3 / §4.2.2 worked example", () => {
    const key = generateWebSocketKey(ascii("the sample nonce"));
    expect(key).toBe("dGhlIHNhbXBsZSBub25jZQ==");
    expect(computeWebSocketAccept(key)).toBe("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
    expect(WEBSOCKET_GUID).toBe("258EAFA5-E914-47DA-95CA-C5AB0DC85B11");
  });

  test("random keys are 16-byte base64 values and differ", () => {
    const a = generateWebSocketKey();
    const b = generateWebSocketKey();
    expect(isValidWebSocketKey(a)).toBe(true);
    expect(a).not.toBe(b);
  });

  test.each([
    { key: "dGhlIHNhbXBsZSBub25jZQ==", ok: true },
    { key: "dGhlIHNhbXBsZSBub25jZQ", ok: false },
    { key: "dGhlIHNhbXBsZSBub25jZWU=", ok: false },
    { key: "", ok: false },
    { key: "dGhlIHNhbXBsZSBub25jZR==", ok: false },
  ])("isValidWebSocketKey($key) = $ok", ({ key, ok }) => {
    expect(isValidWebSocketKey(key)).toBe(ok);
  });

  test("caller mistakes", () => {
    expect(() => generateWebSocketKey(new Uint8Array(15))).toThrow(TypeError);
    expect(() => computeWebSocketAccept("é")).toThrow(TypeError);
  });
});
