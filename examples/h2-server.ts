/**
 * An HTTP/2 server on `Http2Connection` over node:net (h2c, prior knowledge) or node:tls (ALPN h2). The connection
 * does all of HTTP/2 (settings, flow control, stream states, limits); this file only moves bytes between the socket
 * and the connection, collects each request, and sends the handler's answer as the windows allow.
 *
 * Run: `npx tsx examples/h2-server.ts --port 8080` (then `curl --http2-prior-knowledge http://127.0.0.1:8080/`), or
 * `npx tsx examples/h2-server.ts --port 8443 --tls --cert cert.pem --key key.pem` (`curl --http2 -k https://…`).
 */
import { readFileSync } from "node:fs";
import { createServer, type Server, type Socket } from "node:net";
import { createServer as createTlsServer, type TLSSocket } from "node:tls";
import { parseArgs } from "node:util";
import { type Field, Http2Connection } from "httpwire/http2";

/** A request as the handler sees it. */
export interface Request {
  readonly streamId: number;
  readonly headers: readonly Field[];
  readonly body: Uint8Array;
  readonly trailers: readonly Field[];
}

/** What the handler answers. */
export interface Response {
  readonly status: number;
  readonly headers?: readonly Field[];
  readonly body?: Uint8Array;
  readonly trailers?: readonly Field[];
}

export type Handler = (request: Request) => Response | Promise<Response>;

/** The command-line server's answer to every request. */
export const EXAMPLE_BODY = "hello from httpwire\n";

/** Serves HTTP/2 on one connected socket (plain, or TLS after ALPN chose h2). */
export function serveConnection(socket: Socket, handler: Handler): void {
  const conn = new Http2Connection({ role: "server" });
  const requests = new Map<number, { headers: readonly Field[]; body: Uint8Array[]; trailers: readonly Field[] }>();
  const sending = new Map<number, { rest: Uint8Array; trailers: readonly Field[] | undefined }>();

  const flush = () => {
    if (socket.writableEnded) return;
    // Offer each response body to the connection; it takes what the windows and its buffer allow.
    for (const [id, s] of sending) {
      const end = s.trailers === undefined;
      const n = conn.sendData(id, s.rest, { endStream: end });
      s.rest = s.rest.subarray(n);
      if (s.rest.length === 0) {
        if (!end) conn.sendTrailers(id, s.trailers!);
        sending.delete(id);
      }
    }
    socket.cork();
    for (const piece of conn.takeOutput()) socket.write(piece);
    socket.uncork();
    if (conn.state === "closed") socket.destroySoon(); // after our GOAWAY, once it is written
  };

  const answer = async (streamId: number) => {
    const r = requests.get(streamId)!;
    requests.delete(streamId);
    const res = await handler({ streamId, headers: r.headers, body: Buffer.concat(r.body), trailers: r.trailers });
    if (socket.writableEnded) return;
    const body = res.body ?? new Uint8Array(0);
    const bare = body.length === 0 && res.trailers === undefined;
    const open = conn.respond(streamId, [{ name: ":status", value: String(res.status) }, ...(res.headers ?? [])], { endStream: bare });
    if (open && !bare) sending.set(streamId, { rest: body, trailers: res.trailers });
    flush();
  };

  socket.on("data", (chunk: Uint8Array) => {
    for (const ev of conn.receive(chunk)) {
      switch (ev.type) {
        case "request":
          requests.set(ev.streamId, { headers: ev.fields, body: [], trailers: [] });
          break;
        case "data":
          requests.get(ev.streamId)?.body.push(ev.data.slice()); // a view of `chunk`: copy to keep
          break;
        case "trailers":
          requests.get(ev.streamId)!.trailers = ev.fields;
          break;
        case "stream-end":
          if (requests.has(ev.streamId)) void answer(ev.streamId);
          break;
        case "stream-reset":
          requests.delete(ev.streamId);
          sending.delete(ev.streamId);
          break;
      }
    }
    flush();
  });
  socket.on("drain", flush);
  socket.on("error", () => socket.destroy());
  socket.on("end", () => socket.end());
  flush(); // our preface: the first SETTINGS
}

/** Starts a server at 127.0.0.1:`port` (0: the kernel picks); TLS with ALPN h2 when `tls` names PEM files. */
export function startH2Server(handler: Handler, port = 0, tls?: { cert: string; key: string }): Promise<Server> {
  const server =
    tls === undefined
      ? createServer((socket) => serveConnection(socket, handler))
      : createTlsServer({ cert: readFileSync(tls.cert), key: readFileSync(tls.key), ALPNProtocols: ["h2"] }, (socket: TLSSocket) => {
          if (socket.alpnProtocol === "h2") serveConnection(socket, handler);
          else socket.destroy(); // HTTP/2 over TLS needs ALPN h2 (RFC 9113 §3.2)
        });
  return new Promise((resolve) => server.listen(port, "127.0.0.1", () => resolve(server)));
}

// Run directly: every request gets the same small answer.
if (import.meta.url === `file://${process.argv[1]}`) {
  const { values: o } = parseArgs({
    options: { port: { type: "string", default: "8080" }, tls: { type: "boolean" }, cert: { type: "string" }, key: { type: "string" } },
  });
  if (o.tls && (o.cert === undefined || o.key === undefined)) throw new Error("--tls needs --cert FILE and --key FILE");
  const body = new TextEncoder().encode(EXAMPLE_BODY);
  const answer: Response = { status: 200, headers: [{ name: "content-type", value: "text/plain" }], body };
  const server = await startH2Server(() => answer, Number(o.port), o.tls ? { cert: o.cert!, key: o.key! } : undefined);
  const { port } = server.address() as { port: number };
  console.log(
    o.tls ? `listening on https://127.0.0.1:${port} (TLS, ALPN h2)` : `listening on http://127.0.0.1:${port} (h2c, prior knowledge)`,
  );
}
