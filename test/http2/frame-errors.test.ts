import { decodeFrame, FrameDecoder } from "httpwire/http2";
import { describe, expect, test } from "vitest";
import vectors from "../../fixtures/rfc9113-frame-errors.json";
import { caught, hex, okHeader } from "./hex.js";

interface Row {
  section: string;
  name: string;
  hex: string;
  code: number;
  codeName: string;
  scope: "connection" | "stream";
  reason: string;
  offset: number;
  decoderReason?: string;
}
const rows = (vectors as { cases: Row[] }).cases;

describe("every MUST on a single frame: decodeFrame", () => {
  test.each(rows.map((r) => [`${r.section} ${r.name}`, r] as const))("%s", (_name, r) => {
    const bytes = hex(r.hex);
    const e = caught(() => decodeFrame(okHeader(bytes), bytes.subarray(9), 0));
    expect({ code: e.code, codeName: e.codeName, scope: e.scope, reason: e.reason }).toEqual({
      code: r.code,
      codeName: r.codeName,
      scope: r.scope,
      reason: r.reason,
    });
    expect(e.offset).toBe(r.offset);
    if (r.scope === "stream") expect(e.streamId).toBe(okHeader(bytes).streamId);
  });
});

describe("every MUST on a single frame: FrameDecoder", () => {
  test.each(rows.map((r) => [`${r.section} ${r.name}`, r] as const))("%s", (_name, r) => {
    const d = new FrameDecoder();
    const ping = hex("000008 06 00 00000000 0102030405060708");
    const bytes = hex(r.hex);
    if (r.scope === "connection") {
      d.push(ping);
      const e = caught(() => d.push(bytes));
      expect([e.code, e.scope, e.reason, e.offset]).toEqual([r.code, r.scope, r.decoderReason ?? r.reason, 17 + r.offset]);
      // Poisoned: later calls throw the same error.
      expect(caught(() => d.push(ping))).toBe(e);
      expect(caught(() => d.end())).toBe(e);
    } else {
      // A stream error is an event; decoding goes on (and HPACK blocks are still assembled).
      const events = d.push(new Uint8Array([...bytes, ...(bytes[3] === 1 ? [] : ping)]));
      const err = events[0]!;
      expect(err.type).toBe("stream-error");
      if (err.type !== "stream-error") return;
      expect([err.error.code, err.error.scope, err.error.reason, err.streamId]).toEqual([
        r.code,
        r.scope,
        r.reason,
        okHeader(bytes).streamId,
      ]);
      expect(d.counters.streamErrors).toBe(1);
      d.end();
    }
  });
});
