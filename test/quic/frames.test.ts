import {
  ackedRanges,
  checkFramePermitted,
  decodeFrames,
  encodeFrames,
  type FramePacketType,
  isFramePermitted,
  type QuicFrame,
  QuicFrameType,
  quicFrameTypeName,
  quicFrameTypeOf,
} from "httpwire/quic";
import { describe, expect, test } from "vitest";
import errors from "../../fixtures/rfc9000-frame-errors.json";
import v from "../../fixtures/rfc9001-unprotected-packets.json";
import { hex, toHex } from "../helpers/hex.js";
import { caught } from "./helpers.js";

const b = hex;

/** Every frame type, one row each (STREAM in all eight variants): the exact bytes and the decoded frame. */
const VECTORS: [string, string, QuicFrame][] = [
  ["PADDING x3", "000000", { type: "padding", length: 3 }],
  ["PING", "01", { type: "ping" }],
  [
    "ACK with two ranges",
    "02 4064 19 02 03 01 00 02 05",
    {
      type: "ack",
      largestAcknowledged: 100,
      ackDelay: 25,
      firstAckRange: 3,
      ackRanges: [
        { gap: 1, length: 0 },
        { gap: 2, length: 5 },
      ],
    },
  ],
  [
    "ACK_ECN",
    "03 05 00 00 05 01 02 03",
    { type: "ack", largestAcknowledged: 5, ackDelay: 0, firstAckRange: 5, ackRanges: [], ecnCounts: { ect0: 1, ect1: 2, ecnCe: 3 } },
  ],
  ["RESET_STREAM", "04 04 410c 4400", { type: "reset-stream", streamId: 4, errorCode: 0x10c, finalSize: 0x400 }],
  ["STOP_SENDING", "05 08 410c", { type: "stop-sending", streamId: 8, errorCode: 0x10c }],
  ["CRYPTO", "06 00 03 010203", { type: "crypto", offset: 0, data: b("010203") }],
  ["NEW_TOKEN", "07 02 abcd", { type: "new-token", token: b("abcd") }],
  [
    "STREAM 0x08 (no OFF, LEN, FIN)",
    "08 04 6869",
    { type: "stream", streamId: 4, offset: 0, data: b("6869"), fin: false, hasOffset: false, hasLength: false },
  ],
  [
    "STREAM 0x09 (FIN)",
    "09 04 6869",
    { type: "stream", streamId: 4, offset: 0, data: b("6869"), fin: true, hasOffset: false, hasLength: false },
  ],
  [
    "STREAM 0x0a (LEN)",
    "0a 04 02 6869",
    { type: "stream", streamId: 4, offset: 0, data: b("6869"), fin: false, hasOffset: false, hasLength: true },
  ],
  [
    "STREAM 0x0b (LEN, FIN)",
    "0b 04 00",
    { type: "stream", streamId: 4, offset: 0, data: b(""), fin: true, hasOffset: false, hasLength: true },
  ],
  [
    "STREAM 0x0c (OFF)",
    "0c 04 4400 6869",
    { type: "stream", streamId: 4, offset: 0x400, data: b("6869"), fin: false, hasOffset: true, hasLength: false },
  ],
  [
    "STREAM 0x0d (OFF, FIN)",
    "0d 04 00 6869",
    { type: "stream", streamId: 4, offset: 0, data: b("6869"), fin: true, hasOffset: true, hasLength: false },
  ],
  [
    "STREAM 0x0e (OFF, LEN)",
    "0e 04 10 02 6869",
    { type: "stream", streamId: 4, offset: 16, data: b("6869"), fin: false, hasOffset: true, hasLength: true },
  ],
  [
    "STREAM 0x0f (OFF, LEN, FIN)",
    "0f 04 10 00",
    { type: "stream", streamId: 4, offset: 16, data: b(""), fin: true, hasOffset: true, hasLength: true },
  ],
  ["MAX_DATA", "10 80100000", { type: "max-data", maximumData: 0x100000 }],
  ["MAX_STREAM_DATA", "11 04 4400", { type: "max-stream-data", streamId: 4, maximumStreamData: 0x400 }],
  ["MAX_STREAMS bidi", "12 4064", { type: "max-streams", direction: "bidi", maximumStreams: 100 }],
  ["MAX_STREAMS uni at 2^60", "13 d000000000000000", { type: "max-streams", direction: "uni", maximumStreams: 2n ** 60n }],
  ["DATA_BLOCKED", "14 4400", { type: "data-blocked", maximumData: 0x400 }],
  ["STREAM_DATA_BLOCKED", "15 00 4400", { type: "stream-data-blocked", streamId: 0, maximumStreamData: 0x400 }],
  ["STREAMS_BLOCKED bidi", "16 03", { type: "streams-blocked", direction: "bidi", maximumStreams: 3 }],
  ["STREAMS_BLOCKED uni", "17 03", { type: "streams-blocked", direction: "uni", maximumStreams: 3 }],
  [
    "NEW_CONNECTION_ID",
    "18 02 01 04 a1a2a3a4 000102030405060708090a0b0c0d0e0f",
    {
      type: "new-connection-id",
      sequenceNumber: 2,
      retirePriorTo: 1,
      connectionId: b("a1a2a3a4"),
      statelessResetToken: b("000102030405060708090a0b0c0d0e0f"),
    },
  ],
  ["RETIRE_CONNECTION_ID", "19 01", { type: "retire-connection-id", sequenceNumber: 1 }],
  ["PATH_CHALLENGE", "1a 0102030405060708", { type: "path-challenge", data: b("0102030405060708") }],
  ["PATH_RESPONSE", "1b 0102030405060708", { type: "path-response", data: b("0102030405060708") }],
  [
    "CONNECTION_CLOSE (transport)",
    "1c 07 08 03 626164",
    { type: "connection-close", errorSpace: "transport", errorCode: 7, frameType: 8, reasonPhrase: b("626164") },
  ],
  [
    "CONNECTION_CLOSE (application)",
    "1d 410c 00",
    { type: "connection-close", errorSpace: "application", errorCode: 0x10c, reasonPhrase: b("") },
  ],
  ["HANDSHAKE_DONE", "1e", { type: "handshake-done" }],
  ["DATAGRAM 0x30 (no Length)", "30 6869", { type: "datagram", data: b("6869"), hasLength: false }],
  ["DATAGRAM 0x31 (Length)", "31 02 6869", { type: "datagram", data: b("6869"), hasLength: true }],
];

describe("exact bytes of every frame type, both ways", () => {
  test.each(VECTORS)("%s", (_name, h, frame) => {
    const bytes = hex(h);
    const decoded = decodeFrames(bytes);
    expect(decoded).toEqual([frame]);
    expect(toHex(encodeFrames([frame]))).toBe(toHex(bytes));
    expect(quicFrameTypeOf(frame)).toBe(bytes[0]);
  });

  test("every frame type of §19 and RFC 9221 has a vector", () => {
    const types = new Set(VECTORS.map(([, h]) => hex(h)[0]));
    for (const t of Object.values(QuicFrameType)) expect(types.has(t)).toBe(true);
    for (let t = 0x08; t <= 0x0f; t++) expect(types.has(t)).toBe(true);
  });

  test("data fields are views of the payload (zero copy)", () => {
    const bytes = hex("06 00 03 010203 1c 07 08 03 626164 0a 04 02 6869 07 02 abcd");
    for (const f of decodeFrames(bytes)) {
      const view =
        f.type === "crypto" || f.type === "stream"
          ? f.data
          : f.type === "connection-close"
            ? f.reasonPhrase
            : f.type === "new-token"
              ? f.token
              : undefined;
      expect(view?.buffer).toBe(bytes.buffer);
    }
  });

  test("a sequence of frames, padding runs collapsed", () => {
    const bytes = hex("01 0000 1e 00 0b0400");
    expect(decodeFrames(bytes).map((f) => f.type)).toEqual(["ping", "padding", "handshake-done", "padding", "stream"]);
    expect(toHex(encodeFrames(decodeFrames(bytes)))).toBe(toHex(bytes));
  });

  test("names", () => {
    expect(quicFrameTypeName(0x0b)).toBe("STREAM");
    expect(quicFrameTypeName(0x03)).toBe("ACK_ECN");
    expect(quicFrameTypeName(0x31)).toBe("DATAGRAM_WITH_LENGTH");
    expect(quicFrameTypeName(0x20)).toBe("UNKNOWN_0x20");
  });
});

describe("RFC 9001 Appendix A unprotected payloads", () => {
  test("client Initial: one CRYPTO frame with the ClientHello, then PADDING to 1162 bytes", () => {
    const payload = new Uint8Array(v.clientInitial.payloadLength);
    const crypto = hex(v.clientInitial.crypto);
    payload.set(crypto);
    const frames = decodeFrames(payload, { packetType: "initial", sender: "client" });
    expect(frames.map((f) => f.type)).toEqual(["crypto", "padding"]);
    const c = frames[0]!;
    if (c.type !== "crypto") throw new Error("crypto");
    expect([c.offset, c.data.length, c.data[0]]).toEqual([0, 241, 0x01]); // a ClientHello, 0xf1 bytes
    expect(frames[1]).toEqual({ type: "padding", length: 1162 - crypto.length });
    expect(toHex(encodeFrames(frames))).toBe(toHex(payload));
  });

  test("server Initial: ACK of packet 0, then CRYPTO with the ServerHello", () => {
    const payload = hex(v.serverInitial.payload);
    const frames = decodeFrames(payload, { packetType: "initial", sender: "server" });
    expect(frames[0]).toEqual({ type: "ack", largestAcknowledged: 0, ackDelay: 0, firstAckRange: 0, ackRanges: [] });
    const c = frames[1]!;
    if (c.type !== "crypto") throw new Error("crypto");
    expect([c.offset, c.data.length, c.data[0]]).toEqual([0, 90, 0x02]); // a ServerHello
    expect(frames.length).toBe(2);
    expect(toHex(encodeFrames(frames))).toBe(v.serverInitial.payload);
  });

  test("ChaCha20 short header: a PING", () => {
    expect(decodeFrames(hex(v.chacha20ShortHeader.payload), { packetType: "1-rtt" })).toEqual([{ type: "ping" }]);
  });
});

interface Row {
  section: string;
  name: string;
  hex: string;
  code: number;
  codeName: string;
  scope: "connection";
  reason: string;
  offset: number;
  packetType?: FramePacketType;
  sender?: "client" | "server";
}

describe("every MUST on a single frame (fixtures/rfc9000-frame-errors.json)", () => {
  const rows = (errors as { cases: Row[] }).cases;
  test.each(rows.map((r) => [`${r.section} ${r.name}`, r] as const))("%s", (_name, r) => {
    const out: QuicFrame[] = [];
    const e = caught(() => decodeFrames(hex(r.hex), { packetType: r.packetType, sender: r.sender }, out));
    expect({ code: e.code, codeName: e.codeName, scope: e.scope, reason: e.reason, offset: e.offset }).toEqual({
      code: r.code,
      codeName: r.codeName,
      scope: r.scope,
      reason: r.reason,
      offset: r.offset,
    });
  });

  test("the same payloads without packet type or sender decode where only those made them wrong", () => {
    const rows2 = (errors as { cases: Row[] }).cases.filter((r) => r.packetType !== undefined || r.sender !== undefined);
    for (const r of rows2) expect(decodeFrames(hex(r.hex)).length).toBeGreaterThan(0);
  });

  test("the frames before the error are kept in `out`", () => {
    const out: QuicFrame[] = [];
    caught(() => decodeFrames(hex("01 1e 1f"), undefined, out));
    expect(out).toEqual([{ type: "ping" }, { type: "handshake-done" }]);
  });
});

describe("§12.4 Table 3 as a function", () => {
  const table: [number, string][] = [
    [QuicFrameType.PADDING, "IH01"],
    [QuicFrameType.PING, "IH01"],
    [QuicFrameType.ACK, "IH_1"],
    [QuicFrameType.ACK_ECN, "IH_1"],
    [QuicFrameType.RESET_STREAM, "__01"],
    [QuicFrameType.STOP_SENDING, "__01"],
    [QuicFrameType.CRYPTO, "IH_1"],
    [QuicFrameType.NEW_TOKEN, "___1"],
    ...[8, 9, 10, 11, 12, 13, 14, 15].map((t): [number, string] => [t, "__01"]),
    [QuicFrameType.MAX_DATA, "__01"],
    [QuicFrameType.MAX_STREAM_DATA, "__01"],
    [QuicFrameType.MAX_STREAMS_BIDI, "__01"],
    [QuicFrameType.MAX_STREAMS_UNI, "__01"],
    [QuicFrameType.DATA_BLOCKED, "__01"],
    [QuicFrameType.STREAM_DATA_BLOCKED, "__01"],
    [QuicFrameType.STREAMS_BLOCKED_BIDI, "__01"],
    [QuicFrameType.STREAMS_BLOCKED_UNI, "__01"],
    [QuicFrameType.NEW_CONNECTION_ID, "__01"],
    // Table 3 says __01; §17.2.3 forbids it in 0-RTT.
    [QuicFrameType.RETIRE_CONNECTION_ID, "___1"],
    [QuicFrameType.PATH_CHALLENGE, "__01"],
    [QuicFrameType.PATH_RESPONSE, "___1"],
    [QuicFrameType.CONNECTION_CLOSE, "IH01"],
    [QuicFrameType.CONNECTION_CLOSE_APPLICATION, "__01"],
    [QuicFrameType.HANDSHAKE_DONE, "___1"],
    [QuicFrameType.DATAGRAM, "__01"],
    [QuicFrameType.DATAGRAM_WITH_LENGTH, "__01"],
  ];
  test.each(table)("type 0x%s: %s", (type, spec) => {
    const packetTypes: FramePacketType[] = ["initial", "handshake", "0-rtt", "1-rtt"];
    const got = packetTypes.map((p, i) => (isFramePermitted(type, p) ? "IH01"[i] : "_")).join("");
    expect(got).toBe(spec);
    for (const p of packetTypes) {
      if (isFramePermitted(type, p)) checkFramePermitted(type, p);
      else expect(caught(() => checkFramePermitted(type, p, 3)).reason).toBe("frame_not_permitted_in_packet_type");
    }
  });
  test("unknown types are permitted nowhere; a bad packet type is a caller mistake", () => {
    expect(isFramePermitted(0x20, "1-rtt")).toBe(false);
    expect(isFramePermitted(2n ** 40n, "1-rtt")).toBe(false);
    expect(() => isFramePermitted(1, "retry" as FramePacketType)).toThrow(RangeError);
  });
});

describe("ACK ranges", () => {
  test("ackedRanges turns gaps and lengths into packet number ranges", () => {
    const [f] = decodeFrames(hex("02 4064 19 02 03 01 00 02 05"));
    expect(ackedRanges(f as Extract<QuicFrame, { type: "ack" }>)).toEqual([
      { smallest: 97, largest: 100 },
      { smallest: 94, largest: 94 },
      { smallest: 85, largest: 90 },
    ]);
  });
  test("a range reaching exactly packet 0 is fine; one below is FRAME_ENCODING_ERROR", () => {
    expect(decodeFrames(hex("02 0a 00 01 05 00 03")).length).toBe(1); // 10..5, 3..0
    expect(caught(() => decodeFrames(hex("02 0a 00 01 05 00 04"))).reason).toBe("ack_range_underflow");
  });
  test("large packet numbers stay exact", () => {
    const bytes = hex("02 ffffffffffffffff 00 01 00 00 00");
    const [f] = decodeFrames(bytes);
    expect(ackedRanges(f as Extract<QuicFrame, { type: "ack" }>)).toEqual([
      { smallest: 2n ** 62n - 1n, largest: 2n ** 62n - 1n },
      { smallest: 2n ** 62n - 3n, largest: 2n ** 62n - 3n },
    ]);
    expect(toHex(encodeFrames([f!]))).toBe(toHex(bytes));
  });
});

describe("encoder refuses frames that cannot be sent", () => {
  const bad: [string, QuicFrame][] = [
    ["ACK below 0", { type: "ack", largestAcknowledged: 1, ackDelay: 0, firstAckRange: 2, ackRanges: [] }],
    ["MAX_STREAMS above 2^60", { type: "max-streams", direction: "bidi", maximumStreams: 2n ** 60n + 1n }],
    ["STREAMS_BLOCKED above 2^60", { type: "streams-blocked", direction: "uni", maximumStreams: 2n ** 60n + 1n }],
    [
      "NEW_CONNECTION_ID empty",
      { type: "new-connection-id", sequenceNumber: 1, retirePriorTo: 0, connectionId: b(""), statelessResetToken: new Uint8Array(16) },
    ],
    [
      "NEW_CONNECTION_ID retire above sequence",
      { type: "new-connection-id", sequenceNumber: 1, retirePriorTo: 2, connectionId: b("01"), statelessResetToken: new Uint8Array(16) },
    ],
    [
      "NEW_CONNECTION_ID short token",
      { type: "new-connection-id", sequenceNumber: 1, retirePriorTo: 0, connectionId: b("01"), statelessResetToken: new Uint8Array(15) },
    ],
    ["PATH_CHALLENGE 7 bytes", { type: "path-challenge", data: new Uint8Array(7) }],
    ["NEW_TOKEN empty", { type: "new-token", token: b("") }],
    [
      "STREAM beyond 2^62 - 1",
      { type: "stream", streamId: 0, offset: 2n ** 62n - 1n, data: b("01"), fin: false, hasOffset: true, hasLength: true },
    ],
    ["CRYPTO beyond 2^62 - 1", { type: "crypto", offset: 2n ** 62n - 1n, data: b("01") }],
    ["varint above 2^62 - 1", { type: "max-data", maximumData: 2n ** 62n }],
    ["PADDING 0", { type: "padding", length: 0 }],
  ];
  test.each(bad)("%s", (_name, f) => {
    expect(() => encodeFrames([f])).toThrow(RangeError);
  });
  test("STREAM and DATAGRAM without Length only last", () => {
    const s: QuicFrame = { type: "stream", streamId: 0, offset: 0, data: b("01"), fin: false, hasOffset: false, hasLength: false };
    expect(() => encodeFrames([s, { type: "ping" }])).toThrow(RangeError);
    expect(() => encodeFrames([{ type: "datagram", data: b("01"), hasLength: false }, { type: "ping" }])).toThrow(RangeError);
    expect(toHex(encodeFrames([{ type: "ping" }, s]))).toBe("01080001");
  });
  test("defaults: OFF only for a non-zero offset, LEN and DATAGRAM length on", () => {
    expect(toHex(encodeFrames([{ type: "stream", streamId: 0, offset: 0, data: b("68") }]))).toBe("0a000168");
    expect(toHex(encodeFrames([{ type: "stream", streamId: 0, offset: 5, data: b("68"), fin: true }]))).toBe("0f00050168");
    expect(toHex(encodeFrames([{ type: "datagram", data: b("68") }]))).toBe("310168");
  });
});
