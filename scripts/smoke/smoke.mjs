// The runtime smoke suite: imports every subpath of the installed `httpwire`
// package through its exports map and checks exact results from each, with
// nothing but what every runtime has (Node, Bun, Deno). scripts/runtimes.mjs
// runs it in a scratch project where the packed tarball is installed.
//
// usage: <runtime> smoke.mjs CAPTURE_FILE
// Prints one line per check, then a JSON line {"passed":N,"failed":N}.
import { readFile } from "node:fs/promises";

const captureFile = process.argv[process.argv.length - 1];
const captureBytes = new Uint8Array(await readFile(captureFile));
const results = [];

// The library must need nothing but the web platform: Node's globals are
// taken away before it is imported, so a Node-only call in library code
// (Buffer, process, setImmediate, require) fails here on every runtime.
const NODE_GLOBALS = ["Buffer", "process", "global", "require", "module", "setImmediate", "clearImmediate"];
for (const name of NODE_GLOBALS) {
  try {
    delete globalThis[name];
  } catch {
    // not configurable here: checked below
  }
}
const left = NODE_GLOBALS.filter((n) => n in globalThis);
if (left.length) console.log(`note: this runtime keeps ${left.join(", ")} as globals`);

async function check(name, fn) {
  try {
    const got = await fn();
    if (got !== true) throw new Error(`got ${JSON.stringify(got)}`);
    results.push({ name, ok: true });
    console.log(`ok   ${name}`);
  } catch (e) {
    results.push({ name, ok: false });
    console.log(`FAIL ${name}: ${e instanceof Error ? e.message : e}`);
  }
}

const hex = (b) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

await check("httpwire: one error base class for every module", async () => {
  const root = await import("httpwire");
  const { HpackError } = await import("httpwire/hpack");
  const quic = new root.QuicError("x", 7, { reason: "smoke", scope: "connection" });
  return (
    new HpackError("x", { reason: "smoke" }) instanceof root.HttpwireError &&
    root.isHttpwireError(quic) &&
    quic.codeName === "FRAME_ENCODING_ERROR"
  );
});

await check("httpwire/quic: varints (RFC 9000 §A.1)", async () => {
  const { encodeVarint, readVarint } = await import("httpwire/quic");
  const r = readVarint(Uint8Array.from([0x7b, 0xbd]), 0);
  return hex(encodeVarint(151288809941952652n)) === "c2197c5eff14e88c" && r.status === "ok" && r.value === 15293;
});

await check("httpwire/hpack: RFC 7541 C.4.1 both ways", async () => {
  const { HpackDecoder, HpackEncoder } = await import("httpwire/hpack");
  const fields = [
    { name: ":method", value: "GET" },
    { name: ":scheme", value: "http" },
    { name: ":path", value: "/" },
    { name: ":authority", value: "www.example.com" },
  ];
  const block = new HpackEncoder({ huffman: true }).encode(fields);
  const decoded = new HpackDecoder().decode(block).map((f) => ({ name: f.name, value: f.value }));
  return hex(block) === "828684418cf1e3c2e5f23a6ba0ab90f4ff" && same(decoded, fields);
});

await check("httpwire/http2: a SETTINGS frame through FrameDecoder", async () => {
  const { encodeFrame, FrameDecoder, FrameType } = await import("httpwire/http2");
  const bytes = encodeFrame({ type: FrameType.SETTINGS, flags: 0, streamId: 0, settings: [{ id: 3, value: 100 }] });
  const events = new FrameDecoder().push(bytes);
  return hex(bytes) === "000006040000000000000300000064" && events.length === 1 && events[0].settings[0].value === 100;
});

await check("httpwire/qpack: a field section, static table only", async () => {
  const { QpackDecoder, QpackEncoder } = await import("httpwire/qpack");
  const fields = [
    { name: ":method", value: "GET" },
    { name: ":path", value: "/index.html" },
  ];
  const section = new QpackEncoder({ maxTableCapacity: 0 }).encodeFieldSection(0, fields);
  const r = new QpackDecoder({ maxTableCapacity: 0 }).decodeFieldSection(0, section);
  return hex(section) === "0000d1518860d5485f2bce9a68" && r.status === "decoded" && same(r.fields, fields);
});

await check("httpwire/http3: a SETTINGS frame round trip", async () => {
  const { encodeFrame, readFrame, FrameType } = await import("httpwire/http3");
  const bytes = encodeFrame({ type: FrameType.SETTINGS, settings: [{ id: 1, value: 4096 }] });
  const r = readFrame(bytes, 0);
  return r.status === "ok" && r.frame.type === FrameType.SETTINGS && r.frame.settings[0].value === 4096;
});

await check("httpwire/alt-svc: RFC 7838 §3 example", async () => {
  const { parseAltSvc } = await import("httpwire/alt-svc");
  const v = parseAltSvc('h2="new.example.org:80"');
  return !v.clear && v.alternatives[0].protocolId === "h2" && v.alternatives[0].host === "new.example.org" && v.alternatives[0].port === 80;
});

await check("httpwire/upgrade: WebSocket accept key (RFC 6455 §1.3)", async () => {
  const { computeWebSocketAccept } = await import("httpwire/upgrade");
  return computeWebSocketAccept("dGhlIHNhbXBsZSBub25jZQ==") === "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";
});

await check("httpwire/capture: the shipped h2c session, 69 frames", async () => {
  const { decodeCapture } = await import("httpwire/capture");
  const bytes = captureBytes;
  let frames = 0;
  let errors = 0;
  for await (const e of decodeCapture([bytes.subarray(0, 1000), bytes.subarray(1000)])) {
    if (e.type === "frame") frames++;
    if (e.type === "error") errors++;
  }
  return frames === 69 && errors === 0;
});

await check("httpwire/arbitraries: a varint encoding sample decodes", async () => {
  const fc = (await import("fast-check")).default;
  const { varintEncoding } = await import("httpwire/arbitraries");
  const { readVarint } = await import("httpwire/quic");
  const samples = fc.sample(varintEncoding(), { numRuns: 20, seed: 42 });
  return samples.every((s) => readVarint(s.bytes, 0).status === "ok");
});

const passed = results.filter((r) => r.ok).length;
console.log(JSON.stringify({ passed, failed: results.length - passed }));
