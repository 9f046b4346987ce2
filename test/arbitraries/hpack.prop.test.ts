// The HPACK arbitraries produce what they claim: hand-built representation
// sequences decode to their stated fields with one decoder context, blocks
// from HpackEncoder decode back, and each malformed kind is a
// COMPRESSION_ERROR (RFC 7541, RFC 9113 §4.3).
import { fc, test } from "@fast-check/vitest";
import type { HpackMalformedKind } from "httpwire/arbitraries";
import { headerList, hpackBlocks, hpackEncodedBlocks, hpackMalformedBlock, opaqueFieldList } from "httpwire/arbitraries";
import { HpackDecoder, HpackEncoder, HpackError } from "httpwire/hpack";
import { describe, expect } from "vitest";

const plain = (fields: readonly { name: string; value: string }[]) => fields.map(({ name, value }) => ({ name, value }));

describe("hpackBlocks", () => {
  test.prop([hpackBlocks()])("blocks decode in order to their stated fields", ({ blocks, fields, maxTableSize }) => {
    const d = new HpackDecoder({ maxTableSize });
    for (const [i, b] of blocks.entries()) expect(plain(d.decode(b))).toEqual(fields[i]);
  });
  test.prop([fc.array(fc.oneof(headerList(), opaqueFieldList()), { minLength: 1, maxLength: 4 })])(
    "HpackEncoder blocks of generated lists decode back with one context",
    (lists) => {
      const e = new HpackEncoder({ validate: false });
      const d = new HpackDecoder();
      for (const l of lists) expect(plain(d.decode(e.encode(l)))).toEqual(l);
    },
  );
});

describe("hpackEncodedBlocks", () => {
  test.prop([hpackEncodedBlocks()])("blocks from HpackEncoder decode back in order", ({ blocks, fields, maxTableSize }) => {
    const d = new HpackDecoder({ maxTableSize });
    for (const [i, b] of blocks.entries()) expect(plain(d.decode(b))).toEqual(fields[i]);
  });
});

describe("hpackMalformedBlock", () => {
  test.prop([hpackMalformedBlock()])("every kind is a connection COMPRESSION_ERROR", ({ bytes, expected }) => {
    let thrown: unknown;
    try {
      new HpackDecoder().decode(bytes);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(HpackError);
    const e = thrown as HpackError;
    expect({ code: e.code, codeName: e.codeName, scope: e.scope }).toEqual({
      code: expected.code,
      codeName: expected.codeName,
      scope: expected.scope,
    });
    if (expected.reason !== undefined) expect(e.reason).toBe(expected.reason);
    else expect(e.reason).toMatch(/_truncated$/);
  });
  const kinds: HpackMalformedKind[] = [
    "index-zero",
    "index-out-of-range",
    "name-index-out-of-range",
    "integer-overflow",
    "size-update-above-limit",
    "size-update-after-field",
    "huffman-eos",
    "huffman-padding-too-long",
    "huffman-padding-not-ones",
    "truncated",
  ];
  test.each(kinds.map((k) => [k]))("%s is generated and rejected", (kind) => {
    for (const c of fc.sample(hpackMalformedBlock({ kinds: [kind] }), { numRuns: 8, seed: 5 })) {
      expect(c.kind).toBe(kind);
      expect(() => new HpackDecoder().decode(c.bytes)).toThrow(HpackError);
    }
  });
});
