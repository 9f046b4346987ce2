import { DEFAULT_MAX_BLOCKED_SECTIONS_PER_STREAM, QpackDecoder, type QpackDecoderOptions } from "httpwire/qpack";
import { describe, expect, test } from "vitest";
import { hex as b, toHex as hex } from "../helpers/hex.js";
import { qerr } from "../helpers/qpack.js";

// Encoder stream of RFC 9204 B.2: capacity 220, :authority=www.example.com, :path=/sample/path
const B2 = "3fbd01 c00f7777772e6578616d706c652e636f6d c10c2f73616d706c652f70617468";

function dec(opts: QpackDecoderOptions = {}): QpackDecoder {
  return new QpackDecoder({ maxTableCapacity: 220, maxBlockedStreams: 2, ...opts });
}

describe("QpackDecoder: field sections", () => {
  test("all five representations (§4.5.2-§4.5.6)", () => {
    const d = dec();
    d.onEncoderStream(b(B2)); // abs 0 :authority, abs 1 :path
    // RIC 2 (enc 3), Base 1 (S=1, delta 0):
    //   80       indexed, relative 0 -> abs 0
    //   10       indexed post-base 0 -> abs 1
    //   d1       indexed static 17 (:method GET)
    //   40 01 61 literal, dynamic name relative 0 (abs 0) value "a"
    //   00 01 62 literal, post-base name 0 (abs 1) value "b"
    //   5f 1d 01 63   literal, static name 15+29=44 content-type... value "c"
    //   23 61 62 63 01 64  literal name "abc" value "d"
    //   31 7a 01 79       literal name N=1 "z" value "y"
    const r = d.decodeFieldSection(0, b("0380 80 10 d1 400161 000162 5f1d0163 2361626301 64 317a 0179"));
    expect(r).toEqual({
      status: "decoded",
      fields: [
        { name: ":authority", value: "www.example.com" },
        { name: ":path", value: "/sample/path" },
        { name: ":method", value: "GET" },
        { name: ":authority", value: "a" },
        { name: ":path", value: "b" },
        { name: "content-type", value: "c" },
        { name: "abc", value: "d" },
        { name: "z", value: "y", sensitive: true },
      ],
    });
    expect(hex(d.drainDecoderStream())).toBe("80"); // Section Acknowledgment, stream 0
  });

  test("N bit on name-reference literals marks the field sensitive", () => {
    const d = dec();
    expect(d.decodeFieldSection(4, b("0000 7f45 0178"))).toEqual({
      status: "decoded",
      fields: [{ name: "authorization", value: "x", sensitive: true }],
    });
    expect(d.drainDecoderStream().length).toBe(0); // RIC 0: no acknowledgment
  });

  test("blocked section completes when inserts arrive, any chunking", () => {
    const d = dec();
    expect(d.decodeFieldSection(4, b("03811011"))).toEqual({ status: "blocked", requiredInsertCount: 2 });
    expect(d.blockedStreamCount).toBe(1);
    const enc = b(B2);
    const done = [];
    for (let i = 0; i < enc.length; i++) done.push(...d.onEncoderStream(enc.subarray(i, i + 1)));
    expect(done).toEqual([
      {
        streamId: 4,
        status: "decoded",
        fields: [
          { name: ":authority", value: "www.example.com" },
          { name: ":path", value: "/sample/path" },
        ],
      },
    ]);
    expect(d.blockedStreamCount).toBe(0);
    // Section Acknowledgment covers both inserts: no Insert Count Increment.
    expect(hex(d.drainDecoderStream())).toBe("84");
  });

  test("a second section on a blocked stream waits behind the first", () => {
    const d = dec();
    expect(d.decodeFieldSection(4, b("03811011")).status).toBe("blocked");
    expect(d.decodeFieldSection(4, b("0000d1")).status).toBe("blocked");
    const done = d.onEncoderStream(b(B2));
    expect(done.map((s) => (s.status === "decoded" ? s.fields.length : -1))).toEqual([2, 1]);
  });

  test("Insert Count Increment for inserts no section acknowledged", () => {
    const d = dec();
    d.onEncoderStream(b(B2));
    expect(hex(d.drainDecoderStream())).toBe("02");
    expect(hex(d.drainDecoderStream())).toBe("");
  });

  test("cancelStream drops the blocked section and emits Stream Cancellation", () => {
    const d = dec();
    expect(d.decodeFieldSection(8, b("03811011")).status).toBe("blocked");
    d.cancelStream(8);
    expect(d.blockedStreamCount).toBe(0);
    expect(hex(d.drainDecoderStream())).toBe("48");
    expect(d.onEncoderStream(b(B2))).toEqual([]);
  });

  test("cancelStream with max capacity 0 emits nothing (§4.4.2 MAY omit)", () => {
    const d = new QpackDecoder();
    d.cancelStream(8);
    expect(d.drainDecoderStream().length).toBe(0);
  });

  test("stream IDs up to 2^62-1 in acknowledgments", () => {
    const d = dec();
    d.onEncoderStream(b(B2));
    d.decodeFieldSection(2n ** 62n - 1n, b("0381 10"));
    // 0x80 | 127, then 2^62-1-127 in 7-bit groups
    expect(hex(d.drainDecoderStream())).toBe("ff80ffffffffffffff3f");
    expect(() => d.decodeFieldSection(2n ** 62n, b("0000"))).toThrow(RangeError);
    expect(() => d.decodeFieldSection(-1, b("0000"))).toThrow(RangeError);
  });
});

describe("QpackDecoder: every MUST has a row", () => {
  type Row = [string, QpackDecoderOptions, string | null, string, string, string];
  // name, options, encoder stream (hex) first, field section (hex), code, reason
  const rows: Row[] = [
    ["§4.5.1.1 EncodedInsertCount > FullRange", {}, null, "0d00", "QPACK_DECOMPRESSION_FAILED", "ric_exceeds_full_range"],
    ["§4.5.1.1 nonzero RIC with capacity 0", { maxTableCapacity: 0 }, null, "0100", "QPACK_DECOMPRESSION_FAILED", "ric_exceeds_full_range"],
    ["§4.5.1.1 impossible wrap", {}, null, "0800", "QPACK_DECOMPRESSION_FAILED", "ric_invalid_wrap"],
    ["§4.5.1.1 zero not encoded as zero", {}, null, "0100", "QPACK_DECOMPRESSION_FAILED", "ric_zero_encoded_nonzero"],
    ["§4.5.1.2 negative Base", {}, null, "0281", "QPACK_DECOMPRESSION_FAILED", "negative_base"],
    ["§4.5.1.2 negative Base with RIC 0", {}, null, "0080", "QPACK_DECOMPRESSION_FAILED", "negative_base"],
    ["§2.2.3 post-base index >= RIC", {}, B2, "0200 10", "QPACK_DECOMPRESSION_FAILED", "reference_not_below_ric"],
    ["§2.2.3 relative index >= RIC (Base above RIC)", {}, B2, "0201 80", "QPACK_DECOMPRESSION_FAILED", "reference_not_below_ric"],
    ["§2.2.3 dynamic reference with RIC 0", {}, B2, "0000 80", "QPACK_DECOMPRESSION_FAILED", "reference_not_below_ric"],
    ["§2.2.3 dynamic name reference with RIC 0", {}, B2, "0000 4001 61", "QPACK_DECOMPRESSION_FAILED", "reference_not_below_ric"],
    ["§2.2.3 relative index before the first entry", {}, B2, "0300 82", "QPACK_DECOMPRESSION_FAILED", "reference_not_below_ric"],
    // capacity 100: three 34-byte inserts evict absolute 0
    [
      "§2.2.3 reference to an evicted entry",
      {},
      "3f45 41610162 41610162 41610162",
      "0400 82",
      "QPACK_DECOMPRESSION_FAILED",
      "reference_to_evicted_entry",
    ],
    ["static index 99 (Appendix A has 0..98)", {}, null, "0000 ff24", "QPACK_DECOMPRESSION_FAILED", "invalid_static_index"],
    ["static name index 99", {}, null, "0000 5f54 0161", "QPACK_DECOMPRESSION_FAILED", "invalid_static_index"],
    ["§7.4 index beyond implementation limit", {}, null, "0000 ffffffffffff0f", "QPACK_DECOMPRESSION_FAILED", "integer_overflow"],
    ["truncated prefix", {}, null, "", "QPACK_DECOMPRESSION_FAILED", "truncated_field_section"],
    ["missing Base", {}, null, "00", "QPACK_DECOMPRESSION_FAILED", "truncated_field_section"],
    ["truncated index", {}, null, "0000 ff", "QPACK_DECOMPRESSION_FAILED", "truncated_field_section"],
    ["truncated value", {}, null, "0000 5103 6161", "QPACK_DECOMPRESSION_FAILED", "truncated_field_section"],
    ["missing value", {}, null, "0000 51", "QPACK_DECOMPRESSION_FAILED", "truncated_field_section"],
    ["Huffman padding not all ones", {}, null, "0000 5181 00", "QPACK_DECOMPRESSION_FAILED", "huffman_padding"],
    ["Huffman EOS", {}, null, "0000 5184 ffffffff", "QPACK_DECOMPRESSION_FAILED", "huffman_eos"],
  ];
  test.each(rows)("%s", (_name, opts, encoder, section, codeName, reason) => {
    const d = dec(opts);
    if (encoder !== null) d.onEncoderStream(b(encoder));
    const e = qerr(() => d.decodeFieldSection(4, b(section)));
    expect([e.codeName, e.reason, e.scope]).toEqual([codeName, reason, "connection"]);
    // Poisoned: every later call throws the same error.
    expect(qerr(() => d.decodeFieldSection(8, b("0000")))).toBe(e);
    expect(qerr(() => d.onEncoderStream(new Uint8Array(0)))).toBe(e);
  });

  test("§2.1.2 more blocked streams than allowed", () => {
    const d = dec({ maxBlockedStreams: 1 });
    expect(d.decodeFieldSection(4, b("0200 10")).status).toBe("blocked");
    const e = qerr(() => d.decodeFieldSection(8, b("0200 10")));
    expect([e.codeName, e.reason, e.scope]).toEqual(["QPACK_DECOMPRESSION_FAILED", "too_many_blocked_streams", "connection"]);
  });

  test("maxBlockedSectionsPerStream bounds the sections held on one blocked stream", () => {
    const d = dec({ maxBlockedStreams: 1, maxBlockedSectionsPerStream: 2 });
    expect(d.decodeFieldSection(4, b("0200 10")).status).toBe("blocked");
    expect(d.decodeFieldSection(4, b("0200 10")).status).toBe("blocked");
    const e = qerr(() => d.decodeFieldSection(4, b("0200 10")));
    expect([e.codeName, e.reason, e.scope]).toEqual(["QPACK_DECOMPRESSION_FAILED", "too_many_blocked_sections", "connection"]);
  });

  test("maxBlockedSectionsPerStream defaults to 4", () => {
    const d = dec({ maxBlockedStreams: 1 });
    expect(d.maxBlockedSectionsPerStream).toBe(DEFAULT_MAX_BLOCKED_SECTIONS_PER_STREAM);
    for (let i = 0; i < 4; i++) expect(d.decodeFieldSection(4, b("0200 10")).status).toBe("blocked");
    expect(qerr(() => d.decodeFieldSection(4, b("0200 10"))).reason).toBe("too_many_blocked_sections");
  });

  test("§2.1.2 blocking is not allowed at all with maxBlockedStreams 0", () => {
    const d = dec({ maxBlockedStreams: 0 });
    const e = qerr(() => d.decodeFieldSection(4, b("0200 10")));
    expect(e.reason).toBe("too_many_blocked_streams");
  });

  test("maxFieldSectionSize: a stream error that leaves the decoder usable", () => {
    const d = dec({ maxFieldSectionSize: 40 });
    // :path=/index.html is 5 + 11 + 32 = 48 > 40
    const e = qerr(() => d.decodeFieldSection(4, b("0000510b2f696e6465782e68746d6c")));
    expect([e.codeName, e.reason, e.scope, e.streamId]).toEqual(["QPACK_DECOMPRESSION_FAILED", "field_section_too_large", "stream", 4]);
    expect(d.decodeFieldSection(8, b("0000 c1"))).toEqual({
      status: "decoded",
      fields: [{ name: ":path", value: "/" }],
    });
  });

  type EncRow = [string, QpackDecoderOptions, string, string];
  const encRows: EncRow[] = [
    ["§4.3.1 capacity above the maximum", {}, "3fbe01", "capacity_exceeds_maximum"],
    ["§3.2.2 entry larger than the capacity (capacity 0)", {}, "41610162", "entry_exceeds_capacity"],
    ["§3.2.2 entry larger than the capacity (capacity 40)", {}, "3f09 41610162 4561616161610561616161 61", "entry_exceeds_capacity"],
    ["static name index 99", {}, "3fbd01 ff24 0161", "invalid_static_index"],
    ["§2.2.3 Duplicate of a missing entry", {}, "3fbd01 00", "reference_to_missing_entry"],
    ["§2.2.3 dynamic name reference to a missing entry", {}, "3fbd01 8001 61", "reference_to_missing_entry"],
    ["§2.2.3 Duplicate of an evicted entry", {}, "3f45 41610162 41610162 41610162 02", "reference_to_missing_entry"],
    ["capacity integer beyond 2^53 - 1", {}, "3fffffffffffffffff0f", "integer_overflow"],
    ["capacity 2^35-ish: a valid integer above the maximum", {}, "3fffffffffff0f", "capacity_exceeds_maximum"],
    ["index integer beyond 2^32 - 1", {}, "1fffffffffff0f", "integer_overflow"],
    ["bad Huffman in a value", {}, "3fbd01 c081 00", "huffman_padding"],
  ];
  test.each(encRows)("encoder stream: %s", (_name, opts, encoder, reason) => {
    const d = dec(opts);
    const e = qerr(() => d.onEncoderStream(b(encoder)));
    expect([e.codeName, e.reason, e.scope]).toEqual(["QPACK_ENCODER_STREAM_ERROR", reason, "connection"]);
    expect(qerr(() => d.onEncoderStream(new Uint8Array(0)))).toBe(e);
  });

  test("a blocked section over maxFieldSectionSize fails alone; the others still complete", () => {
    const d = dec({ maxFieldSectionSize: 60 });
    expect(d.decodeFieldSection(4, b("0380 80 10")).status).toBe("blocked"); // 47 + 44 > 60
    expect(d.decodeFieldSection(8, b("0200 80")).status).toBe("blocked"); // 47
    const done = d.onEncoderStream(b(B2));
    expect(done.length).toBe(2);
    // In the order the inserts unblock them: stream 8 (RIC 1) after the first insert, stream 4 (RIC 2) after the second.
    const [first, second] = done;
    expect(first).toEqual({
      status: "decoded",
      streamId: 8,
      fields: [{ name: ":authority", value: "www.example.com" }],
    });
    expect([second!.status, second!.streamId]).toEqual(["failed", 4]);
    if (second!.status !== "failed") throw new Error("expected a failed section");
    expect([second!.error.reason, second!.error.scope, second!.error.streamId]).toEqual(["field_section_too_large", "stream", 4]);
    d.cancelStream(4);
    // Section Acknowledgment 8 (RIC 1), Stream Cancellation 4, Insert Count Increment 1
    expect(hex(d.drainDecoderStream())).toBe("884401");
  });

  test("an oversized literal is refused from its declared length, before its bytes arrive", () => {
    const d = dec();
    d.onEncoderStream(b("3f09")); // capacity 40
    // Insert with literal name, name length 100: refused at once.
    const e = qerr(() => d.onEncoderStream(b("5f45")));
    expect(e.reason).toBe("entry_exceeds_capacity");
  });

  test("a partial instruction is buffered, not applied", () => {
    const d = dec();
    const enc = b(B2);
    d.onEncoderStream(enc.subarray(0, 10));
    expect(d.hasPendingInstruction).toBe(true);
    expect(d.insertCount).toBe(0);
    d.onEncoderStream(enc.subarray(10));
    expect(d.hasPendingInstruction).toBe(false);
    expect(d.insertCount).toBe(2);
    expect(d.tableSize).toBe(106);
  });

  test("options are validated", () => {
    expect(() => new QpackDecoder({ maxTableCapacity: -1 })).toThrow(RangeError);
    expect(() => new QpackDecoder({ maxBlockedStreams: 1.5 })).toThrow(RangeError);
    expect(() => new QpackDecoder({ maxTableCapacity: 100, initialTableCapacity: 200 })).toThrow(RangeError);
  });
});
