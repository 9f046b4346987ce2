/**
 * `httpwire decode --json` against `tshark -T json` on an encrypted capture
 * of about 100 MB recorded here, in one run, whole process, with peak memory.
 *
 *   npx tsup && npx tsx bench/decode-vs-tshark.ts tls [megabytes]    # as root (dumpcap on lo)
 *   npx tsup && npx tsx bench/decode-vs-tshark.ts quic [megabytes]
 *
 * The capture (never committed) is recorded in the temp directory.
 * `tls`: a node:http2 secure server and client over loopback (TLS 1.3, the
 * client's `keylog` events write the key log), 4 connections of 1 MiB
 * responses, until about the size asked for; tshark runs with `-Y http2`.
 * `quic`: ngtcp2's gtlsserver and gtlsclient (HTTP/3 with nghttp3, GnuTLS
 * writes the key log), one connection fetching 24 MB files until about the
 * size asked for (scripts/record-quic-captures.ts); tshark runs with
 * `-Y http3`. Then each tool runs once under
 * `/usr/bin/time -v` with standard output to /dev/null: wall time ("Elapsed")
 * and peak RSS ("Maximum resident set size"). httpwire runs the built CLI
 * (bin/httpwire.js, dist/).
 */
import { spawnSync } from "node:child_process";
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import http2 from "node:http2";
import { type AddressInfo, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { startDumpcap, stopDumpcap } from "../scripts/dumpcap.js";
import { recordQuicSession } from "../scripts/record-quic-captures.js";

const root = resolve(fileURLToPath(new URL("..", import.meta.url)));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", () => r()));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

async function recordTls(dir: string, megabytes: number): Promise<{ file: string; keys: string }> {
  const file = join(dir, "tls-bench.pcapng");
  const keys = join(dir, "tls-bench.keys");
  const cert = join(dir, "cert.pem");
  const key = join(dir, "key.pem");
  spawnSync(
    "openssl",
    ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "2", "-subj", "/CN=localhost"],
    {
      stdio: "ignore",
    },
  );
  const port = await freePort();
  const body = Buffer.alloc(1024 * 1024, "httpwire benchmark body. ");
  const server = http2.createSecureServer({ key: readFileSync(key), cert: readFileSync(cert) });
  server.on("stream", (stream, headers) => {
    stream.respond({ ":status": 200, "content-type": "application/octet-stream", "x-path": String(headers[":path"]) });
    stream.end(body);
  });
  await new Promise<void>((r) => server.listen(port, "127.0.0.1", () => r()));
  const dumpcap = await startDumpcap(`tcp port ${port}`, file, ["-q", "-B", "64"]);
  try {
    const perConnection = Math.ceil(megabytes / 4);
    await Promise.all(
      Array.from({ length: 4 }, async (_, c) => {
        const client = http2.connect(`https://localhost:${port}`, { rejectUnauthorized: false });
        client.socket?.on("keylog", (line: Buffer) => appendFileSync(keys, line));
        for (let i = 0; i < perConnection; i++) {
          await new Promise<void>((res, rej) => {
            const req = client.request({ ":path": `/c${c}/r${i}`, "user-agent": "httpwire-bench" });
            req.on("data", () => undefined);
            req.on("end", () => res());
            req.on("error", rej);
            req.end();
          });
        }
        await new Promise<void>((r) => client.close(() => r()));
      }),
    );
  } finally {
    await sleep(500);
    await stopDumpcap(dumpcap);
    await new Promise<void>((r) => server.close(() => r()));
  }
  return { file, keys };
}

interface Measured {
  seconds: number;
  maxRssMiB: number;
  status: number;
}

function timed(cmd: string, args: string[]): Measured {
  const r = spawnSync("/usr/bin/time", ["-v", "sh", "-c", `exec "$0" "$@" > /dev/null`, cmd, ...args], {
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  const elapsed = /Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)/.exec(r.stderr);
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr);
  if (elapsed === null || rss === null) throw new Error(`cannot read /usr/bin/time output: ${r.stderr.slice(-2000)}`);
  const seconds = Number(elapsed[1] ?? 0) * 3600 + Number(elapsed[2]) * 60 + Number(elapsed[3]);
  return { seconds, maxRssMiB: Number(rss[1]) / 1024, status: r.status ?? -1 };
}

/**
 * One HTTP/3 connection fetching 24 MB files until about `megabytes` of
 * capture (QUIC, UDP, IP and Ethernet headers add about 11% on loopback);
 * a bigger dumpcap buffer so that no datagram is dropped.
 */
async function recordQuic(dir: string, megabytes: number): Promise<{ file: string; keys: string }> {
  const files: Record<string, number> = { "/index.html": 6 };
  const count = Math.max(1, Math.round(megabytes / (24 * 1.11)));
  for (let i = 0; i < count; i++) files[`/big${i}.bin`] = 24_000_000;
  const r = await recordQuicSession({ name: "quic-bench", files }, dir, { dumpcapBufferMiB: 256, clientTimeoutMs: 300_000 });
  return { file: r.pcapng, keys: r.keys };
}

async function main(): Promise<void> {
  const mode = process.argv[2];
  if (mode !== "tls" && mode !== "quic") throw new Error("usage: bench/decode-vs-tshark.ts tls|quic [megabytes]");
  const megabytes = Number(process.argv[3] ?? 100);
  const filter = mode === "tls" ? "http2" : "http3";
  if (!existsSync(join(root, "dist/cli/main.js"))) throw new Error("build first: npx tsup");
  const dir = mkdtempSync(join(tmpdir(), `httpwire-${mode}-bench-`));
  try {
    const { file, keys } = mode === "tls" ? await recordTls(dir, megabytes) : await recordQuic(dir, megabytes);
    const size = statSync(file).size;
    console.log(`capture: ${(size / 1e6).toFixed(1)} MB, ${file}`);
    const ours = timed(process.execPath, [join(root, "bin/httpwire.js"), "decode", "--json", "--keylog", keys, file]);
    const theirs = timed("tshark", ["-r", file, "-o", `tls.keylog_file:${keys}`, "-Y", filter, "-T", "json"]);
    const rate = (m: Measured) => `${(size / 1e6 / m.seconds).toFixed(1)} MB/s`;
    console.log(
      `httpwire decode --json: ${ours.seconds.toFixed(2)} s (${rate(ours)}), peak RSS ${ours.maxRssMiB.toFixed(0)} MiB, exit ${ours.status}`,
    );
    console.log(
      `tshark -Y ${filter} -T json: ${theirs.seconds.toFixed(2)} s (${rate(theirs)}), peak RSS ${theirs.maxRssMiB.toFixed(0)} MiB, exit ${theirs.status}`,
    );
    console.log(`ratio (tshark time / httpwire time): ${(theirs.seconds / ours.seconds).toFixed(2)}x`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
