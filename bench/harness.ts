/**
 * The measuring harness: warm-up, interleaved rounds, medians and spread.
 *
 * Every case in a group does the same work (one "op" = one pass over a
 * corpus). Rounds are interleaved across the cases of a group (round 1 of
 * every case, then round 2, ...), so a burst of noise from another process on
 * this shared machine hits all of them alike and the ratios stay honest.
 */
import { performance } from "node:perf_hooks";

/** How long to run; `--quick` shrinks everything. */
export interface BenchOptions {
  warmupMs: number;
  roundMs: number;
  rounds: number;
}

/**
 * The clock: this process's CPU time (user + system) by default, so that
 * other processes on a shared machine take time slices without stretching
 * our measurements (cache and memory-bandwidth effects remain). It includes
 * V8's helper threads (parallel GC), so allocation still costs what it
 * costs. `--wall` switches to `performance.now()`.
 */
let useWall = false;

/** Selects wall-clock time instead of process CPU time. */
export function useWallClock(on: boolean): void {
  useWall = on;
}

/** Which clock is in use, for the report. */
export function clockName(): string {
  return useWall ? "wall-clock time" : "process CPU time (user + system)";
}

function now(): number {
  if (useWall) return performance.now();
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

export const FULL: BenchOptions = { warmupMs: 300, roundMs: 120, rounds: 7 };
export const QUICK: BenchOptions = { warmupMs: 150, roundMs: 50, rounds: 5 };

/** One contender: `run()` does one op (sync or async). */
export interface Case {
  name: string;
  /** Units one op processes (fields, frames, values). */
  units: number;
  /** Payload bytes one op processes (name+value bytes, wire bytes). */
  bytes: number;
  run: () => unknown;
  /** Whether `run` returns a promise to await. */
  async?: boolean;
  /**
   * A contender measured outside this process (the C anchors): does its own
   * warm-up and one round of at least `ms` of its own CPU time, and returns
   * ops/s. Called once per round, interleaved with the other cases' rounds;
   * `run` is then not used.
   */
  round?: (ms: number) => number;
}

/** What a case measured: per-round rates and their summary. */
export interface Result {
  name: string;
  unitsPerSec: number;
  unitsMin: number;
  unitsMax: number;
  mbPerSec: number;
  rounds: number;
  opsPerRound: number;
  /** The rate (units/s) of each round, in round order. */
  rates: number[];
}

/** Keeps results alive so the optimiser cannot drop the work. */
export let sink: unknown = undefined;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

async function runFor(c: Case, ms: number, minOps = 1): Promise<{ ops: number; elapsed: number }> {
  let ops = 0;
  const t0 = now();
  let t = t0;
  if (c.async === true) {
    while (ops < minOps || t - t0 < ms) {
      sink = await c.run();
      ops++;
      t = now();
    }
  } else {
    while (ops < minOps || t - t0 < ms) {
      sink = c.run();
      ops++;
      t = now();
    }
  }
  return { ops, elapsed: t - t0 };
}

/** Runs the cases of one group, interleaved; returns one result per case. */
export async function measureGroup(cases: Case[], opts: BenchOptions): Promise<Result[]> {
  for (const c of cases) if (c.round === undefined) await runFor(c, opts.warmupMs, 2);
  const rates: number[][] = cases.map(() => []);
  const opsSeen: number[] = cases.map(() => 0);
  for (let r = 0; r < opts.rounds; r++) {
    for (let i = 0; i < cases.length; i++) {
      const c = cases[i]!;
      if (c.round !== undefined) {
        const rate = c.round(opts.roundMs);
        rates[i]!.push(rate);
        opsSeen[i]! += (rate * opts.roundMs) / 1000;
        continue;
      }
      const { ops, elapsed } = await runFor(c, opts.roundMs);
      rates[i]!.push((ops * 1000) / elapsed);
      opsSeen[i]! += ops;
    }
  }
  return cases.map((c, i) => {
    const opsPerSec = rates[i]!;
    const med = median(opsPerSec);
    return {
      name: c.name,
      unitsPerSec: med * c.units,
      unitsMin: Math.min(...opsPerSec) * c.units,
      unitsMax: Math.max(...opsPerSec) * c.units,
      mbPerSec: (med * c.bytes) / 1e6,
      rounds: opts.rounds,
      opsPerRound: Math.round(opsSeen[i]! / opts.rounds),
      rates: opsPerSec.map((x) => x * c.units),
    };
  });
}

/**
 * How many times faster `a` is than `b`. For two cases of one group the
 * rounds were interleaved, so round i of each ran under the same machine
 * load: the median of the per-round ratios is steadier than the ratio of
 * the medians. Otherwise (different groups), the ratio of the medians.
 */
export function ratio(a: Result, b: Result): number {
  if (a.rates.length !== b.rates.length || a.rates.length === 0) return a.unitsPerSec / b.unitsPerSec;
  return median(a.rates.map((x, i) => x / b.rates[i]!));
}

/** Formats a rate: 1234567 → "1.23 M". */
export function fmtRate(x: number): string {
  if (x >= 1e9) return `${(x / 1e9).toFixed(2)} G`;
  if (x >= 1e6) return `${(x / 1e6).toFixed(2)} M`;
  if (x >= 1e3) return `${(x / 1e3).toFixed(1)} k`;
  return x.toFixed(0);
}

/** Formats an integer with thousands separators. */
export function fmtInt(x: number): string {
  return Math.round(x).toLocaleString("en-US");
}

/** Prints a table with aligned columns (first column left, others right). */
export function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(" | ")} |`;
  const sep = `|${widths.map((w, i) => (i === 0 ? "-".repeat(w + 2) : `${"-".repeat(w + 1)}:`)).join("|")}|`;
  return [line(head), sep, ...rows.map(line)].join("\n");
}
