import { fc } from "@fast-check/vitest";
import { KeyLog, type TlsEvent, TlsStream } from "httpwire/capture";
import { beforeAll, describe, expect, test } from "vitest";
import { type Chunk, collect, opensslAvailable, recordSession, type Session } from "./sessions.js";

function decode(chunks: Chunk[], keyLog: KeyLog | string, chunking?: number): TlsEvent[] {
  const stream = new TlsStream(typeof keyLog === "string" ? new KeyLog(keyLog) : keyLog);
  const out: TlsEvent[] = [];
  for (const c of chunks) {
    if (chunking === undefined) stream.push(c.direction, c.bytes, out);
    else for (let i = 0; i < c.bytes.length; i += chunking) stream.push(c.direction, c.bytes.subarray(i, i + chunking), out);
  }
  stream.end(out);
  return out;
}

const big = (n: number, seed: number) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) & 0xff);
const writes = { clientWrites: [big(40_000, 1), big(10, 2)], serverWrites: [big(70_000, 3)] };

function expectDecrypted(s: Session, events: TlsEvent[]) {
  const { client, server, other } = collect(events);
  expect(other.filter((e) => e.type !== "tls-handshake")).toEqual([]);
  expect(other.filter((e) => e.type === "tls-handshake")).toHaveLength(1);
  expect(client).toEqual(s.clientSent);
  expect(server).toEqual(s.serverSent);
}

const available = opensslAvailable();

describe.skipIf(!available)("TlsStream on real node:tls sessions (skipped: openssl is needed for the test certificate)", () => {
  test.each([
    ["TLS_AES_128_GCM_SHA256", 0x1301],
    ["TLS_AES_256_GCM_SHA384", 0x1302],
    ["TLS_CHACHA20_POLY1305_SHA256", 0x1303],
  ])("TLS 1.3 %s", async (suite, id) => {
    const s = await recordSession({
      ...writes,
      server: { minVersion: "TLSv1.3", ciphers: suite, ALPNProtocols: ["h2", "http/1.1"] },
      client: { ciphers: suite, ALPNProtocols: ["h2", "http/1.1"] },
    });
    expect(s.cipher).toBe(suite);
    for (const chunking of [undefined, 1, 7, 1000]) {
      const events = decode(s.chunks, s.keyLog, chunking);
      expectDecrypted(s, events);
      const hs = events.find((e) => e.type === "tls-handshake");
      expect(hs).toEqual({
        type: "tls-handshake",
        info: {
          version: "TLS 1.3",
          cipherSuite: id,
          cipherSuiteName: suite,
          serverName: "localhost",
          alpnOffered: ["h2", "http/1.1"],
          alpn: "h2",
          clientRandom: expect.stringMatching(/^[0-9a-f]{64}$/),
          resumed: false,
          helloRetry: false,
          decryptable: true,
        },
      });
    }
  });

  test.each([
    ["ECDHE-RSA-AES128-GCM-SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", 0xc02f],
    ["ECDHE-RSA-AES256-GCM-SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", 0xc030],
    ["ECDHE-RSA-CHACHA20-POLY1305", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", 0xcca8],
    ["DHE-RSA-AES128-GCM-SHA256", "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256", 0x009e],
    ["AES128-GCM-SHA256", "TLS_RSA_WITH_AES_128_GCM_SHA256", 0x009c],
  ])("TLS 1.2 %s", async (openssl, name, id) => {
    const s = await recordSession({
      ...writes,
      server: { maxVersion: "TLSv1.2", ciphers: openssl, dhparam: "auto", ALPNProtocols: ["h2"] },
      client: { maxVersion: "TLSv1.2", ciphers: openssl, ALPNProtocols: ["h2", "http/1.1"] },
    });
    expect(s.cipher).toBe(name);
    for (const chunking of [undefined, 3, 1000]) {
      const events = decode(s.chunks, s.keyLog, chunking);
      expectDecrypted(s, events);
      expect(events.find((e) => e.type === "tls-handshake")).toMatchObject({
        info: { version: "TLS 1.2", cipherSuite: id, cipherSuiteName: name, alpn: "h2", resumed: false, decryptable: true },
      });
    }
  });

  test("TLS 1.3 HelloRetryRequest (the client's key share is for a group the server does not take)", async () => {
    const s = await recordSession({ ...writes, server: { ecdhCurve: "X25519" }, client: { ecdhCurve: "P-256:X25519" } });
    const events = decode(s.chunks, s.keyLog);
    expectDecrypted(s, events);
    expect(events.find((e) => e.type === "tls-handshake")).toMatchObject({ info: { version: "TLS 1.3", helloRetry: true } });
  });
});

describe.skipIf(!available)("any chunking of a real session (skipped: openssl is needed for the test certificate)", () => {
  let s: Session;
  beforeAll(async () => {
    s = await recordSession({ ...writes, server: { ALPNProtocols: ["h2"] }, client: { ALPNProtocols: ["h2"] } });
  }, 60_000);
  test("decrypts the same bytes whatever the chunk boundaries (fast-check)", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 6000 }), { minLength: 2, maxLength: 20 }), (sizes) => {
        const stream = new TlsStream(new KeyLog(s.keyLog));
        const out: TlsEvent[] = [];
        let k = 0;
        for (const c of s.chunks) {
          for (let i = 0; i < c.bytes.length; ) {
            const n = sizes[k++ % sizes.length]!;
            stream.push(c.direction, c.bytes.subarray(i, i + n), out);
            i += n;
          }
        }
        stream.end(out);
        expectDecrypted(s, out);
      }),
      { numRuns: 12 },
    );
  }, 120_000);
});
