import { fc, test as ptest } from "@fast-check/vitest";
import {
  decodeInterop,
  encodeInterop,
  formatQif,
  formatQifBytes,
  parseInteropRecords,
  parseQif,
  parseQifBytes,
  writeInteropRecords,
} from "httpwire/qpack";
import { describe, expect, test } from "vitest";
import { toHex as hex, latin1, hex as unhex } from "../helpers/hex.js";

describe(".out records", () => {
  test("8-byte big-endian stream ID, 4-byte length, bytes; payloads are views", () => {
    const bytes = unhex("0000000000000000" + "00000002" + "3fe1" + "0000000100000004" + "00000000");
    const recs = parseInteropRecords(bytes);
    expect(recs.map((r) => [r.streamId, hex(r.data)])).toEqual([
      [0, "3fe1"],
      [2 ** 32 + 4, ""],
    ]);
    expect(recs[0]!.data.buffer).toBe(bytes.buffer);
    expect(hex(writeInteropRecords(recs))).toBe(hex(bytes));
  });

  test.each([
    ["a short header", "00000000000000", /Truncated record header at offset 0/],
    ["a short payload", "0000000000000001" + "00000003" + "0000", /Truncated record at offset 0: 3 bytes declared/],
    ["a stream ID above 2^53 - 1", "0020000000000000" + "00000000", /exceeds 2\^53 - 1/],
  ])("rejects %s with a RangeError", (_n, h, msg) => {
    expect(() => parseInteropRecords(unhex(h))).toThrow(msg);
  });

  ptest.prop([fc.array(fc.record({ streamId: fc.nat(2 ** 40), data: fc.uint8Array({ maxLength: 20 }) }), { maxLength: 10 })])(
    "write then parse round-trips",
    (recs) => {
      expect(
        parseInteropRecords(writeInteropRecords(recs)).map((r) => ({
          streamId: r.streamId,
          data: Uint8Array.from(r.data),
        })),
      ).toEqual(recs);
    },
  );
});

describe("QIF", () => {
  test("sections from 1, blank lines between, comments skipped, CRLF tolerated", () => {
    expect(parseQif("# header\n:method\tGET\r\nx\ta\tb\n\n\n# c\nname-only\n")).toEqual([
      {
        streamId: 1,
        fields: [
          { name: ":method", value: "GET" },
          { name: "x", value: "a\tb" },
        ],
      },
      { streamId: 2, fields: [{ name: "name-only", value: "" }] },
    ]);
  });

  test("'# stream N' names the next section's stream; numbering continues from it", () => {
    expect(parseQif("# stream 4\na\t1\n\nb\t2\n\n# stream 12\nc\t3\n")).toEqual([
      { streamId: 4, fields: [{ name: "a", value: "1" }] },
      { streamId: 5, fields: [{ name: "b", value: "2" }] },
      { streamId: 12, fields: [{ name: "c", value: "3" }] },
    ]);
  });

  test("format and parse round-trip, byte for byte in Latin-1", () => {
    const sections = [
      { streamId: 3, fields: [{ name: "x", value: "\u00e9\u00ff" }] },
      { streamId: 7, fields: [{ name: "y", value: "" }] },
    ];
    expect(formatQif(sections)).toBe("# stream 3\nx\t\u00e9\u00ff\n\n# stream 7\ny\t\n\n");
    expect(hex(formatQifBytes(sections))).toBe(hex(latin1(formatQif(sections))));
    expect(parseQifBytes(formatQifBytes(sections))).toEqual(sections);
  });
});

describe("encodeInterop / decodeInterop", () => {
  const sections = parseQif(":method\tGET\n:path\t/a\nx-k\tv\n\n:method\tGET\n:path\t/b\nx-k\tv\n\n:method\tGET\n:path\t/c\nx-k\tv\n");
  test("each section's encoder-stream data is a stream-0 record just before it", () => {
    const recs = encodeInterop(sections, { capacity: 4096, blocked: 100, ack: true });
    // x-k (a name in neither table) is inserted at first sight, with the
    // capacity; later sections only reference it.
    expect(recs.map((r) => r.streamId)).toEqual([0, 1, 2, 3]);
    expect(hex(recs[0]!.data)).toBe("3fe11f" + "43782d6b" + "0176");
    const back = decodeInterop(recs, { capacity: 4096, blocked: 100 });
    expect(back).toEqual({ sections, blocked: 0 });
  });
  test("capacity 0: no encoder stream at all", () => {
    const recs = encodeInterop(sections, { capacity: 0, blocked: 0 });
    expect(recs.map((r) => r.streamId)).toEqual([1, 2, 3]);
  });
  test("sections still blocked at the end are counted", () => {
    const recs = encodeInterop(sections, { capacity: 4096, blocked: 100 }).filter((r) => r.streamId !== 0);
    expect(decodeInterop(recs, { capacity: 4096, blocked: 100 })).toEqual({ sections: [], blocked: 3 });
  });
});
