/**
 * `npm run fuzz`: the long fuzz campaign (issue 8). For each decoder it runs
 * a million cases (by default) of random bytes and mutations (bit flips,
 * truncation, splicing, repetition, length-field edits) of valid encodings,
 * the interop corpora and the project's captures, and checks that only
 * HttpwireError escapes, that decode → encode → decode is stable, that time
 * per byte stays within a fixed multiple of the median, and that memory
 * stays under a limit. Not part of CI: it takes minutes.
 *
 *   npm run fuzz -- [--target hpack|qpack|http2|http3|varint|capture|all]
 *                   [--cases N] [--seconds S] [--seed N] [--slow-factor K]
 *                   [--max-memory-mib M] [--report file.json] [--verbose]
 *                   [--probes] [--probes-only] [--probe NAME] [--probe-budget-ms MS]
 *
 * Probes (scripts/fuzz/probes.ts: linearity with 1-byte chunks at n and 8n,
 * memory on long floods and huge peer settings, whole-against-chunked
 * comparisons of known cases) run with every target (`all`), with --probes,
 * or alone with --probes-only. The random campaign also compares each
 * stateful decoder's outcome on the whole input and on random chunks.
 *
 * Memory baselines are exact: a full GC is exposed for the process (scripts/fuzz/gc.ts).
 */
import { writeFileSync } from "node:fs";
import { runProbes } from "./fuzz/probes.js";
import type { TargetResult } from "./fuzz/runner.js";
import { runTarget } from "./fuzz/runner.js";
import { GROUPS, loadTargets } from "./fuzz/targets.js";

interface Cli {
  targets: string[];
  cases: number;
  seconds: number;
  seed: number;
  slowFactor: number;
  maxMemoryMiB: number;
  report: string | undefined;
  verbose: boolean;
  probes: boolean;
  probesOnly: boolean;
  probeNames: string[] | undefined;
  probeBudgetMs: number;
}

function parse(argv: string[]): Cli {
  const cli: Cli = {
    targets: ["all"],
    cases: 1_000_000,
    seconds: Infinity,
    seed: 0x5eed,
    slowFactor: 50,
    maxMemoryMiB: 256,
    report: undefined,
    verbose: false,
    probes: false,
    probesOnly: false,
    probeNames: undefined,
    probeBudgetMs: 10_000,
  };
  let casesGiven = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const next = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    const num = (v: string): number => {
      const n = Number(v);
      if (!Number.isFinite(n) || n <= 0) throw new Error(`${a}: "${v}" is not a positive number`);
      return n;
    };
    if (a === "--target") cli.targets = next().split(",");
    else if (a === "--cases") {
      cli.cases = Math.floor(num(next()));
      casesGiven = true;
    } else if (a === "--seconds") cli.seconds = num(next());
    else if (a === "--seed") cli.seed = Math.floor(Number(next())) >>> 0;
    else if (a === "--slow-factor") cli.slowFactor = num(next());
    else if (a === "--max-memory-mib") cli.maxMemoryMiB = num(next());
    else if (a === "--report") cli.report = next();
    else if (a === "--verbose") cli.verbose = true;
    else if (a === "--probes") cli.probes = true;
    else if (a === "--probes-only") {
      cli.probes = true;
      cli.probesOnly = true;
    } else if (a === "--probe") {
      cli.probes = true;
      cli.probeNames = [...(cli.probeNames ?? []), next()];
    } else if (a === "--probe-budget-ms") cli.probeBudgetMs = num(next());
    else if (a === "--help" || a === "-h") {
      console.log(
        "usage: npm run fuzz -- [--target " +
          Object.keys(GROUPS).join("|") +
          "|all] [--cases N] [--seconds S] [--seed N] [--slow-factor K] [--max-memory-mib M] [--report file] [--verbose] [--probes] [--probes-only] [--probe NAME] [--probe-budget-ms MS]",
      );
      process.exit(0);
    } else throw new Error(`Unknown option "${a}"`);
  }
  // --seconds alone bounds the run by time only.
  if (cli.seconds !== Infinity && !casesGiven) cli.cases = Number.MAX_SAFE_INTEGER;
  for (const t of cli.targets) if (t !== "all" && GROUPS[t] === undefined) throw new Error(`Unknown target "${t}"`);
  if (cli.targets.includes("all")) cli.targets = Object.keys(GROUPS);
  return cli;
}

function pad(s: string | number, n: number, left = false): string {
  const t = String(s);
  return left ? t.padStart(n) : t.padEnd(n);
}

async function main(): Promise<number> {
  let cli: Cli;
  try {
    cli = parse(process.argv.slice(2));
  } catch (e) {
    console.error(e instanceof Error ? e.message : String(e));
    return 2;
  }
  console.log(
    `httpwire fuzz campaign: seed ${cli.seed}, ${cli.cases === Number.MAX_SAFE_INTEGER ? "∞" : cli.cases} cases per target, ${cli.seconds === Infinity ? "no" : `${cli.seconds} s`} time limit, slow factor ${cli.slowFactor}x`,
  );
  const targets = cli.probesOnly ? [] : await loadTargets(cli.targets);
  const results: TargetResult[] = [];
  const skipped: string[] = [];
  for (const t of targets) {
    if (typeof t === "string") {
      skipped.push(t);
      console.log(`SKIPPED: ${t}`);
      continue;
    }
    console.log(`== ${t.name}: ${t.seeds.length} seeds`);
    const r = runTarget(t, {
      cases: cli.cases,
      seconds: cli.seconds,
      seed: cli.seed,
      slowFactor: cli.slowFactor,
      maxMemoryMiB: cli.maxMemoryMiB,
      verbose: cli.verbose,
    });
    results.push(r);
    const top = [...r.reasons.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 5)
      .map(([k, v]) => `${k} ${v}`)
      .join(", ");
    console.log(`   ${r.cases} cases in ${r.seconds.toFixed(1)} s; accepted ${r.accepted}, rejected ${r.rejected}; top reasons: ${top}`);
    for (const [k, v] of t.notes ?? []) console.log(`   ${k}: ${v}`);
    if (t.memoryNotOurs !== undefined)
      console.log(`   memory growth not counted as a finding: ${t.memoryNotOurs} (peak ${r.peakMemoryMiB.toFixed(0)} MiB)`);
    for (const f of r.findings)
      console.log(
        `   FINDING ${f.kind}: ${f.message}\n     input (${f.length} bytes): ${f.hex.slice(0, 400)}${f.hex.length > 400 ? "…" : ""}`,
      );
  }
  console.log("");
  console.log(
    [
      pad("target", 22),
      pad("cases", 10, true),
      pad("s", 7, true),
      pad("accepted", 9, true),
      pad("rejected", 9, true),
      pad("MB in", 7, true),
      pad("max in", 7, true),
      pad("ns/B med", 9, true),
      pad("worst x", 8, true),
      pad("slow", 6, true),
      pad("mem MiB", 8, true),
      pad("fail", 5, true),
    ].join(" "),
  );
  let failures = 0;
  for (const r of results) {
    const fails = r.findings.length;
    failures += fails;
    console.log(
      [
        pad(r.name, 22),
        pad(r.cases, 10, true),
        pad(r.seconds.toFixed(1), 7, true),
        pad(r.accepted, 9, true),
        pad(r.rejected, 9, true),
        pad((r.bytes / 1e6).toFixed(1), 7, true),
        pad(r.maxInput, 7, true),
        pad(r.medianNsPerByte.toFixed(1), 9, true),
        pad(r.worstRatio.toFixed(1), 8, true),
        pad(`${r.slowConfirmed}/${r.slowFlagged}`, 6, true),
        pad(r.peakMemoryMiB.toFixed(0), 8, true),
        pad(fails, 5, true),
      ].join(" "),
    );
  }
  // Probes: linearity (1-byte chunks at n and 8n), memory (floods, huge peer settings), whole against chunked.
  const runAll = cli.targets.length === Object.keys(GROUPS).length && !cli.probesOnly;
  const probes = runAll || cli.probes ? await runProbes({ only: cli.probeNames, budgetMs: cli.probeBudgetMs, verbose: cli.verbose }) : [];
  if (probes.length > 0) {
    console.log("\nprobes (linearity: ratio ~8 linear, ~64 quadratic, flagged above 20; memory: growth per unit; chunking: whole = cut):");
    for (const p of probes) {
      console.log(`  ${p.finding ? "FINDING" : "ok     "} ${pad(p.kind, 9)} ${p.name}: ${p.detail}`);
      if (p.finding) failures++;
    }
  }
  console.log(`\n${results.length} targets run, ${skipped.length} skipped, ${failures} findings`);
  if (cli.report !== undefined) {
    writeFileSync(
      cli.report,
      JSON.stringify(
        {
          seed: cli.seed,
          date: new Date().toISOString(),
          skipped,
          probes,
          results: results.map((r) => ({
            ...r,
            reasons: Object.fromEntries(r.reasons),
            notes: Object.fromEntries(
              targets.find((t) => typeof t !== "string" && t.name === r.name && t.notes !== undefined) === undefined
                ? []
                : (targets.find((t) => typeof t !== "string" && t.name === r.name) as { notes: Map<string, number> }).notes,
            ),
          })),
        },
        null,
        2,
      ),
    );
  }
  return failures === 0 ? 0 : 1;
}

process.exitCode = await main();
