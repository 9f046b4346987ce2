/**
 * Arbitraries for HPACK (RFC 7541): raw representation sequences built by
 * hand against a model dynamic table (so the expected fields are known
 * without any encoder), and malformed blocks with the error they must raise.
 * Blocks built with the toolkit's own `HpackEncoder` are one `map` away:
 * `headerList().map((f) => new HpackEncoder().encode(f))`.
 * @module
 */

import type { Arbitrary } from "fast-check";
import * as fc from "fast-check";
import { HpackEncoder } from "../hpack/index.js";
import { concatBytes, latin1Bytes, prefixIntBytes } from "./bytes.js";
import type { ExpectedError, MalformedCase } from "./expected.js";
import type { HeaderField } from "./header-list.js";
import { headerList, opaqueFieldList } from "./header-list.js";

/** RFC 7541 Appendix A static table, index 1..61. */
export const HPACK_STATIC_TABLE: ReadonlyArray<readonly [string, string]> = [
  [":authority", ""],
  [":method", "GET"],
  [":method", "POST"],
  [":path", "/"],
  [":path", "/index.html"],
  [":scheme", "http"],
  [":scheme", "https"],
  [":status", "200"],
  [":status", "204"],
  [":status", "206"],
  [":status", "304"],
  [":status", "400"],
  [":status", "404"],
  [":status", "500"],
  ["accept-charset", ""],
  ["accept-encoding", "gzip, deflate"],
  ["accept-language", ""],
  ["accept-ranges", ""],
  ["accept", ""],
  ["access-control-allow-origin", ""],
  ["age", ""],
  ["allow", ""],
  ["authorization", ""],
  ["cache-control", ""],
  ["content-disposition", ""],
  ["content-encoding", ""],
  ["content-language", ""],
  ["content-length", ""],
  ["content-location", ""],
  ["content-range", ""],
  ["content-type", ""],
  ["cookie", ""],
  ["date", ""],
  ["etag", ""],
  ["expect", ""],
  ["expires", ""],
  ["from", ""],
  ["host", ""],
  ["if-match", ""],
  ["if-modified-since", ""],
  ["if-none-match", ""],
  ["if-range", ""],
  ["if-unmodified-since", ""],
  ["last-modified", ""],
  ["link", ""],
  ["location", ""],
  ["max-forwards", ""],
  ["proxy-authenticate", ""],
  ["proxy-authorization", ""],
  ["range", ""],
  ["referer", ""],
  ["refresh", ""],
  ["retry-after", ""],
  ["server", ""],
  ["set-cookie", ""],
  ["strict-transport-security", ""],
  ["transfer-encoding", ""],
  ["user-agent", ""],
  ["vary", ""],
  ["via", ""],
  ["www-authenticate", ""],
];

/** One step of a representation sequence, before it is bound to a table state. */
type Step =
  | { op: "indexed"; pick: number }
  | { op: "literal"; mode: "incremental" | "without" | "never"; nameRef: boolean; pick: number; field: HeaderField }
  | { op: "size"; size: number };

/** A generated HPACK block sequence: blocks decoded in order with one decoder give `fields`. */
export interface HpackBlocksCase {
  /** Header blocks, to decode in order with one decoder context. */
  readonly blocks: Uint8Array[];
  /** The field list each block must decode to. */
  readonly fields: HeaderField[][];
  /** The dynamic table size limit the blocks assume (SETTINGS_HEADER_TABLE_SIZE), default 4096. */
  readonly maxTableSize: number;
}

function str(s: string): Uint8Array {
  // Raw (non-Huffman) string literal, RFC 7541 §5.2.
  return concatBytes([prefixIntBytes(s.length, 7, 0), latin1Bytes(s)]);
}

/** Entry size per RFC 7541 §4.1: name octets + value octets + 32. */
function entrySize(f: HeaderField): number {
  return f.name.length + f.value.length + 32;
}

function fieldArb(): Arbitrary<HeaderField> {
  return fc.oneof(
    headerList({ maxFields: 3 }).map((l) => l[l.length - 1]!),
    opaqueFieldList({ maxFields: 1, maxLength: 30 })
      .filter((l) => l.length === 1)
      .map((l) => l[0]!),
  );
}

function stepArb(): Arbitrary<Step> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.nat().map((pick): Step => ({ op: "indexed", pick })) },
    {
      weight: 4,
      arbitrary: fc
        .record({
          mode: fc.constantFrom("incremental" as const, "without" as const, "never" as const),
          nameRef: fc.boolean(),
          pick: fc.nat(),
          field: fieldArb(),
        })
        .map((r): Step => ({ op: "literal", ...r })),
    },
    { weight: 1, arbitrary: fc.integer({ min: 0, max: 4096 }).map((size): Step => ({ op: "size", size })) },
  );
}

/**
 * Sequences of HPACK blocks that use every representation of RFC 7541 §6
 * (indexed, literal with incremental indexing, without indexing, never
 * indexed, with indexed or literal names, and dynamic table size updates at
 * the start of a block), built by hand against a model table with eviction,
 * each block paired with the fields it decodes to. Strings are raw;
 * for Huffman-coded strings map a header list through an encoder.
 *
 * @example
 * ```ts
 * import fc from "fast-check";
 * import { hpackBlocks } from "httpwire/arbitraries";
 * import { HpackDecoder } from "httpwire/hpack";
 * fc.assert(fc.property(hpackBlocks(), ({ blocks, fields, maxTableSize }) => {
 *   const d = new HpackDecoder({ maxTableSize });
 *   // The decoder also reports how each field was indexed; compare names and values.
 *   blocks.forEach((b, i) => expect(d.decode(b).map(({ name, value }) => ({ name, value }))).toEqual(fields[i]));
 * }));
 * ```
 */
export function hpackBlocks(options: { readonly maxBlocks?: number; readonly maxTableSize?: number } = {}): Arbitrary<HpackBlocksCase> {
  const maxTableSize = options.maxTableSize ?? 4096;
  return fc.array(fc.array(stepArb(), { maxLength: 10 }), { minLength: 1, maxLength: options.maxBlocks ?? 4 }).map((steps) => {
    const table: HeaderField[] = []; // newest first
    let size = 0;
    let capacity = maxTableSize;
    const evict = () => {
      while (size > capacity && table.length > 0) size -= entrySize(table.pop()!);
    };
    const blocks: Uint8Array[] = [];
    const fields: HeaderField[][] = [];
    for (const block of steps) {
      const parts: Uint8Array[] = [];
      const out: HeaderField[] = [];
      let started = false;
      let updates = 0;
      for (const s of block) {
        if (s.op === "size") {
          // RFC 7541 §4.2: size updates only at the start of a block (at most two), at most the limit
          if (started || updates === 2) continue;
          updates++;
          capacity = Math.min(s.size, maxTableSize);
          evict();
          parts.push(prefixIntBytes(capacity, 5, 0x20));
          continue;
        }
        started = true;
        const total = HPACK_STATIC_TABLE.length + table.length;
        if (s.op === "indexed") {
          const index = 1 + (s.pick % total);
          const f =
            index <= 61 ? { name: HPACK_STATIC_TABLE[index - 1]![0], value: HPACK_STATIC_TABLE[index - 1]![1] } : table[index - 62]!;
          parts.push(prefixIntBytes(index, 7, 0x80));
          out.push({ name: f.name, value: f.value });
          continue;
        }
        const [bits, flags] = s.mode === "incremental" ? [6, 0x40] : s.mode === "without" ? [4, 0x00] : [4, 0x10];
        let name = s.field.name;
        if (s.nameRef) {
          const index = 1 + (s.pick % total);
          name = index <= 61 ? HPACK_STATIC_TABLE[index - 1]![0] : table[index - 62]!.name;
          parts.push(prefixIntBytes(index, bits, flags), str(s.field.value));
        } else {
          parts.push(Uint8Array.of(flags), str(name), str(s.field.value));
        }
        const f = { name, value: s.field.value };
        out.push(f);
        if (s.mode === "incremental") {
          // RFC 7541 §4.4: evict first; an entry larger than the table empties it
          const n = entrySize(f);
          table.unshift(f);
          size += n;
          evict();
        }
      }
      blocks.push(concatBytes(parts));
      fields.push(out);
    }
    return { blocks, fields, maxTableSize };
  });
}

const COMPRESSION_ERROR: ExpectedError = { code: 0x09, codeName: "COMPRESSION_ERROR", scope: "connection" };
const err = (reason?: string): ExpectedError => (reason === undefined ? COMPRESSION_ERROR : { ...COMPRESSION_ERROR, reason });

/** The named HPACK defects {@link hpackMalformedBlock} generates. */
export type HpackMalformedKind =
  | "index-zero"
  | "index-out-of-range"
  | "name-index-out-of-range"
  | "integer-overflow"
  | "size-update-above-limit"
  | "size-update-after-field"
  | "huffman-eos"
  | "huffman-padding-too-long"
  | "huffman-padding-not-ones"
  | "truncated";

/** httpwire's `reason` token per kind (truncation names the field cut short, so it varies). */
const REASONS: Record<HpackMalformedKind, string | undefined> = {
  "index-zero": "index_zero",
  "index-out-of-range": "index_out_of_range",
  "name-index-out-of-range": "index_out_of_range",
  "integer-overflow": "integer_overflow",
  "size-update-above-limit": "size_update_above_limit",
  "size-update-after-field": "size_update_not_at_start",
  "huffman-eos": "huffman_eos",
  "huffman-padding-too-long": "huffman_padding",
  "huffman-padding-not-ones": "huffman_padding",
  truncated: undefined,
};

/**
 * HPACK blocks that a decoder with a fresh context and the default 4096-byte
 * table must reject with COMPRESSION_ERROR (RFC 9113 §4.3), one named
 * defect each, after a random valid prefix of static-table references.
 */
export function hpackMalformedBlock(
  options: { readonly kinds?: readonly HpackMalformedKind[] } = {},
): Arbitrary<MalformedCase<HpackMalformedKind>> {
  const prefix = fc
    .array(
      fc.integer({ min: 1, max: 61 }).map((i) => prefixIntBytes(i, 7, 0x80)),
      { maxLength: 4 },
    )
    .map(concatBytes);
  const byKind: Record<HpackMalformedKind, Arbitrary<Uint8Array>> = {
    // RFC 7541 §6.1: index 0 MUST be treated as a decoding error
    "index-zero": fc.constant(Uint8Array.of(0x80)),
    // RFC 7541 §2.3.3: an index beyond both tables MUST be treated as a decoding error
    "index-out-of-range": fc.integer({ min: 62, max: 100_000 }).map((i) => prefixIntBytes(i, 7, 0x80)),
    "name-index-out-of-range": fc
      .tuple(fc.integer({ min: 62, max: 100_000 }), fc.constantFrom(0x40, 0x00, 0x10))
      .map(([i, fl]) => concatBytes([prefixIntBytes(i, fl === 0x40 ? 6 : 4, fl), str("v")])),
    // RFC 7541 §5.1: integers beyond implementation limits MUST be decoding errors
    "integer-overflow": fc
      .integer({ min: 6, max: 12 })
      .map((n) => concatBytes([Uint8Array.of(0xff), new Uint8Array(n).fill(0xff), Uint8Array.of(0x7f)])),
    // RFC 7541 §6.3: a new maximum size above the limit MUST be treated as a decoding error
    "size-update-above-limit": fc.integer({ min: 4097, max: 2 ** 30 }).map((s) => prefixIntBytes(s, 5, 0x20)),
    // RFC 7541 §4.2: a size update MUST occur at the beginning of the first block after the change
    "size-update-after-field": fc.integer({ min: 0, max: 4096 }).map((s) => concatBytes([Uint8Array.of(0x82), prefixIntBytes(s, 5, 0x20)])),
    // RFC 7541 §5.2: a string containing the EOS symbol MUST be treated as a decoding error
    "huffman-eos": fc.constant(Uint8Array.of(0x00, 0x84, 0xff, 0xff, 0xff, 0xff, 0x00)),
    // RFC 7541 §5.2: padding longer than 7 bits MUST be treated as a decoding error
    "huffman-padding-too-long": fc.constantFrom(Uint8Array.of(0x00, 0x81, 0xff, 0x00), Uint8Array.of(0x00, 0x82, 0x1f, 0xff, 0x00)),
    // RFC 7541 §5.2: padding not made of the EOS prefix (all ones) MUST be treated as a decoding error
    "huffman-padding-not-ones": fc.constant(Uint8Array.of(0x00, 0x81, 0x00, 0x00)),
    // A block that ends inside a representation is a decoding error once the block is complete
    truncated: fc.constantFrom(
      Uint8Array.of(0x40, 0x05, 0x61),
      Uint8Array.of(0xff),
      Uint8Array.of(0x00, 0x03, 0x61, 0x62, 0x63, 0x04, 0x61),
    ),
  };
  const kinds = options.kinds ?? (Object.keys(byKind) as HpackMalformedKind[]);
  return fc.oneof(
    ...kinds.map((kind) =>
      fc.tuple(kind === "size-update-above-limit" ? fc.constant(new Uint8Array(0)) : prefix, byKind[kind]).map(([p, b]) => ({
        kind,
        bytes: concatBytes([p, b]),
        expected: err(REASONS[kind]),
      })),
    ),
  );
}

/** Blocks from httpwire's own `HpackEncoder`, with the options used. */
export interface HpackEncodedBlocksCase extends HpackBlocksCase {
  /** The encoder's Huffman choice. */
  readonly huffman: boolean | "auto";
}

/**
 * Sequences of HPACK blocks built with httpwire's `HpackEncoder` (one
 * context) from valid or opaque field lists, with Huffman always, never or
 * when shorter, and a table size of 0, 256 or 4096 (decode with
 * `new HpackDecoder({ maxTableSize })`). These carry Huffman strings and the
 * encoder's indexing choices, which {@link hpackBlocks} does not.
 */
export function hpackEncodedBlocks(options: { readonly maxBlocks?: number } = {}): Arbitrary<HpackEncodedBlocksCase> {
  return fc
    .record({
      lists: fc.array(fc.oneof(headerList(), opaqueFieldList()), { minLength: 1, maxLength: options.maxBlocks ?? 4 }),
      huffman: fc.constantFrom<boolean | "auto">(true, false, "auto"),
      maxTableSize: fc.constantFrom(0, 256, 4096),
    })
    .map(({ lists, huffman, maxTableSize }) => {
      const e = new HpackEncoder({ maxTableSize, huffman, validate: false });
      return { blocks: lists.map((l) => e.encode(l)), fields: lists, maxTableSize, huffman };
    });
}
