import { describe, expect, test } from "vitest";
import {
  MalformedHello,
  parseClientHello,
  parseEncryptedExtensions,
  parseServerHello,
  versionName,
} from "../../../src/capture/tls/hello.js";
import { hex } from "../../helpers/hex.js";

const u16 = (n: number) => [n >> 8, n & 0xff];
const ext = (type: number, body: number[]) => [...u16(type), ...u16(body.length), ...body];
const ascii = (s: string) => [...new TextEncoder().encode(s)];

function clientHello(extensions: number[][]): Uint8Array {
  const exts = extensions.flat();
  return new Uint8Array([
    ...u16(0x0303),
    ...new Array(32).fill(0xaa),
    3,
    1,
    2,
    3, // session ID
    ...u16(4),
    0x13,
    0x01,
    0x13,
    0x03, // suites
    1,
    0, // compression
    ...u16(exts.length),
    ...exts,
  ]);
}

describe("ClientHello", () => {
  test("RFC 8448 §3's ClientHello", () => {
    const body = hex(
      "0303cb34ecb1e78163ba1c38c6dacb196a6dffa21a8d9912ec18a2ef6283024dece7000006130113031302010000910000000b0009000006736572766572ff01000100000a00140012001d0017001800190100010101020103010400230000003300260024001d002099381de560e4bd43d23d8e435a7dbafeb3c06e51c13cae4d5413691e529aaf2c002b0003020304000d0020001e040305030603020308040805080604010501060102010402050206020202002d00020101001c00024001",
    );
    const ch = parseClientHello(body);
    expect(ch).toMatchObject({
      legacyVersion: 0x0303,
      cipherSuites: [0x1301, 0x1303, 0x1302],
      serverName: "server",
      alpn: [],
      supportedVersions: [0x0304],
      earlyData: false,
    });
    expect(ch.sessionId).toHaveLength(0);
    expect(ch.ticket).toBeUndefined();
    expect(ch.quicTransportParameters).toBeUndefined();
  });

  test("SNI, ALPN, early_data, session ticket and QUIC transport parameters", () => {
    const name = ascii("example.com");
    const alpn = [2, ...ascii("h2"), 8, ...ascii("http/1.1")];
    const ch = parseClientHello(
      clientHello([
        ext(0, [...u16(name.length + 3), 0, ...u16(name.length), ...name]),
        ext(16, [...u16(alpn.length), ...alpn]),
        ext(42, []),
        ext(35, [9, 8, 7]),
        ext(43, [4, 0x03, 0x04, 0x03, 0x03]),
        ext(57, [0x01, 0x02, 0x40, 0x64]),
      ]),
    );
    expect(ch).toMatchObject({ serverName: "example.com", alpn: ["h2", "http/1.1"], earlyData: true, supportedVersions: [0x0304, 0x0303] });
    expect(ch.sessionId).toEqual(new Uint8Array([1, 2, 3]));
    expect(ch.ticket).toEqual(new Uint8Array([9, 8, 7]));
    expect(ch.quicTransportParameters).toEqual(new Uint8Array([0x01, 0x02, 0x40, 0x64]));
  });

  test.each([
    ["cut short", clientHello([]).subarray(0, 40)],
    ["an extension longer than its block", clientHello([[0, 16, 0, 9, 1]])],
    ["an empty ALPN name", clientHello([ext(16, [0, 1, 0])])],
  ])("malformed: %s", (_n, bytes) => {
    expect(() => parseClientHello(bytes)).toThrow(MalformedHello);
  });
});

describe("ServerHello and EncryptedExtensions", () => {
  test("RFC 8448 §3's ServerHello", () => {
    const sh = parseServerHello(
      hex(
        "0303a6af06a4121860dc5e6e60249cd34c95930c8ac5cb1434dac155772ed3e2692800130100002e00330024001d0020c9828876112095fe66762bdbf7c672e156d6cc253b833df1dd69b1b04e751f0f002b00020304",
      ),
    );
    expect(sh).toMatchObject({ legacyVersion: 0x0303, version: 0x0304, cipherSuite: 0x1301, helloRetry: false, psk: false });
  });

  test("a HelloRetryRequest is known by its random", () => {
    const body = new Uint8Array([
      ...u16(0x0303),
      ...hex("cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c"),
      0,
      0x13,
      0x01,
      0,
      ...u16(6),
      ...ext(43, [0x03, 0x04]),
    ]);
    expect(parseServerHello(body)).toMatchObject({ helloRetry: true, version: 0x0304 });
  });

  test("EncryptedExtensions: ALPN, early_data, QUIC transport parameters", () => {
    const alpn = [2, ...ascii("h3")];
    const exts = [...ext(16, [...u16(alpn.length), ...alpn]), ...ext(42, []), ...ext(57, [0x0f, 0x00])];
    expect(parseEncryptedExtensions(new Uint8Array([...u16(exts.length), ...exts]))).toEqual({
      alpn: "h3",
      earlyData: true,
      quicTransportParameters: new Uint8Array([0x0f, 0x00]),
    });
    expect(() => parseEncryptedExtensions(new Uint8Array(0))).toThrow(MalformedHello);
  });

  test("version names", () => {
    expect([0x0300, 0x0301, 0x0302, 0x0303, 0x0304, 0x7f1c].map(versionName)).toEqual([
      "SSL 3.0",
      "TLS 1.0",
      "TLS 1.1",
      "TLS 1.2",
      "TLS 1.3",
      "0x7f1c",
    ]);
  });
});
