/**
 * Records the TLS, h2c-upgrade and CONNECT-tunnel capture fixtures in
 * fixtures/captures/tls/ from real sessions over loopback, each with the key
 * log its client wrote (SSLKEYLOGFILE, or node's `keylog` events). Run as
 * root (dumpcap captures on `lo`):
 *
 *   npx tsx scripts/record-tls-captures.ts                 # every capture
 *   npx tsx scripts/record-tls-captures.ts tls13-chacha20  # only the ones named
 *
 * Needs dumpcap and editcap (tshark), curl (OpenSSL backend), nghttpd and
 * openssl. The server certificate is made afresh (openssl req) in a
 * temporary directory: the captures need only the key log, never the key.
 * Every session uses the fixed ports of {@link TLS_CAPTURE_PORTS} (the
 * tshark agreement test decodes those ports as TLS / HTTP).
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { appendFileSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import http2 from "node:http2";
import https from "node:https";
import net from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { HpackEncoder } from "../src/hpack/index.js";
import { encodeFrame, FrameType } from "../src/http2/index.js";
import { testCredentials } from "../test/capture/tls/sessions.js";
import { startDumpcap, stopDumpcap } from "./dumpcap.js";

/** The ports the sessions use; the tshark agreement test reads the same list. */
export const TLS_CAPTURE_PORTS = {
  nghttpd: 18443,
  node: 18444,
  keyUpdate: 18445,
  h2c: 18446,
  proxy: 18447,
  h2cTarget: 18448,
  https: 18449,
  cbc: 18450,
} as const;

const outDir = resolve(fileURLToPath(new URL("../fixtures/captures/tls", import.meta.url)));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Work {
  readonly dir: string;
  readonly keys: string;
}

/** Records one session: the capture goes to NAME.pcapng and the key log (if any) to NAME.keys. */
async function record(name: string, ports: readonly number[], session: (w: Work) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "httpwire-tls-rec-"));
  const file = join(dir, "cap.pcapng");
  const w: Work = { dir, keys: join(dir, "keys.txt") };
  const dc = await startDumpcap(ports.map((p) => `tcp port ${p}`).join(" or "), file);
  try {
    await session(w);
  } finally {
    await stopDumpcap(dc);
  }
  // Drop the ethernet-less loopback noise: keep the file as dumpcap wrote it.
  const dest = join(outDir, `${name}.pcapng`);
  copyFileSync(file, dest);
  console.log(`${dest}: ${statSync(dest).size} bytes`);
  if (existsSync(w.keys)) {
    copyFileSync(w.keys, join(outDir, `${name}.keys`));
  }
  rmSync(dir, { recursive: true, force: true });
}

/** A self-signed RSA certificate for localhost (RSA so that the ECDHE-RSA suites work), written to `dir`. */
function makeCert(dir: string): { key: string; cert: string } {
  const { key, cert } = testCredentials();
  const paths = { key: join(dir, "key.pem"), cert: join(dir, "cert.pem") };
  writeFileSync(paths.key, key);
  writeFileSync(paths.cert, cert);
  return paths;
}

/** A document root with two small files. */
function makeDocroot(dir: string): string {
  const root = join(dir, "www");
  mkdirSync(root);
  writeFileSync(join(root, "index.html"), "<!doctype html><title>httpwire</title><p>hello over TLS</p>\n");
  writeFileSync(join(root, "data.txt"), `${"httpwire ".repeat(400)}\n`);
  return root;
}

async function startNghttpd(args: string[]): Promise<ChildProcess> {
  const p = spawn("nghttpd", args, { stdio: ["ignore", "ignore", "pipe"] });
  p.stderr!.on("data", () => undefined);
  await sleep(400);
  if (p.exitCode !== null) throw new Error(`nghttpd exited with ${p.exitCode}`);
  return p;
}

async function stop(p: ChildProcess): Promise<void> {
  if (p.exitCode !== null) return;
  const done = new Promise((r) => p.on("exit", r));
  p.kill("SIGTERM");
  await done;
}

/** Runs curl without blocking the event loop (some servers run in this process). */
async function curl(args: string[], keys: string | undefined): Promise<void> {
  const p = spawn("curl", ["-s", "-S", "-o", "/dev/null", ...args], {
    env: { ...process.env, ...(keys === undefined ? {} : { SSLKEYLOGFILE: keys }) },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const code = await new Promise((r) => p.on("exit", r));
  if (code !== 0) throw new Error(`curl ${args.join(" ")} exited with ${code}`);
}

/** curl --http2 against nghttpd over TLS: two requests on one connection with the curl options given. */
function curlTls(tlsArgs: string[]): (w: Work) => Promise<void> {
  return async (w) => {
    const { key, cert } = makeCert(w.dir);
    const root = makeDocroot(w.dir);
    const port = TLS_CAPTURE_PORTS.nghttpd;
    const server = await startNghttpd(["-d", root, String(port), key, cert]);
    try {
      await curl(["--http2", "-k", ...tlsArgs, `https://127.0.0.1:${port}/index.html`, `https://127.0.0.1:${port}/data.txt`], w.keys);
    } finally {
      await stop(server);
    }
  };
}

/** node:http2 secure client and server; the client's `keylog` events write the key log. */
async function nodeSession(w: Work): Promise<void> {
  const { key, cert } = makeCert(w.dir);
  const port = TLS_CAPTURE_PORTS.node;
  const server = http2.createSecureServer({ key: readFileSync(key), cert: readFileSync(cert) });
  server.on("stream", (stream, headers) => {
    const path = String(headers[":path"]);
    let n = 0;
    stream.on("data", (c: Buffer) => (n += c.length));
    stream.on("end", () => {
      stream.respond({ ":status": 200, "content-type": "text/plain", "x-path": path });
      stream.end(`node:http2 over TLS ${path} (${n} bytes received)\n`);
    });
  });
  await new Promise<void>((res) => server.listen(port, "127.0.0.1", () => res()));
  const client = http2.connect(`https://localhost:${port}`, { rejectUnauthorized: false });
  client.socket?.on("keylog", (line: Buffer) => appendFileSync(w.keys, line));
  client.on("connect", () => undefined);
  await new Promise<void>((res, rej) => {
    client.once("remoteSettings", () => res());
    client.once("error", rej);
  });
  const request = (path: string, body?: string) =>
    new Promise<void>((res, rej) => {
      const req = client.request({ ":method": body === undefined ? "GET" : "POST", ":path": path, "user-agent": "httpwire-recorder/1.0" });
      req.on("data", () => undefined);
      req.on("end", () => res());
      req.on("error", rej);
      req.end(body);
    });
  await request("/one");
  await request("/two", "a small body");
  await Promise.all([request("/three"), request("/four")]);
  await new Promise<void>((res) => client.close(() => res()));
  await new Promise<void>((res) => server.close(() => res()));
}

/**
 * A CBC suite with ALPN h2 (RFC 9113 §9.2.2 forbids it; node:http2 accepts the handshake): curl --http2
 * to a node:http2 secure server offering only ECDHE-RSA-AES128-SHA256. httpwire names the suite.
 */
async function cbcSession(w: Work): Promise<void> {
  const { key, cert } = makeCert(w.dir);
  const port = TLS_CAPTURE_PORTS.cbc;
  const server = http2.createSecureServer({
    key: readFileSync(key),
    cert: readFileSync(cert),
    maxVersion: "TLSv1.2",
    ciphers: "ECDHE-RSA-AES128-SHA256",
  });
  server.on("stream", (stream) => {
    stream.respond({ ":status": 200 });
    stream.end("cbc\n");
  });
  server.on("sessionError", () => undefined);
  await new Promise<void>((res) => server.listen(port, "127.0.0.1", () => res()));
  try {
    await curl(["--http2", "-k", "--tls-max", "1.2", "--ciphers", "ECDHE-RSA-AES128-SHA256", `https://127.0.0.1:${port}/`], w.keys).catch(
      (e: Error) => console.log(`(expected) ${e.message}`),
    );
  } finally {
    await new Promise<void>((res) => server.close(() => res()));
  }
}

/** curl over HTTP/1.1 and TLS to a node:https server: ALPN http/1.1 (not HTTP/2), with the curl options given (a CBC suite). */
function http11Session(tlsArgs: string[]): (w: Work) => Promise<void> {
  return async (w) => {
    const { key, cert } = makeCert(w.dir);
    const port = TLS_CAPTURE_PORTS.https;
    const server = https.createServer({ key: readFileSync(key), cert: readFileSync(cert) }, (_req, res) => {
      res.end("hello over HTTP/1.1\n");
    });
    await new Promise<void>((res) => server.listen(port, "127.0.0.1", () => res()));
    try {
      await curl(["--http1.1", "-k", ...tlsArgs, `https://127.0.0.1:${port}/`], w.keys);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((res) => server.close(() => res()));
    }
  };
}

/** The preface, SETTINGS and one GET as raw HTTP/2 bytes (what s_client passes through untouched). */
function h2Request(encoder: HpackEncoder, streamId: number, path: string, preface: boolean): Uint8Array {
  const fieldBlock = encoder.encode([
    { name: ":method", value: "GET" },
    { name: ":scheme", value: "https" },
    { name: ":authority", value: "localhost" },
    { name: ":path", value: path },
  ]);
  const parts: Uint8Array[] = [];
  if (preface) {
    parts.push(new TextEncoder().encode("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"));
    parts.push(encodeFrame({ type: FrameType.SETTINGS, streamId: 0 }));
  }
  parts.push(encodeFrame({ type: FrameType.HEADERS, streamId, endStream: true, endHeaders: true, fragment: fieldBlock }));
  return Buffer.concat(parts);
}

/**
 * A TLS 1.3 KeyUpdate in both directions: `openssl s_client` (ALPN h2) sends
 * one request, then its `K` command (KeyUpdate, update_requested, so nghttpd
 * answers with its own), then a second request under the new keys.
 */
async function keyUpdateSession(w: Work): Promise<void> {
  const { key, cert } = makeCert(w.dir);
  const root = makeDocroot(w.dir);
  const port = TLS_CAPTURE_PORTS.keyUpdate;
  const server = await startNghttpd(["-d", root, String(port), key, cert]);
  try {
    const client = spawn("openssl", ["s_client", "-connect", `127.0.0.1:${port}`, "-alpn", "h2", "-tls1_3", "-keylogfile", w.keys], {
      stdio: ["pipe", "ignore", "ignore"],
    });
    const encoder = new HpackEncoder();
    await sleep(800);
    client.stdin!.write(h2Request(encoder, 1, "/index.html", true));
    await sleep(600);
    client.stdin!.write("K\n");
    await sleep(600);
    client.stdin!.write(h2Request(encoder, 3, "/data.txt", false));
    await sleep(800);
    const done = new Promise((r) => client.on("exit", r));
    client.stdin!.end();
    await Promise.race([done, sleep(2000).then(() => client.kill())]);
  } finally {
    await stop(server);
  }
}

/**
 * `Upgrade: h2c`: curl --http2 to a small HTTP/1.1 server of our own (nghttpd
 * and node:http2 do not take upgrades) that answers 101, then speaks HTTP/2
 * with httpwire's encoders: its SETTINGS, the response to the upgraded
 * request on stream 1, the ACK of the client's SETTINGS, GOAWAY.
 */
async function upgradeSession(_w: Work): Promise<void> {
  const port = TLS_CAPTURE_PORTS.h2c;
  const server = net.createServer((socket) => {
    let upgraded = false;
    let acked = false;
    socket.on("data", (chunk: Buffer) => {
      if (!upgraded) {
        upgraded = true;
        const encoder = new HpackEncoder();
        const body = new TextEncoder().encode("hello after Upgrade: h2c\n");
        socket.write(
          Buffer.concat([
            Buffer.from("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n"),
            encodeFrame({ type: FrameType.SETTINGS, streamId: 0, settings: [{ id: 3, value: 100 }] }),
            encodeFrame({
              type: FrameType.HEADERS,
              streamId: 1,
              endHeaders: true,
              fragment: encoder.encode([
                { name: ":status", value: "200" },
                { name: "content-type", value: "text/plain" },
                { name: "content-length", value: String(body.length) },
              ]),
            }),
            encodeFrame({ type: FrameType.DATA, streamId: 1, endStream: true, data: body }),
          ]),
        );
        return;
      }
      if (!acked && chunk.includes("PRI * HTTP/2.0")) {
        acked = true;
        socket.write(encodeFrame({ type: FrameType.SETTINGS, streamId: 0, ack: true }));
        setTimeout(() => socket.end(encodeFrame({ type: FrameType.GOAWAY, streamId: 0, lastStreamId: 1, errorCode: 0 })), 200);
      }
    });
    socket.on("error", () => undefined);
  });
  await new Promise<void>((res) => server.listen(port, "127.0.0.1", () => res()));
  try {
    await curl(["--http2", `http://127.0.0.1:${port}/index.html`], undefined);
  } finally {
    await new Promise<void>((res) => server.close(() => res()));
  }
}

/** A tiny HTTP/1.1 CONNECT proxy: answers 200 and relays bytes both ways. */
async function startProxy(port: number): Promise<net.Server> {
  const proxy = net.createServer((socket) => {
    socket.once("data", (head: Buffer) => {
      const m = /^CONNECT ([^ :]+):(\d+) HTTP\/1\.1\r\n/.exec(head.toString("latin1"));
      if (m === null) {
        socket.end("HTTP/1.1 400 Bad Request\r\n\r\n");
        return;
      }
      const upstream = net.connect(Number(m[2]), m[1]!, () => {
        socket.write("HTTP/1.1 200 Connection Established\r\n\r\n");
        socket.pipe(upstream);
        upstream.pipe(socket);
      });
      upstream.on("error", () => socket.destroy());
      socket.on("error", () => upstream.destroy());
    });
  });
  await new Promise<void>((res) => proxy.listen(port, "127.0.0.1", () => res()));
  return proxy;
}

/** curl through a CONNECT tunnel (--proxytunnel): TLS inside the tunnel to nghttpd, and cleartext h2 (prior knowledge). */
function tunnelSession(tls: boolean): (w: Work) => Promise<void> {
  return async (w) => {
    const root = makeDocroot(w.dir);
    const proxyPort = TLS_CAPTURE_PORTS.proxy;
    const target = tls ? TLS_CAPTURE_PORTS.nghttpd : TLS_CAPTURE_PORTS.h2cTarget;
    const { key, cert } = makeCert(w.dir);
    const server = await startNghttpd(tls ? ["-d", root, String(target), key, cert] : ["--no-tls", "-d", root, String(target)]);
    const proxy = await startProxy(proxyPort);
    try {
      const url = `${tls ? "https" : "http"}://127.0.0.1:${target}/index.html`;
      await curl(
        [tls ? "--http2" : "--http2-prior-knowledge", "-k", "-p", "-x", `http://127.0.0.1:${proxyPort}`, url],
        tls ? w.keys : undefined,
      );
    } finally {
      await new Promise<void>((res) => proxy.close(() => res()));
      await stop(server);
    }
  };
}

const P = TLS_CAPTURE_PORTS;

/** Every recording: name, ports captured, session. */
export const TLS_RECORDINGS: readonly [string, readonly number[], (w: Work) => Promise<void>][] = [
  ["tls13-aes128gcm", [P.nghttpd], curlTls(["--tlsv1.3", "--tls13-ciphers", "TLS_AES_128_GCM_SHA256"])],
  ["tls13-aes256gcm", [P.nghttpd], curlTls(["--tlsv1.3", "--tls13-ciphers", "TLS_AES_256_GCM_SHA384"])],
  ["tls13-chacha20", [P.nghttpd], curlTls(["--tlsv1.3", "--tls13-ciphers", "TLS_CHACHA20_POLY1305_SHA256"])],
  ["tls12-aes128gcm", [P.nghttpd], curlTls(["--tls-max", "1.2", "--ciphers", "ECDHE-RSA-AES128-GCM-SHA256"])],
  ["tls12-aes256gcm", [P.nghttpd], curlTls(["--tls-max", "1.2", "--ciphers", "ECDHE-RSA-AES256-GCM-SHA384"])],
  ["tls12-chacha20", [P.nghttpd], curlTls(["--tls-max", "1.2", "--ciphers", "ECDHE-RSA-CHACHA20-POLY1305"])],
  ["node-http2", [P.node], nodeSession],
  ["tls13-keyupdate", [P.keyUpdate], keyUpdateSession],
  ["h2c-upgrade", [P.h2c], upgradeSession],
  ["connect-tls", [P.proxy, P.nghttpd], tunnelSession(true)],
  ["connect-h2c", [P.proxy, P.h2cTarget], tunnelSession(false)],
  ["tls12-cbc", [P.cbc], cbcSession],
  ["tls13-http11", [P.https], http11Session([])],
  ["tls12-cbc-http11", [P.https], http11Session(["--tls-max", "1.2", "--ciphers", "ECDHE-RSA-AES128-SHA256"])],
];

async function main(only: string[]): Promise<void> {
  mkdirSync(outDir, { recursive: true });
  for (const [name, ports, session] of TLS_RECORDINGS) {
    if (only.length === 0 || only.includes(name)) await record(name, ports, session);
  }
  if (only.length === 0 || only.includes("embedded-secrets")) {
    // The README's capture: the TLS 1.3 session with its key log inside the file (a Decryption Secrets Block).
    const dest = join(outDir, "tls13-embedded-secrets.pcapng");
    execFileSync("editcap", [
      "--inject-secrets",
      `tls,${join(outDir, "tls13-aes128gcm.keys")}`,
      join(outDir, "tls13-aes128gcm.pcapng"),
      dest,
    ]);
    console.log(`${dest}: ${statSync(dest).size} bytes`);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main(process.argv.slice(2));
