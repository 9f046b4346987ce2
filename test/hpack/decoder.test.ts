import { HttpwireError } from "httpwire";
import { HpackDecoder, type HpackDecoderOptions, HpackEncoder, RepresentationKind } from "httpwire/hpack";
import { describe, expect, test } from "vitest";
import { toHex, hex as unhex } from "../helpers/hex.js";
import { caught } from "./caught.js";

const latin1 = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
const lit = (s: string) => (s.length < 127 ? s.length.toString(16).padStart(2, "0") : "") + toHex(latin1(s));

describe("HpackDecoder: every malformed input is a COMPRESSION_ERROR with a reason and offset", () => {
  interface Row {
    name: string;
    block: string;
    reason: string;
    offset: number;
    options?: HpackDecoderOptions<false>;
    setup?: (d: HpackDecoder) => void;
  }
  const rows: Row[] = [
    // RFC 7541 §6.1: "The index value of 0 is not used. It MUST be treated as a decoding error"
    { name: "§6.1 indexed field with index 0", block: "80", reason: "index_zero", offset: 0 },
    { name: "§6.1 index 0 after a valid field", block: "82 80", reason: "index_zero", offset: 1 },
    // RFC 7541 §2.3.3: indices past both tables MUST be treated as a decoding error
    {
      name: "§2.3.3 indexed field past the static table, empty dynamic table",
      block: "be",
      reason: "index_out_of_range",
      offset: 0,
    },
    { name: "§2.3.3 indexed field with a large index", block: "ff 80 01", reason: "index_out_of_range", offset: 0 },
    {
      name: "§2.3.3 incremental literal with an out-of-range name index",
      block: "7e 01 61",
      reason: "index_out_of_range",
      offset: 0,
    },
    {
      name: "§2.3.3 never-indexed literal with an out-of-range name index",
      block: "1f 2f 01 61",
      reason: "index_out_of_range",
      offset: 0,
    },
    {
      name: "§2.3.3 without-indexing literal with an out-of-range name index",
      block: "0f 2f 01 61",
      reason: "index_out_of_range",
      offset: 0,
    },
    // RFC 7541 §5.1: integers beyond implementation limits MUST be decoding errors (limit: 2^32 - 1)
    { name: "§5.1 index integer past 2^32 - 1", block: "ff ffffffff0f", reason: "integer_overflow", offset: 0 },
    {
      name: "§5.1 long run of continuation bytes",
      block: `ff${"80".repeat(20)}`,
      reason: "integer_overflow",
      offset: 0,
    },
    { name: "§5.1 size update integer past 2^32 - 1", block: "3f ffffffff0f", reason: "integer_overflow", offset: 0 },
    { name: "§5.1 integer truncated by the end of the block", block: "82 ff", reason: "integer_truncated", offset: 1 },
    { name: "§5.1 integer continuation truncated", block: "ff 80", reason: "integer_truncated", offset: 0 },
    // RFC 7541 §5.2: string literal framing
    { name: "§5.2 value runs past the end of the block", block: "41 05 6162", reason: "string_truncated", offset: 1 },
    { name: "§5.2 name runs past the end of the block", block: "40 05 6162", reason: "string_truncated", offset: 1 },
    { name: "§5.2 value missing entirely", block: "41", reason: "string_truncated", offset: 1 },
    { name: "§5.2 name length integer truncated", block: "00 7f", reason: "string_truncated", offset: 1 },
    { name: "§5.2 string length past 2^32 - 1", block: "00 7f ffffffff0f", reason: "integer_overflow", offset: 1 },
    {
      name: "string longer than maxStringLength",
      block: "00 04 61626364 00",
      reason: "string_too_long",
      offset: 1,
      options: { maxStringLength: 3 },
    },
    {
      name: "Huffman value decoding past maxStringLength",
      block: "01 86 a8eb10649cbf",
      reason: "string_too_long",
      offset: 1,
      options: { maxStringLength: 7 },
    },
    { name: "§5.2 Huffman string containing EOS", block: "00 84 fffffffc 00", reason: "huffman_eos", offset: 1 },
    {
      name: "§5.2 Huffman padding longer than 7 bits ([0xff])",
      block: "00 81 ff 00",
      reason: "huffman_padding",
      offset: 1,
    },
    { name: "§5.2 Huffman padding not all ones", block: "01 81 1e", reason: "huffman_padding", offset: 1 },
    { name: "§5.2 Huffman zero padding", block: "01 81 00", reason: "huffman_padding", offset: 1 },
    // RFC 7541 §4.2 / §6.3: size updates
    { name: "§4.2 size update after a field", block: "82 20", reason: "size_update_not_at_start", offset: 1 },
    {
      name: "§6.3 size update above the SETTINGS limit",
      block: "3f e2 1f",
      reason: "size_update_above_limit",
      offset: 0,
    },
    {
      name: "§6.3 size update above a lowered limit",
      block: "3f 45",
      reason: "size_update_above_limit",
      offset: 0,
      setup: (d) => d.setMaxTableSize(99),
    },
    // RFC 9113 §4.3.1: after an acknowledged reduction the next block MUST start with a size update
    {
      name: "RFC 9113 §4.3.1 missing size update after a reduction",
      block: "82",
      reason: "size_update_missing",
      offset: 0,
      setup: (d) => d.setMaxTableSize(100),
    },
    {
      name: "RFC 9113 §4.3.1 missing size update (literal first)",
      block: "00 01 61 01 62",
      reason: "size_update_missing",
      offset: 0,
      setup: (d) => d.setMaxTableSize(0),
    },
    // Field list limit (RFC 9113 §10.5.1), checked per field
    {
      name: "header list above maxHeaderListSize",
      block: "82 82 82",
      reason: "header_list_too_large",
      offset: 2,
      options: { maxHeaderListSize: 100 },
    },
    {
      name: "literal whose name alone passes the list budget",
      block: `00 7f 00${"61".repeat(127)} 00`,
      reason: "header_list_too_large",
      offset: 1,
      options: { maxHeaderListSize: 100 },
    },
  ];

  test.each(rows.map((r) => [r.name, r] as const))("%s", (_name, r) => {
    const d = new HpackDecoder(r.options ?? {});
    r.setup?.(d);
    const e = caught(() => d.decode(unhex(r.block)));
    expect(e).toBeInstanceOf(HttpwireError);
    expect(e.name).toBe("HpackError");
    expect(e.code).toBe(0x09);
    expect(e.codeName).toBe("COMPRESSION_ERROR");
    expect(e.scope).toBe("connection");
    expect(e.reason).toBe(r.reason);
    expect(e.offset).toBe(r.offset);
  });

  test("a decoder that threw is poisoned: later calls rethrow the same error", () => {
    const d = new HpackDecoder();
    const first = caught(() => d.decode(unhex("80")));
    expect(caught(() => d.decode(unhex("82")))).toBe(first);
  });

  test("error messages never include header values", () => {
    const d = new HpackDecoder({ maxHeaderListSize: 60 });
    const e = caught(() => d.decode(unhex(`00 06 736563726574 ${lit("hunter2".repeat(6))}`)));
    expect(e.reason).toBe("header_list_too_large");
    expect(e.message).not.toContain("hunter2");
    expect(e.message).not.toContain("secret");
  });

  test("HPACK bomb: one large entry referenced many times is refused before the list is built", () => {
    const big = "x".repeat(4000);
    const d = new HpackDecoder({ maxTableSize: 4096, maxHeaderListSize: 65_536 });
    // Insert `b: xxxx...` (4000 bytes) then reference it (index 62) 10,000 times: 40 MB if built.
    const w = [0x40, 0x01, 0x62, 0x7f, ...unhex("a11e"), ...latin1(big)];
    const block = new Uint8Array(w.length + 10_000);
    block.set(w);
    block.fill(0xbe, w.length);
    const e = caught(() => d.decode(block));
    expect(e.reason).toBe("header_list_too_large");
    // Refused at the 16th reference: 17 fields of 4033 bytes pass 65,536.
    expect(e.offset).toBe(w.length + 15);
  });
});

describe("HpackDecoder: valid edge cases", () => {
  test("§4.4 an entry larger than the table empties it, without error", () => {
    const d = new HpackDecoder({ maxTableSize: 64 });
    d.decode(unhex("40 01 61 01 62")); // a: b (34)
    expect(d.dynamicTable().size).toBe(34);
    const fields = d.decode(unhex(`40 01 63 ${lit("v".repeat(40))}`));
    expect(fields).toEqual([{ name: "c", value: "v".repeat(40) }]);
    expect(d.dynamicTable()).toEqual({ entries: [], size: 0, maxSize: 64 });
  });

  test("§4.4 a new entry may name an entry that its insertion evicts", () => {
    const d = new HpackDecoder({ maxTableSize: 60 });
    d.decode(unhex("40 04 61616161 01 62")); // aaaa: b (37)
    const fields = d.decode(unhex("7e 06 636363636363")); // name = index 62 (aaaa), value cccccc: needs eviction
    expect(fields).toEqual([{ name: "aaaa", value: "cccccc" }]);
    expect(d.dynamicTable().entries).toEqual([{ name: "aaaa", value: "cccccc", size: 42 }]);
  });

  test("§4.3 eviction is oldest first; indices count from the newest", () => {
    const d = new HpackDecoder({ maxTableSize: 34 * 3 });
    d.decode(unhex("40 01 61 01 31  40 01 62 01 32  40 01 63 01 33"));
    expect(d.decode(unhex("be bf c0"))).toEqual([
      { name: "c", value: "3" },
      { name: "b", value: "2" },
      { name: "a", value: "1" },
    ]);
    d.decode(unhex("40 01 64 01 34"));
    expect(d.dynamicTable().entries.map((e) => e.name)).toEqual(["d", "c", "b"]);
    expect(caught(() => d.decode(unhex("c1"))).reason).toBe("index_out_of_range");
  });

  test("size updates: two at the start (min then final) are accepted and applied", () => {
    const d = new HpackDecoder();
    d.decode(unhex("40 01 61 01 62"));
    d.setMaxTableSize(0);
    expect(d.dynamicTable().entries).toEqual([]);
    d.setMaxTableSize(4096);
    expect(d.decode(unhex("20 3f e1 1f 82"))).toEqual([{ name: ":method", value: "GET" }]);
    expect(d.lastSizeUpdates()).toEqual([0, 4096]);
    expect(d.dynamicTable().maxSize).toBe(4096);
  });

  test("the required size update is satisfied by any conformant update, then no longer required", () => {
    const d = new HpackDecoder();
    d.setMaxTableSize(100);
    expect(d.decode(unhex("3f 45 82"))).toEqual([{ name: ":method", value: "GET" }]);
    expect(d.decode(unhex("82"))).toEqual([{ name: ":method", value: "GET" }]);
    expect(d.lastSizeUpdates()).toEqual([]);
  });

  test("raising the limit does not require an update", () => {
    const d = new HpackDecoder();
    d.setMaxTableSize(8192);
    expect(d.decode(unhex("82"))).toHaveLength(1);
    expect(d.dynamicTable().maxSize).toBe(4096);
    expect(d.decode(unhex("3f e1 3f"))).toEqual([]); // 8192
    expect(d.dynamicTable().maxSize).toBe(8192);
  });

  test("an empty block decodes to no fields", () => {
    expect(new HpackDecoder().decode(new Uint8Array(0))).toEqual([]);
  });

  test("§7.1.3 never-indexed fields come out with sensitive: true and are not added to the table", () => {
    const d = new HpackDecoder();
    expect(d.decode(unhex("10 08 70617373776f7264 06 736563726574"))).toEqual([{ name: "password", value: "secret", sensitive: true }]);
    expect(d.dynamicTable().size).toBe(0);
  });

  test("recordRepresentation reports kind, index and Huffman use", () => {
    const d = new HpackDecoder({ recordRepresentation: true });
    const fields = d.decode(unhex("82 41 8cf1e3c2e5f23a6ba0ab90f4ff 00 01 61 81 1f 1f 08 02 6869 be"));
    expect(fields.map((f) => f.representation)).toEqual([
      { kind: RepresentationKind.INDEXED, index: 2, nameHuffman: false, valueHuffman: false },
      { kind: RepresentationKind.LITERAL_WITH_INCREMENTAL_INDEXING, index: 1, nameHuffman: false, valueHuffman: true },
      { kind: RepresentationKind.LITERAL_WITHOUT_INDEXING, index: 0, nameHuffman: false, valueHuffman: true },
      { kind: RepresentationKind.LITERAL_NEVER_INDEXED, index: 23, nameHuffman: false, valueHuffman: false },
      { kind: RepresentationKind.INDEXED, index: 62, nameHuffman: false, valueHuffman: false },
    ]);
    expect(fields[2]).toMatchObject({ name: "a", value: "a" });
    expect(fields[3]).toMatchObject({ name: "authorization", value: "hi", sensitive: true });
  });

  test("bytes: raw literals are views of the block, table entries are copies", () => {
    const d = new HpackDecoder({ bytes: true });
    const block = unhex("82 40 01 61 01 62 00 01 63 01 64");
    const fields = d.decode(block);
    expect(fields).toEqual([
      { name: latin1(":method"), value: latin1("GET") },
      { name: latin1("a"), value: latin1("b") },
      { name: latin1("c"), value: latin1("d") },
    ]);
    const f2 = fields[2]!;
    expect(f2.value.buffer).toBe(block.buffer);
    expect(f2.value.byteOffset).toBe(10);
    block.fill(0); // the caller reuses its buffer: the table must not change
    expect(d.decode(unhex("be"))).toEqual([{ name: latin1("a"), value: latin1("b") }]);
  });

  test("bytes: Huffman literals come from the shared slab, the literals the table keeps from the decoder's own chunks", () => {
    const d = new HpackDecoder({ bytes: true });
    const www = "f1e3c2e5f23a6ba0ab90f4ff"; // RFC 7541 C.4.1: "www.example.com"
    // :authority with incremental indexing, :path without indexing, then a: b (raw) with indexing.
    const block = unhex(`41 8c ${www} 04 8c ${www} 40 01 61 01 62`);
    const [kept, passed, raw] = d.decode(block);
    expect([kept, passed, raw]).toEqual([
      { name: latin1(":authority"), value: latin1("www.example.com") },
      { name: latin1(":path"), value: latin1("www.example.com") },
      { name: latin1("a"), value: latin1("b") },
    ]);
    expect(passed!.value.buffer.byteLength).toBe(64 * 1024); // the shared slab
    expect(kept!.value.buffer.byteLength).toBe(4096); // the decoder's arena
    expect(raw!.name.buffer).toBe(kept!.value.buffer); // a kept raw literal is copied there too
    expect([kept!.value.byteOffset, raw!.name.byteOffset, raw!.value.byteOffset]).toEqual([0, 15, 16]);
    block.fill(0);
    expect(d.decode(unhex("be bf"))).toEqual([
      { name: latin1("a"), value: latin1("b") },
      { name: latin1(":authority"), value: latin1("www.example.com") },
    ]);
  });

  test("bytes: a kept literal name read again after its value was cut off takes arena memory once", () => {
    // "abc: def" with incremental indexing, fed a byte at a time: the name is
    // read once while the value's length is still missing, then again.
    const d = new HpackDecoder({ bytes: true });
    const block = unhex("40 03 616263 03 646566");
    const got = [];
    for (let i = 0; i < block.length; i++) got.push(...d.write(block.subarray(i, i + 1)));
    d.end();
    expect(got).toEqual([{ name: latin1("abc"), value: latin1("def") }]);
    const { name, value } = got[0]!;
    expect(value.buffer).toBe(name.buffer);
    expect([name.byteOffset, value.byteOffset]).toEqual([0, 3]);
  });

  test("strings are bytes: every octet 0x00-0xff maps to one character", () => {
    let all = "";
    for (let i = 0; i < 256; i++) all += String.fromCharCode(i);
    const e = new HpackEncoder();
    const d = new HpackDecoder();
    expect(d.decode(e.encode([{ name: "x-bin", value: all }]))).toEqual([{ name: "x-bin", value: all }]);
  });

  test("the ring buffer grows past its initial capacity and keeps order", () => {
    const d = new HpackDecoder({ maxTableSize: 1 << 20, maxHeaderListSize: 1 << 20 });
    const e = new HpackEncoder({ maxTableSize: 1 << 20, tableSizeLimit: 1 << 20, shouldIndex: () => true });
    const fields = Array.from({ length: 3000 }, (_, i) => ({ name: `n${i}`, value: `v${i}` }));
    d.decode(e.encode(fields));
    const t = d.dynamicTable();
    expect(t.entries).toHaveLength(3000);
    expect(t.entries[0]).toEqual({ name: "n2999", value: "v2999", size: 5 + 5 + 32 });
    expect(t.entries[2999]).toEqual({ name: "n0", value: "v0", size: 2 + 2 + 32 });
    expect(d.decode(e.encode([{ name: "n0", value: "v0" }]))).toEqual([{ name: "n0", value: "v0" }]);
  });

  test("options are checked: RangeError for bad sizes", () => {
    expect(() => new HpackDecoder({ maxTableSize: -1 })).toThrow(RangeError);
    expect(() => new HpackDecoder({ maxHeaderListSize: 1.5 })).toThrow(RangeError);
    expect(() => new HpackDecoder().setMaxTableSize(2 ** 32)).toThrow(RangeError);
  });
});

describe("HpackDecoder field objects", () => {
  test("a static-table hit is one shared, frozen object; dynamic hits and literals are fresh objects", () => {
    const a = new HpackDecoder();
    const b = new HpackDecoder();
    // 0x82 :method GET (static 2); 0x41 0x03 "a.b" :authority literal with indexing; 0xbe dynamic 62.
    const block = Uint8Array.of(0x82, 0x41, 0x03, 0x61, 0x2e, 0x62, 0xbe);
    const fa = a.decode(block);
    const fb = b.decode(block);
    expect(fa).toEqual([
      { name: ":method", value: "GET" },
      { name: ":authority", value: "a.b" },
      { name: ":authority", value: "a.b" },
    ]);
    expect(fa[0]).toBe(fb[0]);
    expect(Object.isFrozen(fa[0])).toBe(true);
    expect(() => {
      (fa[0] as { value: string }).value = "POST";
    }).toThrow(TypeError);
    expect(a.decode(Uint8Array.of(0x82))).toEqual([{ name: ":method", value: "GET" }]);
    expect(fa[1]).not.toBe(fa[2]);
    expect(Object.isFrozen(fa[2])).toBe(false);
    // With recordRepresentation every field is its own object.
    const r = new HpackDecoder({ recordRepresentation: true }).decode(Uint8Array.of(0x82));
    expect(r[0]).toEqual({
      name: ":method",
      value: "GET",
      representation: { kind: "indexed", index: 2, nameHuffman: false, valueHuffman: false },
    });
    expect(Object.isFrozen(r[0])).toBe(false);
  });
});
