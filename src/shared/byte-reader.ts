import type { Cursor } from "./cursor.js";

/**
 * A cursor over a `Uint8Array` with big-endian reads. Reads never check
 * bounds themselves: callers check `remaining` first and report "need more"
 * (a result, not an exception) when it is short.
 */
export class ByteReader implements Cursor {
  readonly buf: Uint8Array;
  pos: number;
  end: number;

  constructor(buf: Uint8Array, start = 0, end = buf.length) {
    this.buf = buf;
    this.pos = start;
    this.end = end;
  }

  /** Bytes left between `pos` and `end`. */
  get remaining(): number {
    return this.end - this.pos;
  }

  u8(): number {
    return this.buf[this.pos++]!;
  }

  u16(): number {
    const b = this.buf;
    const p = this.pos;
    this.pos = p + 2;
    return (b[p]! << 8) | b[p + 1]!;
  }

  u24(): number {
    const b = this.buf;
    const p = this.pos;
    this.pos = p + 3;
    return (b[p]! << 16) | (b[p + 1]! << 8) | b[p + 2]!;
  }

  /** Unsigned 32-bit read (`>>> 0`: `b0 << 24` alone is negative for b0 >= 0x80). */
  u32(): number {
    const b = this.buf;
    const p = this.pos;
    this.pos = p + 4;
    return ((b[p]! << 24) | (b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!) >>> 0;
  }

  /** A zero-copy view of the next `n` bytes. */
  take(n: number): Uint8Array {
    const p = this.pos;
    this.pos = p + n;
    return this.buf.subarray(p, p + n);
  }
}

/** Reads an unsigned big-endian 32-bit integer at `p`. */
export function readU32(b: Uint8Array, p: number): number {
  return ((b[p]! << 24) | (b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!) >>> 0;
}
