/**
 * Bytes fed chunk by chunk, read front to back. Holds only what has not been
 * consumed yet: a record that straddles two chunks is joined into a fresh
 * array (never a recycled one, so views handed out earlier stay valid); a
 * record inside one chunk is a zero-copy view of it.
 * @internal
 */
export class Accumulator {
  /** The unconsumed bytes are `buf[pos, buf.length)`. */
  buf: Uint8Array = new Uint8Array(0);
  pos = 0;
  /** Absolute input offset of `buf[0]`. */
  base = 0;

  /** Appends a chunk. */
  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    const rest = this.buf.length - this.pos;
    if (rest === 0) {
      this.base += this.buf.length;
      this.buf = chunk;
      this.pos = 0;
      return;
    }
    const joined = new Uint8Array(rest + chunk.length);
    joined.set(this.buf.subarray(this.pos));
    joined.set(chunk, rest);
    this.base += this.pos;
    this.buf = joined;
    this.pos = 0;
  }

  /** Bytes buffered and not consumed. */
  get available(): number {
    return this.buf.length - this.pos;
  }

  /** Absolute input offset of the next unconsumed byte. */
  get offset(): number {
    return this.base + this.pos;
  }

  /** A view of the next `n` bytes (the caller checked `available`) and consumes them. */
  take(n: number): Uint8Array {
    const p = this.pos;
    this.pos = p + n;
    return this.buf.subarray(p, p + n);
  }
}

/** Reads a 16-bit integer at `p` in the given byte order. */
export function u16(b: Uint8Array, p: number, le: boolean): number {
  return le ? b[p]! | (b[p + 1]! << 8) : (b[p]! << 8) | b[p + 1]!;
}

/** Reads an unsigned 32-bit integer at `p` in the given byte order. */
export function u32(b: Uint8Array, p: number, le: boolean): number {
  return le
    ? (b[p]! | (b[p + 1]! << 8) | (b[p + 2]! << 16) | (b[p + 3]! << 24)) >>> 0
    : ((b[p]! << 24) | (b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!) >>> 0;
}
