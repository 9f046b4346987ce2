/**
 * Hex dump text to bytes, incrementally, line by line. Accepted layouts
 * (chosen once, from the first non-blank line):
 *
 * - plain hex, the whole input or any layout of it: `505249202a20...`,
 *   Wireshark's "hex stream", `50 52 49 ...`, `50:52:49`, with optional `0x`;
 * - `xxd` output: `00000000: 5052 4920 2a20 4854  PRI * HT`;
 * - offset dumps, `tshark -x` and `hexdump -C` style:
 *   `0000  50 52 49 20 2a 20 48 54   PRI * HT` (the first offset must be 0).
 *
 * The text column of `xxd`, `tshark -x` and `hexdump -C` is ignored. Lines
 * starting with `#` are comments. An offset restarting at 0 starts a new
 * block ({@link HexDumpDecoder.lastBreaks}); `tshark -x` prints one block per
 * packet, and its extra data sources ("Reassembled TCP (N bytes):") are
 * skipped.
 */
import { CaptureError, CaptureErrorCode } from "./errors.js";

type Mode = "plain" | "xxd" | "offset";

const XXD_LINE = /^\s*[0-9a-fA-F]+:\s(.*)$/;
const OFFSET_LINE = /^\s*([0-9a-fA-F]{4,8})\s{2,}(.*)$/;
const HEX_DIGIT = /^[0-9a-fA-F]$/;
const SOURCE_HEADING = /^[A-Za-z][^:]*\(\d+ bytes?\):$/;

/** Longest line accepted; a longer one without a newline is buffered only up to this. */
const MAX_LINE = 1024 * 1024;

const EMPTY = new Uint8Array(0);

/**
 * Incremental hex dump decoder: push text bytes (ASCII), get binary bytes.
 *
 * @example
 * ```ts
 * const d = new HexDumpDecoder();
 * const bytes = d.push(new TextEncoder().encode("00000000: 5052 4920  PRI \n"));
 * // bytes: 50 52 49 20
 * d.end();
 * ```
 */
export class HexDumpDecoder {
  private mode: Mode | undefined;
  /** The text of the line not ended yet, in pieces. */
  private partial: string[] = [];
  private partialLength = 0;
  private nibble = -1;
  private line = 0;
  private skipping = false;
  private seenData = false;
  private breaks: number[] = [];
  /**
   * Where blocks start in the bytes the last `push`/`end` returned: offset
   * dumps (`tshark -x`, `xxd`, `hexdump -C`) whose offset restarts at 0
   * hold several blocks, one per packet for `tshark -x`.
   */
  lastBreaks: readonly number[] = [];

  /**
   * Adds text and returns the bytes of the lines it completes, also appended
   * to `out` when given. When it throws, `out` already holds the bytes of the
   * lines before the bad one, and {@link lastBreaks} describes them (what came
   * before an error is kept).
   * @throws {CaptureError} MALFORMED_HEX (`hex_dump_bad_character`, `hex_dump_line_too_long`)
   */
  push(chunk: Uint8Array, out?: Uint8Array[]): Uint8Array {
    // Only the new chunk is searched for line ends, and a partial line is
    // joined once, when it ends: 1-byte chunks cost O(n) in total.
    const lines: string[] = [];
    let start = 0;
    for (let nl = chunk.indexOf(0x0a); nl >= 0; nl = chunk.indexOf(0x0a, start)) {
      this.addPartial(chunk, start, nl);
      lines.push(this.takePartial());
      start = nl + 1;
    }
    this.addPartial(chunk, start, chunk.length);
    let tooLong = false;
    if (this.partialLength > MAX_LINE) {
      // A hex stream may be one huge line: decode the complete pairs now.
      if (this.mode === "plain" || this.mode === undefined) lines.push(this.takePartial());
      else tooLong = true;
    }
    const bytes = this.run(lines, out);
    if (tooLong) {
      throw new CaptureError(
        `Cannot read hex dump: line ${this.line + 1} is longer than ${MAX_LINE} characters`,
        CaptureErrorCode.MALFORMED_HEX,
        { reason: "hex_dump_line_too_long" },
      );
    }
    return bytes;
  }

  private addPartial(chunk: Uint8Array, from: number, to: number): void {
    for (let i = from; i < to; i += 8192) this.partial.push(String.fromCharCode(...chunk.subarray(i, Math.min(to, i + 8192))));
    this.partialLength += to - from;
  }

  private takePartial(): string {
    const line = this.partial.length === 1 ? this.partial[0]! : this.partial.join("");
    this.partial = [];
    this.partialLength = 0;
    return line;
  }

  private run(lines: string[], out: Uint8Array[] | undefined): Uint8Array {
    this.breaks = [];
    const bytes: number[] = [];
    let result = EMPTY;
    try {
      this.decodeLines(lines, bytes);
    } finally {
      // Also when a line is bad: the bytes of the lines before it are kept.
      this.lastBreaks = this.breaks;
      result = Uint8Array.from(bytes);
      if (out !== undefined && result.length > 0) out.push(result);
    }
    return result;
  }

  /**
   * Declares the end of the text and returns the bytes of the last line
   * (also appended to `out` when given, even when it throws).
   * @throws {CaptureError} MALFORMED_HEX (`hex_dump_bad_character`, `hex_dump_odd_digits`)
   */
  end(out?: Uint8Array[]): Uint8Array {
    const bytes = this.run([this.takePartial()], out);
    if (this.nibble >= 0) {
      throw new CaptureError("Cannot read hex dump: it has an odd number of hex digits", CaptureErrorCode.MALFORMED_HEX, {
        reason: "hex_dump_odd_digits",
      });
    }
    return bytes;
  }

  private decodeLines(lines: string[], out: number[]): void {
    for (const raw of lines) {
      this.line++;
      const line = raw.replace(/\r$/, "");
      const t = line.trim();
      if (t === "") {
        this.skipping = false;
        continue;
      }
      if (t.startsWith("#")) continue;
      // tshark -x heads each data source when a packet has several: "Frame (74 bytes):",
      // "Reassembled TCP (3045 bytes):", ... Only the frame itself is read.
      if (this.mode !== "plain" && SOURCE_HEADING.test(t)) {
        this.skipping = !t.startsWith("Frame ");
        continue;
      }
      if (this.skipping) continue;
      if (this.mode === undefined) {
        const off = OFFSET_LINE.exec(line);
        if (XXD_LINE.test(line) && /^\s*0+:/.test(line)) this.mode = "xxd";
        else if (off && /^0+$/.test(off[1]!)) this.mode = "offset";
        else this.mode = "plain";
      }
      // hexdump -C ends with a line holding only the final offset.
      if (this.mode !== "plain" && /^[0-9a-fA-F]+:?$/.test(t)) continue;
      let hex: string;
      if (this.mode === "xxd") {
        const m = XXD_LINE.exec(line);
        if (!m) throw this.bad(line);
        hex = m[1]!.split("  ")[0]!;
        this.offsetLine(/^\s*0+:/.test(line), out.length);
      } else if (this.mode === "offset") {
        const m = OFFSET_LINE.exec(line);
        if (!m) throw this.bad(line);
        hex = m[2]!.split("|")[0]!.split(/\s{3,}/)[0]!;
        this.offsetLine(/^0+$/.test(m[1]!), out.length);
      } else {
        hex = t.replace(/0x/gi, "");
      }
      for (let i = 0; i < hex.length; i++) {
        const c = hex[i]!;
        if (c === " " || c === "\t" || c === ":" || c === ",") continue;
        if (!HEX_DIGIT.test(c)) throw this.bad(line);
        const v = parseInt(c, 16);
        if (this.nibble < 0) this.nibble = v;
        else {
          out.push((this.nibble << 4) | v);
          this.nibble = -1;
        }
      }
      if (this.mode !== "plain" && this.nibble >= 0) throw this.bad(line);
      if (out.length > 0) this.seenData = true;
    }
  }

  /** An offset dump line: offset 0 after some data starts a new block (a new packet in `tshark -x`). */
  private offsetLine(atZero: boolean, at: number): void {
    if (atZero && this.seenData) this.breaks.push(at);
  }

  private bad(_line: string): CaptureError {
    return new CaptureError(
      `Cannot read hex dump: line ${this.line} is not ${this.mode === "plain" ? "hex" : `an ${this.mode} dump line`}`,
      CaptureErrorCode.MALFORMED_HEX,
      {
        reason: "hex_dump_bad_character",
      },
    );
  }
}
