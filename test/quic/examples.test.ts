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
