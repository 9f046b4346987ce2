/**
 * Hex text of bytes and back: the one copy for library code (key logs,
 * client randoms in messages, fixtures).
 *
 * @module
 */

/**
 * Lowercase hex of `bytes`, no separators.
 * @internal
 */
export function toHex(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i++) s += (bytes[i]! < 16 ? "0" : "") + bytes[i]!.toString(16);
  return s;
}

/**
 * The bytes of `hex` (an even number of hex digits, either case, nothing
 * else), or `null` when it is not that.
 * @internal
 */
export function parseHex(hex: string): Uint8Array | null {
  if (hex.length % 2 !== 0 || /[^0-9a-fA-F]/.test(hex)) return null;
  const out = new Uint8Array(hex.length >>> 1);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}
