/**
 * The HPACK decoder (RFC 7541 §3, §6).
 *
 * @module
 */
import type { Cursor } from "../shared/cursor.js";
import { latin1Encode } from "../shared/latin1.js";
import { booleanOption, integerOption } from "../shared/options.js";
import { PendingBytes } from "../shared/pending.js";
import { decodePrefixInt } from "../shared/prefix-int.js";
import { HUFFMAN_BAD_PADDING, HUFFMAN_EOS_DECODED, NEED_MORE, OVERFLOW } from "../shared/result.js";
import { ByteArena, SLAB } from "../shared/slab.js";
import { decodeStringLiteral, decodeStringLiteralBytes, stringLiteralEnd } from "../shared/string-literal.js";
import { ENTRY_OVERHEAD, entrySize, frozenFields } from "../shared/table-entry.js";
import { DynamicTable, type DynamicTableSnapshot } from "./dynamic-table.js";
import { HpackError } from "./errors.js";
import { type FieldRepresentation, type HeaderField, RepresentationKind } from "./header-field.js";
import { STATIC_TABLE, STATIC_TABLE_LENGTH } from "./static-table.js";

/** Default and initial maximum dynamic table size (RFC 9113 §6.5.2 SETTINGS_HEADER_TABLE_SIZE initial value). */
export const DEFAULT_MAX_TABLE_SIZE = 4096;
/**
 * Default decoder field list limit: 64 KiB of name + value + 32 per field
 * (RFC 9113 §6.5.2 accounting). Node's `http2` advertises 65,535 by default
 * and nghttp2 refuses a single field above 64 KiB.
 */
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
   * Largest field list accepted, counted as RFC 9113 §6.5.2 does (octets of
   * name + value + 32 per field); checked as each field is produced, so a
   * field block that references one large entry many times is refused before
   * the list is built. Default 65,536 ({@link DEFAULT_MAX_HEADER_LIST_SIZE}).
   */
  maxHeaderListSize?: number;
  /** Largest name or value accepted, in octets after Huffman decoding. Default: `maxHeaderListSize`. */
  maxStringLength?: number;
  /**
   * Yield names and values as `Uint8Array` instead of Latin-1 strings. Raw
   * literals are then views of the input block (zero-copy: do not mutate the
   * block while using them); Huffman literals are new memory, up to 4 KiB a
   * view into a shared slab (copy before transferring its `.buffer`); the
   * literals the dynamic table keeps are copied into the decoder's own
   * memory. Fields taken from the tables share memory with them: treat as
   * read-only.
   */
  bytes?: B;
  /** Attach a {@link FieldRepresentation} to each field (for analysis tools). */
  recordRepresentation?: boolean;
}

/** Field value type of a decoder: bytes with `bytes: true`, else strings. */
export type FieldData<B extends boolean> = B extends true ? Uint8Array : string;

/**
 * One frozen field object per static entry (per form: strings, bytes),
 * shared by every decoder: an indexed static field allocates nothing, and
 * its name serves literals with a static name index. Shared objects must
 * not be mutable, hence frozen; freezing a fresh object per dynamic entry
 * measured 11% slower, so dynamic hits get new objects.
 */
const STATIC_FIELDS: readonly HeaderField<string>[] = /* @__PURE__ */ frozenFields(STATIC_TABLE);
/** RFC 7541 §4.1 size of each static entry (its part of the field list size), by index - 1. */
const STATIC_SIZES: Int32Array = /* @__PURE__ */ Int32Array.from(STATIC_TABLE, ([name, value]) => entrySize(name.length, value.length));

/** {@link STATIC_FIELDS} as bytes, built on first use. */
let staticBytes: readonly HeaderField<Uint8Array>[] | undefined;
function staticFieldObjects(bytes: boolean): readonly HeaderField<string | Uint8Array>[] {
  if (!bytes) return STATIC_FIELDS;
  staticBytes ??= STATIC_TABLE.map(([name, value]) => Object.freeze({ name: latin1Encode(name), value: latin1Encode(value) }));
  return staticBytes;
}

const OWNER = "HpackDecoder";

// The §6 representations, as small integers in the parser's hot path.
const INDEXED = 0;
const INCREMENTAL = 1;
const WITHOUT_INDEXING = 2;
const NEVER_INDEXED = 3;
const KIND_NAMES: readonly RepresentationKind[] = [
  RepresentationKind.INDEXED,
  RepresentationKind.LITERAL_WITH_INCREMENTAL_INDEXING,
  RepresentationKind.LITERAL_WITHOUT_INDEXING,
  RepresentationKind.LITERAL_NEVER_INDEXED,
];

/**
 * Decodes HPACK field blocks for one direction of one connection.
 *
 * Each call to {@link decode} takes a complete field block (HEADERS or
 * PUSH_PROMISE plus its CONTINUATION frames, joined). Field blocks must be
 * decoded in the order they were sent: they share the dynamic table.
 *
 * Any malformed input throws {@link HpackError} (COMPRESSION_ERROR, connection
 * scope) with a `reason` token and the `offset` in the field block. The
 * decoder is then poisoned: every later call rethrows the same error, as the
 * table may be out of step with the peer's (RFC 9113 §4.3: the connection
 * must close).
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
  /** Memory of the dynamic table's entries in bytes mode. */
  private readonly arena: ByteArena | undefined;
  private readonly record: boolean;
  /** Frozen field objects of the static table, in this decoder's form. */
  private readonly staticFields: readonly HeaderField<FieldData<B>>[];
  private failure: HpackError | undefined = undefined;
  private sizeUpdates: number[] = [];
  /** Field list size of the current field block so far. */
  private listSize = 0;
  /** No field yet in the current field block (size updates allowed). */
  private atStart = true;
  /** Offset in the field block of the current buffer's first byte (for error offsets). */
  private base = 0;
  /** A field block fed through write() is open. */
  private open = false;
  /** Offset in the field block of the next fragment's first byte. */
  private fed = 0;
  /**
   * The representation cut by a fragment boundary, from its first byte;
   * `held.needed` is how many bytes it needs in all (a lower bound while a
   * length is cut off), so it is parsed again only once they are here.
   */
  private readonly held = new PendingBytes();
  /** The buffer being parsed is `held`'s, which is reused: copy raw literals out of it. */
  private fromHeld = false;

  /**
   * @throws RangeError for an option that is not an integer from 0 to 2^32 - 1
   */
  constructor(options: HpackDecoderOptions<B> = {}) {
    this.limit = integerOption(OWNER, "maxTableSize", options.maxTableSize, DEFAULT_MAX_TABLE_SIZE, 0, MAX_INT);
    this.maxHeaderListSize = integerOption(OWNER, "maxHeaderListSize", options.maxHeaderListSize, DEFAULT_MAX_HEADER_LIST_SIZE, 0, MAX_INT);
    this.maxStringLength = integerOption(OWNER, "maxStringLength", options.maxStringLength, this.maxHeaderListSize, 0, MAX_INT);
    this.bytes = booleanOption(OWNER, "bytes", options.bytes, false);
    this.record = booleanOption(OWNER, "recordRepresentation", options.recordRepresentation, false);
    this.table = new DynamicTable(this.limit);
    this.arena = this.bytes ? new ByteArena() : undefined;
    this.staticFields = staticFieldObjects(this.bytes) as readonly HeaderField<FieldData<B>>[];
  }

  /**
   * Applies a new SETTINGS_HEADER_TABLE_SIZE once the peer has acknowledged
   * it. Lowering it below the current maximum evicts entries now and makes
   * the next field block start with a size update (RFC 9113 §4.3.1), else
   * that field block fails with reason `size_update_missing`.
   *
   * @throws RangeError unless `n` is an integer from 0 to 2^32 - 1
   */
  setMaxTableSize(n: number): void {
    integerOption(OWNER, "maxTableSize", n ?? Number.NaN, 0, 0, MAX_INT);
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

  /** The dynamic table size updates (§6.3) at the start of the last decoded field block. */
  lastSizeUpdates(): number[] {
    return this.sizeUpdates.slice();
  }

  /**
   * Decodes one complete field block.
   *
   * @returns the fields in order; `sensitive: true` marks never-indexed
   *   fields. Treat the field objects as read-only: a field indexed from the
   *   static table is one frozen object shared by every decoder (so a hit
   *   allocates nothing), and assigning to it throws a TypeError.
   * @throws HpackError (COMPRESSION_ERROR) with `reason`: `index_zero`,
   *   `index_out_of_range`, `integer_overflow`, `integer_truncated`,
   *   `string_truncated`, `string_too_long`, `huffman_eos`, `huffman_padding`,
   *   `size_update_not_at_start`, `size_update_above_limit`,
   *   `size_update_missing`, `header_list_too_large`; or the error that
   *   poisoned the decoder earlier
   * @throws Error when called while a field block fed through {@link write} is unfinished
   */
  decode(block: Uint8Array): HeaderField<FieldData<B>>[] {
    if (this.failure !== undefined) throw this.failure;
    if (this.open) throw new Error("HpackDecoder.decode called while a field block fed through write() is unfinished");
    this.beginBlock();
    const fields: HeaderField<FieldData<B>>[] = [];
    const c: Cursor = { buf: block, pos: 0, end: block.length };
    const end = block.length;
    let pos = 0;
    while (pos < end) {
      const b = block[pos]!;
      // Most fields of a warm connection are one-byte §6.1 Indexed Header
      // Fields (1 | Index, index 1..126): taken here without the general
      // parser's call and cursor. The rest (and a block that must start
      // with a size update) go through parse().
      if (b > 0x80 && b < 0xff && !this.updateRequired) {
        this.indexed(b & 0x7f, pos, fields);
        pos++;
      } else {
        c.pos = pos;
        this.parse(c, fields, true);
        pos = c.pos;
      }
    }
    return fields;
  }

  /**
   * Feeds the next fragment of a field block (for example one HEADERS or
   * CONTINUATION payload) and returns the fields it completes, so a field
   * block need not be joined first. Call {@link end} after the last
   * fragment. A representation cut by a fragment boundary waits, copied, for
   * the bytes it needs, and is parsed again only once they have arrived, so
   * any fragmentation costs time linear in the field block; one whose
   * declared string length passes the limits is refused at once, so waiting
   * never buffers more than the limits allow. In `bytes` mode, raw literals
   * that did not straddle fragments are views of the fragment. Error offsets
   * count from the start of the field block.
   *
   * @throws HpackError as {@link decode}
   */
  write(fragment: Uint8Array): HeaderField<FieldData<B>>[] {
    if (this.failure !== undefined) throw this.failure;
    if (!this.open) {
      this.beginBlock();
      this.open = true;
    }
    const fields: HeaderField<FieldData<B>>[] = [];
    const held = this.held;
    const fragmentStart = this.fed;
    this.fed += fragment.length;
    let off = 0;
    // First complete the held representation, adding only the bytes it needs.
    while (held.length > 0) {
      const want = held.needed - held.length;
      if (fragment.length - off < want) {
        held.append(fragment, off);
        return fields;
      }
      held.append(fragment, off, off + want);
      off += want;
      const buf = held.view();
      const c: Cursor = { buf, pos: 0, end: buf.length };
      this.base = held.base;
      this.fromHeld = true;
      const needed = this.parse(c, fields, false);
      this.fromHeld = false;
      if (needed === 0) held.clear();
      else held.needed = needed;
    }
    // Then parse the rest in place.
    const c: Cursor = { buf: fragment, pos: off, end: fragment.length };
    this.base = fragmentStart;
    while (c.pos < c.end) {
      const needed = this.parse(c, fields, false);
      if (needed !== 0) {
        held.base = fragmentStart + c.pos;
        held.needed = needed;
        held.append(fragment, c.pos);
        break;
      }
    }
    return fields;
  }

  /**
   * Ends a field block fed through {@link write}.
   *
   * @throws HpackError `integer_truncated` or `string_truncated` when the
   *   last representation is incomplete
   */
  end(): void {
    if (this.failure !== undefined) throw this.failure;
    if (!this.open) return;
    const held = this.held;
    if (held.length > 0) {
      // Decoding the held bytes as complete names what was cut off.
      const buf = held.view();
      this.base = held.base;
      this.parse({ buf, pos: 0, end: buf.length }, [], true);
    }
    held.release();
    this.open = false;
  }

  private beginBlock(): void {
    this.listSize = 0;
    this.atStart = true;
    this.base = 0;
    this.fed = 0;
    this.held.clear();
    if (this.sizeUpdates.length !== 0) this.sizeUpdates = [];
  }

  /**
   * The one representation parser (RFC 7541 §6). Decodes the representation
   * at `c.pos` into `fields` and the block state, and returns 0. When the
   * input ends inside it: with `complete` (the buffer is the whole rest of
   * the field block) that is an error; otherwise nothing is changed and it
   * returns how many bytes from its start the representation needs (a
   * lower bound while an integer is cut off). Errors are thrown as soon as
   * the bytes that show them are here.
   */
  private parse(c: Cursor, fields: HeaderField<FieldData<B>>[], complete: boolean): number {
    const buf = c.buf;
    const start = c.pos;
    const b = buf[start]!;
    let kind: number;
    let mask: number;
    if (b >= 0x80) {
      // §6.1 Indexed Header Field: 1 | Index (7+)
      kind = INDEXED;
      mask = 0x7f;
    } else if (b >= 0x40) {
      // §6.2.1 Literal Header Field with Incremental Indexing: 01 | Index (6+), [name], value
      kind = INCREMENTAL;
      mask = 0x3f;
    } else if (b >= 0x20) {
      return this.sizeUpdate(c, complete);
    } else {
      // §6.2.2 without indexing: 0000 | Index (4+); §6.2.3 never indexed: 0001 | Index (4+)
      kind = b >= 0x10 ? NEVER_INDEXED : WITHOUT_INDEXING;
      mask = 0x0f;
    }
    // RFC 9113 §4.3.1: a field block after an acknowledged reduction that does not start with a
    // conformant Dynamic Table Size Update MUST be treated as a connection error of type COMPRESSION_ERROR
    if (this.atStart && this.updateRequired) {
      this.fail("size_update_missing", `expected a dynamic table size update to at most ${this.limit}`, start);
    }
    let idx = b & mask;
    if (idx === mask) {
      idx = this.readInt(c, mask === 0x7f ? 7 : mask === 0x3f ? 6 : 4, complete);
      if (idx < 0) return c.end - start + 1;
    } else {
      c.pos = start + 1;
    }
    let name: FieldData<B>;
    let value: FieldData<B> | number;
    let nameHuffman = false;
    let valueHuffman = false;
    if (kind === INDEXED) {
      this.indexed(idx, start, fields);
      return 0;
    } else {
      // A literal name the table keeps is taken from the arena before the
      // value is read; if the value is cut off, the representation is read
      // again later, so that take is given back (else dead bytes would dilute
      // the arena's chunks and the bound on what they pin).
      this.arena?.mark();
      if (idx === 0) {
        nameHuffman = c.pos < c.end && buf[c.pos]! >= 0x80;
        const n = this.readStr(c, this.listSize, complete, kind);
        if (typeof n === "number") return this.need(c, start);
        name = n;
      } else if (idx <= STATIC_TABLE_LENGTH) {
        name = this.staticFields[idx - 1]!.name;
      } else {
        if (idx - STATIC_TABLE_LENGTH > this.table.count) this.outOfRange(idx, start);
        name = this.table.name(idx - STATIC_TABLE_LENGTH);
      }
      valueHuffman = c.pos < c.end && buf[c.pos]! >= 0x80;
      value = this.readStr(c, this.listSize + name.length, complete, kind);
      if (typeof value === "number") {
        this.arena?.rewind();
        return this.need(c, start);
      }
    }
    // The representation is complete: commit it.
    this.listSize += name.length + value.length + ENTRY_OVERHEAD;
    const listSize = this.listSize;
    if (listSize > this.maxHeaderListSize) this.listTooLarge(listSize, start);
    this.atStart = false;
    if (kind === INCREMENTAL) this.table.add(name, value);
    const representation: FieldRepresentation | undefined = this.record
      ? { kind: KIND_NAMES[kind]!, index: idx, nameHuffman, valueHuffman }
      : undefined;
    if (kind === NEVER_INDEXED) {
      fields.push(representation !== undefined ? { name, value, sensitive: true, representation } : { name, value, sensitive: true });
    } else {
      fields.push(representation !== undefined ? { name, value, representation } : { name, value });
    }
    return 0;
  }

  /**
   * A §6.1 Indexed Header Field with index `idx`, found at `start`: the one
   * place indexed fields are resolved and counted. An indexed field commits
   * here, without the literal path's tail.
   */
  private indexed(idx: number, start: number, fields: HeaderField<FieldData<B>>[]): void {
    // RFC 7541 §6.1: "The index value of 0 is not used. It MUST be treated as a decoding error"
    if (idx === 0) this.fail("index_zero", "index 0 in an indexed field", start);
    let field: HeaderField<FieldData<B>>;
    let size: number;
    if (idx <= STATIC_TABLE_LENGTH) {
      field = this.staticFields[idx - 1]!;
      size = STATIC_SIZES[idx - 1]!;
    } else {
      if (idx - STATIC_TABLE_LENGTH > this.table.count) this.outOfRange(idx, start);
      const i = idx - STATIC_TABLE_LENGTH;
      field = { name: this.table.name(i), value: this.table.value(i) };
      size = this.table.sizeOf(i);
    }
    const listSize = this.listSize + size;
    if (listSize > this.maxHeaderListSize) this.listTooLarge(listSize, start);
    this.listSize = listSize;
    this.atStart = false;
    if (this.record) {
      const representation: FieldRepresentation = { kind: KIND_NAMES[INDEXED]!, index: idx, nameHuffman: false, valueHuffman: false };
      fields.push({ name: field.name, value: field.value, representation });
    } else {
      fields.push(field);
    }
  }

  /** §6.3 Dynamic Table Size Update: 001 | Max size (5+). The one place size updates are checked. */
  private sizeUpdate(c: Cursor, complete: boolean): number {
    const start = c.pos;
    if (!this.atStart) {
      // RFC 7541 §4.2: "This dynamic table size update MUST occur at the beginning of the first header block following the change"
      this.fail("size_update_not_at_start", "dynamic table size update after a field", start);
    }
    const size = this.readInt(c, 5, complete);
    if (size < 0) return c.end - start + 1;
    if (size > this.limit) {
      // RFC 7541 §6.3: "A value that exceeds this limit MUST be treated as a decoding error."
      this.fail("size_update_above_limit", `dynamic table size update to ${size} exceeds the limit ${this.limit}`, start);
    }
    this.table.setMaxSize(size);
    this.updateRequired = false;
    this.sizeUpdates.push(size);
    return 0;
  }

  /**
   * Bytes the representation at `start` needs, given that the string
   * literal at `c.pos` is cut off (`c.pos` has not moved past it).
   */
  private need(c: Cursor, start: number): number {
    const end = stringLiteralEnd(c, 7);
    c.pos = start;
    return end < 0 ? c.end - start + 1 : end - start;
  }

  /** Reads a prefix integer; `NEED_MORE` (only when not `complete`) if it is cut off. */
  private readInt(c: Cursor, prefixBits: number, complete: boolean): number {
    const v = decodePrefixInt(c, prefixBits, MAX_INT);
    if (v >= 0) return v;
    if (v === NEED_MORE) {
      if (!complete) return NEED_MORE;
      this.fail("integer_truncated", "integer runs past the end of the block", c.pos);
    }
    // RFC 7541 §5.1: "Integer encodings that exceed implementation limits -- in value or octet length -- MUST be treated as decoding errors."
    this.fail("integer_overflow", "integer exceeds 4294967295", c.pos);
  }

  /**
   * Reads a §5.2 string literal; `used` is the field list size already
   * taken, for the early bound. `NEED_MORE` (only when not `complete`) if
   * it is cut off.
   */
  private readStr(c: Cursor, used: number, complete: boolean, kind: number): FieldData<B> | number {
    const budget = this.maxHeaderListSize - used - ENTRY_OVERHEAD;
    const max = budget < this.maxStringLength ? Math.max(budget, 0) : this.maxStringLength;
    const start = c.pos;
    // In bytes mode a literal the table keeps is copied into the decoder's
    // arena (it outlives the caller's field block, and must pin neither it
    // nor the shared slab); one read from the held buffer, which is reused,
    // into the slab; otherwise a raw literal is a view of the input.
    const s = this.bytes
      ? decodeStringLiteralBytes(c, 7, max, kind === INCREMENTAL ? this.arena : this.fromHeld ? SLAB : undefined)
      : decodeStringLiteral(c, 7, max);
    if (typeof s !== "number") return s as FieldData<B>;
    switch (s) {
      case NEED_MORE:
        if (!complete) return NEED_MORE;
        return this.fail("string_truncated", "string literal runs past the end of the block", start);
      case HUFFMAN_EOS_DECODED:
        // RFC 7541 §5.2: "A Huffman-encoded string literal containing the EOS symbol MUST be treated as a decoding error."
        return this.fail("huffman_eos", "Huffman string contains EOS", start);
      case HUFFMAN_BAD_PADDING:
        // RFC 7541 §5.2: padding "strictly longer than 7 bits" or not "the most significant bits of the code for the EOS symbol MUST be treated as a decoding error"
        return this.fail("huffman_padding", "Huffman string has invalid padding", start);
      default: {
        // TOO_LONG: a length integer past 2^32 - 1, or a string over the limits.
        const peek: Cursor = { buf: c.buf, pos: start, end: c.end };
        if (decodePrefixInt(peek, 7, MAX_INT) === OVERFLOW) {
          this.fail("integer_overflow", "string length exceeds 4294967295", start);
        }
        if (max < this.maxStringLength) this.listTooLarge(used + ENTRY_OVERHEAD, start);
        this.fail("string_too_long", `string literal is longer than maxStringLength ${this.maxStringLength}`, start);
      }
    }
  }

  private outOfRange(idx: number, offset: number): never {
    // RFC 7541 §2.3.3: "Indices strictly greater than the sum of the lengths of both tables MUST be treated as a decoding error."
    this.fail("index_out_of_range", `index ${idx} is past the ${STATIC_TABLE_LENGTH + this.table.count} table entries`, offset);
  }

  private listTooLarge(size: number, offset: number): never {
    this.fail("header_list_too_large", `header list size reaches ${size}, above maxHeaderListSize ${this.maxHeaderListSize}`, offset);
  }

  /** Throws (and keeps, to poison the decoder) an HpackError; `offset` is relative to the current buffer. */
  private fail(reason: string, what: string, offset: number): never {
    const at = this.base + offset;
    const e = new HpackError(`Cannot decode HPACK block at offset ${at}: ${what}`, { reason, offset: at });
    this.failure = e;
    throw e;
  }
}
