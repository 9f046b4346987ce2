/**
 * Memory: bytes allocated per decoded field (HPACK: httpwire and the peers
 * on the nghttp2 wire; QPACK: httpwire on nghttp3's wire), each measured in
 * its own child process with `bench/memory-probe.ts` (method described
 * there: a large young generation, `gc()`, heap growth over a pass without
 * any collection).
 */
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { REPO_ROOT } from "../corpus.js";
import { fmtInt, table } from "../harness.js";
import type { SuiteReport } from "../report.js";

interface ProbeResult {
  probe: string;
  bytesPerField?: number;
  fields?: number;
  samplesKept?: number;
  error?: string;
}

/** Runs one probe in a child Node with the flags the method needs. */
export function runProbe(probe: string): ProbeResult {
  try {
    const out = execFileSync(
      process.execPath,
      [
        "--expose-gc",
        "--min-semi-space-size=64",
        "--max-semi-space-size=64",
        "--import",
        "tsx",
        join(REPO_ROOT, "bench", "memory-probe.ts"),
        probe,
      ],
      { cwd: REPO_ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 120_000 },
    );
    const line = out.trim().split("\n").pop() ?? "{}";
    return JSON.parse(line) as ProbeResult;
  } catch (e) {
    return { probe, error: (e as Error).message.split("\n")[0] };
  }
}

export async function memorySuite(): Promise<SuiteReport> {
  const probes = ["hpack:httpwire", "hpack:hpack.js", "hpack:hpack", "hpack:node-http2", "qpack:httpwire"];
  const res = probes.map(runProbe);
  const hw = res[0]!;
  const ratios: Record<string, number> = {};
  const rows = res.map((r) => {
    const [kind, who] = r.probe.split(":") as [string, string];
    if (r.bytesPerField === undefined || Number.isNaN(r.bytesPerField))
      return [`${kind.toUpperCase()} decode: ${who}`, "n/a", r.error ?? "no clean sample", "", ""];
    if (kind === "hpack" && who !== "httpwire" && hw.bytesPerField !== undefined && !Number.isNaN(hw.bytesPerField))
      ratios[`memory.hpack.decode.vs.${who}`] = r.bytesPerField / hw.bytesPerField;
    const x =
      kind === "hpack" && hw.bytesPerField !== undefined && !Number.isNaN(hw.bytesPerField)
        ? (r.bytesPerField / hw.bytesPerField).toFixed(2)
        : "";
    return [`${kind.toUpperCase()} decode: ${who}`, r.bytesPerField.toFixed(0), fmtInt(r.fields ?? 0), `${r.samplesKept}/7`, x];
  });
  const text = [
    "Bytes allocated per decoded field, all allocations counted (the returned field objects and their strings included, whether kept or not). One child process per row; see bench/memory-probe.ts for the method.",
    "",
    table(["decoder", "bytes/field", "fields per pass", "clean samples", "× httpwire (their bytes / ours)"], rows),
  ].join("\n");
  return { title: "Memory", text, ratios, targets: [] };
}
