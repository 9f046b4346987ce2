import { fc, test } from "@fast-check/vitest";
import { describe, expect } from "vitest";
import { DynamicTable } from "../../src/hpack/dynamic-table.js";

type Op = { kind: "add"; name: string; value: string } | { kind: "resize"; size: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant("add" as const),
      name: fc.string({ maxLength: 12 }),
      value: fc.string({ maxLength: 40 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("resize" as const), size: fc.integer({ min: 0, max: 400 }) }) },
);

describe("DynamicTable against a plain-array model (RFC 7541 §4)", () => {
  test.prop([fc.integer({ min: 0, max: 400 }), fc.array(op, { maxLength: 80 })])("same entries, size and evictions", (initial, ops) => {
    const t = new DynamicTable<string>(initial);
    const evicted: string[] = [];
    t.onEvict = (n, v) => evicted.push(`${n}\0${v}`);
    let model: { name: string; value: string }[] = [];
    let max = initial;
    const modelEvicted: string[] = [];
    const size = () => model.reduce((s, e) => s + e.name.length + e.value.length + 32, 0);
    const evictTo = (target: number) => {
      while (size() > target && model.length > 0) {
        const e = model.pop()!;
        modelEvicted.push(`${e.name}\0${e.value}`);
      }
    };
    for (const o of ops) {
      if (o.kind === "add") {
        const s = o.name.length + o.value.length + 32;
        if (s > max) evictTo(0);
        else {
          evictTo(max - s);
          model.unshift({ name: o.name, value: o.value });
        }
        t.add(o.name, o.value);
      } else {
        max = o.size;
        evictTo(max);
        t.setMaxSize(o.size);
      }
      expect(t.count).toBe(model.length);
      expect(t.size).toBe(size());
      expect(t.size).toBeLessThanOrEqual(max);
    }
    expect(t.snapshot().entries.map((e) => ({ name: e.name, value: e.value }))).toEqual(model);
    for (let i = 1; i <= model.length; i++) {
      expect(t.name(i)).toBe(model[i - 1]!.name);
      expect(t.value(i)).toBe(model[i - 1]!.value);
    }
    expect(evicted).toEqual(modelEvicted);
    model = [];
  });
});
