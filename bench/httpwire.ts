/**
 * Loads httpwire's codecs from the sources (`src/<module>/index.ts`, run
 * through tsx) and checks that the entry points a suite needs are exported.
 * The modules are written in parallel with this suite, so a missing export
 * is reported ("not available yet") and the suite measures the peers alone.
 */

import { mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { REPO_ROOT } from "./corpus.js";

/** A module namespace, loosely typed: the suites check what they use. */
export type Mod = Record<string, unknown>;

type Name = "hpack" | "http2" | "qpack" | "http3" | "quic";

/**
 * How the module is loaded. `"source"`: `src/<name>/index.ts` through tsx.
 * `"bundle"`: the same sources bundled by esbuild into one ES module, as
 * tsup builds `dist/` (what users run). tsx turns every imported constant
 * into a getter call, which alone made HPACK decoding about 1.5x slower than
 * the bundle on this machine; the C anchors are compared with the bundle.
 */
export type ModuleForm = "source" | "bundle";

const cache = new Map<string, Mod | undefined>();
/** Which form each loaded module is in (a bundle that fails to build falls back to the source). */
export const loadedForm = new Map<Name, ModuleForm>();

async function importBundle(name: Name): Promise<Mod> {
  return importBundleOf(join(REPO_ROOT, "src"), name, "httpwire-bench-bundle", name);
}

/**
 * Bundles `<srcDir>/<name>/index.ts` with esbuild as tsup builds `dist/`
 * (one ES module) into `<tmp>/<dir>/<pid>/<file>.mjs` and imports it; also
 * used by bench/ab.ts for two copies of `src/`.
 */
export async function importBundleOf(srcDir: string, name: string, dir: string, file: string): Promise<Mod> {
  const esbuild = (await import("esbuild")) as {
    build(o: Record<string, unknown>): Promise<unknown>;
  };
  const outdir = join(tmpdir(), dir, String(process.pid));
  mkdirSync(outdir, { recursive: true });
  const outfile = join(outdir, `${file}.mjs`);
  await esbuild.build({
    entryPoints: [join(srcDir, name, "index.ts")],
    bundle: true,
    format: "esm",
    platform: "neutral",
    target: "es2022",
    outfile,
    logLevel: "silent",
  });
  return (await import(pathToFileURL(outfile).href)) as Mod;
}

/** Imports `src/<name>/index.ts` (or its bundle); `undefined` if it fails to load. */
export async function loadModule(name: Name, form: ModuleForm = "source"): Promise<Mod | undefined> {
  const key = `${name}:${form}`;
  if (cache.has(key)) return cache.get(key);
  let mod: Mod | undefined;
  if (form === "bundle") {
    try {
      mod = await importBundle(name);
      loadedForm.set(name, "bundle");
    } catch (e) {
      console.error(`httpwire/${name}: bundling failed (${(e as Error).message}); measuring the sources through tsx`);
    }
  }
  if (mod === undefined) {
    try {
      mod = (await import(`../src/${name}/index.js`)) as Mod;
      loadedForm.set(name, "source");
    } catch (e) {
      console.error(`httpwire/${name} failed to load: ${(e as Error).message}`);
      mod = undefined;
    }
  }
  cache.set(key, mod);
  return mod;
}

/** The named exports, or `undefined` (and a note of what is missing). */
export function pick<K extends string>(mod: Mod | undefined, names: readonly K[], missing: string[]): Record<K, unknown> | undefined {
  if (mod === undefined) {
    missing.push("module does not load");
    return undefined;
  }
  const out = {} as Record<K, unknown>;
  for (const n of names) {
    if (mod[n] === undefined) missing.push(n);
    out[n] = mod[n];
  }
  return missing.length === 0 ? out : undefined;
}
