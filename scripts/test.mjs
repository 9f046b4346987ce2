#!/usr/bin/env node
// `npm test`: typecheck, then the whole vitest suite. Vitest's JSON report is
// read back to print one plain closing line, "N passed, N failed, N skipped".
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";

const report = ".vitest-report.json";
const extra = process.argv.slice(2);

function run(cmd, args) {
  const r = spawnSync(cmd, args, { stdio: "inherit", shell: false });
  return r.status ?? 1;
}

const npx = process.platform === "win32" ? "npx.cmd" : "npx";
let failedSteps = 0;

console.log("== typecheck (tsc --noEmit)");
// The library (src/ minus the CLI) is checked with no Node types, which
// proves it uses no Node-only API; everything else with Node types.
const tsc = run(npx, ["tsc", "--noEmit", "-p", "tsconfig.json"]) || run(npx, ["tsc", "--noEmit", "-p", "tsconfig.test.json"]);
if (tsc !== 0) failedSteps++;

console.log("== vitest");
rmSync(report, { force: true });
const vt = run(npx, ["vitest", "run", "--reporter=default", "--reporter=json", `--outputFile.json=${report}`, ...extra]);

let passed = 0;
let failed = 0;
let skipped = 0;
if (existsSync(report)) {
  const r = JSON.parse(readFileSync(report, "utf8"));
  passed = r.numPassedTests ?? 0;
  failed = r.numFailedTests ?? 0;
  skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  // A file that fails to load has no tests but is a failure all the same.
  for (const f of r.testResults ?? []) if (f.status === "failed" && (f.assertionResults ?? []).length === 0) failed++;
} else if (vt !== 0) {
  failed++;
}
// The typecheck counts as one test of its own.
if (tsc === 0) passed++;
else failed++;

console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || vt !== 0 || failedSteps > 0 ? 1 : 0);
