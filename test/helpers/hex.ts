/**
 * Hex and Latin-1 helpers for tests, free of Node APIs so that the codec
 * suites also run in the browser (`npm run test:browser`). Use these rather
 * than `Buffer` in tests under test/<codec module>/.
 */

/** Parses hex, ignoring white space and an optional `0x` prefix. */
export function hex(text: string): Uint8Array {
  const s = text.replace(/\s+/g, "").replace(/^0x/i, "");
  if (s.length % 2 !== 0 || /[^0-9a-f]/i.test(s)) throw new TypeError(`Not hex: ${JSON.stringify(text)}`);
  const out = new Uint8Array(s.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(s.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** Lower-case hex of `bytes`, no separators. */
export function toHex(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i++) s += bytes[i]!.toString(16).padStart(2, "0");
  return s;
}

/** Bytes of a Latin-1 string (each unit must be <= 0xff). */
export function latin1(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/** The Latin-1 string of `bytes`. */
export function fromLatin1(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]!);
  return s;
}

/** Concatenates byte arrays. */
export function concat(...parts: readonly Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
