/**
 * hpack-test-case: every story of every implementation folder decodes to
 * exactly its `headers` (order included), honouring `header_table_size`
 * (swift-nio writes `null` for "unchanged").
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { HpackDecoder } from "httpwire/hpack";
import { describe, expect, test } from "vitest";
import { corpusPath, missingCorpusMessage } from "../helpers/corpora.js";

interface Case {
  seqno: number;
  header_table_size?: number | null;
  wire: string;
  headers: Record<string, string>[];
}

const dir = corpusPath("hpack-test-case");
const folders =
  dir === undefined
    ? []
    : readdirSync(dir, { withFileTypes: true })
        .filter((e) => e.isDirectory() && e.name !== "raw-data")
        .map((e) => e.name)
        .sort();

describe.skipIf(dir === undefined)(
  dir === undefined ? missingCorpusMessage("hpack-test-case corpus") : "hpack-test-case: decode every implementation's stories",
  () => {
    test("the corpus has the expected implementation folders", () => {
      expect(folders.length).toBeGreaterThanOrEqual(9);
    });

    describe.each(folders)("%s", (folder) => {
      const stories = readdirSync(join(dir!, folder))
        .filter((f) => f.endsWith(".json"))
        .sort();
      test.each(stories)("%s", (story) => {
        const { cases } = JSON.parse(readFileSync(join(dir!, folder, story), "utf8")) as { cases: Case[] };
        const sorted = [...cases].sort((a, b) => a.seqno - b.seqno);
        const d = new HpackDecoder();
        for (const c of sorted) {
          if (typeof c.header_table_size === "number") d.setMaxTableSize(c.header_table_size);
          const fields = d.decode(Uint8Array.from(Buffer.from(c.wire, "hex")));
          expect(
            fields.map((f) => ({ [f.name]: f.value })),
            `${folder}/${story} seqno ${c.seqno}`,
          ).toEqual(c.headers);
        }
      });
    });
  },
);
