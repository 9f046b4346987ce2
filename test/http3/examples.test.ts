/** The examples in the JSDoc of httpwire/http3 and in docs/http3.md, run as tests. */
import { describe, expect, test } from "vitest";
import {
  FrameType,
  Http3FrameDecoder,
  StreamType,
  encodeFrame,
  encodeFrameHeader,
  encodeUniStreamHeader,
  frameTypeName,
  greaseValue,
  isGreaseValue,
  randomGreaseValue,
  readFrame,
  readUniStreamHeader,
} from "httpwire/http3";

describe("documented examples", () => {
  test("module example (index.ts)", () => {
    const bytes = encodeFrame({ type: FrameType.SETTINGS, settings: [{ id: 0x06, value: 16384 }] });
    expect(Array.from(bytes)).toEqual([0x04, 0x05, 0x06, 0x80, 0x00, 0x40, 0x00]);
    expect(new Http3FrameDecoder({ stream: "control" }).push(bytes)).toEqual([{ kind: "frame", frame: { type: 0x04, settings: [{ id: 6, value: 16384 }] } }]);
  });
  test("docs/http3.md quick start", () => {
    expect(readFrame(Uint8Array.of(0x07, 0x01, 0x04))).toEqual({ status: "ok", frame: { type: 0x07, id: 4 }, length: 3 });
    const d = new Http3FrameDecoder({ stream: "request", receiver: "server" });
    expect(d.push(Uint8Array.of(0x01, 0x04, 0x00, 0x00, 0xd1, 0xd7, 0x00, 0x03, 0x61, 0x62))).toEqual([
      { kind: "frame", frame: { type: 0x01, fieldSection: Uint8Array.of(0x00, 0x00, 0xd1, 0xd7) } },
      { kind: "data-start", length: 3 },
      { kind: "data", chunk: Uint8Array.of(0x61, 0x62), end: false },
    ]);
    expect(d.push(Uint8Array.of(0x63))).toEqual([{ kind: "data", chunk: Uint8Array.of(0x63), end: true }]);
    expect(() => d.end()).not.toThrow();
  });
  test("Http3FrameDecoder JSDoc", () => {
    expect(new Http3FrameDecoder({ stream: "control" }).push(Uint8Array.of(0x04, 0x02, 0x06, 0x10))).toEqual([
      { kind: "frame", frame: { type: 0x04, settings: [{ id: 6, value: 16 }] } },
    ]);
  });
  test("frame, stream-header and GREASE JSDoc", () => {
    expect(Array.from(encodeFrame({ type: FrameType.GOAWAY, id: 4 }))).toEqual([0x07, 0x01, 0x04]);
    expect(Array.from(encodeFrameHeader(FrameType.DATA, 1000))).toEqual([0x00, 0x43, 0xe8]);
    expect(readUniStreamHeader(Uint8Array.of(0x01, 0x05, 0x01, 0x00))).toEqual({ status: "ok", streamType: 1, pushId: 5, length: 2 });
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
