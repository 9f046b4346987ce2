/**
 * The HPACK Huffman code (RFC 7541 §5.2, Appendix B), shared by HPACK and
 * QPACK (RFC 9204 §4.1.2 reuses it).
 *
 * - Encoding packs codes into a bit accumulator, two ASCII characters per
 *   step when their codes take 16 bits or less together (a 128 x 128 pair
 *   table), and pads the last byte with the most significant bits of EOS
 *   (all ones).
 * - Decoding is table-driven: a state machine over the 256 internal nodes of
 *   the code tree consumes one whole input byte per step (at most two
 *   symbols come out of one byte, as the shortest code is 5 bits). The
 *   65,536-entry table is built once, on first use, from the generated code
 *   table.
 * - Decoding failures are returned as the internal sentinels of `result.ts`
 *   (`TOO_LONG`: the decompression bomb guard; `HUFFMAN_EOS_DECODED`: RFC
 *   7541 §5.2 "A Huffman-encoded string literal containing the EOS symbol
 *   MUST be treated as a decoding error"; `HUFFMAN_BAD_PADDING`: padding
 *   longer than 7 bits or not the most significant bits of EOS), never thrown, so
 *   HPACK and QPACK each raise their own error class at the point of use.
 *
 * @module
 */

import type { ByteWriter } from "./byte-writer.js";
import { HUFFMAN_CODE_LENGTHS, HUFFMAN_CODES, HUFFMAN_EOS } from "./huffman-table.js";
import { asciiDecode, latin1Decode } from "./latin1.js";
import { HUFFMAN_BAD_PADDING, HUFFMAN_EOS_DECODED, TOO_LONG } from "./result.js";
import { type ByteSource, copyTo, SLAB } from "./slab.js";

// ---------------------------------------------------------------------------
// Encoding

/**
 * `code << 5 | length` for codes of up to 23 bits (one load per symbol in
 * the encoders); longer codes store only their length and are read from
 * {@link HUFFMAN_CODES}.
 */
const PACKED: Uint32Array = /* @__PURE__ */ (() => {
  const t = new Uint32Array(256);
  for (let c = 0; c < 256; c++) {
    const len = HUFFMAN_CODE_LENGTHS[c]!;
    t[c] = len <= 23 ? (HUFFMAN_CODES[c]! << 5) | len : len;
  }
  return t;
})();

/**
 * Longest pair of codes in {@link PAIR}: with at most 7 bits pending
 * between steps, a pair's bits still fit the 31 bits the encoder's
 * accumulator can shift through.
 */
const PAIR_MAX_BITS = 24;

/**
 * Two ASCII characters at once: `PAIR[c1 << 7 | c2]` is
 * `(code1 << len2 | code2) << 5 | (len1 + len2)` when both codes together
 * take at most {@link PAIR_MAX_BITS} bits (any two letters, digits or
 * common punctuation: their codes are at most 12 bits), else 0. 64 KiB,
 * built at load (16,384 entries, as {@link PACKED}).
 */
const PAIR: Uint32Array = /* @__PURE__ */ (() => {
  const t = new Uint32Array(128 * 128);
  for (let c1 = 0; c1 < 128; c1++) {
    const l1 = HUFFMAN_CODE_LENGTHS[c1]!;
    for (let c2 = 0; c2 < 128; c2++) {
      const l2 = HUFFMAN_CODE_LENGTHS[c2]!;
      if (l1 + l2 <= PAIR_MAX_BITS) t[(c1 << 7) | c2] = (((HUFFMAN_CODES[c1]! << l2) | HUFFMAN_CODES[c2]!) << 5) | (l1 + l2);
    }
  }
  return t;
})();

function charTooWide(c: number, i: number): TypeError {
  return new TypeError(`Cannot Huffman-encode string: character ${c} at index ${i} is above 0xff`);
}

// One encoder loop, over strings: the header encoders' hot path keeps its
// single `charCodeAt` loop, and the bytes entry points (cold: only the
// public primitives use them) map their input to a Latin-1 string at the
// edge. A shared loop over `string | Uint8Array` (a `typeof` per unit) or
// over a Latin-1 scratch buffer measured 6-25% slower on encode.

/**
 * Number of bytes the Huffman encoding of a Latin-1 string takes, padding
 * included, without encoding it.
 *
 * @throws TypeError when a character is above U+00FF (not a byte)
 * @example
 * ```ts
 * huffmanEncodedLength("www.example.com"); // 12 (RFC 7541 C.4.1)
 * ```
 */
export function huffmanEncodedLength(s: string): number {
  let bits = 0;
  const n = s.length;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c > 0xff) throw charTooWide(c, i);
    bits += HUFFMAN_CODE_LENGTHS[c]!;
  }
  return (bits + 7) >>> 3;
}

/** Number of bytes the Huffman encoding of `bytes` takes, padding included. */
export function huffmanEncodedLengthBytes(bytes: Uint8Array): number {
  return huffmanEncodedLength(latin1Decode(bytes));
}

/**
 * Appends the Huffman encoding of a Latin-1 string to `w` (no length
 * prefix; see `writeStringLiteral` for the §5.2 framing).
 *
 * @throws TypeError when a character is above U+00FF
 */
export function huffmanEncode(w: ByteWriter, s: string): void {
  const n = s.length;
  // Longest code is 30 bits: at most 4 bytes per symbol, so a limit past
  // 4n never stops the encoder.
  w.ensure(n * 4 + 4);
  w.pos = huffmanEncodeUpTo(w.buf, w.pos, s, w.pos + n * 4 + 1);
}

/** Appends the Huffman encoding of `bytes` to `w` (no length prefix). */
export function huffmanEncodeBytes(w: ByteWriter, bytes: Uint8Array): void {
  huffmanEncode(w, latin1Decode(bytes));
}

/**
 * Huffman-encodes `s` into `b` from position `p`, giving up as soon
 * as the output reaches `limit` (an absolute position): the "only when
 * strictly shorter" test without a separate length pass. `b` must have room
 * up to `limit + 4`. The one encoder loop behind every Huffman writer;
 * internal to the shared codecs.
 *
 * @returns the end position, or -1 when the output would reach `limit`
 * @throws TypeError for a character above U+00FF met before giving up
 */
export function huffmanEncodeUpTo(b: Uint8Array, p: number, s: string, limit: number): number {
  const n = s.length;
  let acc = 0;
  // Pending bits are the low `bits` of acc, fewer than 8 between steps.
  // Anything above them is stale and never written (stores keep the low 8
  // bits, and shifts push it out of the int32).
  let bits = 0;
  const pairs = PAIR;
  let i = 0;
  while (i < n) {
    const c = s.charCodeAt(i);
    // Two characters per step when both are ASCII and their codes fit in
    // PAIR_MAX_BITS together; else one.
    let e = 0;
    if (i + 1 < n) {
      const d = s.charCodeAt(i + 1);
      if ((c | d) < 128) e = pairs[(c << 7) | d]!;
    }
    if (e !== 0) {
      i += 2;
    } else {
      if (c > 0xff) throw charTooWide(c, i);
      e = PACKED[c]!;
      i++;
      const len = e & 31;
      if (len > 23) {
        // A code of 24-30 bits, whose code PACKED does not hold (bytes above
        // 0x7f and control characters): its top bits first, so the
        // accumulator never holds more than 31.
        const code = HUFFMAN_CODES[c]!;
        acc = (acc << (len - 16)) | (code >>> 16);
        bits += len - 16;
        while (bits >= 8) {
          bits -= 8;
          b[p++] = acc >>> bits;
        }
        e = ((code & 0xffff) << 5) | 16;
      }
    }
    const len = e & 31;
    acc = (acc << len) | (e >>> 5);
    bits += len;
    // At most 31 pending bits: write the three bytes they could fill and
    // keep the whole ones, without a branch on how many there are (which
    // the processor cannot predict). A byte written past the whole ones is
    // junk that the next step overwrites (`b` has room up to limit + 4).
    b[p] = acc >>> (bits - 8);
    b[p + 1] = acc >>> (bits - 16);
    b[p + 2] = acc >>> (bits - 24);
    p += bits >>> 3;
    bits &= 7;
    if (p >= limit) return -1;
  }
  // The output is strictly shorter than the raw string only if everything,
  // padding included, ends before limit.
  if (p + ((bits + 7) >>> 3) >= limit) return -1;
  // RFC 7541 §5.2: pad with the most significant bits of EOS (all ones).
  if (bits > 0) b[p++] = (acc << (8 - bits)) | (0xff >>> bits);
  return p;
}

// ---------------------------------------------------------------------------
// Decoding

// Transition table entry layout (one Uint32 per (state, input byte)):
//   bits 0-7   first symbol emitted
//   bits 8-15  next state (internal node of the code tree; 0 = root), so
//              `entry & 0xff00` is the next row's base, `state << 8`
//   bits 16-23 second symbol emitted
//   bits 24-25 number of symbols emitted (0..2)
//   bit  26    EOS was decoded (RFC 7541 §5.2 decoding error)
//   bit  27    the next state is a valid place to end: at the root, or at
//              most 7 bits down the all-ones (EOS prefix) path
const F_EOS = 1 << 26;
const F_ACCEPT = 1 << 27;

let decodeTable: Uint32Array | undefined;

function buildDecodeTable(): Uint32Array {
  // Code tree: children[2 * node + bit] is an internal node id (>= 0) or
  // ~symbol (< 0) for a leaf.
  const children = new Int32Array(2 * 256).fill(0x7fffffff);
  let nodes = 1;
  for (let sym = 0; sym <= HUFFMAN_EOS; sym++) {
    const code = HUFFMAN_CODES[sym]!;
    const len = HUFFMAN_CODE_LENGTHS[sym]!;
    let node = 0;
    for (let i = len - 1; i >= 0; i--) {
      const slot = 2 * node + ((code >>> i) & 1);
      if (i === 0) {
        children[slot] = ~sym;
      } else {
        let next = children[slot]!;
        if (next === 0x7fffffff) {
          next = nodes++;
          children[slot] = next;
        }
        node = next;
      }
    }
  }
  // Which internal nodes are valid end states: depth <= 7 on the all-ones path.
  const accept = new Uint8Array(256);
  accept[0] = 1;
  for (let node = 0, depth = 0; depth < 7; depth++) {
    node = children[2 * node + 1]!;
    accept[node] = 1;
  }
  const table = new Uint32Array(256 * 256);
  for (let state = 0; state < 256; state++) {
    for (let byte = 0; byte < 256; byte++) {
      let node = state;
      let count = 0;
      let syms = 0;
      let eos = 0;
      for (let i = 7; i >= 0; i--) {
        const child = children[2 * node + ((byte >>> i) & 1)]!;
        if (child >= 0) {
          node = child;
          continue;
        }
        const sym = ~child;
        if (sym === HUFFMAN_EOS) {
          eos = F_EOS;
          break;
        }
        syms |= sym << (16 * count);
        count++;
        node = 0;
      }
      table[(state << 8) | byte] = syms | (node << 8) | (count << 24) | eos | (accept[node] ? F_ACCEPT : 0);
    }
  }
  return table;
}

let scratch = new Uint8Array(1024);

/**
 * Added to the length {@link decodeToScratch} returns when a decoded byte is
 * above 0x7f (a length is below 2^32), so that an all-ASCII string can go
 * to the native decoder without being scanned again.
 */
const NON_ASCII = 2 ** 32;
/** Output-word bits that are set when one of its two symbols is above 0x7f. */
const HIGH_SYMBOLS = 0x800080;

/**
 * Decodes `buf[start, end)` into the shared scratch buffer (a reused
 * work area, never handed out).
 * @returns the decoded length, plus {@link NON_ASCII} when a decoded byte is
 *   above 0x7f; or a negative sentinel
 */
function decodeToScratch(buf: Uint8Array, start: number, end: number, maxLength: number): number {
  decodeTable ??= buildDecodeTable();
  const table = decodeTable;
  // Each byte yields at most 8/5 symbols; two spare bytes let the loops
  // write a whole step (both symbol slots) before looking at the count.
  const bound = Math.floor(((end - start) * 8) / 5);
  if (bound > maxLength) return decodeToScratchLimited(table, buf, start, end, maxLength);
  if (scratch.length < bound + 2) scratch = new Uint8Array(Math.max(bound + 2, scratch.length * 2));
  const out = scratch;
  let n = 0;
  // The state is kept in the entry (its row base is entry & 0xff00).
  let entry = F_ACCEPT;
  // OR of every entry: bit 26 tells whether EOS was decoded anywhere. The
  // output cannot pass maxLength here, so the loop has no branch but its own.
  let seen = 0;
  for (let p = start; p < end; p++) {
    entry = table[(entry & 0xff00) | buf[p]!]!;
    out[n] = entry;
    out[n + 1] = entry >>> 16;
    n += (entry >>> 24) & 3;
    seen |= entry;
  }
  if (seen & F_EOS) return HUFFMAN_EOS_DECODED;
  if ((entry & F_ACCEPT) === 0) return HUFFMAN_BAD_PADDING;
  return seen & HIGH_SYMBOLS ? n + NON_ASCII : n;
}

/** {@link decodeToScratch} when the output could pass `maxLength`: checks it at each step. */
function decodeToScratchLimited(table: Uint32Array, buf: Uint8Array, start: number, end: number, maxLength: number): number {
  const cap = maxLength + 2;
  if (scratch.length < cap) scratch = new Uint8Array(Math.max(cap, scratch.length * 2));
  const out = scratch;
  let n = 0;
  let entry = F_ACCEPT;
  let seen = 0;
  for (let p = start; p < end; p++) {
    entry = table[(entry & 0xff00) | buf[p]!]!;
    seen |= entry;
    if (entry & F_EOS) return HUFFMAN_EOS_DECODED;
    const count = (entry >>> 24) & 3;
    if (count !== 0) {
      out[n++] = entry;
      if (count === 2) out[n++] = entry >>> 16;
      if (n > maxLength) return TOO_LONG;
    }
  }
  if ((entry & F_ACCEPT) === 0) return HUFFMAN_BAD_PADDING;
  return seen & HIGH_SYMBOLS ? n + NON_ASCII : n;
}

/**
 * Decodes the Huffman-encoded bytes `buf[start, end)` as a Latin-1 string.
 *
 * @param maxLength decoding stops, with `TOO_LONG`, once the output would
 *   pass this many bytes
 * @returns the string, or the sentinel `TOO_LONG`, `HUFFMAN_EOS_DECODED` or
 *   `HUFFMAN_BAD_PADDING` (`result.ts`)
 * @example
 * ```ts
 * const b = Uint8Array.from([0xf1, 0xe3, 0xc2, 0xe5, 0xf2, 0x3a, 0x6b, 0xa0, 0xab, 0x90, 0xf4, 0xff]);
 * huffmanDecode(b, 0, b.length, 100); // "www.example.com"
 * ```
 */
export function huffmanDecode(buf: Uint8Array, start: number, end: number, maxLength: number): string | number {
  const n = decodeToScratch(buf, start, end, maxLength);
  if (n < 0) return n;
  return n < NON_ASCII ? asciiDecode(scratch, 0, n) : latin1Decode(scratch, 0, n - NON_ASCII);
}

/**
 * Decodes the Huffman-encoded bytes `buf[start, end)` into new memory from
 * `into`: by default the shared, never-rewritten slab (`slab.ts`: up to
 * 4 KiB a view whose `.buffer` holds other outputs), which costs a copy
 * instead of an allocation (a typed array above 64 bytes gets an
 * `ArrayBuffer` of its own, 2.5-3.5 µs).
 * @returns the bytes, or a negative sentinel as {@link huffmanDecode}
 */
export function huffmanDecodeBytes(
  buf: Uint8Array,
  start: number,
  end: number,
  maxLength: number,
  into: ByteSource = SLAB,
): Uint8Array | number {
  let n = decodeToScratch(buf, start, end, maxLength);
  if (n < 0) return n;
  if (n >= NON_ASCII) n -= NON_ASCII;
  return copyTo(into.take(n), scratch, 0);
}
