/**
 * The QPACK encoder (RFC 9204 §2.1): encodes field sections against a
 * dynamic table it fills through the encoder stream, tracking which entries
 * the decoder has acknowledged and which are still referenced.
 *
 * @module
 */
import { intArray } from "../shared/arrays.js";
import { ByteWriter, SMALL_WRITER } from "../shared/byte-writer.js";
import type { Cursor } from "../shared/cursor.js";
import { isLatin1 } from "../shared/latin1.js";
import { integerOption } from "../shared/options.js";
import { PairIndex, pairHash } from "../shared/pair-index.js";
import { PendingBytes } from "../shared/pending.js";
import { NEED_MORE } from "../shared/result.js";
import { slabCommit, slabCopy, slabLend } from "../shared/slab.js";
import { decodeDecoderInstruction } from "./decoder-instructions.js";
import { DynamicTable, entrySize, maxEntries, reslot } from "./dynamic-table.js";
import {
  writeDuplicate,
  writeInsertWithLiteralName,
  writeInsertWithNameReference,
  writeSetDynamicTableCapacity,
} from "./encoder-instructions.js";
import { QpackErrorCode } from "./error-codes.js";
import { connectionError, QpackError } from "./errors.js";
import {
  type QpackField,
  writeFieldSectionPrefix,
  writeIndexedFieldLine,
  writeIndexedFieldLinePostBase,
  writeLiteralWithLiteralName,
  writeLiteralWithNameReference,
  writeLiteralWithPostBaseNameReference,
} from "./field-section.js";
import { absoluteToEncoderRelative, absoluteToPostBase, absoluteToRelative } from "./indexing.js";
import { STATIC_TABLE } from "./static-table.js";
import { streamKey } from "./stream-key.js";

/**
 * Options of {@link QpackEncoder}. The two settings may be given exactly as
 * the peer sent them (up to 2^62 - 1, `number` or `bigint`): nothing is
 * allocated from them.
 */
export interface QpackEncoderOptions {
  /** The peer decoder's SETTINGS_QPACK_MAX_TABLE_CAPACITY. Default 0 (no dynamic table). */
  readonly maxTableCapacity?: number | bigint;
  /** The peer decoder's SETTINGS_QPACK_BLOCKED_STREAMS. Default 0. */
  readonly maxBlockedStreams?: number | bigint;
  /**
   * The most dynamic table capacity this encoder is willing to use (its
   * memory, and the decoder's): it uses min(`maxTableCapacity`, this).
   * Default {@link DEFAULT_ENCODER_TABLE_CAPACITY} (4096, nghttp3's
   * `NGHTTP3_QPACK_ENCODER_MAX_DTABLE_CAPACITY`).
   */
  readonly tableCapacity?: number;
  /** Huffman-code strings: always, never, or `"auto"` (only when strictly shorter; the default). */
  readonly huffman?: boolean | "auto";
}

/** Default {@link QpackEncoderOptions.tableCapacity}: 4096, as nghttp3's encoder. */
export const DEFAULT_ENCODER_TABLE_CAPACITY = 4096;

/** A name of the static table: its lowest index, and value -> index for its entries. */
interface StaticName {
  readonly index: number;
  readonly values: Map<string, number>;
  /** Longest value among its entries: a longer value cannot match, so the probe is skipped. */
  readonly maxLength: number;
}

// Static table lookups, built once: one Map probe per field finds the name's
// lowest index and its exact entries (two Maps, probed separately, measured
// slower on the QIF corpus: see docs/performance.md).
const STATIC_NAMES: ReadonlyMap<string, StaticName> = /* @__PURE__ */ (() => {
  const m = new Map<string, { index: number; values: Map<string, number>; maxLength: number }>();
  STATIC_TABLE.forEach(([name, value], i) => {
    let e = m.get(name);
    if (!e) {
      e = { index: i, values: new Map(), maxLength: 0 };
      m.set(name, e);
    }
    if (!e.values.has(value)) e.values.set(value, i);
    if (value.length > e.maxLength) e.maxLength = value.length;
  });
  return m;
})();

/**
 * What the encoder knows about one name, found with one Map probe per field
 * (or a string comparison, see `byPosition`): its static entries, its
 * newest dynamic entry, how many history slots hold a field of this name,
 * and the last value looked up under it. Exact fields are found in the two
 * pair indexes (the dynamic table's and the history's), keyed by this record.
 * Kept while it has a dynamic entry or a history slot; static names stay
 * once seen.
 */
interface NameRec {
  readonly name: string;
  readonly st: StaticName | undefined;
  /** This name's part of {@link pairHash} (a serial number per encoder). */
  readonly key: number;
  /** Newest dynamic entry with this name, or -1. */
  newest: number;
  /** History slots holding a field of this name. */
  hist: number;
  /** The value looked up last under this name (a cache in front of the static probe and the hash), or undefined. */
  lastValue: string | undefined;
  /** Static index of (name, `lastValue`), or -1. */
  lastSt: number;
  /** {@link pairHash} of (name, `lastValue`), or -1 when not computed yet. */
  lastHash: number;
  /**
   * Newest dynamic entry of (name, `lastValue`): -1 none, -2 not looked up
   * yet; an id below the oldest live one means it (and so every entry of the
   * field) is evicted. Inserts of that field keep it up to date.
   */
  lastDyn: number;
  /** History number of (name, `lastValue`), in the same form as `lastDyn`. */
  lastSeen: number;
  /** False once dropped from the encoder's Map (a new record replaces it). */
  live: boolean;
}

/**
 * The encoder's view of the dynamic table: per entry, the number of
 * outstanding (unacknowledged) references, the running byte offset and the
 * name's record, plus the per-name records and the (name, value) index that
 * find fields in both tables.
 */
class EncoderTable extends DynamicTable {
  /** Outstanding references per entry, by ring slot. */
  refs: number[] = [];
  /** Bytes inserted before each entry (a running total), by ring slot. */
  private startBytes: number[] = [];
  /** The name's record of each entry, by ring slot (eviction needs no Map probe). */
  private entryRecs: (NameRec | undefined)[] = [];
  totalBytes = 0;
  /** Per-name state (see {@link NameRec}); the encoder's history keeps its part up to date. */
  readonly recs = new Map<string, NameRec>();
  /** The live entries by (name record, value): the newest exact entry of a field. */
  readonly pairs = new PairIndex<NameRec>();
  private serial = 0;

  /** The record of `name`, created (and kept) if it has none. */
  recFor(name: string): NameRec {
    let r = this.recs.get(name);
    if (r === undefined) {
      r = {
        name,
        st: STATIC_NAMES.get(name),
        key: ++this.serial,
        newest: -1,
        hist: 0,
        lastValue: undefined,
        lastSt: -1,
        lastHash: -1,
        lastDyn: -1,
        lastSeen: -1,
        live: true,
      };
      this.recs.set(name, r);
    }
    return r;
  }

  /** Forgets a name's record that holds nothing any more. */
  dropIfEmpty(r: NameRec): void {
    if (r.newest >= 0 || r.hist > 0 || r.st !== undefined) return;
    r.live = false;
    this.recs.delete(r.name);
  }

  protected override grow(ring: number): void {
    this.refs = reslot(this.refs, this.ring, ring, this.dropped, this.insertCount, 0);
    this.entryRecs = reslot(this.entryRecs, this.ring, ring, this.dropped, this.insertCount, undefined);
    this.startBytes = reslot(this.startBytes, this.ring, ring, this.dropped, this.insertCount, 0);
    super.grow(ring);
  }

  slot(abs: number): number {
    return abs & this.mask;
  }

  /** Bytes of the live entries older than `abs`. */
  bytesBefore(abs: number): number {
    if (abs >= this.insertCount) return this.size;
    return this.startBytes[abs & this.mask]! - this.startBytes[this.dropped & this.mask]!;
  }

  /** Bytes of the live entries at or after `abs`. */
  bytesFrom(abs: number): number {
    return this.size - this.bytesBefore(abs);
  }

  protected override added(abs: number, name: string, value: string, size: number): void {
    const slot = abs & this.mask;
    this.refs[slot] = 0;
    this.startBytes[slot] = this.totalBytes;
    this.totalBytes += size;
    const r = this.recFor(name);
    r.newest = abs;
    this.entryRecs[slot] = r;
    let hash: number;
    if (r.lastValue === value) {
      r.lastDyn = abs;
      if (r.lastHash < 0) r.lastHash = pairHash(r.key, value);
      hash = r.lastHash;
    } else hash = pairHash(r.key, value);
    this.pairs.add(abs, r, value, hash, this.dropped);
  }

  protected override evicted(abs: number): void {
    const slot = abs & this.mask;
    const r = this.entryRecs[slot]!;
    this.entryRecs[slot] = undefined;
    // Entries go oldest first: when the newest with this name goes, all of
    // them have. The pair index needs nothing: its walks stop at `dropped`.
    if (r.newest === abs) {
      r.newest = -1;
      this.dropIfEmpty(r);
    }
  }
}

/**
 * An unacknowledged section: the sections of one stream are a list, oldest
 * first (the Map holds the oldest; it alone keeps `last` up to date).
 */
class OutstandingSection {
  /** The stream's next newer section. */
  next: OutstandingSection | undefined = undefined;
  /** On the oldest section of a stream: its newest. */
  last: OutstandingSection = this;
  constructor(
    readonly ric: number,
    /** Absolute indices referenced (with repetition). */
    readonly refs: number[],
  ) {}
}

/**
 * Room left for the field section prefix before the field lines in the
 * output slab: two prefix integers of at most 2^53 (9 octets each).
 */
const PREFIX_ROOM = 20;
/** Slab room asked for a section: most sections fit (a larger one moves to memory of its own). */
const SECTION_MIN_ROOM = 1024;
const EMPTY = new Uint8Array(0);
/** Field positions whose last name record is remembered. */
const POSITIONS = 64;

/** Entries in the oldest quarter of the table are "draining" (RFC 9204 §2.1.1.1). */
const DRAIN_FRACTION = 0.25;
/**
 * Tables of at most this capacity use the small-table policy: a draining
 * entry is one in the oldest {@link SMALL_DRAIN_FRACTION} of the bytes,
 * whether or not the table is full, and the fields of
 * {@link PER_REQUEST_NAMES} are never inserted. Measured on the QIF corpus
 * (docs/performance.md): with it the encoded bytes at 256-2048 fall below
 * nghttp3's; above 2048 it costs bytes, so larger tables keep the default.
 */
const SMALL_TABLE = 2048;
/** Draining share of a small table (see {@link SMALL_TABLE}). */
const SMALL_DRAIN_FRACTION = 0.14;
/**
 * Names whose values mostly change from one request or response to the next
 * (the list nghttp3 never indexes): in a small table an entry for them would
 * evict entries that recur.
 */
const PER_REQUEST_NAMES: ReadonlySet<string> = new Set([
  ":path",
  "age",
  "content-length",
  "etag",
  "if-modified-since",
  "if-none-match",
  "location",
  "set-cookie",
  "authorization",
]);
/**
 * Size of the history of recently seen fields, in multiples of the number of
 * entries the table can hold. A field is inserted when it recurs within that
 * window (see `worthInserting`).
 */
const HISTORY_FACTOR = 0.5;
/** Entries above this fraction of the capacity are never inserted (they would flush the table). */
const MAX_ENTRY_FRACTION = 0.75;
/**
 * A field whose name is in neither table is inserted at first sight when it
 * is at most this fraction of the capacity, so later values can reference
 * the name.
 */
const NEW_NAME_FRACTION = 0.05;

/**
 * A QPACK encoder for one connection.
 *
 * Call {@link encodeFieldSection} for each field section, send what
 * {@link drainEncoderStream} returns on the encoder stream before (or with)
 * the section, and feed the peer's decoder stream to {@link onDecoderStream}.
 *
 * Strategy: static matches are indexed; other fields seen recently are
 * inserted into the dynamic table (name by static or dynamic reference when
 * one exists) and referenced when the section may block (fewer than `maxBlockedStreams`
 * streams are blocking, or this one already is); otherwise only
 * acknowledged entries are referenced. Entries that are still referenced
 * by unacknowledged sections, or not yet acknowledged, are never evicted
 * (RFC 9204 §2.1.1): an insert that would need that is skipped. Entries near
 * eviction ("draining") are refreshed with Duplicate. Fields marked
 * `sensitive` are sent as never-indexed literals (N bit) and never inserted.
 *
 * @example
 * ```ts
 * import { QpackEncoder } from "httpwire/qpack";
 * const enc = new QpackEncoder({ maxTableCapacity: 4096, maxBlockedStreams: 16 });
 * const section = enc.encodeFieldSection(0, [
 *   { name: ":method", value: "GET" },
 *   { name: "authorization", value: "secret", sensitive: true },
 * ]);
 * const encoderStream = enc.drainEncoderStream(); // send on the encoder stream
 * // `section` is the payload of stream 0's HEADERS frame; a peer decodes it so:
 * const dec = new QpackDecoder({ maxTableCapacity: 4096, maxBlockedStreams: 16 });
 * dec.onEncoderStream(encoderStream);
 * dec.decodeFieldSection(0, section).status; // => "decoded"
 * ```
 */
export class QpackEncoder {
  /** The peer's SETTINGS_QPACK_MAX_TABLE_CAPACITY (above 2^53 - 1: 2^53 - 1, values above 2^53 - 1 are held as 2^53 - 1, which no table can reach). */
  readonly maxTableCapacity: number;
  /** The peer's SETTINGS_QPACK_BLOCKED_STREAMS. */
  readonly maxBlockedStreams: number;
  /** The dynamic table capacity used: min(`maxTableCapacity`, the `tableCapacity` option). */
  readonly tableCapacity: number;
  private readonly huffman: boolean | "auto";
  private readonly table: EncoderTable;
  private readonly maxEntries: number;
  private knownReceivedCount = 0;
  private readonly encoderStream = new ByteWriter(SMALL_WRITER);
  /** Writes the field lines, into the output slab lent for each section. */
  private readonly body = new ByteWriter(0);
  private readonly prefix = new ByteWriter(16);
  /** Required Insert Count of the section being encoded. */
  private sectionRic = 0;
  /** Absolute indices the section being encoded references. */
  private sectionRefs: number[] | undefined;
  /** The oldest unacknowledged section of each stream that has one (see {@link OutstandingSection}). */
  private readonly outstanding = new Map<number | bigint, OutstandingSection>();
  /** Streams with an unacknowledged section whose RIC > Known Received Count. */
  private readonly blocking = new Set<number | bigint>();
  /** A partial decoder instruction held across chunks. */
  private readonly pending = new PendingBytes();
  /**
   * The history of recently seen fields: the last {@link historySize}
   * distinct fields, numbered in order of first sighting (the number's slot
   * is `number % historySize`), found by (name record, value) in `seenIndex`.
   */
  private readonly seenIndex = new PairIndex<NameRec>();
  /** Name record of each history slot. */
  private readonly seenRecs: NameRec[] = [];
  /** Sightings of each history slot's field. */
  private readonly seenCounts: number[];
  /** Number of distinct fields entered into the history so far. */
  private seenNext = 0;
  /** The name records last used at each field position of a section (up to {@link POSITIONS}). */
  private readonly byPosition: NameRec[] = [];
  /** The live record of the field's name after `worthInserting` (the history may make or drop one). */
  private cur: NameRec | undefined;
  private readonly historySize: number;
  private failure: QpackError | undefined;

  constructor(options: QpackEncoderOptions = {}) {
    this.maxTableCapacity = settingOption("maxTableCapacity", options.maxTableCapacity);
    this.maxBlockedStreams = settingOption("maxBlockedStreams", options.maxBlockedStreams);
    const local = integerOption(OWNER, "tableCapacity", options.tableCapacity, DEFAULT_ENCODER_TABLE_CAPACITY, 0, Number.MAX_SAFE_INTEGER);
    // RFC 9204 §3.2.3: the encoder may use any capacity up to the decoder's
    // maximum; it uses no more than its own limit.
    const capacity = Math.min(local, this.maxTableCapacity);
    this.tableCapacity = capacity;
    this.huffman = options.huffman ?? "auto";
    this.table = new EncoderTable(this.maxTableCapacity);
    // MaxEntries comes from the decoder's maximum, not the capacity used (§4.5.1.1).
    this.maxEntries = maxEntries(this.maxTableCapacity);
    this.historySize = Math.max(16, Math.ceil((capacity / 32) * HISTORY_FACTOR));
    this.seenCounts = intArray(capacity > 0 ? this.historySize : 0);
    if (capacity > 0) {
      // RFC 9204 §3.2.3: the initial capacity is 0; set it before inserting.
      writeSetDynamicTableCapacity(this.encoderStream, capacity);
      this.table.setCapacity(capacity);
    }
  }

  /** Number of entries inserted so far. */
  get insertCount(): number {
    return this.table.insertCount;
  }

  /** Insertions the decoder has acknowledged (RFC 9204 §2.1.4). */
  get knownReceived(): number {
    return this.knownReceivedCount;
  }

  /** Streams whose unacknowledged sections could be blocked at the decoder. */
  get blockingStreamCount(): number {
    return this.blocking.size;
  }

  /**
   * Returns the encoder-stream bytes queued so far and forgets them. Up to
   * 4 KiB, the bytes are a view into a shared, never-reused slab: copy them
   * before transferring their `.buffer`. With nothing queued (most sections
   * of a warm connection insert nothing) it returns one shared empty array
   * and allocates nothing.
   */
  drainEncoderStream(): Uint8Array {
    const w = this.encoderStream;
    const n = w.pos;
    if (n === 0) return EMPTY;
    const b = slabCopy(w.buf, n);
    w.reset();
    return b;
  }

  /**
   * Encodes one field section for `streamId`. Encoder-stream instructions it
   * needs are queued for {@link drainEncoderStream}; they must reach the
   * peer's encoder stream (the section may reference them).
   *
   * @returns the section: memory no later call writes to (a view into a
   *   shared, never-reused 64 KiB slab when it fits the slab's free room, so
   *   its `.buffer` may hold other outputs too; copy it before transferring
   *   the buffer)
   * @throws TypeError for a name or value with a character above U+00FF
   * @throws RangeError for a stream ID outside 0..2^62-1
   */
  encodeFieldSection(streamId: number | bigint, fields: readonly QpackField[]): Uint8Array {
    if (this.failure !== undefined) throw this.failure;
    const key = streamKey(streamId);
    const t = this.table;
    const body = this.body;
    const base = t.insertCount;
    this.sectionRic = 0;
    this.sectionRefs = undefined;
    // The field lines go straight into the output slab, behind room for the
    // prefix, which is known only at the end (§4.5.1: it carries the
    // Required Insert Count).
    const { buf, start } = slabLend(SECTION_MIN_ROOM);
    body.buf = buf;
    body.pos = start + PREFIX_ROOM;
    let end = start;
    try {
      this.encodeLines(key, fields, base);
      if (body.buf === buf) end = body.pos;
    } catch (e) {
      // A caller mistake (a character above U+00FF): forget this section's
      // references. Inserts already queued stay valid: the decoder will
      // apply them as the encoder did.
      const refs = this.sectionRefs as number[] | undefined;
      if (refs !== undefined) for (const abs of refs) t.refs[t.slot(abs)]!--;
      throw e;
    } finally {
      slabCommit(buf, end);
    }

    const ric = this.sectionRic;
    const prefix = this.prefix;
    prefix.reset();
    writeFieldSectionPrefix(prefix, ric, base, this.maxEntries);
    if (ric > 0) {
      const s = new OutstandingSection(ric, this.sectionRefs!);
      const q = this.outstanding.get(key);
      if (q === undefined) this.outstanding.set(key, s);
      else {
        q.last.next = s;
        q.last = s;
      }
      if (ric > this.knownReceivedCount) this.blocking.add(key);
    }
    const lines = body.buf;
    const bodyStart = start + PREFIX_ROOM;
    const bodyEnd = body.pos;
    body.buf = EMPTY;
    const p = prefix.buf;
    const n = prefix.pos;
    if (lines === buf) {
      // Write the prefix just before the field lines and hand out the view.
      const at = bodyStart - n;
      for (let i = 0; i < n; i++) buf[at + i] = p[i]!;
      // The constructor, not subarray() (which looks up the species constructor): about half the cost per view.
      return new Uint8Array(buf.buffer, buf.byteOffset + at, bodyEnd - at);
    }
    // The field lines outgrew the slab: they are in memory of their own.
    const out = new Uint8Array(n + bodyEnd - bodyStart);
    out.set(p.subarray(0, n));
    out.set(lines.subarray(bodyStart, bodyEnd), n);
    return out;
  }

  /** Writes the field lines of one section into `body`. */
  private encodeLines(key: number | bigint, fields: readonly QpackField[], base: number): void {
    const t = this.table;
    const body = this.body;
    const canBlock = this.maxBlockedStreams > 0 && (this.blocking.has(key) || this.blocking.size < this.maxBlockedStreams);
    const useTable = t.capacity > 0;
    const krc = this.knownReceivedCount;
    const byPos = this.byPosition;
    for (let i = 0; i < fields.length; i++) {
      const f = fields[i]!;
      const name = f.name;
      const value = f.value;
      // Sections of a connection tend to repeat their names in the same
      // order, and a name its last value: a string comparison first, then
      // the Map probe.
      let rec = i < byPos.length ? byPos[i] : undefined;
      if (rec === undefined || rec.name !== name || !rec.live) {
        rec = t.recs.get(name);
        if (rec === undefined && STATIC_NAMES.has(name)) rec = t.recFor(name);
        if (rec !== undefined && i < POSITIONS) byPos[i] = rec;
      }
      if (f.sensitive === true) {
        this.writeLiteral(name, value, base, canBlock, true, rec);
        continue;
      }
      // The static index and the pair hash of the field, cached per name
      // for its last value (hash -1: not computed yet).
      let st = -1;
      let hash = -1;
      let dyn = -2;
      if (rec !== undefined) {
        if (rec.lastValue === value) {
          st = rec.lastSt;
          hash = rec.lastHash;
          dyn = rec.lastDyn;
        } else {
          const s = rec.st;
          if (s !== undefined && value.length <= s.maxLength) st = s.values.get(value) ?? -1;
          rec.lastValue = value;
          rec.lastSt = st;
          rec.lastHash = -1;
          rec.lastDyn = -2;
          rec.lastSeen = -2;
        }
      }
      if (st >= 0) {
        writeIndexedFieldLine(body, true, st);
        continue;
      }
      if (useTable) {
        const size = entrySize(name.length, value.length);
        let d = -1;
        if (rec !== undefined && rec.newest >= 0) {
          // Only a name with dynamic entries can have the field there.
          if (dyn === -2) {
            if (hash < 0) hash = rec.lastHash = pairHash(rec.key, value);
            d = rec.lastDyn = t.pairs.find(rec, value, hash, t.dropped);
          } else if (dyn >= t.dropped) d = dyn;
        }
        if (d >= 0) {
          if (canBlock || d < krc) {
            if (!canBlock) {
              // Reference the acknowledged entry first: the reference keeps
              // it from being evicted by a Duplicate below.
              this.reference(d, base);
            }
            if (this.isDraining(d) && (canBlock || t.bytesFrom(krc) + size <= t.capacity / 2) && this.canInsert(size)) {
              // §4.3.4 Duplicate: refresh an entry about to be evicted. A
              // section that cannot block keeps using the acknowledged copy.
              writeDuplicate(this.encoderStream, absoluteToEncoderRelative(t.insertCount, d));
              const dup = t.insert(name, value);
              if (canBlock) {
                this.reference(dup, base);
              }
            } else if (canBlock) {
              this.reference(d, base);
            }
            continue;
          }
        } else {
          this.cur = rec;
          const worth = this.worthInserting(name, value, size, canBlock, rec, hash);
          // The history may have made or dropped the record.
          rec = this.cur;
          if (worth && this.canInsert(size)) {
            const abs = this.insertEntry(name, value, rec);
            if (canBlock) {
              this.reference(abs, base);
              continue;
            }
            // The insert may have evicted the name's older entries, and is now its newest.
            rec = t.recs.get(name);
          }
        }
      }
      this.writeLiteral(name, value, base, canBlock, false, rec);
    }
  }

  /** Writes a dynamic reference (relative or post-base) and counts it for the section. */
  private reference(abs: number, base: number): void {
    if (abs < base) writeIndexedFieldLine(this.body, false, absoluteToRelative(base, abs));
    else writeIndexedFieldLinePostBase(this.body, absoluteToPostBase(base, abs));
    this.countRef(abs);
  }

  private countRef(abs: number): void {
    const t = this.table;
    t.refs[t.slot(abs)]!++;
    this.sectionRefs ??= [];
    this.sectionRefs.push(abs);
    if (abs >= this.sectionRic) this.sectionRic = abs + 1;
  }

  /**
   * Processes bytes of the peer's decoder stream, in any chunking.
   *
   * @throws QpackError QPACK_DECODER_STREAM_ERROR: Insert Count Increment of
   *   0 or past the inserts sent (§4.4.3), Section Acknowledgment for a
   *   stream with nothing outstanding (§4.4.1), an integer above 2^62 - 1
   */
  onDecoderStream(bytes: Uint8Array): void {
    if (this.failure !== undefined) throw this.failure;
    try {
      const p = this.pending;
      let buf = bytes;
      if (p.length > 0) {
        // A decoder instruction is one integer (at most 10 bytes): hold the
        // partial one and read it again only once more bytes have come.
        p.append(bytes);
        buf = p.view();
      }
      const c: Cursor = { buf, pos: 0, end: buf.length };
      while (c.pos < c.end) {
        const at = c.pos;
        const ins = decodeDecoderInstruction(c);
        if (ins === NEED_MORE) break;
        if (ins.type === "insert-count-increment") {
          const inc = ins.increment;
          if (inc === 0) {
            // RFC 9204 §4.4.3: an Increment of zero MUST be a connection error
            // of type QPACK_DECODER_STREAM_ERROR.
            throw decoderStreamError("Insert Count Increment of 0", "insert_count_increment_zero", at);
          }
          if (typeof inc === "bigint" || this.knownReceivedCount + inc > this.table.insertCount) {
            // RFC 9204 §4.4.3: beyond what the encoder has sent is an error too.
            throw decoderStreamError(
              `Insert Count Increment ${inc} exceeds the ${this.table.insertCount - this.knownReceivedCount} unacknowledged inserts`,
              "insert_count_increment_too_large",
              at,
            );
          }
          this.raiseKnownReceived(this.knownReceivedCount + inc);
        } else if (ins.type === "section-acknowledgment") {
          const key = ins.streamId;
          const s = this.outstanding.get(key);
          if (s === undefined) {
            // RFC 9204 §4.4.1: acknowledging a stream with nothing outstanding
            // MUST be a connection error of type QPACK_DECODER_STREAM_ERROR.
            throw decoderStreamError(
              `Section Acknowledgment for stream ${key} with no unacknowledged section`,
              "unexpected_section_acknowledgment",
              at,
            );
          }
          this.release(s);
          const rest = s.next;
          if (rest === undefined) this.outstanding.delete(key);
          else {
            rest.last = s.last;
            this.outstanding.set(key, rest);
          }
          this.raiseKnownReceived(s.ric);
          this.recheckBlocking(key, rest);
        } else {
          const key = ins.streamId;
          const q = this.outstanding.get(key);
          if (q !== undefined) {
            for (let s: OutstandingSection | undefined = q; s !== undefined; s = s.next) this.release(s);
            this.outstanding.delete(key);
          }
          this.blocking.delete(key);
        }
      }
      if (buf === bytes) p.append(bytes, c.pos, c.end);
      else if (c.pos < c.end) p.consume(c.pos);
      else p.clear();
    } catch (e) {
      if (e instanceof QpackError) this.failure = e;
      throw e;
    }
  }

  private release(s: OutstandingSection): void {
    const t = this.table;
    for (const abs of s.refs) t.refs[t.slot(abs)]!--;
  }

  private raiseKnownReceived(n: number): void {
    if (n <= this.knownReceivedCount) return;
    this.knownReceivedCount = n;
    for (const key of this.blocking) this.recheckBlocking(key);
  }

  /** Stops counting `key` as blocking once none of its sections (`q`, its oldest) is above the Known Received Count. */
  private recheckBlocking(key: number | bigint, q = this.outstanding.get(key)): void {
    for (let s = q; s !== undefined; s = s.next) if (s.ric > this.knownReceivedCount) return;
    this.blocking.delete(key);
  }

  /**
   * Whether `abs` sits in the oldest part of a nearly full table (in a small
   * table, {@link SMALL_TABLE}: in its oldest bytes, full or not).
   */
  private isDraining(abs: number): boolean {
    const t = this.table;
    if (t.capacity <= SMALL_TABLE) return t.bytesFrom(abs) > t.capacity * (1 - SMALL_DRAIN_FRACTION);
    const limit = t.capacity * DRAIN_FRACTION;
    return t.capacity - t.size < limit && t.bytesBefore(abs + 1) <= limit;
  }

  /**
   * Whether an entry of `size` fits after evicting only evictable entries:
   * acknowledged (absolute index below the Known Received Count) and with no
   * outstanding references (RFC 9204 §2.1.1).
   */
  private canInsert(size: number): boolean {
    const t = this.table;
    if (size > t.capacity) return false;
    let need = t.size + size - t.capacity;
    for (let abs = t.dropped; need > 0; abs++) {
      if (abs >= this.knownReceivedCount || t.refs[t.slot(abs)]! > 0) return false;
      need -= t.sizeOf(abs);
    }
    return true;
  }

  /**
   * Insertion policy (measured on the QIF corpus, see docs/qpack.md): a
   * field is inserted when it recurs within the history window (the second
   * sighting when the section may block, the third when it may not), or at
   * first sight when its name is in neither table and it is small; entries
   * above 3/4 of the capacity would flush the table and are never inserted,
   * nor, in a table of at most {@link SMALL_TABLE}, fields whose values
   * change per request ({@link PER_REQUEST_NAMES}).
   * When the section cannot block, an insert only pays off once the decoder
   * acknowledges it, so unacknowledged inserts are capped at half the
   * capacity (a peer that never acknowledges costs at most that much).
   */
  private worthInserting(name: string, value: string, size: number, canBlock: boolean, rec: NameRec | undefined, hash: number): boolean {
    const t = this.table;
    if (size > t.capacity * MAX_ENTRY_FRACTION) return false;
    if (!canBlock && t.bytesFrom(this.knownReceivedCount) + size > t.capacity / 2) return false;
    const seen = this.remember(name, value, rec, hash);
    if (t.capacity <= SMALL_TABLE && PER_REQUEST_NAMES.has(name)) return false;
    // A section that may block references the new entry at once (1 byte
    // instead of a literal): one earlier sighting makes the insert pay. One
    // that may not still sends this field as a literal, so the insert pays
    // only if the field keeps coming: two earlier sightings.
    if (seen >= (canBlock ? 1 : 2)) return true;
    return size <= t.capacity * NEW_NAME_FRACTION && rec?.st === undefined && (rec === undefined || rec.newest < 0);
  }

  /**
   * Records a sighting of a field in the history ring (one slot per distinct
   * field, oldest forgotten first); returns how many times it was seen before.
   * Leaves the name's live record in `cur`.
   */
  private remember(name: string, value: string, rec: NameRec | undefined, hash: number): number {
    const size = this.historySize;
    const next = this.seenNext;
    const oldest = next > size ? next - size : 0;
    // rec.lastValue is `value` here (encodeLines set it).
    if (rec !== undefined && rec.hist > 0) {
      let id = rec.lastSeen;
      if (id === -2) {
        if (hash < 0) hash = rec.lastHash = pairHash(rec.key, value);
        id = rec.lastSeen = this.seenIndex.find(rec, value, hash, oldest);
      }
      if (id >= oldest) return this.seenCounts[id % size]!++;
    }
    const t = this.table;
    const pos = next % size;
    if (next >= size) {
      const old = this.seenRecs[pos]!;
      old.hist--;
      t.dropIfEmpty(old);
    }
    // The slot freed above may have dropped this very record.
    let r = rec;
    if (r === undefined || !r.live) {
      r = t.recFor(name);
      r.lastValue = value;
      r.lastSt = -1;
      r.lastDyn = -1;
      hash = r.lastHash = pairHash(r.key, value);
    } else if (hash < 0) hash = r.lastHash = pairHash(r.key, value);
    r.hist++;
    r.lastSeen = next;
    this.seenIndex.add(next, r, value, hash, next + 1 > size ? next + 1 - size : 0);
    this.seenRecs[pos] = r;
    this.seenCounts[pos] = 1;
    this.seenNext = next + 1;
    this.cur = r;
    return 0;
  }

  private insertEntry(name: string, value: string, rec: NameRec | undefined): number {
    // Check before writing: a TypeError halfway through an instruction would
    // leave a partial instruction on the encoder stream.
    if (!isLatin1(name) || !isLatin1(value)) {
      throw new TypeError("Cannot encode field: a name or value has a character above U+00FF");
    }
    const t = this.table;
    if (rec?.st !== undefined) {
      writeInsertWithNameReference(this.encoderStream, true, rec.st.index, value, this.huffman);
    } else {
      if (rec !== undefined && rec.newest >= 0) {
        writeInsertWithNameReference(this.encoderStream, false, absoluteToEncoderRelative(t.insertCount, rec.newest), value, this.huffman);
      } else writeInsertWithLiteralName(this.encoderStream, name, value, this.huffman);
    }
    return t.insert(name, value);
  }

  private writeLiteral(name: string, value: string, base: number, canBlock: boolean, sensitive: boolean, rec: NameRec | undefined): void {
    const body = this.body;
    const h = this.huffman;
    if (rec?.st !== undefined) {
      writeLiteralWithNameReference(body, sensitive, true, rec.st.index, value, h);
      return;
    }
    const d = rec !== undefined && this.table.capacity > 0 ? rec.newest : -1;
    if (d >= 0 && (canBlock || d < this.knownReceivedCount)) {
      if (d < base) writeLiteralWithNameReference(body, sensitive, false, absoluteToRelative(base, d), value, h);
      else writeLiteralWithPostBaseNameReference(body, sensitive, absoluteToPostBase(base, d), value, h);
      this.countRef(d);
      return;
    }
    writeLiteralWithLiteralName(body, sensitive, name, value, h);
  }
}

const OWNER = "QpackEncoder";

/**
 * A peer's setting (RFC 9204 §5: up to 2^62 - 1) as a number. Values above
 * 2^53 - 1 become 2^53 - 1: the encoder uses at most its own small capacity,
 * and MaxEntries (§4.5.1.1) only matters modulo Required Insert Counts that
 * no connection reaches (2^48 inserts), so the clamp changes no byte sent.
 */
function settingOption(name: string, value: number | bigint | undefined): number {
  if (typeof value === "bigint") {
    if (value < 0n || value > 2n ** 62n - 1n) {
      throw new RangeError(`${OWNER}: option ${name} must be an integer in 0..2^62-1, got ${value}`);
    }
    return value > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(value);
  }
  return integerOption(OWNER, name, value, 0, 0, Number.MAX_SAFE_INTEGER);
}

function decoderStreamError(message: string, reason: string, offset: number): QpackError {
  return connectionError(QpackErrorCode.QPACK_DECODER_STREAM_ERROR, reason, `Cannot process decoder stream: ${message}`, offset);
}
