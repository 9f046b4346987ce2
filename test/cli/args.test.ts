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

  test("h3", async () => {
    const encoder = "023fbd01c00f7777772e6578616d706c652e636f6d";
    const a = await runCli([
      "h3",
      "decode",
      "--stream=request",
      "--sender=server",
      "--stream-id=4",
      `--qpack-encoder=${encoder}`,
      "--max-table-capacity=220",
      "0103020080",
    ]);
    const b = await runCli([
      "h3",
      "decode",
      "--stream",
      "request",
      "--sender",
      "server",
      "--stream-id",
      "4",
      "--qpack-encoder",
      encoder,
      "--max-table-capacity",
      "220",
      "0103020080",
    ]);
    expect(a).toEqual(b);
    expect(a).toEqual({ status: 0, out: '@0 HEADERS (0x01) len=3 ":authority: www.example.com"\n', err: "" });
    const c = await runCli(["h3", "decode", "--stream=push", "--json", "--receiver=client", "01040000d1d7", "--frames-only"]);
    expect(c).toEqual(
      await runCli(["h3", "decode", "--stream", "push", "--json", "--receiver", "client", "01040000d1d7", "--frames-only"]),
    );
    expect(c.out).toBe(
      '{"stream":"push","frames":[{"offset":0,"type":1,"typeName":"HEADERS","length":4,"fields":[{"name":":method","value":"GET"},{"name":":scheme","value":"https"}]}]}\n',
    );
    for (const argv of [
      ["h3", "decode", "--help"],
      ["h3", "decode", "--stream", "control", "-h", "00"],
      ["h3", "-h"],
    ]) {
      const h = await runCli(argv);
      expect(h.status).toBe(0);
      expect(h.out).toContain("Usage: httpwire h3 decode");
    }
  });

  test("httpwire --help lists the commands", async () => {
    const r = await runCli(["--help"]);
    expect(r.status).toBe(0);
    for (const c of ["decode", "hpack", "qpack", "h3", "varint"]) expect(r.out).toContain(`  ${c} `);
  });
});
