import { describe, expect, test } from "vitest";
import { type CliResult, runCli } from "./run-cli.js";

function run(...argv: string[]): Promise<CliResult> {
  return runCli(["varint", ...argv]);
}

describe("httpwire varint", () => {
  test("README quick start: 0x7bbd decodes to 15293", async () => {
    const r = await run("0x7bbd");
    expect(r).toEqual({ status: 0, out: "0x7bbd decodes to 15293 (2 bytes, prefix bits 01, minimal)\n", err: "" });
  });
  test("non-minimal encodings are flagged", async () => {
    const r = await run("0x4025");
    expect(r.out).toBe("0x4025 decodes to 37 (2 bytes, prefix bits 01, not minimal: the minimal encoding is 0x25)\n");
  });
  test("bare hex with a-f digits and several varints", async () => {
    const r = await run("c2197c5eff14e88c25");
    expect(r.out).toBe(
      "0xc2197c5eff14e88c decodes to 151288809941952652 (8 bytes, prefix bits 11, minimal)\n" +
        "0x25 decodes to 37 (1 byte, prefix bits 00, minimal)\n",
    );
  });
  test("truncated input reports what is missing and exits 1", async () => {
    const r = await run("0x259d7f");
    expect(r.status).toBe(1);
    expect(r.out).toBe("0x25 decodes to 37 (1 byte, prefix bits 00, minimal)\n");
    expect(r.err).toBe("httpwire varint: incomplete varint 0x9d7f at offset 1: 2 more bytes needed\n");
  });
  test("decimal numbers are encoded with every allowed length", async () => {
    const r = await run("15293");
    expect(r).toEqual({
      status: 0,
      out: "15293 encodes to 0x7bbd (2 bytes, minimal)\n  also valid in 4 bytes: 0x80003bbd\n  also valid in 8 bytes: 0xc000000000003bbd\n",
      err: "",
    });
    expect((await run("--encode", "4611686018427387903")).out).toBe(
      "4611686018427387903 encodes to 0xffffffffffffffff (8 bytes, minimal)\n",
    );
  });
  test("--decode forces hex for all-digit input", async () => {
    expect((await run("--decode", "4025")).out).toContain("decodes to 37");
  });
  test("--json", async () => {
    const d = JSON.parse((await run("--json", "0x4025")).out) as unknown;
    expect(d).toEqual({
      varints: [{ hex: "4025", value: "37", length: 2, prefix: "01", minimal: false, minimalHex: "25" }],
    });
    const e = JSON.parse((await run("--json", "--encode", "63")).out) as unknown;
    expect(e).toEqual({
      value: "63",
      encodings: [
        { length: 1, hex: "3f", minimal: true },
        { length: 2, hex: "403f", minimal: false },
        { length: 4, hex: "8000003f", minimal: false },
        { length: 8, hex: "c00000000000003f", minimal: false },
      ],
    });
    const t = JSON.parse((await run("--json", "0x80")).out) as unknown;
    expect(t).toEqual({ varints: [], truncated: { offset: 0, hex: "80", needed: 3 } });
  });
  test.each([
    [["4611686018427387904"], "above the largest varint"],
    [["0x123"], "not an even number of hex digits"],
    [["xyz"], "neither hex bytes nor a decimal number"],
    [[], "give hex bytes"],
    [["--bogus"], "unknown option"],
    [["--encode"], "needs a value"],
    [["1", "2"], "give one value"],
  ])("usage error %j", async (argv, msg) => {
    const r = await run(...argv);
    expect(r.status).toBe(2);
    expect(r.err).toContain(msg);
  });
  test("--help", async () => {
    const r = await run("--help");
    expect(r.status).toBe(0);
    expect(r.out).toContain("Usage: httpwire varint");
  });
});
