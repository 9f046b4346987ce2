import { existsSync, readFileSync } from "node:fs";
import { STATIC_TABLE, STATIC_TABLE_LENGTH } from "httpwire/hpack";
import { describe, expect, test } from "vitest";
import { DEFAULT_SPEC_PATH, generateHpackStaticTable, OUTPUT_PATH } from "../../scripts/gen-hpack-static-table.js";

describe("static table (generated from RFC 7541 Appendix A)", () => {
  const spec = existsSync(DEFAULT_SPEC_PATH);
  test.skipIf(!spec)(spec ? "regenerating from the RFC gives the committed file" : `SKIPPED: ${DEFAULT_SPEC_PATH} not found`, () => {
    expect(generateHpackStaticTable(readFileSync(DEFAULT_SPEC_PATH, "utf8"))).toBe(readFileSync(OUTPUT_PATH, "utf8"));
  });

  test("has 61 entries with the RFC's first, last and valued rows", () => {
    expect(STATIC_TABLE).toHaveLength(STATIC_TABLE_LENGTH);
    expect(STATIC_TABLE[0]).toEqual([":authority", ""]);
    expect(STATIC_TABLE[1]).toEqual([":method", "GET"]);
    expect(STATIC_TABLE[7]).toEqual([":status", "200"]);
    expect(STATIC_TABLE[15]).toEqual(["accept-encoding", "gzip, deflate"]);
    expect(STATIC_TABLE[60]).toEqual(["www-authenticate", ""]);
  });
});
