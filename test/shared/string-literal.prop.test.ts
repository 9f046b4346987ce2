import { fc, test } from "@fast-check/vitest";
import { describe, expect } from "vitest";
import { ByteWriter } from "../../src/shared/byte-writer.js";
import { cursor } from "../../src/shared/cursor.js";
import { huffmanDecode, huffmanEncode, huffmanEncodedLength } from "../../src/shared/huffman.js";
import { HUFFMAN_BAD_PADDING, HUFFMAN_EOS_DECODED, NEED_MORE, TOO_LONG } from "../../src/shared/result.js";
import {
  decodeStringLiteral,
  decodeStringLiteralBytes,
  writeStringLiteral,
  writeStringLiteralBytes,
} from "../../src/shared/string-literal.js";

const latin1String = fc.uint8Array({ maxLength: 300 }).map((b) => String.fromCharCode(...b));
const huffmanMode = fc.constantFrom<boolean | "auto">(true, false, "auto");

describe("string literal properties", () => {
  test.prop([latin1String, fc.integer({ min: 1, max: 7 }), huffmanMode])(
    "writeStringLiteral then decodeStringLiteral round trips any byte string",
    (s, prefixBits, huffman) => {
      const w = new ByteWriter(8);
      const flags = prefixBits < 7 ? (0xff << (prefixBits + 1)) & 0xff : 0;
      writeStringLiteral(w, s, prefixBits, flags, huffman);
      const c = cursor(w.view());
      expect(decodeStringLiteral(c, prefixBits, s.length)).toBe(s);
      expect(c.pos).toBe(w.pos);
    },
  );

  test.prop([fc.uint8Array({ maxLength: 300 }), huffmanMode])("bytes round trip", (b, huffman) => {
    const w = new ByteWriter(8);
    writeStringLiteralBytes(w, b, 7, 0, huffman);
    const c = cursor(w.view());
    expect(decodeStringLiteralBytes(c, 7, b.length)).toEqual(b);
  });

  test.prop([latin1String])("auto picks the shorter encoding", (s) => {
    const w = new ByteWriter();
    writeStringLiteral(w, s, 7, 0, "auto");
    const wRaw = new ByteWriter();
    writeStringLiteral(wRaw, s, 7, 0, false);
    const wHuf = new ByteWriter();
    writeStringLiteral(wHuf, s, 7, 0, true);
    expect(w.pos).toBe(Math.min(wRaw.pos, wHuf.pos));
    expect(huffmanEncodedLength(s)).toBeLessThanOrEqual(s.length * 4);
  });

  test.prop([latin1String])("huffmanEncode length matches huffmanEncodedLength and decodes back", (s) => {
    const w = new ByteWriter(1);
    huffmanEncode(w, s);
    expect(w.pos).toBe(huffmanEncodedLength(s));
    expect(huffmanDecode(w.buf, 0, w.pos, s.length)).toBe(s);
  });

  test.prop([fc.uint8Array({ maxLength: 64 }), fc.integer({ min: 0, max: 100 })])(
    "arbitrary bytes give a string or a sentinel, and never more than maxLength",
    (b, maxLength) => {
      const r = huffmanDecode(b, 0, b.length, maxLength);
      if (typeof r === "string") expect(r.length).toBeLessThanOrEqual(maxLength);
      else expect([TOO_LONG, HUFFMAN_EOS_DECODED, HUFFMAN_BAD_PADDING]).toContain(r);
      const c = cursor(b);
      const s = decodeStringLiteral(c, 7, maxLength);
      if (typeof s === "number") {
        expect([NEED_MORE, TOO_LONG, HUFFMAN_EOS_DECODED, HUFFMAN_BAD_PADDING]).toContain(s);
        expect(c.pos).toBe(0);
      } else {
        expect(s.length).toBeLessThanOrEqual(maxLength);
      }
    },
  );
});
