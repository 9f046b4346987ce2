/**
 * The HPACK encoder (RFC 7541 §3, §6) and its indexing policy.
 *
 * @module
 */
import { ByteWriter } from "../shared/byte-writer.js";
import { latin1Decode } from "../shared/latin1.js";
import { booleanOption, integerOption, numberOption } from "../shared/options.js";
import { PairIndex, pairHash } from "../shared/pair-index.js";
import { writePrefixInt } from "../shared/prefix-int.js";
import { slabCommit, slabLend } from "../shared/slab.js";
import { writeStringLiteral } from "../shared/string-literal.js";
import { entrySize } from "../shared/table-entry.js";
import { DEFAULT_MAX_TABLE_SIZE } from "./decoder.js";
import { DynamicTable, type DynamicTableSnapshot } from "./dynamic-table.js";
import type { EncoderHeaderField } from "./header-field.js";
import { STATIC_TABLE, STATIC_TABLE_LENGTH } from "./static-table.js";

/** Options of {@link HpackEncoder}. */
export interface HpackEncoderOptions {
  /**
   * The peer's SETTINGS_HEADER_TABLE_SIZE in effect when the context starts
   * (default 4096): the largest table the peer's decoder allows. Later
   * changes go through `setMaxTableSize`.
   */
  maxTableSize?: number;
  /**
   * The largest dynamic table this encoder uses, whatever the peer allows
   * (default 4096, {@link DEFAULT_TABLE_SIZE_LIMIT}). RFC 7541 §4.2 lets an
   * encoder use any size up to the peer's setting; the table in use is
   * `min(peer's setting, tableSizeLimit)`, announced with a dynamic table
   * size update (§6.3) at the start of the next field block when it differs
   * from what the peer's decoder assumes. A peer advertising 4 GiB then
   * costs no more memory than this. nghttp2's deflater
   * (`max_deflate_dynamic_table_size`) and Go's `MaxEncoderHeaderTableSize`
   * default to 4096 as well.
   */
  tableSizeLimit?: number;
  /** Huffman-code literals: `"auto"` (default) only when strictly shorter, `true` always, `false` never. */
  huffman?: boolean | "auto";
  /** Check names and values against RFC 9113 §8.2.1 before encoding (default false); violations throw `TypeError`. */
  validate?: boolean;
  /**
   * Whether a field that is not already in a table goes into the dynamic
   * table (literal with incremental indexing) or not (literal without
   * indexing). Default {@link defaultShouldIndex}. Entries larger than
   * `maxIndexedEntryShare` of the table are not indexed, whatever this says.
   */
  shouldIndex?: (name: string, value: string) => boolean;
  /**
   * Largest entry (RFC 7541 §4.1 size) worth adding to the dynamic table, as
   * a share of its current maximum size. Default 0.25: a larger entry would
   * evict at least a quarter of the table for one field (measured on
   * hpack-test-case, 0.25 beats 0.5, 0.75 and 1 slightly; 0.125 is worse).
   * Use 1 to index anything that fits.
   */
  maxIndexedEntryShare?: number;
  /**
   * Whether a field is sent as a never-indexed literal (RFC 7541 §7.1.3) even
   * without `sensitive: true`. Default {@link defaultIsSensitive}.
   */
  isSensitive?: (name: string, value: string) => boolean;
}

/**
 * Names whose values are unique per message, so indexing them would only
 * evict reusable entries: body sizes and ranges, and request IDs.
 */
const NO_INDEX_NAMES: ReadonlySet<string> = new Set(["content-length", "content-range", "x-request-id", "x-correlation-id"]);

/**
 * The default indexing policy: index everything except values that are
 * unique per message: `:path` values with a query string, `content-length`,
 * `content-range` and request IDs.
 *
 * Timestamps and validators (`date`, `expires`, `last-modified`, `etag`,
 * `age`) are indexed on purpose: measured on the 32 hpack-test-case stories,
 * responses sent close together repeat them, and leaving any of them out of
 * the table costs bytes (`date` alone: +52 KB). Leaving `content-length` out
 * saves about 3 KB. See docs/hpack.md.
 */
export function defaultShouldIndex(name: string, value: string): boolean {
  if (name === ":path") return value.indexOf("?") < 0;
  return !NO_INDEX_NAMES.has(name);
}

/**
 * The default never-indexed policy (RFC 7541 §7.1.3): `authorization` and
 * `proxy-authorization` always; `cookie` values shorter than 20 octets, which
 * are small enough to guess by probing the table (§7.1.3 "values with low
 * entropy").
 */
export function defaultIsSensitive(name: string, value: string): boolean {
  if (name === "authorization" || name === "proxy-authorization") return true;
  return name === "cookie" && value.length < 20;
}

interface NameInfo {
  /** The name. */
  readonly name: string;
  /** Static index of the name (first entry with it), or 0. */
  readonly staticIndex: number;
  /** Static value -> index, for names in the static table. */
  readonly staticValues: Map<string, number> | undefined;
  /** Longest value in `staticValues` (-1 without): longer values skip the probe. */
  readonly staticMaxLength: number;
  /** Absolute id of the newest dynamic entry with this name, or -1. */
  dynId: number;
  /** This name's part of {@link pairHash} (a serial number per encoder). */
  readonly key: number;
  /** In the encoder's `names` map (onEvict removes names in no table; spares a Map probe per insert). */
  tracked: boolean;
  /**
   * The encoder uses the default policies and they index this name's fields
   * and never mark them sensitive, whatever the value: the policy calls are
   * skipped (see {@link policyFree}).
   */
  plain: boolean;
}

/** Names whose fields the default policies treat differently from the rest (or by value). */
const POLICY_NAMES: ReadonlySet<string> = new Set([":path", "cookie", "authorization", "proxy-authorization", ...NO_INDEX_NAMES]);

/**
 * Whether, with the default policies, fields named `name` are always
 * indexed and never sensitive: `defaultIsSensitive` is false and
 * `defaultShouldIndex` true for every value of such a name.
 */
function policyFree(name: string): boolean {
  return !POLICY_NAMES.has(name);
}

interface StaticName {
  readonly index: number;
  readonly values: Map<string, number>;
  maxLength: number;
}

let staticIndex: Map<string, StaticName> | undefined;
function staticLookup(): Map<string, StaticName> {
  if (staticIndex !== undefined) return staticIndex;
  const m = new Map<string, StaticName>();
  STATIC_TABLE.forEach(([name, value], i) => {
    let e = m.get(name);
    if (e === undefined) {
      e = { index: i + 1, values: new Map(), maxLength: 0 };
      m.set(name, e);
    }
    if (!e.values.has(value)) e.values.set(value, i + 1);
    if (value.length > e.maxLength) e.maxLength = value.length;
  });
  staticIndex = m;
  return m;
}

/** Default of {@link HpackEncoderOptions.tableSizeLimit}: the table size nghttp2's deflater and Go's encoder cap at. */
export const DEFAULT_TABLE_SIZE_LIMIT = 4096;

/**
 * Field blocks are written straight into the shared output slab
 * (`slabLend`/`slabCommit`) and handed out as views: a fresh `ArrayBuffer`
 * per block cost about 0.7 µs, ~13% of encode time on hpack-test-case. So
 * `block.buffer` may be shared with other blocks and `block.byteOffset` need
 * not be 0. A field block is given at least this much room; one that
 * outgrows it ends in the writer's own grown buffer and is copied out of it.
 */
const SLAB_MIN_ROOM = 4096;
const EMPTY = new Uint8Array(0);
const OWNER = "HpackEncoder";
/** Field positions whose last name record is remembered. */
const POSITIONS = 64;
const MAX_SIZE = 0xffffffff;

/**
 * RFC 9113 §8.2.1 field validity. Names: no 0x00-0x20, no uppercase, no
 * 0x7f-0xff, and no colon except a leading one (pseudo-header). Values: no
 * NUL, CR or LF, no leading or trailing SP/HTAB.
 *
 * @throws TypeError describing the first violation (never quoting the value)
 */
export function validateField(name: string, value: string): void {
  if (name.length === 0) throw new TypeError("Invalid field name: empty");
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c <= 0x20 || (c >= 0x41 && c <= 0x5a) || c >= 0x7f || (c === 0x3a && i > 0)) {
      throw new TypeError(
        `Invalid field name "${name.length > 64 ? `${name.slice(0, 64)}...` : name}": character 0x${c.toString(16)} at index ${i} is not allowed (RFC 9113 §8.2.1)`,
      );
    }
  }
  const n = value.length;
  for (let i = 0; i < n; i++) {
    const c = value.charCodeAt(i);
    if (c === 0 || c === 0x0a || c === 0x0d || c > 0xff) {
      throw new TypeError(`Invalid value of field "${name}": character 0x${c.toString(16)} at index ${i} is not allowed (RFC 9113 §8.2.1)`);
    }
  }
  if (n > 0) {
    const first = value.charCodeAt(0);
    const last = value.charCodeAt(n - 1);
    if (first === 0x20 || first === 0x09 || last === 0x20 || last === 0x09) {
      throw new TypeError(`Invalid value of field "${name}": leading or trailing whitespace (RFC 9113 §8.2.1)`);
    }
  }
}

/**
 * Encodes field lists into HPACK field blocks for one direction of one
 * connection. Field blocks must be sent in the order they were encoded.
 *
 * Per field: an exact match in the static or dynamic table becomes an
 * indexed field; a sensitive field becomes a never-indexed literal; anything
 * else is a literal, added to the dynamic table when the indexing policy
 * says so, with the name indexed when a table has it.
 *
 * @example
 * ```ts
 * const e = new HpackEncoder();
 * e.encode([{ name: ":method", value: "GET" }]); // Uint8Array [0x82]
 * ```
 */
export class HpackEncoder {
  private readonly table: DynamicTable<string>;
  private readonly huffman: boolean | "auto";
  private readonly validate: boolean;
  private readonly shouldIndex: (name: string, value: string) => boolean;
  private readonly isSensitive: (name: string, value: string) => boolean;
  private readonly maxIndexedEntryShare: number;
  /** Both policies are the defaults, so a name's `plain` flag may skip them. */
  private readonly defaultPolicies: boolean;
  private readonly statics = staticLookup();
  /**
   * Per-name lookup state: one Map probe per field finds the static index,
   * the static values and the dynamic entries of a name. Holds static names
   * seen and names with dynamic entries (removed when their last entry is
   * evicted), so unique names sent without indexing do not accumulate.
   */
  private readonly names = new Map<string, NameInfo>();
  /** The name records last used at each field position of a list (up to {@link POSITIONS}). */
  private readonly byPosition: (NameInfo | undefined)[] = [];
  /** The dynamic table's entries by (name's NameInfo, value). */
  private readonly pairs: PairIndex<NameInfo>;
  /** Next {@link NameInfo.key}. */
  private nextKey = 1;
  /** Writes into the shared slab (see SLAB_MIN_ROOM); its own buffer is never used. */
  private readonly writer = new ByteWriter(0);
  /** An encode() is writing with {@link writer} (re-entry from a callback gets its own writer). */
  private busy = false;
  private readonly tableSizeLimit: number;
  /** Smallest table size to announce before the next field block, or -1. */
  private pendingMin = -1;
  /** Table size to announce before the next field block, or -1. */
  private pendingFinal = -1;
  /** Announce `pendingFinal` even when the table already has that size (the peer's decoder assumes another). */
  private announce = false;
  private failure: unknown = undefined;

  /**
   * @throws RangeError for a `maxTableSize` or `tableSizeLimit` that is not
   *   an integer from 0 to 2^32 - 1, or a `maxIndexedEntryShare` outside 0..1
   */
  constructor(options: HpackEncoderOptions = {}) {
    const peer = integerOption(OWNER, "maxTableSize", options.maxTableSize, DEFAULT_MAX_TABLE_SIZE, 0, MAX_SIZE);
    this.tableSizeLimit = integerOption(OWNER, "tableSizeLimit", options.tableSizeLimit, DEFAULT_TABLE_SIZE_LIMIT, 0, MAX_SIZE);
    const size = Math.min(peer, this.tableSizeLimit);
    // Each entry is tagged with its name's NameInfo, so eviction needs no lookup.
    this.table = new DynamicTable<string>(size, true);
    // Starts small and doubles with the live entries, as the table's ring does.
    this.pairs = new PairIndex<NameInfo>();
    if (size !== peer) {
      // The peer's decoder starts at its own setting: tell it ours (RFC 7541 §4.2).
      this.pendingMin = this.pendingFinal = size;
      this.announce = true;
    }
    this.huffman = options.huffman ?? "auto";
    this.validate = booleanOption(OWNER, "validate", options.validate, false);
    this.shouldIndex = options.shouldIndex ?? defaultShouldIndex;
    this.isSensitive = options.isSensitive ?? defaultIsSensitive;
    this.defaultPolicies = this.shouldIndex === defaultShouldIndex && this.isSensitive === defaultIsSensitive;
    this.maxIndexedEntryShare = numberOption(OWNER, "maxIndexedEntryShare", options.maxIndexedEntryShare, 0.25, 0, 1);
    this.table.onEvict = (name, _value, id, tag) => {
      const info = tag as NameInfo;
      if (info.dynId === id) {
        // The newest entry with this name is gone, so all older ones are too.
        info.dynId = -1;
        if (info.staticIndex === 0) {
          this.names.delete(name);
          info.tracked = false;
        }
      }
    };
  }

  /**
   * Takes the peer's new SETTINGS_HEADER_TABLE_SIZE (once the change was
   * acknowledged). The table in use becomes `min(n, tableSizeLimit)`,
   * announced at the start of the next field block; when the size went down
   * and back up in between, two updates are sent, the minimum first (RFC
   * 7541 §4.2).
   *
   * @throws RangeError unless `n` is an integer from 0 to 2^32 - 1
   */
  setMaxTableSize(n: number): void {
    integerOption(OWNER, "maxTableSize", n ?? Number.NaN, 0, 0, MAX_SIZE);
    const size = Math.min(n, this.tableSizeLimit);
    this.pendingMin = this.pendingMin < 0 ? size : Math.min(this.pendingMin, size);
    this.pendingFinal = size;
  }

  /** The dynamic table: entries newest first, size and maximum size. */
  dynamicTable(): DynamicTableSnapshot<string> {
    return this.table.snapshot();
  }

  /**
   * Encodes one field list as a field block.
   *
   * @returns the block: memory no later call writes to (a view into a
   *   shared, never-reused slab for blocks up to 4 KiB, so its `.buffer` may
   *   hold other blocks too; copy it before transferring the buffer)
   * @throws TypeError for a name or value with a character above U+00FF, or
   *   (with `validate: true`) one that RFC 9113 §8.2.1 forbids. A TypeError
   *   thrown before any output leaves the encoder usable; one thrown while
   *   writing (only without `validate`) leaves the table ahead of the peer's,
   *   so the encoder refuses further use.
   */
  encode(headers: Iterable<EncoderHeaderField>): Uint8Array {
    if (this.busy) {
      // Called from an indexing callback of this encoder's encode in progress: write elsewhere.
      const own = new ByteWriter(256);
      this.encodeInto(headers, own);
      return own.finish();
    }
    const w = this.writer;
    const { buf, start } = slabLend(SLAB_MIN_ROOM);
    w.buf = buf;
    w.pos = start;
    this.busy = true;
    let end = start;
    try {
      this.encodeInto(headers, w);
      if (w.buf === buf) end = w.pos;
    } finally {
      this.busy = false;
      slabCommit(buf, end);
    }
    if (w.buf === buf) {
      w.buf = EMPTY;
      // The constructor, not subarray(): no species lookup, about half the cost of a view.
      return new Uint8Array(buf.buffer, buf.byteOffset + start, end - start);
    }
    // Outgrew the slab: the block is in the writer's new buffer.
    const out = w.buf.slice(start, w.pos);
    w.buf = EMPTY;
    return out;
  }

  /** Like {@link encode}, appending the block to `w`. */
  encodeInto(headers: Iterable<EncoderHeaderField>, w: ByteWriter): void {
    if (this.failure !== undefined) {
      throw new Error("HpackEncoder is unusable: an earlier encode failed part way through", { cause: this.failure });
    }
    if (this.validate) {
      // Validate everything before the table changes; an iterable may be one-shot, so keep its items.
      if (!Array.isArray(headers)) headers = [...headers];
      for (const f of headers) {
        validateField(
          typeof f.name === "string" ? f.name : latin1Decode(f.name),
          typeof f.value === "string" ? f.value : latin1Decode(f.value),
        );
      }
    }
    try {
      this.writeSizeUpdates(w);
      let i = 0;
      for (const f of headers) this.encodeField(f, w, i++);
    } catch (e) {
      this.failure = e;
      throw e;
    }
  }

  private writeSizeUpdates(w: ByteWriter): void {
    if (this.pendingFinal < 0) return;
    const min = this.pendingMin;
    const final = this.pendingFinal;
    this.pendingMin = this.pendingFinal = -1;
    // Nothing changed in between: no update needed.
    if (min === final && final === this.table.maxSize && !this.announce) return;
    this.announce = false;
    // §6.3 Dynamic Table Size Update: 001 | Max size (5+)
    if (min < final) {
      writePrefixInt(w, min, 5, 0x20);
      this.table.setMaxSize(min);
    }
    writePrefixInt(w, final, 5, 0x20);
    this.table.setMaxSize(final);
  }

  private nameInfo(name: string): NameInfo | undefined {
    let info = this.names.get(name);
    if (info === undefined) {
      const st = this.statics.get(name);
      if (st === undefined) return undefined;
      info = {
        name,
        staticIndex: st.index,
        staticValues: st.values,
        staticMaxLength: st.maxLength,
        dynId: -1,
        key: this.nextKey++,
        tracked: true,
        plain: this.defaultPolicies && policyFree(name),
      };
      this.names.set(name, info);
    }
    return info;
  }

  /** Encodes the field at position `at` of its list. */
  private encodeField(f: EncoderHeaderField, w: ByteWriter, at: number): void {
    const name = typeof f.name === "string" ? f.name : latin1Decode(f.name);
    const value = typeof f.value === "string" ? f.value : latin1Decode(f.value);
    const table = this.table;
    // Lists of a connection tend to repeat their names in the same order: a
    // string comparison with the name last seen at this position first, then
    // the Map probe. A record dropped from the Map (untracked) is not trusted.
    let info = at < POSITIONS ? this.byPosition[at] : undefined;
    if (info === undefined || info.name !== name || !info.tracked) {
      info = this.nameInfo(name);
      if (info !== undefined && at < POSITIONS) this.byPosition[at] = info;
    }
    const plain = info?.plain === true;
    const sensitive = f.sensitive === true || (!plain && this.isSensitive(name, value));
    let nameIndex = 0;
    // pairHash of the field, computed at most once (-1: not yet; hashes are 31-bit).
    let hash = -1;
    if (info !== undefined) {
      if (!sensitive) {
        // Static values are at most 13 octets and most static names have
        // only "": a longer value cannot match, so skip the probe.
        if (value.length <= info.staticMaxLength) {
          const i = info.staticValues!.get(value);
          if (i !== undefined) {
            // §6.1 Indexed Header Field (static): 1 | Index (7+), one byte (static indices are below 127)
            if (w.pos >= w.buf.length) w.ensure(1);
            w.buf[w.pos++] = 0x80 | i;
            return;
          }
        }
        // Only a name with dynamic entries can have the pair there.
        if (info.dynId >= 0) hash = pairHash(info.key, value);
        const id = info.dynId < 0 ? -1 : this.pairs.find(info, value, hash, table.inserted - table.count);
        if (id >= 0) {
          // §6.1 Indexed Header Field (dynamic)
          const index = STATIC_TABLE_LENGTH + table.inserted - id;
          if (index < 0x7f && w.pos < w.buf.length) w.buf[w.pos++] = 0x80 | index;
          else writePrefixInt(w, index, 7, 0x80);
          return;
        }
      }
      // Prefer the static name index: always below 62, so one byte in a 6-bit prefix.
      nameIndex = info.staticIndex !== 0 ? info.staticIndex : info.dynId >= 0 ? STATIC_TABLE_LENGTH + table.inserted - info.dynId : 0;
    }
    if (sensitive) {
      // §6.2.3 Literal Header Field Never Indexed: 0001 | Index (4+)
      this.writeLiteral(w, 0x10, 4, nameIndex, name, value);
      return;
    }
    if (entrySize(name.length, value.length) <= table.maxSize * this.maxIndexedEntryShare && (plain || this.shouldIndex(name, value))) {
      // §6.2.1 Literal Header Field with Incremental Indexing: 01 | Index (6+)
      this.writeLiteral(w, 0x40, 6, nameIndex, name, value);
      // info is undefined only for a name in no table (not static).
      const entry = info ?? {
        name,
        staticIndex: 0,
        staticValues: undefined,
        staticMaxLength: -1,
        dynId: -1,
        key: this.nextKey++,
        tracked: false,
        plain: this.defaultPolicies && policyFree(name),
      };
      table.add(name, value, entry);
      if (table.count === 0) return; // larger than the table: not added (§4.4)
      const id = table.inserted - 1;
      // A new name, or one whose info onEvict reset and dropped when this add
      // evicted its last entry: track it (again) with the same object, which
      // is the new entry's tag.
      if (!entry.tracked) {
        this.names.set(name, entry);
        entry.tracked = true;
      }
      entry.dynId = id;
      if (hash < 0) hash = pairHash(entry.key, value);
      this.pairs.add(id, entry, value, hash, table.inserted - table.count);
      return;
    }
    // §6.2.2 Literal Header Field without Indexing: 0000 | Index (4+)
    this.writeLiteral(w, 0x00, 4, nameIndex, name, value);
  }

  private writeLiteral(w: ByteWriter, flags: number, prefixBits: number, nameIndex: number, name: string, value: string): void {
    writePrefixInt(w, nameIndex, prefixBits, flags);
    if (nameIndex === 0) writeStringLiteral(w, name, 7, 0, this.huffman);
    writeStringLiteral(w, value, 7, 0, this.huffman);
  }
}
