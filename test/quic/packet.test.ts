import {
  checkReservedBits,
  decodeDatagram,
  decodePacketNumber,
  encodePacketHeader,
  encodePacketNumber,
  finishPacketHeader,
  isReservedVersion,
  isSupportedVersion,
  longPacketType,
  longPacketTypeBits,
  type ProtectedLongHeader,
  type ProtectedShortHeader,
  packetNumberLength,
  QuicVersion,
  quicVersionName,
  readPacketHeader,
  retryPseudoPacket,
} from "httpwire/quic";
import { describe, expect, test } from "vitest";
import v from "../../fixtures/rfc9001-unprotected-packets.json";
import { hex, toHex } from "../helpers/hex.js";
import { cat, caught } from "./helpers.js";

function clientInitialPayload(): Uint8Array {
  const p = new Uint8Array(v.clientInitial.payloadLength);
  p.set(hex(v.clientInitial.crypto));
  return p;
}

const TAG = new Uint8Array(16).fill(0xaa);

function expectQuicError(f: () => unknown, codeName: string, reason: string): void {
  const e = caught(f);
  expect([e.codeName, e.reason, e.scope]).toEqual([codeName, reason, "connection"]);
}

function long(h: unknown): ProtectedLongHeader {
  const r = h as ProtectedLongHeader;
  expect(r.status).toBe("ok");
  return r;
}

describe("RFC 9001 Appendix A and RFC 9369 Appendix A, unprotected (fixtures/rfc9001-unprotected-packets.json)", () => {
  test.each([
    ["v1", v.clientInitial.headerV1, QuicVersion.V1],
    ["v2", v.clientInitial.headerV2, QuicVersion.V2],
  ] as const)("client Initial %s: header fields, packet number, payload", (_name, headerHex, version) => {
    const packet = cat(hex(headerHex), clientInitialPayload(), TAG);
    expect(packet.length).toBe(1200);
    const h = long(readPacketHeader(packet));
    expect(h.type).toBe("initial");
    expect(h.version).toBe(version);
    expect(toHex(h.destinationCid)).toBe(v.dcid);
    expect(h.sourceCid.length).toBe(0);
    expect(h.token.length).toBe(0);
    expect(h.payloadLength).toBe(1182);
    expect(h.lengthFieldLength).toBe(2);
    expect(h.packetNumberOffset).toBe(18);
    expect(h.sampleOffset).toBe(22);
    expect(h.length).toBe(1200);
    expect(h.packet.buffer).toBe(packet.buffer); // a view
    const f = finishPacketHeader(h, h.firstByte);
    expect(f.packetNumberLength).toBe(4);
    expect(f.truncatedPacketNumber).toBe(v.clientInitial.packetNumber);
    expect(f.headerLength).toBe(22);
    expect(f.reservedBits).toBe(0);
    expect(f.payload.length).toBe(1162 + 16);
    expect(toHex(f.payload.subarray(0, 4))).toBe("060040f1");
    // encode: the exact header bytes back
    expect(
      toHex(
        encodePacketHeader({
          type: "initial",
          version,
          destinationCid: h.destinationCid,
          sourceCid: h.sourceCid,
          payloadLength: 1182,
          packetNumberLength: 4,
          truncatedPacketNumber: 2,
        }),
      ),
    ).toBe(headerHex);
  });

  test.each([
    ["v1", v.serverInitial.headerV1, QuicVersion.V1],
    ["v2", v.serverInitial.headerV2, QuicVersion.V2],
  ] as const)("server Initial %s", (_name, headerHex, version) => {
    const payload = hex(v.serverInitial.payload);
    const packet = cat(hex(headerHex), payload, TAG);
    const h = long(readPacketHeader(packet));
    expect([h.type, h.version, toHex(h.sourceCid), h.destinationCid.length, h.payloadLength]).toEqual([
      "initial",
      version,
      v.serverInitial.scid,
      0,
      117,
    ]);
    const f = finishPacketHeader(h, h.firstByte);
    expect([f.packetNumberLength, f.truncatedPacketNumber, f.headerLength]).toEqual([2, 1, 20]);
    expect(toHex(f.payload.subarray(0, payload.length))).toBe(v.serverInitial.payload);
    expect(
      toHex(
        encodePacketHeader({
          type: "initial",
          version,
          destinationCid: new Uint8Array(0),
          sourceCid: h.sourceCid,
          payloadLength: 117,
          packetNumberLength: 2,
          truncatedPacketNumber: 1,
        }),
      ),
    ).toBe(headerHex);
  });

  test.each([
    ["v1", v.retry.v1, QuicVersion.V1, v.retry.tagV1],
    ["v2", v.retry.v2, QuicVersion.V2, v.retry.tagV2],
  ] as const)("Retry %s keeps its integrity tag bytes", (_name, packetHex, version, tag) => {
    const h = readPacketHeader(hex(packetHex));
    if (h.status !== "ok" || h.type !== "retry") throw new Error("not a retry");
    expect([h.version, h.destinationCid.length, toHex(h.sourceCid), toHex(h.token), toHex(h.integrityTag), h.length]).toEqual([
      version,
      0,
      v.retry.scid,
      v.retry.token,
      tag,
      36,
    ]);
    expect(
      toHex(
        encodePacketHeader({
          type: "retry",
          version,
          destinationCid: h.destinationCid,
          sourceCid: h.sourceCid,
          token: h.token,
          integrityTag: h.integrityTag,
          unusedBits: h.unusedBits,
        }),
      ),
    ).toBe(packetHex);
  });

  test("the Retry pseudo-packet (RFC 9001 §5.8): ODCID, then the Retry without its tag", () => {
    const h = readPacketHeader(hex(v.retry.v1));
    if (h.status !== "ok" || h.type !== "retry") throw new Error("not a retry");
    expect(toHex(retryPseudoPacket(hex(v.dcid), h))).toBe(`08${v.dcid}${v.retry.v1.slice(0, -32)}`);
    expect(() => retryPseudoPacket(new Uint8Array(21), h)).toThrow(RangeError);
  });

  test("ChaCha20 short header (A.5): 3-byte packet number, PING payload", () => {
    const packet = cat(hex(v.chacha20ShortHeader.header), hex(v.chacha20ShortHeader.payload), TAG);
    const h = readPacketHeader(packet, 0, { shortHeaderCidLength: 0 }) as ProtectedShortHeader;
    expect([h.type, h.destinationCid.length, h.packetNumberOffset, h.sampleOffset, h.spinBit, h.fixedBit]).toEqual([
      "1-rtt",
      0,
      1,
      5,
      false,
      true,
    ]);
    const f = finishPacketHeader(h, h.firstByte);
    expect(f.type).toBe("1-rtt");
    expect([f.packetNumberLength, f.headerLength, f.payload.length]).toEqual([3, 4, 17]);
    if (f.type !== "1-rtt") throw new Error("short");
    expect(f.keyPhase).toBe(0);
    // RFC 9001 A.5: the packet number 654360564 is sent as its low 3 bytes, decoded against 654360563.
    expect(decodePacketNumber(v.chacha20ShortHeader.packetNumber - 1, f.truncatedPacketNumber, 24)).toBe(
      v.chacha20ShortHeader.packetNumber,
    );
    expect(
      toHex(encodePacketHeader({ type: "1-rtt", destinationCid: new Uint8Array(0), packetNumberLength: 3, truncatedPacketNumber: 0xbff4 })),
    ).toBe(v.chacha20ShortHeader.header);
  });
});

describe("RFC 9000 Appendix A.2 and A.3: packet numbers", () => {
  test("A.2: encoding length from the largest acknowledged", () => {
    expect(packetNumberLength(0xac5c02, 0xabe8b3)).toBe(2);
    expect(packetNumberLength(0xace8fe, 0xabe8b3)).toBe(3);
    expect(toHex(encodePacketNumber(0xac5c02, 0xabe8b3))).toBe("5c02");
    expect(toHex(encodePacketNumber(0xace8fe, 0xabe8b3))).toBe("ace8fe");
  });
  test("A.3: decoding 0x9b32 (16 bits) after 0xa82f30ea gives 0xa82f9b32", () => {
    expect(decodePacketNumber(0xa82f30ea, 0x9b32, 16)).toBe(0xa82f9b32);
  });
  test("boundaries of the length choice", () => {
    expect(packetNumberLength(0)).toBe(1);
    expect(packetNumberLength(127)).toBe(1);
    expect(packetNumberLength(128)).toBe(2);
    expect(packetNumberLength(0x8000 + 5, 5)).toBe(2);
    expect(packetNumberLength(0x8001 + 5, 5)).toBe(3);
    expect(packetNumberLength(2 ** 31 + 10, 10)).toBe(4);
    expect(() => packetNumberLength(2 ** 31 + 11, 10)).toThrow(RangeError);
    expect(() => packetNumberLength(5, 5)).toThrow(RangeError);
    expect(() => packetNumberLength(-1)).toThrow(RangeError);
    expect(() => packetNumberLength(2n ** 62n)).toThrow(RangeError);
    expect(toHex(encodePacketNumber(0x12345678, undefined, 4))).toBe("12345678");
    expect(toHex(encodePacketNumber(2n ** 62n - 1n, 2n ** 62n - 2n))).toBe("ff");
  });
  test("decoding wraps forwards and backwards, first packet, and large numbers", () => {
    expect(decodePacketNumber(undefined, 0, 8)).toBe(0);
    expect(decodePacketNumber(undefined, 5, 8)).toBe(5);
    expect(decodePacketNumber(0xff, 0x00, 8)).toBe(0x100);
    expect(decodePacketNumber(0x100, 0xff, 8)).toBe(0xff);
    expect(decodePacketNumber(0x17f, 0x00, 8)).toBe(0x200);
    expect(decodePacketNumber(2n ** 60n, 1, 8)).toBe(2n ** 60n + 1n);
    expect(decodePacketNumber(2n ** 62n - 2n, 0xff, 8)).toBe(2n ** 62n - 1n);
    expect(() => decodePacketNumber(0, 256, 8)).toThrow(RangeError);
    expect(() => decodePacketNumber(0, 1, 12)).toThrow(RangeError);
  });
});

describe("versions", () => {
  test("long packet type bits differ between v1 and v2 (RFC 9369 §3.2)", () => {
    expect([0, 1, 2, 3].map((b) => longPacketType(QuicVersion.V1, b))).toEqual(["initial", "0-rtt", "handshake", "retry"]);
    expect([0, 1, 2, 3].map((b) => longPacketType(QuicVersion.V2, b))).toEqual(["retry", "initial", "0-rtt", "handshake"]);
    expect([0, 1, 2, 3].map((b) => longPacketType(QuicVersion.V2_DRAFT, b))).toEqual(["retry", "initial", "0-rtt", "handshake"]);
    expect(longPacketTypeBits(QuicVersion.V2, "handshake")).toBe(3);
    expect(longPacketTypeBits(QuicVersion.DRAFT_29, "handshake")).toBe(2);
    expect(() => longPacketType(0x1a2a3a4a, 0)).toThrow(RangeError);
  });
  test("names and classes", () => {
    expect(quicVersionName(1)).toBe("v1");
    expect(quicVersionName(0x6b3343cf)).toBe("v2");
    expect(quicVersionName(0xff00001d)).toBe("draft-29");
    expect(quicVersionName(0x1a2a3a4a)).toBe("reserved-0x1a2a3a4a");
    expect(quicVersionName(0x12345678)).toBe("unknown-0x12345678");
    expect(isReservedVersion(0xfafafafa)).toBe(true);
    expect(isSupportedVersion(0xff00001c)).toBe(false);
  });
});

const DCID = hex("0102030405060708");
const SCID = hex("a1a2a3a4");

describe("every header form, both ways", () => {
  test.each([
    [QuicVersion.V1, "0-rtt", 0xd0],
    [QuicVersion.V1, "handshake", 0xe0],
    [QuicVersion.V2, "0-rtt", 0xe0],
    [QuicVersion.V2, "handshake", 0xf0],
  ] as const)("version %d %s: type bits in the first byte", (version, type, first) => {
    const header = encodePacketHeader({
      type,
      version,
      destinationCid: DCID,
      sourceCid: SCID,
      payloadLength: 21,
      packetNumberLength: 1,
      truncatedPacketNumber: 7,
    });
    expect(header[0]).toBe(first);
    const packet = cat(header, new Uint8Array(20));
    const h = long(readPacketHeader(packet));
    expect([h.type, h.version, toHex(h.destinationCid), toHex(h.sourceCid), h.token.length, h.length]).toEqual([
      type,
      version,
      toHex(DCID),
      toHex(SCID),
      0,
      packet.length,
    ]);
    expect(finishPacketHeader(h, h.firstByte).truncatedPacketNumber).toBe(7);
  });

  test("an Initial with a token", () => {
    const token = hex("deadbeefcafe");
    const header = encodePacketHeader({
      type: "initial",
      version: QuicVersion.V1,
      destinationCid: DCID,
      sourceCid: SCID,
      token,
      payloadLength: 22,
      packetNumberLength: 2,
      truncatedPacketNumber: 0x1234,
      reservedBits: 1,
    });
    const h = long(readPacketHeader(cat(header, new Uint8Array(20))));
    expect(toHex(h.token)).toBe("deadbeefcafe");
    const f = finishPacketHeader(h, h.firstByte);
    expect([f.truncatedPacketNumber, f.reservedBits]).toEqual([0x1234, 1]);
    expectQuicError(() => checkReservedBits(f), "PROTOCOL_VIOLATION", "reserved_bits_set");
  });

  test("a non-minimal Length field is kept and re-encoded", () => {
    const header = encodePacketHeader({
      type: "handshake",
      version: QuicVersion.V1,
      destinationCid: DCID,
      sourceCid: SCID,
      payloadLength: 21,
      lengthFieldLength: 4,
      packetNumberLength: 1,
      truncatedPacketNumber: 0,
    });
    const h = long(readPacketHeader(cat(header, new Uint8Array(20))));
    expect([h.payloadLength, h.lengthFieldLength]).toEqual([21, 4]);
  });

  test("Version Negotiation", () => {
    const bytes = encodePacketHeader({
      type: "version-negotiation",
      destinationCid: DCID,
      sourceCid: SCID,
      supportedVersions: [QuicVersion.V1, QuicVersion.V2, 0x0a0a0a0a],
      unusedBits: 0x55,
    });
    expect(toHex(bytes.subarray(0, 5))).toBe("d500000000");
    const h = readPacketHeader(bytes);
    if (h.status !== "ok" || h.type !== "version-negotiation") throw new Error("vn");
    expect([h.supportedVersions, h.unusedBits, toHex(h.destinationCid), toHex(h.sourceCid)]).toEqual([
      [1, 0x6b3343cf, 0x0a0a0a0a],
      0x55,
      toHex(DCID),
      toHex(SCID),
    ]);
    expectQuicError(
      () => readPacketHeader(bytes.subarray(0, bytes.length - 1)),
      "PROTOCOL_VIOLATION",
      "version_negotiation_length_invalid",
    );
    expectQuicError(
      () => readPacketHeader(bytes.subarray(0, bytes.length - 12)),
      "PROTOCOL_VIOLATION",
      "version_negotiation_length_invalid",
    );
  });

  test("short header: spin bit, key phase, connection ID", () => {
    const header = encodePacketHeader({
      type: "1-rtt",
      destinationCid: DCID,
      spinBit: true,
      keyPhase: 1,
      packetNumberLength: 2,
      truncatedPacketNumber: 0xbeef,
    });
    expect(header[0]).toBe(0x40 | 0x20 | 0x04 | 0x01);
    const h = readPacketHeader(cat(header, new Uint8Array(20)), 0, { shortHeaderCidLength: 8 }) as ProtectedShortHeader;
    expect([h.spinBit, toHex(h.destinationCid), h.packetNumberOffset]).toEqual([true, toHex(DCID), 9]);
    const f = finishPacketHeader(h, h.firstByte);
    if (f.type !== "1-rtt") throw new Error("short");
    expect([f.keyPhase, f.truncatedPacketNumber, f.headerLength]).toEqual([1, 0xbeef, 11]);
    expect(() => readPacketHeader(header)).toThrow(RangeError); // no shortHeaderCidLength
  });

  test("finishPacketHeader takes the unmasked byte and packet number bytes separately", () => {
    const header = encodePacketHeader({ type: "1-rtt", destinationCid: DCID, packetNumberLength: 1, truncatedPacketNumber: 9 });
    const masked = cat(header, new Uint8Array(20));
    masked[0] = masked[0]! ^ 0x1e; // as header protection would
    masked[9] = 0x77;
    const h = readPacketHeader(masked, 0, { shortHeaderCidLength: 8 }) as ProtectedShortHeader;
    const f = finishPacketHeader(h, header[0]!, Uint8Array.of(9));
    expect([f.packetNumberLength, f.truncatedPacketNumber]).toEqual([1, 9]);
    // bits outside the protected ones must match what was received
    expect(() => finishPacketHeader(h, header[0]! ^ 0x20)).toThrow(RangeError);
  });

  test("an unknown version: the invariants only", () => {
    const bytes = cat(Uint8Array.of(0xc0, 0x1a, 0x2a, 0x3a, 0x4a, 25), new Uint8Array(25).fill(1), Uint8Array.of(0), hex("0102"));
    const h = readPacketHeader(bytes);
    if (h.status !== "ok" || h.type !== "unknown-version") throw new Error("unknown");
    expect([h.version, h.destinationCid.length, h.sourceCid.length, toHex(h.versionSpecificData)]).toEqual([0x1a2a3a4a, 25, 0, "0102"]);
  });
});

describe("header errors and truncation", () => {
  const initial = cat(
    encodePacketHeader({
      type: "initial",
      version: QuicVersion.V1,
      destinationCid: DCID,
      sourceCid: SCID,
      token: hex("0102"),
      payloadLength: 21,
      packetNumberLength: 1,
      truncatedPacketNumber: 0,
    }),
    new Uint8Array(20),
  );

  test("every truncation of an Initial is need-more, with a positive count", () => {
    for (let n = 0; n < initial.length; n++) {
      const r = readPacketHeader(initial.subarray(0, n));
      expect(r.status).toBe("need-more");
      if (r.status === "need-more") {
        expect(r.needed).toBeGreaterThanOrEqual(1);
        expect(n + r.needed).toBeLessThanOrEqual(initial.length);
      }
    }
  });

  test("fixed bit 0 is PROTOCOL_VIOLATION unless greasing is allowed (RFC 9287)", () => {
    const bad = initial.slice();
    bad[0] = bad[0]! & ~0x40;
    expectQuicError(() => readPacketHeader(bad), "PROTOCOL_VIOLATION", "fixed_bit_zero");
    expect(long(readPacketHeader(bad, 0, { requireFixedBit: false })).fixedBit).toBe(false);
    expectQuicError(
      () => readPacketHeader(Uint8Array.of(0x01, 0, 0), 0, { shortHeaderCidLength: 0 }),
      "PROTOCOL_VIOLATION",
      "fixed_bit_zero",
    );
  });

  test("connection IDs above 20 bytes in v1 are PROTOCOL_VIOLATION (RFC 9000 §17.2)", () => {
    const bad = cat(Uint8Array.of(0xc0, 0, 0, 0, 1, 21), new Uint8Array(40));
    expectQuicError(() => readPacketHeader(bad), "PROTOCOL_VIOLATION", "connection_id_too_long");
    const badScid = cat(Uint8Array.of(0xc0, 0, 0, 0, 1, 0, 21), new Uint8Array(40));
    expectQuicError(() => readPacketHeader(badScid), "PROTOCOL_VIOLATION", "connection_id_too_long");
  });

  test("a Retry without room for its tag", () => {
    const r = hex(v.retry.v1);
    expectQuicError(() => readPacketHeader(r.subarray(0, 7 + 8 + 15)), "PROTOCOL_VIOLATION", "retry_too_short");
  });

  test("a Length field shorter than the packet number", () => {
    const bytes = encodePacketHeader({
      type: "handshake",
      version: QuicVersion.V1,
      destinationCid: DCID,
      sourceCid: SCID,
      payloadLength: 2,
      packetNumberLength: 2,
      truncatedPacketNumber: 0,
    });
    bytes[bytes.length - 3] = 1; // Length 2 -> 1, the packet number claims 2 bytes
    const h = long(readPacketHeader(bytes));
    expectQuicError(() => finishPacketHeader(h, h.firstByte), "PROTOCOL_VIOLATION", "packet_number_beyond_packet");
  });

  test("caller mistakes", () => {
    expect(() => readPacketHeader(initial, initial.length + 1)).toThrow(RangeError);
    expect(() => readPacketHeader(initial, 0, { shortHeaderCidLength: 21 })).toThrow(RangeError);
    expect(() =>
      encodePacketHeader({
        type: "handshake",
        version: 1,
        destinationCid: new Uint8Array(21),
        sourceCid: SCID,
        payloadLength: 2,
        packetNumberLength: 1,
        truncatedPacketNumber: 0,
      }),
    ).toThrow(RangeError);
    expect(() =>
      encodePacketHeader({
        type: "handshake",
        version: 1,
        destinationCid: DCID,
        sourceCid: SCID,
        token: hex("01"),
        payloadLength: 2,
        packetNumberLength: 1,
        truncatedPacketNumber: 0,
      }),
    ).toThrow(RangeError);
    expect(() => encodePacketHeader({ type: "1-rtt", destinationCid: DCID, packetNumberLength: 1, truncatedPacketNumber: 256 })).toThrow(
      RangeError,
    );
    expect(() =>
      encodePacketHeader({
        type: "initial",
        version: 0x1a2a3a4a,
        destinationCid: DCID,
        sourceCid: SCID,
        payloadLength: 2,
        packetNumberLength: 1,
        truncatedPacketNumber: 0,
      }),
    ).toThrow(RangeError);
  });
});

describe("coalesced packets (RFC 9000 §12.2)", () => {
  function longPacket(type: "initial" | "handshake" | "0-rtt", version: number, body: number): Uint8Array {
    const header = encodePacketHeader({
      type,
      version,
      destinationCid: DCID,
      sourceCid: SCID,
      payloadLength: body + 1,
      packetNumberLength: 1,
      truncatedPacketNumber: 0,
    });
    return cat(header, new Uint8Array(body).fill(0x11));
  }
  const short = cat(
    encodePacketHeader({ type: "1-rtt", destinationCid: DCID, packetNumberLength: 1, truncatedPacketNumber: 3 }),
    new Uint8Array(30).fill(0x22),
  );

  test.each([QuicVersion.V1, QuicVersion.V2])("Initial + Handshake + 1-RTT in one datagram (version 0x%s)", (version) => {
    const a = longPacket("initial", version, 40);
    const b = longPacket("handshake", version, 25);
    const d = cat(a, b, short);
    const { packets, padding } = decodeDatagram(d, { shortHeaderCidLength: 8 });
    expect(packets.map((p) => [p.type, p.length])).toEqual([
      ["initial", a.length],
      ["handshake", b.length],
      ["1-rtt", short.length],
    ]);
    expect(padding.length).toBe(0);
    expect(packets[1]!.packet.byteOffset).toBe(a.length);
  });

  test("zero padding after the last long-header packet", () => {
    const a = longPacket("initial", QuicVersion.V1, 40);
    const { packets, padding } = decodeDatagram(cat(a, new Uint8Array(17)));
    expect(packets.length).toBe(1);
    expect(padding.length).toBe(17);
  });

  test("a truncated packet: PROTOCOL_VIOLATION, the packets before it kept in `out`", () => {
    const a = longPacket("initial", QuicVersion.V1, 40);
    const b = longPacket("handshake", QuicVersion.V1, 25);
    const out: ReturnType<typeof decodeDatagram>["packets"][number][] = [];
    expectQuicError(() => decodeDatagram(cat(a, b.subarray(0, 20)), undefined, out), "PROTOCOL_VIOLATION", "packet_truncated");
    expect(out.map((p) => p.type)).toEqual(["initial"]);
  });
});
