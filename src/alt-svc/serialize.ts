/**
 * `Alt-Svc` field value serialiser (RFC 7838 §3).
 * @module
 */

import { isToken } from "../shared/field-list.js";
import { integerOption } from "../shared/options.js";
import { encodeProtocolId } from "./alpn.js";
import { effectiveParameters, parseMaxAge } from "./parse.js";
import { type AltSvcAlternativeInit, type AltSvcInit, type AltSvcParameter, DEFAULT_MAX_AGE, MAX_MAX_AGE } from "./types.js";
import { isUriHost } from "./uri-host.js";

/** Writes `value` as a token when it is one, else as a quoted-string (RFC 9110 §5.6.4). */
function formatParameterValue(value: string, where: string): string {
  if (isToken(value)) return value;
  let out = '"';
  for (let k = 0; k < value.length; k++) {
    const c = value.charCodeAt(k);
    if (c > 0xff || (c < 0x20 && c !== 0x09) || c === 0x7f) {
      throw new TypeError(`Cannot serialise ${where}: character ${c} at index ${k} cannot appear in a quoted-string`);
    }
    if (c === 0x22 || c === 0x5c) out += "\\";
    out += value[k];
  }
  return `${out}"`;
}

function formatAlternative(alt: AltSvcAlternativeInit, index: number): string {
  const where = `alternative ${index}`;
  const host = alt.host ?? "";
  if (!isUriHost(host)) throw new TypeError(`Cannot serialise ${where}: host is not a valid uri-host`);
  // Required: a missing port (plain-JS callers) is refused like a bad one.
  integerOption(`serializeAltSvc (${where})`, "port", alt.port ?? Number.NaN, 0, 0, 65535);
  const listed = alt.parameters ?? [];
  const params: AltSvcParameter[] = [];
  const eff = effectiveParameters(listed);
  const hasMa = listed.some((p) => p.name.toLowerCase() === "ma");
  for (const prm of listed) {
    if (prm.name.toLowerCase() === "ma" && parseMaxAge(prm.value) < 0) {
      throw new TypeError(`Cannot serialise ${where}: an ma parameter is not delta-seconds`);
    }
  }
  if (alt.maxAge !== undefined) {
    integerOption(`serializeAltSvc (${where})`, "maxAge", alt.maxAge, 0, 0, MAX_MAX_AGE);
    if (hasMa) {
      if (eff.maxAge !== alt.maxAge) throw new TypeError(`Cannot serialise ${where}: maxAge disagrees with its ma parameter`);
    } else if (alt.maxAge !== DEFAULT_MAX_AGE) {
      params.push({ name: "ma", value: String(alt.maxAge) });
    }
  }
  if (alt.persist === true && !eff.persist) params.push({ name: "persist", value: "1" });
  if (alt.persist === false && eff.persist) {
    throw new TypeError(`Cannot serialise ${where}: persist is false but a persist=1 parameter is listed`);
  }
  params.push(...listed);

  let out = `${encodeProtocolId(alt.protocolId)}="${host}:${alt.port}"`;
  for (const prm of params) {
    if (!isToken(prm.name)) throw new TypeError(`Cannot serialise ${where}: parameter name is not a token`);
    out += `; ${prm.name}=${formatParameterValue(prm.value, where)}`;
  }
  return out;
}

/**
 * Serialises an `Alt-Svc` field value (RFC 7838 §3): `clear`, or the
 * alternatives joined by `", "` with parameters after `"; "`. Protocol IDs
 * are percent-encoded by the §3.1 rules; parameter values are tokens when
 * they can be, else quoted-strings. A parsed {@link AltSvc} serialises to a
 * value that parses back to itself.
 *
 * @returns The field value (ASCII unless a parameter value has octets above 0x7f).
 * @throws TypeError / RangeError for a caller mistake: no alternatives, an
 *   empty protocol ID, a host that is not a `uri-host`, a port outside
 *   0-65535, a parameter name that is not a token, a value with control
 *   characters, or `maxAge`/`persist` that contradict `parameters`.
 * @example
 * ```ts
 * serializeAltSvc({ alternatives: [{ protocolId: "h3", port: 443, maxAge: 3600 }, { protocolId: "h2", host: "alt.example.com", port: 443 }] });
 * // 'h3=":443"; ma=3600, h2="alt.example.com:443"'
 * serializeAltSvc({ clear: true }); // "clear"
 * ```
 */
export function serializeAltSvc(advert: AltSvcInit): string {
  if (advert.clear === true) return "clear";
  const list = advert.alternatives;
  if (list.length === 0) throw new TypeError("Cannot serialise Alt-Svc: there are no alternatives (use clear)");
  let out = "";
  for (let k = 0; k < list.length; k++) out += (k === 0 ? "" : ", ") + formatAlternative(list[k]!, k);
  return out;
}
