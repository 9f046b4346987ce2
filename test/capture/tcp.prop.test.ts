import { fc, test } from "@fast-check/vitest";
import { TcpFlag, type TcpSink, TcpTracker } from "httpwire/capture";
import { describe, expect } from "vitest";

/** Feeds `ranges` of `bytes` (as segments, in the given order) after a SYN at `isn`; returns what came out. */
function reassemble(bytes: Uint8Array, isn: number, ranges: readonly (readonly [number, number])[], maxPendingBytes = 1 << 20) {
  const out: number[] = [];
  let gaps = 0;
  const sink: TcpSink = {
    open: () => undefined,
    data: (_c, _d, b) => out.push(...b),
    gap: (_c, _d, n) => (gaps += n),
    close: () => undefined,
  };
  const t = new TcpTracker(sink, { maxPendingBytes });
  const seg = (seq: number, flags: number, payload: Uint8Array) =>
    t.segment(
      {
        src: "10.0.0.1",
        dst: "10.0.0.2",
        srcPort: 40000,
        dstPort: 80,
        seq: seq >>> 0,
        flags,
        payload,
        payloadLength: payload.length,
      },
      0,
    );
  seg(isn, TcpFlag.SYN, new Uint8Array(0));
  for (const [a, b] of ranges) seg(isn + 1 + a, TcpFlag.ACK, bytes.subarray(a, b));
  t.end(0);
  return { out: Uint8Array.from(out), gaps };
}

const stream = fc.uint8Array({ minLength: 1, maxLength: 600 });

describe("TcpTracker properties", () => {
  test.prop([stream, fc.nat(), fc.array(fc.nat(), { maxLength: 20 }), fc.array(fc.nat(), { maxLength: 10 }), fc.boolean()])(
    "segments in any order, with repeats, give the bytes once, in order, without gaps",
    (bytes, isn, cuts, repeats, reverse) => {
      const points = [...new Set([0, bytes.length, ...cuts.map((c) => c % (bytes.length + 1))])].sort((a, b) => a - b);
      const ranges: [number, number][] = [];
      for (let i = 1; i < points.length; i++) ranges.push([points[i - 1]!, points[i]!]);
      for (const r of repeats) ranges.push(ranges[r % ranges.length]!);
      if (reverse) ranges.reverse();
      const { out, gaps } = reassemble(bytes, isn, ranges);
      expect(gaps).toBe(0);
      expect(out).toEqual(bytes);
    },
  );

  test.prop([stream, fc.nat(), fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 15 })])(
    "overlapping segments that cover the stream give it exactly",
    (bytes, isn, extra) => {
      const ranges: [number, number][] = extra.map(([a, b]) => {
        const x = a % (bytes.length + 1);
        const y = b % (bytes.length + 1);
        return [Math.min(x, y), Math.max(x, y)];
      });
      // make sure every byte is covered, after the random overlaps
      ranges.push([0, Math.ceil(bytes.length / 2)], [Math.floor(bytes.length / 3), bytes.length]);
      const { out, gaps } = reassemble(
        bytes,
        isn,
        ranges.filter(([a, b]) => b > a),
      );
      expect(gaps).toBe(0);
      expect(out).toEqual(bytes);
    },
  );

  test.prop([stream, fc.nat(), fc.integer({ min: 1, max: 50 })])(
    "a missing range is one gap of its length, the rest arrives",
    (bytes, isn, holeLen) => {
      fc.pre(bytes.length > holeLen + 2);
      const start = 1;
      const end = start + holeLen;
      const { out, gaps } = reassemble(bytes, isn, [
        [0, start],
        [end, bytes.length],
      ]);
      expect(gaps).toBe(holeLen);
      expect(out).toEqual(Uint8Array.from([...bytes.subarray(0, start), ...bytes.subarray(end)]));
    },
  );
});
