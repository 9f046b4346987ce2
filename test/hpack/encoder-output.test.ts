import { HpackDecoder, HpackEncoder } from "httpwire/hpack";
import { describe, expect, test } from "vitest";

// The encoder hands out blocks as views into a shared, never-reused slab
// (docs/hpack.md "Output blocks"): these rows pin what that must not break.
describe("HpackEncoder output blocks", () => {
  test("a block keeps its bytes while later blocks are encoded", () => {
    const e = new HpackEncoder();
    const first = e.encode([{ name: "x-a", value: "1" }]);
    const copy = first.slice();
    for (let i = 0; i < 5000; i++) e.encode([{ name: `x-${i}`, value: "v".repeat(i % 50) }]);
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

  test("an evicted value is sent as a literal again, and stale value ids do not pile up", () => {
    // 4 entries of 32 + 4 + 5 = 41 octets fit in 170: "date" stays live while its old values go.
    const e = new HpackEncoder({ maxTableSize: 170, maxIndexedEntryShare: 1 });
    const d = new HpackDecoder({ maxTableSize: 170 });
    for (let i = 0; i < 500; i++) {
      const fields = [{ name: "date", value: String(10000 + i) }];
      expect(d.decode(e.encode(fields))).toEqual(fields);
    }
    const first = [{ name: "date", value: "10000" }];
    const block = e.encode(first);
    expect(block[0]! & 0xc0).toBe(0x40); // literal with incremental indexing, not a stale index
    expect(d.decode(block)).toEqual(first);
    // The (name, value) index holds slots for live entries only: 4 live entries, so its first 16 slots
    // (it doubles only when more entries than slots are live at once), not one per value ever sent.
    const pairs = (e as unknown as { pairs: { keys: unknown[] } }).pairs;
    expect(pairs.keys.length).toBe(16);
  });
});
