/**
 * Byte-for-byte string mapping (ISO-8859-1 / "Latin-1"): each byte becomes
 * the UTF-16 unit of the same value and back. HPACK and QPACK field names and
 * values are opaque octets; this mapping never loses a byte, unlike UTF-8.
 *
 * @module
 */

const CHUNK = 4096;

/** Decodes `buf[start, end)` as Latin-1. */
export function latin1Decode(buf: Uint8Array, start = 0, end = buf.length): string {
  const n = end - start;
  if (n <= 0) return "";
  if (n <= 16) {
    let s = "";
    for (let i = start; i < end; i++) s += String.fromCharCode(buf[i]!);
    return s;
  }
  if (n <= CHUNK) {
    return String.fromCharCode.apply(null, buf.subarray(start, end) as unknown as number[]);
  }
  let s = "";
  for (let i = start; i < end; i += CHUNK) {
    s += String.fromCharCode.apply(null, buf.subarray(i, Math.min(end, i + CHUNK)) as unknown as number[]);
  }
  return s;
}

/**
 * Encodes a string whose units are all <= 0xff as bytes. Throws `TypeError`
 * for a unit above 0xff: such a string has no byte-for-byte meaning (encode
 * text as UTF-8 first and map the bytes).
 */
export function latin1Encode(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 0xff) throw new TypeError(`Cannot encode string: character ${c} at index ${i} is above 0xff`);
    out[i] = c;
  }
  return out;
}

/** Whether every UTF-16 unit of `s` is at most 0xff. */
export function isLatin1(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0xff) return false;
  return true;
}
