/**
 * Regenerates the Huffman code table from the RFC 7541 Appendix B text in
 * /work/shared/specs and compares it with the committed
 * src/shared/huffman-table.ts. Node-only (it reads files), so it lives here
 * rather than in test/shared/huffman.test.ts, which also runs in the browser.
 */
import { existsSync, readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { DEFAULT_SPEC_PATH, generateHuffmanTable, OUTPUT_PATH } from "../../scripts/gen-huffman-table.js";

describe("Huffman code table (generated from RFC 7541 Appendix B)", () => {
  test.skipIf(!existsSync(DEFAULT_SPEC_PATH))(
    existsSync(DEFAULT_SPEC_PATH) ? "regenerating from the RFC gives the committed file" : `SKIPPED: ${DEFAULT_SPEC_PATH} not found`,
    () => {
      expect(generateHuffmanTable(readFileSync(DEFAULT_SPEC_PATH, "utf8"))).toBe(readFileSync(OUTPUT_PATH, "utf8"));
    },
  );
});
