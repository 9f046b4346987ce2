/**
 * Raw node:http2 sessions recorded by scripts/record-h2-raw.ts decode to the
 * committed summary, whatever the chunking, every time; and the worked
 * example of docs/http2.md, which decodes the same capture. Node-only: it
 * reads binary capture files with node:fs.
 */
import { readFileSync } from "node:fs";
import { HpackDecoder } from "httpwire/hpack";
import { FrameDecoder, type FrameDecoderEvent, FrameType, frameTypeName, SettingsId } from "httpwire/http2";
import { describe, expect, test } from "vitest";
import { fixturePath } from "../helpers/corpora.js";
import { type CaptureSummary, summarizeH2Capture } from "./capture-summary.js";

const c2s = new Uint8Array(readFileSync(fixturePath("captures", "raw", "node-h2-session.c2s.bin")));
const s2c = new Uint8Array(readFileSync(fixturePath("captures", "raw", "node-h2-session.s2c.bin")));
const summary = JSON.parse(readFileSync(fixturePath("captures", "raw", "node-h2-session.summary.json"), "utf8")) as {
  c2s: CaptureSummary;
  s2c: CaptureSummary;
};

function decode(bytes: Uint8Array, side: "client" | "server", chunk: number): FrameDecoderEvent[] {
  const d = new FrameDecoder({
    expectPreface: side === "client",
    expectSettingsFirst: true,
    sender: side,
    hpack: new HpackDecoder(),
    maxFieldBlockSize: 1 << 20,
  });
  const out: FrameDecoderEvent[] = [];
  for (let i = 0; i < bytes.length; i += chunk) out.push(...d.push(bytes.subarray(i, i + chunk)));
  d.end();
  return out;
}

describe("recorded node:http2 sessions (fixtures/captures/raw)", () => {
  test("each direction decodes to the committed summary", () => {
    expect(summarizeH2Capture(c2s, "client")).toEqual(summary.c2s);
    expect(summarizeH2Capture(s2c, "server")).toEqual(summary.s2c);
  });

  test("the same events for any chunking (whole, 1, 7, 1000 octets)", () => {
    for (const [bytes, side] of [
      [c2s, "client"],
      [s2c, "server"],
    ] as const) {
      const whole = decode(bytes, side, bytes.length);
      for (const n of [1, 7, 1000]) expect(decode(bytes, side, n)).toEqual(whole);
    }
  });

  test("the session has what it was recorded for", () => {
    const client = decode(c2s, "client", c2s.length);
    const server = decode(s2c, "server", s2c.length);
    const blocks = client.filter((e) => e.type === "field-block");
    expect(blocks.length).toBe(18);
    // A 30 KB header value crossed SETTINGS_MAX_FRAME_SIZE: HEADERS + CONTINUATION.
    const big = blocks.find((b) => b.type === "field-block" && b.continuationFrames > 0);
    expect(big?.type === "field-block" && big.fields?.find((f) => f.name === "x-big")?.value.length).toBe(30_000);
    // Padded DATA and HEADERS (PADDING_STRATEGY_ALIGNED).
    expect(server.some((e) => e.type === FrameType.DATA && e.padded)).toBe(true);
    expect(summary.c2s.frames.some((f) => f.type === "HEADERS" && (f.flags & 0x08) !== 0)).toBe(true);
    // RST_STREAM CANCEL, PING and its ACK, the SETTINGS change, GOAWAY both ways.
    expect(client.some((e) => e.type === FrameType.RST_STREAM && e.errorCode === 8)).toBe(true);
    const ping = client.find((e) => e.type === FrameType.PING && !e.ack);
    expect(ping?.type === FrameType.PING && new TextDecoder().decode(ping.opaqueData)).toBe("httpwire");
    expect(server.some((e) => e.type === FrameType.PING && e.ack)).toBe(true);
    expect(
      client.some(
        (e) =>
          e.type === FrameType.SETTINGS && e.settings.some((s) => s.id === SettingsId.SETTINGS_INITIAL_WINDOW_SIZE && s.value === 100_000),
      ),
    ).toBe(true);
    expect(client.some((e) => e.type === FrameType.GOAWAY)).toBe(true);
    expect(server.some((e) => e.type === FrameType.GOAWAY)).toBe(true);
    // Many streams, all answered with :status 200.
    const statuses = server.filter((e) => e.type === "field-block" && e.fields?.[0]?.name === ":status");
    expect(statuses.length).toBe(18);
    expect(new Set(client.filter((e) => e.type === "field-block").map((e) => e.streamId)).size).toBe(18);
  });
});

describe("docs/http2.md", () => {
  test("worked example: decoding a captured session", () => {
    const bytes = new Uint8Array(readFileSync(fixturePath("captures", "raw", "node-h2-session.c2s.bin")));
    const decoder = new FrameDecoder({
      expectPreface: true,
      hpack: new HpackDecoder(),
      maxFieldBlockSize: 1 << 20,
    });

    const lines: string[] = [];
    for (const event of decoder.push(bytes)) {
      switch (event.type) {
        case "field-block": {
          const path = event.fields?.find((f) => f.name === ":path")?.value;
          lines.push(`stream ${event.streamId}: request ${path} (${event.continuationFrames} CONTINUATION)`);
          break;
        }
        case FrameType.SETTINGS:
          lines.push(event.ack ? "SETTINGS ack" : `SETTINGS [${event.settings.map((s) => `${s.id}=${s.value}`).join(" ")}]`);
          break;
        case FrameType.DATA:
          lines.push(
            `stream ${event.streamId}: ${event.data.length} octets of data${event.padded ? `, ${event.padLength} of padding` : ""}`,
          );
          break;
        case "stream-error":
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
    expect(lines.slice(0, 4)).toEqual([
      "SETTINGS []",
      "stream 1: request /first (0 CONTINUATION)",
      "SETTINGS ack",
      "stream 3: request /many/0 (0 CONTINUATION)",
    ]);
    expect(lines).toContain("stream 27: 3000 octets of data, 6 of padding");
    expect(lines).toContain("SETTINGS [2=0 4=100000]");
    expect(lines.slice(-3)).toEqual(["stream 35: request /last (0 CONTINUATION)", "GOAWAY on stream 0", "GOAWAY on stream 0"]);
    expect(lines.find((l) => l.includes("/big-headers"))).toBe("stream 29: request /big-headers (1 CONTINUATION)");
    expect(lines.filter((l) => l.startsWith("RST_STREAM")).length).toBe(1);
  });
});
