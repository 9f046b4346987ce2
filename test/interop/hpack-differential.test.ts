/**
 * Every raw-data story of hpack-test-case, encoded by HpackEncoder, decodes
 * back exactly with HpackDecoder and with an independent decoder (hpack.js).
 * Also records the total encoded size next to nghttp2's for the same stories.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import hpackjs from "hpack.js";
import { HpackDecoder, HpackEncoder } from "httpwire/hpack";
import { describe, expect, test } from "vitest";
import { corpusPath, missingCorpusMessage } from "../helpers/corpora.js";

interface Field {
  name: string;
  value: string;
}

const dir = corpusPath("hpack-test-case");
const rawStories =
  dir === undefined
    ? []
    : readdirSync(join(dir, "raw-data"))
        .filter((f) => f.endsWith(".json"))
        .sort();

function loadStory(folder: string, story: string): { wire?: string; headers: Field[] }[] {
  const { cases } = JSON.parse(readFileSync(join(dir!, folder, story), "utf8")) as {
    cases: { seqno: number; wire?: string; headers: Record<string, string>[] }[];
  };
  return [...cases]
    .sort((a, b) => a.seqno - b.seqno)
    .map((c) => ({
      wire: c.wire,
      headers: c.headers.map((h) => {
        const [name, value] = Object.entries(h)[0]!;
        return { name, value };
      }),
    }));
}

/** Decodes one block with an hpack.js decompressor (synchronous use of its stream API). */
function hpackjsDecode(decomp: ReturnType<typeof hpackjs.decompressor.create>, block: Uint8Array): Field[] {
  decomp.write(Buffer.from(block));
  decomp.execute();
  const out: Field[] = [];
  for (let f = decomp.read(); f !== null; f = decomp.read()) out.push({ name: f.name, value: f.value });
  return out;
}

describe.skipIf(dir === undefined)(
  dir === undefined ? missingCorpusMessage("hpack-test-case corpus") : "hpack-test-case raw-data: encode, then decode with two decoders",
  () => {
    let ours = 0;

    test.each(rawStories)("%s", (story) => {
      const e = new HpackEncoder();
      const d = new HpackDecoder();
      const other = hpackjs.decompressor.create({ table: { maxSize: 4096 } });
      for (const { headers } of loadStory("raw-data", story)) {
        const block = e.encode(headers);
        ours += block.length;
        expect(d.decode(block).map((f) => ({ name: f.name, value: f.value }))).toEqual(headers);
        expect(hpackjsDecode(other, block)).toEqual(headers);
      }
    });

    test("total encoded size is below nghttp2's for the same stories", () => {
      let nghttp2 = 0;
      for (const story of readdirSync(join(dir!, "nghttp2")).filter((f) => f.endsWith(".json"))) {
        for (const c of loadStory("nghttp2", story)) nghttp2 += c.wire!.length / 2;
      }
      console.log(`hpack-test-case raw-data (${rawStories.length} stories): HpackEncoder ${ours} bytes, nghttp2 ${nghttp2} bytes`);
      expect(rawStories.length).toBe(32);
      expect(ours).toBeGreaterThan(0);
      expect(ours).toBeLessThan(nghttp2);
    });
  },
);
