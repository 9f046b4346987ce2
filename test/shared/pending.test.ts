import { fc, test as propTest } from "@fast-check/vitest";
import { describe, expect, test } from "vitest";
import { concatBytes } from "../../src/shared/bytes.js";
import { booleanOption, integerOption } from "../../src/shared/options.js";
import { PendingBytes } from "../../src/shared/pending.js";

describe("PendingBytes", () => {
  test("appends, views and consumes front to back, tracking the absolute offset", () => {
    const p = new PendingBytes();
    p.append(Uint8Array.of(1, 2, 3, 4, 5), 1, 4);
    expect([...p.view()]).toEqual([2, 3, 4]);
    p.consume(2);
    expect([...p.view()]).toEqual([4]);
    expect([p.base, p.length, p.offsetEnd]).toEqual([2, 1, 3]);
    p.append(Uint8Array.of(9));
    expect([...p.view()]).toEqual([4, 9]);
    p.clear();
    expect([p.length, p.base]).toEqual([0, 4]);
  });

  test("takeAll hands the bytes over: later appends never change them", () => {
    const p = new PendingBytes();
    p.append(Uint8Array.of(7, 8, 9));
    const taken = p.takeAll();
    p.append(Uint8Array.of(1, 1, 1, 1));
    expect([...taken]).toEqual([7, 8, 9]);
    expect([...p.view()]).toEqual([1, 1, 1, 1]);
    expect(p.base).toBe(3);
  });

  propTest.prop([fc.array(fc.tuple(fc.uint8Array({ maxLength: 40 }), fc.nat({ max: 50 })), { maxLength: 60 })])(
    "any sequence of appends and consumes holds what a plain array model holds",
    (steps) => {
      const p = new PendingBytes();
      let model: number[] = [];
      for (const [bytes, drop] of steps) {
        p.append(bytes);
        model.push(...bytes);
        const n = Math.min(drop, model.length);
        p.consume(n);
        model = model.slice(n);
        expect([...p.view()]).toEqual(model);
      }
    },
  );

  test("feeding n bytes one at a time copies O(n) bytes in total, whatever is held", () => {
    // Count the bytes the holder copies by watching its buffer's growth and compaction.
    const copied = (n: number): number => {
      const p = new PendingBytes();
      const one = new Uint8Array(1);
      let total = 0;
      for (let i = 0; i < n; i++) {
        const before = p.view().buffer;
        const held = p.length;
        p.append(one);
        if (p.view().buffer !== before) total += held; // moved to a grown buffer
        total += 1;
        if (i % 3 === 2) p.consume(1); // keep consuming a little, so compaction happens too
      }
      return total;
    };
    expect(copied(100_000)).toBeLessThan(4 * 100_000);
  });
});

describe("concatBytes", () => {
  test("joins parts in order; one part is returned as it is; none gives an empty array", () => {
    const a = Uint8Array.of(1, 2);
    expect([...concatBytes([a, Uint8Array.of(), Uint8Array.of(3)])]).toEqual([1, 2, 3]);
    expect([...concatBytes([a, Uint8Array.of(3)], 3)]).toEqual([1, 2, 3]);
    expect(concatBytes([a])).toBe(a);
    expect(concatBytes([]).length).toBe(0);
  });
});

describe("option checks", () => {
  test("integerOption returns the value or the default and refuses anything else with RangeError", () => {
    expect(integerOption("X", "n", undefined, 7, 0, 10)).toBe(7);
    expect(integerOption("X", "n", 10, 7, 0, 10)).toBe(10);
    expect(() => integerOption("X", "n", 11, 7, 0, 10)).toThrow(new RangeError("X: option n must be an integer in 0..10, got 11"));
    expect(() => integerOption("X", "n", 1.5, 7, 0, 10)).toThrow(RangeError);
    expect(() => integerOption("X", "n", Number.NaN, 7, 0, 10)).toThrow(RangeError);
  });

  test("booleanOption refuses a non-boolean with TypeError", () => {
    expect(booleanOption("X", "b", undefined, true)).toBe(true);
    expect(booleanOption("X", "b", false, true)).toBe(false);
    expect(() => booleanOption("X", "b", 1 as unknown as boolean, true)).toThrow(
      new TypeError("X: option b must be a boolean, got number"),
    );
  });
});
