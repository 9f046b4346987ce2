import { existsSync, readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { CaptureDecoder, type CaptureEvent, type FrameEvent, type Har, HarBuilder } from "httpwire/capture";
import { type Frame, FrameType } from "httpwire/http2";
import { describe, expect, test } from "vitest";
import { fixturePath } from "../helpers/corpora.js";

const require = createRequire(import.meta.url);

/** A validator of the HAR 1.2 schema (the `har-schema` package's JSON schemas, draft-06, with ajv). */
function harValidator(): (har: unknown) => string[] {
  const Ajv = require("ajv").default;
  const addFormats = require("ajv-formats").default;
  const schemas = require("har-schema") as Record<string, { $id: string }>;
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addMetaSchema(require("ajv/dist/refs/json-schema-draft-06.json"));
  addFormats(ajv);
  for (const s of Object.values(schemas)) ajv.addSchema(s);
  const validate = ajv.getSchema("har.json#");
  return (har) =>
    validate(har) ? [] : validate.errors.map((e: { instancePath: string; message: string }) => `${e.instancePath} ${e.message}`);
}
const validateHar = harValidator();

function eventsOf(name: string): CaptureEvent[] {
  const keys = fixturePath("captures", name.replace(/\.pcap(ng)?$/, ".keys"));
  const d = new CaptureDecoder(existsSync(keys) ? { keyLog: readFileSync(keys, "utf8") } : {});
  return [...d.push(new Uint8Array(readFileSync(fixturePath("captures", name)))), ...d.end()];
}

async function harOf(events: readonly CaptureEvent[], options = {}): Promise<Har> {
  const b = new HarBuilder(options);
  for (const e of events) b.add(e);
  return b.build();
}

const shipped = ["", "tls/", "quic/"].flatMap((dir) =>
  readdirSync(fixturePath("captures", dir))
    .filter((n) => /\.pcap(ng)?$/.test(n))
    .map((n) => dir + n),
);

describe("HAR 1.2 export", () => {
  test("the schema check can fail: an entry without its required members is rejected", () => {
    expect(
      validateHar({ log: { version: "1.2", creator: { name: "x", version: "" }, entries: [{ startedDateTime: "now" }] } }),
    ).not.toEqual([]);
  });

  test.each(shipped)("%s: the HAR validates against the HAR 1.2 schema and has an entry per request", async (name) => {
    const events = eventsOf(name);
    const har = await harOf(events);
    expect(validateHar(JSON.parse(JSON.stringify(har)))).toEqual([]);
    const isRequest = (e: CaptureEvent) =>
      (e.type === "frame" || e.type === "h3-frame" || e.type === "h3-fields") &&
      e.direction === "client-to-server" &&
      e.fields?.some((f) => f.name === ":method") === true;
    const requests = new Set(
      events
        .filter(isRequest)
        .map((e) =>
          e.type === "frame"
            ? `${e.connection}:${e.frame.streamId}`
            : `${(e as { connection: number }).connection}:${(e as { streamId: number }).streamId}`,
        ),
    );
    const promised = events.filter((e) => e.type === "frame" && e.frame.type === FrameType.PUSH_PROMISE && e.fields).length;
    expect(har.log.entries).toHaveLength(requests.size + promised);
  });

  test("an entry agrees field by field with the frames of its exchange", async () => {
    const events = eventsOf("h2-session.pcapng");
    const entry = (await harOf(events)).log.entries[0]!;
    const ofStream = events.filter((e): e is FrameEvent => e.type === "frame" && e.connection === 1 && e.frame.streamId === 1);
    const reqHeaders = ofStream.find((e) => e.direction === "client-to-server" && e.fields)!;
    const resHeaders = ofStream.find((e) => e.direction === "server-to-client" && e.fields)!;
    const resData = ofStream.filter((e) => e.direction === "server-to-client" && e.frame.type === FrameType.DATA);
    const body = resData.map((e) => new TextDecoder().decode((e.frame as Extract<Frame, { type: 0 }>).data)).join("");

    expect(entry.request.headers).toEqual(reqHeaders.fields);
    expect(entry.request.method).toBe("GET");
    expect(entry.request.url).toBe("http://127.0.0.1:18080/hello/0");
    expect(entry.request.httpVersion).toBe("HTTP/2.0");
    expect(entry.response.headers).toEqual(resHeaders.fields);
    expect(entry.response.status).toBe(200);
    expect(entry.response.content).toEqual({ size: body.length, mimeType: "text/plain; charset=utf-8", text: body });
    expect(entry.response.bodySize).toBe(resData.reduce((n, e) => n + e.length, 0));
    expect(entry.startedDateTime).toBe(new Date(reqHeaders.time * 1000).toISOString());
    const lastResponse = Math.max(...ofStream.filter((e) => e.direction === "server-to-client").map((e) => e.time));
    expect(entry.timings.wait).toBeCloseTo((resHeaders.time - reqHeaders.time) * 1000, 3);
    expect(entry.timings.receive).toBeCloseTo((lastResponse - resHeaders.time) * 1000, 3);
    expect(entry.time).toBeCloseTo(entry.timings.send + entry.timings.wait + entry.timings.receive, 6);
    expect(entry.serverIPAddress).toBe("127.0.0.1");
    expect(entry.connection).toBe("1");
  });

  test("server push: the promised request is an entry, marked as pushed", async () => {
    const har = await harOf(eventsOf("h2-push-flow.pcapng"));
    const pushed = har.log.entries.filter((e) => e.comment?.includes("server push"));
    expect(pushed.length).toBeGreaterThan(0);
    for (const p of pushed) expect(p.response.status).toBeGreaterThan(0);
  });

  // Synthetic exchanges: frame events as the capture decoder makes them.
  let t = 1_700_000_000;
  const frame = (direction: FrameEvent["direction"], f: Frame, fields?: { name: string; value: string }[]): FrameEvent => {
    t += 0.001;
    return frameAt(direction, f, t, fields);
  };
  const frameAt = (direction: FrameEvent["direction"], f: Frame, time: number, fields?: { name: string; value: string }[]): FrameEvent => ({
    type: "frame",
    connection: 1,
    direction,
    time,
    offset: 0,
    length: "data" in f ? f.data.length : 0,
    frameType: f.type as number,
    frame: f,
    ...(fields ? { fields } : {}),
  });
  const headers = (dir: FrameEvent["direction"], streamId: number, fields: { name: string; value: string }[], endStream = false) =>
    frame(
      dir,
      {
        type: FrameType.HEADERS,
        flags: 0,
        streamId,
        endStream,
        endHeaders: true,
        padded: false,
        padLength: undefined,
        priority: undefined,
        fragment: new Uint8Array(),
      } as Frame,
      fields,
    );
  const data = (dir: FrameEvent["direction"], streamId: number, bytes: Uint8Array, endStream = false) =>
    frame(dir, { type: FrameType.DATA, flags: 0, streamId, endStream, padded: false, padLength: undefined, data: bytes } as Frame);
  const request = (path: string, extra: { name: string; value: string }[] = [], endStream = true) =>
    headers(
      "client-to-server",
      1,
      [
        { name: ":method", value: endStream ? "GET" : "POST" },
        { name: ":scheme", value: "https" },
        { name: ":authority", value: "example.com" },
        { name: ":path", value: path },
        ...extra,
      ],
      endStream,
    );

  async function gzip(text: string): Promise<Uint8Array> {
    const cs = new CompressionStream("gzip");
    const w = cs.writable.getWriter();
    void w.write(new TextEncoder().encode(text));
    void w.close();
    return new Uint8Array(await new Response(cs.readable).arrayBuffer());
  }

  test("gzip bodies are decompressed; sizes say how much the coding saved", async () => {
    const text = "hello ".repeat(200);
    const z = await gzip(text);
    const har = await harOf([
      request("/a?x=1&y=two%20words", [{ name: "cookie", value: "a=1; b=2" }]),
      headers("server-to-client", 1, [
        { name: ":status", value: "103" },
        { name: "link", value: "</s.css>" },
      ]),
      headers("server-to-client", 1, [
        { name: ":status", value: "200" },
        { name: "content-type", value: "text/plain" },
        { name: "content-encoding", value: "gzip" },
      ]),
      data("server-to-client", 1, z.subarray(0, 10)),
      data("server-to-client", 1, z.subarray(10), true),
    ]);
    const e = har.log.entries[0]!;
    expect(e.request.queryString).toEqual([
      { name: "x", value: "1" },
      { name: "y", value: "two words" },
    ]);
    expect(e.request.cookies).toEqual([
      { name: "a", value: "1" },
      { name: "b", value: "2" },
    ]);
    expect(e.response.status).toBe(200);
    expect(e.response.bodySize).toBe(z.length);
    expect(e.response.content).toEqual({ size: text.length, compression: text.length - z.length, mimeType: "text/plain", text });
    expect(validateHar(JSON.parse(JSON.stringify(har)))).toEqual([]);
  });

  test("binary bodies are base64; request bodies become postData; trailers follow the headers", async () => {
    const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0xff]);
    const har = await harOf([
      request("/upload", [{ name: "content-type", value: "application/json" }], false),
      data("client-to-server", 1, new TextEncoder().encode('{"a":1}'), true),
      headers("server-to-client", 1, [
        { name: ":status", value: "201" },
        { name: "content-type", value: "image/png" },
      ]),
      data("server-to-client", 1, png),
      headers("server-to-client", 1, [{ name: "grpc-status", value: "0" }], true),
    ]);
    const e = har.log.entries[0]!;
    expect(e.request.postData).toEqual({ mimeType: "application/json", text: '{"a":1}' });
    expect(e.request.bodySize).toBe(7);
    expect(e.response.content).toEqual({ size: 9, mimeType: "image/png", text: "iVBORw0KGgr/", encoding: "base64" });
    expect(e.response.headers.at(-1)).toEqual({ name: "grpc-status", value: "0", comment: "trailer" });
  });

  test("maxBodySize keeps at most that many octets per body and says so", async () => {
    const har = await harOf(
      [
        request("/big"),
        headers("server-to-client", 1, [
          { name: ":status", value: "200" },
          { name: "content-type", value: "text/plain" },
        ]),
        data("server-to-client", 1, new Uint8Array(100).fill(0x61)),
        data("server-to-client", 1, new Uint8Array(100).fill(0x62), true),
      ],
      { maxBodySize: 150 },
    );
    const c = har.log.entries[0]!.response.content;
    expect(c.text).toBe("a".repeat(100) + "b".repeat(50));
    expect(c.comment).toBe("body truncated to 150 of 200 octets");
    expect(har.log.entries[0]!.response.bodySize).toBe(200);
  });

  test("a request without a response is still an entry, with a comment", async () => {
    const har = await harOf([request("/lost")]);
    expect(har.log.entries[0]!.response.status).toBe(0);
    expect(har.log.entries[0]!.comment).toBe("no response in the capture");
    expect(validateHar(JSON.parse(JSON.stringify(har)))).toEqual([]);
  });

  test("maxBodySize is checked", () => {
    expect(() => new HarBuilder({ maxBodySize: -1 })).toThrow(RangeError);
  });

  test("HTTP/3: every request of a recorded QUIC session is an entry with the served body, size for size", async () => {
    const recorded = JSON.parse(readFileSync(fixturePath("captures", "quic", "h3-aes128gcm.json"), "utf8")) as {
      requests: { path: string; size: number }[];
    };
    const har = await harOf(eventsOf("quic/h3-aes128gcm.pcapng"));
    expect(
      har.log.entries.map((e) => [
        new URL(e.request.url).pathname,
        e.request.httpVersion,
        e.response.status,
        e.response.content.size,
        e.response.bodySize,
      ]),
    ).toEqual(recorded.requests.map((r) => [r.path, "HTTP/3", 200, r.size, r.size]));
    const bin = har.log.entries[2]!.response.content;
    expect(bin.encoding).toBe("base64");
    expect(atob(bin.text!).length).toBe(20000);
  });
});
