import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseQif } from "httpwire/qpack";
import { afterAll, describe, expect, test } from "vitest";
import { corpusPath, missingCorpusMessage } from "../helpers/corpora.js";
import { type CliResult, runCli } from "./run-cli.js";

function run(argv: string[], stdin = new Uint8Array(0)): Promise<CliResult> {
  return runCli(["qpack", ...argv], { stdin });
}

const dir = mkdtempSync(join(tmpdir(), "httpwire-qpack-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const QIF = `# a comment
:method\tGET
:path\t/index.html
x-custom\tone

:method\tGET
:path\t/index.html
x-custom\tone
x-latin1\t\u00e9t\u00e9
`;

function record(streamId: number, hex: string): Buffer {
  const data = Buffer.from(hex.replace(/\s+/g, ""), "hex");
  const h = Buffer.alloc(12);
  h.writeUInt32BE(Math.floor(streamId / 2 ** 32), 0);
  h.writeUInt32BE(streamId >>> 0, 4);
  h.writeUInt32BE(data.length, 8);
  return Buffer.concat([h, data]);
}

describe("httpwire qpack", () => {
  test("encode then decode round-trips a QIF, byte for byte with -o", async () => {
    const qif = join(dir, "in.qif");
    writeFileSync(qif, Buffer.from(QIF, "latin1"));
    const outFile = join(dir, "in.out.4096.100.0");
    const enc = await run(["encode", qif, "--capacity", "4096", "--blocked", "100", "--ack", "0", "-o", outFile]);
    expect(enc.status).toBe(0);
    expect(enc.out).toMatch(
      /^wrote 2 field sections to .*in\.out\.4096\.100\.0: \d+ bytes of field sections, \d+ bytes of encoder stream, \d+ bytes in all\n$/,
    );
    const dec = await run(["decode", outFile, "--capacity", "4096", "--blocked", "100"]);
    expect(dec.status).toBe(0);
    expect(dec.err).toBe("");
    expect(dec.out.startsWith("# stream 1\n:method\tGET\n")).toBe(true);
    expect(parseQif(dec.out)).toEqual(parseQif(QIF));
    const qifOut = join(dir, "back.qif");
    expect((await run(["decode", outFile, "--capacity", "4096", "--blocked", "100", "-o", qifOut])).status).toBe(0);
    expect(readFileSync(qifOut).toString("latin1")).toBe(
      "# stream 1\n:method\tGET\n:path\t/index.html\nx-custom\tone\n\n# stream 2\n:method\tGET\n:path\t/index.html\nx-custom\tone\nx-latin1\t\u00e9t\u00e9\n\n",
    );
  });

  test("decode reads standard input with -", async () => {
    const bytes = record(4, "0000510b2f696e6465782e68746d6c");
    const r = await run(["decode", "-"], new Uint8Array(bytes));
    expect(r).toEqual({ status: 0, out: "# stream 4\n:path\t/index.html\n\n", err: "" });
  });

  test("decode: a section still blocked at the end is exit 1", async () => {
    const f = join(dir, "blocked.out");
    writeFileSync(f, record(4, "03811011"));
    const r = await run(["decode", f, "--capacity", "220", "--blocked", "1"]);
    expect(r.status).toBe(1);
    expect(r.err).toBe("httpwire qpack: 1 stream is still blocked at the end of the input\n");
  });

  test("decode: QPACK errors are reported with their code and reason", async () => {
    const f = join(dir, "bad.out");
    writeFileSync(f, record(1, "0081"));
    const r = await run(["decode", f]);
    expect(r.status).toBe(1);
    expect(r.err).toMatch(/^httpwire qpack: QPACK_DECOMPRESSION_FAILED \(negative_base\): /);
  });

  test("decode: a file that is not in the format", async () => {
    const f = join(dir, "short.out");
    writeFileSync(f, Buffer.from("000000", "hex"));
    const r = await run(["decode", f]);
    expect(r.status).toBe(1);
    expect(r.err).toMatch(/is not a \.out file: Truncated record header at offset 0/);
  });

  test.each([
    [[], /give a subcommand/],
    [["frobnicate", "x"], /unknown subcommand "frobnicate"/],
    [["decode"], /give the input file for decode/],
    [["encode", "x.qif"], /encode needs -o/],
    [["decode", "x", "--capacity", "-1"], /--capacity must be an integer/],
    [["encode", "x", "--ack", "2", "-o", "y"], /--ack must be 0 or 1/],
    [["decode", "x", "--frob"], /unknown option "--frob"/],
    [["decode", join(tmpdir(), "httpwire-no-such-file")], /cannot read/],
  ])("usage error %#", async (argv, msg) => {
    const r = await run(argv as string[]);
    expect(r.status).toBe(2);
    expect(r.err).toMatch(msg);
  });

  test("--help", async () => {
    const r = await run(["--help"]);
    expect(r.status).toBe(0);
    expect(r.out).toMatch(/^Usage: httpwire qpack decode/);
  });

  const lsq = corpusPath("qifs", "encoded", "qpack-05", "ls-qpack", "netbsd.out.4096.100.1");
  const netbsd = corpusPath("qifs", "qifs", "netbsd.qif");
  test.skipIf(!lsq || !netbsd)(
    lsq && netbsd ? "decodes ls-qpack's netbsd.out.4096.100.1 to netbsd.qif" : missingCorpusMessage("qifs"),
    async () => {
      const r = await run(["decode", lsq!, "--capacity", "4096", "--blocked", "100"]);
      expect(r.status).toBe(0);
      const got = new Map(parseQif(r.out).map((s) => [s.streamId, s.fields]));
      for (const s of parseQif(readFileSync(netbsd!, "latin1"))) expect(got.get(s.streamId)).toEqual(s.fields);
    },
  );
});
