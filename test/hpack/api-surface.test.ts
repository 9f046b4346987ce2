/** The public surface of httpwire/hpack, through the package entry point. */

import * as hpack from "httpwire/hpack";
import { type HeaderField, HpackDecoder, HpackEncoder } from "httpwire/hpack";
import { describe, expect, expectTypeOf, test } from "vitest";

describe("httpwire/hpack exports", () => {
  test("exactly the documented runtime names", () => {
    expect(Object.keys(hpack).sort()).toEqual(
      [
        "COMPRESSION_ERROR",
        "DEFAULT_MAX_HEADER_LIST_SIZE",
        "DEFAULT_MAX_TABLE_SIZE",
        "DEFAULT_TABLE_SIZE_LIMIT",
        "ENTRY_OVERHEAD",
        "HpackDecoder",
        "HpackEncoder",
        "HpackError",
        "RepresentationKind",
        "STATIC_TABLE",
        "STATIC_TABLE_LENGTH",
        "defaultIsSensitive",
        "defaultShouldIndex",
        "encodePrefixInt",
        "encodeStringLiteral",
        "prefixIntLength",
        "readPrefixInt",
        "readStringLiteral",
        "readStringLiteralBytes",
        "validateField",
      ].sort(),
    );
    expect(hpack.COMPRESSION_ERROR).toBe(0x09);
    expect(hpack.DEFAULT_MAX_TABLE_SIZE).toBe(4096);
    expect(hpack.DEFAULT_MAX_HEADER_LIST_SIZE).toBe(65_536);
    expect(hpack.DEFAULT_TABLE_SIZE_LIMIT).toBe(4096);
    expect(hpack.ENTRY_OVERHEAD).toBe(32);
  });

  test("the decoder's field type follows the bytes option", () => {
    const s = new HpackDecoder().decode(Uint8Array.of(0x82));
    expectTypeOf(s).toEqualTypeOf<HeaderField<string>[]>();
    expect(s[0]!.name).toBe(":method");
    const b = new HpackDecoder({ bytes: true }).decode(Uint8Array.of(0x82));
    expectTypeOf(b).toEqualTypeOf<HeaderField<Uint8Array>[]>();
    expect(b[0]!.name).toBeInstanceOf(Uint8Array);
    const o = new HpackDecoder({ maxTableSize: 100 }).decode(Uint8Array.of(0x82));
    expectTypeOf(o).toEqualTypeOf<HeaderField<string>[]>();
  });

  test("the encoder takes what the decoder returns", () => {
    const d = new HpackDecoder();
    const fields = d.decode(new HpackEncoder().encode([{ name: "a", value: "b", sensitive: true }]));
    expect(d.decode(new HpackEncoder().encode(fields))).toEqual(fields);
  });

  test("unique names sent without indexing do not accumulate in the encoder", () => {
    const e = new HpackEncoder({ shouldIndex: () => false });
    for (let i = 0; i < 1000; i++) e.encode([{ name: `x-${i}`, value: "v" }]);
    expect((e as unknown as { names: Map<string, unknown> }).names.size).toBe(0);
    const e2 = new HpackEncoder({ maxTableSize: 100, maxIndexedEntryShare: 1 });
    for (let i = 0; i < 1000; i++) e2.encode([{ name: `x-${i}`, value: "v" }]);
    // Only names with live dynamic entries are tracked: 100 / 37 -> 2 entries.
    expect(e2.dynamicTable().entries).toHaveLength(2);
    expect((e2 as unknown as { names: Map<string, unknown> }).names.size).toBe(2);
  });
});
