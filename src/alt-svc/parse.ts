/**
 * `Alt-Svc` field value parser (RFC 7838 §3).
 *
 * ```
 * Alt-Svc       = clear / 1#alt-value
 * clear         = %s"clear"; "clear", case-sensitive
 * alt-value     = alternative *( OWS ";" OWS parameter )
 * alternative   = protocol-id "=" alt-authority
 * protocol-id   = token ; percent-encoded ALPN protocol name
 * alt-authority = quoted-string ; containing [ uri-host ] ":" port
 * parameter     = token "=" ( token / quoted-string )
 * ```
 * @module
 */

import { isOws, isTchar, skipOws as owsEnd } from "../shared/field-list.js";
import { latin1Decode } from "../shared/latin1.js";
import { decodeProtocolIdAt } from "./alpn.js";
import { MALFORMED_ALT_SVC, streamError } from "./errors.js";
import { type AltSvc, type AltSvcAlternative, type AltSvcParameter, DEFAULT_MAX_AGE, MAX_MAX_AGE } from "./types.js";
import { isIpLiteral, regNameErrorIndex } from "./uri-host.js";

const SP = 0x20;
const HTAB = 0x09;
const DQUOTE = 0x22;
const BACKSLASH = 0x5c;

function fail(message: string, reason: string, offset: number): never {
  throw streamError(MALFORMED_ALT_SVC, undefined, reason, `Cannot parse Alt-Svc field value: ${message} at offset ${offset}`, offset);
}

/** State of one parse: the input and the position. */
interface Input {
  readonly s: string;
  i: number;
}

function skipOws(p: Input): void {
  p.i = owsEnd(p.s, p.i);
}

function readToken(p: Input): string {
  const start = p.i;
  while (p.i < p.s.length && isTchar(p.s.charCodeAt(p.i))) p.i++;
  return p.s.slice(start, p.i);
}

/**
 * Reads a quoted-string at `p.i` (which holds DQUOTE). RFC 9110 §5.6.4:
 * qdtext = HTAB / SP / %x21 / %x23-5B / %x5D-7E / obs-text, quoted-pair =
 * "\" ( HTAB / SP / VCHAR / obs-text ). Returns the unquoted content.
 */
function readQuotedString(p: Input): string {
  const s = p.s;
  const open = p.i;
  p.i++;
  let out = "";
  let runStart = p.i;
  while (p.i < s.length) {
    const c = s.charCodeAt(p.i);
    if (c === DQUOTE) {
      out += s.slice(runStart, p.i);
      p.i++;
      return out;
    }
    if (c === BACKSLASH) {
      out += s.slice(runStart, p.i);
      const q = p.i + 1 < s.length ? s.charCodeAt(p.i + 1) : -1;
      if (q === -1) break;
      if (!(q === HTAB || q === SP || (q >= 0x21 && q <= 0x7e) || q >= 0x80)) {
        fail("quoted-pair escapes a control character", "invalid_quoted_pair", p.i + 1);
      }
      out += s[p.i + 1];
      p.i += 2;
      runStart = p.i;
      continue;
    }
    if (!(c === HTAB || c === SP || c === 0x21 || (c >= 0x23 && c <= 0x7e) || c >= 0x80)) {
      fail("control character inside a quoted-string", "invalid_quoted_string_character", p.i);
    }
    p.i++;
  }
  return fail("quoted-string has no closing quote", "unterminated_quoted_string", open);
}

/** Parses `[ uri-host ] ":" port`; `base` maps content indexes to input offsets, or -1 if it cannot. */
function parseAuthority(content: string, at: number, exact: boolean): { host: string; port: number } {
  const off = (k: number) => (exact ? at + k : at);
  let colon: number;
  if (content.length > 0 && content[0] === "[") {
    const close = content.indexOf("]");
    if (close < 0) fail("IP literal has no closing bracket", "invalid_alt_authority_host", off(0));
    colon = close + 1;
    if (colon >= content.length || content[colon] !== ":") {
      fail('alt-authority needs ":" and a port', "missing_alt_authority_port", off(colon));
    }
    if (!isIpLiteral(content.slice(0, colon))) fail("IP literal is not valid", "invalid_alt_authority_host", off(0));
  } else {
    colon = content.indexOf(":");
    if (colon < 0) fail('alt-authority needs ":" and a port', "missing_alt_authority_port", off(content.length));
    const bad = regNameErrorIndex(content.slice(0, colon));
    if (bad >= 0) fail("character is not allowed in a host", "invalid_alt_authority_host", off(bad));
  }
  const portText = content.slice(colon + 1);
  if (portText.length === 0) fail("port is empty", "missing_alt_authority_port", off(colon + 1));
  for (let k = 0; k < portText.length; k++) {
    const c = portText.charCodeAt(k);
    if (c < 0x30 || c > 0x39) fail("port is not a decimal number", "invalid_alt_authority_port", off(colon + 1 + k));
  }
  const port = portText.length > 5 ? Infinity : Number(portText);
  if (port > 65535) fail("port is above 65535", "invalid_alt_authority_port", off(colon + 1));
  return { host: content.slice(0, colon), port };
}

/**
 * Reads the `ma` value: delta-seconds = 1*DIGIT (RFC 9111 §1.2.2), clamped
 * to 2^31. Returns -1 if the value is not digits.
 */
export function parseMaxAge(value: string): number {
  if (value.length === 0) return -1;
  let n = 0;
  for (let k = 0; k < value.length; k++) {
    const c = value.charCodeAt(k);
    if (c < 0x30 || c > 0x39) return -1;
    n = n * 10 + (c - 0x30);
    if (n > MAX_MAX_AGE) n = MAX_MAX_AGE;
  }
  return n;
}

/** The `maxAge` and `persist` that a parameter list implies; maxAge -1 when the first `ma` is bad. */
export function effectiveParameters(parameters: readonly AltSvcParameter[]): {
  maxAge: number;
  persist: boolean;
  badMaAt: number;
} {
  let maxAge: number | undefined;
  let badMaAt = -1;
  let persist = false;
  for (let k = 0; k < parameters.length; k++) {
    const prm = parameters[k]!;
    const name = prm.name.toLowerCase();
    if (name === "ma" && maxAge === undefined) {
      maxAge = parseMaxAge(prm.value);
      if (maxAge < 0) badMaAt = k;
    } else if (name === "persist" && prm.value === "1") {
      // RFC 7838 §3.1: clients MUST ignore "persist" values other than "1".
      persist = true;
    }
  }
  return { maxAge: maxAge ?? DEFAULT_MAX_AGE, persist, badMaAt };
}

function parseAltValue(p: Input): AltSvcAlternative {
  const s = p.s;
  const idStart = p.i;
  const token = readToken(p);
  if (token.length === 0) fail("expected a protocol-id token", "invalid_protocol_id", idStart);
  const decoded = decodeProtocolIdAt(token);
  if (typeof decoded === "number") {
    fail('"%" is not followed by two hex digits', "invalid_percent_encoding", idStart - decoded - 1);
  }
  if (p.i >= s.length || s.charCodeAt(p.i) !== 0x3d) fail('expected "=" after the protocol-id', "expected_equals", p.i);
  p.i++;
  if (p.i >= s.length || s.charCodeAt(p.i) !== DQUOTE) {
    fail("alt-authority must be a quoted-string", "expected_quoted_alt_authority", p.i);
  }
  const qStart = p.i;
  const content = readQuotedString(p);
  const { host, port } = parseAuthority(content, qStart + 1, p.i - qStart - 2 === content.length);

  const parameters: AltSvcParameter[] = [];
  for (;;) {
    const save = p.i;
    skipOws(p);
    if (p.i >= s.length || s.charCodeAt(p.i) !== 0x3b) {
      p.i = save;
      break;
    }
    p.i++;
    skipOws(p);
    const nameAt = p.i;
    const name = readToken(p);
    if (name.length === 0) fail("expected a parameter name", "invalid_parameter_name", nameAt);
    if (p.i >= s.length || s.charCodeAt(p.i) !== 0x3d) fail('expected "=" after the parameter name', "expected_equals", p.i);
    p.i++;
    const valueAt = p.i;
    let value: string;
    if (p.i < s.length && s.charCodeAt(p.i) === DQUOTE) value = readQuotedString(p);
    else {
      value = readToken(p);
      if (value.length === 0) fail("expected a parameter value", "invalid_parameter_value", valueAt);
    }
    if (name.toLowerCase() === "ma" && parseMaxAge(value) < 0) {
      fail("ma is not delta-seconds", "invalid_ma", valueAt);
    }
    parameters.push({ name, value });
  }
  const eff = effectiveParameters(parameters);
  return { protocolId: decoded, host, port, maxAge: eff.maxAge, persist: eff.persist, parameters };
}

/**
 * Parses an `Alt-Svc` field value (RFC 7838 §3) into `clear` or the list of
 * alternatives, in the server's order.
 *
 * List rules follow RFC 9110 §5.6.1: OWS around commas, and empty list
 * elements are ignored, but at least one element is required. A list that
 * holds `clear` among alternatives is invalid by the ABNF; RFC 7838 §3 says
 * it still clears everything, so the result is `clear` (the other elements
 * must still parse). Several field lines may be joined with `", "` first.
 *
 * @param value The field value: a string of octets (one character per
 *   octet) or the raw bytes, e.g. an ALTSVC frame's Alt-Svc-Field-Value.
 * @returns The parsed advertisement; never a partial result. It holds
 *   strings only, no view of `value`: the caller may reuse the bytes at once.
 * @throws {AltSvcError} code 0 `MALFORMED_ALT_SVC`, scope `stream`, with the
 *   offset and a reason such as `empty_field_value`, `expected_comma`,
 *   `invalid_protocol_id`, `invalid_percent_encoding`, `expected_equals`,
 *   `expected_quoted_alt_authority`, `unterminated_quoted_string`,
 *   `invalid_quoted_string_character`, `invalid_quoted_pair`,
 *   `invalid_alt_authority_host`, `missing_alt_authority_port`,
 *   `invalid_alt_authority_port`, `invalid_parameter_name`,
 *   `invalid_parameter_value`, `invalid_ma`, `invalid_character`.
 * @example
 * ```ts
 * const adv = parseAltSvc('h3=":443"; ma=3600, h2="alt.example.com:8443"');
 * adv.clear; // false
 * adv.alternatives[0]; // { protocolId: "h3", host: "", port: 443, maxAge: 3600, persist: false, parameters: [{ name: "ma", value: "3600" }] }
 * parseAltSvc("clear").clear; // true
 * ```
 */
export function parseAltSvc(value: string | Uint8Array): AltSvc {
  const s = typeof value === "string" ? value : latin1Decode(value);
  for (let k = 0; k < s.length; k++) {
    const c = s.charCodeAt(k);
    // A field value is octets; CR, LF and NUL are never allowed (RFC 9110 §5.5).
    if (c > 0xff || c === 0x00 || c === 0x0a || c === 0x0d) {
      fail("character is not allowed in a field value", "invalid_character", k);
    }
  }
  const p: Input = { s, i: 0 };
  const alternatives: AltSvcAlternative[] = [];
  let clear = false;
  let elements = 0;
  for (;;) {
    skipOws(p);
    if (p.i >= s.length) break;
    if (s.charCodeAt(p.i) === 0x2c) {
      p.i++; // RFC 9110 §5.6.1: a recipient MUST accept and ignore empty list elements
      continue;
    }
    const after = p.i + 5;
    if (s.startsWith("clear", p.i) && (after === s.length || s.charCodeAt(after) === 0x2c || isOws(s.charCodeAt(after)))) {
      clear = true;
      p.i = after;
    } else {
      alternatives.push(parseAltValue(p));
    }
    elements++;
    skipOws(p);
    if (p.i >= s.length) break;
    if (s.charCodeAt(p.i) !== 0x2c) fail('expected "," between alternatives', "expected_comma", p.i);
    p.i++;
  }
  if (elements === 0) fail("field value has no alternative and no clear", "empty_field_value", 0);
  if (clear) return { clear: true, alternatives: [] };
  return { clear: false, alternatives };
}
