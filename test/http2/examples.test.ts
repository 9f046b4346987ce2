/**
 * The examples of docs/http2.md and of the JSDoc, run as tests so the docs
 * cannot drift from the code. The worked example that reads the recorded
 * capture file is in captures.test.ts (it needs node:fs; this file also runs
 * in the browser suite).
 */

import {
  adjustWindowForSettings,
  ByteWriter,
  base64urlDecode,
  base64urlEncode,
  checkPeerStreamId,
  consumeWindow,
  decodeFrame,
  decodeHttp2Settings,
  ErrorCode,
  encodeFrame,
  encodeFrameInto,
  encodeHttp2Settings,
  errorCodeName,
  FrameType,
  frameTypeName,
  Http2Error,
  increaseWindow,
  nextStreamId,
  parsePriority,
  readFrameHeader,
  serializePriority,
  settingsIdName,
  streamInitiator,
  transitionStream,
  validateRequestHeaders,
  validateResponseHeaders,
  validateSetting,
} from "httpwire/http2";
import { describe, expect, test } from "vitest";
import { toHex } from "../helpers/hex.js";
import { caught, okHeader } from "./hex.js";

describe("docs/http2.md", () => {
  test("opening example", () => {
    const bytes = encodeFrame({ type: FrameType.WINDOW_UPDATE, streamId: 1, windowSizeIncrement: 4096 });
    expect(Array.from(bytes)).toEqual([0, 0, 4, 8, 0, 0, 0, 0, 1, 0, 0, 0x10, 0]);
    expect(decodeFrame(okHeader(bytes), bytes.subarray(9))).toEqual({
      type: 8,
      streamId: 1,
      flags: 0,
      windowSizeIncrement: 4096,
    });
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
    expect(transitionStream("half-closed-remote", "data", "recv", 1)).toMatchObject({
      code: 5,
      codeName: "STREAM_CLOSED",
      scope: "stream",
      reason: "stream_half_closed_remote",
      streamId: 1,
    });
    expect(transitionStream("half-closed-remote", "data", "recv", 1)).toBeInstanceOf(Http2Error);
    expect(readFrameHeader(new Uint8Array([0, 0, 8, 6, 1, 0x80, 0, 0, 0]), 0)).toEqual({
      status: "ok",
      length: 8,
      type: 6,
      flags: 1,
      streamId: 0,
    });
    expect(Array.from(encodeFrame({ type: FrameType.PING, streamId: 0, opaqueData: new Uint8Array(8) }))).toEqual([
      0, 0, 8, 6, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    ]);
  });
});

describe("JSDoc examples (helpers)", () => {
  test("each example gives what its comment says", () => {
    expect(errorCodeName(0x06)).toBe("FRAME_SIZE_ERROR");
    expect(errorCodeName(0xff)).toBe("UNKNOWN_0xff");
    const w = new ByteWriter(64);
    encodeFrameInto({ type: FrameType.RST_STREAM, streamId: 1, errorCode: ErrorCode.CANCEL }, w);
    encodeFrameInto({ type: FrameType.SETTINGS, streamId: 0, ack: true, settings: [] }, w);
    expect(toHex(w.finish())).toBe("000004030000000001" + "00000008" + "000000040100000000");
    expect(base64urlEncode(new Uint8Array([0xfb, 0xff]))).toBe("-_8");
    expect(base64urlDecode("-_8")).toEqual(new Uint8Array([0xfb, 0xff]));
    expect(base64urlDecode("-_8=")).toEqual(new Uint8Array([0xfb, 0xff]));
    expect(base64urlDecode("a")).toBeUndefined();
    expect(decodeHttp2Settings("AAMAAABk")).toEqual([{ id: 3, value: 100 }]);
    expect([streamInitiator(3), streamInitiator(4)]).toEqual(["client", "server"]);
    expect([nextStreamId(1), nextStreamId(2), nextStreamId(2147483647)]).toEqual([3, 4, undefined]);
    expect(checkPeerStreamId(5, "client", 3)).toBeUndefined();
    expect(checkPeerStreamId(3, "client", 3)).toMatchObject({
      code: 1,
      scope: "connection",
      reason: "stream_id_not_increasing",
    });
    expect(increaseWindow(65535, 1000, 1)).toBe(66535);
    expect(consumeWindow(65535, 16384, 1)).toBe(49151);
    expect(adjustWindowForSettings(1000, 65535, 16384)).toBe(-48151);
    validateRequestHeaders(
      [
        { name: ":method", value: "GET" },
        { name: ":scheme", value: "https" },
        { name: ":path", value: "/" },
      ],
      { streamId: 1 },
    );
    validateResponseHeaders([{ name: ":status", value: "200" }], { streamId: 1 });
    validateSetting({ id: 0x05, value: 16384 });
    expect(caught(() => validateSetting({ id: 0x02, value: 2 }))).toMatchObject({
      codeName: "PROTOCOL_ERROR",
      reason: "settings_enable_push_invalid",
    });
  });
});
