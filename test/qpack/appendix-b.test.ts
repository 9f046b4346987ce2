/**
 * RFC 9204 Appendix B, both directions: the decoder reads each step's bytes
 * to the listed instructions, fields and table, and emits the listed decoder
 * instructions; the writers turn the listed instructions and field lines
 * back into exactly the same bytes.
 */

import {
  ByteWriter,
  type DecoderInstruction,
  type EncoderInstruction,
  QpackDecoder,
  readDecoderInstruction,
  readEncoderInstruction,
  writeDuplicate,
  writeFieldSectionPrefix,
  writeIndexedFieldLine,
  writeIndexedFieldLinePostBase,
  writeInsertCountIncrement,
  writeInsertWithLiteralName,
  writeInsertWithNameReference,
  writeLiteralWithLiteralName,
  writeLiteralWithNameReference,
  writeLiteralWithPostBaseNameReference,
  writeSectionAcknowledgment,
  writeSetDynamicTableCapacity,
  writeStreamCancellation,
} from "httpwire/qpack";
import { describe, expect, test } from "vitest";
import fixtureData from "../../fixtures/rfc9204-appendix-b.json";
import { hex as bytes, toHex as hex } from "../helpers/hex.js";

type Line =
  | { type: "indexed"; isStatic: boolean; index: number }
  | { type: "indexed_post_base"; index: number }
  | { type: "literal_with_name_reference"; neverIndex: boolean; isStatic: boolean; nameIndex: number; value: string }
  | { type: "literal_with_post_base_name_reference"; neverIndex: boolean; index: number; value: string }
  | { type: "literal_with_literal_name"; neverIndex: boolean; name: string; value: string };

interface Step {
  name: string;
  stream: "encoder" | "decoder" | number;
  hex: string;
  instructions?: Array<EncoderInstruction | DecoderInstruction>;
  requiredInsertCount?: number;
  base?: number;
  lines?: Line[];
  fields?: Array<[string, string]>;
  blocked?: boolean;
  cancel?: boolean;
  table?: Array<[number, string, string]>;
  size?: number;
  decoderEmits?: string;
}

// The fixture names instructions in snake_case; the API's literals are kebab-case.
const fixture = {
  ...(fixtureData as { maxTableCapacity: number; steps: Step[] }),
  steps: (fixtureData as { steps: Step[] }).steps.map((s) =>
    s.instructions === undefined
      ? s
      : {
          ...s,
          instructions: s.instructions.map((i) => ({ ...i, type: i.type.replaceAll("_", "-") }) as EncoderInstruction | DecoderInstruction),
        },
  ),
};

describe("RFC 9204 Appendix B: decoding", () => {
  test("all steps in order on one decoder", () => {
    const dec = new QpackDecoder({ maxTableCapacity: fixture.maxTableCapacity, maxBlockedStreams: 1 });
    for (const step of fixture.steps) {
      if (step.stream === "decoder") continue;
      if (step.stream === "encoder") {
        expect(dec.onEncoderStream(bytes(step.hex)), step.name).toEqual([]);
      } else {
        const r = dec.decodeFieldSection(step.stream, bytes(step.hex));
        if (step.blocked) {
          expect(r, step.name).toEqual({ status: "blocked", requiredInsertCount: step.requiredInsertCount });
          if (step.cancel) dec.cancelStream(step.stream);
        } else {
          expect(r, step.name).toEqual({
            status: "decoded",
            fields: step.fields!.map(([name, value]) => ({ name, value })),
          });
        }
      }
      expect(dec.tableEntries(), step.name).toEqual(step.table);
      expect(dec.tableSize, step.name).toBe(step.size);
      if (step.decoderEmits !== undefined) expect(hex(dec.drainDecoderStream()), step.name).toBe(step.decoderEmits);
    }
    expect(dec.blockedStreamCount).toBe(0);
  });

  test.each(fixture.steps.filter((s) => s.instructions).map((s) => [s.name, s] as const))("%s: instructions parse", (_n, step) => {
    const input = bytes(step.hex);
    const got: unknown[] = [];
    let pos = 0;
    for (;;) {
      const r = step.stream === "encoder" ? readEncoderInstruction(input, pos, 4096) : readDecoderInstruction(input, pos);
      if (r.status === "need-more") break;
      got.push(r.instruction);
      pos += r.length;
    }
    expect(pos).toBe(input.length);
    expect(got).toEqual(step.instructions);
  });
});

describe("RFC 9204 Appendix B: encoding", () => {
  test.each(fixture.steps.map((s) => [s.name, s] as const))("%s", (_n, step) => {
    const w = new ByteWriter();
    if (step.instructions) {
      for (const ins of step.instructions) {
        switch (ins.type) {
          case "set-dynamic-table-capacity":
            writeSetDynamicTableCapacity(w, ins.capacity);
            break;
          case "insert-with-name-reference":
            writeInsertWithNameReference(w, ins.isStatic, ins.nameIndex, ins.value, false);
            break;
          case "insert-with-literal-name":
            writeInsertWithLiteralName(w, ins.name, ins.value, false);
            break;
          case "duplicate":
            writeDuplicate(w, ins.index);
            break;
          case "section-acknowledgment":
            writeSectionAcknowledgment(w, ins.streamId);
            break;
          case "stream-cancellation":
            writeStreamCancellation(w, ins.streamId);
            break;
          case "insert-count-increment":
            writeInsertCountIncrement(w, Number(ins.increment));
            break;
        }
      }
    } else {
      writeFieldSectionPrefix(w, step.requiredInsertCount!, step.base!, Math.floor(fixture.maxTableCapacity / 32));
      for (const l of step.lines!) {
        switch (l.type) {
          case "indexed":
            writeIndexedFieldLine(w, l.isStatic, l.index);
            break;
          case "indexed_post_base":
            writeIndexedFieldLinePostBase(w, l.index);
            break;
          case "literal_with_name_reference":
            writeLiteralWithNameReference(w, l.neverIndex, l.isStatic, l.nameIndex, l.value, false);
            break;
          case "literal_with_post_base_name_reference":
            writeLiteralWithPostBaseNameReference(w, l.neverIndex, l.index, l.value, false);
            break;
          case "literal_with_literal_name":
            writeLiteralWithLiteralName(w, l.neverIndex, l.name, l.value, false);
            break;
        }
      }
    }
    expect(hex(w.view())).toBe(step.hex);
  });
});
