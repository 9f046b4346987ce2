/**
 * The whole pipeline on a synthetic exchange built in memory (no files, no
 * Node APIs, so this also runs in the browser suite): every container, byte
 * order and link type gives the same HTTP/2 events.
 */

import { CaptureDecoder, type CaptureEvent, decodeCapture, TcpFlag } from "httpwire/capture";
import { describe, expect, test } from "vitest";
import { concat, ethernet, hex, ipv4Tcp, type TestPacket, writePcap, writePcapng } from "./builders.js";

const { SYN, ACK, FIN, PSH } = TcpFlag;
const PREFACE = hex("505249202a20485454502f322e300d0a0d0a534d0d0a0d0a");
const frame = (type: number, flags: number, stream: number, payload: Uint8Array) =>
  concat([Uint8Array.of(payload.length >> 16, (payload.length >> 8) & 0xff, payload.length & 0xff, type, flags, 0, 0, 0, stream), payload]);
const clientBytes = concat([PREFACE, frame(4, 0, 0, new Uint8Array(0)), frame(1, 0x05, 1, hex("828684"))]); // :method GET, :scheme http, :path /
const serverBytes = concat([
  frame(4, 0, 0, hex("000100000400")),
  frame(4, 1, 0, new Uint8Array(0)),
  frame(1, 0x04, 1, hex("88")),
  frame(0, 0x01, 1, hex("6869")),
]);

/** IPv4 packets of the exchange: handshake, data split in two client segments, FINs. */
function exchange(): Uint8Array[] {
  const c = { src: "192.0.2.1", dst: "192.0.2.2", sport: 50123, dport: 8080 };
  const s = { src: "192.0.2.2", dst: "192.0.2.1", sport: 8080, dport: 50123 };
  return [
    ipv4Tcp({ ...c, seq: 1000, flags: SYN }),
    ipv4Tcp({ ...s, seq: 5000, flags: SYN | ACK }),
    ipv4Tcp({ ...s, seq: 5001, flags: ACK | PSH, payload: serverBytes }),
    ipv4Tcp({ ...c, seq: 1001, flags: ACK | PSH, payload: clientBytes.subarray(0, 30) }),
    ipv4Tcp({ ...c, seq: 1031, flags: ACK | PSH, payload: clientBytes.subarray(30) }),
    ipv4Tcp({ ...c, seq: 1001 + clientBytes.length, flags: FIN | ACK }),
    ipv4Tcp({ ...s, seq: 5001 + serverBytes.length, flags: FIN | ACK }),
  ];
}

// The server's bytes came first but are held until the client preface shows the
// connection is HTTP/2; then they are decoded, then the client's.
const expected = [
  "open 1 192.0.2.1:50123 192.0.2.2:8080",
  "frame 1 server-to-client 4 0 0 6",
  "frame 1 server-to-client 4 0 1 0",
  'frame 1 server-to-client 1 1 4 1 [":status: 200"]',
  "frame 1 server-to-client 0 1 1 2",
  "frame 1 client-to-server 4 0 0 0",
  'frame 1 client-to-server 1 1 5 3 [":method: GET",":scheme: http",":path: /"]',
  "close 1 client-to-server fin",
  "close 1 server-to-client fin",
];

function describeEvents(evs: CaptureEvent[]): string[] {
  return evs.map((e) => {
    switch (e.type) {
      case "open":
        return `open ${e.connection} ${e.client.address}:${e.client.port} ${e.server.address}:${e.server.port}`;
      case "frame":
        return `frame ${e.connection} ${e.direction} ${e.frameType} ${e.frame.streamId} ${e.frame.flags} ${e.length}${e.fields ? ` ${JSON.stringify(e.fields.map((f) => `${f.name}: ${f.value}`))}` : ""}`;
      case "close":
        return `close ${e.connection} ${e.direction} ${e.how}`;
      case "gap":
        return `gap ${e.connection} ${e.direction} ${e.missing}`;
      case "notice":
        return `notice ${e.reason}`;
      case "upgrade":
        return `upgrade ${e.connection}`;
      case "error":
        return `error ${e.error.reason}`;
      default:
        return e.type;
    }
  });
}

function decode(bytes: Uint8Array, chunk = bytes.length): string[] {
  const d = new CaptureDecoder();
  const out: CaptureEvent[] = [];
  for (let i = 0; i < bytes.length; i += chunk) out.push(...d.push(bytes.subarray(i, i + chunk)));
  out.push(...d.end());
  return describeEvents(out);
}

const pk = (data: Uint8Array, i: number): TestPacket => ({ data, seconds: 1_700_000_000, nanoseconds: i * 1000 });

describe("a synthetic HTTP/2 exchange", () => {
  test.each([
    [
      "pcap, Ethernet, little-endian µs",
      () =>
        writePcap(
          1,
          exchange().map((p, i) => pk(ethernet(p), i)),
        ),
    ],
    ["pcap, raw IP, big-endian ns", () => writePcap(101, exchange().map(pk), { le: false, nanos: true })],
    [
      "pcap, Linux cooked v1",
      () =>
        writePcap(
          113,
          exchange().map((p, i) => pk(concat([new Uint8Array(14), hex("0800"), p]), i)),
        ),
    ],
    [
      "pcapng, Linux cooked v2, big-endian, ns",
      () =>
        writePcapng(
          276,
          exchange().map((p, i) => pk(concat([hex("0800"), new Uint8Array(18), p]), i)),
          { le: false, tsresol: 9 },
        ),
    ],
    [
      "pcapng, BSD loopback, simple packet blocks",
      () =>
        writePcapng(
          0,
          exchange().map((p, i) => pk(concat([hex("02000000"), p]), i)),
          { simple: true },
        ),
    ],
  ])("%s", (_n, make) => {
    const file = make();
    expect(decode(file)).toEqual(expected);
    expect(decode(file, 7)).toEqual(expected);
  });

  test("decodeCapture reads a WHATWG ReadableStream (a fetch body, a Blob stream)", async () => {
    const file = writePcap(
      1,
      exchange().map((p, i) => pk(ethernet(p), i)),
    );
    const events: CaptureEvent[] = [];
    for await (const e of decodeCapture(new Blob([file as Uint8Array<ArrayBuffer>]).stream() as unknown as AsyncIterable<Uint8Array>))
      events.push(e);
    expect(describeEvents(events)).toEqual(expected);
  });

  test("segments out of order and repeated give the same events", () => {
    const p = exchange();
    const shuffled = [p[0]!, p[1]!, p[4]!, p[2]!, p[3]!, p[3]!, p[5]!, p[6]!];
    const evs = decode(writePcap(101, shuffled.map(pk)));
    expect(evs.filter((e) => e.startsWith("frame")).sort()).toEqual(expected.filter((e) => e.startsWith("frame")).sort());
  });

  test("without its second segment the client direction reports a gap", () => {
    const p = exchange();
    const evs = decode(writePcap(101, [p[0]!, p[1]!, p[2]!, p[3]!, p[5]!, p[6]!].map(pk)));
    expect(evs).toContain(`gap 1 client-to-server ${clientBytes.length - 30}`);
    expect(evs).toContain('frame 1 server-to-client 1 1 4 1 [":status: 200"]');
  });

  test("a hole inside a DATA payload is zero-filled and decoding goes on", () => {
    const c = { src: "192.0.2.1", dst: "192.0.2.2", sport: 50123, dport: 8080 };
    const s = { src: "192.0.2.2", dst: "192.0.2.1", sport: 8080, dport: 50123 };
    const data = frame(0, 0, 1, new Uint8Array(100).fill(0x61));
    const tail = concat([frame(0, 1, 1, hex("6869")), frame(6, 0, 0, new Uint8Array(8))]);
    const server = concat([frame(4, 0, 0, new Uint8Array(0)), data, tail]);
    const at = 9; // the DATA frame starts after the empty SETTINGS
    const packets = [
      ipv4Tcp({ ...c, seq: 1000, flags: SYN }),
      ipv4Tcp({ ...c, seq: 1001, flags: ACK | PSH, payload: clientBytes }),
      ipv4Tcp({ ...s, seq: 5001, flags: ACK | PSH, payload: server.subarray(0, at + 40) }),
      // server.subarray(at + 40, at + 80) is never captured
      ipv4Tcp({ ...s, seq: 5001 + at + 80, flags: ACK | PSH, payload: server.subarray(at + 80) }),
    ];
    const evs = decode(writePcap(101, packets.map(pk)));
    const s2c = evs.filter((e) => e.includes("server-to-client"));
    expect(s2c).toEqual([
      "frame 1 server-to-client 4 0 0 0",
      "gap 1 server-to-client 40",
      "frame 1 server-to-client 0 1 0 100",
      "frame 1 server-to-client 0 1 1 2",
      "frame 1 server-to-client 6 0 0 8",
      "close 1 server-to-client end",
    ]);
    // A hole that is not inside a DATA payload stops the direction.
    const synAck = ipv4Tcp({ ...s, seq: 5000, flags: SYN | ACK });
    const cut = decode(
      writePcap(
        101,
        [packets[0]!, synAck, packets[1]!, ipv4Tcp({ ...s, seq: 5001 + at + 200, flags: ACK | PSH, payload: hex("00") }), packets[2]!].map(
          pk,
        ),
      ),
    );
    expect(cut.filter((e) => e.includes("server-to-client"))).toEqual([
      "frame 1 server-to-client 4 0 0 0",
      "gap 1 server-to-client 160",
      "close 1 server-to-client end",
    ]);
  });

  test("a tshark -x dump of the packets (one offset block per packet, extra sources skipped)", () => {
    const dump = (b: Uint8Array) => {
      const lines: string[] = [];
      for (let i = 0; i < b.length; i += 16) {
        const row = Array.from(b.subarray(i, i + 16), (x) => x.toString(16).padStart(2, "0"));
        lines.push(`${i.toString(16).padStart(4, "0")}  ${row.join(" ").padEnd(47)}   ${"x".repeat(row.length)}`);
      }
      return lines.join("\n");
    };
    const frames = exchange().map((p) => ethernet(p));
    const plain = `${frames.map(dump).join("\n\n")}\n`;
    const withSources = `${frames
      .map(
        (f) =>
          `Frame (${f.length} bytes):\n${dump(f)}\nReassembled TCP (3 bytes):\n0000  de ad be                                          ...`,
      )
      .join("\n\n")}\n`;
    const noTimes = expected;
    expect(decode(new TextEncoder().encode(plain), 100)).toEqual(noTimes);
    expect(decode(new TextEncoder().encode(withSources), 33)).toEqual(noTimes);
  });

  test("a 1 MB DATA frame over 1000 segments, allowed by the client's SETTINGS_MAX_FRAME_SIZE at the server's ACK", () => {
    const c = { src: "192.0.2.1", dst: "192.0.2.2", sport: 50123, dport: 8080 };
    const s = { src: "192.0.2.2", dst: "192.0.2.1", sport: 8080, dport: 50123 };
    const client = concat([PREFACE, frame(4, 0, 0, hex("000500100000"))]); // SETTINGS_MAX_FRAME_SIZE = 2^20
    const big = new Uint8Array(1_000_000).fill(0x41);
    const server = concat([frame(4, 0, 0, new Uint8Array(0)), frame(4, 1, 0, new Uint8Array(0)), frame(0, 1, 1, big)]);
    const packets = [
      ipv4Tcp({ ...c, seq: 0, flags: SYN }),
      ipv4Tcp({ ...s, seq: 0, flags: SYN | ACK }),
      ipv4Tcp({ ...c, seq: 1, flags: ACK, payload: client }),
    ];
    for (let o = 0; o < server.length; o += 1000)
      packets.push(ipv4Tcp({ ...s, seq: 1 + o, flags: ACK, payload: server.subarray(o, o + 1000) }));
    const evs = decode(writePcap(101, packets.map(pk)), 65536);
    expect(evs.filter((e) => e.includes("server-to-client"))).toEqual([
      "frame 1 server-to-client 4 0 0 0",
      "frame 1 server-to-client 4 0 1 0",
      "frame 1 server-to-client 0 1 1 1000000",
      "close 1 server-to-client end",
    ]);
    // Without the client's SETTINGS the same frame is too large (RFC 9113 §4.2: FRAME_SIZE_ERROR).
    const plainClient = ipv4Tcp({
      ...c,
      seq: 1,
      flags: ACK,
      payload: concat([PREFACE, frame(4, 0, 0, new Uint8Array(0))]),
    });
    const without = decode(writePcap(101, [packets[0]!, packets[1]!, plainClient, ...packets.slice(3)].map(pk)), 65536);
    expect(without).toContain("error frame_too_large");
  });

  test("the client bytes as a raw stream and as a hex dump", () => {
    const raw = expected.filter((e) => e.includes("client-to-server") && e.startsWith("frame"));
    expect(decode(clientBytes, 5)).toEqual(raw);
    const hexText = Array.from(clientBytes, (b) => b.toString(16).padStart(2, "0")).join(" ");
    expect(decode(new TextEncoder().encode(hexText), 11)).toEqual(raw);
  });

  test("role rules: PUSH_PROMISE from the client is a connection error (RFC 9113 §8.4)", () => {
    const push = concat([PREFACE, frame(4, 0, 0, new Uint8Array(0)), frame(5, 4, 1, hex("00000002828684"))]);
    expect(decode(push)).toEqual(["frame 1 client-to-server 4 0 0 0", "error push_promise_from_client"]);
  });

  test("a malformed frame stops its connection with the RFC code", () => {
    const bad = concat([PREFACE, frame(4, 0, 0, hex("0001"))]); // SETTINGS length 2
    expect(decode(bad)).toEqual(["error settings_length_not_multiple_of_6"]);
  });
});
