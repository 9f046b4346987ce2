/**
 * Real TLS sessions for the tests, made with node:tls on loopback: a TLS
 * server, a client, and a small TCP relay between them that records each
 * direction's bytes in arrival order. The client's `keylog` events give the
 * key log. No capture tools needed.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import tls from "node:tls";
import type { Direction, TlsEvent } from "httpwire/capture";

/** A self-signed RSA certificate for "localhost", made with openssl once per process. */
let credentials: { key: string; cert: string } | undefined;
export function testCredentials(): { key: string; cert: string } {
  if (credentials !== undefined) return credentials;
  const dir = mkdtempSync(join(tmpdir(), "httpwire-tls-"));
  try {
    execFileSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        join(dir, "key.pem"),
        "-out",
        join(dir, "cert.pem"),
        "-subj",
        "/CN=localhost",
        "-days",
        "2",
      ],
      { stdio: "ignore" },
    );
    credentials = { key: readFileSync(join(dir, "key.pem"), "utf8"), cert: readFileSync(join(dir, "cert.pem"), "utf8") };
    return credentials;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Whether openssl can make the test certificate. */
export function opensslAvailable(): boolean {
  try {
    testCredentials();
    return true;
  } catch {
    return false;
  }
}

/** One recorded chunk, in the order the relay saw it. */
export interface Chunk {
  direction: Direction;
  bytes: Uint8Array;
}

/** A recorded session. */
export interface Session {
  chunks: Chunk[];
  keyLog: string;
  /** What the client wrote, and what the server wrote, each joined. */
  clientSent: Uint8Array;
  serverSent: Uint8Array;
  /** The client's TLS session, for resuming. */
  session?: Buffer;
  protocol: string | null;
  cipher: string;
}

export interface SessionOptions {
  server?: tls.TlsOptions;
  client?: tls.ConnectionOptions;
  /** What the client writes once connected, then the server's answer. */
  clientWrites?: Uint8Array[];
  serverWrites?: Uint8Array[];
  /** A server-side session cache, for TLS 1.2 session ID resumption. */
  sessionCache?: boolean;
}

function join2(parts: Uint8Array[]): Uint8Array {
  return new Uint8Array(Buffer.concat(parts));
}

/** Runs one TLS session (see {@link recordSessions}). */
export async function recordSession(options: SessionOptions = {}): Promise<Session> {
  return (await recordSessions(options, [{}]))[0]!;
}

/**
 * Runs TLS sessions one after the other against one server: the client of
 * each writes `clientWrites` (one write each); the server writes
 * `serverWrites` once it has received all of it, then ends. A session with
 * `resume` offers the previous session's TLS session.
 */
export async function recordSessions(
  options: SessionOptions,
  sessions: { resume?: boolean; client?: tls.ConnectionOptions }[],
): Promise<Session[]> {
  const { key, cert } = testCredentials();
  const clientWrites = options.clientWrites ?? [new TextEncoder().encode("hello from the client")];
  const serverWrites = options.serverWrites ?? [new TextEncoder().encode("hello from the server")];
  const expected = clientWrites.reduce((n, w) => n + w.length, 0);
  let chunks: Chunk[] = [];

  const server = tls.createServer({ key, cert, ...options.server }, (socket) => {
    let got = 0;
    socket.on("data", (d: Buffer) => {
      got += d.length;
      if (got === expected) {
        for (const w of serverWrites) socket.write(w);
        socket.end();
      }
    });
    socket.on("error", () => {});
  });
  server.on("tlsClientError", () => {});
  if (options.sessionCache) {
    // Session ID resumption: node:tls keeps no server-side cache of its own.
    const cache = new Map<string, Buffer>();
    server.on("newSession", (id: Buffer, data: Buffer, done: () => void) => {
      cache.set(id.toString("hex"), data);
      done();
    });
    server.on("resumeSession", (id: Buffer, done: (err: Error | null, data: Buffer | null) => void) => {
      done(null, cache.get(id.toString("hex")) ?? null);
    });
  }
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const serverPort = (server.address() as net.AddressInfo).port;

  const relay = net.createServer((down) => {
    const up = net.connect(serverPort, "127.0.0.1");
    down.on("data", (d: Buffer) => {
      chunks.push({ direction: "client-to-server", bytes: new Uint8Array(d) });
      up.write(d);
    });
    up.on("data", (d: Buffer) => {
      chunks.push({ direction: "server-to-client", bytes: new Uint8Array(d) });
      down.write(d);
    });
    down.on("end", () => up.end());
    up.on("end", () => down.end());
    down.on("error", () => up.destroy());
    up.on("error", () => down.destroy());
  });
  await new Promise<void>((resolve) => relay.listen(0, "127.0.0.1", resolve));
  const relayPort = (relay.address() as net.AddressInfo).port;

  const results: Session[] = [];
  try {
    for (const spec of sessions) {
      chunks = [];
      let keyLog = "";
      const received: Uint8Array[] = [];
      let session: Buffer | undefined;
      const previous = spec.resume ? results.at(-1)?.session : undefined;
      const result = await new Promise<{ protocol: string | null; cipher: string }>((resolve, reject) => {
        const client = tls.connect({
          host: "127.0.0.1",
          port: relayPort,
          servername: "localhost",
          rejectUnauthorized: false,
          ...options.client,
          ...spec.client,
          ...(previous !== undefined ? { session: previous } : {}),
        });
        client.on("keylog", (line: Buffer) => {
          keyLog += line.toString("latin1");
        });
        client.on("session", (s: Buffer) => {
          session = s;
        });
        let info = { protocol: null as string | null, cipher: "" };
        client.on("secureConnect", () => {
          info = {
            protocol: client.alpnProtocol === false ? null : (client.alpnProtocol ?? null),
            cipher: client.getCipher().standardName,
          };
          for (const w of clientWrites) client.write(w);
        });
        client.on("data", (d: Buffer) => received.push(new Uint8Array(d)));
        client.on("end", () => {
          client.end();
        });
        client.on("close", () => resolve(info));
        client.on("error", reject);
      });
      // Let the relay deliver its last bytes.
      await new Promise((r) => setTimeout(r, 20));
      results.push({
        chunks,
        keyLog,
        clientSent: join2(clientWrites),
        serverSent: join2(received),
        session,
        protocol: result.protocol,
        cipher: result.cipher,
      });
    }
    return results;
  } finally {
    relay.close();
    server.close();
  }
}

/** The decrypted data of each direction, joined, and every other event. */
export function collect(events: TlsEvent[]): { client: Uint8Array; server: Uint8Array; other: TlsEvent[] } {
  const c: Uint8Array[] = [];
  const s: Uint8Array[] = [];
  const other: TlsEvent[] = [];
  for (const e of events) {
    if (e.type === "tls-data") (e.direction === "client-to-server" ? c : s).push(e.data);
    else other.push(e);
  }
  return { client: join2(c), server: join2(s), other };
}
