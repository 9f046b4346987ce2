/**
 * ALPN protocol identifiers and the percent-encoding of RFC 7838 §3.1 that
 * turns an ALPN name (any octets) into an Alt-Svc `protocol-id` token.
 * @module
 */

import { isTchar } from "../shared/field-list.js";
import { MALFORMED_ALT_SVC, streamError } from "./errors.js";

/**
 * ALPN protocol identifiers of HTTP (IANA "TLS Application-Layer Protocol
 * Negotiation (ALPN) Protocol IDs" registry).
 *
 * `h2c` is listed for completeness: RFC 9113 §3.2 says it MUST NOT be sent
 * in TLS ALPN; it survives only as the (deprecated) HTTP/1.1 upgrade token.
 */
export const AlpnProtocol = {
  /** HTTP/1.1 over TLS (RFC 7301 §6). */
  HTTP_1_1: "http/1.1",
  /** HTTP/2 over TLS (RFC 9113 §3.1). */
  H2: "h2",
  /** HTTP/2 over cleartext TCP; only an upgrade token (RFC 9113 §3.1). */
  H2C: "h2c",
  /** HTTP/3 (RFC 9114 §3.1). */
  H3: "h3",
} as const;

/** One of the {@link AlpnProtocol} values. */
export type AlpnProtocol = (typeof AlpnProtocol)[keyof typeof AlpnProtocol];

// RFC 9110 §5.6.2: tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" /
// "-" / "." / "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA
const HEX = "0123456789ABCDEF";

/**
 * Percent-encodes an ALPN protocol name into an Alt-Svc `protocol-id`
 * (RFC 7838 §3.1): octets that are token characters other than `%` stay as
 * they are, every other octet becomes `%XX` with uppercase hex, so each name
 * has exactly one encoding.
 *
 * @param alpn The ALPN name as a byte string (one character per octet,
 *   Latin-1) or as the raw octets.
 * @returns The `protocol-id` token.
 * @throws TypeError if `alpn` is empty or a string has a character above 0xff.
 * @example
 * ```ts
 * encodeProtocolId("h2"); // "h2"
 * encodeProtocolId("w=x:y#z"); // "w%3Dx%3Ay#z"
 * encodeProtocolId("x%y"); // "x%25y"
 * ```
 */
export function encodeProtocolId(alpn: string | Uint8Array): string {
  if (alpn.length === 0) throw new TypeError("Cannot encode protocol-id: the ALPN name is empty");
  let out = "";
  for (let i = 0; i < alpn.length; i++) {
    const c = typeof alpn === "string" ? alpn.charCodeAt(i) : alpn[i]!;
    if (c > 0xff) throw new TypeError(`Cannot encode protocol-id: character ${c} at index ${i} is above 0xff`);
    // RFC 7838 §3.1: octets not allowed in tokens MUST be percent-encoded,
    // "%" too; valid token characters other than "%" MUST NOT be.
    if (c !== 0x25 && isTchar(c)) out += String.fromCharCode(c);
    else out += `%${HEX[c >> 4]!}${HEX[c & 15]!}`;
  }
  return out;
}

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  return -1;
}

/**
 * Decodes a `protocol-id` token into the ALPN name (one character per
 * octet). Returns the index of the bad `%` escape as a negative number
 * `-(index + 1)` instead of throwing, so the parser can report the offset.
 * @internal
 */
export function decodeProtocolIdAt(token: string): string | number {
  if (token.indexOf("%") < 0) return token;
  let out = "";
  for (let i = 0; i < token.length; i++) {
    const c = token.charCodeAt(i);
    if (c !== 0x25) {
      out += token[i];
      continue;
    }
    const hi = i + 1 < token.length ? hexValue(token.charCodeAt(i + 1)) : -1;
    const lo = i + 2 < token.length ? hexValue(token.charCodeAt(i + 2)) : -1;
    if (hi < 0 || lo < 0) return -(i + 1);
    out += String.fromCharCode((hi << 4) | lo);
    i += 2;
  }
  return out;
}

/**
 * Decodes an Alt-Svc `protocol-id` into the ALPN name it stands for (one
 * character per octet). Lowercase hex and needless escapes are accepted (the
 * RFC 7838 §3.1 canonical-form MUSTs bind the sender; the decoded octets are
 * the same).
 *
 * @throws {AltSvcError} `invalid_percent_encoding` when a `%` is not followed
 *   by two hex digits; `invalid_protocol_id` when the input is not a token.
 * @example
 * ```ts
 * decodeProtocolId("w%3Dx%3Ay#z"); // "w=x:y#z"
 * ```
 */
export function decodeProtocolId(protocolId: string): string {
  for (let i = 0; i < protocolId.length; i++) {
    if (!isTchar(protocolId.charCodeAt(i))) {
      throw streamError(
        MALFORMED_ALT_SVC,
        undefined,
        "invalid_protocol_id",
        `Cannot decode protocol-id: character at offset ${i} is not a token character`,
        i,
      );
    }
  }
  if (protocolId.length === 0) {
    throw streamError(MALFORMED_ALT_SVC, undefined, "invalid_protocol_id", "Cannot decode protocol-id: it is empty", 0);
  }
  const r = decodeProtocolIdAt(protocolId);
  if (typeof r === "number") {
    const at = -r - 1;
    throw streamError(
      MALFORMED_ALT_SVC,
      undefined,
      "invalid_percent_encoding",
      `Cannot decode protocol-id: "%" at offset ${at} is not followed by two hex digits`,
      at,
    );
  }
  return r;
}
