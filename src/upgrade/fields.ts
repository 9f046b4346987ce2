/**
 * Field lists as `{ name, value }` pairs (the shape of `httpwire/hpack`'s
 * `HeaderField`) and the RFC 9110 list rules the upgrade fields use.
 * @module
 */
import { isToken, splitList, trimOws } from "../shared/field-list.js";

/** One field line: the same shape as `httpwire/hpack`'s `HeaderField`. */
export interface HeaderField {
  readonly name: string;
  readonly value: string;
}

/** Every value of the field `name` (ASCII case-insensitive), in order. @internal */
export function fieldValues(fields: readonly HeaderField[], name: string): string[] {
  const want = name.toLowerCase();
  const out: string[] = [];
  for (const f of fields) if (f.name.toLowerCase() === want) out.push(f.value);
  return out;
}

/**
 * The elements of a `#list` field across all its lines (RFC 9110 §5.6.1):
 * split on commas outside quoted strings, OWS trimmed, empty elements
 * dropped, in linear time (`splitList` of `src/shared/field-list.ts`). @internal
 */
export function listElements(fields: readonly HeaderField[], name: string): string[] {
  const out: string[] = [];
  for (const v of fieldValues(fields, name)) for (const e of splitList(v)) out.push(e);
  return out;
}

/** The extension name of a `Sec-WebSocket-Extensions` element (RFC 6455 §9.1): the token before any `;`. @internal */
export function extensionName(element: string): string {
  const semi = element.indexOf(";");
  return trimOws(semi < 0 ? element : element.slice(0, semi));
}

/** Whether a `#token` list field holds `token`, compared ASCII case-insensitively. @internal */
export function hasListToken(fields: readonly HeaderField[], name: string, token: string): boolean {
  const want = token.toLowerCase();
  return listElements(fields, name).some((t) => t.toLowerCase() === want);
}

/**
 * Whether `s` is an RFC 9110 §7.8 upgrade `protocol`:
 * `protocol-name ["/" protocol-version]`, both tokens. @internal
 */
export function isUpgradeProtocol(s: string): boolean {
  const slash = s.indexOf("/");
  if (slash < 0) return isToken(s);
  return isToken(s.slice(0, slash)) && isToken(s.slice(slash + 1));
}
