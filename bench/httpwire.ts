/**
 * Loads httpwire's codecs from the sources (`src/<module>/index.ts`, run
 * through tsx) and checks that the entry points a suite needs are exported.
 * The modules are written in parallel with this suite, so a missing export
 * is reported ("not available yet") and the suite measures the peers alone.
 */

/** A module namespace, loosely typed: the suites check what they use. */
export type Mod = Record<string, unknown>;

const cache = new Map<string, Mod | undefined>();

/** Imports `src/<name>/index.ts`; `undefined` if it fails to load. */
export async function loadModule(name: "hpack" | "http2" | "qpack" | "http3" | "quic"): Promise<Mod | undefined> {
  if (cache.has(name)) return cache.get(name);
  let mod: Mod | undefined;
  try {
    mod = (await import(`../src/${name}/index.js`)) as Mod;
  } catch (e) {
    console.error(`httpwire/${name} failed to load: ${(e as Error).message}`);
    mod = undefined;
  }
  cache.set(name, mod);
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
