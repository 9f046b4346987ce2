/**
 * Model-based test of the decoder's dynamic table: random blocks are built
 * representation by representation with the wire primitives (not with
 * HpackEncoder), and the decoder's output and table are compared with a
 * plain-array model of RFC 7541 §2.3 and §4 after every block.
 */
import { fc, test } from "@fast-check/vitest";
import { encodePrefixInt, encodeStringLiteral, HpackDecoder, STATIC_TABLE } from "httpwire/hpack";
import { describe, expect } from "vitest";

type Rep =
  | { kind: "indexed"; pick: number }
  | {
      kind: "literal";
      mode: "incremental" | "without" | "never";
      namePick: number | undefined;
      name: string;
      value: string;
      huffman: boolean;
    };

const str = (max: number) => fc.uint8Array({ maxLength: max }).map((b) => String.fromCharCode(...b));
const rep: fc.Arbitrary<Rep> = fc.oneof(
  fc.record({ kind: fc.constant("indexed" as const), pick: fc.nat() }),
  fc.record({
    kind: fc.constant("literal" as const),
    mode: fc.constantFrom("incremental" as const, "without" as const, "never" as const),
    namePick: fc.option(fc.nat(), { nil: undefined }),
    name: str(10),
    value: str(40),
    huffman: fc.boolean(),
  }),
);
const blockArb = fc.record({
  update: fc.option(fc.integer({ min: 0, max: 300 }), { nil: undefined }),
  reps: fc.array(rep, { maxLength: 10 }),
});

describe("HpackDecoder against a model of the tables", () => {
  test.prop([fc.array(blockArb, { minLength: 1, maxLength: 8 })])("outputs and dynamic table match the model", (blocks) => {
    const LIMIT = 300;
    const d = new HpackDecoder({ maxTableSize: LIMIT });
    let model: { name: string; value: string }[] = [];
    let max = LIMIT;
    const size = () => model.reduce((s, e) => s + e.name.length + e.value.length + 32, 0);
    const evictTo = (t: number) => {
      while (size() > t) model.pop();
    };
    const entry = (i: number) => (i <= 61 ? { name: STATIC_TABLE[i - 1]![0], value: STATIC_TABLE[i - 1]![1] } : model[i - 62]!);
    for (const b of blocks) {
      const w: number[] = [];
      const expected: { name: string; value: string; sensitive?: boolean }[] = [];
      if (b.update !== undefined) {
        w.push(...encodePrefixInt(b.update, 5, 0x20)); // §6.3
        max = b.update;
        evictTo(max);
      }
      for (const r of b.reps) {
        const count = 61 + model.length;
        if (r.kind === "indexed") {
          const i = 1 + (r.pick % count);
          w.push(...encodePrefixInt(i, 7, 0x80)); // §6.1
          expected.push({ ...entry(i) });
          continue;
        }
        const [flags, bits] = r.mode === "incremental" ? [0x40, 6] : r.mode === "without" ? [0x00, 4] : [0x10, 4];
        let name = r.name;
        if (r.namePick !== undefined) {
          const i = 1 + (r.namePick % count);
          name = entry(i).name;
          w.push(...encodePrefixInt(i, bits, flags));
        } else {
          w.push(...encodePrefixInt(0, bits, flags));
          w.push(...encodeStringLiteral(name, { huffman: r.huffman }));
        }
        w.push(...encodeStringLiteral(r.value, { huffman: r.huffman }));
        expected.push(r.mode === "never" ? { name, value: r.value, sensitive: true } : { name, value: r.value });
        if (r.mode === "incremental") {
          // §4.4: evict first (the name was read above), then add if it fits.
          const s = name.length + r.value.length + 32;
          if (s > max) evictTo(0);
          else {
            evictTo(max - s);
            model.unshift({ name, value: r.value });
          }
        }
      }
      expect(d.decode(Uint8Array.from(w))).toEqual(expected);
      const t = d.dynamicTable();
      expect(t.entries.map((e) => ({ name: e.name, value: e.value }))).toEqual(model);
      expect(t.size).toBe(size());
      expect(t.maxSize).toBe(max);
    }
    model = [];
  });
});
