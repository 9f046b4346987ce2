import { hexCode } from "./errors.js";

/**
 * Builds a reverse lookup for an `as const` table of RFC code points, so each
 * module's `nameOf(code)` returns the RFC name or `UNKNOWN_0x..`, never throws.
 */
export function makeNameOf<T extends Record<string, number>>(table: T): (code: number | bigint) => string {
  const names = new Map<number, string>();
  for (const [name, code] of Object.entries(table)) if (!names.has(code)) names.set(code, name);
  return (code) => {
    const n = typeof code === "bigint" ? (code <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(code) : -1) : code;
    return names.get(n) ?? `UNKNOWN_${hexCode(code)}`;
  };
}
