/**
 * Issue 12 regressions owned by http2: memory a 9-octet header controls, and
 * what a push() completed before it throws. Each fails on the code before
 * the fix (16 MiB allocated from a header; events dropped on a throw).
 */

import { CaptureDecoder, type CaptureEvent } from "httpwire/capture";
import { encodeFrame, FrameDecoder, type FrameDecoderEvent, FrameType, Http2Error } from "httpwire/http2";
import { describe, expect, test } from "vitest";
import { concat, ethernet, hex, ipv4Tcp, writePcap } from "../capture/builders.js";

const MAX = 2 ** 24 - 1;

describe("a frame header alone does not allocate its declared length (issue 12, minor)", () => {
  test("a header declaring 16 MiB followed by 10 bytes holds far less than 16 MiB", () => {
    const d = new FrameDecoder({ maxFrameSize: MAX });
    const header = Uint8Array.of(0xff, 0xff, 0xff, FrameType.DATA, 0, 0, 0, 0, 1);
    d.push(header);
    d.push(new Uint8Array(10));
    expect(d.partialFrame).toEqual({ offset: 0, type: FrameType.DATA, remaining: MAX - 10 });
    expect(d.heldCapacity).toBeLessThanOrEqual(64 * 1024);
  });

  test("the buffer grows with what arrived (at most about twice), and the frame completes intact", () => {
    const d = new FrameDecoder({ maxFrameSize: MAX });
    const length = 1_000_000;
    const payload = Uint8Array.from({ length }, (_, i) => i * 7);
    const bytes = encodeFrame({ type: FrameType.DATA, streamId: 1, data: payload });
    const chunk = 4096;
    let got: FrameDecoderEvent[] = [];
    for (let p = 0; p < bytes.length; p += chunk) {
      got = d.push(bytes.subarray(p, p + chunk));
      const arrived = Math.min(bytes.length, p + chunk) - 9;
      if (got.length === 0) expect(d.heldCapacity).toBeLessThanOrEqual(Math.max(16_384, 2 * arrived));
    }
    expect(got).toHaveLength(1);
    const f = got[0]!;
    if (f.type !== FrameType.DATA) throw new Error("not DATA");
    expect(f.data.length).toBe(length);
    expect(f.data.every((b, i) => b === payload[i])).toBe(true);
    expect(d.heldCapacity).toBe(0);
  });

  test("100 decoders each told 16 MiB is coming hold under 10 MB in all", () => {
    let held = 0;
    for (let i = 0; i < 100; i++) {
      const d = new FrameDecoder({ maxFrameSize: MAX });
      d.push(concat([Uint8Array.of(0xff, 0xff, 0xff, FrameType.DATA, 0, 0, 0, 0, 1), new Uint8Array(10)]));
      held += d.heldCapacity;
    }
    expect(held).toBeLessThan(10_000_000);
  });
});

describe("what a push() completed before it throws is kept (issue 12, finding 7)", () => {
  const ping = encodeFrame({ type: FrameType.PING, streamId: 0, opaqueData: new Uint8Array(8) });
  const settings = encodeFrame({ type: FrameType.SETTINGS, streamId: 0, settings: [] });
  const dataOnStream0 = hex("000001 00 00 00000000 00");

  test("push(chunk, out): the frames before a connection error are in out", () => {
    const d = new FrameDecoder();
    const out: FrameDecoderEvent[] = [];
    let error: unknown;
    try {
      d.push(concat([settings, ping, dataOnStream0, ping]), out);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(Http2Error);
    expect((error as Http2Error).reason).toBe("data_stream_0");
    expect(out.map((e) => e.type)).toEqual([FrameType.SETTINGS, FrameType.PING]);
    // Poisoned: the same error again, nothing appended.
    expect(() => d.push(ping, out)).toThrow(error as Http2Error);
    expect(out).toHaveLength(2);
  });

  test("the capture keeps the frames that came before a connection error in the same segment", () => {
    const preface = hex("505249202a20485454502f322e300d0a0d0a534d0d0a0d0a");
    const c = { src: "192.0.2.1", dst: "192.0.2.2", sport: 50123, dport: 80 };
    const packets = [
      {
        time: 1,
        data: ethernet(ipv4Tcp({ ...c, seq: 1, flags: 0x18, payload: concat([preface, settings, ping, ping, dataOnStream0, ping]) })),
      },
    ];
    const events: CaptureEvent[] = [];
    const d = new CaptureDecoder();
    events.push(...d.push(writePcap(1, packets)), ...d.end());
    const kinds = events
      .filter((e) => e.type === "frame" || e.type === "error")
      .map((e) => (e.type === "frame" ? `frame ${e.frameType} @${e.offset}` : `error ${e.error.reason}`));
    expect(kinds).toEqual(["frame 4 @0", "frame 6 @9", "frame 6 @26", "error data_stream_0"]);
  });
});
