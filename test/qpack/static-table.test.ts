import { readFileSync } from "node:fs";
import { join } from "node:path";
import { STATIC_TABLE, STATIC_TABLE_LENGTH } from "httpwire/qpack";
import { describe, expect, test } from "vitest";
import { parseStaticTable, renderStaticTable } from "../../scripts/gen-qpack-static-table.js";
import { REPO_ROOT } from "../helpers/corpora.js";

const specPath = join(REPO_ROOT, "..", "shared", "specs", "rfc9204-qpack.md");
let spec: string | undefined;
try {
  spec = readFileSync(specPath, "utf8");
} catch {
  spec = undefined;
}

describe("QPACK static table (RFC 9204 Appendix A)", () => {
  test("has 99 entries indexed from 0", () => {
    expect(STATIC_TABLE_LENGTH).toBe(99);
    expect(STATIC_TABLE.length).toBe(99);
    expect(STATIC_TABLE[0]).toEqual([":authority", ""]);
    expect(STATIC_TABLE[1]).toEqual([":path", "/"]);
    expect(STATIC_TABLE[17]).toEqual([":method", "GET"]);
    expect(STATIC_TABLE[29]).toEqual(["accept", "*/*"]);
    expect(STATIC_TABLE[85]).toEqual(["content-security-policy", "script-src 'none'; object-src 'none'; base-uri 'none'"]);
    expect(STATIC_TABLE[98]).toEqual(["x-frame-options", "sameorigin"]);
  });

  test.skipIf(spec === undefined)("the generated file matches a fresh generation from the spec", () => {
    const fresh = renderStaticTable(parseStaticTable(spec!));
    expect(readFileSync(join(REPO_ROOT, "src", "qpack", "static-table.ts"), "utf8")).toBe(fresh);
    expect(parseStaticTable(spec!)).toEqual(STATIC_TABLE.map(([n, v]) => [n, v]));
  });
});
