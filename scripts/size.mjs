#!/usr/bin/env node
// The size budget of each subpath: what a bundler adds to an application that
// imports everything the subpath exports, minified and gzipped, measured on
// the published ESM files (dist/, built by tsup), and what the subpath pulls
// in: each subpath's bundle, built from src/, may only contain the modules its
// budget names (so `httpwire/quic` alone never pulls HPACK, QPACK or capture).
//
// usage: node scripts/size.mjs [--json FILE] [--markdown]
// Exit status 1 when a budget or a composition rule is broken.
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

const root = resolve(new URL("..", import.meta.url).pathname);

// Budgets in bytes, minified + gzipped, with about 20% headroom over the size
// measured when the budget was set (docs/performance.md, "Size"). `may` lists
// the src/ folders the subpath's bundle may contain besides its own and shared.
const BUDGETS = [
  { subpath: ".", entry: "index", limit: 2_000, may: ["quic", "hpack", "http2", "qpack", "http3", "capture", "alt-svc", "upgrade"] },
  { subpath: "./quic", entry: "quic/index", limit: 17_000, may: [] },
  { subpath: "./hpack", entry: "hpack/index", limit: 11_500, may: [] },
  { subpath: "./http2", entry: "http2/index", limit: 34_000, may: ["hpack"] },
  { subpath: "./qpack", entry: "qpack/index", limit: 15_500, may: [] },
  { subpath: "./http3", entry: "http3/index", limit: 10_500, may: ["quic"] },
  { subpath: "./alt-svc", entry: "alt-svc/index", limit: 5_700, may: [] },
  { subpath: "./upgrade", entry: "upgrade/index", limit: 15_500, may: ["alt-svc", "hpack", "http2", "http3", "quic"] },
  { subpath: "./capture", entry: "capture/index", limit: 92_000, may: ["alt-svc", "hpack", "http2", "qpack", "http3", "quic", "upgrade"] },
  { subpath: "./arbitraries", entry: "arbitraries/index", limit: 23_000, may: ["hpack", "http2", "qpack", "http3", "quic"] },
];

const args = process.argv.slice(2);
const jsonOut = args.includes("--json") ? args[args.indexOf("--json") + 1] : undefined;
const markdown = args.includes("--markdown");

if (!existsSync(join(root, "dist/index.js"))) {
  console.error("dist/ is missing: run `npm run build` first");
  process.exit(1);
}

async function bundle(entryPoint, metafile) {
  const r = await build({
    entryPoints: [entryPoint],
    bundle: true,
    minify: true,
    format: "esm",
    platform: "neutral",
    target: "es2022",
    write: false,
    metafile,
    logLevel: "silent",
    // fast-check is a peer dependency of httpwire/arbitraries: the application's, not ours.
    external: ["fast-check"],
  });
  return r;
}

let failed = 0;
const rows = [];
for (const b of BUDGETS) {
  // What the application pays: every export of the published file, bundled.
  const shim = join(root, "node_modules/.cache/httpwire-size", `${b.entry.replace("/", "-")}.mjs`);
  mkdirSync(dirname(shim), { recursive: true });
  writeFileSync(shim, `export * from ${JSON.stringify(join(root, "dist", `${b.entry}.js`))};\n`);
  const published = await bundle(shim, false);
  const code = published.outputFiles[0].contents;
  const min = code.length;
  const gz = gzipSync(code, { level: 9 }).length;

  // What it contains: the same subpath bundled from src/, by source folder.
  const own = b.entry.split("/")[0] === "index" ? "" : b.entry.split("/")[0];
  const fromSrc = await bundle(join(root, "src", `${b.entry}.ts`), true);
  const folders = new Set();
  for (const input of Object.keys(fromSrc.metafile.inputs)) {
    const m = /(?:^|\/)src\/([^/]+)\//.exec(input);
    if (m) folders.add(m[1]);
    else if (/node_modules\/@noble\//.test(input)) folders.add("@noble");
  }
  const allowed = new Set(["shared", own, ...b.may, ...(own === "capture" || own === "upgrade" ? ["@noble"] : [])]);
  const extra = [...folders].filter((f) => !allowed.has(f));
  const ok = gz <= b.limit && extra.length === 0;
  if (!ok) failed++;
  rows.push({ subpath: b.subpath, minified: min, gzipped: gz, limit: b.limit, contains: [...folders].sort(), extra, ok });
}

if (markdown) {
  console.log("| subpath | minified | min + gzip | budget | contains |");
  console.log("|---|---:|---:|---:|---|");
  for (const r of rows) {
    console.log(
      `| \`httpwire${r.subpath === "." ? "" : r.subpath.slice(1)}\` | ${r.minified.toLocaleString("en")} B | ${r.gzipped.toLocaleString("en")} B | ${r.limit.toLocaleString("en")} B | ${r.contains.join(", ")} |`,
    );
  }
} else {
  for (const r of rows) {
    const name = `httpwire${r.subpath === "." ? "" : r.subpath.slice(1)}`.padEnd(22);
    const note = r.extra.length ? `  pulls in ${r.extra.join(", ")}, which its budget does not allow` : "";
    console.log(
      `${r.ok ? "ok  " : "FAIL"} ${name} ${String(r.gzipped).padStart(7)} B gz (budget ${r.limit})  [${r.contains.join(", ")}]${note}`,
    );
  }
}
if (jsonOut) writeFileSync(jsonOut, JSON.stringify({ kind: "size", passed: rows.length - failed, failed, skipped: 0, rows }, null, 2));
process.exit(failed ? 1 : 0);
