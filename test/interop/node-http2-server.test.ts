/**
 * An httpwire server (examples/h2-server.ts) answering a node:http2 (nghttp2)
 * client over loopback: the client must receive exactly the status, headers,
 * body and trailers sent, over many concurrent streams.
 */
import http2 from "node:http2";
import { connect, type Server } from "node:net";
import { HpackEncoder } from "httpwire/hpack";
import {
  CONNECTION_PREFACE,
  ErrorCode,
  encodeFrame,
  type Frame,
  FrameDecoder,
  type FrameInit,
  FrameType,
  fieldBlockFrames,
} from "httpwire/http2";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type Request, startH2Server } from "../../examples/h2-server.js";

let server: Server;
let port: number;
const seen: Request[] = [];

// Sizes up to ~40 KB so that 50 streams overrun the 65,535-octet windows and flow control is exercised.
const bodies = Array.from({ length: 50 }, (_, i) => Uint8Array.from({ length: (i * 811) % 40_000 }, (_, k) => (k * 31 + i) & 0xff));
const bodyFor = (i: number): Uint8Array => bodies[i]!;

beforeAll(async () => {
  server = await startH2Server((req) => {
    seen.push(req);
    const i = Number(req.headers.find((f) => f.name === "x-index")?.value);
    return {
      status: i % 7 === 0 ? 404 : 200,
      headers: [
        { name: "content-type", value: "application/octet-stream" },
        { name: "x-index", value: String(i) },
        { name: "x-echo-body-length", value: String(req.body.length) },
        { name: "x-long", value: "v".repeat(i * 100) },
      ],
      body: bodyFor(i),
      trailers: [{ name: "x-checksum", value: String(bodyFor(i).reduce((a, b) => (a + b) % 65_521, 0)) }],
    };
  });
  const addr = server.address();
  if (addr === null || typeof addr === "string") throw new Error("no port");
  port = addr.port;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

interface Result {
  headers: http2.IncomingHttpHeaders;
  body: Buffer;
  trailers: http2.IncomingHttpHeaders;
}

describe("httpwire server answering a node:http2 client", () => {
  test("50 concurrent streams receive exactly the status, headers, body and trailers sent", async () => {
    const client = http2.connect(`http://127.0.0.1:${port}`);
    try {
      const results = await Promise.all(
        Array.from(
          { length: 50 },
          (_, i) =>
            new Promise<Result>((resolve, reject) => {
              const upload = i % 5 === 0 ? Buffer.alloc(i * 1000, i) : undefined;
              const req = client.request(
                { ":method": upload ? "POST" : "GET", ":path": `/item/${i}`, "x-index": String(i) },
                { endStream: upload === undefined },
              );
              if (upload) req.end(upload);
              let headers: http2.IncomingHttpHeaders = {};
              let trailers: http2.IncomingHttpHeaders = {};
              const chunks: Buffer[] = [];
              req.on("response", (h) => (headers = h));
              req.on("trailers", (t) => (trailers = t));
              req.on("data", (c: Buffer) => chunks.push(c));
              req.on("end", () => resolve({ headers, body: Buffer.concat(chunks), trailers }));
              req.on("error", reject);
            }),
        ),
      );
      results.forEach((r, i) => {
        expect(r.headers[":status"]).toBe(i % 7 === 0 ? 404 : 200);
        expect(r.headers["content-type"]).toBe("application/octet-stream");
        expect(r.headers["x-index"]).toBe(String(i));
        expect(r.headers["x-echo-body-length"]).toBe(String(i % 5 === 0 ? i * 1000 : 0));
        expect(r.headers["x-long"]).toBe("v".repeat(i * 100));
        // Buffer comparison: a deep toEqual over ~1 MB of typed arrays is needlessly slow.
        expect(r.body.length).toBe(bodyFor(i).length);
        expect(r.body.equals(bodyFor(i))).toBe(true);
        expect(r.trailers["x-checksum"]).toBe(String(bodyFor(i).reduce((a, b) => (a + b) % 65_521, 0)));
      });
      expect(seen).toHaveLength(50);
      for (const req of seen) {
        const i = Number(req.headers.find((f) => f.name === "x-index")?.value);
        const upload = i % 5 === 0;
        const sorted = [...req.headers].map((f) => [f.name, f.value]).sort((a, b) => (a[0]! < b[0]! ? -1 : 1));
        expect(sorted).toEqual(
          [
            [":authority", `127.0.0.1:${port}`],
            [":method", upload ? "POST" : "GET"],
            [":path", `/item/${i}`],
            [":scheme", "http"],
            ["x-index", String(i)],
          ].sort((a, b) => (a[0]! < b[0]! ? -1 : 1)),
        );
        // Pseudo-header fields come first (RFC 9113 §8.3).
        expect(req.headers.slice(0, 4).every((f) => f.name.startsWith(":"))).toBe(true);
        expect(Buffer.from(req.body).equals(new Uint8Array(i % 5 === 0 ? i * 1000 : 0).fill(i))).toBe(true);
      }
    } finally {
      await new Promise<void>((resolve) => client.close(() => resolve()));
    }
  });
});

/** Sends raw frames after the preface, then a GOAWAY of ours; returns every frame the server sent. */
async function exchange(frames: FrameInit[]): Promise<Frame[]> {
  const socket = connect(port, "127.0.0.1");
  const decoder = new FrameDecoder({ expectSettingsFirst: true, sender: "server", joinFieldBlocks: false });
  const got: Frame[] = [];
  socket.on("data", (chunk: Uint8Array) => {
    for (const e of decoder.push(chunk)) if (e.type !== "field-block" && e.type !== "stream-error") got.push(e);
  });
  socket.write(CONNECTION_PREFACE);
  const bye: FrameInit = {
    type: FrameType.GOAWAY,
    streamId: 0,
    lastStreamId: 0,
    errorCode: 0,
    debugData: new Uint8Array(0),
  };
  for (const f of [{ type: FrameType.SETTINGS, streamId: 0, settings: [] } as FrameInit, ...frames, bye]) socket.write(encodeFrame(f));
  await new Promise<void>((resolve) =>
    socket
      .on("close", () => resolve())
      .on("end", () => {
        socket.end();
        resolve();
      }),
  );
  socket.destroy();
  return got;
}

async function goawayFor(frames: FrameInit[]): Promise<Frame | undefined> {
  return (await exchange(frames)).find((f) => f.type === FrameType.GOAWAY);
}

describe("the example server ends the connection with the code the helpers give", () => {
  const requestFields = [
    { name: ":method", value: "GET" },
    { name: ":scheme", value: "http" },
    { name: ":path", value: "/" },
    { name: ":authority", value: "x" },
    { name: "x-index", value: "1" },
  ];
  // A fresh encoder for each block: literal encodings that do not depend on a shared dynamic table.
  const request = (streamId: number) => fieldBlockFrames({ streamId, endStream: true, block: new HpackEncoder().encode(requestFields) });
  test("connection window past 2^31-1: FLOW_CONTROL_ERROR (RFC 9113 §6.9.1, increaseWindow)", async () => {
    const g = await goawayFor([{ type: FrameType.WINDOW_UPDATE, streamId: 0, windowSizeIncrement: 2 ** 31 - 1 }]);
    expect(g?.type === FrameType.GOAWAY && g.errorCode).toBe(ErrorCode.FLOW_CONTROL_ERROR);
  });
  test("a stream identifier lower than an earlier one: PROTOCOL_ERROR (RFC 9113 §5.1.1, checkPeerStreamId)", async () => {
    const g = await goawayFor([...request(5), ...request(3)]);
    expect(g?.type === FrameType.GOAWAY && [g.errorCode, g.lastStreamId]).toEqual([ErrorCode.PROTOCOL_ERROR, 5]);
  });
  test.each([
    ["trailers without END_STREAM", [{ name: "x-sum", value: "1" }], false],
    ["a pseudo-header field in trailers", [{ name: ":path", value: "/" }], true],
  ] as const)("%s: RST_STREAM PROTOCOL_ERROR (RFC 9113 §8.1)", async (_n, trailers, endStream) => {
    const enc = new HpackEncoder(); // one HPACK context per connection
    const got = await exchange([
      ...fieldBlockFrames({ streamId: 1, block: enc.encode(requestFields) }),
      ...fieldBlockFrames({ streamId: 1, endStream, block: enc.encode(trailers) }),
    ]);
    const rst = got.find((f) => f.type === FrameType.RST_STREAM);
    expect(rst?.type === FrameType.RST_STREAM && [rst.streamId, rst.errorCode]).toEqual([1, ErrorCode.PROTOCOL_ERROR]);
    expect(got.some((f) => f.type === FrameType.GOAWAY)).toBe(false);
  });
  test("PUSH_PROMISE from the client: PROTOCOL_ERROR (RFC 9113 §8.4, FrameDecoder peer option)", async () => {
    const g = await goawayFor([
      { type: FrameType.PUSH_PROMISE, streamId: 1, endHeaders: true, promisedStreamId: 2, fragment: new Uint8Array(0) },
    ]);
    expect(g?.type === FrameType.GOAWAY && g.errorCode).toBe(ErrorCode.PROTOCOL_ERROR);
  });
});
