import { fc, test as propTest } from "@fast-check/vitest";
import { CaptureError, CaptureErrorCode, type Direction, KeyLog, looksLikeTls, type TlsEvent, TlsStream } from "httpwire/capture";
import { beforeAll, describe, expect, test } from "vitest";
import { type Chunk, collect, opensslAvailable, recordSession, type Session } from "./sessions.js";

function decode(chunks: Chunk[], keyLog: KeyLog | string): TlsEvent[] {
  const stream = new TlsStream(typeof keyLog === "string" ? new KeyLog(keyLog) : keyLog);
  const out: TlsEvent[] = [];
  for (const c of chunks) stream.push(c.direction, c.bytes, out);
  stream.end(out);
  return out;
}

/** The chunks of each direction joined, keeping the order of directions. */
function flatten(chunks: Chunk[]): Chunk[] {
  const out: Chunk[] = [];
  for (const c of chunks) {
    const last = out.at(-1);
    if (last !== undefined && last.direction === c.direction) last.bytes = new Uint8Array([...last.bytes, ...c.bytes]);
    else out.push({ direction: c.direction, bytes: c.bytes.slice() });
  }
  return out;
}

/** Offsets of the records of one direction's bytes. */
function recordOffsets(bytes: Uint8Array): number[] {
  const offsets: number[] = [];
  for (let p = 0; p + 5 <= bytes.length; p += 5 + ((bytes[p + 3]! << 8) | bytes[p + 4]!)) offsets.push(p);
  return offsets;
}

const errors = (events: TlsEvent[]) => events.filter((e) => e.type === "tls-error" || e.type === "tls-undecryptable");

const available = opensslAvailable();

describe.skipIf(!available)("damaged TLS sessions (skipped: openssl is needed for the test certificate)", () => {
  let tls13: Session;
  let tls12: Session;
  let other: Session;
  beforeAll(async () => {
    const writes = {
      clientWrites: [new Uint8Array(3000).fill(1), new Uint8Array(10).fill(2)],
      serverWrites: [new Uint8Array(40_000).fill(3)],
    };
    tls13 = await recordSession({ ...writes });
    tls12 = await recordSession({ ...writes, server: { maxVersion: "TLSv1.2" } });
    other = await recordSession({ ...writes });
  }, 60_000);

  test("a key log for another session: no keys", () => {
    const events = decode(tls13.chunks, other.keyLog);
    expect(errors(events)).toEqual([
      { type: "tls-undecryptable", reason: "no-keys", info: expect.objectContaining({ version: "TLS 1.3", decryptable: false }) },
    ]);
    expect(collect(events).client).toHaveLength(0);
  });

  test.each([
    ["TLS 1.3", () => tls13],
    ["TLS 1.2", () => tls12],
  ])("%s: wrong secrets under the right client random: wrong keys", (_name, session) => {
    const s = session();
    // Same labels and client randoms, other secrets.
    const wrong = s.keyLog.replace(/ ([0-9a-f]+)\n/g, (_m, secret: string) => ` ${"5a".repeat(secret.length / 2)}\n`);
    const events = decode(s.chunks, wrong);
    expect(errors(events)).toEqual([
      { type: "tls-undecryptable", reason: "wrong-keys", info: expect.objectContaining({ decryptable: false }) },
    ]);
  });

  test("no key log at all: one handshake event naming the connection, then no keys", () => {
    const events = decode(tls13.chunks, new KeyLog());
    expect(events.map((e) => e.type)).toEqual(["tls-handshake", "tls-undecryptable"]);
    expect(events[0]).toMatchObject({ info: { serverName: "localhost", clientRandom: expect.stringMatching(/^[0-9a-f]{64}$/) } });
  });

  test.each([
    ["TLS 1.3", () => tls13],
    ["TLS 1.2", () => tls12],
  ])("%s: a bit flipped in the ciphertext of a late server record stops that direction only", (_name, session) => {
    const s = session();
    const flat = flatten(s.chunks);
    const i = flat.length - 1 - [...flat].reverse().findIndex((c) => c.direction === "server-to-client");
    const server = flat[i]!;
    const offsets = recordOffsets(server.bytes);
    const target = offsets[Math.max(0, offsets.length - 2)]!;
    server.bytes[target + 5 + 10]! ^= 0x04;
    const events = decode(flat, s.keyLog);
    const bad = errors(events);
    expect(bad).toHaveLength(1);
    expect(bad[0]).toMatchObject({ type: "tls-error", direction: "server-to-client" });
    const error = (bad[0] as { error: CaptureError }).error;
    expect(error).toBeInstanceOf(CaptureError);
    expect(error.code).toBe(CaptureErrorCode.TLS_BAD_RECORD_MAC);
    expect(error.reason).toBe("tls_bad_record_mac");
    // The client direction is whole.
    expect(collect(events).client).toEqual(s.clientSent);
  });

  test("truncated: the capture ends inside a record", () => {
    const flat = flatten(tls13.chunks);
    const last = flat.at(-1)!;
    last.bytes = last.bytes.subarray(0, last.bytes.length - 7);
    const bad = errors(decode(flat, tls13.keyLog));
    expect(bad).toHaveLength(1);
    expect(bad[0]).toMatchObject({
      type: "tls-error",
      direction: last.direction,
      error: { code: CaptureErrorCode.TLS_TRUNCATED_RECORD, reason: "tls_truncated_record" },
    });
  });

  test("a gap stops the direction it is in", () => {
    const stream = new TlsStream(new KeyLog(tls13.keyLog));
    const out: TlsEvent[] = [];
    const flat = flatten(tls13.chunks);
    for (const [n, c] of flat.entries()) {
      if (n === flat.length - 1) stream.gap(c.direction, 100, out);
      stream.push(c.direction, c.bytes, out);
    }
    stream.end(out);
    expect(errors(out)).toEqual([
      { type: "tls-error", direction: flat.at(-1)!.direction, error: expect.objectContaining({ code: CaptureErrorCode.TLS_GAP }) },
    ]);
  });

  test("a record longer than 2^14 + 2048 is a record_overflow", () => {
    const flat = flatten(tls13.chunks);
    const server = flat.find((c) => c.direction === "server-to-client")!;
    const offsets = recordOffsets(server.bytes);
    const last = offsets.at(-1)!;
    server.bytes[last + 3] = 0x48; // 0x48xx > 18432
    const bad = errors(decode(flat, tls13.keyLog));
    expect(bad[0]).toMatchObject({
      type: "tls-error",
      direction: "server-to-client",
      error: { code: CaptureErrorCode.TLS_RECORD_OVERFLOW, reason: "tls_record_overflow" },
    });
  });

  test("a CBC suite is named and reported undecryptable", async () => {
    const s = await recordSession({
      server: { maxVersion: "TLSv1.2", ciphers: "ECDHE-RSA-AES128-SHA" },
      client: { maxVersion: "TLSv1.2", ciphers: "ECDHE-RSA-AES128-SHA" },
    });
    const events = decode(s.chunks, s.keyLog);
    expect(events).toEqual([
      {
        type: "tls-handshake",
        info: expect.objectContaining({ cipherSuite: 0xc013, cipherSuiteName: "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", decryptable: false }),
      },
      {
        type: "tls-undecryptable",
        reason: "unsupported-cipher-suite",
        info: expect.objectContaining({ cipherSuiteName: "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA" }),
      },
    ]);
  });

  test("only the ClientHello: the handshake is incomplete", () => {
    const first = tls13.chunks[0]!;
    expect(first.direction).toBe("client-to-server");
    expect(looksLikeTls(first.bytes)).toBe(true);
    const events = decode([first], tls13.keyLog);
    expect(events).toEqual([
      { type: "tls-handshake", info: expect.objectContaining({ alpnOffered: [], serverName: "localhost", decryptable: false }) },
      { type: "tls-undecryptable", reason: "incomplete-handshake", info: expect.objectContaining({ decryptable: false }) },
    ]);
  });
});

describe("garbage", () => {
  test("SSLv2-looking bytes are a malformed record, never an exception", () => {
    // An SSLv2 CLIENT-HELLO header: 2-byte length with the high bit set, then message type 1.
    const v2 = new Uint8Array([0x80, 0x2e, 0x01, 0x00, 0x02, 0x00, 0x15, 0x00, 0x00, 0x00, 0x10]);
    expect(looksLikeTls(v2)).toBe(false);
    const stream = new TlsStream(new KeyLog());
    const out: TlsEvent[] = [];
    stream.push("client-to-server", v2, out);
    stream.push("client-to-server", v2, out); // a stopped direction takes more bytes quietly
    stream.end(out);
    expect(out).toEqual([
      {
        type: "tls-error",
        direction: "client-to-server",
        error: expect.objectContaining({ code: CaptureErrorCode.TLS_MALFORMED_RECORD, offset: 0 }),
      },
    ]);
  });

  test("looksLikeTls wants a handshake record header and a ClientHello", () => {
    expect(looksLikeTls(new Uint8Array([0x16, 0x03, 0x01, 0x02, 0x00, 0x01]))).toBe(true);
    expect(looksLikeTls(new Uint8Array([0x16, 0x03, 0x01, 0x02, 0x00]))).toBe(false);
    expect(looksLikeTls(new Uint8Array([0x16, 0x03, 0x01, 0x02, 0x00, 0x02]))).toBe(false);
    expect(looksLikeTls(new Uint8Array([0x17, 0x03, 0x03, 0x02, 0x00, 0x01]))).toBe(false);
    expect(looksLikeTls(new Uint8Array([0x16, 0x03, 0x05, 0x02, 0x00, 0x01]))).toBe(false);
    expect(looksLikeTls(new Uint8Array([0x16, 0x03, 0x01, 0x48, 0x01, 0x01]))).toBe(false);
    expect(looksLikeTls(new TextEncoder().encode("PRI * HTTP/2.0\r\n"))).toBe(false);
  });

  test("a caller's wrong direction or option is a TypeError/RangeError", () => {
    expect(() => new TlsStream(new KeyLog()).push("sideways" as Direction, new Uint8Array(1), [])).toThrow(TypeError);
    expect(() => new TlsStream(new KeyLog(), { maxEarlyData: -1 })).toThrow(RangeError);
  });

  const direction = fc.constantFrom<Direction>("client-to-server", "server-to-client");
  const handshakeStart = fc
    .uint8Array({ maxLength: 300 })
    .map((b) => new Uint8Array([0x16, 0x03, 0x01, b.length >> 8, b.length & 0xff, 0x01, ...b]));
  propTest.prop([
    fc.array(fc.tuple(direction, fc.oneof(fc.uint8Array({ maxLength: 400 }), handshakeStart), fc.boolean()), { maxLength: 12 }),
  ])("arbitrary bytes in arbitrary chunks give only events", (pushes) => {
    const keyLog = new KeyLog(`CLIENT_RANDOM ${"00".repeat(32)} ${"11".repeat(48)}`);
    const stream = new TlsStream(keyLog);
    const out: TlsEvent[] = [];
    for (const [dir, bytes, gap] of pushes) {
      if (gap) stream.gap(dir, 5, out);
      else stream.push(dir, bytes, out);
    }
    stream.end(out);
    for (const e of out) {
      expect(["tls-handshake", "tls-data", "tls-undecryptable", "tls-error"]).toContain(e.type);
      if (e.type === "tls-error") expect(e.error).toBeInstanceOf(CaptureError);
    }
    // The stream ends quietly once ended.
    const after: TlsEvent[] = [];
    stream.end(after);
    expect(after).toEqual([]);
  });
});
