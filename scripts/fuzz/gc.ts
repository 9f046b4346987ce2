/**
 * A full garbage collection for memory measurements: `globalThis.gc` when
 * Node runs with `--expose-gc`, else one exposed for this process at load
 * time (V8 flag set, then `gc` taken from a fresh context), so memory checks
 * measure what is kept, not garbage not yet collected.
 */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

/** Runs a full GC, or nothing when no collector could be exposed. */
export const gc: () => void = (() => {
  const g = (globalThis as { gc?: () => void }).gc;
  if (g !== undefined) return g;
  try {
    setFlagsFromString("--expose_gc");
    return runInNewContext("gc") as () => void;
  } catch {
    return () => undefined;
  }
})();
