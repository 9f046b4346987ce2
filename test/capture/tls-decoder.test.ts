/**
 * CaptureDecoder on the recorded TLS, h2c-upgrade and CONNECT captures
 * (fixtures/captures/tls/): decryption with a key log given every way,
 * secrets embedded in the pcapng file, the clear answers (no keys, a key log
 * of another session, ALPN not h2, a CBC suite, an unsupported link type),
 * .gz input, and damaged input.
 */

import { gzipSync } from "node:zlib";
import { fc, test as propTest } from "@fast-check/vitest";
import { HttpwireError } from "httpwire";
import {
  CaptureDecoder,
  type CaptureEvent,
  decodeCapture,
  decodeTcpSegment,
  KeyLog,
  type NoticeEvent,
  type OpenEvent,
  PcapngReader,
  parseKeyLog,
} from "httpwire/capture";
import { describe, expect, test } from "vitest";
import { MAX_HTTP1_HEAD } from "../../src/capture/http1.js";
import { concat, ethernet, ipv4Tcp, pcapngBlock, writePcap, writePcapng } from "./builders.js";
import { decodeBytes, decodeFixture, TLS_FIXTURES, type TlsFixture, tlsCapture, tlsKeys } from "./tls-fixtures.js";

const fixture = (name: string): TlsFixture => TLS_FIXTURES.find((f) => f.name === name)!;
const opens = (evs: readonly CaptureEvent[]) => evs.filter((e): e is OpenEvent => e.type === "open");
const notices = (evs: readonly CaptureEvent[]) => evs.filter((e): e is NoticeEvent => e.type === "notice");
const frames = (evs: readonly CaptureEvent[]) => evs.filter((e) => e.type === "frame");
const problems = (evs: readonly CaptureEvent[]) => evs.filter((e) => e.type === "error" || e.type === "gap");
/** Frames as "connection direction type stream flags length" lines. */
const frameLines = (evs: readonly CaptureEvent[]) =>
  evs.flatMap((e) =>
    e.type === "frame" ? [`${e.connection} ${e.direction} ${e.frameType} ${e.frame.streamId} ${e.frame.flags} ${e.length}`] : [],
  );

/** The packets of a capture, with the offset of each TCP payload in its packet. */
function packetsOf(bytes: Uint8Array) {
  const r = new PcapngReader();
  const ps = r.push(bytes);
  r.end();
  return ps.map((p) => {
    const seg = decodeTcpSegment(p.linkType, p.data);
    return { packet: p, seg, payloadAt: seg === undefined ? -1 : seg.payload.byteOffset - p.data.byteOffset };
  });
}

/** Rewrites a capture's packets (as pcapng, Ethernet). */
function rewrite(bytes: Uint8Array, edit: (data: Uint8Array, i: number) => Uint8Array | undefined, extraBlocks: Uint8Array[] = []) {
  const ps = packetsOf(bytes);
  return writePcapng(
    ps[0]!.packet.linkType,
    ps.flatMap(({ packet }, i) => {
      const d = edit(packet.data.slice(), i);
      return d === undefined ? [] : [{ data: d, seconds: packet.seconds, nanoseconds: packet.nanoseconds }];
    }),
    { tsresol: 9, extraBlocks },
  );
}

/** A Decryption Secrets Block carrying a TLS key log. */
function secretsBlock(text: string): Uint8Array {
  const data = new TextEncoder().encode(text);
  const body = new Uint8Array(8 + ((data.length + 3) & ~3));
  const v = new DataView(body.buffer);
  v.setUint32(0, 0x544c534b, true);
  v.setUint32(4, data.length, true);
  body.set(data, 8);
  return pcapngBlock(0x0000000a, body, true);
}

describe("TLS captures decode with their key log, through the same HTTP/2 path as cleartext", () => {
  test.each(TLS_FIXTURES.map((f) => [f.name, f] as const))("%s", (_name, f) => {
    const evs = decodeFixture(f);
    expect(problems(evs)).toEqual([]);
    expect(notices(evs)).toEqual([]);
    const o = opens(evs);
    expect(o).toHaveLength(f.connections);
    if (f.tls !== undefined) {
      expect(o[0]!.tls).toMatchObject({ ...f.tls, alpn: "h2", decryptable: true });
      expect(o[0]!.tls!.clientRandom).toMatch(/^[0-9a-f]{64}$/);
    } else expect(o[0]!.tls).toBeUndefined();
    expect(frames(evs).length).toBeGreaterThanOrEqual(7);
    // Every connection's client sent at least one request with its fields decoded.
    for (const c of o) {
      expect(evs.some((e) => e.type === "frame" && e.connection === c.connection && e.fields?.some((h) => h.name === ":method"))).toBe(
        f.name !== "h2c-upgrade",
      );
    }
  });

  test("the key log given as text, as a KeyLog, or as parsed entries gives the same events", () => {
    const f = fixture("tls12-aes128gcm");
    const text = tlsKeys(f);
    const fromText = decodeFixture(f);
    expect(decodeBytes(tlsCapture(f), { keyLog: new KeyLog(text) })).toEqual(fromText);
    expect(decodeBytes(tlsCapture(f), { keyLog: parseKeyLog(text).entries })).toEqual(fromText);
  });

  test("the open event names version, suite, SNI and ALPN (node:http2 sends SNI)", () => {
    const o = opens(decodeFixture(fixture("node-http2")))[0]!;
    expect(o.tls).toMatchObject({
      version: "TLS 1.3",
      cipherSuite: 0x1302,
      cipherSuiteName: "TLS_AES_256_GCM_SHA384",
      serverName: "localhost",
      alpn: "h2",
      alpnOffered: ["h2"],
      resumed: false,
    });
  });

  test("a KeyUpdate in each direction is followed: the request and response after it decode", () => {
    const evs = decodeFixture(fixture("tls13-keyupdate"));
    const paths = evs.flatMap((e) => (e.type === "frame" ? (e.fields ?? []).filter((h) => h.name === ":path").map((h) => h.value) : []));
    expect(paths).toEqual(["/index.html", "/data.txt"]);
    const data = evs.filter((e) => e.type === "frame" && e.frameType === 0 && e.direction === "server-to-client");
    expect(data.map((e) => (e.type === "frame" ? e.length : 0))).toEqual([60, 3601]);
  });

  test("a HelloRetryRequest inside a CONNECT tunnel (curl's first key share refused) is followed", () => {
    const o = opens(decodeFixture(fixture("connect-tls")));
    expect(o.map((e) => [e.via, e.tunnel, e.tls?.helloRetry])).toEqual([
      ["connect", "127.0.0.1:18443", true],
      [undefined, undefined, true],
    ]);
  });

  test("any chunking of a TLS capture gives the same events", () => {
    const f = fixture("tls13-chacha20");
    const bytes = tlsCapture(f);
    const whole = decodeFixture(f);
    for (const size of [1, 7, 100, 1400]) {
      const d = new CaptureDecoder({ keyLog: tlsKeys(f) });
      const evs: CaptureEvent[] = [];
      for (let i = 0; i < bytes.length; i += size) evs.push(...d.push(bytes.subarray(i, i + size)));
      evs.push(...d.end());
      expect(frameLines(evs)).toEqual(frameLines(whole));
    }
  });
});

describe("secrets embedded in the pcapng file (Decryption Secrets Blocks)", () => {
  test("editcap --inject-secrets: decoded with no key log given, exactly like the same capture with its key log", () => {
    const embedded = decodeBytes(tlsCapture(fixture("tls13-embedded-secrets")));
    expect(problems(embedded)).toEqual([]);
    expect(frameLines(embedded)).toEqual(frameLines(decodeFixture(fixture("tls13-aes128gcm"))));
  });

  test("a block's malformed lines are notices with their line numbers; the good lines are used", () => {
    const f = fixture("tls13-aes128gcm");
    const keys = tlsKeys(f);
    const text = `# comment\nCLIENT_RANDOM zz\n${keys}NOT_A_LABEL x y\nSERVER_TRAFFIC_SECRET_0 abcd\n`;
    const badLine = 2 + keys.split("\n").length + 1;
    expect(text.split("\n")[badLine - 1]).toBe("SERVER_TRAFFIC_SECRET_0 abcd");
    const evs = decodeBytes(rewrite(tlsCapture(f), (d) => d, [secretsBlock(text)]));
    expect(notices(evs).map((n) => [n.reason, n.line])).toEqual([
      ["key-log-line", 2],
      ["key-log-line", badLine],
    ]);
    expect(frameLines(evs)).toEqual(frameLines(decodeFixture(f)));
  });

  test("secrets of another type are skipped", () => {
    const f = fixture("tls13-aes128gcm");
    const other = secretsBlock(tlsKeys(f));
    new DataView(other.buffer).setUint32(8, 0x57474b4c, true); // "WGKL" (WireGuard)
    const evs = decodeBytes(rewrite(tlsCapture(f), (d) => d, [other]));
    expect(notices(evs).map((n) => n.reason)).toEqual(["tls-no-keys"]);
  });
});

describe("clear answers, one per connection", () => {
  test("TLS without keys: addresses, version, suite, ALPN offered and the client random to look for", () => {
    const f = fixture("tls13-aes128gcm");
    const evs = decodeBytes(tlsCapture(f));
    expect(frames(evs)).toEqual([]);
    expect(problems(evs)).toEqual([]);
    const n = notices(evs);
    expect(n).toHaveLength(1);
    const random = opens(decodeFixture(f))[0]!.tls!.clientRandom;
    expect(n[0]).toMatchObject({
      reason: "tls-no-keys",
      client: { address: "127.0.0.1" },
      server: { port: 18443 },
      tls: { clientRandom: random },
    });
    expect(n[0]!.message).toBe(
      `127.0.0.1:${n[0]!.client!.port} -> 127.0.0.1:18443: TLS 1.3 TLS_AES_128_GCM_SHA256, ALPN offered h2,http/1.1: not decrypted: no keys in the key log for client random ${random}`,
    );
    expect(tlsKeys(f)).toContain(random);
  });

  test("a key log of another session: no keys for this client random, named", () => {
    const evs = decodeBytes(tlsCapture(fixture("tls13-aes128gcm")), { keyLog: tlsKeys(fixture("node-http2")) });
    expect(notices(evs).map((n) => n.reason)).toEqual(["tls-no-keys"]);
    expect(frames(evs)).toEqual([]);
  });

  test("secrets of the right client random but wrong values: named, never an exception", () => {
    const f = fixture("tls13-aes128gcm");
    const wrong = tlsKeys(f).replace(/ ([0-9a-f]{64})$/gm, (_m, s: string) => ` ${s.slice(0, 63)}${s[63] === "0" ? "1" : "0"}`);
    const evs = decodeBytes(tlsCapture(f), { keyLog: wrong });
    expect(frames(evs)).toEqual([]);
    expect(notices(evs).map((n) => n.reason)).toEqual(["tls-wrong-keys"]);
  });

  test("ALPN http/1.1 over TLS: named and skipped", () => {
    const f: TlsFixture = { ...fixture("tls13-aes128gcm"), name: "tls13-http11" };
    const evs = decodeFixture(f);
    expect(notices(evs).map((n) => [n.reason, n.tls?.alpn])).toEqual([["alpn-not-h2", "http/1.1"]]);
    expect(notices(evs)[0]!.message).toMatch(/: TLS 1\.3 TLS_AES_256_GCM_SHA384, ALPN http\/1\.1: not HTTP\/2: skipped$/);
  });

  test("a CBC suite (RFC 9113 §9.2.2 forbids it for HTTP/2) is named", () => {
    const f: TlsFixture = { ...fixture("tls12-aes128gcm"), name: "tls12-cbc" };
    const evs = decodeFixture(f);
    expect(notices(evs).map((n) => [n.reason, n.tls?.cipherSuiteName])).toEqual([
      ["tls-unsupported-cipher-suite", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256"],
    ]);
    expect(notices(evs)[0]!.message).toContain("cipher suite TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256 cannot be decrypted");
  });

  test("an unsupported link type is named with its number, once", () => {
    const evs = decodeBytes(writePcap(147, [{ data: new Uint8Array(60) }, { data: new Uint8Array(60) }]));
    expect(notices(evs).map((n) => [n.reason, n.linkType])).toEqual([["unsupported-link-type", 147]]);
    expect(notices(evs)[0]!.message).toMatch(/^link type 147 is not supported/);
  });

  test("a malformed key log line is a notice with its line number, and decoding goes on", () => {
    const f = fixture("tls12-chacha20");
    const evs = decodeBytes(tlsCapture(f), { keyLog: `CLIENT_RANDOM 00\n\n${tlsKeys(f)}` });
    expect(notices(evs).map((n) => [n.reason, n.line])).toEqual([["key-log-line", 1]]);
    expect(frameLines(evs)).toEqual(frameLines(decodeFixture(f)));
  });
});

describe("h2c upgrade and CONNECT tunnels", () => {
  test("Upgrade: h2c answered 101: stream 1 is the upgraded request, HTTP2-Settings decoded and applied", () => {
    const evs = decodeFixture(fixture("h2c-upgrade"));
    const up = evs.find((e) => e.type === "upgrade");
    expect(up).toMatchObject({
      type: "upgrade",
      connection: 1,
      streamId: 1,
      fields: [
        { name: ":method", value: "GET" },
        { name: ":scheme", value: "http" },
        { name: ":authority", value: "127.0.0.1:18446" },
        { name: ":path", value: "/index.html" },
        { name: "user-agent", value: "curl/7.88.1" },
        { name: "accept", value: "*/*" },
      ],
      // curl's HTTP2-Settings: AAMAAABkAAQCAAAAAAIAAAAA
      settings: [
        { id: 3, value: 100 },
        { id: 4, value: 33554432 },
        { id: 2, value: 0 },
      ],
    });
    expect(opens(evs)[0]).toMatchObject({ via: "h2c-upgrade" });
    // The server answers stream 1 in HTTP/2.
    const s1 = evs.filter((e) => e.type === "frame" && e.frame.streamId === 1 && e.direction === "server-to-client");
    expect(s1.map((e) => (e.type === "frame" ? e.fields?.[0] : undefined))).toEqual([{ name: ":status", value: "200" }, undefined]);
  });

  test("cleartext HTTP/2 in a CONNECT tunnel, and the proxy's own connection to the target", () => {
    const o = opens(decodeFixture(fixture("connect-h2c")));
    expect(o.map((e) => [e.server.port, e.via, e.tunnel])).toEqual([
      [18447, "connect", "127.0.0.1:18448"],
      [18448, undefined, undefined],
    ]);
  });

  test("HTTP/1.1 without an upgrade is named and skipped", () => {
    // The h2c-upgrade capture with the server's 101 turned into a 200.
    const bytes = rewrite(tlsCapture(fixture("h2c-upgrade")), (d) => {
      const at = findAscii(d, "HTTP/1.1 101");
      if (at >= 0) d.set(new TextEncoder().encode("HTTP/1.1 200"), at);
      return d;
    });
    const evs = decodeBytes(bytes);
    expect(frames(evs)).toEqual([]);
    expect(notices(evs).map((n) => n.reason)).toEqual(["http1-not-http2"]);
    expect(notices(evs)[0]!.message).toMatch(/HTTP\/1\.1 GET \/index\.html answered 200, not upgraded to HTTP\/2: skipped$/);
  });
});

/** A pcap of one client-to-server TCP stream carrying `bytes`, in 1400-byte segments. */
function clientStream(bytes: Uint8Array): Uint8Array {
  const packets = [];
  for (let i = 0; i < bytes.length; i += 1400) {
    const payload = bytes.subarray(i, i + 1400);
    packets.push({ data: ethernet(ipv4Tcp({ sport: 40000, dport: 8080, seq: 1000 + i, flags: 0x18, payload })) });
  }
  return writePcap(1, packets);
}

describe("bounds on what is held while a connection's protocol is not known", () => {
  test(`an HTTP/1.1 request head longer than ${MAX_HTTP1_HEAD} bytes is named and skipped`, () => {
    const head = new TextEncoder().encode(`GET / HTTP/1.1\r\nHost: x\r\nX-Long: ${"a".repeat(MAX_HTTP1_HEAD)}\r\n\r\n`);
    const evs = decodeBytes(clientStream(head));
    expect(notices(evs).map((n) => n.reason)).toEqual(["http1-not-http2"]);
    expect(notices(evs)[0]!.message).toContain("HTTP/1.1 request head longer than 64 KiB");
  });

  test("bytes after an HTTP/1.1 request that is never answered are held up to maxUnrecognisedBytes, then the connection is dropped", () => {
    const req = new TextEncoder().encode(
      "GET / HTTP/1.1\r\nHost: x\r\nUpgrade: h2c\r\nConnection: Upgrade, HTTP2-Settings\r\nHTTP2-Settings: \r\n\r\n",
    );
    const evs = decodeBytes(clientStream(concat([req, new Uint8Array(5000)])), { maxUnrecognisedBytes: 4096 });
    expect(evs.filter((e) => e.type !== "notice")).toEqual([]);
  });

  test("a client stream that looks like a TLS record header but is cut short is decided at its end", () => {
    const evs = decodeBytes(clientStream(Uint8Array.of(0x16, 0x03, 0x01)));
    expect(evs).toEqual([]);
  });
});

function findAscii(d: Uint8Array, s: string): number {
  const b = new TextEncoder().encode(s);
  outer: for (let i = 0; i + b.length <= d.length; i++) {
    for (let j = 0; j < b.length; j++) if (d[i + j] !== b[j]) continue outer;
    return i;
  }
  return -1;
}

describe("compressed captures (.gz)", () => {
  test("decodeCapture decompresses a gzip capture with the platform's DecompressionStream", async () => {
    const f = fixture("tls13-aes256gcm");
    const gz = new Uint8Array(gzipSync(tlsCapture(f)));
    const chunks = Array.from({ length: Math.ceil(gz.length / 1000) }, (_, i) => gz.subarray(i * 1000, i * 1000 + 1000));
    const evs: CaptureEvent[] = [];
    for await (const e of decodeCapture(chunks, { keyLog: tlsKeys(f) })) evs.push(e);
    expect(evs).toEqual(decodeFixture(f));
  });

  test("a corrupt gzip capture is one clear error", async () => {
    const gz = new Uint8Array(gzipSync(tlsCapture(fixture("tls13-aes256gcm"))));
    gz.fill(0xff, 100, 200);
    const evs: CaptureEvent[] = [];
    for await (const e of decodeCapture([gz])) evs.push(e);
    const errors = evs.filter((e) => e.type === "error");
    expect(errors.length).toBeGreaterThanOrEqual(1);
    expect(errors[0]).toMatchObject({ error: { name: "CaptureError", reason: "gzip_corrupt" } });
  });

  test("the synchronous CaptureDecoder names gzip input and points to decodeCapture", () => {
    const gz = new Uint8Array(gzipSync(tlsCapture(fixture("tls13-aes256gcm"))));
    const evs = decodeBytes(gz);
    expect(evs).toHaveLength(1);
    expect(evs[0]).toMatchObject({ type: "error", error: { reason: "gzip_input" } });
    expect((evs[0] as { error: Error }).error.message).toContain("decodeCapture");
  });
});

describe("damaged TLS input: a clear message per connection, never a foreign exception", () => {
  const f = fixture("tls13-aes128gcm");
  const bytes = tlsCapture(f);
  const ps = packetsOf(bytes);
  /** The server packet with the largest application data record (the response to /data.txt). */
  let lastServerData = -1;
  ps.forEach((p, i) => {
    if (p.seg !== undefined && p.seg.srcPort === 18443 && p.seg.payload[0] === 0x17) {
      if (lastServerData < 0 || p.seg.payload.length > ps[lastServerData]!.seg!.payload.length) lastServerData = i;
    }
  });

  test("a bit flipped in the server's ciphertext: a TLS error for that direction; the client's direction goes on", () => {
    const damaged = rewrite(bytes, (d, i) => {
      if (i === lastServerData) d[ps[i]!.payloadAt + 20]! ^= 0x01;
      return d;
    });
    const evs = decodeBytes(damaged, { keyLog: tlsKeys(f) });
    const errors = evs.filter((e) => e.type === "error");
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ connection: 1, direction: "server-to-client", error: { name: "CaptureError" } });
    // Everything before the damaged record decoded as in the clean capture.
    const clean = frameLines(decodeFixture(f));
    const got = frameLines(evs);
    expect(got.length).toBeGreaterThan(5);
    expect(clean.filter((l) => l.includes("client-to-server"))).toEqual(got.filter((l) => l.includes("client-to-server")));
  });

  test("a capture cut in the middle of a record: the truncated direction is reported, nothing throws", () => {
    const at = ps[lastServerData]!;
    const cut = rewrite(bytes, (d, i) => (i === lastServerData ? d.subarray(0, at.payloadAt + 30) : i > lastServerData ? undefined : d));
    const evs = decodeBytes(cut, { keyLog: tlsKeys(f) });
    expect(problems(evs).length).toBeGreaterThan(0);
    for (const e of problems(evs)) if (e.type === "error") expect(e.error).toBeInstanceOf(HttpwireError);
  });

  propTest.prop([fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 6 })], { numRuns: 40 })(
    "bytes flipped anywhere in the TCP payloads give events, never an exception",
    (flips) => {
      const withPayload = ps.map((p, i) => [p, i] as const).filter(([p]) => p.seg !== undefined && p.seg.payload.length > 0);
      const damaged = rewrite(bytes, (d, i) => {
        for (const [n, x] of flips) {
          const [p, j] = withPayload[n % withPayload.length]!;
          if (j === i) d[p.payloadAt + (n % p.seg!.payload.length)]! ^= x;
        }
        return d;
      });
      const evs = decodeBytes(damaged, { keyLog: tlsKeys(f) });
      for (const e of evs) if (e.type === "error") expect(e.error).toBeInstanceOf(HttpwireError);
    },
  );

  propTest.prop([fc.uint8Array({ minLength: 1, maxLength: 600 }), fc.array(fc.nat(), { maxLength: 5 })], { numRuns: 60 })(
    "a ClientHello-looking start followed by arbitrary bytes, in any chunking, gives events, never an exception",
    (garbage, cuts) => {
      const first = ps.findIndex((q) => q.seg !== undefined && q.seg.payload.length > 0);
      const file = rewrite(bytes, (data, i) => {
        if (i !== first) return data;
        const at = ps[i]!.payloadAt;
        const room = data.length - at;
        data.set(concat([Uint8Array.of(0x16, 0x03, 0x01, 0x02, 0x00, 0x01), garbage]).subarray(0, room), at);
        return data;
      });
      const sorted = [...new Set(cuts.map((c) => c % file.length))].sort((a, b) => a - b);
      const d = new CaptureDecoder({ keyLog: tlsKeys(f) });
      const evs: CaptureEvent[] = [];
      let prev = 0;
      for (const c of sorted) {
        evs.push(...d.push(file.subarray(prev, c)));
        prev = c;
      }
      evs.push(...d.push(file.subarray(prev)), ...d.end());
      for (const e of evs) if (e.type === "error") expect(e.error).toBeInstanceOf(HttpwireError);
    },
  );
});
