/**
 * A node:http2 (nghttp2 inside Node) server for the interop tests, in this process: every GET answers `/size/N` with N
 * bytes of {@link pattern}, every other method echoes the request body; every response ends with trailers carrying the
 * body's checksum and the request's own trailer `x-client-trailer`, if any. With `goawayAfter`, each session sends
 * GOAWAY (NO_ERROR, last stream id = the K-th stream) once K streams have arrived, as a server shutting down
 * mid-flight does, and refuses the streams above it (REFUSED_STREAM) without answering them.
 */
import { readFileSync } from "node:fs";
import http2 from "node:http2";
import type { AddressInfo } from "node:net";

/** Deterministic body bytes: `pattern(n, seed)[i]` is `(i * 31 + seed) & 0xff`. */
export function pattern(n: number, seed = 0): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = (i * 31 + seed) & 0xff;
  return out;
}

/** Adler-like checksum used in the trailers (`x-sum`), so that a body can be checked without sending it back. */
export function checksum(bytes: Uint8Array): string {
  let a = 1;
  let b = 0;
  for (const x of bytes) {
    a = (a + x) % 65_521;
    b = (b + a) % 65_521;
  }
  return String(b * 65_536 + a);
}

/** Options of {@link startNodeServer}. */
export interface NodeServerOptions {
  /** TLS with ALPN h2 with this certificate; h2c (prior knowledge) without. */
  tls?: { cert: string; key: string };
  settings?: http2.Settings;
  /** Each session sends GOAWAY after this many streams. */
  goawayAfter?: number;
}

/** A running node:http2 server. */
export interface NodeServer {
  readonly url: string;
  /** Streams answered, and sessions accepted, so far. */
  readonly stats: { streams: number; sessions: number; goaways: number };
  stop(): Promise<void>;
}

/** Starts the server on a port the kernel picks. */
export async function startNodeServer(options: NodeServerOptions = {}): Promise<NodeServer> {
  const stats = { streams: 0, sessions: 0, goaways: 0 };
  const server =
    options.tls === undefined
      ? http2.createServer({ settings: options.settings ?? {} })
      : http2.createSecureServer({
          settings: options.settings ?? {},
          cert: readFileSync(options.tls.cert),
          key: readFileSync(options.tls.key),
          allowHTTP1: false,
        });
  const sessions = new Set<http2.ServerHttp2Session>();
  server.on("session", (session) => {
    stats.sessions++;
    sessions.add(session);
    session.on("close", () => sessions.delete(session));
    session.on("error", () => {});
  });
  const perSession = new WeakMap<http2.ServerHttp2Session, number>();
  const lastStreamId = new WeakMap<http2.ServerHttp2Session, number>();
  server.on("stream", (stream, headers) => {
    stream.on("error", () => {});
    const session = stream.session as http2.ServerHttp2Session;
    const id = stream.id ?? 0;
    const last = lastStreamId.get(session);
    if (last !== undefined && id > last) {
      // nghttp2 still hands over streams the client opened before it read the GOAWAY: keep the GOAWAY's promise
      // that they are not processed.
      stream.close(http2.constants.NGHTTP2_REFUSED_STREAM);
      return;
    }
    const n = (perSession.get(session) ?? 0) + 1;
    perSession.set(session, n);
    if (options.goawayAfter !== undefined && n === options.goawayAfter) {
      stats.goaways++;
      lastStreamId.set(session, id);
      session.goaway(http2.constants.NGHTTP2_NO_ERROR, id);
    }
    const chunks: Buffer[] = [];
    let clientTrailer: string | undefined;
    stream.on("trailers", (t) => {
      const v = t["x-client-trailer"];
      clientTrailer = Array.isArray(v) ? v.join(",") : v;
    });
    stream.on("data", (c: Buffer) => chunks.push(c));
    stream.on("end", () => {
      const method = headers[":method"];
      const path = String(headers[":path"]);
      const size = /^\/size\/(\d+)/.exec(path);
      const body = method === "GET" || method === "HEAD" ? pattern(size === null ? 16 : Number(size[1])) : Buffer.concat(chunks);
      if (stream.destroyed) return;
      stats.streams++;
      stream.respond(
        {
          ":status": 200,
          "content-type": "application/octet-stream",
          "x-path": path,
          "x-request-length": String(Buffer.concat(chunks).length),
        },
        { waitForTrailers: true },
      );
      stream.on("wantTrailers", () => {
        stream.sendTrailers({ "x-sum": checksum(body), ...(clientTrailer === undefined ? {} : { "x-echo-trailer": clientTrailer }) });
      });
      stream.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `${options.tls === undefined ? "http" : "https"}://127.0.0.1:${port}`,
    stats,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const s of sessions) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/**
 * Where two byte strings first differ (-1 when they are equal, the shorter length when one is a prefix of the
 * other). Tests assert `firstDifference(a, b) === -1`: on a failure it names the offset, where a deep equality of
 * megabytes would print a diff of megabytes.
 */
export function firstDifference(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : n;
}
