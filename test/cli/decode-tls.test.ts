/** `httpwire decode` on TLS captures: --keylog, the connection line, notices, .gz, and the exit status. */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, test } from "vitest";
import { TLS_FIXTURES, tlsCapture, tlsFixturePath } from "../capture/tls-fixtures.js";
import { type CliResult, runCli } from "./run-cli.js";

const run = (argv: string[]): Promise<CliResult> => runCli(["decode", ...argv]);
const cap = (name: string) => tlsFixturePath(`${name}.pcapng`);
const keys = (name: string) => tlsFixturePath(`${name}.keys`);
const tmp = () => mkdtempSync(join(tmpdir(), "httpwire-decode-tls-"));

describe("httpwire decode over TLS", () => {
  test("--keylog decrypts; the connection line names version, suite and ALPN; exit 0", async () => {
    const r = await run(["--keylog", keys("tls12-aes256gcm"), cap("tls12-aes256gcm")]);
    expect(r.status).toBe(0);
    expect(r.err).toBe("");
    expect(r.out).toMatch(
      /#1 {5}connection 127\.0\.0\.1:\d+ -> 127\.0\.0\.1:18443 TLS 1\.2 TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384, ALPN h2\n/,
    );
    expect(r.out).toMatch(/#1 C>S {5}1 HEADERS {7}\[END_STREAM,END_HEADERS\] {7}31 {2}:method: GET, :path: \/index\.html/);
  });

  test("secrets embedded in the file: no --keylog needed", async () => {
    const r = await run([cap("tls13-embedded-secrets")]);
    expect(r.status).toBe(0);
    expect(r.out).toContain("TLS 1.3 TLS_AES_128_GCM_SHA256, ALPN h2");
    expect(r.out.split("\n").filter((l) => / (HEADERS|DATA) /.test(l))).toHaveLength(6);
  });

  test("--json: the open line carries the TLS details, frames are the same JSON as cleartext", async () => {
    const r = await run(["--json", "--keylog", keys("node-http2"), cap("node-http2")]);
    expect(r.status).toBe(0);
    const lines = r.out
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines[0]).toMatchObject({ kind: "open", connection: 1, tls: { version: "TLS 1.3", serverName: "localhost", alpn: "h2" } });
    const headers = lines.find((l) => l.kind === "frame" && l.type === "HEADERS")!;
    expect(headers).toMatchObject({ direction: "client-to-server", streamId: 1, flagNames: ["END_STREAM", "END_HEADERS"] });
    expect((headers.fields as unknown[]).slice(0, 2)).toEqual([
      { name: ":method", value: "GET" },
      { name: ":path", value: "/one" },
    ]);
  });

  test("without keys: one NOTE line with the client random, and exit 2 (nothing decodable), --json too", async () => {
    const r = await run([cap("tls13-aes128gcm")]);
    expect(r.status).toBe(2);
    expect(r.out).toMatch(
      /^ +0\.000000 +NOTE: 127\.0\.0\.1:\d+ -> 127\.0\.0\.1:18443: TLS 1\.3 TLS_AES_128_GCM_SHA256, ALPN offered h2,http\/1\.1: not decrypted: no keys in the key log for client random [0-9a-f]{64}\n$/,
    );
    expect(r.err).toContain("--keylog FILE");
    const j = await run(["--json", cap("tls13-aes128gcm")]);
    expect(j.status).toBe(2);
    expect(JSON.parse(j.out)).toMatchObject({ kind: "notice", reason: "tls-no-keys", tls: { version: "TLS 1.3" } });
  });

  test("ALPN http/1.1 and a CBC suite are named; exit 2", async () => {
    const a = await run(["--keylog", keys("tls13-http11"), cap("tls13-http11")]);
    expect(a.status).toBe(2);
    expect(a.out).toContain("ALPN http/1.1: not HTTP/2: skipped");
    const b = await run(["--keylog", keys("tls12-cbc"), cap("tls12-cbc")]);
    expect(b.status).toBe(2);
    expect(b.out).toContain("cipher suite TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256 cannot be decrypted");
  });

  test("malformed key log lines go to standard error with file and line number; decoding goes on", async () => {
    const dir = tmp();
    const bad = join(dir, "keys.txt");
    writeFileSync(bad, "garbage here\nCLIENT_RANDOM 00 11\n");
    const good = keys("tls12-chacha20");
    const r = await run(["--keylog", bad, "--keylog", good, cap("tls12-chacha20")]);
    expect(r.status).toBe(0);
    expect(r.err).toMatch(new RegExp(`^httpwire decode: key log ${bad} line 2: .+ \\(skipped\\)\\n$`));
    expect(r.out).toContain("TLS 1.2 TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256, ALPN h2");
  });

  test("a missing key log file is a usage error (exit 2)", async () => {
    const r = await run(["--keylog", "/nonexistent/keys", cap("tls13-aes128gcm")]);
    expect(r.status).toBe(2);
    expect(r.err).toContain('cannot read key log "/nonexistent/keys"');
  });

  test("a .gz capture is read transparently, the same output", async () => {
    const dir = tmp();
    const gz = join(dir, "cap.pcapng.gz");
    const f = TLS_FIXTURES.find((x) => x.name === "tls13-chacha20")!;
    writeFileSync(gz, gzipSync(tlsCapture(f)));
    const plain = await run(["--keylog", keys(f.name), cap(f.name)]);
    const r = await run(["--keylog", keys(f.name), gz]);
    expect(r.status).toBe(0);
    expect(r.out).toBe(plain.out);
  });

  test("a damaged TLS record: a MALFORMED line for that direction, exit 1", async () => {
    const dir = tmp();
    const bytes = new Uint8Array(tlsCapture(TLS_FIXTURES.find((x) => x.name === "tls13-aes128gcm")!));
    // Flip a byte near the end of the largest packet (inside the server's encrypted DATA record).
    const { PcapngReader } = await import("httpwire/capture");
    const r0 = new PcapngReader();
    const packets = r0.push(bytes);
    const big = packets.reduce((a, b) => (b.data.length > a.data.length ? b : a));
    bytes[big.data.byteOffset - bytes.byteOffset + big.data.length - 40]! ^= 0x80;
    const file = join(dir, "damaged.pcapng");
    writeFileSync(file, bytes);
    const r = await run(["--keylog", keys("tls13-aes128gcm"), file]);
    expect(r.status).toBe(1);
    expect(r.out).toMatch(/#1 S>C MALFORMED: TLS_\w+ \(\w+\) .+; this direction not decoded further\n/);
  });

  test("an h2c upgrade: the UPGRADE line shows stream 1's request and HTTP2-Settings", async () => {
    const r = await run([cap("h2c-upgrade")]);
    expect(r.status).toBe(0);
    expect(r.out).toContain("upgraded from HTTP/1.1 (h2c)");
    expect(r.out).toMatch(
      /#1 C>S {5}1 UPGRADE {7}\[HTTP\/1\.1 request\] {14}- {2}:method: GET, :scheme: http, :authority: 127\.0\.0\.1:18446, :path: \/index\.html, user-agent: curl\/7\.88\.1, accept: \*\/\*; HTTP2-Settings: SETTINGS_MAX_CONCURRENT_STREAMS=100, SETTINGS_INITIAL_WINDOW_SIZE=33554432, SETTINGS_ENABLE_PUSH=0\n/,
    );
  });

  test("an unsupported link type is named with its number; exit 2", async () => {
    const { writePcap } = await import("../capture/builders.js");
    const dir = tmp();
    const file = join(dir, "usb.pcap");
    writeFileSync(file, writePcap(189, [{ data: new Uint8Array(64) }]));
    const r = await run([file]);
    expect(r.status).toBe(2);
    expect(r.out).toContain("NOTE: link type 189 is not supported");
  });
});
