#!/usr/bin/env node
// Builds the capture viewer (viewer/) into viewer/dist/: a static page, its
// script and its decoding worker, bundled from the library's sources by
// esbuild. Serve the folder with any static server, or open it from disk in a
// browser that allows module workers from file: URLs.
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { build } from "esbuild";

const root = resolve(new URL("..", import.meta.url).pathname);
const out = join(root, "viewer", "dist");
mkdirSync(out, { recursive: true });
await build({
  entryPoints: { main: join(root, "viewer/main.ts"), worker: join(root, "viewer/worker.ts") },
  outdir: out,
  bundle: true,
  minify: true,
  format: "esm",
  platform: "browser",
  target: "es2022",
  logLevel: "warning",
});
writeFileSync(join(out, "index.html"), readFileSync(join(root, "viewer/index.html"), "utf8").replace('src="./main.ts"', 'src="./main.js"'));
copyFileSync(join(root, "viewer/viewer.css"), join(out, "viewer.css"));
console.log(`viewer built: ${out}`);
