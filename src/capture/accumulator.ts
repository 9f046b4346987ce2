import { PendingBytes } from "../shared/pending.js";

/**
 * Bytes fed chunk by chunk, read front to back. A unit inside one chunk is
 * read as a zero-copy view of that chunk; only the bytes of a unit that
 * straddles chunks are held, in one {@link PendingBytes} (geometric growth,
 * each byte copied in once), so feeding n bytes in any chunking costs O(n)
 * copying in total, never the whole held tail again on every chunk.
 *
 * The unconsumed bytes are the held ones followed by the rest of the last
 * chunk. Call {@link ensure} before reading a unit's bytes through
 * {@link view}; {@link take} hands the unit out as a view of the chunk, or as
 * a fresh copy when it was held (views handed out stay valid).
 * @internal
 */
export class Accumulator {
  private readonly held = new PendingBytes();
  private chunk: Uint8Array = new Uint8Array(0);
  private pos = 0;
  /**
   * Absolute input offset of the next unconsumed byte. The owner may shift
   * it (e.g. to count offsets from after a preface).
   */
  offset = 0;

  /** Appends a chunk. */
  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    // The tail of the previous chunk joins the held bytes (copied once); the new chunk is read in place.
    if (this.pos < this.chunk.length) this.held.append(this.chunk, this.pos);
    this.chunk = chunk;
    this.pos = 0;
  }

  /** Bytes buffered and not consumed. */
  get available(): number {
    return this.held.length + this.chunk.length - this.pos;
  }

  /**
   * Makes the next `n` unconsumed bytes contiguous in {@link view}, moving
   * only the bytes needed from the chunk to the held bytes.
   * @returns false when fewer than `n` bytes are available
   */
  ensure(n: number): boolean {
    if (this.available < n) return false;
    const held = this.held.length;
    if (held > 0 && held < n) {
      const move = n - held;
      this.held.append(this.chunk, this.pos, this.pos + move);
      this.pos += move;
    }
    return true;
  }

  /**
   * The unconsumed bytes that are contiguous from the current position (at
   * least `n` after {@link ensure}(n) returned true). Valid until the next
   * call of any other method.
   */
  view(): Uint8Array {
    return this.held.length > 0 ? this.held.view() : this.chunk.subarray(this.pos);
  }

  /** The next `n` bytes (at most {@link available}), consumed; a view of the chunk or a copy of held bytes. */
  take(n: number): Uint8Array {
    this.ensure(n);
    this.offset += n;
    if (this.held.length > 0) {
      const out = this.held.view().slice(0, n);
      this.held.consume(n);
      return out;
    }
    const p = this.pos;
    this.pos = p + n;
    return this.chunk.subarray(p, p + n);
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
