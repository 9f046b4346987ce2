/** The examples of docs/hpack.md, asserted. Keep the two in step. */

import {
  defaultShouldIndex,
  encodePrefixInt,
  encodeStringLiteral,
  HpackDecoder,
  HpackEncoder,
  readPrefixInt,
  readStringLiteral,
} from "httpwire/hpack";
import { describe, expect, test } from "vitest";
import { toHex as hex } from "../helpers/hex.js";

describe("docs/hpack.md examples", () => {
  test("quick start", () => {
    const encoder = new HpackEncoder();
    const decoder = new HpackDecoder();
    const block = encoder.encode([
      { name: ":method", value: "GET" },
      { name: ":path", value: "/" },
      { name: ":authority", value: "www.example.com" },
      { name: "authorization", value: "Bearer abc" },
    ]);
    expect(hex(block).startsWith("8284418cf1e3c2e5f23a6ba0ab90f4ff1f0887")).toBe(true);
    expect(decoder.decode(block)).toEqual([
      { name: ":method", value: "GET" },
      { name: ":path", value: "/" },
      { name: ":authority", value: "www.example.com" },
      { name: "authorization", value: "Bearer abc", sensitive: true },
    ]);
  });

  test("recordRepresentation and dynamicTable()", () => {
    const d = new HpackDecoder({ recordRepresentation: true });
    expect(d.decode(Uint8Array.from([0x82, 0x41, 0x82, 0x9c, 0x47]))).toEqual([
      {
        name: ":method",
        value: "GET",
        representation: { kind: "indexed", index: 2, nameHuffman: false, valueHuffman: false },
      },
      {
        name: ":authority",
        value: "h2o",
        representation: { kind: "literal-with-incremental-indexing", index: 1, nameHuffman: false, valueHuffman: true },
      },
    ]);
    expect(d.dynamicTable()).toEqual({
      entries: [{ name: ":authority", value: "h2o", size: 45 }],
      size: 45,
      maxSize: 4096,
    });
  });

  test("encoder representations", () => {
    const e = new HpackEncoder({ huffman: false });
    expect(hex(e.encode([{ name: "x-trace", value: "1" }]))).toBe("4007782d74726163650131");
    expect(hex(e.encode([{ name: "x-trace", value: "1" }]))).toBe("be");
    expect(hex(e.encode([{ name: "content-length", value: "12" }]))).toBe("0f0d023132");
    expect(hex(e.encode([{ name: "cookie", value: "id=1" }]))).toBe("1f110469643d31");
  });

  test("composing the default policy", () => {
    const policy = (n: string, v: string) => n !== "x-nonce" && defaultShouldIndex(n, v);
    const e = new HpackEncoder({ shouldIndex: policy });
    e.encode([{ name: "x-nonce", value: "1" }]);
    expect(e.dynamicTable().entries).toEqual([]);
  });

  test("string literal primitives", () => {
    const bytes = encodeStringLiteral("no-cache");
    expect(hex(bytes)).toBe("86a8eb10649cbf");
    expect(readStringLiteral(bytes, 0)).toEqual({ status: "ok", value: "no-cache", huffman: true, length: 7 });
    expect(readStringLiteral(bytes.subarray(0, 3), 0)).toEqual({ status: "need-more", needed: 4 });
    expect(encodePrefixInt(1337, 5)).toEqual(Uint8Array.of(0x1f, 0x9a, 0x0a));
    expect(readPrefixInt(Uint8Array.of(0x1f, 0x9a, 0x0a), 0, 5)).toEqual({ status: "ok", value: 1337, length: 3 });
  });
});
