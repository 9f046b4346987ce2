/** Test helpers: a client and a server connection wired together in memory. */
import { Http2Connection, type Http2ConnectionEvent, type Http2ConnectionOptions } from "../../../src/http2/index.js";

export const GET = (path = "/", extra: { name: string; value: string }[] = []) => [
  { name: ":method", value: "GET" },
  { name: ":scheme", value: "https" },
  { name: ":authority", value: "example.com" },
  { name: ":path", value: path },
  ...extra,
];

export const POST = (path = "/", extra: { name: string; value: string }[] = []) => [
  { name: ":method", value: "POST" },
  { name: ":scheme", value: "https" },
  { name: ":authority", value: "example.com" },
  { name: ":path", value: path },
  ...extra,
];

export const OK = [{ name: ":status", value: "200" }];

export interface Pair {
  client: Http2Connection;
  server: Http2Connection;
  clientEvents: Http2ConnectionEvent[];
  serverEvents: Http2ConnectionEvent[];
  /** Moves bytes both ways until neither side has output; returns the events of this round. */
  pump(onServer?: (e: Http2ConnectionEvent) => void, onClient?: (e: Http2ConnectionEvent) => void): void;
}

export function pair(clientOptions: Partial<Http2ConnectionOptions> = {}, serverOptions: Partial<Http2ConnectionOptions> = {}): Pair {
  const client = new Http2Connection({ ...clientOptions, role: "client" });
  const server = new Http2Connection({ ...serverOptions, role: "server" });
  const p: Pair = {
    client,
    server,
    clientEvents: [],
    serverEvents: [],
    pump(onServer, onClient) {
      for (let i = 0; i < 10_000 && (client.hasOutput || server.hasOutput); i++) {
        if (client.hasOutput)
          for (const e of server.receive(client.takeOutputBytes())) {
            p.serverEvents.push(e);
            onServer?.(e);
          }
        if (server.hasOutput)
          for (const e of client.receive(server.takeOutputBytes())) {
            p.clientEvents.push(e);
            onClient?.(e);
          }
      }
    },
  };
  return p;
}

/** Concatenates the `data` events of a stream. */
export function body(events: readonly Http2ConnectionEvent[], streamId: number): Uint8Array {
  const parts = events.flatMap((e) => (e.type === "data" && e.streamId === streamId ? [e.data] : []));
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
