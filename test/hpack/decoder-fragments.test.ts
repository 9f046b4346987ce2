/** HpackDecoder.write()/end(): decoding a field block fragment by fragment. */
import { fc, test as ptest } from "@fast-check/vitest";
import { HpackDecoder, HpackEncoder, HpackError } from "httpwire/hpack";
import { describe, expect, test } from "vitest";
import { hex as unhex } from "../helpers/hex.js";
import { caught } from "./caught.js";

describe("HpackDecoder fragments", () => {
  test("RFC 7541 C.4.1 fed one byte at a time yields each field as it completes", () => {
    const block = unhex("828684418cf1e3c2e5f23a6ba0ab90f4ff");
    const d = new HpackDecoder();
    const seen: number[] = [];
    const fields = [];
    for (let i = 0; i < block.length; i++) {
      const got = d.write(block.subarray(i, i + 1));
      if (got.length > 0) seen.push(i);
      fields.push(...got);
    }
    d.end();
    expect(fields).toEqual([
      { name: ":method", value: "GET" },
      { name: ":scheme", value: "http" },
      { name: ":path", value: "/" },
      { name: ":authority", value: "www.example.com" },
    ]);
    expect(seen).toEqual([0, 1, 2, 16]);
    expect(d.dynamicTable().size).toBe(57);
    // The next block can use either API.
    expect(d.decode(unhex("be"))).toEqual([{ name: ":authority", value: "www.example.com" }]);
  });

  test("a block cut inside a literal fails at end() with the offset in the block", () => {
    const d = new HpackDecoder();
    expect(d.write(unhex("82 41"))).toEqual([{ name: ":method", value: "GET" }]);
    expect(d.write(unhex("05 6162"))).toEqual([]);
    const e = caught(() => d.end());
    expect(e.reason).toBe("string_truncated");
    expect(e.offset).toBe(2);
    expect(caught(() => d.write(unhex("82")))).toBe(e);
  });

  test("a cut integer fails at end() as integer_truncated", () => {
    const d = new HpackDecoder();
    d.write(unhex("82 ff"));
    const e = caught(() => d.end());
    expect(e.reason).toBe("integer_truncated");
    expect(e.offset).toBe(1);
  });

  test("an oversized declared length is refused at once, without waiting for its data", () => {
    const d = new HpackDecoder({ maxStringLength: 100 });
    const e = caught(() => d.write(unhex("00 7f e5 07"))); // name length 127 + 997 = 1124
    expect(e.reason).toBe("string_too_long");
    expect(e.offset).toBe(1);
  });

  test("errors in later fragments carry block offsets", () => {
    const d = new HpackDecoder();
    d.write(unhex("82 86"));
    const e = caught(() => d.write(unhex("84 80")));
    expect(e.reason).toBe("index_zero");
    expect(e.offset).toBe(3);
  });

  test("size-update rules span fragments", () => {
    const d = new HpackDecoder();
    d.write(unhex("82"));
    expect(caught(() => d.write(unhex("20"))).reason).toBe("size_update_not_at_start");
    const d2 = new HpackDecoder();
    d2.setMaxTableSize(0);
    d2.write(unhex("20"));
    expect(d2.write(unhex("82"))).toEqual([{ name: ":method", value: "GET" }]);
    d2.end();
    expect(d2.lastSizeUpdates()).toEqual([0]);
  });

  test("decode() while a fragmented block is open is a caller error", () => {
    const d = new HpackDecoder();
    d.write(unhex("82"));
    expect(() => d.decode(unhex("82"))).toThrow(Error);
    d.end();
    expect(d.decode(unhex("82"))).toHaveLength(1);
  });

  test("end() without write() is a no-op; an empty block is fine", () => {
    const d = new HpackDecoder();
    d.end();
    expect(d.write(new Uint8Array(0))).toEqual([]);
    d.end();
  });

  ptest.prop([
    fc.array(
      fc.array(
        fc.record({
          name: fc.string({ maxLength: 8 }).map((s) => s.replace(/[\u0100-\uffff]/g, "")),
          value: fc.string({ maxLength: 30 }).map((s) => s.replace(/[\u0100-\uffff]/g, "")),
        }),
        { maxLength: 8 },
      ),
      { minLength: 1, maxLength: 5 },
    ),
    fc.array(fc.nat(), { maxLength: 6 }),
    fc.boolean(),
  ])("any split of any block gives the same fields and table as decode()", (lists, cuts, asBytes) => {
    const e = new HpackEncoder({ maxTableSize: 200 });
    const whole = new HpackDecoder({ maxTableSize: 200, bytes: asBytes });
    const parts = new HpackDecoder({ maxTableSize: 200, bytes: asBytes });
    for (const list of lists) {
      const block = e.encode(list);
      const expected = whole.decode(block);
      const points = [...new Set(cuts.map((c) => (block.length === 0 ? 0 : c % (block.length + 1))))].sort((a, b) => a - b);
      const got = [];
      let prev = 0;
      for (const p of [...points, block.length]) {
        got.push(...parts.write(block.slice(prev, p)));
        prev = p;
      }
      parts.end();
      expect(got).toEqual(expected);
      expect(parts.dynamicTable()).toEqual(whole.dynamicTable());
    }
  });

  ptest.prop([fc.uint8Array({ maxLength: 120 }), fc.array(fc.nat({ max: 120 }), { maxLength: 5 })])(
    "arbitrary bytes in arbitrary fragments: same outcome as decode()",
    (bytes, cuts) => {
      const run = (f: () => unknown[]): { ok: unknown[] } | { reason: string; offset: number | undefined } => {
        try {
          return { ok: f() };
        } catch (err) {
          if (!(err instanceof HpackError)) throw err;
          return { reason: err.reason, offset: err.offset };
        }
      };
      const a = run(() => new HpackDecoder({ maxTableSize: 256 }).decode(bytes));
      const d = new HpackDecoder({ maxTableSize: 256 });
      const b = run(() => {
        const out: unknown[] = [];
        let prev = 0;
        for (const p of [...cuts.map((c) => Math.min(c, bytes.length)).sort((x, y) => x - y), bytes.length]) {
          out.push(...d.write(bytes.subarray(prev, p)));
          prev = p;
        }
        d.end();
        return out;
      });
      if ("ok" in a && "ok" in b) expect(b.ok).toEqual(a.ok);
      else if ("reason" in a && "reason" in b) {
        // The same check fails; only a truncation can be found at a different point (at end()).
        expect(b.reason).toBe(a.reason);
        expect(b.offset).toBe(a.offset);
      } else expect(b).toEqual(a);
    },
  );
});
