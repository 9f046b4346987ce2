/**
 * Summarises a raw HTTP/2 byte stream with FrameDecoder, for the committed
 * captures under fixtures/captures/raw/ (used by scripts/record-h2-raw.ts
 * and by captures.test.ts, so both agree by construction).
 */
import { HpackDecoder } from "../../src/hpack/index.js";
import { FrameDecoder, type FrameDecoderEvent, FrameType, frameTypeName } from "../../src/http2/index.js";

export interface FrameSummary {
  type: string;
  streamId: number;
  length: number;
  flags: number;
}

export interface CaptureSummary {
  octets: number;
  frames: FrameSummary[];
  /** Field names of each header block, in order, with the stream. */
  headerBlocks: { streamId: number; continuationFrames: number; names: string[] }[];
}

/** `side` is who sent the bytes: the client's stream starts with the preface. */
export function summarizeH2Capture(bytes: Uint8Array, side: "client" | "server"): CaptureSummary {
  // Pass 1: raw frames (CONTINUATION visible).
  const raw = new FrameDecoder({
    expectPreface: side === "client",
    expectSettingsFirst: true,
    joinFieldBlocks: false,
    maxFrameSize: 2 ** 24 - 1,
  });
  const frames: FrameSummary[] = [];
  const push = (events: FrameDecoderEvent[]) => {
    for (const e of events) {
      if (e.type === "field-block" || e.type === "stream-error") throw new Error(`unexpected ${e.type}`);
      const type = e.type === "unknown" ? frameTypeName(e.frameType) : frameTypeName(e.type);
      frames.push({ type, streamId: e.streamId, length: lengthOf(e), flags: e.flags });
    }
  };
  push(raw.push(bytes));
  raw.end();
  // Pass 2: joined and HPACK-decoded field blocks.
  const joined = new FrameDecoder({
    expectPreface: side === "client",
    maxFrameSize: 2 ** 24 - 1,
    maxFieldBlockSize: 1 << 20,
    hpack: new HpackDecoder({ maxHeaderListSize: 1 << 22 }),
  });
  const headerBlocks: CaptureSummary["headerBlocks"] = [];
  for (const e of joined.push(bytes)) {
    if (e.type === "field-block")
      headerBlocks.push({
        streamId: e.streamId,
        continuationFrames: e.continuationFrames,
        names: (e.fields ?? []).map((f) => f.name),
      });
  }
  joined.end();
  return { octets: bytes.length, frames, headerBlocks };
}

function lengthOf(e: Exclude<FrameDecoderEvent, { type: "field-block" } | { type: "stream-error" }>): number {
  switch (e.type) {
    case FrameType.DATA:
      return e.data.length + (e.padLength === undefined ? 0 : e.padLength + 1);
    case FrameType.HEADERS:
      return e.fragment.length + (e.padLength === undefined ? 0 : e.padLength + 1) + (e.priority ? 5 : 0);
    case FrameType.CONTINUATION:
      return e.fragment.length;
    case FrameType.SETTINGS:
      return e.settings.length * 6;
    case FrameType.PING:
      return 8;
    case FrameType.WINDOW_UPDATE:
    case FrameType.RST_STREAM:
      return 4;
    case FrameType.GOAWAY:
      return 8 + e.debugData.length;
    case FrameType.PUSH_PROMISE:
      return 4 + e.fragment.length + (e.padLength === undefined ? 0 : e.padLength + 1);
    case FrameType.PRIORITY:
      return 5;
    case "unknown":
      return e.payload.length;
    default:
      return -1;
  }
}
