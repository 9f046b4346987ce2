/**
 * A read position over a byte range: the minimal state the pure decoders
 * share. Decoders advance `pos` only over units they have fully decoded.
 */
export interface Cursor {
  /** The bytes being read. */
  readonly buf: Uint8Array;
  /** The next byte to read. */
  pos: number;
  /** One past the last readable byte. */
  end: number;
}

/** Makes a cursor over `buf[start, end)`. */
export function cursor(buf: Uint8Array, start = 0, end = buf.length): Cursor {
  return { buf, pos: start, end };
}
