/**
 * Arbitraries for QPACK (RFC 9204): field sections with the encoder-stream
 * bytes they depend on, built by hand against a model dynamic table (every
 * encoder instruction and every field line representation, relative and
 * post-base indexing, Base below and above the Required Insert Count), and
 * malformed inputs with the error a decoder must raise.
 * @module
 */

import type { Arbitrary } from "fast-check";
import * as fc from "fast-check";
import { STATIC_TABLE } from "../qpack/static-table.js";
import { concatBytes, latin1Bytes, prefixIntBytes } from "./bytes.js";
import type { ExpectedError, MalformedCase } from "./expected.js";
import type { HeaderField } from "./header-list.js";
import { headerList, opaqueFieldList } from "./header-list.js";
import { quicStreamId } from "./stream-id.js";

/** A generated QPACK exchange. */
export interface QpackSectionCase {
  /** SETTINGS_QPACK_MAX_TABLE_CAPACITY the decoder must allow. */
  readonly maxTableCapacity: number;
  /** Encoder-stream bytes to deliver before (or, to test blocking, after) the field section. */
  readonly encoderStream: Uint8Array;
  /** The request stream the section belongs to. */
  readonly streamId: number | bigint;
  /** The encoded field section. */
  readonly fieldSection: Uint8Array;
  /** Its Required Insert Count (0 when it references no dynamic entry). */
  readonly requiredInsertCount: number;
  /** The fields the section decodes to. */
  readonly fields: HeaderField[];
}

/** String literal with an N-bit length prefix, raw (H = 0), `flags` above the H bit. */
function str(s: string, prefixBits: number, flags = 0): Uint8Array {
  return concatBytes([prefixIntBytes(s.length, prefixBits, flags), latin1Bytes(s)]);
}

const size = (f: HeaderField) => f.name.length + f.value.length + 32; // RFC 9204 §3.2.1

type Insert =
  | { op: "literal"; field: HeaderField }
  | { op: "static"; pick: number; value: string }
  | { op: "dup"; pick: number }
  | { op: "dynname"; pick: number; value: string };
type Line =
  | { op: "indexed" | "name"; table: "static" | "dynamic"; pick: number; value: string; never: boolean }
  | { op: "literal"; field: HeaderField; never: boolean };

const fieldArb = fc.oneof(
  headerList({ maxFields: 2 }).map((l) => l[l.length - 1]!),
  opaqueFieldList({ maxFields: 1, maxLength: 20 })
    .filter((l) => l.length === 1)
    .map((l) => l[0]!),
);
const valueArb = fc.oneof(
  fc.constant(""),
  fc.string({ maxLength: 16 }).map((s) => s.replace(/[^\x20-\x7e]/g, "x")),
);

const insertArb: Arbitrary<Insert> = fc.oneof(
  fc.record({ op: fc.constant("literal" as const), field: fieldArb }),
  fc.record({ op: fc.constant("static" as const), pick: fc.nat(), value: valueArb }),
  fc.record({ op: fc.constant("dup" as const), pick: fc.nat() }),
  fc.record({ op: fc.constant("dynname" as const), pick: fc.nat(), value: valueArb }),
);
const lineArb: Arbitrary<Line> = fc.oneof(
  fc.record({
    op: fc.constantFrom("indexed" as const, "name" as const),
    table: fc.constantFrom("static" as const, "dynamic" as const),
    pick: fc.nat(),
    value: valueArb,
    never: fc.boolean(),
  }),
  fc.record({ op: fc.constant("literal" as const), field: fieldArb, never: fc.boolean() }),
);

/**
 * QPACK field sections with their encoder stream: a Set Dynamic Table
 * Capacity, inserts of every kind (literal name, static or dynamic name
 * reference, duplicate) with eviction, then a section that references static
 * entries, live dynamic entries (relative and post-base) and literals.
 * Deliver `encoderStream` to a decoder allowing `maxTableCapacity`, then
 * `fieldSection` on `streamId`: it must decode to `fields`. Delivered the
 * other way round, a section with a non-zero Required Insert Count must block
 * and unblock when the encoder stream arrives.
 *
 * @example
 * ```ts
 * import fc from "fast-check";
 * import { qpackSection } from "httpwire/arbitraries";
 * import { QpackDecoder } from "httpwire/qpack";
 * fc.assert(fc.property(qpackSection(), (c) => {
 *   const d = new QpackDecoder({ maxTableCapacity: c.maxTableCapacity, maxBlockedStreams: 1 });
 *   d.onEncoderStream(c.encoderStream);
 *   const r = d.decodeFieldSection(c.streamId, c.fieldSection);
 *   return r.status === "decoded" && r.fields.length === c.fields.length;
 * }));
 * ```
 */
export function qpackSection(): Arbitrary<QpackSectionCase> {
  return fc
    .record({
      maxTableCapacity: fc.constantFrom(0, 64, 220, 4096),
      inserts: fc.array(insertArb, { maxLength: 12 }),
      lines: fc.array(lineArb, { maxLength: 10 }),
      baseShift: fc.integer({ min: -3, max: 3 }),
      streamId: quicStreamId({ initiator: "client", direction: "bidi" }),
    })
    .map(({ maxTableCapacity, inserts, lines, baseShift, streamId }) => {
      const cap = maxTableCapacity;
      const enc: Uint8Array[] = [];
      const table: HeaderField[] = []; // by absolute index
      let dropped = 0; // entries evicted from the front
      let used = 0;
      if (cap > 0) enc.push(prefixIntBytes(cap, 5, 0x20)); // Set Dynamic Table Capacity (RFC 9204 §4.3.1)
      const live = () => table.length - dropped;
      const insert = (f: HeaderField): boolean => {
        // RFC 9204 §3.2.2: evict from the front; an entry larger than the capacity is an error, so skip it.
        if (size(f) > cap) return false;
        while (used + size(f) > cap) used -= size(table[dropped++]!);
        table.push(f);
        used += size(f);
        return true;
      };
      for (const ins of inserts) {
        if (cap === 0) break;
        if (ins.op === "literal") {
          if (insert(ins.field)) enc.push(str(ins.field.name, 5, 0x40), str(ins.field.value, 7)); // §4.3.3
        } else if (ins.op === "static") {
          const i = ins.pick % STATIC_TABLE.length;
          if (insert({ name: STATIC_TABLE[i]![0], value: ins.value })) enc.push(prefixIntBytes(i, 6, 0xc0), str(ins.value, 7)); // §4.3.2, T=1
        } else if (live() > 0) {
          const abs = dropped + (ins.pick % live());
          const rel = table.length - 1 - abs; // §3.2.5: encoder-stream relative index
          const e = table[abs]!;
          // The referenced entry must survive the eviction the insert causes: keep only safe inserts.
          const f = ins.op === "dup" ? { name: e.name, value: e.value } : { name: e.name, value: ins.value };
          let freed = cap - used;
          let k = dropped;
          while (freed < size(f) && k <= abs) freed += size(table[k++]!);
          if (k > abs || size(f) > cap) continue;
          insert(f);
          enc.push(ins.op === "dup" ? prefixIntBytes(rel, 5, 0x00) : concatBytes([prefixIntBytes(rel, 6, 0x80), str(ins.value, 7)])); // §4.3.4 / §4.3.2 T=0
        }
      }
      const insertCount = table.length;
      // Lines: references to live dynamic entries decide the Required Insert Count.
      type Bound = { line: Line; abs?: number };
      const bound: Bound[] = lines.map((line) => {
        if (line.op !== "literal" && line.table === "dynamic" && live() > 0) return { line, abs: dropped + (line.pick % live()) };
        return {
          line: line.op !== "literal" && line.table === "dynamic" ? { ...line, table: "static" as const } : line,
        };
      });
      const maxAbs = bound.reduce((m, b) => (b.abs !== undefined && b.abs > m ? b.abs : m), -1);
      const ric = maxAbs + 1;
      // Base anywhere from 0 to beyond RIC (post-base references need Base <= abs).
      const base = ric === 0 ? 0 : Math.max(0, Math.min(insertCount, ric + baseShift));
      const maxEntries = Math.floor(cap / 32);
      const prefix: Uint8Array[] = [];
      // RFC 9204 §4.5.1.1: EncodedInsertCount = (RIC mod (2 * MaxEntries)) + 1, or 0
      prefix.push(prefixIntBytes(ric === 0 ? 0 : (ric % (2 * maxEntries)) + 1, 8, 0));
      // §4.5.1.2: Sign and Delta Base
      prefix.push(base >= ric ? prefixIntBytes(base - ric, 7, 0x00) : prefixIntBytes(ric - base - 1, 7, 0x80));
      const out: HeaderField[] = [];
      for (const { line, abs } of bound) {
        const n = line.never ? 0x20 : 0;
        if (line.op === "literal") {
          prefix.push(str(line.field.name, 3, 0x20 | (line.never ? 0x10 : 0)), str(line.field.value, 7)); // §4.5.6
          out.push(line.field);
          continue;
        }
        let name: string;
        let value: string;
        if (abs === undefined) {
          const i = line.pick % STATIC_TABLE.length;
          [name, value] = [STATIC_TABLE[i]![0], STATIC_TABLE[i]![1]];
          if (line.op === "indexed")
            prefix.push(prefixIntBytes(i, 6, 0xc0)); // §4.5.2, T=1
          else prefix.push(prefixIntBytes(i, 4, 0x50 | n), str(line.value, 7)); // §4.5.4, T=1
        } else {
          ({ name, value } = table[abs]!);
          if (abs < base) {
            const rel = base - 1 - abs; // §4.5.2 relative index
            if (line.op === "indexed") prefix.push(prefixIntBytes(rel, 6, 0x80));
            else prefix.push(prefixIntBytes(rel, 4, 0x40 | n), str(line.value, 7));
          } else {
            const post = abs - base; // §4.5.3 / §4.5.5 post-base index
            if (line.op === "indexed") prefix.push(prefixIntBytes(post, 4, 0x10));
            else prefix.push(prefixIntBytes(post, 3, 0x00 | (line.never ? 0x08 : 0)), str(line.value, 7));
          }
        }
        out.push({ name, value: line.op === "indexed" ? value : line.value });
      }
      return {
        maxTableCapacity: cap,
        encoderStream: concatBytes(enc),
        streamId,
        fieldSection: concatBytes(prefix),
        requiredInsertCount: ric,
        fields: out,
      };
    });
}

const fail = (code: number, codeName: string, reason: string): ExpectedError => ({
  code,
  codeName,
  scope: "connection",
  reason,
});
const DECOMPRESSION = (r: string) => fail(0x0200, "QPACK_DECOMPRESSION_FAILED", r);
const ENCODER_STREAM = (r: string) => fail(0x0201, "QPACK_ENCODER_STREAM_ERROR", r);
const DECODER_STREAM = (r: string) => fail(0x0202, "QPACK_DECODER_STREAM_ERROR", r);

/** Which stream a malformed QPACK input goes on. */
export type QpackStream = "encoder" | "decoder" | "field-section";

/** A malformed QPACK input: where it goes, what the decoder allows, and the expected error. */
export interface QpackMalformedCase extends MalformedCase<QpackMalformedKind> {
  /** The stream the bytes are delivered on (`decoder`: to an encoder's `onDecoderStream`). */
  readonly stream: QpackStream;
  /** SETTINGS_QPACK_MAX_TABLE_CAPACITY of the decoder (4096 unless the kind needs another). */
  readonly maxTableCapacity: number;
  /** Encoder-stream bytes to deliver first (field-section kinds). */
  readonly encoderStream: Uint8Array;
}

/**
 * The named QPACK defects {@link qpackMalformed} generates: mostly httpwire's
 * `reason` token in kebab-case; the exact token is in `expected.reason`.
 */
export type QpackMalformedKind =
  | "capacity-exceeds-maximum"
  | "entry-exceeds-capacity"
  | "reference-to-missing-entry"
  | "ric-exceeds-full-range"
  | "ric-zero-encoded-nonzero"
  | "reference-not-below-ric"
  | "negative-base"
  | "invalid-static-index"
  | "insert-count-increment-zero";

/**
 * Malformed QPACK inputs, one named defect each (RFC 9204 §2.2.3, §4.3,
 * §4.4.3, §4.5.1), with the connection error a decoder must raise.
 */
export function qpackMalformed(options: { readonly kinds?: readonly QpackMalformedKind[] } = {}): Arbitrary<QpackMalformedCase> {
  const none: Uint8Array = new Uint8Array(0);
  const setCap: Uint8Array = prefixIntBytes(4096, 5, 0x20);
  const mk = (
    kind: QpackMalformedKind,
    stream: QpackStream,
    bytes: Uint8Array,
    expected: ExpectedError,
    encoderStream: Uint8Array = none,
    maxTableCapacity = 4096,
  ): QpackMalformedCase => ({
    kind,
    stream,
    bytes,
    expected,
    encoderStream,
    maxTableCapacity,
  });
  const byKind: Record<QpackMalformedKind, Arbitrary<QpackMalformedCase>> = {
    // §4.3.1: a capacity above the decoder's maximum MUST be QPACK_ENCODER_STREAM_ERROR
    "capacity-exceeds-maximum": fc
      .integer({ min: 4097, max: 2 ** 30 })
      .map((c) => mk("capacity-exceeds-maximum", "encoder", prefixIntBytes(c, 5, 0x20), ENCODER_STREAM("capacity_exceeds_maximum"))),
    // §3.2.2: inserting an entry larger than the capacity MUST be QPACK_ENCODER_STREAM_ERROR
    "entry-exceeds-capacity": fc
      .integer({ min: 64, max: 200 })
      .map((n) =>
        mk(
          "entry-exceeds-capacity",
          "encoder",
          concatBytes([prefixIntBytes(32, 5, 0x20), str("x", 5, 0x40), str("v".repeat(n), 7)]),
          ENCODER_STREAM("entry_exceeds_capacity"),
        ),
      ),
    // §4.3.2 / §4.3.4: a relative index naming no entry MUST be QPACK_ENCODER_STREAM_ERROR
    "reference-to-missing-entry": fc
      .integer({ min: 0, max: 1000 })
      .map((i) =>
        mk(
          "reference-to-missing-entry",
          "encoder",
          concatBytes([setCap, prefixIntBytes(i, 5, 0x00)]),
          ENCODER_STREAM("reference_to_missing_entry"),
        ),
      ),
    // §4.5.1.1: an encoded Required Insert Count above 2 * MaxEntries MUST be QPACK_DECOMPRESSION_FAILED
    "ric-exceeds-full-range": fc
      .integer({ min: 257, max: 100_000 })
      .map((e) =>
        mk(
          "ric-exceeds-full-range",
          "field-section",
          concatBytes([prefixIntBytes(e, 8, 0), Uint8Array.of(0x00, 0xd1)]),
          DECOMPRESSION("ric_exceeds_full_range"),
          setCap,
        ),
      ),
    // §4.5.1.1: with no dynamic table (MaxEntries 0) any non-zero encoded value is an error
    "ric-zero-encoded-nonzero": fc
      .integer({ min: 1, max: 1000 })
      .map((e) =>
        mk(
          "ric-zero-encoded-nonzero",
          "field-section",
          concatBytes([prefixIntBytes(e, 8, 0), Uint8Array.of(0x00, 0xd1)]),
          DECOMPRESSION("ric_exceeds_full_range"),
          none,
          0,
        ),
      ),
    // §2.2.3: a dynamic reference at or above the Required Insert Count MUST be QPACK_DECOMPRESSION_FAILED
    "reference-not-below-ric": fc
      .integer({ min: 0, max: 20 })
      .map((post) =>
        mk(
          "reference-not-below-ric",
          "field-section",
          concatBytes([Uint8Array.of(0x02, 0x00), prefixIntBytes(post + 1, 4, 0x10)]),
          DECOMPRESSION("reference_not_below_ric"),
          concatBytes([setCap, str("a", 5, 0x40), str("b", 7)]),
        ),
      ),
    // §4.5.1.2: Base = RIC - DeltaBase - 1 below 0 MUST be QPACK_DECOMPRESSION_FAILED
    "negative-base": fc
      .integer({ min: 1, max: 50 })
      .map((d) =>
        mk(
          "negative-base",
          "field-section",
          concatBytes([Uint8Array.of(0x02), prefixIntBytes(d, 7, 0x80), Uint8Array.of(0xd1)]),
          DECOMPRESSION("negative_base"),
          concatBytes([setCap, str("a", 5, 0x40), str("b", 7)]),
        ),
      ),
    // §3.1: a static index beyond the table MUST be QPACK_DECOMPRESSION_FAILED
    "invalid-static-index": fc
      .integer({ min: 99, max: 10_000 })
      .map((i) =>
        mk(
          "invalid-static-index",
          "field-section",
          concatBytes([Uint8Array.of(0x00, 0x00), prefixIntBytes(i, 6, 0xc0)]),
          DECOMPRESSION("invalid_static_index"),
        ),
      ),
    // §4.4.3: an Insert Count Increment of 0 MUST be QPACK_DECODER_STREAM_ERROR
    "insert-count-increment-zero": fc.constant(
      mk("insert-count-increment-zero", "decoder", Uint8Array.of(0x00), DECODER_STREAM("insert_count_increment_zero")),
    ),
  };
  const kinds = options.kinds ?? (Object.keys(byKind) as QpackMalformedKind[]);
  return fc.oneof(...kinds.map((k) => byKind[k]));
}
