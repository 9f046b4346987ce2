import { fc, test } from "@fast-check/vitest";
import { HttpwireError } from "httpwire";
import { HpackDecoder, HpackEncoder, HpackError } from "httpwire/hpack";
import { describe, expect } from "vitest";

const bytesString = (maxLength: number) => fc.uint8Array({ maxLength }).map((b) => String.fromCharCode(...b));
// Names and values drawn from a small pool as well, so the dynamic table gets hits.
const pooled = (maxLength: number) =>
  fc.oneof(bytesString(maxLength), fc.constantFrom("a", "x-b", "cookie", "authorization", ":path", "content-length", "date", ""));
const field = fc.record({
  name: pooled(20),
  value: pooled(60),
  sensitive: fc.option(fc.boolean(), { nil: undefined }),
});
const block = fc.record({
  fields: fc.array(field, { maxLength: 12 }),
  // Table size changes before this block: none, or one or two new sizes.
  resize: fc.option(fc.array(fc.integer({ min: 0, max: 600 }), { minLength: 1, maxLength: 2 }), { nil: undefined }),
});

describe("HPACK properties", () => {
  test.prop([fc.integer({ min: 0, max: 600 }), fc.constantFrom<boolean | "auto">(true, false, "auto"), fc.array(block, { maxLength: 8 })])(
    "field lists round trip through an encoder and a decoder kept in step",
    (initial, huffman, blocks) => {
      const e = new HpackEncoder({ maxTableSize: initial, huffman });
      const d = new HpackDecoder({ maxTableSize: initial, maxHeaderListSize: 1 << 20 });
      for (const b of blocks) {
        for (const size of b.resize ?? []) {
          e.setMaxTableSize(size);
          d.setMaxTableSize(size);
        }
        const out = d.decode(e.encode(b.fields));
        expect(out.map((f) => ({ name: f.name, value: f.value }))).toEqual(b.fields.map((f) => ({ name: f.name, value: f.value })));
        // Fields the caller marked sensitive arrive never-indexed.
        b.fields.forEach((f, i) => {
          if (f.sensitive === true) expect(out[i]!.sensitive).toBe(true);
        });
        expect(d.dynamicTable()).toEqual(e.dynamicTable());
      }
    },
  );

  test.prop([fc.uint8Array({ maxLength: 200 }), fc.integer({ min: 0, max: 4096 }), fc.integer({ min: 0, max: 2000 }), fc.boolean()])(
    "arbitrary bytes give a field list within the limit, or an HpackError",
    (bytes, maxTableSize, maxHeaderListSize, asBytes) => {
      const d = new HpackDecoder({ maxTableSize, maxHeaderListSize, bytes: asBytes });
      try {
        const fields = d.decode(bytes);
        const size = fields.reduce((s, f) => s + f.name.length + f.value.length + 32, 0);
        expect(size).toBeLessThanOrEqual(maxHeaderListSize);
        expect(d.dynamicTable().size).toBeLessThanOrEqual(maxTableSize);
      } catch (e) {
        if (!(e instanceof HpackError)) throw e;
        expect(e).toBeInstanceOf(HttpwireError);
        expect(e.code).toBe(0x09);
        expect(e.scope).toBe("connection");
        expect(typeof e.reason).toBe("string");
        expect(e.offset).toBeGreaterThanOrEqual(0);
        expect(e.offset).toBeLessThanOrEqual(bytes.length);
      }
    },
  );

  test.prop([fc.array(fc.uint8Array({ maxLength: 40 }), { maxLength: 6 })])(
    "a sequence of arbitrary blocks never throws anything but HpackError",
    (blocks) => {
      const d = new HpackDecoder({ maxTableSize: 256 });
      for (const b of blocks) {
        try {
          d.decode(b);
        } catch (e) {
          if (!(e instanceof HpackError)) throw e;
        }
      }
    },
  );
});
