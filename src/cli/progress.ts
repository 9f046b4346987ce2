/**
 * A progress line on standard error for long inputs: shown only on a
 * terminal, only once a run has taken more than a second, redrawn at most
 * four times a second, and erased at the end.
 */
import type { CliIo } from "./io.js";

/** Tracks bytes read against a known total (or none, for stdin). */
export class Progress {
  private readonly start: number;
  private lastDraw = 0;
  private shown = false;
  done = 0;

  constructor(
    private readonly io: CliIo,
    private readonly total: number | undefined,
    private readonly label: string,
    private readonly enabled: boolean,
    private readonly now: () => number = Date.now,
  ) {
    this.start = now();
  }

  /** Records `n` more bytes read; redraws when due. */
  add(n: number): void {
    this.done += n;
    if (!this.enabled) return;
    const now = this.now();
    if (now - this.start < 1000 || now - this.lastDraw < 250) return;
    this.lastDraw = now;
    this.shown = true;
    const mb = (x: number) => (x / 1e6).toFixed(1);
    const rate = this.done / ((now - this.start) / 1000) / 1e6;
    const of = this.total ? ` / ${mb(this.total)} MB (${Math.floor((100 * this.done) / this.total)}%)` : " MB";
    this.io.err(`\r\x1b[2K${this.label}: ${mb(this.done)}${of}, ${rate.toFixed(1)} MB/s`);
  }

  /** Erases the line if it was shown. */
  finish(): void {
    if (this.shown) this.io.err("\r\x1b[2K");
  }
}
