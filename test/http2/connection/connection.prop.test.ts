/**
 * Property tests of Http2Connection:
 * - a client and a server wired to each other through arbitrary chunkings
 *   and arbitrary interleavings of sends deliver every request and response
 *   exactly, with windows never exceeded (the receiving side would raise
 *   FLOW_CONTROL_ERROR; the send windows are also checked never below what
 *   SETTINGS can make them);
 * - arbitrary bytes, and arbitrary valid or malformed frames, into a
 *   connection give events or a clean GOAWAY, never an exception other than
 *   the toolkit's (none at all escape `receive`).
 */
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { HTTP2_CLIENT_PREFACE, http2Frame, http2MalformedFrame } from "../../../src/arbitraries/index.js";
import { ErrorCode, FrameDecoder, FrameType, Http2Connection, type Http2ConnectionEvent } from "../../../src/http2/index.js";
import { concatBytes } from "../../../src/shared/bytes.js";
import { GET, OK, POST } from "./helpers.js";

interface Exchange {
  readonly post: boolean;
  readonly requestBody: number;
  readonly requestTrailers: boolean;
  readonly responseBody: number;
  readonly responseTrailers: boolean;
}

const exchange: fc.Arbitrary<Exchange> = fc.record({
  post: fc.boolean(),
  requestBody: fc.oneof(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 60_000 })),
  requestTrailers: fc.boolean(),
  responseBody: fc.oneof(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 100_000 })),
  responseTrailers: fc.boolean(),
});

const settings = fc.record({
  initialWindowSize: fc.constantFrom(1000, 16_384, 65_535, 1 << 20),
  maxFrameSize: fc.constantFrom(16_384, 20_000, 1 << 20),
  maxConcurrentStreams: fc.constantFrom(1, 2, 100),
});

/** Distinct content per stream and direction, so a mix-up shows. */
function pattern(n: number, seed: number): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = (i * 31 + seed * 7 + (i >> 8)) & 0xff;
  return b;
}

interface Side {
  readonly conn: Http2Connection;
  /** Bytes written and not yet delivered to the other side. */
  wire: Uint8Array[];
  readonly got: Map<number, { fields: string[]; data: Uint8Array[]; trailers: string[]; ended: boolean }>;
}

function record(side: Side, e: Http2ConnectionEvent): void {
  // A request the client sent before it saw the server's MAX_CONCURRENT_STREAMS may be refused (and is retried).
  const refused = e.type === "stream-reset" && e.code === ErrorCode.REFUSED_STREAM;
  if (e.type === "connection-error" || (e.type === "stream-reset" && !refused))
    throw new Error(`unexpected ${e.type}: ${JSON.stringify(e)}`);
  if (refused) {
    side.got.delete(e.streamId);
    return;
  }
  if (!("streamId" in e)) return;
  const s = side.got.get(e.streamId) ?? { fields: [], data: [], trailers: [], ended: false };
  side.got.set(e.streamId, s);
  if (e.type === "request" || e.type === "response") s.fields.push(...e.fields.map((f) => `${f.name}: ${f.value}`));
  else if (e.type === "data") s.data.push(e.data.slice());
  else if (e.type === "trailers") s.trailers.push(...e.fields.map((f) => `${f.name}: ${f.value}`));
  else if (e.type === "stream-end") s.ended = true;
}

describe("Http2Connection properties", () => {
  test("a client and a server deliver every request and response exactly, for any chunking and interleaving", () => {
    fc.assert(
      fc.property(
        fc.array(exchange, { minLength: 1, maxLength: 6 }),
        settings,
        settings,
        fc.array(fc.nat(), { minLength: 50, maxLength: 400 }),
        (exchanges, clientSettings, serverSettings, choices) => {
          const client: Side = { conn: new Http2Connection({ role: "client", settings: clientSettings }), wire: [], got: new Map() };
          const server: Side = { conn: new Http2Connection({ role: "server", settings: serverSettings }), wire: [], got: new Map() };
          const requests = exchanges.map((x, i) => ({
            ...x,
            id: 0,
            reqBody: pattern(x.post ? x.requestBody : 0, 2 * i),
            resBody: pattern(x.responseBody, 2 * i + 1),
            reqSent: 0,
            resSent: -1, // -1: not responded yet
            resDone: false,
          }));
          const byId = new Map<number, (typeof requests)[number]>();
          let next = 0;
          const take = (side: Side) => {
            const out = side.conn.takeOutput();
            if (out.length > 0) side.wire.push(concatBytes(out));
          };
          const deliver = (from: Side, to: Side, size: number) => {
            take(from);
            const chunk = nextChunk(from, size);
            if (chunk === undefined) return;
            for (const e of to.conn.receive(chunk)) {
              record(to, e);
              if (to === client && e.type === "stream-reset" && e.retryable) {
                const r = byId.get(e.streamId) as (typeof requests)[number];
                byId.delete(e.streamId);
                send(r);
              }
              if (to === server && e.type === "stream-end") {
                const r = byId.get(e.streamId);
                if (r !== undefined && r.resSent < 0) {
                  server.conn.respond(e.streamId, [...OK, { name: "x-id", value: String(e.streamId) }]);
                  r.resSent = 0;
                }
              }
            }
            take(to);
          };
          const pushBody = (side: Side, id: number, body: Uint8Array, sent: number, trailers: boolean, max: number): number => {
            const end = Math.min(body.length, sent + max);
            const last = end === body.length;
            const n = side.conn.sendData(id, body.subarray(sent, end), { endStream: last && !trailers });
            if (sent + n === body.length && trailers) side.conn.sendTrailers(id, [{ name: "x-trailer", value: String(id) }]);
            return sent + n;
          };
          function send(r: (typeof requests)[number]): void {
            r.id = client.conn.request(r.post ? POST("/up") : GET("/down"), { endStream: !r.post });
            r.reqSent = 0;
            byId.set(r.id, r);
            if (r.post && r.reqBody.length === 0 && !r.requestTrailers) client.conn.sendData(r.id, r.reqBody, { endStream: true });
            else if (r.post && r.reqBody.length === 0) client.conn.sendTrailers(r.id, [{ name: "x-trailer", value: String(r.id) }]);
          }
          let c = 0;
          const choice = () => choices[c++ % choices.length] as number;
          let finished = false;
          for (let step = 0; step < 50_000; step++) {
            const done = requests.every((r) => r.resDone) && client.wire.length === 0 && server.wire.length === 0;
            if (done && !client.conn.hasOutput && !server.conn.hasOutput) {
              finished = true;
              break;
            }
            const action = step < choices.length ? choice() % 5 : step % 5;
            const size = 1 + (choice() % 20_000);
            if (action === 0) deliver(client, server, size);
            else if (action === 1) deliver(server, client, size);
            else if (action === 2 && next < requests.length) send(requests[next++] as (typeof requests)[number]);
            else if (action === 3) {
              for (const r of requests)
                if (r.id > 0 && r.post && r.reqSent < r.reqBody.length)
                  r.reqSent = pushBody(client, r.id, r.reqBody, r.reqSent, r.requestTrailers, size);
            } else if (action === 4) {
              for (const r of requests) {
                if (r.resSent < 0 || r.resDone) continue;
                if (r.resBody.length === 0) {
                  if (r.responseTrailers) server.conn.sendTrailers(r.id, [{ name: "x-trailer", value: String(r.id) }]);
                  else server.conn.sendData(r.id, r.resBody, { endStream: true });
                } else r.resSent = pushBody(server, r.id, r.resBody, r.resSent, r.responseTrailers, size);
                r.resDone = r.resSent === r.resBody.length;
              }
            }
            if (action === 2 && next >= requests.length) deliver(client, server, size);
            // windows: only SETTINGS_INITIAL_WINDOW_SIZE moves a send window below zero, and none changes here
            if ((client.conn.sendWindow(0) as number) < 0 || (server.conn.sendWindow(0) as number) < 0) throw new Error("negative window");
          }
          if (!finished) throw new Error(`stalled: ${JSON.stringify(requests.map((r) => [r.id, r.reqSent, r.resSent, r.resDone]))}`);
          for (const r of requests) {
            const atServer = server.got.get(r.id);
            const atClient = client.got.get(r.id);
            expect(atServer?.ended).toBe(true);
            expect(atClient?.ended).toBe(true);
            expect(Buffer.compare(concatBytes(atServer?.data ?? []), r.reqBody)).toBe(0);
            expect(Buffer.compare(concatBytes(atClient?.data ?? []), r.resBody)).toBe(0);
            expect(atServer?.trailers).toEqual(r.post && r.requestTrailers ? [`x-trailer: ${r.id}`] : []);
            expect(atClient?.trailers).toEqual(r.responseTrailers ? [`x-trailer: ${r.id}`] : []);
            expect(atClient?.fields).toEqual([":status: 200", `x-id: ${r.id}`]);
          }
          expect(client.conn.activeStreams).toEqual({ local: 0, peer: 0 });
          expect(server.conn.activeStreams).toEqual({ local: 0, peer: 0 });
        },
      ),
      { numRuns: Number(process.env.CONN_RUNS ?? 60) },
    );
  });

  test("arbitrary bytes give events or a clean GOAWAY, never an exception", () => {
    for (const role of ["client", "server"] as const)
      fc.assert(
        fc.property(fc.boolean(), fc.array(fc.uint8Array({ maxLength: 200 }), { maxLength: 20 }), (withPreface, chunks) => {
          const conn = new Http2Connection({ role });
          conn.takeOutput();
          const events: Http2ConnectionEvent[] = [];
          if (withPreface) events.push(...conn.receive(handshake(role)));
          for (const chunk of chunks) events.push(...conn.receive(chunk));
          checkClean(conn, events);
        }),
        { numRuns: 300 },
      );
  });

  test("arbitrary valid and malformed frames after the handshake give events or a clean GOAWAY", () => {
    for (const role of ["client", "server"] as const)
      fc.assert(
        fc.property(fc.array(fc.oneof(http2Frame(), http2MalformedFrame()), { maxLength: 30 }), fc.nat(), (cases, split) => {
          const conn = new Http2Connection({ role, settings: role === "client" ? { enablePush: true } : {} });
          conn.takeOutput();
          const events: Http2ConnectionEvent[] = [...conn.receive(handshake(role))];
          const all = concatBytes(cases.map((c) => c.bytes));
          const at = all.length === 0 ? 0 : split % all.length;
          events.push(...conn.receive(all.subarray(0, at)), ...conn.receive(all.subarray(at)));
          checkClean(conn, events);
        }),
        { numRuns: 300 },
      );
  });
});

function handshake(role: "client" | "server"): Uint8Array {
  const settings = Uint8Array.of(0, 0, 0, FrameType.SETTINGS, 0, 0, 0, 0, 0);
  return role === "server" ? concatBytes([HTTP2_CLIENT_PREFACE, settings]) : settings;
}

/** Either the connection is open, or it ended with GOAWAY as its last frame and a `terminated` event. */
function checkClean(conn: Http2Connection, events: Http2ConnectionEvent[]): void {
  const out = conn.takeOutputBytes();
  const frames = new FrameDecoder().push(out);
  if (conn.state === "closed") {
    expect(events.at(-1)?.type).toBe("terminated");
    const last = frames.at(-1);
    const local = events.at(-1)?.type === "terminated" && (events.at(-1) as { local: boolean }).local;
    if (local) expect(last?.type).toBe(FrameType.GOAWAY);
  } else {
    expect(events.some((e) => e.type === "terminated")).toBe(false);
  }
}

function nextChunk(side: Side, size: number): Uint8Array | undefined {
  if (side.wire.length === 0) return undefined;
  const first = side.wire[0] as Uint8Array;
  if (first.length <= size) {
    side.wire.shift();
    return first;
  }
  side.wire[0] = first.subarray(size);
  return first.subarray(0, size);
}
