/** The examples in the JSDoc of httpwire/http3 and in docs/http3.md, run as tests. */

import {
  encodeFrame,
  encodeFrameHeader,
  encodeUniStreamHeader,
  FrameType,
  frameTypeName,
  greaseValue,
  Http3FrameDecoder,
  isGreaseValue,
  randomGreaseValue,
  readFrame,
  readUniStreamHeader,
  StreamType,
} from "httpwire/http3";
import { describe, expect, test } from "vitest";

describe("documented examples", () => {
  test("module example (index.ts)", () => {
    const bytes = encodeFrame({ type: FrameType.SETTINGS, settings: [{ id: 0x06, value: 16384 }] });
    expect(Array.from(bytes)).toEqual([0x04, 0x05, 0x06, 0x80, 0x00, 0x40, 0x00]);
    expect(new Http3FrameDecoder({ stream: "control" }).push(bytes)).toEqual([
      {
        type: "frame",
        frame: { type: 0x04, settings: [{ id: 6, value: 16384 }] },
        offset: 0,
        headerLength: 2,
        length: 5,
      },
    ]);
  });
  test("docs/http3.md quick start", () => {
    expect(readFrame(Uint8Array.of(0x07, 0x01, 0x04))).toEqual({
      status: "ok",
      frame: { type: 0x07, id: 4 },
      length: 3,
    });
    const d = new Http3FrameDecoder({ stream: "request", sender: "client" });
    expect(d.push(Uint8Array.of(0x01, 0x04, 0x00, 0x00, 0xd1, 0xd7, 0x00, 0x03, 0x61, 0x62))).toEqual([
      {
        type: "frame",
        frame: { type: 0x01, fieldSection: Uint8Array.of(0x00, 0x00, 0xd1, 0xd7) },
        offset: 0,
        headerLength: 2,
        length: 4,
      },
      { type: "data-start", offset: 6, headerLength: 2, length: 3 },
      { type: "data", data: Uint8Array.of(0x61, 0x62), offset: 8, end: false },
    ]);
    expect(d.push(Uint8Array.of(0x63))).toEqual([{ type: "data", data: Uint8Array.of(0x63), offset: 10, end: true }]);
    expect(d.end()).toEqual([]);
  });
  test("Http3FrameDecoder JSDoc", () => {
    expect(new Http3FrameDecoder({ stream: "control" }).push(Uint8Array.of(0x04, 0x02, 0x06, 0x10))).toEqual([
      { type: "frame", frame: { type: 0x04, settings: [{ id: 6, value: 16 }] }, offset: 0, headerLength: 2, length: 2 },
    ]);
  });
  test("frame, stream-header and GREASE JSDoc", () => {
    expect(Array.from(encodeFrame({ type: FrameType.GOAWAY, id: 4 }))).toEqual([0x07, 0x01, 0x04]);
    expect(Array.from(encodeFrameHeader(FrameType.DATA, 1000))).toEqual([0x00, 0x43, 0xe8]);
    expect(readUniStreamHeader(Uint8Array.of(0x01, 0x05, 0x01, 0x00))).toEqual({
      status: "ok",
      streamType: 1,
      pushId: 5,
      length: 2,
    });
    expect(Array.from(encodeUniStreamHeader(StreamType.CONTROL))).toEqual([0x00]);
    expect(Array.from(encodeUniStreamHeader(StreamType.PUSH, 3))).toEqual([0x01, 0x03]);
    expect(frameTypeName(0x04)).toBe("SETTINGS");
    expect(frameTypeName(0x21)).toBe("GREASE_0x21");
    expect([isGreaseValue(0x21), isGreaseValue(0x40), isGreaseValue(0x04)]).toEqual([true, true, false]);
    expect([greaseValue(0), greaseValue(1)]).toEqual([0x21, 0x40]);
    expect(randomGreaseValue(() => 0)).toBe(0x21);
    const v = randomGreaseValue(Math.random, 1000);
    expect(isGreaseValue(v) && Number(v) <= 0x1f * 1000 + 0x21).toBe(true);
  });
});
