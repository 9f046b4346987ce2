/**
 * Damaged QUIC input: truncated datagrams, flipped bits, an unknown
 * version, arbitrary bytes. Every case gives events (a clear message per
 * connection), never an exception other than the toolkit's.
 */

import fc from "fast-check";
import { type CaptureEvent, KeyLog, type UdpDatagram } from "httpwire/capture";
import { describe, expect, test } from "vitest";
import v1 from "../../../fixtures/rfc9001-appendix-a.json";
import { QuicCapture } from "../../../src/capture/quic/connection.js";
import { HttpwireError } from "../../../src/shared/errors.js";
import { hex } from "../builders.js";

const client = hex(v1.clientProtected);
const server = hex(v1.serverProtected);

function udp(payload: Uint8Array, fromClient = true, payloadLength = payload.length): UdpDatagram {
  return fromClient
    ? { src: "192.0.2.1", dst: "198.51.100.2", srcPort: 50000, dstPort: 443, payload, payloadLength }
    : { src: "198.51.100.2", dst: "192.0.2.1", srcPort: 443, dstPort: 50000, payload, payloadLength };
}

function run(datagrams: UdpDatagram[], keyLog?: KeyLog): CaptureEvent[] {
  const out: CaptureEvent[] = [];
  let n = 1;
  const q = new QuicCapture(
    (e) => out.push(e),
    () => n++,
    keyLog === undefined ? {} : { keyLog },
  );
  datagrams.forEach((d, i) => {
    q.datagram(d, 1000 + i);
  });
  q.end(2000);
  return out;
}

describe("the RFC 9001 Appendix A packets as a capture", () => {
  test("the client Initial opens a connection with its SNI, ALPN and transport parameters; the server Initial names the suite", () => {
    const es = run([udp(client), udp(server, false)]);
    const open = es.find((e) => e.type === "quic-open")!;
    expect(open.type === "quic-open" && open.info).toMatchObject({
      version: 1,
      versionName: "v1",
      originalDcid: "8394c8f03e515708",
      serverName: "example.com",
      alpnOffered: ["alpn"],
      clientRandom: "ebf8fa56f12939b9584a3896472ec40bb863cfd3e86804fe3a47f06a2b69484c",
    });
    expect(open.type === "quic-open" && open.info.transportParameters?.initialMaxStreamDataBidiLocal).toBe(0xffff);
    const packets = es.filter((e) => e.type === "quic-packet");
    expect(packets.map((e) => e.type === "quic-packet" && [e.direction, e.packetType, e.packetNumber])).toEqual([
      ["client-to-server", "initial", 2],
      ["server-to-client", "initial", 1],
    ]);
    expect(es.filter((e) => e.type === "error")).toEqual([]);
  });

  test("a truncated datagram: named for its connection, its packet not decoded", () => {
    const es = run([udp(client), udp(server.subarray(0, 100), false, server.length)]);
    const errors = es.flatMap((e) => (e.type === "error" ? [[e.connection, e.error.reason]] : []));
    expect(errors).toEqual([
      [1, "quic_datagram_truncated"],
      [1, "quic_packet_truncated"],
    ]);
    expect(es.filter((e) => e.type === "quic-packet").length).toBe(1);
  });

  test.each([0, 18, 100, 600, 1199])("a flipped bit at byte %i: authentication fails, said for that connection", (at) => {
    const bad = client.slice();
    bad[at]! ^= 0x04;
    const es = run([udp(bad)]);
    for (const e of es) expect(e.type === "error" ? e.error instanceof HttpwireError && e.connection === 1 : true).toBe(true);
    expect(es.some((e) => e.type === "quic-packet" && e.frames !== undefined)).toBe(false);
  });

  test("an Initial of an unknown version: the connection is named as undecryptable", () => {
    const bad = client.slice();
    bad.set([0x1a, 0x2a, 0x3a, 0x4a], 1);
    const es = run([udp(bad)]);
    const u = es.find((e) => e.type === "quic-undecryptable")!;
    expect(u.type === "quic-undecryptable" && [u.reason, u.info.version]).toEqual(["unsupported-version", 0x1a2a3a4a]);
  });

  test("a key log without this connection's client random: Handshake packets are 'no keys', with the client random to look for", () => {
    const es = run([udp(client), udp(server, false)], new KeyLog("CLIENT_HANDSHAKE_TRAFFIC_SECRET 00 00\n"));
    expect(es.filter((e) => e.type === "error")).toEqual([]);
  });

  test("small UDP datagrams and non-QUIC traffic are not taken for QUIC", () => {
    const dns = hex("abcd01000001000000000000076578616d706c6503636f6d0000010001");
    expect(run([udp(dns), udp(new Uint8Array(1300).fill(0xc3))])).toEqual([]);
  });
});

describe("arbitrary input (fast-check)", () => {
  test("arbitrary datagrams give events or toolkit errors only", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.uint8Array({ maxLength: 1500 }),
            fc.uint8Array({ minLength: 1200, maxLength: 1300 }).map((b) => {
              b[0] = 0xc0 | (b[0]! & 0x3f);
              b.set([0, 0, 0, 1, 8], 1);
              return b;
            }),
            fc.tuple(fc.nat(1199), fc.nat(7)).map(([at, bit]) => {
              const b = client.slice();
              b[at]! ^= 1 << bit;
              return b;
            }),
          ),
          { maxLength: 8 },
        ),
        (payloads) => {
          const es = run(payloads.map((p, i) => udp(p, i % 2 === 0)));
          for (const e of es) if (e.type === "error") expect(e.error).toBeInstanceOf(HttpwireError);
        },
      ),
      { numRuns: 200 },
    );
  });
});
