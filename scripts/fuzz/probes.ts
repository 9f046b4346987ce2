/**
 * Probes: what random small inputs in small chunks cannot show.
 *
 * - **Linearity.** One large unit fed one byte at a time (or one large
 *   value), at sizes n and 8n: the ratio of the times is about 8 when the
 *   work is linear, about 64 when quadratic; above `factor` (20) with the
 *   large run over 50 ms is a finding. Every run is time-boxed: a feeder
 *   stops at its deadline, so a decoder that is still quadratic is reported
 *   ("over N ms"), not waited for.
 * - **Memory.** A long flood (or a huge peer setting) at counts n and 8n;
 *   memory kept by the decoder that grows with the count, or one
 *   construction that costs more than a few MiB, is a finding.
 * - **Chunking.** Known inputs decoded whole and cut at chosen points must
 *   give the same outcome (events, then the error); the random campaign
 *   (`targets.ts`) makes the same comparison on every mutated case.
 *
 * Every decoder call goes through `adapters.ts`. n = 8000 for byte-fed
 * units so that a quadratic term outweighs per-call costs.
 */

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { concatBytes, fromHex, latin1Bytes, prefixIntBytes } from "../../src/arbitraries/bytes.js";
import { ByteWriter } from "../../src/shared/byte-writer.js";
import { huffmanEncode } from "../../src/shared/huffman.js";
import { ethernet, ipv4Tcp, pcapngBlock, writePcap, writePcapng } from "../../test/capture/builders.js";
import {
  altSvcCall,
  captureDecoder,
  type Feeder,
  hpackEncoderForPeer,
  hpackWriter,
  http2Decoder,
  http3Decoder,
  loadModules,
  qpackDecoder,
  qpackDecoderWithCapacity,
  qpackEncoderForPeer,
  qpackEncoderStreamFeeder,
  tcpTracker,
  upgradeCalls,
} from "./adapters.js";
import { sameValue } from "./equal.js";
import { gc } from "./gc.js";

/** One probe's result. */
export interface ProbeResult {
  readonly kind: "linearity" | "memory" | "chunking";
  readonly name: string;
  readonly finding: boolean;
  /** One line: the measurements, or what differed. */
  readonly detail: string;
  /** Linearity: the small size, times and ratio (NaN when a run hit its time box). */
  readonly n?: number;
  readonly msSmall?: number;
  readonly msLarge?: number;
  readonly ratio?: number;
}

/** Probe options. */
export interface ProbeOptions {
  /** Flag a linearity ratio above this (default 20; 8 is linear, 64 quadratic). */
  readonly factor?: number;
  /** Longest single run of one probe, in ms (default 10 000). */
  readonly budgetMs?: number;
  /** Run only the probes whose name contains one of these (default: all). */
  readonly only?: readonly string[];
  /** Progress lines to stderr. */
  readonly verbose?: boolean;
}

const REPO_ROOT = join(fileURLToPath(import.meta.url), "..", "..", "..");

// ---------------------------------------------------------------- measuring

function memoryBytes(): number {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

/** Why the last fed unit stopped early (a protocol error: the probe then measures less than it means to). */
let stoppedBy: string | undefined;

/** Feeds `bytes` in `chunk`-byte pieces until done, an error, or `deadline`; returns false at the deadline. */
function feed(f: Feeder, bytes: Uint8Array, chunk: number, deadline: number): boolean {
  for (let p = 0; p < bytes.length; p += chunk) {
    if ((p & 255) === 0 && performance.now() > deadline) return false;
    f.push(bytes.subarray(p, p + chunk));
    if (f.failure !== undefined) {
      const reason = (f.failure as { reason?: unknown }).reason;
      stoppedBy = `stopped by ${typeof reason === "string" ? reason : String(f.failure)} at octet ${p} of ${bytes.length}`;
      break;
    }
  }
  return true;
}

/** A linearity workload: `run(deadline)` does the work for one size and returns false if it hit the deadline. */
type Workload = (size: number) => (deadline: number) => boolean;

/** A workload that feeds a unit built for `size` to a fresh feeder, `chunk` bytes at a time, without ending it. */
function fed(make: () => Feeder | undefined, build: (size: number) => Uint8Array, chunk = 1): Workload {
  return (size) => {
    const bytes = build(size);
    return (deadline) => {
      const f = make();
      if (f === undefined) throw new Error("decoder not available");
      const done = feed(f, bytes, chunk, deadline);
      if (f.failure !== undefined && !isHttpwireError(f.failure)) throw f.failure;
      return done;
    };
  };
}

/** A workload of repeated calls on one value built for `size` (calls repeated until 5 ms pass, so tiny costs are measurable). */
function called(build: (size: number) => () => void): Workload {
  return (size) => {
    const call = build(size);
    return (deadline) => {
      let calls = 0;
      const t0 = performance.now();
      do {
        call();
        calls++;
        if (performance.now() > deadline) return false;
      } while (performance.now() - t0 < 5);
      perCall = calls;
      return true;
    };
  };
}
let perCall = 1;

function isHttpwireError(e: unknown): boolean {
  return e instanceof Error && typeof (e as { reason?: unknown }).reason === "string" && typeof (e as { code?: unknown }).code === "number";
}

/** Best of `tries` timed runs; NaN when every run hit the time box (or the first did, with `stopOnTimeout`). */
function best(work: (deadline: number) => boolean, tries: number, boxMs: number, stopOnTimeout: boolean): number {
  let b = NaN;
  for (let i = 0; i < tries; i++) {
    perCall = 1;
    const t0 = performance.now();
    const done = work(t0 + boxMs);
    const ms = (performance.now() - t0) / perCall;
    if (done && !(ms >= b)) b = ms;
    if (!done && stopOnTimeout) break;
  }
  return b;
}

// ---------------------------------------------------------------- inputs

const u24 = (n: number) => Uint8Array.of(n >> 16, (n >> 8) & 255, n & 255);
const PREFACE = latin1Bytes("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
const h2Frame = (type: number, flags: number, stream: number, payload: Uint8Array) =>
  concatBytes([
    u24(payload.length),
    Uint8Array.of(type, flags, stream >>> 24, (stream >> 16) & 255, (stream >> 8) & 255, stream & 255),
    payload,
  ]);

function huffman(s: string): Uint8Array {
  const w = new ByteWriter(s.length * 4 + 8);
  huffmanEncode(w, s);
  return w.finish();
}

/** An HPACK literal without indexing, new name "x", raw value of `size` octets. */
function hpackLiteral(size: number): Uint8Array {
  return concatBytes([Uint8Array.of(0x00, 0x01, 0x78), prefixIntBytes(size, 7, 0), new Uint8Array(size).fill(0x61)]);
}

/** A TCP segment between 10.0.0.1:40000 (client) and 10.0.0.2:80. */
function tcpPacket(fromClient: boolean, seq: number, flags: number, payload?: Uint8Array): { data: Uint8Array } {
  const ip = fromClient
    ? ipv4Tcp({ src: "10.0.0.1", dst: "10.0.0.2", sport: 40000, dport: 80, seq, flags, payload })
    : ipv4Tcp({ src: "10.0.0.2", dst: "10.0.0.1", sport: 80, dport: 40000, seq, flags, payload });
  return { data: ethernet(ip) };
}

const LINKTYPE_ETHERNET = 1;
const TCP_ACK = 0x10;
const TCP_PSH = 0x08;

/** A pcap (or pcapng) whose client sends the preface and one DATA frame of `size` octets in one segment. */
function captureWithData(size: number, format: "pcap" | "pcapng"): Uint8Array {
  const stream = concatBytes([PREFACE, h2Frame(0x4, 0, 0, new Uint8Array(0)), h2Frame(0x0, 0, 1, new Uint8Array(size))]);
  const packets = [tcpPacket(true, 1000, TCP_ACK | TCP_PSH, stream)];
  return format === "pcap" ? writePcap(LINKTYPE_ETHERNET, packets) : writePcapng(LINKTYPE_ETHERNET, packets);
}

/** `text` as an xxd-style hex dump (16 octets a line). */
function hexDump(bytes: Uint8Array): Uint8Array {
  let s = "";
  for (let p = 0; p < bytes.length; p += 16) {
    let line = `${p.toString(16).padStart(8, "0")}:`;
    for (let i = p; i < Math.min(p + 16, bytes.length); i += 2) {
      line += ` ${bytes[i]!.toString(16).padStart(2, "0")}${i + 1 < bytes.length ? bytes[i + 1]!.toString(16).padStart(2, "0") : ""}`;
    }
    s += `${line}\n`;
  }
  return latin1Bytes(s);
}

/** A pcap whose server sends `count` one-octet segments before the client says anything (finding 5). */
function serverFirstSegments(count: number): Uint8Array {
  const packets = [];
  for (let i = 0; i < count; i++) packets.push(tcpPacket(false, 5000 + i, TCP_ACK | TCP_PSH, Uint8Array.of(0x61)));
  return writePcap(LINKTYPE_ETHERNET, packets);
}

// ---------------------------------------------------------------- probes

/** Runs every probe whose module is available. */
export async function runProbes(options: ProbeOptions = {}): Promise<ProbeResult[]> {
  const m = await loadModules();
  const factor = options.factor ?? 20;
  const budget = options.budgetMs ?? 10_000;
  const out: ProbeResult[] = [];
  const wanted = (name: string) => options.only === undefined || options.only.some((o) => name.includes(o));
  const log = (r: ProbeResult) => {
    out.push(r);
    if (options.verbose) process.stderr.write(`  probe ${r.finding ? "FINDING" : "ok"} ${r.name}: ${r.detail}\n`);
  };
  const failed = (kind: ProbeResult["kind"], name: string, e: unknown) =>
    log({ kind, name, finding: true, detail: `threw ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}` });

  // ------------------------------------------------------------ linearity
  const linear = (name: string, n: number, work: Workload) => {
    if (!wanted(name)) return;
    stoppedBy = undefined;
    try {
      const small = work(n);
      // Warm up the JIT so the small size is not charged for compilation.
      const msSmall = small(performance.now() + budget) ? best(small, 3, budget, true) : NaN;
      if (Number.isNaN(msSmall)) {
        log({
          kind: "linearity",
          name,
          finding: true,
          detail: `over ${budget} ms at ${n} (time box)`,
          n,
          msSmall,
          msLarge: NaN,
          ratio: NaN,
        });
        return;
      }
      // Linear work at 8n takes about 8x; give the large run until the ratio is past the flag (at least 50 ms).
      const box = Math.min(budget, Math.max(factor * msSmall, 50));
      const msLarge = best(work(8 * n), 3, box, false);
      const ratio = msLarge / Math.max(msSmall, 1e-3);
      const timedOut = Number.isNaN(msLarge);
      const finding = timedOut || (ratio > factor && msLarge > 50);
      const detail = timedOut
        ? `${n}: ${msSmall.toFixed(2)} ms, ${8 * n}: over ${box.toFixed(0)} ms (ratio > ${factor}; stopped at the time box)`
        : `${n}: ${msSmall.toFixed(2)} ms, ${8 * n}: ${msLarge.toFixed(2)} ms, ratio ${ratio.toFixed(1)}`;
      log({
        kind: "linearity",
        name,
        finding,
        detail: stoppedBy === undefined ? detail : `${detail} (${stoppedBy}: check the probe's input)`,
        n,
        msSmall,
        msLarge,
        ratio,
      });
    } catch (e) {
      failed("linearity", name, e);
    }
  };

  linear(
    "hpack HpackDecoder.write: one literal, 1-byte fragments",
    8000,
    fed(() => hpackWriter(m, { maxHeaderListSize: 1 << 30, maxStringLength: 1 << 30 }), hpackLiteral),
  );
  linear(
    "hpack HpackDecoder.decode: one block of indexed fields",
    8000,
    called((size) => {
      const block = new Uint8Array(size).fill(0x82);
      return () => new m.hpack.HpackDecoder({ maxHeaderListSize: 1 << 30 }).decode(block);
    }),
  );
  for (const [label, huff] of [
    ["raw", false],
    ["Huffman", true],
  ] as const) {
    const name = `qpack encoder stream: insert with a ${label} literal name near the capacity, then its value, never completed, 1-byte chunks`;
    if (!wanted(name)) continue;
    // Finding 1: the decoded entry fits the capacity, the Huffman-coded name (30 bits a "\n") is longer than it;
    // the value then arrives a byte at a time and never completes.
    linear(name, 8000, (size) => {
      const chars = size >> 2;
      const cap = 2 * chars + 64;
      const nameBytes = huff ? huffman("\n".repeat(chars)) : latin1Bytes("\n".repeat(chars));
      const ins = concatBytes([
        prefixIntBytes(cap, 5, 0x20),
        prefixIntBytes(nameBytes.length, 5, huff ? 0x60 : 0x40),
        nameBytes,
        prefixIntBytes(chars, 7, 0),
        new Uint8Array(chars).fill(0x76),
      ]);
      const cut = ins.subarray(0, ins.length - 1); // the value never arrives
      return (deadline) => {
        const f = qpackEncoderStreamFeeder(m, { maxTableCapacity: cap });
        if (f === undefined) throw new Error("QpackDecoder not available");
        const done = feed(f, cut, 1, deadline);
        if (f.failure !== undefined && !isHttpwireError(f.failure)) throw f.failure;
        return done;
      };
    });
  }
  linear("qpack encoder stream: one raw insert (value = whole size), 1-byte chunks", 8000, (size) => {
    const cap = size + 1000;
    const ins = concatBytes([
      prefixIntBytes(cap, 5, 0x20),
      prefixIntBytes(1, 5, 0x40),
      latin1Bytes("x"),
      prefixIntBytes(size, 7, 0),
      latin1Bytes("v".repeat(size)),
    ]);
    return fed(
      () => qpackEncoderStreamFeeder(m, { maxTableCapacity: cap }),
      () => ins,
    )(size);
  });
  for (const [type, flags, label] of [
    [0, 0, "DATA"],
    [1, 4, "HEADERS"],
  ] as const) {
    linear(
      `http2 FrameDecoder: one ${label} frame, 1-byte chunks`,
      8000,
      fed(
        () => http2Decoder(m, { hpack: undefined, maxFrameSize: 1 << 20, maxFieldBlockSize: 1 << 20 }),
        (size) => h2Frame(type, flags, 1, new Uint8Array(size)),
      ),
    );
  }
  // A header declaring 2^24-1 octets, then n of them: the payload buffer grows as the bytes arrive, linearly in what arrived.
  linear(
    "http2 FrameDecoder: DATA declaring 16 MiB, n octets of it in 1-byte chunks",
    8000,
    fed(
      () => http2Decoder(m, { hpack: undefined, maxFrameSize: 2 ** 24 - 1 }),
      (size) => {
        const f = new Uint8Array(9 + size);
        f.set([0xff, 0xff, 0xff, 0, 0, 0, 0, 0, 1]);
        return f;
      },
    ),
  );
  /** HEADERS without END_HEADERS and n/16 CONTINUATION frames of 7 octets (the block never completes). */
  const continuationChain = (size: number) => {
    const parts = [h2Frame(1, 0, 1, new Uint8Array(7))];
    for (let k = 0; k < size / 16; k++) parts.push(h2Frame(9, 0, 1, new Uint8Array(7)));
    return concatBytes(parts);
  };
  const unlimited = () =>
    http2Decoder(m, {
      hpack: undefined,
      maxFrameSize: 1 << 20,
      maxFieldBlockSize: 1 << 20,
      maxContinuationFrames: 1 << 20,
    });
  // 4 000 → 32 000 fragments. One push of 8 000 → 64 000 measured 0.6-0.8 → 50-125 ms on 2026-12-05, but 11 → 64 ms on
  // another run (GC of the held views?): not flagged reliably at these sizes, so not probed there.
  linear("http2 FrameDecoder: HEADERS + CONTINUATION chain, 1-byte chunks", 64000, fed(unlimited, continuationChain));
  linear("http2 FrameDecoder: HEADERS + CONTINUATION chain, one push", 64000, fed(unlimited, continuationChain, 1 << 30));
  linear(
    "http3 Http3FrameDecoder: one HEADERS frame, 1-byte chunks",
    8000,
    fed(
      () => http3Decoder(m, "request", { maxPayloadLength: 1 << 20 }),
      (size) =>
        concatBytes([
          Uint8Array.of(0x01, 0x80 | ((size >> 24) & 0x3f), (size >> 16) & 255, (size >> 8) & 255, size & 255),
          new Uint8Array(size),
        ]),
    ),
  );
  linear(
    "http3 Http3FrameDecoder: one SETTINGS frame on a control stream, 1-byte chunks",
    8000,
    fed(
      () => http3Decoder(m, "control", { maxPayloadLength: 1 << 20 }),
      (size) => {
        const body: Uint8Array[] = [];
        // Distinct unknown identifiers from 0x21 up (4-octet varints), value 0.
        for (let k = 0; k < size / 5; k++) {
          const id = 0x21 + k * 0x1f;
          body.push(Uint8Array.of(0x80 | (id >>> 24), (id >> 16) & 255, (id >> 8) & 255, id & 255, 0x00));
        }
        const payload = concatBytes(body);
        return concatBytes([
          Uint8Array.of(
            0x04,
            0x80 | ((payload.length >> 24) & 0x3f),
            (payload.length >> 16) & 255,
            (payload.length >> 8) & 255,
            payload.length & 255,
          ),
          payload,
        ]);
      },
    ),
  );
  for (const emitUnknown of [true, false]) {
    // An unknown frame buffered (emitUnknown) or skipped: held partial payloads must cost O(1) per byte.
    linear(
      `http3 Http3FrameDecoder: one unknown frame ${emitUnknown ? "buffered" : "skipped"}, 1-byte chunks`,
      8000,
      fed(
        () => http3Decoder(m, "request", { emitUnknown, maxPayloadLength: 1 << 24 }),
        (size) =>
          concatBytes([
            Uint8Array.of(0x80, 0x00, 0x00, 0x21, 0x80 | ((size >> 24) & 0x3f), (size >> 16) & 255, (size >> 8) & 255, size & 255),
            new Uint8Array(size),
          ]),
      ),
    );
  }
  for (const format of ["pcap", "pcapng"] as const) {
    linear(
      `capture CaptureDecoder: ${format} with one large segment, 1-byte chunks`,
      8000,
      fed(
        () => captureDecoder(m, { keepEvents: false }),
        (size) => captureWithData(size, format),
      ),
    );
  }
  linear(
    "capture CaptureDecoder: hex dump of a pcap, 1-byte chunks",
    4000,
    fed(
      () => captureDecoder(m),
      (size) => hexDump(captureWithData(size, "pcap")),
    ),
  );
  linear(
    "capture CaptureDecoder: server speaks first in 1-octet segments (held until a preface)",
    4000,
    fed(() => captureDecoder(m), serverFirstSegments, 65536),
  );
  linear("capture TcpTracker: segments with no captured payload in descending order", 4000, (size) => {
    return (deadline) => {
      const t = tcpTracker(m);
      if (t === undefined) throw new Error("TcpTracker not available");
      const base = { src: "10.0.0.1", dst: "10.0.0.2", srcPort: 40000, dstPort: 80, flags: TCP_ACK | TCP_PSH };
      t.segment({ ...base, seq: 1, payload: Uint8Array.of(0x50), payloadLength: 1 }, 0);
      for (let k = size; k > 1; k--) {
        if ((k & 255) === 0 && performance.now() > deadline) return false;
        t.segment({ ...base, seq: 1 + 2 * k, payload: new Uint8Array(0), payloadLength: 1 }, 0);
      }
      return true;
    };
  });
  const up = upgradeCalls(m);
  if (up !== undefined) {
    // Finding 3: a trimming regex retried at every position of a whitespace run.
    linear(
      "upgrade acceptUpgrade: Upgrade: websocket + n spaces + x",
      2000,
      called((size) => () => up.accept(`websocket${" ".repeat(size)}x`)),
    );
    linear(
      "upgrade judgeUpgradeResponse: Upgrade: websocket + n spaces + x",
      2000,
      called((size) => () => up.judge(`websocket${" ".repeat(size)}x`)),
    );
    linear(
      "upgrade acceptUpgrade: n tab-separated empty list elements",
      2000,
      called((size) => () => up.accept(`websocket${",\t".repeat(size)}x`)),
    );
  }
  const alt = altSvcCall(m);
  if (alt !== undefined)
    linear(
      "alt-svc parseAltSvc: n spaces around parameters",
      2000,
      called((size) => () => alt(`h3=":443"${" ".repeat(size)};${" ".repeat(size)}ma=1${" ".repeat(size)}x`)),
    );

  // ------------------------------------------------------------ memory
  /**
   * Memory kept by what `build(count)` returns, at n and 8n (heap and array
   * buffers after a full GC, or what `measure` says the object holds); a
   * finding when it grows more than `perUnit` bytes per unit.
   */
  const memory = <T>(
    name: string,
    n: number,
    perUnit: number,
    build: (count: number, deadline: number) => T | undefined,
    measure?: (held: T) => number,
  ) => {
    if (!wanted(name)) return;
    try {
      const kept = (count: number): number => {
        gc();
        gc();
        const before = memoryBytes();
        const deadline = performance.now() + budget;
        const held = build(count, deadline);
        if (performance.now() > deadline) throw new Error(`over ${budget} ms at ${count} (time box)`);
        gc();
        gc();
        const after = memoryBytes();
        if (held === undefined) throw new Error("decoder not available");
        return measure === undefined ? after - before : measure(held);
      };
      const a = kept(n);
      const b = kept(8 * n);
      const growth = (b - a) / (7 * n);
      log({
        kind: "memory",
        name,
        finding: growth > perUnit,
        detail: `${n}: ${(a / 1048576).toFixed(1)} MiB kept, ${8 * n}: ${(b / 1048576).toFixed(1)} MiB kept, ${growth.toFixed(1)} B per unit (limit ${perUnit})`,
      });
    } catch (e) {
      failed("memory", name, e);
    }
  };

  /** A capture decoder given `head`, then `count` copies of `unit` (pushed 1024 at a time), kept alive. */
  const flood = (head: Uint8Array, unit: Uint8Array) => (count: number, deadline: number) => {
    const f = captureDecoder(m, { keepEvents: false });
    if (f === undefined) return undefined;
    f.push(head);
    const batch = concatBytes(Array.from({ length: 1024 }, () => unit));
    for (let k = 0; k < count && performance.now() < deadline; k += 1024) f.push(batch);
    return f;
  };
  memory(
    "capture: empty SETTINGS flood, never acknowledged (raw HTTP/2 stream)",
    50_000,
    8,
    flood(PREFACE, h2Frame(0x4, 0, 0, new Uint8Array(0))),
  );
  memory(
    "capture: pcapng Interface Description Block flood",
    50_000,
    8,
    flood(writePcapng(LINKTYPE_ETHERNET, []), pcapngBlock(1, Uint8Array.of(1, 0, 0, 0, 0, 0, 0, 0), true)),
  );
  memory("capture TcpTracker: held segments with no captured payload (maxPendingBytes 64 KiB)", 5_000, 16, (count, deadline) => {
    const t = tcpTracker(m, { maxPendingBytes: 65536 });
    if (t === undefined) return undefined;
    const base = { src: "10.0.0.1", dst: "10.0.0.2", srcPort: 40000, dstPort: 80, flags: TCP_ACK | TCP_PSH };
    t.segment({ ...base, seq: 1, payload: Uint8Array.of(0x50), payloadLength: 1 }, 0);
    for (let k = 1; k <= count; k++) {
      if ((k & 255) === 0 && performance.now() > deadline) break;
      t.segment({ ...base, seq: 1 + 2 * k, payload: new Uint8Array(0), payloadLength: 1 }, 0);
    }
    return t;
  });
  // Measured by the encoder's own table size (RFC 7541 §4.1 octets): heap deltas this small drown in GC noise.
  memory(
    "hpack HpackEncoder: peer table size 2^32-1, distinct etag values (dynamic table octets)",
    2_000,
    16,
    (count, deadline) => {
      const e = hpackEncoderForPeer(m, 2 ** 32 - 1);
      if (e === undefined) return undefined;
      for (let k = 0; k < count; k++) {
        if ((k & 255) === 0 && performance.now() > deadline) break;
        e.encode([
          { name: ":status", value: "200" },
          { name: "etag", value: `"${k.toString(36).padStart(12, "0")}"` },
        ]);
      }
      return e;
    },
    (e) => e.tableSize(),
  );

  /** One construction with a huge peer setting: a finding when it costs more than 4 MiB or 100 ms, or throws anything but our own RangeError. */
  const huge = (name: string, values: readonly number[], make: (v: number) => unknown, mustAccept: boolean) => {
    if (!wanted(name)) return;
    for (const v of values) {
      const label = `${name} = ${v === 2 ** 32 - 1 ? "2^32-1" : `2^${Math.log2(v)}`}`;
      try {
        gc();
        const before = memoryBytes();
        const t0 = performance.now();
        const held = make(v);
        const ms = performance.now() - t0;
        gc();
        const mib = (memoryBytes() - before) / 1048576;
        if (held === undefined) return;
        const finding = mib > 4 || ms > 100;
        log({
          kind: "memory",
          name: label,
          finding,
          detail: `${mib.toFixed(1)} MiB, ${ms.toFixed(1)} ms for one construction`,
        });
        if (finding) return; // do not try larger values: they cost more
      } catch (e) {
        const ours = e instanceof RangeError && !/invalid array length|allocation failed/i.test(e.message);
        log({
          kind: "memory",
          name: label,
          finding: mustAccept || !ours,
          detail: `threw ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`,
        });
        return;
      }
    }
  };
  huge(
    "qpack QpackEncoder from the peer's SETTINGS_QPACK_MAX_TABLE_CAPACITY",
    [2 ** 16, 2 ** 22, 2 ** 26, 2 ** 32 - 1],
    (v) => qpackEncoderForPeer(m, v),
    true,
  );
  huge("qpack QpackDecoder with maxTableCapacity", [2 ** 16, 2 ** 22, 2 ** 26, 2 ** 32 - 1], (v) => qpackDecoderWithCapacity(m, v), false);

  // ------------------------------------------------------------ chunking
  /** Decodes `bytes` whole and cut at `cuts`; a finding when the outcomes differ. */
  const chunking = (name: string, make: () => Feeder | undefined, bytes: Uint8Array, cutsList: readonly (readonly number[])[]) => {
    if (!wanted(name)) return;
    try {
      const run = (cuts: readonly number[]) => {
        const f = make();
        if (f === undefined) return undefined;
        let p = 0;
        for (const c of [...cuts, bytes.length]) {
          f.push(bytes.subarray(p, c));
          p = c;
        }
        f.end();
        if (f.failure !== undefined && !isHttpwireError(f.failure)) throw f.failure;
        return f.outcome();
      };
      const whole = run([]);
      if (whole === undefined) return;
      for (const cuts of cutsList) {
        const split = run(cuts);
        if (!sameValue(whole, split)) {
          log({
            kind: "chunking",
            name,
            finding: true,
            detail: `whole: ${summary(whole)}; cut at ${cuts.length > 8 ? `${cuts.length} points` : cuts.join(",")}: ${summary(split)}`,
          });
          return;
        }
      }
      log({
        kind: "chunking",
        name,
        finding: false,
        detail: `same outcome whole and in ${cutsList.length} cuttings: ${summary(whole)}`,
      });
    } catch (e) {
      failed("chunking", name, e);
    }
  };
  const everyByte = (n: number) => Array.from({ length: n - 1 }, (_, i) => i + 1);

  // Finding 8: blocked sections unblocked only after a whole chunk of instructions.
  {
    const name = "qpack QpackDecoder: section 020080 blocked on stream 4, then four inserts (capacity 100), in one chunk vs two";
    const inserts = fromHex("41610162416101634161016441610165");
    const make = (): Feeder | undefined => {
      const d = qpackDecoder(m, { maxTableCapacity: 100, initialTableCapacity: 100 });
      if (d === undefined) return undefined;
      const events: unknown[] = [d.section(4, fromHex("020080"))];
      let failure: unknown;
      return {
        push(c) {
          if (failure !== undefined) return;
          try {
            d.encoderStream(c, events);
          } catch (e) {
            failure = e;
          }
        },
        end: () => undefined,
        outcome: () =>
          failure === undefined ? events : [...events, { error: (failure as { reason?: string }).reason ?? String(failure) }],
        get failure() {
          return failure;
        },
      };
    };
    chunking(name, make, inserts, [[4], [4, 8, 12], everyByte(inserts.length)]);
  }
  // Finding 7: a broken record discards the valid packets before it in the same push.
  const fixture = (file: string): Uint8Array | undefined => {
    try {
      return new Uint8Array(readFileSync(join(REPO_ROOT, "fixtures", "captures", file)));
    } catch {
      return undefined;
    }
  };
  const pcap = fixture("h2-session.pcap");
  if (pcap !== undefined) {
    const bad = concatBytes([pcap, Uint8Array.of(0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0x7f, 0xff, 0xff, 0xff, 0x7f)]);
    chunking("capture CaptureDecoder: h2-session.pcap + a record header claiming 2^31-1 octets", () => captureDecoder(m), bad, [
      [pcap.length],
      [pcap.length >> 1, pcap.length],
    ]);
    chunking("capture CaptureDecoder: hex dump of h2-session.pcap + a bad record", () => captureDecoder(m), hexDump(bad), [
      [hexDump(bad).length - 40],
    ]);
  }
  const pcapng = fixture("h2-session.pcapng");
  if (pcapng !== undefined) {
    const bad = concatBytes([pcapng, Uint8Array.of(6, 0, 0, 0, 0xfc, 0xff, 0xff, 0x7f)]);
    chunking("capture CaptureDecoder: h2-session.pcapng + a block claiming 2^31-4 octets", () => captureDecoder(m), bad, [[pcapng.length]]);
  }
  {
    const frames = concatBytes([h2Frame(0x6, 0, 0, new Uint8Array(8)), h2Frame(0x4, 0, 0, new Uint8Array(5))]);
    chunking("http2 FrameDecoder: PING then a SETTINGS of length 5 (connection error)", () => http2Decoder(m), frames, [
      [17],
      everyByte(frames.length),
    ]);
  }
  {
    const stream = concatBytes([Uint8Array.of(0x04, 0x00), Uint8Array.of(0x07, 0x01, 0x00), Uint8Array.of(0x04, 0x00)]);
    chunking(
      "http3 Http3FrameDecoder: SETTINGS, GOAWAY, then a second SETTINGS (connection error)",
      () => http3Decoder(m, "control"),
      stream,
      [[2], [5], everyByte(stream.length)],
    );
  }
  {
    const block = concatBytes([Uint8Array.of(0x82, 0x86, 0x84), hpackLiteral(40), Uint8Array.of(0xbe)]);
    const decodeWhole = () => {
      try {
        return (new m.hpack.HpackDecoder().decode(block) as { name: string; value: string }[]).map((f) => ({
          name: f.name,
          value: f.value,
        }));
      } catch (e) {
        return [{ error: (e as { reason?: string }).reason }];
      }
    };
    const name = "hpack HpackDecoder: decode() against write() in 1-byte pieces, block ending in a bad index";
    if (wanted(name) && typeof m.hpack.HpackDecoder === "function") {
      const whole = decodeWhole();
      const f = hpackWriter(m);
      if (f !== undefined) {
        for (let p = 0; p < block.length; p++) f.push(block.subarray(p, p + 1));
        f.end();
        // decode() throws for the block (no fields), write() has returned the fields before the bad one: compare the errors.
        const split = (f.outcome() as { error?: unknown; reason?: string }[]).map((x) => (x.error !== undefined ? { error: x.reason } : x));
        const last = (o: unknown[]) => ((o[o.length - 1] as { error?: unknown }).error !== undefined ? [o[o.length - 1]] : o);
        log({
          kind: "chunking",
          name,
          finding: !sameValue(last(whole), last(split)),
          detail: `decode: ${summary(whole)}; write: ${summary(split)}`,
        });
      }
    }
  }
  return out;
}

/** A short description of an outcome: its length and last element. */
function summary(o: unknown): string {
  if (!Array.isArray(o)) return String(o);
  const last = o[o.length - 1];
  const text =
    JSON.stringify(last, (_k, v: unknown) => (v instanceof Uint8Array ? `<${v.length} octets>` : typeof v === "bigint" ? String(v) : v)) ??
    "nothing";
  return `${o.length} items, last ${text.length > 160 ? `${text.slice(0, 160)}…` : text}`;
}
