// Issue 12 finding 9 (CLI part): bounded output per field, and backpressure.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import type { CliIo } from "../../src/cli/io.js";
import { main } from "../../src/cli/main.js";
import { concat, h2Frame } from "../capture/builders.js";
import { captureBytes } from "../capture/fixtures.js";
import { runCli } from "./run-cli.js";

const PREFACE = new TextEncoder().encode("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");

/** HEADERS on stream 1 + 2k: a literal `x` with a 4,000-byte value, indexed, then `refs` references to it. */
function bombBlock(streamId: number, refs: number): Uint8Array {
  const block = concat([
    Uint8Array.of(0x40, 0x01, 0x78, 0x7f, 0xa1, 0x1e),
    new Uint8Array(4000).fill(0x61),
    new Uint8Array(refs).fill(0xbe),
  ]);
  return h2Frame(0x1, 0x5, streamId, block);
}

function file(bytes: Uint8Array): string {
  const dir = mkdtempSync(join(tmpdir(), "httpwire-bounds-"));
  const path = join(dir, "in.bin");
  writeFileSync(path, bytes);
  return path;
}

describe("httpwire decode output bounds", () => {
  test("--json cuts a long header value after 1000 characters unless --full-values", async () => {
    const path = file(concat([PREFACE, bombBlock(1, 3)]));
    const cut = await runCli(["decode", "--json", path]);
    const fields = JSON.parse(cut.out.trim().split("\n").at(-1)!).fields;
    expect(fields[0]).toEqual({ name: "x", value: `${"a".repeat(1000)}…(3000 more bytes)`, valueLength: 4000 });
    expect(fields).toHaveLength(4);
    const full = await runCli(["decode", "--json", "--full-values", path]);
    expect(JSON.parse(full.out.trim().split("\n").at(-1)!).fields[0]).toEqual({ name: "x", value: "a".repeat(4000) });
  });

  test("a header bomb prints bounded output", async () => {
    // 100 field blocks of 4 KiB references: 16.7 MB of header list each with the old 16 MiB limit.
    const path = file(concat([PREFACE, ...Array.from({ length: 100 }, (_, i) => bombBlock(1 + 2 * i, 4096))]));
    const r = await runCli(["decode", "--json", path]);
    expect(r.out.length).toBeLessThan(64 * 1024);
    expect(r.out).toContain("COMPRESSION_ERROR");
  });

  test("a slowly read output is never written to while it is full", async () => {
    const path = file(concat([PREFACE, ...Array.from({ length: 200 }, (_, i) => bombBlock(1 + 2 * i, 200))]));
    let buffered = 0;
    let maxBuffered = 0;
    let waiting: (() => void) | undefined;
    let writesWhileFull = 0;
    const HIGH = 64 * 1024;
    const io: CliIo = {
      out: (t) => {
        if (waiting !== undefined) writesWhileFull++;
        buffered += t.length;
        maxBuffered = Math.max(maxBuffered, buffered);
        if (buffered < HIGH) return undefined;
        return new Promise<void>((resolve) => {
          waiting = resolve;
          // The reader takes everything a little later.
          setTimeout(() => {
            buffered = 0;
            waiting = undefined;
            resolve();
          }, 1);
        });
      },
      err: () => undefined,
      isTTY: false,
      readStdin: async () => new Uint8Array(0),
    };
    expect(await main(["decode", "--json", "--full-values", path], io)).toBe(0);
    expect(writesWhileFull).toBe(0);
    // At most one line beyond the high-water mark: a line holds at most a header list of 1 MiB.
    expect(maxBuffered).toBeLessThan(HIGH + 2 * 1024 * 1024);
  });

  test("every decode option takes --flag=value and --flag value alike; --help", async () => {
    const path = file(concat([PREFACE, h2Frame(0x4, 0, 0, new Uint8Array(0)), h2Frame(0x6, 0, 0, new Uint8Array(8))]));
    const a = await runCli(["decode", "--type=PING", "--stream=0", path]);
    const b = await runCli(["decode", "--type", "PING", "--stream", "0", path]);
    expect(a).toEqual(b);
    expect(a.out).toContain("PING");
    expect(a.out).not.toContain("SETTINGS");
    const h = await runCli(["decode", "--help"]);
    expect(h.status).toBe(0);
    expect(h.out).toContain("--full-values");
    const bad = await runCli(["decode", "--bogus", path]);
    expect(bad.status).toBe(2);
  });
});

describe("httpwire decode: a broken record keeps what came before (issue 12 finding 7)", () => {
  test("the shipped pcap followed by a record header claiming 2^31-1 bytes: 69 frames, then MALFORMED", async () => {
    const pcap = captureBytes("h2-session.pcap");
    const bad = new Uint8Array(16);
    new DataView(bad.buffer).setUint32(8, 2 ** 31 - 1, pcap[0] === 0xd4);
    const r = await runCli(["decode", "--json", file(concat([pcap, bad]))]);
    const lines = r.out
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { kind: string; reason?: string });
    expect(lines.filter((l) => l.kind === "frame")).toHaveLength(69);
    expect(lines.filter((l) => l.kind === "error").map((l) => l.reason)).toEqual(["pcap_record_too_long"]);
    expect(r.status).toBe(1);
  });
});
