/**
 * Guards the module map of docs/architecture.md: imports point one way, and
 * only the CLI touches Node-only APIs.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, test } from "vitest";
import { REPO_ROOT } from "./helpers/corpora.js";

const SRC = join(REPO_ROOT, "src");

/** Which top-level folders of src/ each folder may import. */
const ALLOWED: Record<string, readonly string[]> = {
  shared: ["shared"],
  quic: ["shared", "quic"],
  hpack: ["shared", "hpack"],
  http2: ["shared", "hpack", "http2"],
  qpack: ["shared", "qpack"],
  http3: ["shared", "quic", "http3"],
  // capture follows HTTP/1.1 upgrades to h2c with upgrade's acceptH2cUpgrade (HTTP2-Settings), and decodes QUIC and
  // HTTP/3 (issue 14): packets, frames and transport parameters from quic, HTTP/3 and QPACK.
  capture: ["shared", "quic", "hpack", "http2", "qpack", "http3", "upgrade", "capture"],
  "alt-svc": ["shared", "alt-svc"],
  upgrade: ["shared", "hpack", "http2", "quic", "http3", "alt-svc", "upgrade"],
  arbitraries: ["shared", "quic", "hpack", "http2", "qpack", "http3", "arbitraries"],
  // The root entry point re-exports the error classes of every module.
  ".": ["shared", "quic", "hpack", "http2", "qpack", "http3", "capture", "alt-svc", "upgrade"],
};

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...sourceFiles(p));
    else if (p.endsWith(".ts")) out.push(p);
  }
  return out;
}

const IMPORT_RE = /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g;

function importsOf(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const out: string[] = [];
  for (const m of text.matchAll(IMPORT_RE)) out.push((m[1] ?? m[2])!);
  return out;
}

function topFolder(file: string): string {
  const rel = relative(SRC, file);
  const first = rel.split(/[\\/]/)[0]!;
  return rel.includes("/") || rel.includes("\\") ? first : ".";
}

describe("architecture", () => {
  const files = sourceFiles(SRC).filter((f) => topFolder(f) !== "cli");

  test("finds the library sources", () => {
    expect(files.length).toBeGreaterThan(10);
  });

  test("no Node-only API outside src/cli", () => {
    const offenders: string[] = [];
    for (const f of files) {
      const text = readFileSync(f, "utf8");
      for (const spec of importsOf(f))
        if (spec.startsWith("node:") || ["fs", "path", "buffer", "net", "http2"].includes(spec))
          offenders.push(`${relative(REPO_ROOT, f)} imports ${spec}`);
      if (/\bBuffer\.(?:from|alloc|concat|isBuffer)\b/.test(text)) offenders.push(`${relative(REPO_ROOT, f)} uses Buffer`);
      if (/\bprocess\.(?:env|argv|stdout|stderr|exit)\b/.test(text)) offenders.push(`${relative(REPO_ROOT, f)} uses process`);
    }
    expect(offenders).toEqual([]);
  });

  test("imports follow the module map", () => {
    const offenders: string[] = [];
    for (const f of files) {
      const from = topFolder(f);
      const allowed = ALLOWED[from];
      if (allowed === undefined) {
        offenders.push(`${relative(REPO_ROOT, f)}: folder "${from}" is not in the module map`);
        continue;
      }
      for (const spec of importsOf(f)) {
        if (!spec.startsWith(".")) {
          // fast-check is an optional peer dependency of the arbitraries only.
          if (from === "arbitraries" && spec === "fast-check") continue;
          // The noble packages are the runtime dependencies of the decrypting modules only (docs/capture.md, "Decryption").
          if ((from === "capture" || from === "upgrade") && /^@noble\/(?:ciphers|hashes)\/[a-z0-9]+\.js$/.test(spec)) continue;
          offenders.push(`${relative(REPO_ROOT, f)} imports package "${spec}"`);
          continue;
        }
        const target = topFolder(resolve(dirname(f), spec));
        if (!allowed.includes(target)) offenders.push(`${relative(REPO_ROOT, f)} (${from}) imports ${spec} (${target})`);
      }
    }
    expect(offenders).toEqual([]);
  });
});
