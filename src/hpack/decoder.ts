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
   */
  decode(block: Uint8Array): HeaderField<FieldData<B>>[] {
    if (this.failure !== undefined) throw this.failure;
    const fields: HeaderField<FieldData<B>>[] = [];
    const c: Cursor = { buf: block, pos: 0, end: block.length };
    const end = block.length;
    const table = this.table;
    const record = this.record;
    const maxList = this.maxHeaderListSize;
    let listSize = 0;
    let atStart = true;
    if (this.sizeUpdates.length !== 0) this.sizeUpdates = [];
    while (c.pos < end) {
      const start = c.pos;
      const b = block[start]!;
      if (b >= 0x80) {
        // §6.1 Indexed Header Field: 1 | Index (7+)
        if (atStart) {
          if (this.updateRequired) this.missingUpdate(start);
          atStart = false;
        }
        let idx = b & 0x7f;
        if (idx === 0x7f) idx = this.readInt(c, 7);
        else c.pos = start + 1;
        let name: FieldData<B>;
        let value: FieldData<B>;
        if (idx === 0) {
          // RFC 7541 §6.1: "The index value of 0 is not used. It MUST be treated as a decoding error"
          this.fail("index_zero", `Cannot decode HPACK block: index 0 in an indexed field at offset ${start}`, start);
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
        listSize += name.length + value.length + ENTRY_OVERHEAD;
        if (listSize > maxList) this.listTooLarge(listSize, start);
        fields.push(
          record
            ? { name, value, representation: { kind: RepresentationKind.INDEXED, index: idx, nameHuffman: false, valueHuffman: false } }
            : { name, value },
        );
      } else if (b >= 0x40) {
        // §6.2.1 Literal Header Field with Incremental Indexing: 01 | Index (6+), [name], value
        if (atStart) {
          if (this.updateRequired) this.missingUpdate(start);
          atStart = false;
        }
        const field = this.literal(c, 6, listSize, RepresentationKind.LITERAL_WITH_INCREMENTAL_INDEXING);
        listSize += field.name.length + field.value.length + ENTRY_OVERHEAD;
        if (listSize > maxList) this.listTooLarge(listSize, start);
        table.add(field.name, field.value);
        fields.push(field);
      } else if (b >= 0x20) {
        // §6.3 Dynamic Table Size Update: 001 | Max size (5+)
        if (!atStart) {
          // RFC 7541 §4.2: "This dynamic table size update MUST occur at the beginning of the first header block following the change"
          this.fail(
            "size_update_not_at_start",
            `Cannot decode HPACK block: dynamic table size update at offset ${start} after a field`,
            start,
          );
        }
        const size = this.readInt(c, 5);
        if (size > this.limit) {
          // RFC 7541 §6.3: "A value that exceeds this limit MUST be treated as a decoding error."
          this.fail(
            "size_update_above_limit",
            `Cannot decode HPACK block: dynamic table size update to ${size} exceeds the limit ${this.limit}`,
            start,
          );
        }
        table.setMaxSize(size);
        this.updateRequired = false;
        this.sizeUpdates.push(size);
      } else {
        // §6.2.2 without indexing: 0000 | Index (4+); §6.2.3 never indexed: 0001 | Index (4+)
        if (atStart) {
          if (this.updateRequired) this.missingUpdate(start);
          atStart = false;
        }
        const field = this.literal(
          c,
          4,
          listSize,
          b >= 0x10 ? RepresentationKind.LITERAL_NEVER_INDEXED : RepresentationKind.LITERAL_WITHOUT_INDEXING,
        );
        listSize += field.name.length + field.value.length + ENTRY_OVERHEAD;
        if (listSize > maxList) this.listTooLarge(listSize, start);
        fields.push(field);
      }
    }
    return fields;
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
      this.fail("integer_truncated", `Cannot decode HPACK block: integer at offset ${c.pos} runs past the end of the block`, c.pos);
    }
    // RFC 7541 §5.1: "Integer encodings that exceed implementation limits -- in value or octet length -- MUST be treated as decoding errors."
    this.fail("integer_overflow", `Cannot decode HPACK block: integer at offset ${c.pos} exceeds 4294967295`, c.pos);
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
        this.fail("string_truncated", `Cannot decode HPACK block: string literal at offset ${start} runs past the end of the block`, start);
      case STRING_HUFFMAN_EOS:
        // RFC 7541 §5.2: "A Huffman-encoded string literal containing the EOS symbol MUST be treated as a decoding error."
        this.fail("huffman_eos", `Cannot decode HPACK block: Huffman string at offset ${start} contains EOS`, start);
      case STRING_HUFFMAN_PADDING:
        // RFC 7541 §5.2: padding "strictly longer than 7 bits" or not "the most significant bits of the code for the EOS symbol MUST be treated as a decoding error"
        this.fail("huffman_padding", `Cannot decode HPACK block: Huffman string at offset ${start} has invalid padding`, start);
      default: {
        // STRING_TOO_LONG: a length integer past 2^32 - 1, or a string over the limits.
        const peek: Cursor = { buf: c.buf, pos: start, end: c.end };
        if (decodePrefixInt(peek, 7, MAX_INT) === PREFIX_INT_OVERFLOW) {
          this.fail("integer_overflow", `Cannot decode HPACK block: string length at offset ${start} exceeds 4294967295`, start);
        }
        if (max < this.maxStringLength) this.listTooLarge(used + ENTRY_OVERHEAD, start);
        this.fail(
          "string_too_long",
          `Cannot decode HPACK block: string literal at offset ${start} is longer than maxStringLength ${this.maxStringLength}`,
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
      `Cannot decode HPACK block: expected a dynamic table size update to at most ${this.limit} at offset ${offset}`,
      offset,
    );
  }

  private outOfRange(idx: number, offset: number): never {
    // RFC 7541 §2.3.3: "Indices strictly greater than the sum of the lengths of both tables MUST be treated as a decoding error."
    this.fail(
      "index_out_of_range",
      `Cannot decode HPACK block: index ${idx} at offset ${offset} is past the ${STATIC_TABLE_LENGTH + this.table.count} table entries`,
      offset,
    );
  }

  private listTooLarge(size: number, offset: number): never {
    this.fail(
      "header_list_too_large",
      `Cannot decode HPACK block: header list size reaches ${size} at offset ${offset}, above maxHeaderListSize ${this.maxHeaderListSize}`,
      offset,
    );
  }

  private fail(reason: string, message: string, offset: number): never {
    const e = new HpackError(message, { reason, offset });
    this.failure = e;
    throw e;
  }
}
