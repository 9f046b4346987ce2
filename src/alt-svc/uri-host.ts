/**
 * RFC 3986 §3.2.2 `host` syntax (`uri-host` in RFC 9110), used to check the
 * host part of an Alt-Svc `alt-authority`.
 * @module
 */

function isHexDigit(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

function isAlphaNum(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

// unreserved = ALPHA / DIGIT / "-" / "." / "_" / "~"
function isUnreserved(c: number): boolean {
  return isAlphaNum(c) || c === 0x2d || c === 0x2e || c === 0x5f || c === 0x7e;
}

// sub-delims = "!" / "$" / "&" / "'" / "(" / ")" / "*" / "+" / "," / ";" / "="
function isSubDelim(c: number): boolean {
  return "!$&'()*+,;=".indexOf(String.fromCharCode(c)) >= 0;
}

/**
 * Index of the first character of `s` that breaks `reg-name = *( unreserved
 * / pct-encoded / sub-delims )`, or -1 when `s` is a valid reg-name (which
 * includes every IPv4 address and the empty string).
 */
export function regNameErrorIndex(s: string): number {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (isUnreserved(c) || isSubDelim(c)) continue;
    if (c === 0x25 && i + 2 < s.length && isHexDigit(s.charCodeAt(i + 1)) && isHexDigit(s.charCodeAt(i + 2))) {
      i += 2;
      continue;
    }
    return i;
  }
  return -1;
}

// dec-octet: "0" / "1"-"9" / "10"-"99" / "100"-"199" / "200"-"249" / "250"-"255", no leading zero
function isDecOctet(s: string): boolean {
  if (s.length === 0 || s.length > 3) return false;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) < 0x30 || s.charCodeAt(i) > 0x39) return false;
  if (s.length > 1 && s[0] === "0") return false;
  return Number(s) <= 255;
}

/** Whether `s` is an RFC 3986 `IPv4address` (dotted quad, no leading zeros). */
function isIpv4Address(s: string): boolean {
  const parts = s.split(".");
  return parts.length === 4 && parts.every(isDecOctet);
}

function isH16(s: string): boolean {
  if (s.length === 0 || s.length > 4) return false;
  for (let i = 0; i < s.length; i++) if (!isHexDigit(s.charCodeAt(i))) return false;
  return true;
}

/** Counts the 16-bit groups of one side of "::"; -1 if malformed. */
function countGroups(side: string, mayEndInIpv4: boolean): number {
  if (side.length === 0) return 0;
  const parts = side.split(":");
  let n = 0;
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!;
    if (i === parts.length - 1 && mayEndInIpv4 && p.indexOf(".") >= 0) {
      if (!isIpv4Address(p)) return -1;
      n += 2;
    } else if (isH16(p)) n += 1;
    else return -1;
  }
  return n;
}

/** Whether `s` is an RFC 3986 `IPv6address` (without brackets). */
function isIpv6Address(s: string): boolean {
  const dc = s.indexOf("::");
  if (dc < 0) return countGroups(s, true) === 8;
  if (s.indexOf("::", dc + 1) >= 0) return false;
  const left = countGroups(s.slice(0, dc), false);
  const right = countGroups(s.slice(dc + 2), true);
  // "::" stands for at least one group of zeros.
  return left >= 0 && right >= 0 && left + right <= 7;
}

// IPvFuture = "v" 1*HEXDIG "." 1*( unreserved / sub-delims / ":" )
function isIpvFuture(s: string): boolean {
  if (s.length < 4 || (s[0] !== "v" && s[0] !== "V")) return false;
  const dot = s.indexOf(".");
  if (dot < 2) return false;
  for (let i = 1; i < dot; i++) if (!isHexDigit(s.charCodeAt(i))) return false;
  if (dot === s.length - 1) return false;
  for (let i = dot + 1; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!(isUnreserved(c) || isSubDelim(c) || c === 0x3a)) return false;
  }
  return true;
}

/** Whether `s` is an RFC 3986 `IP-literal`, brackets included. */
export function isIpLiteral(s: string): boolean {
  if (s.length < 3 || s[0] !== "[" || s[s.length - 1] !== "]") return false;
  const inner = s.slice(1, -1);
  return isIpv6Address(inner) || isIpvFuture(inner);
}

/**
 * Whether `s` is an RFC 3986 `host` (IP-literal in brackets, IPv4address or
 * reg-name); the empty string counts (an empty reg-name).
 */
export function isUriHost(s: string): boolean {
  if (s.length > 0 && s[0] === "[") return isIpLiteral(s);
  return regNameErrorIndex(s) < 0;
}
