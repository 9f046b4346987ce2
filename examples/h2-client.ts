/**
 * An HTTP/2 client on `Http2Connection` over node:net (h2c, prior knowledge) or node:tls (ALPN h2). The connection
 * does all of HTTP/2 (settings, flow control, MAX_CONCURRENT_STREAMS queueing, GOAWAY); this file moves bytes between
 * the socket and the connection, and turns each stream into a promise. `fetchAll` retries on a new connection the
 * requests a GOAWAY (or REFUSED_STREAM) left unprocessed.
 *
 * Run: `npx tsx examples/h2-client.ts http://127.0.0.1:8080/a /b /c` (add `--ca cert.pem` for https with a private CA).
 */
import { readFileSync } from "node:fs";
import { connect as connectTcp, isIP, type Socket } from "node:net";
import { connect as connectTls, type TLSSocket } from "node:tls";
import { parseArgs } from "node:util";
import { type Field, Http2Connection } from "httpwire/http2";

export interface ClientRequest {
  readonly method?: string;
  readonly path: string;
  readonly headers?: readonly Field[];
  readonly body?: Uint8Array;
  readonly trailers?: readonly Field[];
}

export interface ClientResponse {
  readonly status: number;
  readonly headers: readonly Field[];
  readonly body: Uint8Array;
  readonly trailers: readonly Field[];
}

export interface ClientOptions {
  /** For https: the CA certificate (PEM file) to trust besides the system's. */
  readonly tls?: { readonly ca?: string };
  /** Our SETTINGS_INITIAL_WINDOW_SIZE (how much each stream may send us before we give credit back). */
  readonly initialWindowSize?: number;
}

/** A request the server never processed (REFUSED_STREAM, or above a GOAWAY's last stream id): safe to send again. */
export class UnprocessedError extends Error {}

interface Stream {
  resolve(r: ClientResponse): void;
  reject(e: Error): void;
  response: { status: number; fields: readonly Field[] } | undefined;
  body: Uint8Array[];
  trailers: readonly Field[];
  rest: Uint8Array; // request body not yet taken by the connection
  sendTrailers: readonly Field[] | undefined;
}

/** One HTTP/2 connection. */
export class H2Client {
  private readonly streams = new Map<number, Stream>();
  private readonly closed: Promise<void>;
  private settled!: () => void;
  /** Resolves when the server's first SETTINGS arrived (its MAX_CONCURRENT_STREAMS is known from then on). */
  private readonly ready = new Promise<void>((resolve) => {
    this.settled = resolve;
  });

  private constructor(
    private readonly socket: Socket,
    private readonly conn: Http2Connection,
    private readonly authority: string,
    private readonly scheme: string,
  ) {
    socket.on("data", (chunk: Uint8Array) => this.receive(chunk));
    socket.on("drain", () => this.flush());
    socket.on("error", () => socket.destroy());
    this.closed = new Promise((resolve) => socket.on("close", () => resolve()));
    void this.closed.then(() => this.failAll(new Error("connection closed")));
    this.flush(); // the preface and our SETTINGS
  }

  /** Connects to `url` (http: h2c with prior knowledge, https: TLS with ALPN h2). */
  static async connect(url: string, options: ClientOptions = {}): Promise<H2Client> {
    const u = new URL(url);
    const port = Number(u.port || (u.protocol === "https:" ? 443 : 80));
    const host = u.hostname;
    const socket: Socket =
      u.protocol === "https:"
        ? connectTls({
            host,
            port,
            ALPNProtocols: ["h2"],
            ...(isIP(host) === 0 ? { servername: host } : {}), // SNI names hosts, not addresses
            ...(options.tls?.ca ? { ca: readFileSync(options.tls.ca) } : {}),
          })
        : connectTcp({ host, port });
    await new Promise<void>((resolve, reject) => {
      socket.once(u.protocol === "https:" ? "secureConnect" : "connect", () => resolve());
      socket.once("error", reject);
    });
    if (u.protocol === "https:" && (socket as TLSSocket).alpnProtocol !== "h2") {
      socket.destroy();
      throw new Error(`${u.host} did not choose h2 by ALPN`);
    }
    socket.setNoDelay(true);
    const settings = options.initialWindowSize === undefined ? {} : { initialWindowSize: options.initialWindowSize };
    const client = new H2Client(socket, new Http2Connection({ role: "client", settings }), u.host, u.protocol.slice(0, -1));
    // Wait for the server's SETTINGS, so that requests beyond its MAX_CONCURRENT_STREAMS wait in the connection's
    // queue instead of being refused.
    await new Promise<void>((resolve, reject) => {
      void client.ready.then(resolve);
      void client.closed.then(() => reject(new Error(`${u.host} closed the connection before its SETTINGS`)));
    });
    return client;
  }

  /** Sends one request; resolves with the whole response. */
  request(req: ClientRequest): Promise<ClientResponse> {
    return new Promise((resolve, reject) => {
      if (this.conn.state !== "open") return reject(new UnprocessedError("the connection is closing"));
      const body = req.body ?? new Uint8Array(0);
      const bare = body.length === 0 && req.trailers === undefined;
      const fields: Field[] = [
        { name: ":method", value: req.method ?? "GET" },
        { name: ":scheme", value: this.scheme },
        { name: ":authority", value: this.authority },
        { name: ":path", value: req.path },
        ...(req.headers ?? []),
      ];
      const id = this.conn.request(fields, { endStream: bare });
      const s: Stream = { resolve, reject, response: undefined, body: [], trailers: [], rest: body, sendTrailers: req.trailers };
      this.streams.set(id, s);
      this.flush(bare ? undefined : id);
    });
  }

  /** Ends the connection gracefully (GOAWAY) once the streams in flight are done, and waits until it is closed. */
  async close(): Promise<void> {
    this.conn.shutdown();
    this.flush();
    this.socket.end();
    await this.closed;
  }

  private flush(newStream?: number): void {
    if (this.socket.writableEnded) return;
    const offer = (id: number, s: Stream) => {
      const end = s.sendTrailers === undefined;
      const n = this.conn.sendData(id, s.rest, { endStream: end });
      s.rest = s.rest.subarray(n);
      if (s.rest.length === 0 && !end) {
        this.conn.sendTrailers(id, s.sendTrailers!);
        s.sendTrailers = undefined;
      }
    };
    if (newStream !== undefined) offer(newStream, this.streams.get(newStream)!);
    for (const [id, s] of this.streams) if (s.rest.length > 0) offer(id, s);
    this.socket.cork();
    for (const piece of this.conn.takeOutput()) this.socket.write(piece);
    this.socket.uncork();
    if (this.conn.state === "closed") this.socket.destroySoon(); // after our GOAWAY, once it is written
  }

  private receive(chunk: Uint8Array): void {
    for (const ev of this.conn.receive(chunk)) {
      if (ev.type === "settings") this.settled();
      const s = "streamId" in ev ? this.streams.get(ev.streamId) : undefined;
      if (s === undefined) continue;
      switch (ev.type) {
        case "response":
          if (ev.status >= 200) s.response = ev; // 1xx: informational, skipped
          break;
        case "data":
          s.body.push(ev.data.slice()); // a view of `chunk`: copy to keep
          break;
        case "trailers":
          s.trailers = ev.fields;
          break;
        case "stream-end":
          this.streams.delete(ev.streamId);
          s.resolve({
            status: s.response?.status ?? 0,
            headers: s.response?.fields ?? [],
            body: Buffer.concat(s.body),
            trailers: s.trailers,
          });
          break;
        case "stream-reset":
          this.streams.delete(ev.streamId);
          s.reject(
            ev.retryable ? new UnprocessedError(`stream ${ev.streamId} was not processed`) : new Error(`stream reset: ${ev.codeName}`),
          );
          break;
      }
    }
    this.flush();
  }

  private failAll(error: Error): void {
    for (const s of this.streams.values()) s.reject(error);
    this.streams.clear();
  }
}

/**
 * Fetches every request from `url`'s server over one connection; the requests it left unprocessed (GOAWAY,
 * REFUSED_STREAM) are sent again on a new connection, up to `attempts` connections in all.
 */
export async function fetchAll(
  url: string,
  requests: readonly ClientRequest[],
  options: ClientOptions = {},
  attempts = 10,
): Promise<ClientResponse[]> {
  const results = new Array<ClientResponse | undefined>(requests.length);
  let todo = requests.map((_, i) => i);
  for (let attempt = 0; todo.length > 0; attempt++) {
    if (attempt === attempts) throw new Error(`${todo.length} requests still unprocessed after ${attempts} connections`);
    const client = await H2Client.connect(url, options);
    const retry: number[] = [];
    try {
      await Promise.all(
        todo.map((i) =>
          client.request(requests[i]!).then(
            (r) => {
              results[i] = r;
            },
            (e: unknown) => {
              if (e instanceof UnprocessedError) retry.push(i);
              else throw e;
            },
          ),
        ),
      );
    } finally {
      await client.close();
    }
    todo = retry.sort((a, b) => a - b);
  }
  return results as ClientResponse[];
}

// Run directly: fetch the paths, print each status and body.
if (import.meta.url === `file://${process.argv[1]}`) {
  const { values, positionals } = parseArgs({ options: { ca: { type: "string" } }, allowPositionals: true });
  const [first, ...more] = positionals;
  if (first === undefined) throw new Error("usage: h2-client.ts URL [PATH...] [--ca FILE]");
  const base = new URL(first);
  const paths = [base.pathname + base.search, ...more];
  const responses = await fetchAll(
    base.origin,
    paths.map((path) => ({ path })),
    { tls: { ca: values.ca } },
  );
  for (const [i, r] of responses.entries()) process.stdout.write(`${paths[i]} ${r.status}\n${new TextDecoder().decode(r.body)}`);
}
