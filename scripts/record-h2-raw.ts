/**
 * Records a node:http2 (nghttp2) client talking to a node:http2 server as
 * the raw bytes of each direction, through a recording TCP proxy on
 * loopback, into fixtures/captures/raw/:
 *
 *   node-h2-session.c2s.bin      client -> server (preface included)
 *   node-h2-session.s2c.bin      server -> client
 *   node-h2-session.summary.json what FrameDecoder makes of each direction
 *
 * The session covers many streams, a header list large enough for
 * CONTINUATION, padded frames, a request body, RST_STREAM, PING, a SETTINGS
 * change and GOAWAY. Run: `npx tsx scripts/record-h2-raw.ts`. The committed
 * files are what test/http2/captures.test.ts decodes; re-recording changes
 * them (dates, ordering), so re-run the script and commit all three together.
 */

import { mkdirSync, writeFileSync } from "node:fs";
import http2 from "node:http2";
import { type AddressInfo, connect, createServer } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { summarizeH2Capture } from "../test/http2/capture-summary.js";

const outDir = fileURLToPath(new URL("../fixtures/captures/raw/", import.meta.url));
const { NGHTTP2_CANCEL } = http2.constants;
// Pads frames to a multiple of 8 octets; present at runtime, missing from @types/node.
const PADDING_STRATEGY_ALIGNED = (http2.constants as unknown as Record<string, number>).PADDING_STRATEGY_ALIGNED!;

async function main(): Promise<void> {
  const server = http2.createServer({
    paddingStrategy: PADDING_STRATEGY_ALIGNED,
    maxHeaderListSize: 1 << 20,
  } as http2.ServerOptions);
  server.on("stream", (stream, headers) => {
    const path = String(headers[":path"]);
    const chunks: Buffer[] = [];
    stream.on("data", (c: Buffer) => chunks.push(c));
    stream.on("error", () => {});
    stream.on("end", () => {
      if (stream.destroyed || stream.closed) return;
      if (path === "/slow") {
        stream.respond({ ":status": 200 });
        stream.write("partial ");
        return; // the client cancels this one
      }
      stream.respond({ ":status": 200, "content-type": "text/plain", "x-path": path }, { waitForTrailers: path === "/trailers" });
      if (path === "/trailers") stream.on("wantTrailers", () => stream.sendTrailers({ "x-trailer": "yes" }));
      stream.end(`body of ${path} (${Buffer.concat(chunks).length} octets received)`);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const serverPort = (server.address() as AddressInfo).port;

  const c2s: Buffer[] = [];
  const s2c: Buffer[] = [];
  const proxy = createServer((down) => {
    const up = connect(serverPort, "127.0.0.1");
    down.on("data", (b: Buffer) => {
      c2s.push(Buffer.from(b));
      up.write(b);
    });
    up.on("data", (b: Buffer) => {
      s2c.push(Buffer.from(b));
      down.write(b);
    });
    down.on("end", () => up.end());
    up.on("end", () => down.end());
    down.on("error", () => up.destroy());
    up.on("error", () => down.destroy());
  });
  await new Promise<void>((r) => proxy.listen(0, "127.0.0.1", () => r()));
  const proxyPort = (proxy.address() as AddressInfo).port;

  const client = http2.connect(`http://127.0.0.1:${proxyPort}`, {
    paddingStrategy: PADDING_STRATEGY_ALIGNED,
    maxHeaderListSize: 1 << 20,
  } as http2.ClientSessionOptions);
  const get = (path: string, extra: http2.OutgoingHttpHeaders = {}, body?: string) =>
    new Promise<void>((resolve, reject) => {
      const req = client.request(
        { ":path": path, ":method": body === undefined ? "GET" : "POST", ...extra },
        { endStream: body === undefined },
      );
      if (body !== undefined) req.end(body);
      req.on("data", () => {});
      req.on("end", () => resolve());
      req.on("error", reject);
    });

  await get("/first");
  await Promise.all(Array.from({ length: 12 }, (_, i) => get(`/many/${i}`, { "x-n": String(i) })));
  await get("/upload", { "content-type": "text/plain" }, "x".repeat(3000));
  await get("/big-headers", { "x-big": "b".repeat(30_000) }); // over 16384: HEADERS + CONTINUATION
  await get("/trailers");
  await new Promise<void>((resolve, reject) => client.ping(Buffer.from("httpwire"), (err) => (err ? reject(err) : resolve())));
  await new Promise<void>((resolve) => client.settings({ initialWindowSize: 100_000, enablePush: false }, () => resolve()));
  await new Promise<void>((resolve) => {
    const req = client.request({ ":path": "/slow" });
    req.on("response", () => req.close(NGHTTP2_CANCEL)); // RST_STREAM CANCEL
    req.on("close", () => resolve());
    req.on("error", () => {});
  });
  await get("/last");
  await new Promise<void>((resolve) => client.close(() => resolve())); // GOAWAY
  await new Promise((r) => setTimeout(r, 100));
  proxy.close();
  server.close();

  mkdirSync(outDir, { recursive: true });
  const a = Buffer.concat(c2s);
  const b = Buffer.concat(s2c);
  writeFileSync(join(outDir, "node-h2-session.c2s.bin"), a);
  writeFileSync(join(outDir, "node-h2-session.s2c.bin"), b);
  const summary = {
    description: "Recorded by scripts/record-h2-raw.ts: node:http2 client and server through a recording proxy on loopback.",
    node: process.version,
    c2s: summarizeH2Capture(new Uint8Array(a), "client"),
    s2c: summarizeH2Capture(new Uint8Array(b), "server"),
  };
  writeFileSync(join(outDir, "node-h2-session.summary.json"), `${JSON.stringify(summary, null, 1)}\n`);
  console.log(`c2s ${a.length} octets, s2c ${b.length} octets`);
}

await main();
