import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import type { CliIo } from "../../src/cli/io.js";
import { Progress } from "../../src/cli/progress.js";
import { captureBytes } from "../capture/fixtures.js";
import { fixturePath, REPO_ROOT } from "../helpers/corpora.js";
import { type CliResult, runCli } from "./run-cli.js";

function run(argv: string[], opts: { tty?: boolean; stdin?: Uint8Array } = {}): Promise<CliResult> {
  return runCli(["decode", ...argv], opts);
}

const session = fixturePath("captures", "h2-session.pcapng");

describe("httpwire decode", () => {
  test("one line per frame, exit 0 on a clean capture", async () => {
    const r = await run([session]);
    expect(r.status).toBe(0);
    expect(r.err).toBe("");
    const lines = r.out.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^ {2}0\.000000 #1 {5}connection 127\.0\.0\.1:\d+ -> 127\.0\.0\.1:18080$/);
    expect(lines.find((l) => l.includes(" HEADERS ") && l.includes("/hello/0") && l.includes("C>S"))).toMatch(
      /#1 C>S {5}1 HEADERS {7}\[END_STREAM,END_HEADERS\] +82 {2}:method: GET, :path: \/hello\/0, :authority: 127\.0\.0\.1:18080, :scheme: http, user-agent: httpwire-recorder\/1\.0/,
    );
    expect(lines.some((l) => /S>C {4}27 RST_STREAM +4 {2}REFUSED_STREAM \(0x7\)$/.test(l))).toBe(true);
    expect(
      lines.some((l) =>
        /C>S {5}0 SETTINGS +6 {1}|C>S {5}0 SETTINGS +12 {2}SETTINGS_HEADER_TABLE_SIZE=512, SETTINGS_INITIAL_WINDOW_SIZE=1048576$/.test(l),
      ),
    ).toBe(true);
    expect(lines.some((l) => /PING +8 {2}6874747077697265 "httpwire"$/.test(l))).toBe(true);
    expect(lines.some((l) => /GOAWAY +8 {2}last stream \d+, NO_ERROR \(0x0\)$/.test(l))).toBe(true);
    expect(r.out).not.toContain("\x1b[");
  });

  test("--json: one object per line, parseable, with fields", async () => {
    const r = await run(["--json", "--type", "HEADERS", "--stream", "1", session]);
    const objs = r.out
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(objs.every((o) => o.kind === "frame" && o.type === "HEADERS" && o.streamId === 1)).toBe(true);
    expect(objs).toHaveLength(4); // request and response on each of the two connections
    expect(objs[0]).toMatchObject({
      connection: 1,
      direction: "client-to-server",
      typeCode: 1,
      flags: 5,
      flagNames: ["END_STREAM", "END_HEADERS"],
      length: 82,
    });
    expect((objs[0]!.fields as unknown[])[1]).toEqual({ name: ":path", value: "/hello/0" });
  });

  test("--json: events keep the key kind (the library's type), first and only once, byte for byte", async () => {
    const r = await run(["--json", fixturePath("captures", "h2-ipv6.pcapng")]);
    const lines = r.out.trimEnd().split("\n");
    expect(lines.every((l) => l.startsWith('{"kind":"'))).toBe(true);
    expect(lines.filter((l) => !l.startsWith('{"kind":"frame"'))).toEqual([
      '{"kind":"open","connection":1,"client":{"address":"::1","port":46492},"server":{"address":"::1","port":18082},"time":1795301301.8604705}',
      '{"kind":"close","connection":1,"direction":"client-to-server","time":1795301301.8628798,"how":"fin"}',
      '{"kind":"close","connection":1,"direction":"server-to-client","time":1795301301.8674383,"how":"fin"}',
    ]);
    expect(lines[1]).toBe(
      '{"kind":"frame","time":1795301301.8611867,"connection":1,"direction":"server-to-client","streamId":0,"type":"SETTINGS","typeCode":4,"flags":0,"flagNames":[],"length":0,"offset":0,"settings":[]}',
    );
  });

  test("--type accepts numbers and lists; filters hide open/close lines", async () => {
    const r = await run(["--type", "6,0x7", session]);
    const lines = r.out.trimEnd().split("\n");
    expect(lines.every((l) => / (PING|GOAWAY) /.test(l))).toBe(true);
    expect(lines.length).toBeGreaterThan(2);
  });

  test("colour on a terminal, --no-color turns it off, --color forces it", async () => {
    expect((await run([session], { tty: true })).out).toContain("\x1b[1mHEADERS");
    expect((await run(["--no-color", session], { tty: true })).out).not.toContain("\x1b[");
    expect((await run(["--color", session])).out).toContain("\x1b[36mC>S");
  });

  test("standard input with -, a hex dump of a raw stream", async () => {
    const hex = "505249202a20485454502f322e300d0a0d0a534d0d0a0d0a" + "000000040000000000" + "000008060000000000" + "0102030405060708";
    const r = await run(["-"], { stdin: new TextEncoder().encode(hex) });
    expect(r.status).toBe(0);
    expect(r.out).toBe(
      "         - #1 C>S     0 SETTINGS                                      0  (no parameters)\n" +
        '         - #1 C>S     0 PING                                          8  0102030405060708 "........"\n',
    );
  });

  test("exit 1 and a MALFORMED line for a damaged capture; the other connection goes on", async () => {
    const bytes = captureBytes("h2-session.pcap");
    const dir = mkdtempSync(join(tmpdir(), "httpwire-decode-"));
    const file = join(dir, "cut.pcap");
    writeFileSync(file, bytes.subarray(0, 3000));
    const r = await run([file]);
    expect(r.status).toBe(1);
    expect(r.out).toMatch(/MALFORMED: TRUNCATED_CAPTURE \(truncated_pcap_record\)/);
    const bad = Uint8Array.of(0, 0, 8, 6, 0, 0, 0, 0, 1, 1, 2, 3, 4, 5, 6, 7, 8); // PING on stream 1
    const r2 = await run(["-"], { stdin: bad });
    expect(r2.status).toBe(1);
    expect(r2.out).toMatch(/#1 S>C MALFORMED: PROTOCOL_ERROR \(\w+\)/);
  });

  test("--port decodes a connection that started before the capture (no preface)", async () => {
    // The server's SETTINGS frame alone, as the client sees it mid-connection.
    const { writePcap, ipv4Tcp, ethernet } = await import("../capture/builders.js");
    const pkt = ethernet(ipv4Tcp({ sport: 8443, dport: 50000, seq: 77, flags: 0x18, payload: Uint8Array.of(0, 0, 0, 4, 1, 0, 0, 0, 0) }));
    const dir = mkdtempSync(join(tmpdir(), "httpwire-decode-"));
    const file = join(dir, "mid.pcap");
    writeFileSync(file, writePcap(1, [{ data: pkt }]));
    const none = await run([file]);
    expect(none.out).toBe("");
    expect(none.err).toContain("no HTTP/2 found");
    expect(none.status).toBe(2); // nothing decodable

    const r = await run(["--port", "8443", file]);
    expect(r.status).toBe(0);
    expect(r.out).toContain("#1 S>C     0 SETTINGS      [ACK]");
    expect(r.out).toContain("connection 10.0.0.2:50000 -> 10.0.0.1:8443");
  });

  test("control characters in header values are escaped, one frame per line", async () => {
    // HEADERS on stream 1: literal without indexing, new name "x" = "a\nb" (RFC 7541 §6.2.2).
    const block = Uint8Array.of(0x00, 0x01, 0x78, 0x03, 0x61, 0x0a, 0x62);
    const frame = Uint8Array.of(0, 0, block.length, 1, 5, 0, 0, 0, 1, ...block);
    const r = await run(["-"], { stdin: frame });
    expect(r.out).toBe("         - #1 S>C     1 HEADERS       [END_STREAM,END_HEADERS]        7  x: a\\x0ab\n");
  });

  test("usage errors exit 2", async () => {
    expect((await run([])).status).toBe(2);
    expect((await run(["--stream", "x", session])).status).toBe(2);
    expect((await run(["--type", "NOPE", session])).status).toBe(2);
    expect((await run(["/nonexistent/file.pcap"])).err).toContain('cannot read "/nonexistent/file.pcap"');
    expect((await run(["--help"])).out).toContain("Exit status: 0 clean");
  });
});

describe("the progress line", () => {
  function fake(enabled: boolean) {
    let err = "";
    let t = 0;
    const io: CliIo = {
      out: () => undefined,
      err: (s) => {
        err += s;
      },
      isTTY: enabled,
      readStdin: async () => new Uint8Array(0),
    };
    const p = new Progress(io, 100e6, "decoding big.pcap", enabled, () => t);
    return {
      p,
      err: () => err,
      at: (ms: number) => {
        t = ms;
      },
    };
  }

  test("appears only after a second, at most every 250 ms, and is erased at the end", () => {
    const f = fake(true);
    f.at(900);
    f.p.add(10e6);
    expect(f.err()).toBe("");
    f.at(2000);
    f.p.add(10e6);
    expect(f.err()).toBe("\r\x1b[2Kdecoding big.pcap: 20.0 / 100.0 MB (20%), 10.0 MB/s");
    f.at(2100);
    f.p.add(10e6);
    expect(f.err().split("\r").length).toBe(2);
    f.p.finish();
    expect(f.err().endsWith("\r\x1b[2K")).toBe(true);
  });

  test("never shown when not on a terminal", () => {
    const f = fake(false);
    f.at(5000);
    f.p.add(50e6);
    f.p.finish();
    expect(f.err()).toBe("");
  });
});

describe("docs/cli.md", () => {
  // Every `httpwire decode` example on a shipped capture in the docs is run again and must print
  // exactly what the docs show (the docs are real output, and stay so).
  const doc = readFileSync(join(REPO_ROOT, "docs", "cli.md"), "utf8").split("\n");
  const examples: { argv: string[]; expected: string; status: number }[] = [];
  for (let i = 0; i < doc.length; i++) {
    const m = /^\$ httpwire decode (.*fixtures\/captures\/\S+)$/.exec(doc[i]!);
    if (!m || m[1]!.includes("|")) continue;
    const out: string[] = [];
    let j = i + 1;
    while (j < doc.length && !/^\[exit \d\]$/.test(doc[j]!)) out.push(doc[j++]!);
    examples.push({
      argv: m[1]!.split(" ").map((a) => (a.startsWith("fixtures/") ? join(REPO_ROOT, a) : a)),
      expected: out.join("\n"),
      status: Number(doc[j]!.slice(6, 7)),
    });
  }

  test("has decode examples", () => {
    expect(examples.length).toBeGreaterThanOrEqual(5);
  });

  test.each(examples.map((e) => [e.argv.map((a) => a.replace(`${REPO_ROOT}/`, "")).join(" "), e] as const))(
    "httpwire decode %s",
    async (_name, e) => {
      const r = await run(e.argv);
      expect(r.out.trimEnd()).toBe(e.expected);
      expect(r.status).toBe(e.status);
    },
  );
});
