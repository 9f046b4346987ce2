/**
 * Records the capture fixtures in fixtures/captures/ from real node:http2
 * sessions over loopback. Run as root (dumpcap needs to capture on `lo`):
 *
 *   npx tsx scripts/record-captures.ts            # every capture
 *   npx tsx scripts/record-captures.ts h2-push-flow  # only the ones named
 *
 * Needs `dumpcap` and `editcap` (Debian's tshark package). Each session uses
 * its own port, listed in CAPTURE_PORTS (the tshark interop test decodes
 * those ports as HTTP/2).
 */
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdtempSync, rmSync, statSync } from "node:fs";
import http2 from "node:http2";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { startH2Server } from "../examples/h2-server.js";
import { startDumpcap, stopDumpcap } from "./dumpcap.js";

/** The ports the sessions use; the tshark test reads the same list. */
export const CAPTURE_PORTS = { session: 18080, continuation: 18081, ipv6: 18082, push: 18083, example: 18084 } as const;

const outDir = resolve(fileURLToPath(new URL("../fixtures/captures", import.meta.url)));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function record(name: string, port: number, session: (port: number) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "httpwire-rec-"));
  const file = join(dir, "cap.pcapng");
  const dc = await startDumpcap(`tcp port ${port}`, file);
  try {
    await session(port);
  } finally {
    await stopDumpcap(dc);
  }
  const dest = join(outDir, `${name}.pcapng`);
  copyFileSync(file, dest);
  rmSync(dir, { recursive: true, force: true });
  console.log(`${dest}: ${statSync(dest).size} bytes`);
}

function request(
  client: http2.ClientHttp2Session,
  headers: http2.OutgoingHttpHeaders,
  body?: Uint8Array,
): Promise<{ status: number; body: Buffer }> {
  return new Promise((res, rej) => {
    const req = client.request(headers, { endStream: body === undefined });
    const chunks: Buffer[] = [];
    let status = 0;
    req.on("response", (h) => (status = Number(h[":status"])));
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => res({ status, body: Buffer.concat(chunks) }));
    req.on("error", rej);
    if (body !== undefined) req.end(body);
  });
}

function connect(url: string, options: http2.ClientSessionOptions = {}): Promise<http2.ClientHttp2Session> {
  return new Promise((res, rej) => {
    const c = http2.connect(url, options);
    c.once("remoteSettings", () => res(c));
    c.once("error", rej);
  });
}

function closeClient(c: http2.ClientHttp2Session): Promise<void> {
  return new Promise((res) => c.close(() => res()));
}

function listen(server: http2.Http2Server, port: number, host: string): Promise<void> {
  return new Promise((res) => server.listen(port, host, () => res()));
}

function closeServer(server: http2.Http2Server): Promise<void> {
  return new Promise((res) => server.close(() => res()));
}

/** Many streams, a POST, PING, a SETTINGS change that shrinks the header table, RST_STREAM both ways, GOAWAY; two connections. */
async function mainSession(port: number): Promise<void> {
  const server = http2.createServer();
  server.on("stream", (stream, headers) => {
    stream.on("error", () => undefined); // RST_STREAM in either direction is part of the script
    const path = String(headers[":path"]);
    if (path.startsWith("/hello")) {
      stream.respond({
        ":status": 200,
        "content-type": "text/plain; charset=utf-8",
        "cache-control": "max-age=60",
        "x-request": path,
      });
      stream.end(`hello from httpwire ${path}\n`);
    } else if (path === "/echo") {
      let n = 0;
      stream.on("data", (c: Buffer) => (n += c.length));
      stream.on("end", () => {
        stream.respond({ ":status": 200, "content-type": "application/json" });
        stream.end(JSON.stringify({ received: n }));
      });
    } else if (path === "/refuse") {
      stream.close(http2.constants.NGHTTP2_REFUSED_STREAM);
    } else if (path === "/slow") {
      stream.respond({ ":status": 200, "content-type": "text/plain" });
      stream.write("partial ");
      // the client cancels this stream
    } else {
      stream.respond({ ":status": 404 });
      stream.end();
    }
  });
  await listen(server, port, "127.0.0.1");
  const client = await connect(`http://127.0.0.1:${port}`);
  const common = {
    "user-agent": "httpwire-recorder/1.0",
    accept: "text/plain",
    "x-trace-id": "4bf92f3577b34da6a3ce929d0e0e4736",
  };
  await Promise.all(Array.from({ length: 10 }, (_, i) => request(client, { ":method": "GET", ":path": `/hello/${i}`, ...common })));
  await request(
    client,
    { ":method": "POST", ":path": "/echo", "content-type": "application/octet-stream" },
    new Uint8Array(3000).fill(0x61),
  );
  await new Promise<void>((res, rej) => client.ping(Buffer.from("httpwire"), (err) => (err ? rej(err) : res())));
  // A SETTINGS change: the server's HPACK encoder must then shrink its table (RFC 7541 §4.2).
  await new Promise<void>((res) => client.settings({ headerTableSize: 512, initialWindowSize: 1 << 20 }, () => res()));
  await request(client, { ":method": "GET", ":path": "/hello/after-settings", ...common });
  await new Promise<void>((res) => {
    const req = client.request({ ":method": "GET", ":path": "/slow" });
    req.on("error", () => undefined);
    req.on("data", () => req.close(http2.constants.NGHTTP2_CANCEL));
    req.on("close", () => res());
  });
  await new Promise<void>((res) => {
    const req = client.request({ ":method": "GET", ":path": "/refuse" });
    req.on("error", () => undefined);
    req.on("close", () => res());
  });
  // A second connection alongside the first.
  const other = await connect(`http://127.0.0.1:${port}`);
  await request(other, { ":method": "GET", ":path": "/hello/second-connection", ...common });
  await request(client, { ":method": "GET", ":path": "/missing" });
  await closeClient(other);
  await closeClient(client);
  await closeServer(server);
}

/** Large header blocks (HEADERS + CONTINUATION) and padded HEADERS/DATA. */
async function continuationSession(port: number): Promise<void> {
  const big = Array.from({ length: 1500 }, (_, i) => `token${i.toString(36)}`).join(",");
  const server = http2.createServer({ paddingStrategy: http2.constants.PADDING_STRATEGY_MAX });
  server.on("stream", (stream) => {
    stream.on("error", () => undefined);
    stream.respond({
      ":status": 200,
      "content-type": "text/plain",
      "x-big-1": big,
      "x-big-2": big.toUpperCase(),
      "x-big-3": big.split("").reverse().join(""),
    });
    stream.end("padded body\n".repeat(40));
  });
  await listen(server, port, "127.0.0.1");
  const client = await connect(`http://127.0.0.1:${port}`, { paddingStrategy: http2.constants.PADDING_STRATEGY_MAX });
  await request(client, { ":method": "POST", ":path": "/upload", "x-client-big": big }, new Uint8Array(500).fill(0x62));
  await request(client, { ":method": "GET", ":path": "/again" });
  await closeClient(client);
  await closeServer(server);
}

/** The same kind of exchange over IPv6 loopback. */
async function ipv6Session(port: number): Promise<void> {
  const server = http2.createServer();
  server.on("stream", (stream, headers) => {
    stream.respond({ ":status": 200, "content-type": "text/plain" });
    stream.end(`ipv6 ${String(headers[":path"])}\n`);
  });
  await listen(server, port, "::1");
  const client = await connect(`http://[::1]:${port}`);
  await Promise.all([request(client, { ":method": "GET", ":path": "/a" }), request(client, { ":method": "GET", ":path": "/b" })]);
  await closeClient(client);
  await closeServer(server);
}

/** Server push (PUSH_PROMISE), a body larger than the flow-control window (WINDOW_UPDATE), PRIORITY, GOAWAY with an error code and debug data. */
async function pushSession(port: number): Promise<void> {
  const server = http2.createServer();
  let serverSession: http2.ServerHttp2Session | undefined;
  server.on("session", (s) => {
    serverSession = s;
    s.on("error", () => undefined);
  });
  server.on("stream", (stream, headers) => {
    stream.on("error", () => undefined);
    const path = String(headers[":path"]);
    if (path === "/page") {
      stream.pushStream({ ":path": "/style.css" }, (err, push) => {
        if (err) throw err;
        push.respond({ ":status": 200, "content-type": "text/css" });
        push.end("body { color: teal }\n");
      });
      stream.respond({ ":status": 200, "content-type": "text/html" });
      stream.end('<link rel="stylesheet" href="/style.css">\n');
    } else {
      stream.respond({ ":status": 200, "content-type": "application/octet-stream" });
      stream.end(new Uint8Array(70_000).fill(0x7a)); // more than the 65 535-byte initial window
    }
  });
  await listen(server, port, "127.0.0.1");
  const client = await connect(`http://127.0.0.1:${port}`, { settings: { enablePush: true } });
  client.on("error", () => undefined); // the GOAWAY below carries an error code on purpose
  const pushed = new Promise<void>((res) => {
    client.on("stream", (push) => {
      push.on("data", () => undefined);
      push.on("end", () => res());
    });
  });
  await request(client, { ":method": "GET", ":path": "/page" });
  await pushed;
  const big = client.request({ ":method": "GET", ":path": "/download" });
  big.priority({ weight: 42, exclusive: false, parent: 0, silent: false });
  await new Promise<void>((res, rej) => {
    big.on("data", () => undefined);
    big.on("end", () => res());
    big.on("error", rej);
  });
  await sleep(50);
  serverSession?.goaway(http2.constants.NGHTTP2_ENHANCE_YOUR_CALM, 0, Buffer.from("recording done"));
  await sleep(50);
  client.destroy();
  serverSession?.destroy(); // after a GOAWAY with an error code the session does not end by itself
  await closeServer(server);
}

/** A node:http2 client talking to the project's own example server (examples/h2-server.ts): bodies, trailers, several streams. */
async function exampleServerSession(port: number): Promise<void> {
  const text = new TextEncoder();
  const server = await startH2Server(
    (req) => ({
      status: req.body.length > 0 ? 201 : 200,
      headers: [
        { name: "content-type", value: "text/plain" },
        { name: "x-request-path", value: req.headers.find((f) => f.name === ":path")?.value ?? "?" },
      ],
      body: text.encode(`httpwire example server: ${req.body.length} bytes received\n`),
      trailers: [{ name: "x-served-by", value: "httpwire" }],
    }),
    port,
  );
  const client = await connect(`http://127.0.0.1:${port}`);
  await Promise.all(
    [1, 2, 3].map((i) => request(client, { ":method": "GET", ":path": `/item/${i}`, "user-agent": "httpwire-recorder/1.0" })),
  );
  await request(client, { ":method": "PUT", ":path": "/upload", "content-type": "text/plain" }, text.encode("x".repeat(2000)));
  await closeClient(client);
  await new Promise<void>((res) => server.close(() => res()));
}

async function main(only: string[]): Promise<void> {
  const want = (name: string) => only.length === 0 || only.includes(name);
  if (want("h2-session")) {
    await record("h2-session", CAPTURE_PORTS.session, mainSession);
    // The classic pcap format, converted from the main session.
    const pcap = join(outDir, "h2-session.pcap");
    execFileSync("editcap", ["-F", "pcap", join(outDir, "h2-session.pcapng"), pcap]);
    console.log(`${pcap}: ${statSync(pcap).size} bytes`);
  }
  if (want("h2-continuation-padding")) await record("h2-continuation-padding", CAPTURE_PORTS.continuation, continuationSession);
  if (want("h2-ipv6")) await record("h2-ipv6", CAPTURE_PORTS.ipv6, ipv6Session);
  if (want("h2-push-flow")) await record("h2-push-flow", CAPTURE_PORTS.push, pushSession);
  if (want("h2-example-server")) await record("h2-example-server", CAPTURE_PORTS.example, exampleServerSession);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main(process.argv.slice(2));
