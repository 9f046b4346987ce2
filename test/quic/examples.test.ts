/** The examples in the JSDoc of httpwire/quic and in docs/quic.md, run as tests. */

import {
  encodeVarint,
  makeStreamId,
  maxStreamIdForCount,
  readVarint,
  readVarintBig,
  StreamIdType,
  streamIdType,
  streamIndex,
  transportErrorName,
  varintLength,
  varintLengthOfFirstByte,
  writeVarint,
} from "httpwire/quic";
import { expect, test } from "vitest";

test("documented examples", () => {
  expect(readVarint(Uint8Array.of(0x7b, 0xbd))).toEqual({ status: "ok", value: 15293, length: 2 });
  expect(readVarint(Uint8Array.of(0x7b))).toEqual({ status: "need-more", needed: 1 });
  expect(readVarintBig(Uint8Array.of(0x25))).toEqual({ status: "ok", value: 37n, length: 1 });
  expect(Array.from(encodeVarint(15293))).toEqual([0x7b, 0xbd]);
  expect(Array.from(encodeVarint(37, 2))).toEqual([0x40, 0x25]);
  expect(varintLength(15293)).toBe(2);
  expect(varintLength(2n ** 62n - 1n)).toBe(8);
  expect(varintLengthOfFirstByte(0x7b)).toBe(2);
  const buf = new Uint8Array(8);
  expect(writeVarint(494878333, buf, 2)).toBe(6);
  expect(Array.from(buf.subarray(2, 6))).toEqual([0x9d, 0x7f, 0x3e, 0x7d]);
  expect(streamIdType(6) === StreamIdType.CLIENT_UNI).toBe(true);
  expect(streamIndex(8)).toBe(2);
  expect(makeStreamId(StreamIdType.SERVER_UNI, 1)).toBe(7);
  expect(maxStreamIdForCount(StreamIdType.CLIENT_BIDI, 100)).toBe(396);
  expect(transportErrorName(0x07)).toBe("FRAME_ENCODING_ERROR");
  expect(readVarint(Uint8Array.of(0xc0, 0x20, 0, 0, 0, 0, 0, 0x01))).toEqual({
    status: "ok",
    value: 9007199254740993n,
    length: 8,
  });
});

test("documented examples: packets, packet numbers, frames, transport parameters (docs/quic.md)", async () => {
  const q = await import("httpwire/quic");
  const packet = new Uint8Array(20 + 99 + 16);
  packet.set([0xc1, 0, 0, 0, 1, 0x00, 0x08, 0xf0, 0x67, 0xa5, 0x50, 0x2a, 0x42, 0x62, 0xb5, 0x00, 0x40, 0x75, 0x00, 0x01]);
  const h = q.readPacketHeader(packet);
  expect(h).toMatchObject({ status: "ok", type: "initial", version: 1, payloadLength: 117, packetNumberOffset: 18, sampleOffset: 22, length: 135 });
  if (h.status !== "ok" || h.type !== "initial") throw new Error("initial");
  const f = q.finishPacketHeader(h, h.firstByte);
  expect([f.packetNumberLength, f.truncatedPacketNumber, f.headerLength]).toEqual([2, 1, 20]);
  expect(q.readPacketHeader(packet.subarray(0, 22))).toEqual({ status: "need-more", needed: 113 });

  expect(q.packetNumberLength(0xac5c02, 0xabe8b3)).toBe(2);
  expect(Array.from(q.encodePacketNumber(0xac5c02, 0xabe8b3))).toEqual([0x5c, 0x02]);
  expect(q.decodePacketNumber(0xa82f30ea, 0x9b32, 16)).toBe(0xa82f9b32);
  expect(q.longPacketTypeBits(q.QuicVersion.V1, "initial")).toBe(0);
  expect(q.longPacketTypeBits(q.QuicVersion.V2, "initial")).toBe(1);
  expect(q.quicVersionName(0xff00001d)).toBe("draft-29");
  expect(q.isSupportedVersion(0x6b3343cf)).toBe(true);
  expect(q.isSupportedVersion(0x1a2a3a4a)).toBe(false);

  expect(q.decodeFrames(Uint8Array.of(0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00))).toEqual([
    { type: "ack", largestAcknowledged: 0, ackDelay: 0, firstAckRange: 0, ackRanges: [] },
    { type: "ping" },
    { type: "padding", length: 2 },
  ]);
  expect(Array.from(q.encodeFrames([{ type: "stream", streamId: 0, offset: 0, data: Uint8Array.of(0x68, 0x69), fin: true }]))).toEqual([
    0x0b, 0x00, 0x02, 0x68, 0x69,
  ]);
  expect(
    q.ackedRanges({ type: "ack", largestAcknowledged: 10, ackDelay: 0, firstAckRange: 2, ackRanges: [{ gap: 1, length: 0 }] }),
  ).toEqual([
    { smallest: 8, largest: 10 },
    { smallest: 5, largest: 5 },
  ]);
  expect(q.isFramePermitted(q.QuicFrameType.STREAM, "initial")).toBe(false);
  expect(q.isFramePermitted(q.QuicFrameType.ACK, "handshake")).toBe(true);
  expect(q.quicFrameTypeName(0x0b)).toBe("STREAM");
  expect(q.quicFrameTypeName(0x1d)).toBe("CONNECTION_CLOSE_APPLICATION");
  expect(q.quicFrameTypeOf({ type: "stream", streamId: 4, offset: 0, data: new Uint8Array(0), fin: true, hasOffset: false, hasLength: true })).toBe(0x0b);

  expect(q.decodeTransportParameters(Uint8Array.of(0x01, 0x02, 0x67, 0x10, 0x0c, 0x00))).toEqual({
    maxIdleTimeout: 10000,
    disableActiveMigration: true,
    order: [1, 12],
  });
  expect(Array.from(q.encodeTransportParameters({ maxIdleTimeout: 10000, disableActiveMigration: true }))).toEqual([
    0x01, 0x02, 0x67, 0x10, 0x0c, 0x00,
  ]);
});
