import { constants } from "node:crypto";
import { KeyLog, type TlsEvent, TlsStream } from "httpwire/capture";
import { describe, expect, test } from "vitest";
import { type Chunk, collect, opensslAvailable, recordSessions, type Session } from "./sessions.js";

function decode(chunks: Chunk[], keyLog: KeyLog): TlsEvent[] {
  const stream = new TlsStream(keyLog);
  const out: TlsEvent[] = [];
  for (const c of chunks) stream.push(c.direction, c.bytes, out);
  stream.end(out);
  return out;
}

function expectDecrypted(s: Session, events: TlsEvent[], resumed: boolean) {
  const { client, server, other } = collect(events);
  expect(other).toEqual([{ type: "tls-handshake", info: expect.objectContaining({ resumed, decryptable: true }) }]);
  expect(client).toEqual(s.clientSent);
  expect(server).toEqual(s.serverSent);
}

/** The key log without the lines of the handshake whose client random is `random`. */
function without(keyLog: string, random: string): string {
  return keyLog
    .split("\n")
    .filter((l) => !l.includes(random))
    .join("\n");
}

const available = opensslAvailable();

describe.skipIf(!available)("session resumption (skipped: openssl is needed for the test certificate)", () => {
  test.each([
    ["a session ticket (RFC 5077)", {}],
    ["a session ID", { secureOptions: constants.SSL_OP_NO_TICKET, sessionIdContext: "httpwire-test" }],
  ])("TLS 1.2 abbreviated handshake with %s", async (_name, serverOptions) => {
    const server = { maxVersion: "TLSv1.2" as const, ciphers: "ECDHE-RSA-AES128-GCM-SHA256", ...serverOptions };
    const [first, second] = (await recordSessions({ server, client: { maxVersion: "TLSv1.2" }, sessionCache: true }, [
      {},
      { resume: true },
    ])) as [Session, Session];
    expect(first.session).toBeDefined();

    // With the key log of both handshakes (OpenSSL logs a CLIENT_RANDOM line for the resumed one too).
    expectDecrypted(second, decode(second.chunks, new KeyLog(first.keyLog + second.keyLog)), true);

    // With only the first handshake's line: the master secret is remembered from the first connection.
    const secondRandom = /CLIENT_RANDOM ([0-9a-f]{64})/.exec(second.keyLog)![1]!;
    const keys = new KeyLog(first.keyLog + without(second.keyLog, secondRandom));
    expect(keys.get("CLIENT_RANDOM", secondRandom)).toBeUndefined();
    expectDecrypted(first, decode(first.chunks, keys), false);
    expectDecrypted(second, decode(second.chunks, keys), true);

    // Without the first connection decoded, nothing says what the resumed session's secret is.
    const alone = decode(second.chunks, new KeyLog(without(second.keyLog, secondRandom)));
    expect(alone.at(-1)).toMatchObject({ type: "tls-undecryptable", reason: "no-keys", info: { resumed: true, decryptable: false } });
  });

  test("TLS 1.3 resumption with a pre-shared key", async () => {
    const [first, second] = (await recordSessions({}, [{}, { resume: true }])) as [Session, Session];
    expect(first.session).toBeDefined();
    expectDecrypted(second, decode(second.chunks, new KeyLog(second.keyLog)), true);
  });
});
