import { describe, expect, test } from "vitest";
import { HpackDecoder, HpackEncoder } from "httpwire/hpack";

// The encoder hands out blocks as views into a shared, never-reused slab
// (docs/hpack.md "Output blocks"): these rows pin what that must not break.
describe("HpackEncoder output blocks", () => {
  test("a block keeps its bytes while later blocks are encoded", () => {
    const e = new HpackEncoder();
    const first = e.encode([{ name: "x-a", value: "1" }]);
    const copy = first.slice();
    for (let i = 0; i < 5000; i++) e.encode([{ name: "x-" + i, value: "v".repeat(i % 50) }]);
    expect(first).toEqual(copy);
    expect(new HpackDecoder().decode(first)).toEqual([{ name: "x-a", value: "1" }]);
  });

  test("a block larger than the slab is exact", () => {
    const e = new HpackEncoder({ huffman: false });
    const value = "v".repeat(100_000);
    const block = e.encode([{ name: "x-big", value }]);
    expect(new HpackDecoder({ maxHeaderListSize: 200_000 }).decode(block)).toEqual([{ name: "x-big", value }]);
    const next = e.encode([{ name: ":method", value: "GET" }]);
    expect([...next]).toEqual([0x82]);
  });

  test("an encode called from another encoder's callback does not overwrite that block", () => {
    const inner = new HpackEncoder();
    let innerBlock: Uint8Array | undefined;
    const outer = new HpackEncoder({
      shouldIndex: () => {
        innerBlock = inner.encode([{ name: "x-inner", value: "inner value" }]);
        return true;
      },
    });
    const outerBlock = outer.encode([{ name: "x-outer", value: "outer value" }]);
    expect(new HpackDecoder().decode(outerBlock)).toEqual([{ name: "x-outer", value: "outer value" }]);
    expect(new HpackDecoder().decode(innerBlock!)).toEqual([{ name: "x-inner", value: "inner value" }]);
  });
});
