import { type HeaderField, HpackDecoder, HpackEncoder, RepresentationKind } from "httpwire/hpack";
import { describe, expect, test } from "vitest";
import fixtureData from "../../fixtures/rfc7541-appendix-c.json";
import { toHex as hex, hex as unhex } from "../helpers/hex.js";

interface Step {
  name: string;
  headers: { name: string; value: string }[];
  wire: string;
  representations: string[];
  dynamicTable: { name: string; value: string; size: number }[];
  tableSize: number;
}
interface Group {
  section: string;
  title: string;
  maxTableSize: number;
  huffman: boolean;
  sharedContext: boolean;
  steps: Step[];
}

const fixture = fixtureData as { groups: Group[] };

const KIND: Record<string, string> = {
  "Indexed - Add": RepresentationKind.INDEXED,
  "Literal indexed": RepresentationKind.LITERAL_WITH_INCREMENTAL_INDEXING,
  "Literal not indexed": RepresentationKind.LITERAL_WITHOUT_INDEXING,
  "Literal never indexed": RepresentationKind.LITERAL_NEVER_INDEXED,
};

describe.each(fixture.groups.map((g) => [`RFC 7541 ${g.section} ${g.title}`, g] as const))("%s", (_title, group) => {
  test("decoder yields exactly the listed headers and dynamic table after each step", () => {
    let d = new HpackDecoder({ maxTableSize: group.maxTableSize, recordRepresentation: true });
    for (const step of group.steps) {
      if (!group.sharedContext) d = new HpackDecoder({ maxTableSize: group.maxTableSize, recordRepresentation: true });
      const fields = d.decode(unhex(step.wire));
      expect(
        fields.map((f) => ({ name: f.name, value: f.value })),
        step.name,
      ).toEqual(step.headers);
      expect(
        fields.map((f) => f.representation!.kind),
        step.name,
      ).toEqual(step.representations.map((r) => KIND[r]));
      for (const f of fields) {
        expect(f.sensitive === true, step.name).toBe(f.representation!.kind === RepresentationKind.LITERAL_NEVER_INDEXED);
        expect(f.representation!.valueHuffman || f.representation!.nameHuffman, step.name).toBe(
          group.huffman && f.representation!.kind !== RepresentationKind.INDEXED,
        );
      }
      const t = d.dynamicTable();
      expect(t.entries, step.name).toEqual(step.dynamicTable);
      expect(t.size, step.name).toBe(step.tableSize);
      expect(t.maxSize).toBe(group.maxTableSize);
    }
  });

  test("encoder set to the appendix's choices yields exactly the listed bytes", () => {
    const make = (step?: Step) =>
      new HpackEncoder({
        maxTableSize: group.maxTableSize,
        huffman: group.huffman,
        shouldIndex: () => step === undefined || step.representations[0] === "Literal indexed",
        isSensitive: () => false,
        maxIndexedEntryShare: 1,
      });
    let e = make();
    for (const step of group.steps) {
      if (!group.sharedContext) e = make(step);
      const sensitive = step.representations[0] === "Literal never indexed";
      const fields: HeaderField[] = step.headers.map((h) => (sensitive ? { ...h, sensitive: true } : h));
      expect(hex(e.encode(fields)), step.name).toBe(step.wire);
      const t = e.dynamicTable();
      expect(t.entries, step.name).toEqual(step.dynamicTable);
      expect(t.size, step.name).toBe(step.tableSize);
    }
  });
});
