/**
 * Where the interop corpora are: `$HTTPWIRE_CORPORA`, else `../shared/corpora`
 * beside the checkout. Tests that need them skip visibly when absent.
 */
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const repoRoot = resolve(fileURLToPath(new URL("../..", import.meta.url)));

/** The corpora folder, or `undefined` when it is not there. */
export function corporaDir(): string | undefined {
  const fromEnv = process.env.HTTPWIRE_CORPORA;
  const dir = fromEnv && fromEnv.length > 0 ? resolve(fromEnv) : resolve(repoRoot, "..", "shared", "corpora");
  return existsSync(dir) ? dir : undefined;
}

/** A path inside the corpora, or `undefined` when the corpora are absent. */
export function corpusPath(...parts: string[]): string | undefined {
  const dir = corporaDir();
  if (dir === undefined) return undefined;
  const p = join(dir, ...parts);
  return existsSync(p) ? p : undefined;
}

/** The message a skipped corpus test shows. */
export function missingCorpusMessage(what: string): string {
  return `SKIPPED: ${what} not found (set HTTPWIRE_CORPORA or place shared/corpora beside the checkout)`;
}

/** The repository root, for fixtures. */
export const REPO_ROOT = repoRoot;

/** A path under `fixtures/`. */
export function fixturePath(...parts: string[]): string {
  return join(repoRoot, "fixtures", ...parts);
}
