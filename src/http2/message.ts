/**
 * Validation of HTTP/2 field sections (RFC 9113 §8.2, §8.3; RFC 8441 §4):
 * field names and values, connection-specific fields, and the pseudo-header
 * fields of requests, responses and trailers. A malformed message is a
 * stream error of type PROTOCOL_ERROR (RFC 9113 §8.1.1).
 * @module
 */
import { ErrorCode } from "./error-codes.js";
import { streamError } from "./errors.js";

/** A field as HPACK yields it. */
export interface Field {
  readonly name: string;
  readonly value: string;
}

/** Options of {@link validateRequestHeaders}. */
export interface RequestValidationOptions {
  /** The stream, for the error. */
  readonly streamId: number;
  /** Whether we sent SETTINGS_ENABLE_CONNECT_PROTOCOL = 1 (RFC 8441 §3), allowing `:protocol`. Default false. */
  readonly enableConnectProtocol?: boolean;
}

/** The pseudo-header fields of a request, as {@link validateRequestHeaders} checked them. */
export interface RequestPseudoHeaders {
  readonly method: string;
  /** Absent for CONNECT (RFC 9113 §8.5). */
  readonly scheme: string | undefined;
  readonly authority: string | undefined;
  /** Absent for CONNECT. */
  readonly path: string | undefined;
  /** Extended CONNECT (RFC 8441 §4). */
  readonly protocol: string | undefined;
}

const REQUEST_PSEUDO = new Set([":method", ":scheme", ":authority", ":path", ":protocol"]);
// RFC 9113 §8.2.2: connection-specific fields MUST NOT appear; a message containing them is malformed
const CONNECTION_SPECIFIC = new Set(["connection", "proxy-connection", "keep-alive", "transfer-encoding", "upgrade"]);

function malformed(reason: string, message: string, streamId: number): never {
  throw streamError(ErrorCode.PROTOCOL_ERROR, streamId, reason, `Malformed message: ${message}`);
}

/** Checks the names and values of regular fields and pseudo-header order; returns the pseudo-header fields. */
function checkFields(fields: readonly Field[], streamId: number, allowPseudo: boolean): Map<string, string> {
  const pseudo = new Map<string, string>();
  let regularSeen = false;
  for (const { name, value } of fields) {
    if (name.length === 0) malformed("field_name_empty", "empty field name", streamId);
    const isPseudo = name.charCodeAt(0) === 0x3a;
    for (let i = isPseudo ? 1 : 0; i < name.length; i++) {
      const c = name.charCodeAt(i);
      // RFC 9113 §8.2.1: a field name MUST NOT contain characters in 0x00-0x20, 0x41-0x5a or 0x7f-0xff
      // (and, beyond its first character, no colon: ':' is only the pseudo-header prefix)
      if (c <= 0x20 || (c >= 0x41 && c <= 0x5a) || c >= 0x7f || c === 0x3a)
        malformed("field_name_invalid", `field name contains the character 0x${c.toString(16).padStart(2, "0")}`, streamId);
    }
    if (isPseudo && name.length === 1) malformed("field_name_invalid", "field name is a lone colon", streamId);
    for (let i = 0; i < value.length; i++) {
      const c = value.charCodeAt(i);
      // RFC 9113 §8.2.1: a field value MUST NOT contain NUL, LF or CR
      if (c === 0x00 || c === 0x0a || c === 0x0d)
        malformed("field_value_invalid", `value of field "${name}" contains the character 0x${c.toString(16).padStart(2, "0")}`, streamId);
    }
    // RFC 9113 §8.2.1: a field value MUST NOT start or end with SP or HTAB
    if (value.length > 0) {
      const a = value.charCodeAt(0);
      const z = value.charCodeAt(value.length - 1);
      if (a === 0x20 || a === 0x09 || z === 0x20 || z === 0x09)
        malformed("field_value_whitespace", `value of field "${name}" starts or ends with whitespace`, streamId);
    }
    if (isPseudo) {
      // RFC 9113 §8.3: pseudo-header fields are not allowed in trailers, MUST precede regular fields
      // and MUST NOT appear twice
      if (!allowPseudo) malformed("pseudo_header_in_trailers", `pseudo-header field "${name}" in trailers`, streamId);
      if (regularSeen) malformed("pseudo_header_after_regular", `pseudo-header field "${name}" after a regular field`, streamId);
      if (pseudo.has(name)) malformed("pseudo_header_duplicate", `pseudo-header field "${name}" appears twice`, streamId);
      pseudo.set(name, value);
      continue;
    }
    regularSeen = true;
    if (CONNECTION_SPECIFIC.has(name)) malformed("connection_specific_field", `connection-specific field "${name}"`, streamId);
    // RFC 9113 §8.2.2: TE MAY be present but MUST NOT contain any value other than "trailers"
    if (name === "te" && value !== "trailers") malformed("te_not_trailers", 'field "te" has a value other than "trailers"', streamId);
  }
  return pseudo;
}

/**
 * Validates the header section of a request (RFC 9113 §8.3.1, CONNECT §8.5,
 * extended CONNECT RFC 8441 §4).
 *
 * @throws Http2Error stream PROTOCOL_ERROR with reasons such as
 *   `field_name_invalid`, `pseudo_header_unknown`, `method_missing`,
 *   `path_empty`, `path_invalid`, `authority_userinfo`, `connect_with_scheme_or_path`,
 *   `protocol_not_enabled`.
 * @returns the pseudo-header fields it checked.
 * @example
 * ```ts
 * validateRequestHeaders(
 *   [{ name: ":method", value: "GET" }, { name: ":scheme", value: "https" }, { name: ":path", value: "/" }],
 *   { streamId: 1 },
 * ); // { method: "GET", scheme: "https", authority: undefined, path: "/", protocol: undefined }
 * ```
 */
export function validateRequestHeaders(fields: readonly Field[], options: RequestValidationOptions): RequestPseudoHeaders {
  const { streamId } = options;
  const pseudo = checkFields(fields, streamId, true);
  for (const name of pseudo.keys()) {
    // RFC 9113 §8.3: response pseudo-header fields in a request, or undefined ones, make it malformed
    if (!REQUEST_PSEUDO.has(name))
      malformed("pseudo_header_unknown", `pseudo-header field "${name}" is not allowed in a request`, streamId);
  }
  const method = pseudo.get(":method");
  if (method === undefined || method.length === 0) malformed("method_missing", 'no ":method"', streamId);
  const protocol = pseudo.get(":protocol");
  if (protocol !== undefined) {
    // RFC 8441 §4/§5: ":protocol" needs SETTINGS_ENABLE_CONNECT_PROTOCOL and the CONNECT method
    if (options.enableConnectProtocol !== true)
      malformed("protocol_not_enabled", '":protocol" without SETTINGS_ENABLE_CONNECT_PROTOCOL', streamId);
    if (method !== "CONNECT") malformed("protocol_without_connect", '":protocol" on a method other than CONNECT', streamId);
  }
  if (method === "CONNECT" && protocol === undefined) {
    // RFC 9113 §8.5: ":scheme" and ":path" MUST be omitted; ":authority" MUST be present
    if (pseudo.has(":scheme") || pseudo.has(":path"))
      malformed("connect_with_scheme_or_path", 'CONNECT with ":scheme" or ":path"', streamId);
    const authority = pseudo.get(":authority");
    if (!authority) malformed("connect_authority_missing", 'CONNECT without ":authority"', streamId);
    return { method, scheme: undefined, authority, path: undefined, protocol: undefined };
  }
  // RFC 9113 §8.3.1: all HTTP/2 requests MUST include exactly one valid value for ":method", ":scheme" and ":path"
  // (RFC 8441 §4: an extended CONNECT request also carries ":scheme", ":path" and ":authority")
  const scheme = pseudo.get(":scheme");
  if (!scheme) malformed("scheme_missing", 'no ":scheme"', streamId);
  const path = pseudo.get(":path");
  if (path === undefined) malformed("path_missing", 'no ":path"', streamId);
  if (path.length === 0) malformed("path_empty", 'empty ":path"', streamId);
  // RFC 9113 §8.3: a request with an invalid pseudo-header field is malformed. For "http" and "https"
  // (§8.3.1): ":path" is an absolute path ('/' when the URI has none) or '*' for an OPTIONS request,
  // and ":authority" MUST NOT include the deprecated userinfo subcomponent
  if (scheme === "http" || scheme === "https") {
    if (path.charCodeAt(0) !== 0x2f && !(path === "*" && method === "OPTIONS"))
      malformed("path_invalid", '":path" is neither an absolute path nor "*" for OPTIONS', streamId);
    if (pseudo.get(":authority")?.includes("@") === true) malformed("authority_userinfo", '":authority" includes userinfo', streamId);
  }
  const authority = pseudo.get(":authority");
  if (protocol !== undefined && !authority) malformed("connect_authority_missing", 'extended CONNECT without ":authority"', streamId);
  return { method, scheme, authority, path, protocol };
}

/**
 * Validates the header section of a response, final or informational
 * (RFC 9113 §8.3.2).
 *
 * @throws Http2Error stream PROTOCOL_ERROR (`status_missing`,
 *   `status_invalid`, `pseudo_header_unknown`, field errors).
 * @returns the status code it checked, as a number.
 * @example
 * ```ts
 * validateResponseHeaders([{ name: ":status", value: "200" }], { streamId: 1 }); // 200
 * ```
 */
export function validateResponseHeaders(fields: readonly Field[], options: { readonly streamId: number }): number {
  const { streamId } = options;
  const pseudo = checkFields(fields, streamId, true);
  for (const name of pseudo.keys()) {
    if (name !== ":status") malformed("pseudo_header_unknown", `pseudo-header field "${name}" is not allowed in a response`, streamId);
  }
  const status = pseudo.get(":status");
  if (status === undefined) malformed("status_missing", 'no ":status"', streamId);
  if (!/^[1-9][0-9]{2}$/.test(status)) malformed("status_invalid", '":status" is not a three-digit code', streamId);
  return Number(status);
}

/**
 * Validates a trailer section: no pseudo-header fields (RFC 9113 §8.1).
 *
 * @throws Http2Error stream PROTOCOL_ERROR (`pseudo_header_in_trailers`, field errors).
 */
export function validateTrailers(fields: readonly Field[], options: { readonly streamId: number }): void {
  checkFields(fields, options.streamId, false);
}
