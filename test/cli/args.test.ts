// Issue 17: one argument syntax for every command (node:util parseArgs), and --help everywhere.
import { describe, expect, test } from "vitest";
import { runCli } from "./run-cli.js";

describe("every command: --flag value, --flag=value, --help", () => {
  test("hpack", async () => {
    const a = await runCli(["hpack", "encode", "--table-size=0", "--sensitive=x", "x=1", "--", "y=2"]);
    const b = await runCli(["hpack", "encode", "--table-size", "0", "--sensitive", "x", "x=1", "--", "y=2"]);
    expect(a).toEqual(b);
    expect(a.status).toBe(0);
    expect(a.out.trim().split("\n")).toHaveLength(2);
    expect((await runCli(["hpack", "decode", "--help"])).out).toContain("Usage: httpwire hpack");
  });

  test("qpack", async () => {
    const a = await runCli(["qpack", "decode", "--capacity=-1", "x"]);
    const b = await runCli(["qpack", "decode", "--capacity", "-1", "x"]);
    expect(a).toEqual(b);
    expect(a.err).toMatch(/--capacity must be an integer/);
    expect((await runCli(["qpack", "decode", "x", "--output"])).err).toContain("--output needs a value");
    expect((await runCli(["qpack", "--help"])).out).toContain("Usage: httpwire qpack");
  });

  test("varint", async () => {
    const a = await runCli(["varint", "--decode=4025"]);
    const b = await runCli(["varint", "--decode", "4025"]);
    expect(a).toEqual(b);
    expect(a.out).toContain("decodes to 37");
    expect((await runCli(["varint", "-h"])).out).toContain("Usage: httpwire varint");
  });

  test("httpwire --help lists the commands", async () => {
    const r = await runCli(["--help"]);
    expect(r.status).toBe(0);
    for (const c of ["decode", "hpack", "qpack", "h3", "varint"]) expect(r.out).toContain(`  ${c} `);
  });
});
