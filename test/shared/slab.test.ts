import { describe, expect, test } from "vitest";
import { SLAB_MAX_TAKE, slabCopy, slabTake } from "../../src/shared/slab.js";

describe("slabCopy", () => {
  test("copies the first n bytes, short (loop) and long (set), into memory no later take shares", () => {
    const src = Uint8Array.from({ length: 100 }, (_, i) => i);
    for (const n of [0, 1, 5, 32, 33, 100]) {
      const b = slabCopy(src, n);
      expect([...b]).toEqual([...src.subarray(0, n)]);
      const next = slabTake(8);
      next.fill(0xff);
      expect([...b]).toEqual([...src.subarray(0, n)]);
    }
  });

  test("above SLAB_MAX_TAKE the copy has memory of its own", () => {
    const src = new Uint8Array(SLAB_MAX_TAKE + 1).fill(7);
    const b = slabCopy(src, src.length);
    expect(b.byteOffset).toBe(0);
    expect(b.buffer.byteLength).toBe(src.length);
    expect(b.every((x) => x === 7)).toBe(true);
  });
});
