import { fc, test } from "@fast-check/vitest";
import { describe, expect } from "vitest";
import { PairIndex, pairHash } from "../../src/shared/pair-index.js";

// Insertions interleaved with evictions (the oldest live id moves up), as the
// encoder's dynamic table does; every lookup is checked against a plain list.
type Op = { kind: "add"; key: number; value: string } | { kind: "evict"; n: number } | { kind: "find"; key: number; value: string };

const value = fc.oneof(fc.constantFrom("", "a", "b", "gzip", "x".repeat(40), `${"y".repeat(39)}z`), fc.string({ maxLength: 50 }));
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant("add" as const), key: fc.integer({ min: 1, max: 4 }), value }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("evict" as const), n: fc.integer({ min: 1, max: 5 }) }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant("find" as const), key: fc.integer({ min: 1, max: 4 }), value }) },
);

function run(ops: Op[], index: PairIndex<number>): void {
  const live: { id: number; key: number; value: string }[] = [];
  let next = 0;
  let oldest = 0;
  for (const o of ops) {
    if (o.kind === "add") {
      const id = next++;
      live.push({ id, key: o.key, value: o.value });
      index.add(id, o.key, o.value, pairHash(o.key, o.value), oldest);
    } else if (o.kind === "evict") {
      const n = Math.min(o.n, live.length);
      live.splice(0, n);
      oldest = live.length > 0 ? live[0]!.id : next;
    } else {
      let want = -1;
      for (const e of live) if (e.key === o.key && e.value === o.value) want = e.id;
      expect(index.find(o.key, o.value, pairHash(o.key, o.value), oldest)).toBe(want);
    }
  }
}

describe("PairIndex (the HPACK encoder's (name, value) index)", () => {
  test.prop([fc.array(op, { maxLength: 300 })])("finds the newest live entry, never an evicted one (2 buckets per slot)", (ops) => {
    run(ops, new PairIndex<number>(2));
  });

  test.prop([fc.array(op, { maxLength: 300 })])("the same with every entry colliding (one bucket in all)", (ops) => {
    run(ops, new PairIndex<number>(1, 1 / 1024));
  });

  test("values equal at every sampled position collide and are still told apart", () => {
    // 64 characters: the hash samples every 5th and the last; these differ only in between.
    const a = `${"a".repeat(31)}b${"a".repeat(32)}`;
    const b = `${"a".repeat(31)}c${"a".repeat(32)}`;
    expect(pairHash(1, a)).toBe(pairHash(1, b));
    const index = new PairIndex<number>(4);
    index.add(0, 1, a, pairHash(1, a), 0);
    index.add(1, 1, b, pairHash(1, b), 0);
    expect(index.find(1, a, pairHash(1, a), 0)).toBe(0);
    expect(index.find(1, b, pairHash(1, b), 0)).toBe(1);
    expect(index.find(1, a, pairHash(1, a), 1)).toBe(-1); // id 0 evicted
    expect(index.find(2, b, pairHash(2, b), 0)).toBe(-1); // another name
  });

  test("grows past its capacity and keeps every live entry", () => {
    const index = new PairIndex<number>(2);
    for (let id = 0; id < 100; id++) index.add(id, 1, `v${id}`, pairHash(1, `v${id}`), 0);
    for (let id = 0; id < 100; id++) expect(index.find(1, `v${id}`, pairHash(1, `v${id}`), 0)).toBe(id);
    expect((index as unknown as { keys: unknown[] }).keys.length).toBe(128);
  });
});
