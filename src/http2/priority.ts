/**
 * The RFC 9218 Priority field value (`u=`, `i`), carried by the Priority
 * header field and by PRIORITY_UPDATE frames.
 * @module
 */

/** Extensible priority parameters (RFC 9218 §4). */
export interface Priority {
  /** Urgency 0 (highest) .. 7 (lowest); default 3 (RFC 9218 §4.1). */
  readonly urgency: number;
  /** Incremental delivery; default false (RFC 9218 §4.2). */
  readonly incremental: boolean;
}

/** The defaults a missing or unusable field value means: `u=3`, not incremental. */
export const DEFAULT_PRIORITY: Priority = Object.freeze({ urgency: 3, incremental: false });

/**
 * Parses a Priority field value, a Structured Field Dictionary (RFC 8941
 * §3.2), tolerantly as RFC 9218 §4 asks: unknown keys, out-of-range values
 * and values of unexpected types are ignored (the default stays); a value
 * that is not a valid dictionary yields the defaults. The last occurrence of
 * a key wins (RFC 8941 §3.2). Never throws.
 *
 * @example
 * ```ts
 * parsePriority("u=1, i");        // { urgency: 1, incremental: true }
 * parsePriority("u=9, foo=bar");  // { urgency: 3, incremental: false }
 * ```
 */
export function parsePriority(value: string): Priority {
  const dict = parseDictionary(value);
  if (dict === undefined) return DEFAULT_PRIORITY;
  let urgency = DEFAULT_PRIORITY.urgency;
  let incremental = DEFAULT_PRIORITY.incremental;
  const u = dict.get("u");
  if (typeof u === "number" && Number.isInteger(u) && u >= 0 && u <= 7) urgency = u;
  const i = dict.get("i");
  if (typeof i === "boolean") incremental = i;
  return { urgency, incremental };
}

/**
 * Serialises priority parameters, leaving out those equal to their default
 * (RFC 9218 §4: a missing parameter means its default).
 *
 * @throws RangeError when urgency is not an integer in 0..7.
 * @example
 * ```ts
 * serializePriority({ urgency: 1, incremental: true }); // "u=1, i"
 * serializePriority({ urgency: 3, incremental: false }); // ""
 * ```
 */
export function serializePriority(priority: Priority): string {
  const { urgency, incremental } = priority;
  if (!Number.isInteger(urgency) || urgency < 0 || urgency > 7)
    throw new RangeError(`urgency must be an integer in 0..7, got ${String(urgency)}`);
  const parts: string[] = [];
  if (urgency !== 3) parts.push(`u=${urgency}`);
  if (incremental) parts.push("i");
  return parts.join(", ");
}

type Bare =
  | number
  | boolean
  | string
  | { readonly decimal: number }
  | { readonly token: string }
  | { readonly bytes: string }
  | { readonly list: true };

/** RFC 8941 §4.2.2 dictionary parsing; values keep only their bare item. `undefined` on a syntax error. */
function parseDictionary(input: string): Map<string, Bare> | undefined {
  const s = input;
  const out = new Map<string, Bare>();
  let p = skipSp(s, 0);
  if (p === s.length) return out;
  for (;;) {
    const keyEnd = keyEndAt(s, p);
    if (keyEnd === p) return undefined;
    const key = s.slice(p, keyEnd);
    p = keyEnd;
    let value: Bare = true;
    if (s[p] === "=") {
      p++;
      if (s[p] === "(") {
        const r = skipInnerList(s, p);
        if (r === undefined) return undefined;
        value = { list: true };
        p = r;
      } else {
        const r = bareItem(s, p);
        if (r === undefined) return undefined;
        [value, p] = r;
      }
    }
    const afterParams = skipParameters(s, p);
    if (afterParams === undefined) return undefined;
    p = afterParams;
    out.set(key, value);
    p = skipOws(s, p);
    if (p === s.length) return out;
    if (s[p] !== ",") return undefined;
    p = skipOws(s, p + 1);
    if (p === s.length) return undefined; // trailing comma
  }
}

function skipSp(s: string, p: number): number {
  while (s[p] === " ") p++;
  return p;
}
function skipOws(s: string, p: number): number {
  while (s[p] === " " || s[p] === "\t") p++;
  return p;
}
function keyEndAt(s: string, p: number): number {
  const c0 = s.charCodeAt(p);
  if (!((c0 >= 0x61 && c0 <= 0x7a) || c0 === 0x2a)) return p;
  let q = p + 1;
  for (; q < s.length; q++) {
    const c = s.charCodeAt(q);
    if (!((c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x5f || c === 0x2d || c === 0x2e || c === 0x2a)) break;
  }
  return q;
}

function skipInnerList(s: string, p: number): number | undefined {
  p++;
  for (;;) {
    p = skipSp(s, p);
    if (s[p] === ")") {
      p++;
      break;
    }
    const r = bareItem(s, p);
    if (r === undefined) return undefined;
    p = r[1];
    const afterParams = skipParameters(s, p);
    if (afterParams === undefined) return undefined;
    p = afterParams;
    if (s[p] !== " " && s[p] !== ")") return undefined;
  }
  return skipParameters(s, p);
}

/** RFC 8941 §4.2.3.2 parameters (`;key[=bare]`...), skipped: the position after them, or `undefined` on a syntax error. */
function skipParameters(s: string, p: number): number | undefined {
  while (s[p] === ";") {
    p = skipSp(s, p + 1);
    const e = keyEndAt(s, p);
    if (e === p) return undefined;
    p = e;
    if (s[p] === "=") {
      const r = bareItem(s, p + 1);
      if (r === undefined) return undefined;
      p = r[1];
    }
  }
  return p;
}

/** RFC 8941 §4.2.3.1 bare item: integer/decimal, string, token, byte sequence, boolean. */
function bareItem(s: string, p: number): [Bare, number] | undefined {
  const c = s[p];
  if (c === undefined) return undefined;
  if (c === "-" || (c >= "0" && c <= "9")) {
    const m = /^-?\d{1,15}(?:\.\d{1,3})?/.exec(s.slice(p));
    if (m === null) return undefined;
    const text = m[0];
    if (text.includes(".")) {
      // A decimal is a different type from an integer even when its value is whole ("u=1.0" is ignored).
      if (text.split(".")[0]!.replace("-", "").length > 12) return undefined;
      return [{ decimal: Number(text) }, p + text.length];
    }
    return [Number(text), p + text.length];
  }
  if (c === '"') {
    let q = p + 1;
    let out = "";
    for (;;) {
      const ch = s[q];
      if (ch === undefined) return undefined;
      if (ch === "\\") {
        const nx = s[q + 1];
        if (nx !== '"' && nx !== "\\") return undefined;
        out += nx;
        q += 2;
        continue;
      }
      if (ch === '"') return [out, q + 1];
      const code = ch.charCodeAt(0);
      if (code < 0x20 || code > 0x7e) return undefined;
      out += ch;
      q++;
    }
  }
  if (c === ":") {
    const e = s.indexOf(":", p + 1);
    if (e < 0 || !/^[A-Za-z0-9+/=]*$/.test(s.slice(p + 1, e))) return undefined;
    return [{ bytes: s.slice(p + 1, e) }, e + 1];
  }
  if (c === "?") {
    if (s[p + 1] === "1") return [true, p + 2];
    if (s[p + 1] === "0") return [false, p + 2];
    return undefined;
  }
  if (/[A-Za-z*]/.test(c)) {
    const m = /^[A-Za-z*][!#$%&'*+\-.^_`|~0-9A-Za-z:/]*/.exec(s.slice(p));
    return [{ token: m![0] }, p + m![0].length];
  }
  return undefined;
}
