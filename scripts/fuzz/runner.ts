/**
 * Runs one target: generates cases (random bytes and stacked mutations of
 * seeds), decodes each, and checks that only HttpwireError escapes, that
 * decode → encode → decode is stable, that time per byte stays within a
 * fixed multiple of the median, and that memory stays under the limit.
 */
import { performance } from "node:perf_hooks";
import { HttpwireError } from "../../src/shared/errors.js";
import { InvariantError } from "./equal.js";
import { gc } from "./gc.js";
import type { MutationKind } from "./mutate.js";
import { mutateOnce } from "./mutate.js";
import { Rng } from "./rng.js";
import type { Target } from "./targets.js";

/** Campaign options. */
export interface RunOptions {
  readonly cases: number;
  readonly seconds: number;
  readonly seed: number;
  /** Flag inputs whose time per byte exceeds this multiple of the median (default 50). */
  readonly slowFactor: number;
  /** Heap + array-buffer growth allowed over the baseline, in MiB (default 256). */
  readonly maxMemoryMiB: number;
  /** Progress lines to stderr. */
  readonly verbose: boolean;
}

/** A failing input. */
export interface Finding {
  readonly kind: "exception" | "unstable" | "slow" | "memory";
  readonly message: string;
  readonly hex: string;
  readonly length: number;
}

/** What one target's run measured. */
export interface TargetResult {
  readonly name: string;
  readonly cases: number;
  readonly seconds: number;
  readonly accepted: number;
  readonly rejected: number;
  readonly bytes: number;
  readonly maxInput: number;
  readonly medianNsPerByte: number;
  readonly worstRatio: number;
  readonly slowFlagged: number;
  readonly slowConfirmed: number;
  readonly peakMemoryMiB: number;
  readonly byMutation: Record<string, number>;
  readonly reasons: Map<string, number>;
  readonly findings: Finding[];
}

const OVERHEAD_BYTES = 64; // per-call cost modelled as this many bytes, so tiny inputs are not flagged for fixed costs
const MIN_FLAG_MS = 0.5; // below this, timer and GC noise dominate

function hex(b: Uint8Array, max = 4096): string {
  let s = "";
  const n = Math.min(b.length, max);
  for (let i = 0; i < n; i++) s += (b[i]! < 16 ? "0" : "") + b[i]!.toString(16);
  return s;
}

function memoryMiB(): number {
  const m = process.memoryUsage();
  return (m.heapUsed + m.arrayBuffers) / 1048576;
}

function timeOnce(t: Target, b: Uint8Array, seed: number): number {
  const r = new Rng(seed);
  const t0 = performance.now();
  try {
    t.run(b, r);
  } catch {
    // classified in the main loop
  }
  return performance.now() - t0;
}

/** Runs `target` for `options.cases` cases or `options.seconds`, whichever ends first. */
export function runTarget(target: Target, options: RunOptions): TargetResult {
  const rng = new Rng(options.seed);
  const seeds = target.seeds.length > 0 ? target.seeds : [new Uint8Array(0)];
  const costs = new Float32Array(Math.min(options.cases, 4_000_000));
  const findings: Finding[] = [];
  const seen = new Set<string>();
  const reasons = new Map<string, number>();
  const byMutation: Record<string, number> = { random: 0 };
  const slow: { b: Uint8Array; seed: number; cost: number; ms: number }[] = [];
  let accepted = 0;
  let rejected = 0;
  let bytes = 0;
  let maxInput = 0;
  gc();
  const base = memoryMiB();
  let peak = 0;
  const start = performance.now();
  const deadline = start + options.seconds * 1000;
  let i = 0;
  let median = 0;
  for (; i < options.cases; i++) {
    if ((i & 1023) === 0) {
      if (performance.now() > deadline) break;
      if ((i & 8191) === 0) {
        const mem = memoryMiB() - base;
        if (mem > peak) peak = mem;
        if (mem > options.maxMemoryMiB) {
          gc();
          const again = memoryMiB() - base;
          if (again > options.maxMemoryMiB && findings.length < 50 && target.memoryNotOurs === undefined)
            findings.push({
              kind: "memory",
              message: `memory grew ${again.toFixed(1)} MiB over the baseline`,
              hex: "",
              length: 0,
            });
        }
      }
      if (options.verbose && (i & 262143) === 0 && i > 0) process.stderr.write(`  ${target.name}: ${i} cases\n`);
    }
    // Generate.
    let input: Uint8Array;
    if (rng.chance(0.15)) {
      input = rng.bytes(rng.length(target.maxRandomLength));
      byMutation.random!++;
    } else {
      input = rng.pick(seeds);
      const n = 1 + rng.int(rng.chance(0.2) ? 8 : 3);
      for (let k = 0; k < n; k++) {
        let kind: MutationKind;
        [input, kind] = mutateOnce(input, rng, rng.pick(seeds), target.lengths);
        byMutation[kind] = (byMutation[kind] ?? 0) + 1;
      }
      if (input.length > 32_768) input = input.subarray(0, 32_768);
    }
    const caseSeed = rng.u32();
    const caseRng = new Rng(caseSeed);
    // Decode.
    const t0 = performance.now();
    let error: unknown;
    try {
      target.run(input, caseRng);
    } catch (e) {
      error = e;
    }
    const ms = performance.now() - t0;
    bytes += input.length;
    if (input.length > maxInput) maxInput = input.length;
    const cost = (ms * 1e6) / (input.length + OVERHEAD_BYTES);
    if (i < costs.length) costs[i] = cost;
    if (error === undefined) accepted++;
    else if (error instanceof HttpwireError && !(error instanceof InvariantError)) {
      rejected++;
      const key = `${error.codeName}/${error.reason}`;
      reasons.set(key, (reasons.get(key) ?? 0) + 1);
    } else {
      const kind = error instanceof InvariantError ? "unstable" : "exception";
      const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      const key = kind + message.replace(/\d+/g, "N");
      if (!seen.has(key) && findings.length < 50) {
        seen.add(key);
        const stack = error instanceof Error && error.stack ? ` @ ${(error.stack.split("\n")[1] ?? "").trim()}` : "";
        findings.push({ kind, message: message + stack, hex: hex(input, input.length), length: input.length });
      }
    }
    // Linearity: keep candidates whose cost per byte is far above the running median.
    if (i === 2047 || (i & 65535) === 65535) median = medianOf(costs.subarray(0, Math.min(i + 1, costs.length)));
    if (median > 0 && ms > MIN_FLAG_MS && cost > options.slowFactor * median && slow.length < 200)
      slow.push({ b: input, seed: caseSeed, cost, ms });
  }
  const seconds = (performance.now() - start) / 1000;
  median = medianOf(costs.subarray(0, Math.min(i, costs.length)));
  // Re-run flagged inputs: a GC pause or a busy neighbour explains a one-off; the minimum of 5 runs does not lie.
  let confirmed = 0;
  let worst = 0;
  for (const s of slow) {
    let best = Infinity;
    for (let k = 0; k < 5; k++) best = Math.min(best, timeOnce(target, s.b, s.seed));
    const ratio = (best * 1e6) / (s.b.length + OVERHEAD_BYTES) / median;
    if (ratio > worst) worst = ratio;
    if (ratio > options.slowFactor && best > MIN_FLAG_MS) {
      confirmed++;
      if (findings.length < 50)
        findings.push({
          kind: "slow",
          message: `${best.toFixed(2)} ms for ${s.b.length} bytes: ${ratio.toFixed(0)}x the median cost per byte`,
          hex: hex(s.b, s.b.length),
          length: s.b.length,
        });
    }
  }
  return {
    name: target.name,
    cases: i,
    seconds,
    accepted,
    rejected,
    bytes,
    maxInput,
    medianNsPerByte: median,
    worstRatio: worst,
    slowFlagged: slow.length,
    slowConfirmed: confirmed,
    peakMemoryMiB: peak,
    byMutation,
    reasons,
    findings,
  };
}

function medianOf(a: Float32Array): number {
  if (a.length === 0) return 0;
  // Sample up to 20 001 values: enough for a stable median, cheap to sort.
  const step = Math.max(1, Math.floor(a.length / 20_001));
  const s: number[] = [];
  for (let i = 0; i < a.length; i += step) s.push(a[i]!);
  s.sort((x, y) => x - y);
  return s[s.length >> 1]!;
}
