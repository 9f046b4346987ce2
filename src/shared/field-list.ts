/**
 * HTTP field values as lists (RFC 9110 §5.6.1 `#rule`), optional whitespace
 * (§5.6.3 `OWS = *( SP / HTAB )`) and tokens (§5.6.2): the one place that
 * splits a list, trims OWS and checks a token, used by `upgrade` and
 * `alt-svc`.
 *
 * Everything here is one left-to-right pass: each character is looked at a
 * bounded number of times, so a value of n characters costs O(n) whatever
 * it holds. (A trimming regular expression such as `/^[ \t]+|[ \t]+$/g`
 * retries its second branch at every position of a whitespace run: O(n²)
 * for a long run followed by another character.)
 *
 * @module
 * @internal
 */

const SP = 0x20;
const HTAB = 0x09;
const COMMA = 0x2c;
const DQUOTE = 0x22;
const BACKSLASH = 0x5c;

// tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA
const TCHAR = new Uint8Array(256);
for (const c of "!#$%&'*+-.^_`|~") TCHAR[c.charCodeAt(0)] = 1;
for (let c = 0x30; c <= 0x39; c++) TCHAR[c] = 1;
for (let c = 0x41; c <= 0x5a; c++) TCHAR[c] = 1;
for (let c = 0x61; c <= 0x7a; c++) TCHAR[c] = 1;

/** Whether the UTF-16 unit `c` is an RFC 9110 §5.6.2 `tchar`. @internal */
export function isTchar(c: number): boolean {
  return c < 256 && TCHAR[c] === 1;
}

/** Whether `s` is a non-empty RFC 9110 §5.6.2 `token`. @internal */
export function isToken(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) if (!isTchar(s.charCodeAt(i))) return false;
  return true;
}

/** Whether the UTF-16 unit `c` is OWS: SP or HTAB (RFC 9110 §5.6.3). @internal */
export function isOws(c: number): boolean {
  return c === SP || c === HTAB;
}

/** The first index at or after `from` (and before `end`) that is not OWS. @internal */
export function skipOws(s: string, from: number, end = s.length): number {
  let i = from;
  while (i < end && isOws(s.charCodeAt(i))) i++;
  return i;
}

/** The index just after the last character before `end` (and at or after `start`) that is not OWS. @internal */
export function skipOwsBack(s: string, start: number, end: number): number {
  let e = end;
  while (e > start && isOws(s.charCodeAt(e - 1))) e--;
  return e;
}

/**
 * `s` without leading and trailing OWS (SP and HTAB only, not the wider
 * whitespace of `String.prototype.trim`, which would also remove obs-text
 * octets such as 0xa0). @internal
 */
export function trimOws(s: string): string {
  const start = skipOws(s, 0);
  const end = skipOwsBack(s, start, s.length);
  return start === 0 && end === s.length ? s : s.slice(start, end);
}

/**
 * The elements of one field value read as an RFC 9110 §5.6.1 list: split at
 * the commas that are not inside a quoted-string (§5.6.4, with quoted-pairs),
 * each element trimmed of OWS, empty elements dropped (a recipient MUST
 * ignore them). An unterminated quoted-string runs to the end of the value.
 * @internal
 */
export function splitList(value: string): string[] {
  const out: string[] = [];
  const element = (from: number, to: number): void => {
    const a = skipOws(value, from, to);
    const b = skipOwsBack(value, a, to);
    if (b > a) out.push(value.slice(a, b));
  };
  const n = value.length;
  let start = 0;
  let quoted = false;
  for (let i = 0; i < n; i++) {
    const c = value.charCodeAt(i);
    if (quoted) {
      if (c === BACKSLASH) i++;
      else if (c === DQUOTE) quoted = false;
    } else if (c === DQUOTE) quoted = true;
    else if (c === COMMA) {
      element(start, i);
      start = i + 1;
    }
  }
  element(start, n);
  return out;
}
