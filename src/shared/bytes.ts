/**
 * Byte concatenation (the one place that joins pieces into new memory) and
 * byte-wise equality.
 *
 * @module
 */

const EMPTY = new Uint8Array(0);

/**
 * Joins `parts` into one new array. With a single part the part itself is
 * returned (no copy); with none, a shared empty array.
 *
 * @param total the sum of the parts' lengths when the caller knows it
 * @internal
 */
export function concatBytes(parts: readonly Uint8Array[], total = -1): Uint8Array {
  const n = parts.length;
  if (n === 0) return EMPTY;
  if (n === 1) return parts[0]!;
  let size = total;
  if (size < 0) {
    size = 0;
    for (let i = 0; i < n; i++) size += parts[i]!.length;
  }
  const out = new Uint8Array(size);
  let p = 0;
  for (let i = 0; i < n; i++) {
    const part = parts[i]!;
    out.set(part, p);
    p += part.length;
  }
  return out;
}

/**
 * Whether `a` and `b` hold the same octets.
 *
 * @internal
 */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
