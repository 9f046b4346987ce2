/**
 * The examples of docs/http2.md and of the JSDoc, run as tests so the docs
 * cannot drift from the code.
 */
import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { HpackDecoder } from "httpwire/hpack";
import {
  FrameDecoder,
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
import { fixturePath } from "../helpers/corpora.js";

describe("docs/http2.md", () => {
  test("opening example", () => {
    const bytes = encodeFrame({ type: FrameType.WINDOW_UPDATE, streamId: 1, windowSizeIncrement: 4096 });
    expect(Array.from(bytes)).toEqual([0, 0, 4, 8, 0, 0, 0, 0, 1, 0, 0, 0x10, 0]);
    expect(decodeFrame(readFrameHeader(bytes)!, bytes.subarray(9))).toEqual({ type: 8, streamId: 1, flags: 0, windowSizeIncrement: 4096 });
  });

  test("worked example: decoding a captured session", () => {
    const bytes = new Uint8Array(readFileSync(fixturePath("captures", "raw", "node-h2-session.c2s.bin")));
    const decoder = new FrameDecoder({
      expectPreface: true,
      hpack: new HpackDecoder(),
      maxHeaderBlockSize: 1 << 20,
    });

    const lines: string[] = [];
    for (const event of decoder.push(bytes)) {
      switch (event.type) {
        case "header_block": {
          const path = event.fields?.find((f) => f.name === ":path")?.value;
          lines.push(`stream ${event.streamId}: request ${path} (${event.continuationFrames} CONTINUATION)`);
          break;
        }
        case FrameType.SETTINGS:
          lines.push(event.ack ? "SETTINGS ack" : `SETTINGS [${event.settings.map((s) => `${s.id}=${s.value}`).join(" ")}]`);
          break;
        case FrameType.DATA:
          lines.push(`stream ${event.streamId}: ${event.data.length} octets of data${event.padded ? `, ${event.padLength} of padding` : ""}`);
          break;
        case "stream_error":
          lines.push(`stream ${event.streamId}: ${event.error.codeName} (${event.error.reason})`);
          break;
        case "unknown":
          lines.push(`${frameTypeName(event.frameType)} on stream ${event.streamId}`);
          break;
        default:
          lines.push(`${frameTypeName(event.type)} on stream ${event.streamId}`);
      }
    }
    decoder.end();
    expect(lines.slice(0, 4)).toEqual(["SETTINGS []", "stream 1: request /first (0 CONTINUATION)", "SETTINGS ack", "stream 3: request /many/0 (0 CONTINUATION)"]);
    expect(lines).toContain("stream 27: 3000 octets of data, 6 of padding");
    expect(lines).toContain("SETTINGS [2=0 4=100000]");
    expect(lines.slice(-3)).toEqual(["stream 35: request /last (0 CONTINUATION)", "GOAWAY on stream 0", "GOAWAY on stream 0"]);
    expect(lines.find((l) => l.includes("/big-headers"))).toBe("stream 29: request /big-headers (1 CONTINUATION)");
    expect(lines.filter((l) => l.startsWith("RST_STREAM")).length).toBe(1);
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
