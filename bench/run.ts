/**
 * httpwire benchmark suite: `npx tsx bench/run.ts [options]` (`npm run bench`).
 *
 *   --quick            short warm-up and fewer, shorter rounds (a smoke run)
 *   --only=a,b         run only these suites: hpack, qpack, http2, http2-write, http3, varint, memory, rss
 *   --check            compare this run's ratios with bench/baseline.json and
 *                      report any that fell by more than 15% (never fails: exit 0)
 *   --write-baseline   write this run's ratios to bench/baseline.json
 *   --markdown=FILE    also write the report as Markdown (for docs/performance.md)
 *   --wall             time with the wall clock instead of this process's CPU time
 *   --update-docs      replace the results block of docs/performance.md with this run's tables
 *
 * Each suite runs in a child process of its own (httpwire and the peers on
 * the same work, rounds interleaved, within it), so no suite is timed on a
 * heap and a collector that earlier suites left behind: the QPACK decode
 * rounds ran 15-20% slower after the HPACK suite in the same process than
 * alone. The memory probes need their own V8 flags and run in further
 * child processes.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { corporaDir, REPO_ROOT } from "./corpus.js";
import { clockName, FULL, QUICK, useWallClock } from "./harness.js";
import type { SuiteReport } from "./report.js";
import { hpackSuite } from "./suites/hpack.js";
import { http2FramesSuite } from "./suites/http2-frames.js";
import { http2WriteSuite } from "./suites/http2-write.js";
import { http3FramesSuite } from "./suites/http3-frames.js";
import { memorySuite } from "./suites/memory.js";
import { qpackSuite } from "./suites/qpack.js";
import { rssSuite } from "./suites/rss.js";
import { varintSuite } from "./suites/varint.js";

const SUITES: Record<string, (quick: boolean) => Promise<SuiteReport>> = {
  hpack: (q) => hpackSuite(q ? QUICK : FULL),
  qpack: (q) => qpackSuite(q ? QUICK : FULL),
  http2: (q) => http2FramesSuite(q ? QUICK : FULL),
  "http2-write": (q) => http2WriteSuite(q ? QUICK : FULL),
  http3: (q) => http3FramesSuite(q ? QUICK : FULL),
  varint: (q) => varintSuite(q ? QUICK : FULL),
  memory: () => memorySuite(),
  rss: (q) => rssSuite(q),
};

/** Tolerated drop of a ratio before `--check` reports it. */
const TOLERANCE = 0.15;
const BASELINE = join(REPO_ROOT, "bench", "baseline.json");

interface Baseline {
  written: string;
  machine: string;
  /** Which inputs the ratios were measured on: the shared corpora or the generated ones. */
  corpus?: "shared" | "generated";
  ratios: Record<string, number>;
}

/** Whether this run uses the shared corpora or the generated fallback. */
function corpusKind(): "shared" | "generated" {
  return corporaDir() !== undefined ? "shared" : "generated";
}

function machine(): string {
  const c = cpus();
  return `${c[0]?.model ?? "unknown CPU"}, ${c.length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${process.platform}/${process.arch}`;
}

/**
 * Runs suite `name` in a child process (this script with `--child=NAME`,
 * under the same Node flags, so under tsx too) and reads its report back.
 */
function runChild(name: string, quick: boolean, wall: boolean): SuiteReport {
  const dir = mkdtempSync(join(tmpdir(), "httpwire-bench-"));
  const out = join(dir, "report.json");
  try {
    const args = [...process.execArgv, process.argv[1]!, `--child=${name}`, `--out=${out}`];
    if (quick) args.push("--quick");
    if (wall) args.push("--wall");
    const r = spawnSync(process.execPath, args, { stdio: "inherit", env: process.env });
    if (!existsSync(out)) throw new Error(`suite ${name} ended without a report (exit ${r.status}, signal ${r.signal})`);
    return JSON.parse(readFileSync(out, "utf8")) as SuiteReport;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `--child=NAME --out=FILE`: one suite in this process, its report written to FILE. */
async function child(name: string, out: string, quick: boolean): Promise<number> {
  let r: SuiteReport;
  try {
    r = await SUITES[name]!(quick);
  } catch (e) {
    // A codec under construction must not take the other suites down with it.
    const msg = e instanceof Error ? (e.stack ?? e.message) : String(e);
    r = { title: `${name} (failed)`, text: `\`\`\`\n${msg}\n\`\`\``, ratios: {}, targets: [] };
    process.exitCode = 1;
  }
  writeFileSync(out, JSON.stringify(r));
  return 0;
}

async function main(argv: string[]): Promise<number> {
  const flags = new Set(argv.filter((a) => !a.includes("=")));
  const kv = new Map(argv.filter((a) => a.includes("=")).map((a) => a.split("=", 2) as [string, string]));
  for (const f of flags) {
    if (!["--quick", "--check", "--write-baseline", "--wall", "--update-docs"].includes(f)) {
      console.error(`unknown option ${JSON.stringify(f)}; see the comment at the top of bench/run.ts`);
      return 2;
    }
  }
  const quick = flags.has("--quick");
  useWallClock(flags.has("--wall"));
  const childName = kv.get("--child");
  if (childName !== undefined) return child(childName, kv.get("--out")!, quick);
  const only = kv.get("--only")?.split(",") ?? Object.keys(SUITES);
  for (const o of only) {
    if (!(o in SUITES)) {
      console.error(`unknown suite ${JSON.stringify(o)}; known: ${Object.keys(SUITES).join(", ")}`);
      return 2;
    }
  }
  const started = Date.now();
  const header = [
    `# httpwire benchmarks${quick ? " (--quick)" : ""}`,
    "",
    `Machine: ${machine()}. Run ${new Date().toISOString()}.`,
    `Rates are medians over interleaved rounds after a warm-up, timed with ${clockName()}; the spread is min..max over rounds; ratios (\`httpwire ×\`, \`× floor\`, targets, baseline) are the median over rounds of the per-round ratio, round i of each case having run back to back.`,
  ].join("\n");
  console.log(`${header}\n`);
  const reports: SuiteReport[] = [];
  for (const name of only) {
    let r: SuiteReport;
    try {
      r = runChild(name, quick, flags.has("--wall"));
      if (r.title.endsWith("(failed)")) process.exitCode = 1;
    } catch (e) {
      const msg = e instanceof Error ? (e.stack ?? e.message) : String(e);
      r = { title: `${name} (failed)`, text: `\`\`\`\n${msg}\n\`\`\``, ratios: {}, targets: [] };
      process.exitCode = 1;
    }
    reports.push(r);
    console.log(`## ${r.title}\n\n${r.text}\n`);
  }
  const ratios: Record<string, number> = {};
  for (const r of reports) Object.assign(ratios, r.ratios);

  const targets = reports.flatMap((r) => r.targets);
  const verdict = (ok: boolean | undefined) => (ok === undefined ? "NOT CHECKED" : ok ? "MET" : "MISSED");
  const targetText = targets.length
    ? ["## Targets", "", ...targets.map((t) => `- ${verdict(t.ok)}: ${t.name} (${t.detail})`)].join("\n")
    : "";
  if (targetText) console.log(`${targetText}\n`);

  let checkText = "";
  if (flags.has("--check")) {
    if (!existsSync(BASELINE)) checkText = "## Check\n\nNo bench/baseline.json yet: run with --write-baseline.";
    else {
      const base = JSON.parse(readFileSync(BASELINE, "utf8")) as Baseline;
      const lines: string[] = [];
      let regressions = 0;
      const sameCorpus = (base.corpus ?? "shared") === corpusKind();
      if (!sameCorpus)
        lines.push(
          `- not compared: the baseline was measured on the ${base.corpus ?? "shared"} corpora, this run on the ${corpusKind()} ones.`,
        );
      for (const [k, was] of Object.entries(sameCorpus ? base.ratios : {})) {
        const now = ratios[k];
        if (now === undefined) {
          if (only.some((o) => k.startsWith(o))) lines.push(`- missing: ${k} (baseline ${was.toFixed(2)}) was not measured this run`);
          continue;
        }
        const change = now / was - 1;
        if (change < -TOLERANCE) {
          regressions++;
          lines.push(`- REGRESSION: ${k} fell ${(-change * 100).toFixed(0)}%: ${was.toFixed(2)} -> ${now.toFixed(2)}`);
        }
      }
      if (sameCorpus)
        for (const k of Object.keys(ratios))
          if (!(k in base.ratios)) lines.push(`- new: ${k} = ${ratios[k]!.toFixed(2)} (not in the baseline)`);
      checkText = [
        "## Check against bench/baseline.json",
        "",
        `Baseline written ${base.written} on ${base.machine}. Ratios only (not times); tolerance ${TOLERANCE * 100}%.`,
        "",
        !sameCorpus
          ? "Not compared."
          : regressions === 0
            ? "No ratio fell by more than 15%."
            : `${regressions} ratio(s) fell by more than 15% (reported, not failing: the machines are noisy).`,
        ...lines,
      ].join("\n");
    }
    console.log(`${checkText}\n`);
  }
  if (flags.has("--write-baseline")) {
    let prev: Record<string, number> = {};
    if (existsSync(BASELINE)) {
      const old = JSON.parse(readFileSync(BASELINE, "utf8")) as Baseline;
      if ((old.corpus ?? "shared") === corpusKind()) prev = old.ratios;
    }
    // A partial run (--only) keeps the other suites' ratios.
    const merged = { ...prev, ...ratios };
    const sorted = Object.fromEntries(
      Object.keys(merged)
        .sort()
        .map((k) => [k, Number(merged[k]!.toFixed(3))]),
    );
    const b: Baseline = { written: new Date().toISOString(), machine: machine(), corpus: corpusKind(), ratios: sorted };
    writeFileSync(BASELINE, `${JSON.stringify(b, null, 2)}\n`);
    console.log(`Wrote ${Object.keys(sorted).length} ratios to bench/baseline.json.\n`);
  }
  if (flags.has("--update-docs")) {
    const docs = join(REPO_ROOT, "docs", "performance.md");
    const text = readFileSync(docs, "utf8");
    const begin = "<!-- RESULTS:BEGIN -->";
    const end = "<!-- RESULTS:END -->";
    const a = text.indexOf(begin);
    const b = text.indexOf(end);
    if (a < 0 || b < a) console.error("docs/performance.md has no results markers; not updated");
    else {
      const body = [
        `Run ${new Date().toISOString()}${quick ? " (--quick)" : ""} on ${machine()}; clock: ${clockName()}.`,
        ...reports.map((r) => `### ${r.title}\n\n${r.text}`),
        targetText.replace(/^## Targets/, "### Targets"),
      ]
        .filter(Boolean)
        .join("\n\n");
      writeFileSync(docs, `${text.slice(0, a + begin.length)}\n${body}\n${text.slice(b)}`);
      console.log("Updated the results in docs/performance.md.\n");
    }
  }
  const md = kv.get("--markdown");
  if (md) {
    const body = `${[header, ...reports.map((r) => `## ${r.title}\n\n${r.text}`), targetText].filter(Boolean).join("\n\n")}\n`;
    writeFileSync(md, body);
  }
  console.log(`Done in ${((Date.now() - started) / 1000).toFixed(0)} s.`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code !== 0 ? code : (process.exitCode ?? 0)),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
