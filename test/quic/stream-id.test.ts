import { fc, test as ptest } from "@fast-check/vitest";
import {
  checkMaxStreams,
  checkStreamLimit,
  compareStreamIds,
  direction,
  initiator,
  isBidirectional,
  isClientInitiated,
  isValidStreamId,
  MAX_STREAM_ID,
  MAX_STREAMS_LIMIT,
  makeStreamId,
  maxStreamIdForCount,
  nextStreamId,
  QuicError,
  StreamIdType,
  streamCountToOpen,
  streamIdType,
  streamIndex,
  TransportErrorCode,
} from "httpwire/quic";
import { describe, expect, test } from "vitest";
import { caught } from "./helpers.js";

describe("RFC 9000 §2.1 Table 1: stream ID types", () => {
  test.each([
    [0, StreamIdType.CLIENT_BIDI, "client", "bidi"],
    [1, StreamIdType.SERVER_BIDI, "server", "bidi"],
    [2, StreamIdType.CLIENT_UNI, "client", "uni"],
    [3, StreamIdType.SERVER_UNI, "server", "uni"],
    [4, StreamIdType.CLIENT_BIDI, "client", "bidi"],
    [7, StreamIdType.SERVER_UNI, "server", "uni"],
    [2n ** 62n - 1n, StreamIdType.SERVER_UNI, "server", "uni"],
    [2n ** 62n - 4n, StreamIdType.CLIENT_BIDI, "client", "bidi"],
  ] as const)("%s is type %i, %s, %s", (id, type, who, dir) => {
    expect(streamIdType(id)).toBe(type);
    expect(initiator(id)).toBe(who);
    expect(direction(id)).toBe(dir);
    expect(isClientInitiated(id)).toBe(who === "client");
    expect(isBidirectional(id)).toBe(dir === "bidi");
  });
});

describe("index, makeStreamId, nextStreamId", () => {
  test("small IDs", () => {
    expect(streamIndex(8)).toBe(2);
    expect(streamIndex(11)).toBe(2);
    expect(makeStreamId(StreamIdType.SERVER_UNI, 1)).toBe(7);
    expect(makeStreamId(StreamIdType.CLIENT_BIDI, 0)).toBe(0);
    expect(nextStreamId(0)).toBe(4);
    expect(nextStreamId(3)).toBe(7);
  });
  test("IDs beyond 2^53 are bigint, below are number", () => {
    const lastSafeIndex = Math.floor((Number.MAX_SAFE_INTEGER - 3) / 4);
    expect(makeStreamId(StreamIdType.SERVER_UNI, lastSafeIndex)).toBe(lastSafeIndex * 4 + 3);
    const big = makeStreamId(StreamIdType.CLIENT_BIDI, 2n ** 51n);
    expect(big).toBe(2n ** 53n);
    expect(streamIndex(2n ** 53n)).toBe(2 ** 51);
    expect(streamIndex(MAX_STREAM_ID)).toBe(2n ** 60n - 1n);
    expect(makeStreamId(StreamIdType.SERVER_UNI, 2n ** 60n - 1n)).toBe(MAX_STREAM_ID);
    expect(nextStreamId(Number.MAX_SAFE_INTEGER - 3)).toBe(2n ** 53n);
    expect(nextStreamId(Number.MAX_SAFE_INTEGER)).toBe(2n ** 53n + 3n);
  });
  test("the last ID of a type has no successor", () => {
    expect(nextStreamId(MAX_STREAM_ID - 7n)).toBe(MAX_STREAM_ID - 3n);
    for (const last of [MAX_STREAM_ID - 3n, MAX_STREAM_ID - 2n, MAX_STREAM_ID - 1n, MAX_STREAM_ID])
      expect(() => nextStreamId(last)).toThrow(RangeError);
    expect(() => nextStreamId(MAX_STREAM_ID)).toThrow(RangeError);
    expect(() => makeStreamId(StreamIdType.CLIENT_BIDI, 2n ** 60n)).toThrow(RangeError);
  });
  test.each([-1, 1.5, NaN, 2 ** 53, -1n, 2n ** 62n])("invalid ID %s is a RangeError", (id) => {
    expect(isValidStreamId(id)).toBe(false);
    expect(() => streamIdType(id)).toThrow(RangeError);
    expect(() => streamIndex(id)).toThrow(RangeError);
    expect(() => nextStreamId(id)).toThrow(RangeError);
  });
  test("type checks", () => {
    expect(() => makeStreamId(4 as StreamIdType, 0)).toThrow(RangeError);
    expect(() => streamIdType("4" as unknown as number)).toThrow(TypeError);
    expect(isValidStreamId("4")).toBe(false);
    expect(isValidStreamId(0)).toBe(true);
    expect(isValidStreamId(MAX_STREAM_ID)).toBe(true);
  });
  test("compareStreamIds orders numerically across number and bigint", () => {
    const ids = [2n ** 60n, 8, 0, 2n ** 53n, 3];
    expect([...ids].sort(compareStreamIds)).toEqual([0, 3, 8, 2n ** 53n, 2n ** 60n]);
    expect(compareStreamIds(4n, 4)).toBe(0);
  });
});

describe("RFC 9000 §4.6 stream limits", () => {
  test("maxStreamIdForCount", () => {
    expect(maxStreamIdForCount(StreamIdType.CLIENT_BIDI, 0)).toBeUndefined();
    expect(maxStreamIdForCount(StreamIdType.CLIENT_BIDI, 1)).toBe(0);
    expect(maxStreamIdForCount(StreamIdType.CLIENT_BIDI, 100)).toBe(396);
    expect(maxStreamIdForCount(StreamIdType.SERVER_UNI, 100)).toBe(399);
    expect(maxStreamIdForCount(StreamIdType.SERVER_UNI, 2n ** 60n)).toBe(MAX_STREAM_ID);
    expect(maxStreamIdForCount(StreamIdType.SERVER_UNI, MAX_STREAMS_LIMIT)).toBe(MAX_STREAM_ID);
    expect(() => maxStreamIdForCount(StreamIdType.CLIENT_BIDI, 2n ** 60n + 1n)).toThrow(RangeError);
  });
  test("streamCountToOpen", () => {
    expect(streamCountToOpen(0)).toBe(1);
    expect(streamCountToOpen(396)).toBe(100);
    expect(streamCountToOpen(399)).toBe(100);
    expect(streamCountToOpen(MAX_STREAM_ID)).toBe(2n ** 60n);
  });
  test("MAX_STREAMS above 2^60: FRAME_ENCODING_ERROR in a frame, TRANSPORT_PARAMETER_ERROR in a parameter", () => {
    expect(() => checkMaxStreams(2n ** 60n)).not.toThrow();
    expect(() => checkMaxStreams(0)).not.toThrow();
    const a = caught(() => checkMaxStreams(2n ** 60n + 1n, "frame"));
    expect([a.code, a.codeName, a.scope, a.reason]).toEqual([
      TransportErrorCode.FRAME_ENCODING_ERROR,
      "FRAME_ENCODING_ERROR",
      "connection",
      "max_streams_above_2_60",
    ]);
    const b = caught(() => checkMaxStreams(2n ** 62n - 1n, "transport-parameter"));
    expect([b.code, b.scope, b.reason]).toEqual([TransportErrorCode.TRANSPORT_PARAMETER_ERROR, "connection", "max_streams_above_2_60"]);
    const c = caught(() => checkStreamLimit(400, 100));
    expect([c.code, c.codeName, c.scope, c.reason, c.streamId]).toEqual([
      0x04,
      "STREAM_LIMIT_ERROR",
      "connection",
      "stream_limit_exceeded",
      400,
    ]);
    expect(() => checkStreamLimit(396, 100)).not.toThrow();
    expect(() => checkStreamLimit(0, 0)).toThrow(QuicError);
  });
});

ptest.prop([fc.constantFrom(0, 1, 2, 3) as fc.Arbitrary<StreamIdType>, fc.bigInt({ min: 0n, max: 2n ** 60n - 1n })])(
  "makeStreamId / streamIndex / streamIdType agree",
  (type, index) => {
    const id = makeStreamId(type, index);
    expect(BigInt(id)).toBe(index * 4n + BigInt(type));
    expect(BigInt(streamIndex(id))).toBe(index);
    expect(streamIdType(id)).toBe(type);
    expect(BigInt(streamCountToOpen(id))).toBe(index + 1n);
    expect(maxStreamIdForCount(type, BigInt(streamCountToOpen(id)))).toEqual(id);
  },
);
