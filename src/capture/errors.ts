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
  // TLS (src/capture/tls/), from 0x20 so other capture codes can grow below.
  /** A TLS record header is impossible (unknown content type, version not 3.x). */
  TLS_MALFORMED_RECORD: 0x20,
  /** A TLS record is longer than RFC 8446 §5.2 / RFC 5246 §6.2.3 allow (record_overflow). */
  TLS_RECORD_OVERFLOW: 0x21,
  /** A handshake message (ClientHello, ServerHello, ...) is malformed or too long. */
  TLS_MALFORMED_HANDSHAKE: 0x22,
  /** A record failed authentication after earlier records under the same keys did not (damaged ciphertext). */
  TLS_BAD_RECORD_MAC: 0x23,
  /** The capture ends in the middle of a TLS record. */
  TLS_TRUNCATED_RECORD: 0x24,
  /** Bytes of the TLS stream are missing from the capture, so the records that follow cannot be read. */
  TLS_GAP: 0x25,
  /** A record or message arrived where the protocol does not allow it. */
  TLS_UNEXPECTED_MESSAGE: 0x26,
  /** More bytes than the limit were held waiting (early data before the server's answer). */
  TLS_LIMIT_EXCEEDED: 0x27,
  // QUIC (src/capture/quic/), from 0x30.
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
