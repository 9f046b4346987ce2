/**
 * The one way a stateful decoder holds a partial unit across chunks.
 *
 * @module
 */

/**
 * Bytes held between `push()` calls, front to back. Appending grows the
 * buffer geometrically and drops consumed bytes only when they make up at
 * least half of it, so feeding n bytes in any chunking costs O(n) copying
 * in total: never the whole held unit again on every chunk (the pattern
 * behind two quadratic findings, see docs/security.md).
 *
 * The owner remembers how many bytes its next unit needs (`needed`) and
 * does not re-parse until {@link length} reaches it.
 *
 * Views returned by {@link view} alias the internal buffer: they stay valid
 * only until the next {@link append}, {@link consume} or {@link clear}.
 * Copy what must outlive that (`view().slice()`).
 *
 * @internal
 */
export class PendingBytes {
  private buf: Uint8Array;
  private start = 0;
  private end = 0;
  /** Absolute input offset of the first held byte; maintained by {@link consume}. */
  base = 0;
  /**
   * How many bytes the held unit needs in all, when known (0: unknown, parse
   * again on the next chunk). The owner sets and reads it.
   */
  needed = 0;

  constructor(initialCapacity = 0) {
    this.buf = new Uint8Array(initialCapacity);
  }

  /** Bytes held. */
  get length(): number {
    return this.end - this.start;
  }

  /** Absolute input offset one past the last held byte. */
  get offsetEnd(): number {
    return this.base + this.end - this.start;
  }

  /** Appends a copy of `bytes[from, to)`. */
  append(bytes: Uint8Array, from = 0, to = bytes.length): void {
    const n = to - from;
    if (n <= 0) return;
    if (this.end + n > this.buf.length) this.makeRoom(n);
    this.buf.set(from === 0 && to === bytes.length ? bytes : bytes.subarray(from, to), this.end);
    this.end += n;
  }

  /** A view of the held bytes (see the class note on its lifetime). */
  view(): Uint8Array {
    return this.buf.subarray(this.start, this.end);
  }

  /** Drops the first `n` held bytes. */
  consume(n: number): void {
    this.start += n;
    this.base += n;
    if (this.start >= this.end) {
      this.start = 0;
      this.end = 0;
    }
  }

  /** Drops everything held and forgets `needed`, keeping the capacity. */
  clear(): void {
    this.base += this.end - this.start;
    this.start = 0;
    this.end = 0;
    this.needed = 0;
  }

  /** Drops everything and the buffer itself (for long-idle holders). */
  release(): void {
    this.clear();
    this.buf = new Uint8Array(0);
  }

  /**
   * Hands the held bytes over without copying: a view of memory the holder
   * then forgets (it starts again empty, with no buffer), so the view stays
   * valid and unchanged for as long as the caller keeps it.
   */
  takeAll(): Uint8Array {
    const out = this.buf.subarray(this.start, this.end);
    this.release();
    return out;
  }

  private makeRoom(n: number): void {
    const held = this.end - this.start;
    const cap = this.buf.length;
    // Compact in place when the consumed front is at least half the buffer
    // and the result fits: each byte moves at most once per doubling.
    if (this.start >= cap >>> 1 && held + n <= cap) {
      this.buf.copyWithin(0, this.start, this.end);
    } else {
      let next = cap < 64 ? 64 : cap * 2;
      while (next < held + n) next *= 2;
      const grown = new Uint8Array(next);
      grown.set(this.buf.subarray(this.start, this.end));
      this.buf = grown;
    }
    this.start = 0;
    this.end = held;
  }
}
