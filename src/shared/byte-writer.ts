/**
 * Initial capacity for a writer made per connection: 64 bytes stay inside
 * the JavaScript heap, where a larger typed array costs an `ArrayBuffer` of
 * its own (2.5-3.5 µs each, see `arrays.ts`); the writer grows as needed.
 * @internal
 */
export const SMALL_WRITER = 64;

/**
 * A growable byte writer. It reserves space, lets a caller back-patch a
 * length written before the payload, and hands out the result.
 *
 * Growing replaces the internal buffer, so views taken from it earlier
 * (`view()`) stop tracking it; `finish()` returns a fresh copy.
 */
export class ByteWriter {
  buf: Uint8Array;
  pos = 0;

  constructor(initialCapacity = 256) {
    this.buf = new Uint8Array(initialCapacity);
  }

  /** Makes room for `n` more bytes. */
  ensure(n: number): void {
    const need = this.pos + n;
    if (need <= this.buf.length) return;
    let cap = this.buf.length * 2 || 64;
    while (cap < need) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
  }

  /** Writes one octet (the low 8 bits of `v`). */
  u8(v: number): void {
    this.ensure(1);
    this.buf[this.pos++] = v;
  }

  /** Writes the low `n` octets of `v`, most significant first (network byte order). */
  uint(v: number, n: 1 | 2 | 3 | 4): void {
    this.ensure(n);
    const b = this.buf;
    for (let shift = (n - 1) * 8; shift >= 0; shift -= 8) b[this.pos++] = v >>> shift;
  }

  /** Writes `v` as 2 octets, network byte order. */
  u16(v: number): void {
    this.uint(v, 2);
  }

  /** Writes `v` as 3 octets, network byte order. */
  u24(v: number): void {
    this.uint(v, 3);
  }

  /** Writes `v` as 4 octets, network byte order. */
  u32(v: number): void {
    this.uint(v, 4);
  }

  /** Appends a copy of `src`. */
  bytes(src: Uint8Array): void {
    this.ensure(src.length);
    this.buf.set(src, this.pos);
    this.pos += src.length;
  }

  /** Writes the low 8 bits of each UTF-16 unit of a Latin-1 string. */
  latin1(s: string): void {
    const n = s.length;
    this.ensure(n);
    const b = this.buf;
    let p = this.pos;
    for (let i = 0; i < n; i++) b[p++] = s.charCodeAt(i);
    this.pos = p;
  }

  /** A view of what has been written; invalidated by later writes that grow. */
  view(): Uint8Array {
    return this.buf.subarray(0, this.pos);
  }

  /** A copy of what has been written. */
  finish(): Uint8Array {
    return this.buf.slice(0, this.pos);
  }

  /** Forgets what was written, keeping the buffer. */
  reset(): void {
    this.pos = 0;
  }
}
