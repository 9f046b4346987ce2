import { integerOption } from "../shared/options.js";
import { Accumulator, u16, u32 } from "./accumulator.js";
import { CaptureError, CaptureErrorCode } from "./errors.js";
import type { CapturedPacket } from "./packet.js";

/** Length of the pcap file header. */
export const PCAP_FILE_HEADER_LENGTH = 24;
/** Length of a pcap record header. */
export const PCAP_RECORD_HEADER_LENGTH = 16;
/** Records longer than this are treated as corruption, not buffered. */
export const MAX_RECORD_LENGTH = 16 * 1024 * 1024;

/** Magic number of microsecond pcap files (written in the file's byte order). */
export const PCAP_MAGIC_MICROSECONDS = 0xa1b2c3d4;
/** Magic number of nanosecond pcap files. */
export const PCAP_MAGIC_NANOSECONDS = 0xa1b23c4d;

/** Options of {@link PcapReader}. */
export interface PcapReaderOptions {
  /** Largest record accepted, in bytes; larger means a corrupt file. Default 16 MiB. */
  readonly maxRecordLength?: number;
}

/**
 * Incremental reader of classic libpcap files (either byte order,
 * microsecond or nanosecond timestamps). Feed chunks with {@link push}; it
 * returns the complete records so far and buffers at most one partial record.
 *
 * Packet data are views of the pushed chunks, or of a fresh join buffer when
 * a record straddles two chunks.
 *
 * @example
 * ```ts
 * import { readFileSync } from "node:fs";
 * const reader = new PcapReader();
 * const packets = reader.push(readFileSync("fixtures/captures/h2-session.pcap")); // or chunk by chunk
 * reader.end();
 * reader.linkType; // => 1
 * packets.length; // => 52
 * ```
 */
export class PcapReader {
  private readonly acc = new Accumulator();
  private readonly maxRecordLength: number;
  private littleEndian = false;
  private nanos = false;
  private headerRead = false;
  private count = 0;
  /** Link type from the file header; `undefined` until it has been read. */
  linkType: number | undefined;
  /** Snapshot length from the file header. */
  snapLength: number | undefined;

  constructor(options: PcapReaderOptions = {}) {
    this.maxRecordLength = integerOption("PcapReader", "maxRecordLength", options.maxRecordLength, MAX_RECORD_LENGTH, 0, 2 ** 32 - 1);
  }

  /**
   * Adds a chunk and returns the records it completes, appended to `out`
   * when given. When it throws, `out` already holds every record before the
   * broken one (what came before an error is kept).
   * @throws {CaptureError} MALFORMED_CAPTURE (`bad_pcap_magic`, `pcap_record_too_long`)
   */
  push(chunk: Uint8Array, out: CapturedPacket[] = []): CapturedPacket[] {
    const acc = this.acc;
    acc.push(chunk);
    if (!this.headerRead) {
      if (acc.available < PCAP_FILE_HEADER_LENGTH) return out;
      const at = acc.offset;
      const h = acc.take(PCAP_FILE_HEADER_LENGTH);
      const be = u32(h, 0, false);
      const le = u32(h, 0, true);
      if (be === PCAP_MAGIC_MICROSECONDS || be === PCAP_MAGIC_NANOSECONDS) {
        this.littleEndian = false;
        this.nanos = be === PCAP_MAGIC_NANOSECONDS;
      } else if (le === PCAP_MAGIC_MICROSECONDS || le === PCAP_MAGIC_NANOSECONDS) {
        this.littleEndian = true;
        this.nanos = le === PCAP_MAGIC_NANOSECONDS;
      } else {
        throw new CaptureError(
          `Cannot read pcap file: magic number 0x${be.toString(16)} is not a pcap magic`,
          CaptureErrorCode.MALFORMED_CAPTURE,
          {
            reason: "bad_pcap_magic",
            offset: at,
          },
        );
      }
      this.snapLength = u32(h, 16, this.littleEndian);
      // The link type is in the low 16 bits; the upper bits may carry FCS information.
      this.linkType = u16(h, this.littleEndian ? 20 : 22, this.littleEndian);
      this.headerRead = true;
    }
    const le = this.littleEndian;
    const linkType = this.linkType!;
    while (acc.ensure(PCAP_RECORD_HEADER_LENGTH)) {
      const b = acc.view();
      const p = 0;
      const capLen = u32(b, p + 8, le);
      if (capLen > this.maxRecordLength) {
        throw new CaptureError(
          `Cannot read pcap record: captured length ${capLen} exceeds the limit ${this.maxRecordLength}`,
          CaptureErrorCode.MALFORMED_CAPTURE,
          {
            reason: "pcap_record_too_long",
            offset: acc.offset,
          },
        );
      }
      if (acc.available < PCAP_RECORD_HEADER_LENGTH + capLen) break;
      const seconds = u32(b, p, le);
      const frac = u32(b, p + 4, le);
      const originalLength = u32(b, p + 12, le);
      acc.take(PCAP_RECORD_HEADER_LENGTH);
      const data = acc.take(capLen);
      out.push({
        linkType,
        seconds,
        nanoseconds: this.nanos ? frac : frac * 1000,
        data,
        originalLength: Math.max(originalLength, capLen),
        index: this.count++,
      });
    }
    return out;
  }

  /**
   * Declares the end of the input.
   * @throws {CaptureError} TRUNCATED_CAPTURE (`truncated_pcap_header`, `truncated_pcap_record`) when bytes are left over
   */
  end(): void {
    const left = this.acc.available;
    if (!this.headerRead) {
      throw new CaptureError(
        `Cannot read pcap file: the file header is cut short at ${left} of ${PCAP_FILE_HEADER_LENGTH} bytes`,
        CaptureErrorCode.TRUNCATED_CAPTURE,
        {
          reason: "truncated_pcap_header",
          offset: this.acc.offset,
        },
      );
    }
    if (left > 0) {
      throw new CaptureError(
        `Cannot read pcap record ${this.count}: the file ends ${left} bytes into it`,
        CaptureErrorCode.TRUNCATED_CAPTURE,
        {
          reason: "truncated_pcap_record",
          offset: this.acc.offset,
        },
      );
    }
  }
}
