import { describe, expect, test } from "vitest";
import { ByteWriter } from "../../src/shared/byte-writer.js";
import { cursor } from "../../src/shared/cursor.js";
import { HUFFMAN_BAD_PADDING, HUFFMAN_EOS_DECODED, NEED_MORE, TOO_LONG } from "../../src/shared/result.js";
import {
  decodeStringLiteral,
  decodeStringLiteralBytes,
  writeStringLiteral,
  writeStringLiteralBytes,
} from "../../src/shared/string-literal.js";
import { toHex as hex, hex as unhex } from "../helpers/hex.js";

const latin1 = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

describe("writeStringLiteral (RFC 7541 §5.2)", () => {
  test.each([
    // RFC 7541 C.3.1 / C.4.1: ":authority: www.example.com" value, raw and Huffman.
    ["www.example.com", false, "0f 7777772e6578616d706c652e636f6d"],
    ["www.example.com", true, "8c f1e3c2e5f23a6ba0ab90f4ff"],
    ["www.example.com", "auto", "8c f1e3c2e5f23a6ba0ab90f4ff"],
    // C.4.2 "no-cache"
    ["no-cache", "auto", "86 a8eb10649cbf"],
    // Huffman not shorter: "auto" keeps it raw ("\x00" takes 13 bits -> 2 bytes).
    ["\x00", "auto", "01 00"],
    ["\x00", true, "82 ffc7"], // 1111111111000 + 111 padding
    // C.6.1 "302": 2 Huffman bytes < 3 raw.
    ["302", "auto", "82 6402"],
    ["", "auto", "00"],
    ["", true, "80"],
  ] as const)("%j huffman=%s", (s, huffman, expected) => {
    const w = new ByteWriter(1);
    writeStringLiteral(w, s, 7, 0, huffman);
    expect(hex(w.view())).toBe(expected.replace(/ /g, ""));
    const wb = new ByteWriter(1);
    writeStringLiteralBytes(wb, latin1(s), 7, 0, huffman);
    expect(hex(wb.view())).toBe(expected.replace(/ /g, ""));
  });

  test("Huffman only when strictly shorter: equal length stays raw", () => {
    // 'a' x 8 = 40 bits = 5 bytes < 8; find a string whose Huffman length equals its raw length:
    // "&&" -> '&' is 8 bits, so 2 bytes Huffman vs 2 raw.
    const w = new ByteWriter();
    writeStringLiteral(w, "&&", 7, 0, "auto");
    expect(hex(w.view())).toBe("022626");
  });

  test("long length uses continuation bytes", () => {
    const s = "x".repeat(200);
    const w = new ByteWriter();
    writeStringLiteral(w, s, 7, 0, false);
    expect(hex(w.view().subarray(0, 3))).toBe("7f4978"); // 127 + 73 = 200
  });

  test("other prefix sizes and flags (QPACK style): H bit is 1 << prefixBits", () => {
    const w = new ByteWriter();
    writeStringLiteral(w, "abc", 3, 0x50, false);
    expect(hex(w.view())).toBe("53616263");
    w.reset();
    writeStringLiteral(w, "www.example.com", 3, 0x50, true);
    expect(hex(w.view().subarray(0, 2))).toBe("5f05"); // 0x50 | H(0x08) | 7, then 12 - 7 = 5
    const c = cursor(w.view());
    expect(decodeStringLiteral(c, 3, 100)).toBe("www.example.com");
    expect(c.pos).toBe(w.pos);
  });

  test("characters above 0xff are a caller error", () => {
    expect(() => writeStringLiteral(new ByteWriter(), "\u20ac", 7, 0, false)).toThrow(TypeError);
    expect(() => writeStringLiteral(new ByteWriter(), "\u20ac", 7, 0, "auto")).toThrow(TypeError);
  });
});

describe("decodeStringLiteral", () => {
  test("raw literal; cursor advances past it", () => {
    const c = cursor(unhex("03 616263 ff"));
    expect(decodeStringLiteral(c, 7, 10)).toBe("abc");
    expect(c.pos).toBe(4);
  });

  test("Huffman literal (C.4.1)", () => {
    const c = cursor(unhex("8c f1e3c2e5f23a6ba0ab90f4ff"));
    expect(decodeStringLiteral(c, 7, 100)).toBe("www.example.com");
    expect(c.pos).toBe(13);
  });

  test("bytes: a raw literal is a view of the input, Huffman is new memory", () => {
    const buf = unhex("03 616263 83 9bd9ab");
    const c = cursor(buf);
    const raw = decodeStringLiteralBytes(c, 7, 10) as Uint8Array;
    expect(raw).toEqual(latin1("abc"));
    expect(raw.buffer).toBe(buf.buffer);
    expect(raw.byteOffset).toBe(1);
    const huff = decodeStringLiteralBytes(c, 7, 10) as Uint8Array;
    expect(huff).toEqual(latin1("gzip"));
    expect(huff.buffer).not.toBe(buf.buffer);
    expect(c.pos).toBe(buf.length);
  });

  test("respects c.end", () => {
    const buf = unhex("03 616263 03 616263");
    const c = cursor(buf, 4, 7);
    expect(decodeStringLiteral(c, 7, 10)).toBe(NEED_MORE);
    expect(c.pos).toBe(4);
  });

  test.each([
    ["empty input", "", 10, NEED_MORE],
    ["length integer truncated", "7f", 1000, NEED_MORE],
    ["length continuation truncated", "7f 80", 1000, NEED_MORE],
    ["data truncated", "05 6162", 10, NEED_MORE],
    ["raw length above maxLength (refused before the data arrives)", "05 6162", 4, TOO_LONG],
    ["length integer past 2^32 - 1", "7f ffffffff0f", 1e12, TOO_LONG],
    ["length integer with a long run of continuation bytes", "7f 8080808080808080808080", 1e12, TOO_LONG],
    ["Huffman output above maxLength", "86 a8eb10649cbf", 7, TOO_LONG],
    ["Huffman encoded length that cannot fit maxLength", `9f${"ff".repeat(31)}`, 4, TOO_LONG],
    ["Huffman: 8 bits of padding ([0xff])", "81 ff", 10, HUFFMAN_BAD_PADDING],
    ["Huffman: padding not all ones", "81 1e", 10, HUFFMAN_BAD_PADDING],
    ["Huffman: zero padding", "81 00", 10, HUFFMAN_BAD_PADDING],
    ["Huffman: 'a' then 8 bits of ones", "82 1fff", 10, HUFFMAN_BAD_PADDING],
    ["Huffman: encoded EOS", "84 fffffffc", 10, HUFFMAN_EOS_DECODED],
    ["Huffman: [0xff x 4] contains EOS", "84 ffffffff", 10, HUFFMAN_EOS_DECODED],
  ] as const)("%s", (_name, h, maxLength, expected) => {
    const buf = unhex(h);
    const c = cursor(buf);
    expect(decodeStringLiteral(c, 7, maxLength)).toBe(expected);
    expect(c.pos).toBe(0);
    const c2 = cursor(buf);
    expect(decodeStringLiteralBytes(c2, 7, maxLength)).toBe(expected);
    expect(c2.pos).toBe(0);
  });

  test("exactly maxLength is accepted (raw and Huffman)", () => {
    expect(decodeStringLiteral(cursor(unhex("03 616263")), 7, 3)).toBe("abc");
    expect(decodeStringLiteral(cursor(unhex("83 9bd9ab")), 7, 4)).toBe("gzip");
    expect(decodeStringLiteral(cursor(unhex("83 9bd9ab")), 7, 3)).toBe(TOO_LONG);
  });
});
