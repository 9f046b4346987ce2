/**
 * The HPACK decoder (RFC 7541 §3, §6).
 *
 * @module
 */
import type { Cursor } from "../shared/cursor.js";
import { latin1Encode } from "../shared/latin1.js";
import { PREFIX_INT_NEED_MORE, PREFIX_INT_OVERFLOW, decodePrefixInt } from "../shared/prefix-int.js";
import {
  STRING_HUFFMAN_EOS,
  STRING_HUFFMAN_PADDING,
  STRING_NEED_MORE,
  decodeStringLiteral,
  decodeStringLiteralBytes,
} from "../shared/string-literal.js";
import { DynamicTable, ENTRY_OVERHEAD, type DynamicTableSnapshot } from "./dynamic-table.js";
import { HpackError } from "./errors.js";
import { RepresentationKind, type FieldRepresentation, type HeaderField } from "./header-field.js";
import { STATIC_TABLE, STATIC_TABLE_LENGTH } from "./static-table.js";

/** Default and initial maximum dynamic table size (RFC 9113 §6.5.2 SETTINGS_HEADER_TABLE_SIZE initial value). */
export const DEFAULT_MAX_TABLE_SIZE = 4096;
/** Default decoder header list limit: 64 KiB of name + value + 32 per field. */
export const DEFAULT_MAX_HEADER_LIST_SIZE = 65_536;

/** Largest integer any HPACK field may carry (the "no value past 2^32"). */
const MAX_INT = 0xffffffff;

/** Options of {@link HpackDecoder}. */
export interface HpackDecoderOptions<B extends boolean = boolean> {
  /**
   * The SETTINGS_HEADER_TABLE_SIZE in effect when the context starts: both
   * the initial dynamic table size and the limit for size updates
   * (default 4096). Change it later with `setMaxTableSize`.
   */
  maxTableSize?: number;
  /**
   * Largest header list accepted, counted as RFC 9113 §6.5.2 does (octets of
   * name + value + 32 per field); checked as each field is produced, so a
   * block that references one large entry many times is refused before the
   * list is built. Default 65,536.
   */
  maxHeaderListSize?: number;
  /** Largest name or value accepted, in octets after Huffman decoding. Default: `maxHeaderListSize`. */
  maxStringLength?: number;
  /**
   * Yield names and values as `Uint8Array` instead of Latin-1 strings. Raw
   * literals are then views of the input block (zero-copy: do not mutate the
   * block while using them); Huffman literals and table entries are copies.
   * Fields taken from the tables share memory with them: treat as read-only.
   */
  bytes?: B;
  /** Attach a {@link FieldRepresentation} to each field (for analysis tools). */
  recordRepresentation?: boolean;
}

/** Field value type of a decoder: bytes with `bytes: true`, else strings. */
export type FieldData<B extends boolean> = B extends true ? Uint8Array : string;

let staticBytes: [Uint8Array, Uint8Array][] | undefined;
function staticTableBytes(): [Uint8Array, Uint8Array][] {
  return (staticBytes ??= STATIC_TABLE.map(([n, v]) => [latin1Encode(n), latin1Encode(v)]));
}

function checkSize(what: string, n: number): number {
  if (!Number.isInteger(n) || n < 0 || n > MAX_INT) {
    throw new RangeError(`Invalid ${what}: expected an integer from 0 to 4294967295, got ${String(n)}`);
  }
  return n;
}

/**
 * Decodes HPACK header blocks for one direction of one connection.
 *
 * Each call to {@link decode} takes a complete header block (HEADERS or
 * PUSH_PROMISE plus its CONTINUATION frames, joined). Blocks must be
 * decoded in the order they were sent: they share the dynamic table.
 *
 * Any malformed input throws {@link HpackError} (COMPRESSION_ERROR, connection
 * scope) with a `reason` token and the `offset` in the block. The decoder is
 * then poisoned: every later call rethrows the same error, as the table may
 * be out of step with the peer's (RFC 9113 §4.3: the connection must close).
 *
 * @example
 * ```ts
 * const d = new HpackDecoder();
 * d.decode(Uint8Array.from([0x82, 0x86, 0x84])); // RFC 7541 C.3.1 prefix
 * // [{ name: ":method", value: "GET" }, { name: ":scheme", value: "http" }, { name: ":path", value: "/" }]
 * ```
 */
export class HpackDecoder<B extends boolean = false> {
  private readonly table: DynamicTable<FieldData<B>>;
  private limit: number;
  private updateRequired = false;
  private readonly maxHeaderListSize: number;
  private readonly maxStringLength: number;
  private readonly bytes: boolean;
  private readonly record: boolean;
  private readonly readString: (c: Cursor, prefixBits: number, maxLength: number) => FieldData<B> | number;
  private failure: HpackError | undefined = undefined;
  private sizeUpdates: number[] = [];
  /** Header list size of the current block so far. */
  private listSize = 0;
  /** No field yet in the current block (size updates allowed). */
  private atStart = true;
  /** Offset in the block of the current buffer's first byte (fragments). */
  private base = 0;
  /** Unconsumed bytes of a block fed through write(); undefined outside one. */
  private pending: Uint8Array | undefined = undefined;
  /** Scratch cursor for representationEnd. */
  private readonly scan: Cursor = { buf: new Uint8Array(0), pos: 0, end: 0 };

  /**
   * @throws RangeError for an option that is not an integer from 0 to 2^32 - 1
   */
  constructor(options: HpackDecoderOptions<B> = {}) {
    this.limit = checkSize("maxTableSize", options.maxTableSize ?? DEFAULT_MAX_TABLE_SIZE);
    this.maxHeaderListSize = checkSize("maxHeaderListSize", options.maxHeaderListSize ?? DEFAULT_MAX_HEADER_LIST_SIZE);
    this.maxStringLength = checkSize("maxStringLength", options.maxStringLength ?? this.maxHeaderListSize);
    this.table = new DynamicTable(this.limit);
    this.bytes = options.bytes === true;
    this.record = options.recordRepresentation === true;
    this.readString = (this.bytes ? decodeStringLiteralBytes : decodeStringLiteral) as typeof this.readString;
  }

  /**
   * Applies a new SETTINGS_HEADER_TABLE_SIZE once the peer has acknowledged
   * it. Lowering it below the current maximum evicts entries now and makes
   * the next block start with a size update (RFC 9113 §4.3.1), else that
   * block fails with reason `size_update_missing`.
   *
   * @throws RangeError unless `n` is an integer from 0 to 2^32 - 1
   */
  setMaxTableSize(n: number): void {
    checkSize("maxTableSize", n);
    this.limit = n;
    if (n < this.table.maxSize) {
      this.table.setMaxSize(n);
      this.updateRequired = true;
    }
  }

  /** The dynamic table: entries newest first (HPACK index 62 first), size and maximum size. */
  dynamicTable(): DynamicTableSnapshot<FieldData<B>> {
    return this.table.snapshot();
  }

  /** The dynamic table size updates (§6.3) at the start of the last decoded block. */
  lastSizeUpdates(): number[] {
    return this.sizeUpdates.slice();
  }

  /**
   * Decodes one complete header block.
   *
   * @returns the fields in order; `sensitive: true` marks never-indexed fields
   * @throws HpackError (COMPRESSION_ERROR) with `reason`: `index_zero`,
   *   `index_out_of_range`, `integer_overflow`, `integer_truncated`,
   *   `string_truncated`, `string_too_long`, `huffman_eos`, `huffman_padding`,
   *   `size_update_not_at_start`, `size_update_above_limit`,
   *   `size_update_missing`, `header_list_too_large`; or the error that
   *   poisoned the decoder earlier
   * @throws Error when called while a block fed through {@link write} is unfinished
   */
  decode(block: Uint8Array): HeaderField<FieldData<B>>[] {
    if (this.failure !== undefined) throw this.failure;
    if (this.pending !== undefined) throw new Error("HpackDecoder.decode called while a block fed through write() is unfinished");
    this.beginBlock();
    const fields: HeaderField<FieldData<B>>[] = [];
    const c: Cursor = { buf: block, pos: 0, end: block.length };
    while (c.pos < c.end) this.step(c, fields);
    return fields;
  }

  /**
   * Feeds the next fragment of a header block (for example one HEADERS or
   * CONTINUATION payload) and returns the fields it completes, so a block
   * need not be joined first. Call {@link end} after the last fragment.
   * A representation cut by a fragment boundary waits, copied, for the next
   * fragment; one whose declared string length passes the limits is refused
   * at once, so waiting never buffers more than the limits allow. In
   * `bytes` mode, raw literals that did not straddle fragments are views of
   * the fragment. Error offsets count from the start of the block.
   *
   * @throws HpackError as {@link decode}
   */
  write(fragment: Uint8Array): HeaderField<FieldData<B>>[] {
    if (this.failure !== undefined) throw this.failure;
    let buf = fragment;
    if (this.pending === undefined) {
      this.beginBlock();
    } else if (this.pending.length > 0) {
      buf = new Uint8Array(this.pending.length + fragment.length);
      buf.set(this.pending);
      buf.set(fragment, this.pending.length);
    }
    const fields: HeaderField<FieldData<B>>[] = [];
    const c: Cursor = { buf, pos: 0, end: buf.length };
    for (;;) {
      if (c.pos >= c.end) break;
      const stop = this.representationEnd(buf, c.pos, c.end);
      if (stop < 0) break;
      c.end = stop;
      this.step(c, fields);
      c.end = buf.length;
    }
    this.base += c.pos;
    this.pending = buf.slice(c.pos);
    return fields;
  }

  /**
   * Ends a block fed through {@link write}.
   *
   * @throws HpackError `integer_truncated` or `string_truncated` when the
   *   last representation is incomplete
   */
  end(): void {
    if (this.failure !== undefined) throw this.failure;
    const rest = this.pending;
    if (rest === undefined) return;
    if (rest.length > 0) {
      // Decoding the leftover as a whole block names what was cut off.
      this.step({ buf: rest, pos: 0, end: rest.length }, []);
    }
    this.pending = undefined;
    this.base = 0;
  }

  private beginBlock(): void {
    this.listSize = 0;
    this.atStart = true;
    this.base = 0;
    if (this.sizeUpdates.length !== 0) this.sizeUpdates = [];
  }

  /**
   * Where the representation starting at `p` ends, or -1 when it continues
   * past `end`. Malformed or oversized prefixes return `end`, so that
   * {@link step} reports them at once instead of waiting for more bytes.
   */
  private representationEnd(buf: Uint8Array, p: number, end: number): number {
    const b = buf[p]!;
    const c = this.scan;
    (c as { buf: Uint8Array }).buf = buf;
    c.pos = p;
    c.end = end;
    const prefix = b >= 0x80 ? 7 : b >= 0x40 ? 6 : b >= 0x20 ? 5 : 4;
    const idx = decodePrefixInt(c, prefix, MAX_INT);
    if (idx === PREFIX_INT_NEED_MORE) return -1;
    if (idx < 0) return end;
    // Indexed field or size update: just the integer.
    if (prefix === 7 || prefix === 5) return c.pos;
    // Literal: the name string when the index is 0, then the value string.
    for (let strings = idx === 0 ? 2 : 1; strings > 0; strings--) {
      if (c.pos >= end) return -1;
      const huffman = buf[c.pos]! >= 0x80;
      const len = decodePrefixInt(c, 7, MAX_INT);
      if (len === PREFIX_INT_NEED_MORE) return -1;
      if (len < 0) return end;
      if (huffman ? len > Math.ceil((this.maxStringLength * 30) / 8) : len > this.maxStringLength) return end;
      if (end - c.pos < len) return -1;
      c.pos += len;
    }
    return c.pos;
  }

  /** Decodes the representation at `c.pos` into `fields`, updating the block state. */
  private step(c: Cursor, fields: HeaderField<FieldData<B>>[]): void {
    const block = c.buf;
    const table = this.table;
    const start = c.pos;
    const b = block[start]!;
    if (b >= 0x80) {
      // §6.1 Indexed Header Field: 1 | Index (7+)
      if (this.atStart) {
        if (this.updateRequired) this.missingUpdate(start);
        this.atStart = false;
      }
      let idx = b & 0x7f;
      if (idx === 0x7f) idx = this.readInt(c, 7);
      else c.pos = start + 1;
      let name: FieldData<B>;
      let value: FieldData<B>;
      if (idx === 0) {
        // RFC 7541 §6.1: "The index value of 0 is not used. It MUST be treated as a decoding error"
        this.fail("index_zero", "index 0 in an indexed field", start);
      } else if (idx <= STATIC_TABLE_LENGTH) {
        if (this.bytes) {
          const e = staticTableBytes()[idx - 1]!;
          name = e[0] as FieldData<B>;
          value = e[1] as FieldData<B>;
        } else {
          const e = STATIC_TABLE[idx - 1]!;
          name = e[0] as FieldData<B>;
          value = e[1] as FieldData<B>;
        }
      } else if (idx - STATIC_TABLE_LENGTH <= table.count) {
        name = table.name(idx - STATIC_TABLE_LENGTH);
        value = table.value(idx - STATIC_TABLE_LENGTH);
      } else {
        this.outOfRange(idx, start);
      }
      const listSize = (this.listSize += name.length + value.length + ENTRY_OVERHEAD);
      if (listSize > this.maxHeaderListSize) this.listTooLarge(listSize, start);
      fields.push(
        this.record
          ? { name, value, representation: { kind: RepresentationKind.INDEXED, index: idx, nameHuffman: false, valueHuffman: false } }
          : { name, value },
      );
    } else if (b >= 0x40) {
      // §6.2.1 Literal Header Field with Incremental Indexing: 01 | Index (6+), [name], value
      if (this.atStart) {
        if (this.updateRequired) this.missingUpdate(start);
        this.atStart = false;
      }
      const field = this.literal(c, 6, this.listSize, RepresentationKind.LITERAL_WITH_INCREMENTAL_INDEXING);
      const listSize = (this.listSize += field.name.length + field.value.length + ENTRY_OVERHEAD);
      if (listSize > this.maxHeaderListSize) this.listTooLarge(listSize, start);
      table.add(field.name, field.value);
      fields.push(field);
    } else if (b >= 0x20) {
      // §6.3 Dynamic Table Size Update: 001 | Max size (5+)
      if (!this.atStart) {
        // RFC 7541 §4.2: "This dynamic table size update MUST occur at the beginning of the first header block following the change"
        this.fail("size_update_not_at_start", "dynamic table size update after a field", start);
      }
      const size = this.readInt(c, 5);
      if (size > this.limit) {
        // RFC 7541 §6.3: "A value that exceeds this limit MUST be treated as a decoding error."
        this.fail("size_update_above_limit", `dynamic table size update to ${size} exceeds the limit ${this.limit}`, start);
      }
      table.setMaxSize(size);
      this.updateRequired = false;
      this.sizeUpdates.push(size);
    } else {
      // §6.2.2 without indexing: 0000 | Index (4+); §6.2.3 never indexed: 0001 | Index (4+)
      if (this.atStart) {
        if (this.updateRequired) this.missingUpdate(start);
        this.atStart = false;
      }
      const field = this.literal(
        c,
        4,
        this.listSize,
        b >= 0x10 ? RepresentationKind.LITERAL_NEVER_INDEXED : RepresentationKind.LITERAL_WITHOUT_INDEXING,
      );
      const listSize = (this.listSize += field.name.length + field.value.length + ENTRY_OVERHEAD);
      if (listSize > this.maxHeaderListSize) this.listTooLarge(listSize, start);
      fields.push(field);
    }
  }

  /** Reads a literal representation whose first byte is at `c.pos`. */
  private literal(c: Cursor, prefixBits: number, listSize: number, kind: RepresentationKind): HeaderField<FieldData<B>> {
    const buf = c.buf;
    const start = c.pos;
    const mask = (1 << prefixBits) - 1;
    let idx = buf[start]! & mask;
    if (idx === mask) idx = this.readInt(c, prefixBits);
    else c.pos = start + 1;
    let name: FieldData<B>;
    let nameHuffman = false;
    if (idx === 0) {
      nameHuffman = c.pos < c.end && buf[c.pos]! >= 0x80;
      name = this.readStr(c, listSize);
      if (this.bytes && !nameHuffman && kind === RepresentationKind.LITERAL_WITH_INCREMENTAL_INDEXING) {
        // The table outlives the caller's block: keep a copy, not a view.
        name = (name as Uint8Array).slice() as FieldData<B>;
      }
    } else if (idx <= STATIC_TABLE_LENGTH) {
      name = (this.bytes ? staticTableBytes()[idx - 1]![0] : STATIC_TABLE[idx - 1]![0]) as FieldData<B>;
    } else if (idx - STATIC_TABLE_LENGTH <= this.table.count) {
      name = this.table.name(idx - STATIC_TABLE_LENGTH);
    } else {
      this.outOfRange(idx, start);
    }
    const valueHuffman = c.pos < c.end && buf[c.pos]! >= 0x80;
    let value = this.readStr(c, listSize + name.length);
    if (this.bytes && !valueHuffman && kind === RepresentationKind.LITERAL_WITH_INCREMENTAL_INDEXING) {
      value = (value as Uint8Array).slice() as FieldData<B>;
    }
    if (kind === RepresentationKind.LITERAL_NEVER_INDEXED) {
      return this.record
        ? { name, value, sensitive: true, representation: { kind, index: idx, nameHuffman, valueHuffman } }
        : { name, value, sensitive: true };
    }
    return this.record ? { name, value, representation: { kind, index: idx, nameHuffman, valueHuffman } } : { name, value };
  }

  private readInt(c: Cursor, prefixBits: number): number {
    const v = decodePrefixInt(c, prefixBits, MAX_INT);
    if (v >= 0) return v;
    if (v === PREFIX_INT_NEED_MORE) {
      this.fail("integer_truncated", "integer runs past the end of the block", c.pos);
    }
    // RFC 7541 §5.1: "Integer encodings that exceed implementation limits -- in value or octet length -- MUST be treated as decoding errors."
    this.fail("integer_overflow", "integer exceeds 4294967295", c.pos);
  }

  /** Reads a §5.2 string literal; `used` is the header list size already taken, for the early bound. */
  private readStr(c: Cursor, used: number): FieldData<B> {
    const budget = this.maxHeaderListSize - used - ENTRY_OVERHEAD;
    const max = budget < this.maxStringLength ? Math.max(budget, 0) : this.maxStringLength;
    const start = c.pos;
    const s = this.readString(c, 7, max);
    if (typeof s !== "number") return s;
    switch (s) {
      case STRING_NEED_MORE:
        this.fail("string_truncated", "string literal runs past the end of the block", start);
      case STRING_HUFFMAN_EOS:
        // RFC 7541 §5.2: "A Huffman-encoded string literal containing the EOS symbol MUST be treated as a decoding error."
        this.fail("huffman_eos", "Huffman string contains EOS", start);
      case STRING_HUFFMAN_PADDING:
        // RFC 7541 §5.2: padding "strictly longer than 7 bits" or not "the most significant bits of the code for the EOS symbol MUST be treated as a decoding error"
        this.fail("huffman_padding", "Huffman string has invalid padding", start);
      default: {
        // STRING_TOO_LONG: a length integer past 2^32 - 1, or a string over the limits.
        const peek: Cursor = { buf: c.buf, pos: start, end: c.end };
        if (decodePrefixInt(peek, 7, MAX_INT) === PREFIX_INT_OVERFLOW) {
          this.fail("integer_overflow", "string length exceeds 4294967295", start);
        }
        if (max < this.maxStringLength) this.listTooLarge(used + ENTRY_OVERHEAD, start);
        this.fail(
          "string_too_long",
          `string literal is longer than maxStringLength ${this.maxStringLength}`,
          start,
        );
      }
    }
  }

  private missingUpdate(offset: number): never {
    // RFC 9113 §4.3.1: a field block after an acknowledged reduction that does not start with a
    // conformant Dynamic Table Size Update MUST be treated as a connection error of type COMPRESSION_ERROR
    this.fail(
      "size_update_missing",
      `expected a dynamic table size update to at most ${this.limit}`,
      offset,
    );
  }

  private outOfRange(idx: number, offset: number): never {
    // RFC 7541 §2.3.3: "Indices strictly greater than the sum of the lengths of both tables MUST be treated as a decoding error."
    this.fail(
      "index_out_of_range",
      `index ${idx} is past the ${STATIC_TABLE_LENGTH + this.table.count} table entries`,
      offset,
    );
  }

  private listTooLarge(size: number, offset: number): never {
    this.fail(
      "header_list_too_large",
      `header list size reaches ${size}, above maxHeaderListSize ${this.maxHeaderListSize}`,
      offset,
    );
  }

  /** Throws (and keeps, to poison the decoder) an HpackError; `offset` is relative to the current buffer. */
  private fail(reason: string, what: string, offset: number): never {
    const at = this.base + offset;
    const e = new HpackError(`Cannot decode HPACK block at offset ${at}: ${what}`, { reason, offset: at });
    this.failure = e;
    throw e;
  }
}
