import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { ByteArena, SLAB_MAX_TAKE, slabCommit, slabCopy, slabLend, slabTake } from "../../src/shared/slab.js";

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

describe("slabTake while the slab is lent to a writer", () => {
  test("takes memory of its own, so the writer's lent bytes are never shared", () => {
    // E.g. an HPACK encoder's indexing callback that decodes a frame gathered across chunks.
    // At least 1,024 bytes lent, 64 kept: the take after the commit fits in the same slab.
    const { buf, start } = slabLend(1024);
    buf.fill(0xaa, start, start + 64);
    const t = slabTake(16, 16_384);
    t.fill(0x55);
    expect(t.buffer).not.toBe(buf.buffer);
    expect(buf.subarray(start, start + 64).every((x) => x === 0xaa)).toBe(true);
    slabCommit(buf, start + 64);
    // Lent no more: takes come from the slab again, after what the writer kept.
    const u = slabTake(16);
    expect(u.buffer).toBe(buf.buffer);
    expect(u.byteOffset).toBeGreaterThanOrEqual(start + 64);
  });
});

describe("ByteArena", () => {
  test("takes are consecutive views of one chunk until it is full; over a quarter of a chunk, memory of its own", () => {
    const a = new ByteArena(64);
    const x = a.take(10);
    const y = a.take(16);
    expect(x.buffer).toBe(y.buffer);
    expect([x.byteOffset, y.byteOffset, x.buffer.byteLength]).toEqual([0, 10, 64]);
    x.fill(1);
    expect(y.every((b) => b === 0)).toBe(true);
    a.take(16);
    a.take(16); // 58 of 64 used
    const z = a.take(7); // does not fit: a new chunk
    expect(z.buffer).not.toBe(x.buffer);
    expect(z.byteOffset).toBe(0);
    const big = a.take(17); // over 64 / 4
    expect([big.byteOffset, big.buffer.byteLength]).toEqual([0, 17]);
    expect(a.take(1).buffer).toBe(z.buffer);
  });

  test("rewind gives back the takes since mark, in the same chunk or from the start of a new one", () => {
    const a = new ByteArena(256); // takes up to 64 bytes come from chunks
    a.take(10);
    a.mark();
    const given = a.take(8);
    a.rewind();
    const again = a.take(8);
    expect([given.byteOffset, again.byteOffset, again.buffer === given.buffer]).toEqual([10, 10, true]);
    for (const n of [60, 60, 60]) a.take(n); // 198 of 256 used
    const last = a.take(58); // 256: fits
    expect(last.byteOffset).toBe(198);
    a.mark();
    const next = a.take(5); // a new chunk
    expect([next.buffer === last.buffer, next.byteOffset]).toEqual([false, 0]);
    a.take(7);
    a.rewind();
    const after = a.take(3);
    expect([after.buffer === next.buffer, after.byteOffset]).toEqual([true, 0]);
  });

  test("a FIFO of at most L bytes pins at most L / (0.75 chunk) + 2 chunks", () => {
    const chunk = 256;
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 300 }), { minLength: 1, maxLength: 400 }),
        fc.integer({ min: 1, max: 2000 }),
        (sizes, limit) => {
          const a = new ByteArena(chunk);
          const live: Uint8Array[] = [];
          let used = 0;
          for (const n of sizes) {
            if (n > limit) continue;
            live.push(a.take(n));
            used += n;
            while (used > limit) used -= live.shift()!.length;
            const pinned = new Set(live.filter((v) => v.buffer.byteLength === chunk).map((v) => v.buffer));
            expect(pinned.size).toBeLessThanOrEqual(Math.floor(limit / (0.75 * chunk)) + 2);
          }
        },
      ),
    );
  });
});
