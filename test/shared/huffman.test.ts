import { describe, expect, test } from "vitest";
import { ByteWriter } from "../../src/shared/byte-writer.js";
import {
  huffmanDecode,
  huffmanDecodeBytes,
  huffmanEncode,
  huffmanEncodeBytes,
  huffmanEncodedLength,
  huffmanEncodedLengthBytes,
} from "../../src/shared/huffman.js";
import { HUFFMAN_CODE_LENGTHS, HUFFMAN_CODES } from "../../src/shared/huffman-table.js";
import { HUFFMAN_BAD_PADDING, HUFFMAN_EOS_DECODED, TOO_LONG } from "../../src/shared/result.js";
import { fromLatin1, toHex as hex, hex as unhex } from "../helpers/hex.js";

// RFC 7541 Appendix C.4 and C.6: Huffman-coded string literals (data only).
const VECTORS: [string, string][] = [
  ["www.example.com", "f1e3 c2e5 f23a 6ba0 ab90 f4ff"], // C.4.1
  ["no-cache", "a8eb 1064 9cbf"], // C.4.2
  ["custom-key", "25a8 49e9 5ba9 7d7f"], // C.4.3
  ["custom-value", "25a8 49e9 5bb8 e8b4 bf"], // C.4.3
  ["302", "6402"], // C.6.1
  ["private", "aec3 771a 4b"], // C.6.1
  ["Mon, 21 Oct 2013 20:13:21 GMT", "d07a be94 1054 d444 a820 0595 040b 8166 e082 a62d 1bff"], // C.6.1
  ["https://www.example.com", "9d29 ad17 1863 c78f 0b97 c8e9 ae82 ae43 d3"], // C.6.1
  ["307", "640e ff"], // C.6.2
  ["gzip", "9bd9 ab"], // C.6.3
  [
    "foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1",
    "94e7 821d d7f2 e6c7 b335 dfdf cd5b 3960 d5af 2708 7f36 72c1 ab27 0fb5 291f 9587 3160 65c0 03ed 4ee5 b106 3d50 07",
  ], // C.6.3
];

describe("Huffman code table (generated from RFC 7541 Appendix B)", () => {
  // Regenerating the table from the RFC text reads files, so that test lives
  // in test/interop/huffman-table-generation.test.ts.
  test("has 257 codes with lengths 5..30; EOS is 30 ones", () => {
    expect(HUFFMAN_CODES.length).toBe(257);
    expect(HUFFMAN_CODE_LENGTHS.length).toBe(257);
    expect(HUFFMAN_CODES[256]).toBe(0x3fffffff);
    expect(HUFFMAN_CODE_LENGTHS[256]).toBe(30);
    expect(Math.min(...HUFFMAN_CODE_LENGTHS)).toBe(5);
    expect(Math.max(...HUFFMAN_CODE_LENGTHS)).toBe(30);
    // Kraft equality: a complete prefix code.
    let kraft = 0;
    for (const l of HUFFMAN_CODE_LENGTHS) kraft += 2 ** -l;
    expect(kraft).toBe(1);
  });
});

describe("huffmanEncode / huffmanEncodedLength (RFC 7541 C.4, C.6 strings)", () => {
  test.each(VECTORS)("%s", (s, h) => {
    const w = new ByteWriter(4);
    huffmanEncode(w, s);
    expect(hex(w.view())).toBe(h.replace(/ /g, ""));
    expect(huffmanEncodedLength(s)).toBe(w.pos);
    const wb = new ByteWriter(4);
    huffmanEncodeBytes(
      wb,
      Uint8Array.from(s, (c) => c.charCodeAt(0)),
    );
    expect(hex(wb.view())).toBe(h.replace(/ /g, ""));
    expect(huffmanEncodedLengthBytes(Uint8Array.from(s, (c) => c.charCodeAt(0)))).toBe(w.pos);
  });

  test("empty string encodes to nothing", () => {
    const w = new ByteWriter();
    huffmanEncode(w, "");
    expect(w.pos).toBe(0);
    expect(huffmanEncodedLength("")).toBe(0);
  });

  test("the longest codes (30 bits) encode and pad correctly", () => {
    // Symbols 10, 13, 22 have 30-bit codes.
    const s = "\n\r\x16";
    const w = new ByteWriter();
    huffmanEncode(w, s);
    expect(w.pos).toBe(12); // 90 bits -> 12 bytes
    expect(hex(w.view())).toBe("fffffff3ffffffdfffffffbf");
    expect(huffmanDecode(w.buf, 0, w.pos, 100)).toBe(s);
  });

  test("characters above 0xff are a caller error (TypeError)", () => {
    expect(() => huffmanEncodedLength("é€")).toThrow(TypeError);
    expect(() => huffmanEncode(new ByteWriter(), "a\u0100")).toThrow(TypeError);
  });
});

describe("huffmanDecode", () => {
  test.each(VECTORS)("%s", (s, h) => {
    const b = unhex(h);
    expect(huffmanDecode(b, 0, b.length, 1000)).toBe(s);
    const bytes = huffmanDecodeBytes(b, 0, b.length, 1000);
    expect(bytes).toEqual(Uint8Array.from(s, (c) => c.charCodeAt(0)));
  });

  test("decodes a sub-range of a larger buffer", () => {
    const b = unhex("00 00 9bd9ab 00");
    expect(huffmanDecode(b, 2, 5, 10)).toBe("gzip");
  });

  test("every byte value round trips", () => {
    let s = "";
    for (let i = 0; i < 256; i++) s += String.fromCharCode(i);
    const w = new ByteWriter();
    huffmanEncode(w, s);
    expect(huffmanDecode(w.buf, 0, w.pos, 256)).toBe(s);
  });

  // RFC 7541 §5.2 failure cases.
  test.each([
    ["one byte of padding only (8 ones: padding longer than 7 bits)", "ff", HUFFMAN_BAD_PADDING],
    ["'a' then 8+ bits of ones (padding longer than 7 bits)", "1fff", HUFFMAN_BAD_PADDING],
    ["zero padding after '0' (00000 + 000)", "00", HUFFMAN_BAD_PADDING],
    ["padding not all ones ('a' + 110)", "1e", HUFFMAN_BAD_PADDING],
    ["an encoded EOS (30 ones)", "fffffffc", HUFFMAN_EOS_DECODED],
    ["32 ones contain EOS", "ffffffff", HUFFMAN_EOS_DECODED],
    ["EOS after a symbol ('a' + EOS)", "1fffffffff", HUFFMAN_EOS_DECODED],
  ] as const)("%s", (_name, h, expected) => {
    const b = unhex(h);
    expect(huffmanDecode(b, 0, b.length, 100)).toBe(expected);
    expect(huffmanDecodeBytes(b, 0, b.length, 100)).toBe(expected);
  });

  test("accepts 1..7 bits of all-ones padding", () => {
    expect(huffmanDecode(unhex("1f"), 0, 1, 10)).toBe("a"); // 00011 + 111
    expect(huffmanDecode(unhex("07"), 0, 1, 10)).toBe("0"); // 00000 + 111
  });

  test("empty input decodes to the empty string", () => {
    expect(huffmanDecode(new Uint8Array(0), 0, 0, 0)).toBe("");
  });

  test("stops once the output would pass maxLength", () => {
    const w = new ByteWriter();
    huffmanEncode(w, "aaaaaaaaaa");
    expect(huffmanDecode(w.buf, 0, w.pos, 10)).toBe("aaaaaaaaaa");
    expect(huffmanDecode(w.buf, 0, w.pos, 9)).toBe(TOO_LONG);
    expect(huffmanDecode(w.buf, 0, w.pos, 0)).toBe(TOO_LONG);
  });

  // Over 64 octets an all-ASCII result goes to TextDecoder unscanned, any other to the Latin-1 path: the decoder
  // tells them apart from its own output, in both loops (no limit in reach, and the limit checked per step).
  test.each([
    ["all ASCII", `${"abcdefghij".repeat(10)}`],
    ["one byte above 0x7f at the end", `${"abcdefghij".repeat(10)}\u00e9`],
    ["one byte above 0x7f at the start", `\u0080${"abcdefghij".repeat(10)}`],
  ])("a %s string over 64 octets decodes exactly, as a string and as bytes", (_name, s) => {
    const w = new ByteWriter();
    huffmanEncode(w, s);
    for (const max of [10_000, s.length]) {
      expect(huffmanDecode(w.buf, 0, w.pos, max)).toBe(s);
      const bytes = huffmanDecodeBytes(w.buf, 0, w.pos, max) as Uint8Array;
      expect(bytes.length).toBe(s.length);
      expect(fromLatin1(bytes)).toBe(s);
    }
  });

  test("a decoded bytes result is new memory, unaffected by later decodes", () => {
    const a = unhex("9bd9ab");
    const first = huffmanDecodeBytes(a, 0, a.length, 10) as Uint8Array;
    const b = unhex("6402");
    huffmanDecodeBytes(b, 0, b.length, 10);
    expect(fromLatin1(first)).toBe("gzip");
  });
});

describe("huffmanEncode: every pair of octets, at both alignments", () => {
  // The encoder takes two ASCII characters per step from a pair table; this
  // compares its output for every (c1, c2) with the codes of RFC 7541
  // Appendix B concatenated bit by bit.
  function reference(s: string): Uint8Array {
    const bits: number[] = [];
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      for (let k = HUFFMAN_CODE_LENGTHS[c]! - 1; k >= 0; k--) bits.push((HUFFMAN_CODES[c]! >>> k) & 1);
    }
    while (bits.length % 8 !== 0) bits.push(1);
    const out = new Uint8Array(bits.length / 8);
    for (let i = 0; i < bits.length; i++) out[i >>> 3] = (out[i >>> 3]! << 1) | bits[i]!;
    return out;
  }
  for (const lead of ["", "e"]) {
    test(`pairs from offset ${lead.length}`, () => {
      for (let c1 = 0; c1 < 256; c1++) {
        let s = lead;
        for (let c2 = 0; c2 < 256; c2++) s += String.fromCharCode(c1, c2);
        const w = new ByteWriter();
        huffmanEncode(w, s);
        expect(hex(w.view())).toBe(hex(reference(s)));
        expect(huffmanDecode(w.buf, 0, w.pos, s.length)).toBe(s);
      }
    });
  }
});
