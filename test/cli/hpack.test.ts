import { describe, expect, test } from "vitest";
import { type CliResult, runCli } from "./run-cli.js";

function run(argv: string[], stdin = ""): Promise<CliResult> {
  return runCli(["hpack", ...argv], { stdin });
}

describe("httpwire hpack decode", () => {
  test("RFC 7541 C.3.1 and C.3.2 share one context; representations and table are shown", async () => {
    const r = await run(["decode", "828684410f7777772e6578616d706c652e636f6d", "828684be58086e6f2d6361636865"]);
    expect(r.err).toBe("");
    expect(r.status).toBe(0);
    expect(r.out).toBe(
      [
        "block 1 (20 bytes, 4 fields)",
        "  :method: GET  [indexed 2]",
        "  :scheme: http  [indexed 6]",
        "  :path: /  [indexed 4]",
        "  :authority: www.example.com  [literal with incremental indexing, name 1]",
        "block 2 (14 bytes, 5 fields)",
        "  :method: GET  [indexed 2]",
        "  :scheme: http  [indexed 6]",
        "  :path: /  [indexed 4]",
        "  :authority: www.example.com  [indexed 62]",
        "  cache-control: no-cache  [literal with incremental indexing, name 24]",
        "dynamic table: 2 entries, size 110 of 4096",
        "  [62] (s = 53) cache-control: no-cache",
        "  [63] (s = 57) :authority: www.example.com",
        "",
      ].join("\n"),
    );
  });

  test("Huffman, never-indexed, size updates and non-printable values", async () => {
    const r = await run(["decode", "20 3fe11f 418cf1e3c2e5f23a6ba0ab90f4ff 100161020a00"]);
    expect(r.out).toBe(
      [
        "block 1 (24 bytes, 2 fields)",
        "  dynamic table size update: 0",
        "  dynamic table size update: 4096",
        "  :authority: www.example.com  [literal with incremental indexing, name 1, Huffman value]",
        '  a: "\\n\\u0000"  [literal never indexed, literal name] (sensitive)',
        "dynamic table: 1 entry, size 57 of 4096",
        "  [62] (s = 57) :authority: www.example.com",
        "",
      ].join("\n"),
    );
  });

  test("--json", async () => {
    const r = await run(["decode", "--json", "4001610162"]);
    expect(JSON.parse(r.out)).toEqual({
      blocks: [
        {
          sizeUpdates: [],
          fields: [
            {
              name: "a",
              value: "b",
              representation: {
                kind: "literal-with-incremental-indexing",
                index: 0,
                nameHuffman: false,
                valueHuffman: false,
              },
            },
          ],
        },
      ],
      dynamicTable: { entries: [{ name: "a", value: "b", size: 34 }], size: 34, maxSize: 4096 },
    });
  });

  test("--table-size sets the initial size and limit", async () => {
    const r = await run(["decode", "--table-size", "100", "3f46"]);
    expect(r.status).toBe(1);
    expect(r.err).toBe(
      "httpwire hpack: COMPRESSION_ERROR (size_update_above_limit): Cannot decode HPACK block at offset 0: dynamic table size update to 101 exceeds the limit 100\n",
    );
  });

  test("blocks from standard input", async () => {
    const r = await run(["decode", "-"], "82\n84\n");
    expect(r.out).toContain("block 2 (1 bytes, 1 field)\n  :path: /  [indexed 4]\n");
  });

  test("malformed blocks print the COMPRESSION_ERROR reason and exit 1", async () => {
    const r = await run(["decode", "80"]);
    expect(r).toEqual({
      status: 1,
      out: "",
      err: "httpwire hpack: COMPRESSION_ERROR (index_zero): Cannot decode HPACK block at offset 0: index 0 in an indexed field\n",
    });
  });

  test("bad usage exits 2", async () => {
    expect((await run(["decode", "abc"])).status).toBe(2);
    expect((await run(["decode"])).status).toBe(2);
    expect((await run(["frobnicate"])).status).toBe(2);
    expect((await run(["decode", "--table-size", "x", "82"])).status).toBe(2);
    expect((await run([])).status).toBe(2);
    const help = await run(["--help"]);
    expect(help.status).toBe(0);
    expect(help.out).toContain("Usage: httpwire hpack decode");
  });
});

describe("httpwire hpack encode", () => {
  test("name=value pairs to hex; -- starts a new block in the same context", async () => {
    const r = await run(["encode", ":method=GET", ":path=/", "x-a=b", "--", "x-a=b"]);
    expect(r).toEqual({ status: 0, out: "82844003782d610162\nbe\n", err: "" });
  });

  test("--no-huffman, --sensitive, --table-size, --json", async () => {
    expect((await run(["encode", "--no-huffman", ":authority=www.example.com"])).out).toBe("410f7777772e6578616d706c652e636f6d\n");
    expect((await run(["encode", ":authority=www.example.com"])).out).toBe("418cf1e3c2e5f23a6ba0ab90f4ff\n");
    expect((await run(["encode", "--sensitive", "x-k", "x-k=v"])).out).toBe("1003782d6b0176\n");
    expect((await run(["encode", "--table-size", "0", "x-a=b"])).out).toBe("0003782d610162\n");
    expect(JSON.parse((await run(["encode", "--json", ":method=GET"])).out)).toEqual({ blocks: ["82"] });
  });

  test("round trip through decode", async () => {
    const enc = await run(["encode", "x-a=1=2", "empty="]);
    const dec = await run(["decode", enc.out.trim()]);
    expect(dec.out).toContain("  x-a: 1=2  [");
    expect(dec.out).toContain("  empty:   [");
  });

  test("bad pairs and non-Latin-1 text are usage errors", async () => {
    expect((await run(["encode", "novalue"])).status).toBe(2);
    expect((await run(["encode"])).status).toBe(2);
    const r = await run(["encode", "x=\u20ac"]);
    expect(r.status).toBe(2);
    expect(r.err).toContain("above 0xff");
  });
});
