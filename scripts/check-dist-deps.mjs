#!/usr/bin/env node
// Checks a built dist/ folder: the codec subpaths (quic, hpack, http2, qpack,
// http3, alt-svc) and every chunk they load, in ESM and in CommonJS, never
// reach @noble (neither an import of it nor code bundled from it: esbuild
// marks bundled code with its node_modules path). Used by
// test/dependencies.test.ts and scripts/check-consumer.mjs.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

export const CODEC_SUBPATHS = ["quic", "hpack", "http2", "qpack", "http3", "alt-svc"];

const LOCAL_IMPORT = /(?:from\s*|import\s*\(?\s*|require\(\s*)["'](\.{1,2}\/[^"']+)["']/g;

/** Every file an entry loads, itself included. */
export function closure(entry) {
  const seen = new Set();
  const todo = [resolve(entry)];
  while (todo.length > 0) {
    const file = todo.pop();
    if (seen.has(file)) continue;
    seen.add(file);
    const text = readFileSync(file, "utf8");
    for (const m of text.matchAll(LOCAL_IMPORT)) todo.push(resolve(dirname(file), m[1]));
  }
  return [...seen];
}

/** Problems found in `dist` (an empty list when all is well). */
export function distProblems(dist) {
  const problems = [];
  for (const sub of CODEC_SUBPATHS) {
    for (const ext of ["js", "cjs"]) {
      const entry = join(dist, sub, `index.${ext}`);
      if (!existsSync(entry)) {
        problems.push(`${entry} is missing`);
        continue;
      }
      for (const file of closure(entry))
        if (readFileSync(file, "utf8").includes("@noble")) problems.push(`${sub} (${ext}) loads ${file}, which reaches @noble`);
    }
  }
  // The decrypting subpaths must not require() the ESM-only noble packages in CommonJS.
  for (const sub of ["capture", "upgrade"]) {
    const entry = join(dist, sub, "index.cjs");
    if (!existsSync(entry)) continue;
    for (const file of closure(entry))
      if (/require\(\s*["']@noble\//.test(readFileSync(file, "utf8"))) problems.push(`${file} requires an ESM-only @noble package`);
  }
  return problems;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dist = process.argv[2] ?? join(dirname(new URL(import.meta.url).pathname), "..", "dist");
  const problems = distProblems(dist);
  for (const p of problems) console.error(p);
  if (problems.length > 0) process.exit(1);
  console.log(`dist ok: ${CODEC_SUBPATHS.join(", ")} never reach @noble; capture and upgrade bundle it for require()`);
}
