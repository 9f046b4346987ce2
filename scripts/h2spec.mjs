#!/usr/bin/env -S npx tsx
// h2spec, the HTTP/2 conformance suite (146 cases), against the example server (examples/h2-server.ts) over h2c and
// over TLS with ALPN h2. Builds h2spec with ../shared/tools/h2spec/build.sh when it is missing, makes a throwaway
// certificate with openssl, starts the server on a port of the kernel's choosing, runs `h2spec -j report.xml`, kills
// the server, counts every case of the JUnit report and writes .ci-reports/h2spec.json =
// {"kind":"h2spec","passed":N,"failed":N,"skipped":N}; prints each failing case. Exits 1 when a case failed.
//
// Usage: npx tsx scripts/h2spec.mjs [--peer example|nghttpd] [--modes h2c,tls] [--report FILE] [--timeout SECONDS]
//   --peer nghttpd runs the same suite against nghttp2's server (it passes 145 of 146 here), to check this script.
//   The report is written for the example server by default, and for nghttpd only when --report is given.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { parseH2specJUnit } from "./h2spec-report.ts";
import { makeCertificate, ROOT, run, startExampleServer, startNghttpd, which } from "./peers.ts";

/** h2spec 2.6.0 has this many cases; a run that reports fewer (a crash, a hang) counts the missing ones as failed. */
const H2SPEC_CASES = 146;

const { values } = parseArgs({
  options: {
    peer: { type: "string", default: "example" },
    modes: { type: "string", default: "h2c,tls" },
    report: { type: "string" },
    timeout: { type: "string", default: "2" },
  },
});
const peer = values.peer;
if (peer !== "example" && peer !== "nghttpd") throw new Error(`--peer must be example or nghttpd, not ${peer}`);
const modes = values.modes.split(",").filter((m) => m !== "");
for (const m of modes) if (m !== "h2c" && m !== "tls") throw new Error(`--modes takes h2c and tls, not ${m}`);
const reportFile = values.report ?? (peer === "example" ? join(ROOT, ".ci-reports", "h2spec.json") : undefined);

/** Makes sure h2spec exists: $H2SPEC, /tmp/h2spec/h2spec, or built there from ../shared/tools/h2spec. */
async function ensureH2spec() {
  const bin = process.env.H2SPEC ?? "/tmp/h2spec/h2spec";
  if (existsSync(bin)) return bin;
  const build = resolve(ROOT, "..", "shared", "tools", "h2spec", "build.sh");
  if (!existsSync(build)) return undefined;
  console.log(`h2spec: building ${bin} with ${build}`);
  const r = await run("sh", [build, bin], { allowFailure: true, timeoutMs: 15 * 60_000 });
  if (r.code !== 0 || !existsSync(bin)) {
    console.log(`h2spec: the build failed\n${r.stdout.slice(-1500)}${r.stderr.slice(-1500)}`);
    return undefined;
  }
  return bin;
}

async function runMode(h2spec, mode, cert, work) {
  const tls = mode === "tls" ? { cert: cert.cert, key: cert.key } : undefined;
  let server;
  if (peer === "example") server = await startExampleServer(tls);
  else {
    const htdocs = join(work, "htdocs");
    mkdirSync(htdocs, { recursive: true });
    writeFileSync(join(htdocs, "index.html"), "hello from nghttpd\n");
    server = await startNghttpd({ htdocs, tls });
  }
  const xmlFile = join(work, `${mode}.xml`);
  try {
    const args = ["-h", "127.0.0.1", "-p", String(server.port), "-o", values.timeout, "-j", xmlFile];
    if (tls !== undefined) args.push("-t", "-k");
    // h2spec exits 1 when a case fails; the JUnit report says which.
    const r = await run(h2spec, args, { allowFailure: true, timeoutMs: 10 * 60_000 });
    const tail = r.stdout.trim().split("\n").at(-1) ?? "";
    console.log(`h2spec ${peer} ${mode}: ${tail}`);
  } finally {
    await server.stop();
  }
  const cases = existsSync(xmlFile) ? parseH2specJUnit(readFileSync(xmlFile, "utf8")) : [];
  return cases;
}

const counts = { passed: 0, failed: 0, skipped: 0 };
const h2spec = await ensureH2spec();
if (h2spec === undefined) {
  // Visible, and counted: every case of every mode is skipped.
  console.log("h2spec SKIPPED: h2spec is not built and cannot be built here (see ../shared/tools/h2spec/README.md)");
  counts.skipped = H2SPEC_CASES * modes.length;
} else if (modes.includes("tls") && which("openssl") === undefined) {
  throw new Error("openssl is needed for the TLS run's certificate");
} else {
  const work = mkdtempSync(join(tmpdir(), "httpwire-h2spec-"));
  const cert = modes.includes("tls") ? await makeCertificate() : undefined;
  try {
    for (const mode of modes) {
      const cases = await runMode(h2spec, mode, cert, work);
      const failedHere = cases.filter((c) => c.status === "failed");
      for (const c of failedHere) console.log(`  FAILED [${mode}] ${c.id}: ${c.name}\n      ${c.message.replace(/\n/g, "\n      ")}`);
      const missing = Math.max(0, H2SPEC_CASES - cases.length);
      if (missing > 0) console.log(`  FAILED [${mode}] ${missing} cases missing from the report (counted as failed)`);
      counts.passed += cases.filter((c) => c.status === "passed").length;
      counts.skipped += cases.filter((c) => c.status === "skipped").length;
      counts.failed += failedHere.length + missing;
    }
  } finally {
    cert?.remove();
    rmSync(work, { recursive: true, force: true });
  }
}

console.log(`h2spec ${peer} (${modes.join(", ")}): ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
if (reportFile !== undefined) {
  mkdirSync(dirname(reportFile), { recursive: true });
  writeFileSync(reportFile, `${JSON.stringify({ kind: "h2spec", ...counts })}\n`);
}
process.exit(counts.failed > 0 ? 1 : 0);
