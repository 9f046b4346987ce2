import { defaultIsSensitive, defaultShouldIndex, HpackDecoder, HpackEncoder, validateField } from "httpwire/hpack";
import { describe, expect, test } from "vitest";
import { ByteWriter } from "../../src/shared/byte-writer.js";
import { toHex as hex } from "../helpers/hex.js";

const latin1 = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

describe("HpackEncoder representations", () => {
  test("exact static matches become one-byte indexed fields (§6.1)", () => {
    const e = new HpackEncoder();
    expect(
      hex(
        e.encode([
          { name: ":method", value: "GET" },
          { name: ":path", value: "/" },
          { name: ":status", value: "404" },
        ]),
      ),
    ).toBe("82848d");
  });

  test("a field the policy indexes is added, then sent as an index (§6.2.1 then §6.1)", () => {
    const e = new HpackEncoder({ huffman: false });
    // 0x41: incremental indexing, name index 1 (:authority)
    expect(hex(e.encode([{ name: ":authority", value: "a.b" }]))).toBe("4103612e62");
    expect(hex(e.encode([{ name: ":authority", value: "a.b" }]))).toBe("be");
    expect(e.dynamicTable()).toEqual({
      entries: [{ name: ":authority", value: "a.b", size: 45 }],
      size: 45,
      maxSize: 4096,
    });
  });

  test("a literal name found only in the dynamic table is referenced by index", () => {
    const e = new HpackEncoder({ huffman: false });
    e.encode([{ name: "x-a", value: "1" }]);
    // 0x40|62 = 0x7e: name from index 62
    expect(hex(e.encode([{ name: "x-a", value: "2" }]))).toBe("7e0132");
  });

  test("content-length and :path with a query go without indexing (§6.2.2)", () => {
    const e = new HpackEncoder({ huffman: false });
    // content-length is static index 28: 0000 1111 + 13
    expect(hex(e.encode([{ name: "content-length", value: "12" }]))).toBe("0f0d023132");
    expect(hex(e.encode([{ name: ":path", value: "/?q" }]))).toBe("04032f3f71");
    expect(e.dynamicTable().entries).toEqual([]);
  });

  test("entries above maxIndexedEntryShare of the table are not indexed", () => {
    const e = new HpackEncoder({ huffman: false, maxTableSize: 256 });
    const v = "v".repeat(64 - 32 - 3 + 1); // x-a + 30 + 32 = 65 > 64
    expect(hex(e.encode([{ name: "x-a", value: v }])).slice(0, 2)).toBe("00");
    const e2 = new HpackEncoder({ huffman: false, maxTableSize: 256, maxIndexedEntryShare: 1 });
    expect(hex(e2.encode([{ name: "x-a", value: v }])).slice(0, 2)).toBe("40");
    expect(() => new HpackEncoder({ maxIndexedEntryShare: 2 })).toThrow(RangeError);
  });

  test("§7.1.3 sensitive fields, authorization and short cookies are never indexed (§6.2.3)", () => {
    const e = new HpackEncoder({ huffman: false });
    // authorization is static 23: 0001 1111 + 8
    expect(hex(e.encode([{ name: "authorization", value: "t" }]))).toBe("1f080174");
    // cookie (static 32) shorter than 20 bytes
    expect(hex(e.encode([{ name: "cookie", value: "a=1" }]))).toBe("1f1103613d31");
    // a static exact match is still sent as a never-indexed literal when sensitive
    expect(hex(e.encode([{ name: ":method", value: "GET", sensitive: true }]))).toBe("1203474554"); // name index 2, value "GET"
    expect(hex(e.encode([{ name: "x-k", value: "s", sensitive: true }]))).toBe("1003782d6b0173");
    expect(e.dynamicTable().entries).toEqual([]);
    // a long cookie is indexed
    const long = `session=${"x".repeat(20)}`;
    expect(hex(e.encode([{ name: "cookie", value: long }])).slice(0, 2)).toBe("60");
    expect(e.dynamicTable().entries[0]!.name).toBe("cookie");
  });

  test("decoder sees sensitive: true for never-indexed fields", () => {
    const e = new HpackEncoder();
    const d = new HpackDecoder();
    expect(d.decode(e.encode([{ name: "authorization", value: "Bearer x" }]))).toEqual([
      { name: "authorization", value: "Bearer x", sensitive: true },
    ]);
  });

  test("Huffman: auto only when strictly shorter, or forced on/off", () => {
    const f = [{ name: "x-a", value: "www.example.com" }];
    expect(hex(new HpackEncoder({ huffman: false }).encode(f))).toBe("4003782d610f7777772e6578616d706c652e636f6d");
    // "x-a" is 18 bits of Huffman = 3 bytes, not shorter: raw; the value shrinks 15 -> 12.
    expect(hex(new HpackEncoder({ huffman: "auto" }).encode(f))).toBe("4003782d61" + "8cf1e3c2e5f23a6ba0ab90f4ff");
    expect(hex(new HpackEncoder({ huffman: true }).encode([{ name: "&", value: "&" }]))).toBe("4081f881f8");
    expect(hex(new HpackEncoder({ huffman: "auto" }).encode([{ name: "&", value: "&" }]))).toBe("40012601" + "26");
  });

  test("names and values may be bytes, mapped byte for byte", () => {
    const e = new HpackEncoder({ huffman: false });
    expect(hex(e.encode([{ name: latin1("x-b"), value: Uint8Array.of(0xff, 0x00) }]))).toBe("4003782d6202ff00");
  });

  test("encodeInto appends to a writer", () => {
    // The writer class is exported by httpwire/http2 (encodeFrameInto appends to one).
    const w = new ByteWriter();
    w.u8(0xaa);
    new HpackEncoder().encodeInto([{ name: ":method", value: "GET" }], w);
    expect(hex(w.view())).toBe("aa82");
  });
});

describe("HpackEncoder table size changes", () => {
  test("announced at the start of the next block (§6.3)", () => {
    const e = new HpackEncoder();
    e.encode([{ name: "x-a", value: "1" }]);
    e.setMaxTableSize(100);
    // 001 11111 + 69
    expect(hex(e.encode([{ name: ":method", value: "GET" }]))).toBe("3f4582");
    expect(hex(e.encode([{ name: ":method", value: "GET" }]))).toBe("82");
  });

  test("down then up before the next block sends the minimum, then the final size (§4.2)", () => {
    const e = new HpackEncoder();
    const d = new HpackDecoder();
    d.decode(e.encode([{ name: "x-a", value: "1" }]));
    e.setMaxTableSize(0);
    d.setMaxTableSize(0);
    e.setMaxTableSize(4096);
    d.setMaxTableSize(4096);
    const block = e.encode([{ name: "x-a", value: "1" }]);
    expect(hex(block).slice(0, 8)).toBe("203fe11f");
    expect(d.decode(block)).toEqual([{ name: "x-a", value: "1" }]);
    expect(d.lastSizeUpdates()).toEqual([0, 4096]);
    expect(e.dynamicTable()).toEqual(d.dynamicTable());
  });

  test("setting the same size again sends no update", () => {
    const e = new HpackEncoder();
    e.setMaxTableSize(4096);
    expect(hex(e.encode([{ name: ":method", value: "GET" }]))).toBe("82");
  });

  test("size 0 disables indexing without errors", () => {
    const e = new HpackEncoder({ maxTableSize: 0 });
    const d = new HpackDecoder({ maxTableSize: 0 });
    const f = [{ name: "x-a", value: "1" }];
    expect(d.decode(e.encode(f))).toEqual(f);
    expect(d.decode(e.encode(f))).toEqual(f);
    expect(e.dynamicTable().entries).toEqual([]);
  });

  test("bad sizes are caller errors", () => {
    expect(() => new HpackEncoder().setMaxTableSize(-1)).toThrow(RangeError);
    expect(() => new HpackEncoder({ maxTableSize: NaN })).toThrow(RangeError);
  });
});

describe("validation (RFC 9113 §8.2.1), opt-in", () => {
  test.each([
    ["uppercase name", "X-A", "1"],
    ["empty name", "", "1"],
    ["space in name", "x a", "1"],
    ["colon inside name", "x:a", "1"],
    ["DEL in name", "x\x7f", "1"],
    ["non-ASCII name", "x\xe9", "1"],
    ["NUL in value", "x", "a\x00b"],
    ["LF in value", "x", "a\nb"],
    ["CR in value", "x", "a\rb"],
    ["leading space in value", "x", " a"],
    ["trailing tab in value", "x", "a\t"],
    ["character above 0xff in value", "x", "\u20ac"],
  ])("%s is a TypeError, and the encoder stays usable", (_n, name, value) => {
    const e = new HpackEncoder({ validate: true });
    expect(() =>
      e.encode([
        { name: ":method", value: "GET" },
        { name, value },
      ]),
    ).toThrow(TypeError);
    expect(hex(e.encode([{ name: ":method", value: "GET" }]))).toBe("82");
    expect(e.dynamicTable().entries).toEqual([]);
  });

  test("a one-shot iterable is validated and encoded", () => {
    const e = new HpackEncoder({ validate: true });
    function* gen() {
      yield { name: ":method", value: "GET" };
      yield { name: ":path", value: "/" };
    }
    expect(hex(e.encode(gen()))).toBe("8284");
  });

  test("valid fields pass, including pseudo-headers and obs-text values", () => {
    expect(() => validateField(":path", "/a b")).not.toThrow();
    expect(() => validateField("x-a", "caf\xe9")).not.toThrow();
    expect(() => validateField("x-a", "")).not.toThrow();
  });

  test("messages never quote the value", () => {
    expect(() => validateField("x", "secret\n")).toThrow(/^(?!.*secret)/);
  });

  test("without validation, invalid but encodable values are sent as is", () => {
    const d = new HpackDecoder();
    expect(d.decode(new HpackEncoder().encode([{ name: "X-A", value: " a\r\n" }]))).toEqual([{ name: "X-A", value: " a\r\n" }]);
  });

  test("without validation, a character above 0xff is a TypeError and the encoder refuses further use", () => {
    const e = new HpackEncoder();
    expect(() =>
      e.encode([
        { name: "x-a", value: "1" },
        { name: "x", value: "\u20ac" },
      ]),
    ).toThrow(TypeError);
    expect(() => e.encode([{ name: ":method", value: "GET" }])).toThrow(/unusable/);
  });
});

describe("default policies", () => {
  test("defaultShouldIndex", () => {
    expect(defaultShouldIndex(":authority", "x")).toBe(true);
    expect(defaultShouldIndex("date", "x")).toBe(true);
    expect(defaultShouldIndex(":path", "/a")).toBe(true);
    expect(defaultShouldIndex(":path", "/a?b")).toBe(false);
    expect(defaultShouldIndex("content-length", "1")).toBe(false);
  });
  test("defaultIsSensitive", () => {
    expect(defaultIsSensitive("authorization", "x")).toBe(true);
    expect(defaultIsSensitive("proxy-authorization", "x")).toBe(true);
    expect(defaultIsSensitive("cookie", "x".repeat(19))).toBe(true);
    expect(defaultIsSensitive("cookie", "x".repeat(20))).toBe(false);
    expect(defaultIsSensitive("set-cookie", "a")).toBe(false);
  });
});
