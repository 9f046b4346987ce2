#!/usr/bin/env node
// `npm test`: the typecheck, then the whole vitest suite. Vitest's JSON report
// is folded into one plain closing line, "N passed, N failed, N skipped".
import { spawnSync } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";

const REPORT = ".vitest-report.json";
const TYPECHECK = ".typecheck-report.json";
const npx = process.platform === "win32" ? "npx.cmd" : "npx";

function run(args) {
  return spawnSync(npx, args, { stdio: "inherit" }).status ?? 1;
}

// The library (src/ minus the CLI) is checked with no Node types, which
// proves it uses no Node-only API; tests, scripts and the CLI with them.
console.log("== typecheck");
const tscOk = run(["tsc", "--noEmit", "-p", "tsconfig.json"]) === 0 && run(["tsc", "--noEmit", "-p", "tsconfig.test.json"]) === 0;
writeFileSync(TYPECHECK, JSON.stringify({ kind: "typecheck", ok: tscOk }));

console.log("== vitest");
rmSync(REPORT, { force: true });
const vitest = run(["vitest", "run", "--reporter=default", "--reporter=json", `--outputFile.json=${REPORT}`, ...process.argv.slice(2)]);

const summary = spawnSync(process.execPath, ["scripts/summary.mjs", TYPECHECK, REPORT], { encoding: "utf8" });
process.stdout.write(summary.stdout);
process.exit(tscOk && vitest === 0 ? 0 : 1);
