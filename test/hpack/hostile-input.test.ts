/**
 * Issue 12 regressions in httpwire/hpack: work that grew with the square of
 * the input (finding 10), memory a peer controlled (finding 11) and the
 * decompression bomb under default limits (finding 9).
 */

import {
  DEFAULT_MAX_HEADER_LIST_SIZE,
  DEFAULT_TABLE_SIZE_LIMIT,
  encodePrefixInt,
  encodeStringLiteral,
  HpackDecoder,
  HpackEncoder,
} from "httpwire/hpack";
import { describe, expect, test } from "vitest";
import { countWork, oneByteAtATime } from "../helpers/work.js";
import { caught } from "./caught.js";

/** A field block holding one literal without indexing, name "x", whose value is `n` bytes of "a". */
function bigLiteral(n: number, huffman: boolean): Uint8Array {
  const name = encodeStringLiteral("x", { huffman: false });
  const value = encodeStringLiteral("a".repeat(n), { huffman });
  const block = new Uint8Array(1 + name.length + value.length);
  block[0] = 0x00;
  block.set(name, 1);
  block.set(value, 1 + name.length);
  return block;
}

/** Counted work (test/helpers/work.ts) to feed `block` to a fresh decoder one byte per write(). */
function oneByteFragments(block: Uint8Array): number {
  const d = new HpackDecoder({ maxHeaderListSize: 1 << 21 });
  let fields = 0;
  const work = countWork(() => {
    oneByteAtATime(block, (piece) => {
      fields += d.write(piece).length;
    });
    d.end();
  });
  expect(fields).toBe(1);
  return work;
}

describe("issue 12 finding 10: write() in 1-byte fragments is linear", () => {
  test.each([false, true])("a large literal (huffman %s) costs the same counted work per byte at N and 8N", (huffman) => {
    const n = 16 * 1024;
    const small = bigLiteral(n, huffman);
    const large = bigLiteral(8 * n, huffman);
    const perByteSmall = oneByteFragments(small) / small.length;
    const perByteLarge = oneByteFragments(large) / large.length;
    // Re-joining the held bytes on every fragment copied n^2/2 bytes (8.7 s for
    // 256 KB before the fix): 8x the work per byte here. Linear: the held
    // bytes are copied a bounded number of times (geometric growth) and the
    // value is decoded once.
    expect(perByteLarge / perByteSmall).toBeLessThan(1.5);
    expect(perByteLarge).toBeLessThan(16);
  });

  test("the outcome is the one of decode(), field and table alike", () => {
    const e = new HpackEncoder({ maxIndexedEntryShare: 1 });
    const block = e.encode([
      { name: "x-long", value: "v".repeat(3000) },
      { name: ":path", value: `/${"p".repeat(200)}` },
      { name: "x-long", value: "v".repeat(3000) },
    ]);
    const whole = new HpackDecoder();
    const parts = new HpackDecoder({});
    const expected = whole.decode(block);
    const got = [];
    for (let i = 0; i < block.length; i++) got.push(...parts.write(block.subarray(i, i + 1)));
    parts.end();
    expect(got).toEqual(expected);
    expect(parts.dynamicTable()).toEqual(whole.dynamicTable());
  });

  test("bytes mode: raw literals that straddled fragments stay valid after later writes", () => {
    const first = bigLiteral(100, false);
    const second = bigLiteral(100, false).map((x, i) => (i > 3 ? 0x62 : x));
    const block = new Uint8Array(first.length + second.length);
    block.set(first);
    block.set(second, first.length);
    const d = new HpackDecoder({ bytes: true });
    const got = [];
    for (let i = 0; i < block.length; i++) got.push(...d.write(block.subarray(i, i + 1)));
    d.end();
    // The second literal was held in the same reused buffer after the first completed.
    expect(got.map((f) => new TextDecoder().decode(f.value))).toEqual(["a".repeat(100), "b".repeat(100)]);
  });
});

describe("issue 12 finding 11: the encoder's table is capped locally", () => {
  test("500,000 distinct etag values under a peer setting of 2^32 - 1 leave at most 4096 octets", () => {
    const peer = 2 ** 32 - 1;
    const e = new HpackEncoder({ maxTableSize: peer });
    const d = new HpackDecoder({ maxTableSize: peer });
    // The first field block announces the encoder's size (RFC 7541 §4.2, §6.3): 001 11111 + (4096 - 31).
    const first = e.encode([{ name: "etag", value: '"0"' }]);
    expect(Array.from(first.subarray(0, 3))).toEqual(Array.from(encodePrefixInt(4096, 5, 0x20)));
    expect(d.decode(first)).toEqual([{ name: "etag", value: '"0"' }]);
    expect(d.lastSizeUpdates()).toEqual([4096]);
    for (let i = 1; i < 500_000; i++) {
      const block = e.encode([{ name: "etag", value: `"${i.toString(16)}"` }]);
      if (i % 50_000 === 0) expect(d.decode(block)).toEqual([{ name: "etag", value: `"${i.toString(16)}"` }]);
    }
    const t = e.dynamicTable();
    expect(t.maxSize).toBe(DEFAULT_TABLE_SIZE_LIMIT);
    expect(t.size).toBeLessThanOrEqual(4096);
    expect(t.entries.length).toBeLessThanOrEqual(4096 / 32);
  });

  test("setMaxTableSize takes min(peer, tableSizeLimit) and signals the minimum first", () => {
    const e = new HpackEncoder({ tableSizeLimit: 1000 });
    const d = new HpackDecoder();
    // The peer's initial 4096 is above the limit: announce 1000.
    d.decode(e.encode([{ name: "a", value: "b" }]));
    expect(d.lastSizeUpdates()).toEqual([1000]);
    e.setMaxTableSize(100);
    d.setMaxTableSize(100);
    e.setMaxTableSize(1 << 20);
    d.setMaxTableSize(1 << 20);
    d.decode(e.encode([{ name: "a", value: "b" }]));
    expect(d.lastSizeUpdates()).toEqual([100, 1000]);
    expect(e.dynamicTable().maxSize).toBe(1000);
    // Raising the peer's setting above the limit changes nothing: no update.
    e.setMaxTableSize(1 << 21);
    d.setMaxTableSize(1 << 21);
    d.decode(e.encode([{ name: "a", value: "b" }]));
    expect(d.lastSizeUpdates()).toEqual([]);
    expect(() => new HpackEncoder({ tableSizeLimit: -1 })).toThrow(RangeError);
  });
});

describe("issue 12 finding 9: the HPACK bomb under default limits", () => {
  test("4 KiB of 0xbe cannot decode to a 16.7 MB field list", () => {
    expect(DEFAULT_MAX_HEADER_LIST_SIZE).toBe(65_536);
    const d = new HpackDecoder();
    // One 4,033-octet entry (name "a", 4,000-octet value) ...
    const insert = [0x40, ...encodeStringLiteral("a", { huffman: false }), ...encodeStringLiteral("v".repeat(4000), { huffman: false })];
    expect(d.decode(Uint8Array.from(insert))).toHaveLength(1);
    // ... referenced 4,096 times: 16.5 MB unbounded, refused at the 17th reference.
    const bomb = new Uint8Array(4096).fill(0xbe);
    const err = caught(() => d.decode(bomb));
    expect(err.reason).toBe("header_list_too_large");
    expect(err.offset).toBe(16);
    const parts = new HpackDecoder();
    parts.decode(Uint8Array.from(insert));
    let fields = 0;
    const e2 = caught(() => {
      for (let i = 0; i < bomb.length; i += 512) fields += parts.write(bomb.subarray(i, i + 512)).length;
    });
    expect(e2.reason).toBe("header_list_too_large");
    expect(fields).toBe(0);
  });
});
