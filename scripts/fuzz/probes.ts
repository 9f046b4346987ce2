/**
 * Scaling probes: the random campaign feeds small inputs in chunks of up to
 * 64 bytes, which cannot show a cost that grows with the square of one unit
 * delivered in tiny pieces. Each probe builds a large valid unit, feeds it one
 * byte at a time at sizes n and 8n, and reports the ratio of the best of
 * five timings: about 8 is linear, about 64 quadratic; above 20 (with the
 * large run over 50 ms) is flagged. n = 8000 so that a quadratic term
 * outweighs per-call costs (at 4000 the quadratic QPACK re-buffering of
 * finding 4 measured only 23 on a quiet machine).
 */
import { performance } from "node:perf_hooks";
import { concatBytes, latin1Bytes, prefixIntBytes } from "../../src/arbitraries/bytes.js";

/* eslint-disable @typescript-eslint/no-explicit-any */
type Any = any;

/** One probe's result. */
export interface ProbeResult {
  readonly name: string;
  readonly n: number;
  readonly msSmall: number;
  readonly msLarge: number;
  readonly ratio: number;
  readonly superlinear: boolean;
}

function best(f: () => void): number {
  let b = Infinity;
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    f();
    b = Math.min(b, performance.now() - t0);
  }
  return b;
}

function byteByByte(make: () => { push(c: Uint8Array): unknown }, bytes: Uint8Array): () => void {
  return () => {
    const d = make();
    for (let p = 0; p < bytes.length; p++) d.push(bytes.subarray(p, p + 1));
  };
}

/** Runs every probe whose module is available; `n` is the small size. */
export async function runProbes(n = 8000, factor = 20): Promise<ProbeResult[]> {
  const out: ProbeResult[] = [];
  const probe = (name: string, run: (size: number) => () => void) => {
    try {
      run(n)(); // warm up the JIT so the small size is not charged for compilation
      const small = best(run(n));
      const large = best(run(8 * n));
      const ratio = large / Math.max(small, 1e-3);
      out.push({ name, n, msSmall: small, msLarge: large, ratio, superlinear: ratio > factor && large > 50 });
    } catch (e) {
      out.push({ name: `${name} (failed: ${e instanceof Error ? e.message : String(e)})`, n, msSmall: NaN, msLarge: NaN, ratio: NaN, superlinear: false });
    }
  };
  const q: Any = await import("../../src/qpack/index.js");
  if (typeof q.QpackDecoder === "function") {
    probe("qpack encoder stream: one insert, 1-byte chunks", (size) => {
      const cap = size + 1000;
      const ins = concatBytes([prefixIntBytes(cap, 5, 0x20), prefixIntBytes(1, 5, 0x40), latin1Bytes("x"), prefixIntBytes(size, 7, 0), latin1Bytes("v".repeat(size))]);
      return byteByByte(() => {
        const d = new q.QpackDecoder({ maxTableCapacity: cap });
        return { push: (c: Uint8Array) => d.onEncoderStream(c) };
      }, ins);
    });
  }
  const h2: Any = await import("../../src/http2/index.js");
  if (typeof h2.FrameDecoder === "function") {
    for (const [type, flags, label] of [[0, 0, "DATA"], [1, 4, "HEADERS"]] as const) {
      probe(`http2 FrameDecoder: one ${label} frame, 1-byte chunks`, (size) => {
        const f = new Uint8Array(9 + size);
        f.set([size >> 16, (size >> 8) & 255, size & 255, type, flags, 0, 0, 0, 1]);
        return byteByByte(() => new h2.FrameDecoder({ maxFrameSize: 1 << 20, maxFieldBlockSize: 1 << 20 }), f);
      });
    }
    // A header declaring 2^24-1 octets, then n of them: the payload buffer grows as the bytes arrive
    // (issue 12), and the growth must stay linear in what arrived.
    probe("http2 FrameDecoder: DATA declaring 16 MiB, n octets of it in 1-byte chunks", (size) => {
      const f = new Uint8Array(9 + size);
      f.set([0xff, 0xff, 0xff, 0, 0, 0, 0, 0, 1]);
      return byteByByte(() => new h2.FrameDecoder({ maxFrameSize: 2 ** 24 - 1 }), f);
    });
  }
  const h3: Any = await import("../../src/http3/index.js");
  if (typeof h3.Http3FrameDecoder === "function") {
    probe("http3 Http3FrameDecoder: one HEADERS frame, 1-byte chunks", (size) => {
      const f = concatBytes([Uint8Array.of(0x01, 0x80 | ((size >> 24) & 0x3f), (size >> 16) & 255, (size >> 8) & 255, size & 255), new Uint8Array(size)]);
      return byteByByte(() => new h3.Http3FrameDecoder({ stream: "request", maxPayloadLength: 1 << 20 }), f);
    });
    // A SETTINGS frame of `size` bytes (distinct reserved identifiers, 5 bytes each) and an unknown frame,
    // buffered (emitUnknown) and skipped: held partial payloads must cost O(1) per byte.
    const h3Header = (type: number, size: number): Uint8Array =>
      Uint8Array.of(0x80 | ((type >> 24) & 0x3f), (type >> 16) & 255, (type >> 8) & 255, type & 255, 0x80 | ((size >> 24) & 0x3f), (size >> 16) & 255, (size >> 8) & 255, size & 255);
    probe("http3 Http3FrameDecoder: one SETTINGS frame, 1-byte chunks", (size) => {
      const n = Math.floor(size / 5);
      const payload = new Uint8Array(n * 5);
      for (let i = 0; i < n; i++) {
        const id = 0x21 + 0x1f * i;
        payload.set([0x80 | ((id >> 24) & 0x3f), (id >> 16) & 255, (id >> 8) & 255, id & 255, 0], i * 5);
      }
      const f = concatBytes([h3Header(0x04, payload.length), payload]);
      return byteByByte(() => new h3.Http3FrameDecoder({ stream: "control", maxPayloadLength: 1 << 24 }), f);
    });
    for (const emitUnknown of [true, false]) {
      probe(`http3 Http3FrameDecoder: one unknown frame ${emitUnknown ? "buffered" : "skipped"}, 1-byte chunks`, (size) => {
        const f = concatBytes([h3Header(0x21, size), new Uint8Array(size)]);
        return byteByByte(() => new h3.Http3FrameDecoder({ stream: "request", emitUnknown, maxPayloadLength: 1 << 24 }), f);
      });
    }
  }
  const hp: Any = await import("../../src/hpack/index.js");
  if (typeof hp.HpackDecoder === "function") {
    probe("hpack: one block of indexed fields", (size) => {
      const block = new Uint8Array(size).fill(0x82);
      return () => new hp.HpackDecoder({ maxHeaderListSize: 1 << 30 }).decode(block);
    });
  }
  return out;
}
