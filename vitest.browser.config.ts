/**
 * The codec suites again, in a real headless Chromium (Debian's package), to
 * prove the library needs no Node API. Test files that import `node:`
 * modules (the CLI, socket interop, corpus readers) cannot run there and are
 * left out; the list of what ran and what was left out is printed.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { playwright } from "@vitest/browser-playwright";
import { defineConfig } from "vitest/config";

const root = fileURLToPath(new URL(".", import.meta.url));
const src = (p: string) => fileURLToPath(new URL(`./src/${p}`, import.meta.url));

/** Folders of codec tests; test/cli and test/interop are Node-only by design. */
const CODEC_DIRS = ["shared", "quic", "hpack", "http2", "qpack", "http3", "capture", "alt-svc", "upgrade", "arbitraries"];

function walk(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const n of names) {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) out.push(...walk(p));
    else if (p.endsWith(".test.ts")) out.push(p);
  }
  return out;
}

// A file is Node-only if it imports node: modules (also dynamically), the
// corpus helper or test/capture/fixtures.ts (which reads files), or
// uses Node globals (Buffer, process); test/helpers/hex.ts is the portable
// replacement for Buffer's hex and Latin-1 conversions.
const NODE_IMPORT =
  /from\s+["'](?:node:[^"']+|[./]*helpers\/corpora(?:\.js)?|\.\/fixtures(?:\.js)?)["']|import\(\s*["']node:|\bBuffer\b|\bprocess\./;
const included: string[] = [];
const excluded: string[] = [];
const LOCAL_IMPORT = /from\s+["'](\.{1,2}\/[^"']+)\.js["']/g;
/** Whether a test file, or a local helper it imports (transitively), uses Node. */
const HELPER_NODE_IMPORT = /from\s+["']node:[^"']+["']|import\(\s*["']node:/;
function nodeOnly(file: string, seen = new Set<string>()): boolean {
  if (seen.has(file)) return false;
  seen.add(file);
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return false;
  }
  // The test file itself by every sign of Node; the helpers it imports by their node: imports.
  if ((seen.size === 1 ? NODE_IMPORT : HELPER_NODE_IMPORT).test(text)) return true;
  for (const m of text.matchAll(LOCAL_IMPORT)) {
    const target = join(dirname(file), `${m[1]}.ts`);
    if (target.startsWith(join(root, "test")) && nodeOnly(target, seen)) return true;
  }
  return false;
}
for (const d of CODEC_DIRS) {
  for (const f of walk(join(root, "test", d))) {
    (nodeOnly(f) ? excluded : included).push(relative(root, f));
  }
}
// Browser-only tests (the capture viewer): DOM, Web Workers, drag and drop.
for (const f of walk(join(root, "test", "browser"))) included.push(relative(root, f));
if (process.env.VITEST_BROWSER_LIST !== "0") {
  console.log(
    `browser suite: ${included.length} test files; left out (they use Node APIs): ${excluded.length ? excluded.join(", ") : "none"}`,
  );
}

export default defineConfig({
  resolve: {
    alias: [
      { find: /^httpwire$/, replacement: src("index.ts") },
      { find: /^httpwire\/(.*)$/, replacement: src("$1/index.ts") },
    ],
  },
  test: {
    include: included,
    testTimeout: 60_000,
    browser: {
      enabled: true,
      headless: true,
      provider: playwright({
        launchOptions: {
          executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
          args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage"],
        },
      }),
      instances: [{ browser: "chromium" }],
    },
  },
});
