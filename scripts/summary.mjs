#!/usr/bin/env node
// Folds vitest JSON reports (and the typecheck result) into the one plain
// closing line CI reads: "N passed, N failed, N skipped".
// Usage: node scripts/summary.mjs report.json [report.json ...]
// Extra CI steps write their reports into .ci-reports/ (see .ci/run).
import { existsSync, readFileSync } from "node:fs";

let passed = 0;
let failed = 0;
let skipped = 0;
for (const file of process.argv.slice(2)) {
  if (!existsSync(file)) continue;
  const r = JSON.parse(readFileSync(file, "utf8"));
  // A step with its own counts (h2spec, another runtime's suite):
  // {"kind": "...", "passed": N, "failed": N, "skipped": N}.
  if (typeof r.kind === "string" && typeof r.passed === "number") {
    passed += r.passed;
    failed += r.failed ?? 0;
    skipped += r.skipped ?? 0;
    continue;
  }
  // Single checks (the typecheck, the package checks) count as one test each.
  if (typeof r.kind === "string") {
    if (r.ok) passed++;
    else failed++;
    continue;
  }
  passed += r.numPassedTests ?? 0;
  failed += r.numFailedTests ?? 0;
  skipped += (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  // A test file that fails to load has no tests, but is a failure all the same.
  for (const f of r.testResults ?? []) if (f.status === "failed" && (f.assertionResults ?? []).length === 0) failed++;
}
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
