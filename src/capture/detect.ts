import { u32 } from "./accumulator.js";
import { isGzip } from "./gzip.js";
import { PCAP_MAGIC_MICROSECONDS, PCAP_MAGIC_NANOSECONDS } from "./pcap.js";

/** What a capture input is. */
export type InputKind = "pcap" | "pcapng" | "h2" | "hex" | "gzip";

/** The HTTP/2 client connection preface (RFC 9113 §3.4). */
export const CLIENT_PREFACE: Uint8Array = Uint8Array.from("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", (c) => c.charCodeAt(0));

/** Bytes {@link detectInputKind} wants to see before deciding (fewer at the end of the input). */
export const DETECT_LENGTH = 64;

/**
 * Tells the kind of an input from its first bytes: pcap (either byte order,
 * µs or ns), pcapng, gzip (a compressed capture: {@link decodeCapture}
 * decompresses it), a hex dump (only text characters), else a raw HTTP/2
 * byte stream.
 *
 * @example
 * ```ts
 * detectInputKind(new Uint8Array([0xd4, 0xc3, 0xb2, 0xa1])); // "pcap"
 * detectInputKind(new TextEncoder().encode("505249")); // "hex"
 * ```
 */
export function detectInputKind(head: Uint8Array): InputKind {
  if (head.length >= 4) {
    const be = u32(head, 0, false);
    const le = u32(head, 0, true);
    if (be === PCAP_MAGIC_MICROSECONDS || be === PCAP_MAGIC_NANOSECONDS || le === PCAP_MAGIC_MICROSECONDS || le === PCAP_MAGIC_NANOSECONDS)
      return "pcap";
    if (be === 0x0a0d0d0a) return "pcapng";
  }
  if (isGzip(head)) return "gzip";
  let preface = head.length > 0;
  for (let i = 0; i < head.length && i < CLIENT_PREFACE.length; i++) if (head[i] !== CLIENT_PREFACE[i]) preface = false;
  if (preface) return "h2";
  let text = head.length > 0;
  for (const c of head) if (!(c === 0x09 || c === 0x0a || c === 0x0d || (c >= 0x20 && c < 0x7f))) text = false;
  return text ? "hex" : "h2";
}
