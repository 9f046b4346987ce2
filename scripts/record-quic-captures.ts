/**
 * Records real HTTP/3 sessions on loopback for the QUIC capture tests:
 * ngtcp2's `gtlsserver` and `gtlsclient` (GnuTLS, nghttp3 with QPACK's
 * dynamic table), `SSLKEYLOGFILE` for the secrets, `dumpcap` on `lo`.
 * Run as root (dumpcap captures on `lo`):
 *
 *   npx tsx scripts/record-quic-captures.ts                 # the small fixtures in fixtures/captures/quic/
 *   npx tsx scripts/record-quic-captures.ts --out DIR big   # also the multi-megabyte sessions, into DIR
 *   npx tsx scripts/record-quic-captures.ts h3-chacha20     # only the ones named
 *
 * Each session writes NAME.pcapng and NAME.keys (the key log) plus
 * NAME.json: the requests the client made and the files the server served
 * (path and size), which the tests compare with the decoded fields.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { createSocket } from "node:dgram";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { startDumpcap, stopDumpcap } from "./dumpcap.js";

/** One recorded session. */
export interface QuicSession {
  readonly name: string;
  /** Files served (path -> size in bytes); the client requests them in this order. */
  readonly files: Readonly<Record<string, number>>;
  /** gtlsclient options (`--ciphers`, `--key-update`, `-v`...). */
  readonly client?: readonly string[];
  /** gtlsserver options (`-t`/`-r` loss...). */
  readonly server?: readonly string[];
  /** Requests per connection are made on one connection; `repeat` asks for the list this many times. */
  readonly repeat?: number;
  /** Keep UDP GSO (the server batches datagrams; the capture sees batches of up to 64 KiB). Default off, as tshark cannot read batches. */
  readonly gso?: boolean;
  /** The session must end with a failing client (e.g. a version the server refuses). */
  readonly expectFailure?: boolean;
}

const TLS13 = "NORMAL:-VERS-ALL:+VERS-TLS1.3:-CIPHER-ALL";

/** The small sessions shipped in fixtures/captures/quic/. */
export const SMALL_SESSIONS: readonly QuicSession[] = [
  { name: "h3-aes128gcm", files: { "/index.html": 6, "/a.txt": 1000, "/b.bin": 20_000 }, client: [`--ciphers=${TLS13}:+AES-128-GCM`] },
  { name: "h3-aes256gcm", files: { "/index.html": 6, "/c.bin": 5_000 }, client: [`--ciphers=${TLS13}:+AES-256-GCM`] },
  { name: "h3-chacha20", files: { "/index.html": 6, "/c.bin": 5_000 }, client: [`--ciphers=${TLS13}:+CHACHA20-POLY1305`] },
  { name: "h3-v2draft", files: { "/index.html": 6, "/a.txt": 1000 }, client: ["-v", "0x709a50c4"] },
  { name: "h3-version-negotiation", files: { "/index.html": 6 }, client: ["-v", "0x6b3343cf"], expectFailure: true },
];

/** The large sessions (not shipped; the tests record them when the tools are there). */
export const BIG_SESSIONS: readonly QuicSession[] = [
  { name: "h3-multi-mb", files: { "/index.html": 6, "/big1.bin": 3_000_000, "/big2.bin": 2_000_000 }, repeat: 2 },
  { name: "h3-key-update", files: { "/big.bin": 4_000_000 }, client: ["--key-update=20ms"] },
  { name: "h3-loss", files: { "/a.bin": 300_000, "/b.bin": 200_000 }, server: ["-t", "0.03"], client: ["-t", "0.03"] },
  { name: "h3-gso", files: { "/big.bin": 2_000_000 }, gso: true },
];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A free UDP port on 127.0.0.1 (probe: bind port 0, read it, close). */
export async function freeUdpPort(): Promise<number> {
  const s = createSocket("udp4");
  await new Promise<void>((r) => s.bind(0, "127.0.0.1", () => r()));
  const port = s.address().port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** Whether the tools are installed and we may capture (root). */
export function canRecord(): boolean {
  try {
    execFileSync("which", ["gtlsserver", "gtlsclient", "dumpcap"], { stdio: "ignore" });
  } catch {
    return false;
  }
  return typeof process.getuid === "function" && process.getuid() === 0;
}

async function stop(p: ChildProcess, signal: NodeJS.Signals = "SIGINT"): Promise<void> {
  if (p.exitCode !== null || p.signalCode !== null) return;
  const done = new Promise((r) => p.on("exit", r));
  p.kill(signal);
  await done;
}

function run(cmd: string, args: readonly string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<number> {
  return new Promise((res) => {
    const p = spawn(cmd, args, { env, stdio: "ignore" });
    const t = setTimeout(() => p.kill("SIGKILL"), timeoutMs);
    p.on("exit", (code) => {
      clearTimeout(t);
      res(code ?? -1);
    });
  });
}

/** Deterministic file contents (so a rerun serves the same bytes). */
function content(size: number, seed: number): Uint8Array {
  const b = new Uint8Array(size);
  let x = seed * 2654435761 + 1;
  for (let i = 0; i < size; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    b[i] = x >>> 24;
  }
  return b;
}

/**
 * Records one session into `outDir` (NAME.pcapng, NAME.keys, NAME.json).
 * @returns the paths written
 */
export async function recordQuicSession(
  s: QuicSession,
  outDir: string,
  options: { readonly dumpcapBufferMiB?: number; readonly clientTimeoutMs?: number } = {},
): Promise<{ pcapng: string; keys: string; meta: string }> {
  const dir = mkdtempSync(join(tmpdir(), "httpwire-quic-"));
  const htdocs = join(dir, "htdocs");
  mkdirSync(htdocs);
  let seed = 1;
  for (const [path, size] of Object.entries(s.files)) writeFileSync(join(htdocs, path), content(size, seed++));
  execFileSync(
    "openssl",
    [
      "req",
      "-x509",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:P-256",
      "-nodes",
      "-keyout",
      join(dir, "key.pem"),
      "-out",
      join(dir, "cert.pem"),
      "-days",
      "30",
      "-subj",
      "/CN=localhost",
    ],
    { stdio: "ignore" },
  );
  const port = await freeUdpPort();
  const cap = join(dir, "cap.pcapng");
  const keys = join(dir, "keys.log");
  const dc = await startDumpcap(`udp port ${port}`, cap, ["-q", "-B", String(options.dumpcapBufferMiB ?? 64)]);
  const server = spawn(
    "gtlsserver",
    [
      "-q",
      "-d",
      htdocs,
      ...(s.gso ? [] : ["--max-gso-dgrams=1"]),
      ...(s.server ?? []),
      "127.0.0.1",
      String(port),
      join(dir, "key.pem"),
      join(dir, "cert.pem"),
    ],
    { stdio: "ignore" },
  );
  try {
    await sleep(300);
    const uris: string[] = [];
    for (let i = 0; i < (s.repeat ?? 1); i++) for (const path of Object.keys(s.files)) uris.push(`https://localhost:${port}${path}`);
    const code = await run(
      "gtlsclient",
      ["-q", "--exit-on-all-streams-close", ...(s.client ?? []), "127.0.0.1", String(port), ...uris],
      { ...process.env, SSLKEYLOGFILE: keys },
      options.clientTimeoutMs ?? 60_000,
    );
    if (code !== 0 && !s.expectFailure) throw new Error(`gtlsclient exited with ${code} in session ${s.name}`);
    await sleep(300);
  } finally {
    await stop(server, "SIGTERM");
    await stopDumpcap(dc);
  }
  mkdirSync(outDir, { recursive: true });
  const out = { pcapng: join(outDir, `${s.name}.pcapng`), keys: join(outDir, `${s.name}.keys`), meta: join(outDir, `${s.name}.json`) };
  copyFileSync(cap, out.pcapng);
  writeFileSync(out.keys, existsSync(keys) ? readFileSync(keys) : "");
  const requests: { path: string; size: number }[] = [];
  for (let i = 0; i < (s.repeat ?? 1); i++) for (const [path, size] of Object.entries(s.files)) requests.push({ path, size });
  writeFileSync(
    out.meta,
    `${JSON.stringify({ name: s.name, client: s.client ?? [], server: s.server ?? [], requests, expectFailure: s.expectFailure ?? false }, null, 2)}\n`,
  );
  rmSync(dir, { recursive: true, force: true });
  return out;
}

async function cli(): Promise<void> {
  const args = process.argv.slice(2);
  let outDir = resolve(fileURLToPath(new URL("../fixtures/captures/quic", import.meta.url)));
  const o = args.indexOf("--out");
  if (o >= 0) {
    outDir = resolve(args[o + 1]!);
    args.splice(o, 2);
  }
  const big = args.includes("big");
  const names = args.filter((a) => a !== "big");
  const all = [...SMALL_SESSIONS, ...(big ? BIG_SESSIONS : [])];
  for (const s of all) {
    if (names.length > 0 && !names.includes(s.name) && !(big && BIG_SESSIONS.includes(s))) continue;
    const r = await recordQuicSession(s, outDir);
    console.log(`${s.name}: ${r.pcapng}`);
  }
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await cli();
