/**
 * The codec modules have no runtime dependencies: their sources import
 * nothing outside the repository, and their built files (ESM and CommonJS,
 * with every chunk they load) never reach @noble, which only
 * httpwire/capture and httpwire/upgrade use. The CommonJS build bundles the
 * ESM-only noble packages instead of require()-ing them.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { build, type Options } from "tsup";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
// @ts-expect-error: a plain .mjs script without types
import { CODEC_SUBPATHS, closure, distProblems } from "../scripts/check-dist-deps.mjs";
import config from "../tsup.config.js";
import { REPO_ROOT } from "./helpers/corpora.js";

const SRC = join(REPO_ROOT, "src");
const NO_DEPENDENCIES = ["quic", "hpack", "http2", "qpack", "http3", "shared", "alt-svc"];
const IMPORT_RE =
  /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)|require\(\s*["']([^"']+)["']\s*\)/g;

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...sourceFiles(p));
    else if (p.endsWith(".ts")) out.push(p);
  }
  return out;
}

describe("the codec modules have no runtime dependencies", () => {
  test.each(NO_DEPENDENCIES)("src/%s imports only files of the repository", (mod) => {
    const offenders: string[] = [];
    for (const f of sourceFiles(join(SRC, mod))) {
      for (const m of readFileSync(f, "utf8").matchAll(IMPORT_RE)) {
        const spec = (m[1] ?? m[2] ?? m[3])!;
        if (!spec.startsWith(".") || !resolve(dirname(f), spec).startsWith(SRC))
          offenders.push(`${relative(REPO_ROOT, f)} imports ${spec}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  test("the subpaths checked in the build are the codec modules", () => {
    expect(CODEC_SUBPATHS).toEqual(NO_DEPENDENCIES.filter((m) => m !== "shared"));
  });
});

describe("the built package (tsup with this repository's config, without declarations)", () => {
  let out = "";
  beforeAll(async () => {
    out = mkdtempSync(join(tmpdir(), "httpwire-build-"));
    const libraries = (config as Options[]).filter((o) => o.platform === "neutral");
    expect(libraries.map((o) => o.format)).toEqual([["esm"], ["cjs"]]);
    for (const o of libraries) await build({ ...o, dts: false, clean: false, outDir: out, silent: true, config: false });
  }, 120_000);
  afterAll(() => {
    if (out !== "") rmSync(out, { recursive: true, force: true });
  });

  test("codec subpaths never reach @noble; capture and upgrade do not require() it in CommonJS", () => {
    expect(distProblems(out)).toEqual([]);
  });

  test("the decrypting subpaths do use it (the check above can fail)", () => {
    expect(readFileSync(join(out, "capture", "index.js"), "utf8")).toContain("@noble/ciphers");
    const bundled = closure(join(out, "capture", "index.cjs")).map((f: string) => readFileSync(f, "utf8"));
    expect(bundled.some((t: string) => t.includes("node_modules/@noble/ciphers"))).toBe(true);
  });
});

describe("the tsup builds, which run at once", () => {
  test("no two of them write files of the same name into one folder", () => {
    // Chunk names are content hashes, and the same source can hash to the same
    // name in two builds with different text (the ESM library's and the CLI's
    // chunk of src/shared/bytes.ts did): sharing a folder, one build wrote over
    // the other's file while it was being written, and CI's package check found
    // a truncated dist/chunk-*.js. So builds of one output kind need folders of
    // their own (the CommonJS build writes .cjs beside the ESM .js).
    const builds = (config as Options[]).map((o) => ({ dir: o.outDir ?? "dist", formats: [o.format ?? "cjs"].flat() }));
    expect(builds).toEqual([
      { dir: "dist", formats: ["esm"] },
      { dir: "dist", formats: ["cjs"] },
      { dir: "dist/cli", formats: ["esm"] },
    ]);
    for (let i = 0; i < builds.length; i++) {
      for (let j = i + 1; j < builds.length; j++) {
        const a = builds[i]!;
        const b = builds[j]!;
        if (a.dir === b.dir) expect(a.formats.filter((f) => b.formats.includes(f))).toEqual([]);
      }
    }
  });
});
