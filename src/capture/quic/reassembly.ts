/**
 * Reassembly of one QUIC byte stream (a CRYPTO stream of one encryption
 * level, or a STREAM) from frames in any order: retransmissions and
 * overlaps are trimmed, out-of-order data waits (bounded), a hole that
 * stays open is declared a gap.
 */

interface Piece {
  readonly offset: number;
  readonly data: Uint8Array;
}

/** What the reassembler hands on. */
export interface ReassemblySink {
  /** In-order bytes starting at stream offset `offset`. */
  data(bytes: Uint8Array, offset: number): void;
  /** Bytes `[offset, offset + missing)` will never come (capture loss or the pending limit). */
  gap(offset: number, missing: number): void;
  /** Every byte up to the final size has been delivered. */
  fin(): void;
}

/**
 * One stream's reassembly. `push` the frames' data in capture order; the
 * sink gets the bytes in offset order, each byte once.
 */
export class StreamReassembler {
  /** The next stream offset the sink expects. */
  next = 0;
  /** The final size, once a FIN (or RESET_STREAM) told it. */
  finalSize: number | undefined;
  /** Bytes waiting behind a hole. */
  pendingBytes = 0;
  private pending: Piece[] = [];
  private done = false;

  constructor(
    private readonly sink: ReassemblySink,
    /** Most out-of-order bytes held before the first hole is declared a gap. */
    private readonly maxPending: number,
  ) {}

  /** Whether FIN was delivered (or the stream was ended). */
  get finished(): boolean {
    return this.done;
  }

  /** Data of one frame at `offset`; `fin` when the frame carries the stream's end. */
  push(offset: number, data: Uint8Array, fin: boolean): void {
    if (this.done) return;
    const end = offset + data.length;
    if (fin) this.finalSize = end;
    if (end > this.next || (data.length === 0 && offset === this.next)) {
      if (offset <= this.next) {
        this.deliver(data.subarray(this.next - offset), this.next);
        this.drain();
      } else {
        this.hold({ offset, data });
      }
    }
    this.checkFin();
  }

  /** Stops the stream: nothing more is delivered (RESET_STREAM, or the decoder gave up on it). */
  stop(): void {
    this.done = true;
    this.pending = [];
    this.pendingBytes = 0;
  }

  /** The capture ended: holes before held bytes (or before a known final size) become gaps. */
  end(): void {
    if (this.done) return;
    while (this.pending.length > 0) this.skipToFirstPending();
    if (this.finalSize !== undefined && this.next < this.finalSize) {
      this.sink.gap(this.next, this.finalSize - this.next);
      this.next = this.finalSize;
    }
    this.checkFin();
  }

  private deliver(bytes: Uint8Array, offset: number): void {
    this.next = offset + bytes.length;
    if (bytes.length > 0) this.sink.data(bytes, offset);
  }

  private hold(p: Piece): void {
    // Sorted insert by offset (usually at the end: data tends to arrive in order after a hole).
    let i = this.pending.length;
    while (i > 0 && this.pending[i - 1]!.offset > p.offset) i--;
    // The bytes may be views of a decrypted packet: keep a copy of only what is held.
    this.pending.splice(i, 0, { offset: p.offset, data: p.data.slice() });
    this.pendingBytes += p.data.length;
    while (this.pendingBytes > this.maxPending && this.pending.length > 0) this.skipToFirstPending();
  }

  private skipToFirstPending(): void {
    const first = this.pending[0]!;
    if (first.offset > this.next) {
      this.sink.gap(this.next, first.offset - this.next);
      this.next = first.offset;
    }
    this.drain();
  }

  private drain(): void {
    while (this.pending.length > 0 && this.pending[0]!.offset <= this.next && !this.done) {
      const p = this.pending.shift()!;
      this.pendingBytes -= p.data.length;
      const end = p.offset + p.data.length;
      if (end > this.next) this.deliver(p.data.subarray(this.next - p.offset), this.next);
    }
  }

  private checkFin(): void {
    if (!this.done && this.finalSize !== undefined && this.next >= this.finalSize && this.pending.length === 0) {
      this.done = true;
      this.sink.fin();
    }
  }
}
