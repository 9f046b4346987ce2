/**
 * The `Alt-Used` request field (RFC 7838 §5): `uri-host [ ":" port ]`, the
 * alternative service a request was sent to.
 * @module
 */

import { skipOws, skipOwsBack } from "../shared/field-list.js";
import { integerOption } from "../shared/options.js";
import { MALFORMED_ALT_SVC, streamError } from "./errors.js";
import { isIpLiteral, isUriHost, regNameErrorIndex } from "./uri-host.js";

/** A parsed `Alt-Used` value. */
export interface AltUsed {
  /** The host as written, brackets kept for an IP literal. */
  readonly host: string;
  /** The port, when one was given. */
  readonly port: number | undefined;
}

function fail(message: string, reason: string, offset: number): never {
  throw streamError(MALFORMED_ALT_SVC, undefined, reason, `Cannot parse Alt-Used field value: ${message} at offset ${offset}`, offset);
}

/**
 * Parses an `Alt-Used` field value (RFC 7838 §5). Surrounding OWS is ignored.
 *
 * @throws {AltSvcError} code 0 `MALFORMED_ALT_SVC`, scope `stream`:
 *   `invalid_alt_used_host` (empty, or not an RFC 3986 host),
 *   `invalid_alt_used_port` (empty after ":", not decimal, above 65535).
 * @example
 * ```ts
 * parseAltUsed("alternate.example.net"); // { host: "alternate.example.net", port: undefined }
 * parseAltUsed("[2001:db8::1]:8443"); // { host: "[2001:db8::1]", port: 8443 }
 * ```
 */
export function parseAltUsed(value: string): AltUsed {
  const start = skipOws(value, 0);
  const s = value.slice(start, skipOwsBack(value, start, value.length));
  let hostEnd: number;
  if (s.startsWith("[")) {
    hostEnd = s.indexOf("]") + 1;
    if (hostEnd === 0 || !isIpLiteral(s.slice(0, hostEnd))) fail("IP literal is not valid", "invalid_alt_used_host", start);
    if (hostEnd < s.length && s[hostEnd] !== ":") fail('expected ":" after the IP literal', "invalid_alt_used_port", start + hostEnd);
  } else {
    const colon = s.indexOf(":");
    hostEnd = colon < 0 ? s.length : colon;
    const bad = regNameErrorIndex(s.slice(0, hostEnd));
    if (bad >= 0) fail("character is not allowed in a host", "invalid_alt_used_host", start + bad);
  }
  if (hostEnd === 0) fail("host is empty", "invalid_alt_used_host", start);
  const host = s.slice(0, hostEnd);
  if (hostEnd === s.length) return { host, port: undefined };
  const portText = s.slice(hostEnd + 1);
  if (!/^[0-9]{1,5}$/.test(portText) || Number(portText) > 65535) {
    fail("port is not a decimal number from 0 to 65535", "invalid_alt_used_port", start + hostEnd + 1);
  }
  return { host, port: Number(portText) };
}

/**
 * Formats an `Alt-Used` value for a request sent to an alternative (RFC 7838
 * §5: clients SHOULD send it). An alternative with an empty host is on the
 * origin's host, so pass `originHost` for those.
 *
 * @throws TypeError if no host is known or it is not a `uri-host`;
 *   RangeError for a port outside 0-65535.
 * @example
 * ```ts
 * formatAltUsed({ host: "alternate.example.net" }); // "alternate.example.net"
 * formatAltUsed({ host: "", port: 8443 }, "origin.example.com"); // "origin.example.com:8443"
 * ```
 */
export function formatAltUsed(alternative: { readonly host: string; readonly port?: number }, originHost?: string): string {
  const host = alternative.host.length > 0 ? alternative.host : (originHost ?? "");
  if (host.length === 0 || !isUriHost(host)) throw new TypeError("Cannot format Alt-Used: the host is empty or not a valid uri-host");
  const { port } = alternative;
  if (port === undefined) return host;
  return `${host}:${integerOption("formatAltUsed", "port", port, 0, 0, 65535)}`;
}
