/**
 * The examples of docs/http2.md and of the JSDoc, run as tests so the docs
 * cannot drift from the code. The worked example that reads the recorded
 * capture file is in captures.test.ts (it needs node:fs; this file also runs
 * in the browser suite).
 */
import { describe, expect, test } from "vitest";
import {
  FrameType,
  decodeFrame,
  encodeFrame,
  encodeHttp2Settings,
  frameTypeName,
  parsePriority,
  readFrameHeader,
  serializePriority,
  settingsIdName,
  transitionStream,
} from "httpwire/http2";

describe("docs/http2.md", () => {
  test("opening example", () => {
    const bytes = encodeFrame({ type: FrameType.WINDOW_UPDATE, streamId: 1, windowSizeIncrement: 4096 });
    expect(Array.from(bytes)).toEqual([0, 0, 4, 8, 0, 0, 0, 0, 1, 0, 0, 0x10, 0]);
    expect(decodeFrame(readFrameHeader(bytes)!, bytes.subarray(9))).toEqual({ type: 8, streamId: 1, flags: 0, windowSizeIncrement: 4096 });
  });
});

describe("JSDoc examples", () => {
  test("names, settings header, priority, stream states", () => {
    expect(frameTypeName(0x09)).toBe("CONTINUATION");
    expect(frameTypeName(0xfa)).toBe("UNKNOWN_0xfa");
    expect(settingsIdName(0x04)).toBe("SETTINGS_INITIAL_WINDOW_SIZE");
    expect(encodeHttp2Settings([{ id: 3, value: 100 }])).toBe("AAMAAABk");
    expect(parsePriority("u=1, i")).toEqual({ urgency: 1, incremental: true });
    expect(parsePriority("u=9, foo=bar")).toEqual({ urgency: 3, incremental: false });
    expect(serializePriority({ urgency: 1, incremental: true })).toBe("u=1, i");
    expect(transitionStream("half_closed_remote", "data", "recv")).toEqual({ code: 5, codeName: "STREAM_CLOSED", scope: "stream", reason: "stream_half_closed_remote" });
    expect(readFrameHeader(new Uint8Array([0, 0, 8, 6, 1, 0x80, 0, 0, 0]))).toEqual({ length: 8, type: 6, flags: 1, streamId: 0 });
    expect(Array.from(encodeFrame({ type: FrameType.PING, streamId: 0, opaqueData: new Uint8Array(8) }))).toEqual([0, 0, 8, 6, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  });
});
