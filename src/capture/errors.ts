import { makeNameOf } from "../shared/code-table.js";
import { HttpwireError, type HttpwireErrorOptions } from "../shared/errors.js";

/**
 * Codes of {@link CaptureError}. Capture files have no RFC error codes, so
 * these are the project's own, stable numbers.
 */
export const CaptureErrorCode = {
  /** The input is not a pcap, pcapng, HTTP/2 byte stream or hex dump. */
  UNKNOWN_FORMAT: 0x01,
  /** A pcap/pcapng structure is malformed (bad block length, bad header). */
  MALFORMED_CAPTURE: 0x02,
  /** The input ends in the middle of a record or block. */
  TRUNCATED_CAPTURE: 0x03,
  /** A hex dump contains something that is not hex. */
  MALFORMED_HEX: 0x04,
  /** A QUIC packet failed authentication (damaged, truncated, or decrypted with the wrong keys). */
  QUIC_PACKET_UNDECRYPTABLE: 0x30,
  /** A QUIC packet's header is malformed (bad lengths, a Length beyond the datagram). */
  QUIC_MALFORMED_PACKET: 0x31,
} as const;

/** One of the {@link CaptureErrorCode} values. */
export type CaptureErrorCode = (typeof CaptureErrorCode)[keyof typeof CaptureErrorCode];

/** The name of a {@link CaptureErrorCode}, or `UNKNOWN_0x..`; never throws. */
export const captureErrorCodeName: (code: number | bigint) => string = makeNameOf(CaptureErrorCode);

/** A problem with the capture container itself (pcap, pcapng, hex dump). */
export class CaptureError extends HttpwireError {
  override name = "CaptureError";
  constructor(message: string, code: CaptureErrorCode, options: HttpwireErrorOptions) {
    super(message, code, captureErrorCodeName(code), options);
  }
}
