/**
 * The capture viewer's browser test (test/browser/viewer.test.ts) compares
 * its table with fixtures/viewer/*.jsonl; this test keeps those files equal,
 * line for line, to what `httpwire decode --json` prints for the same
 * captures today, so the comparison is with the command, not with an old copy.
 */
import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { fixturePath } from "../helpers/corpora.js";
import { runCli } from "./run-cli.js";

const CASES = [
  { capture: "h2-session.pcapng", expected: "h2-session.jsonl", extra: [] as string[] },
  {
    capture: "tls/tls13-aes128gcm.pcapng",
    expected: "tls13-aes128gcm.jsonl",
    extra: ["--keylog", fixturePath("captures", "tls", "tls13-aes128gcm.keys")],
  },
];

describe("fixtures/viewer: the command's --json output", () => {
  test.each(CASES)("$expected is `httpwire decode --json $capture`", async ({ capture, expected, extra }) => {
    const r = await runCli(["decode", "--json", ...extra, fixturePath("captures", capture)]);
    expect(r.out).toBe(readFileSync(fixturePath("viewer", expected), "utf8"));
  });
});

describe("decode --har", () => {
  test("writes a HAR 1.2 file with one entry per exchange, the same as the library's", async () => {
    const { mkdtempSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const { captureToHar, decodeCapture } = await import("httpwire/capture");
    const out = join(mkdtempSync(join(tmpdir(), "httpwire-har-")), "out.har");
    const file = fixturePath("captures", "h2-session.pcapng");
    const r = await runCli(["decode", "--har", out, file]);
    expect(r.status).toBe(0);
    const written = JSON.parse(readFileSync(out, "utf8"));
    const library = await captureToHar(decodeCapture([new Uint8Array(readFileSync(file))]));
    expect(written).toEqual(JSON.parse(JSON.stringify(library)));
    expect(written.log.entries).toHaveLength(16);
  });
});
