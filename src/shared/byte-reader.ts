/** Reads an unsigned big-endian 32-bit integer at `p` (`>>> 0`: `b0 << 24` alone is negative for b0 >= 0x80). */
export function readU32(b: Uint8Array, p: number): number {
  return ((b[p]! << 24) | (b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!) >>> 0;
}
