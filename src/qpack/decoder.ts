/**
 * The QPACK decoder (RFC 9204 §2.2): applies encoder-stream instructions to
 * its dynamic table, decodes field sections (or holds them while blocked),
 * and produces decoder-stream instructions.
 *
 * @module
 */
import { ByteWriter, SMALL_WRITER } from "../shared/byte-writer.js";
import { type Cursor, cursor } from "../shared/cursor.js";
import { integerOption } from "../shared/options.js";
import { PendingBytes } from "../shared/pending.js";
import { decodePrefixInt } from "../shared/prefix-int.js";
import { NEED_MORE } from "../shared/result.js";
import { slabCopy } from "../shared/slab.js";
import { writeInsertCountIncrement, writeSectionAcknowledgment, writeStreamCancellation } from "./decoder-instructions.js";
import { DynamicTable, entrySize, maxEntries } from "./dynamic-table.js";
import { decodeEncoderInstruction, type EncoderInstruction, encoderInstructionLength } from "./encoder-instructions.js";
import { QpackErrorCode } from "./error-codes.js";
import { connectionError, QpackError } from "./errors.js";
import { decodeFieldLines, type QpackField } from "./field-section.js";
import { decodeBase, decodeRequiredInsertCount, encoderRelativeToAbsolute } from "./indexing.js";
import { STATIC_TABLE, STATIC_TABLE_LENGTH } from "./static-table.js";
import { streamKey } from "./stream-key.js";

/** Options of {@link QpackDecoder}; each is what the decoder advertises or enforces. */
export interface QpackDecoderOptions {
  /** SETTINGS_QPACK_MAX_TABLE_CAPACITY this decoder sent. Default 0 (RFC 9204 §5). */
  readonly maxTableCapacity?: number;
  /** SETTINGS_QPACK_BLOCKED_STREAMS this decoder sent. Default 0 (RFC 9204 §5). */
  readonly maxBlockedStreams?: number;
  /**
   * Largest decoded field section (sum of name + value + 32 per line, as
   * SETTINGS_MAX_FIELD_SECTION_SIZE counts it). Default 1 MiB, the limit of
   * Go's net/http and quic-go's HTTP/3 (`http.DefaultMaxHeaderBytes`).
   */
  readonly maxFieldSectionSize?: number;
  /**
   * Dynamic table capacity before any Set Dynamic Table Capacity
   * instruction. RFC 9204 §3.2.3: 0 (the default). The draft-era offline
   * interop files (QIF corpus) assume it starts at `maxTableCapacity`.
   */
  readonly initialTableCapacity?: number;
  /**
   * Most field sections held blocked on one stream. `maxBlockedStreams`
   * bounds the streams (RFC 9204 §2.1.2), this bounds what each holds: a
   * request stream carries a header section and a trailer section (RFC 9114
   * §4.1), a response a few more with interim 1xx responses. Default 4.
   */
  readonly maxBlockedSectionsPerStream?: number;
}

/** Default {@link QpackDecoderOptions.maxBlockedSectionsPerStream}. */
export const DEFAULT_MAX_BLOCKED_SECTIONS_PER_STREAM = 4;

/**
 * Default {@link QpackDecoderOptions.maxFieldSectionSize}: 1 MiB, the
 * default of Go's net/http and of quic-go's HTTP/3 server and client
 * (`http.DefaultMaxHeaderBytes`, 1 << 20).
 */
export const DEFAULT_MAX_FIELD_SECTION_SIZE = 1024 * 1024;

/** Result of {@link QpackDecoder.decodeFieldSection}, discriminated by `status`. */
export type FieldSectionResult =
  | {
      /** The section was decoded. */
      readonly status: "decoded";
      /**
       * Its fields, in order. Treat the field objects as read-only: a field
       * indexed from the static table is one frozen object shared by every
       * decoder (so it allocates nothing), and assigning to it throws.
       */
      readonly fields: QpackField[];
    }
  | {
      /** The section waits for inserts; it comes back from `onEncoderStream` as an {@link UnblockedSection}. */
      readonly status: "blocked";
      /** The Required Insert Count it waits for. */
      readonly requiredInsertCount: number;
    };

/**
 * A field section that was blocked and has now been processed, discriminated
 * by `status`: decoded (`fields`), or failed with a stream error (`error`,
 * `field_section_too_large`), which does not stop the other sections the
 * same inserts unblock. After a failure the caller should abandon the stream
 * ({@link QpackDecoder.cancelStream}).
 */
export type UnblockedSection =
  | {
      /** The section was decoded. */
      readonly status: "decoded";
      /** The stream the section was blocked on. */
      readonly streamId: number | bigint;
      /**
       * Its fields, in order. Treat the field objects as read-only: a field
       * indexed from the static table is one frozen object shared by every
       * decoder (so it allocates nothing), and assigning to it throws.
       */
      readonly fields: QpackField[];
    }
  | {
      /** The section failed with a stream error. */
      readonly status: "failed";
      /** The stream the section was blocked on. */
      readonly streamId: number | bigint;
      /** The stream error. */
      readonly error: QpackError;
    };

interface BlockedSection {
  readonly bytes: Uint8Array;
  readonly ric: number;
  readonly base: number;
  /** Offset of the first field line in `bytes`. */
  readonly start: number;
}

/**
 * A QPACK decoder for one connection.
 *
 * Feed it the peer's encoder stream with {@link onEncoderStream}, each
 * complete encoded field section (the payload of a HEADERS frame) with
 * {@link decodeFieldSection}, and send what {@link drainDecoderStream}
 * returns on the decoder stream. After a connection error every method
 * throws that error again.
 *
 * Decoded names and values are Latin-1 strings copied out of the input, so
 * the input may be reused once a call returns.
 *
 * @example
 * ```ts
 * import { QpackDecoder, QpackEncoder } from "httpwire/qpack";
 * // The peer's encoder: a field section and the encoder stream bytes it depends on.
 * const peer = new QpackEncoder({ maxTableCapacity: 4096, maxBlockedStreams: 16 });
 * const headersPayload = peer.encodeFieldSection(0, [{ name: "x-request-id", value: "42" }]);
 * const encoderStreamChunk = peer.drainEncoderStream();
 *
 * const dec = new QpackDecoder({ maxTableCapacity: 4096, maxBlockedStreams: 16 });
 * dec.onEncoderStream(encoderStreamChunk);
 * const r = dec.decodeFieldSection(0, headersPayload);
 * r.status === "decoded" ? r.fields : undefined; // => [{ name: "x-request-id", value: "42" }]
 * peer.onDecoderStream(dec.drainDecoderStream()); // what goes on the decoder stream
 * ```
 */
export class QpackDecoder {
  /** SETTINGS_QPACK_MAX_TABLE_CAPACITY. */
  readonly maxTableCapacity: number;
  /** SETTINGS_QPACK_BLOCKED_STREAMS. */
  readonly maxBlockedStreams: number;
  /** Largest decoded field section accepted. */
  readonly maxFieldSectionSize: number;
  /** Most sections held blocked on one stream. */
  readonly maxBlockedSectionsPerStream: number;

  private readonly table: DynamicTable;
  private readonly maxEntries: number;
  /** Inserts the encoder knows we have (RFC 9204 §2.1.4). */
  private knownReceivedCount = 0;
  private readonly out = new ByteWriter(SMALL_WRITER);
  /**
   * Unparsed tail of the encoder stream: a partial instruction, with the
   * bytes it needs (`needed`, from its length prefixes) before it is looked
   * at again, so an instruction that arrives a byte at a time costs linear
   * work whatever its strings and the table capacity.
   */
  private readonly pending = new PendingBytes();
  private readonly blocked = new Map<number | bigint, BlockedSection[]>();
  /** The lowest Required Insert Count at the head of a blocked queue (Infinity: none). */
  private nextUnblock = Number.POSITIVE_INFINITY;
  private failure: QpackError | undefined;

  constructor(options: QpackDecoderOptions = {}) {
    const max = Number.MAX_SAFE_INTEGER;
    // RFC 9204 §5: both settings go up to 2^62 - 1; numbers above 2^53 - 1
    // are not exact, and no table or stream count gets near it. Nothing is
    // allocated from these values: the table grows as entries arrive.
    this.maxTableCapacity = integerOption(OWNER, "maxTableCapacity", options.maxTableCapacity, 0, 0, max);
    this.maxBlockedStreams = integerOption(OWNER, "maxBlockedStreams", options.maxBlockedStreams, 0, 0, max);
    this.maxFieldSectionSize = integerOption(
      OWNER,
      "maxFieldSectionSize",
      options.maxFieldSectionSize,
      DEFAULT_MAX_FIELD_SECTION_SIZE,
      0,
      max,
    );
    this.maxBlockedSectionsPerStream = integerOption(
      OWNER,
      "maxBlockedSectionsPerStream",
      options.maxBlockedSectionsPerStream,
      DEFAULT_MAX_BLOCKED_SECTIONS_PER_STREAM,
      0,
      max,
    );
    this.table = new DynamicTable(this.maxTableCapacity);
    this.table.capacity = integerOption(OWNER, "initialTableCapacity", options.initialTableCapacity, 0, 0, this.maxTableCapacity);
    this.maxEntries = maxEntries(this.maxTableCapacity);
  }

  /** The Insert Count: number of entries ever inserted. */
  get insertCount(): number {
    return this.table.insertCount;
  }

  /** Current dynamic table capacity set by the encoder. */
  get tableCapacity(): number {
    return this.table.capacity;
  }

  /** Current dynamic table size (RFC 9204 §3.2.1). */
  get tableSize(): number {
    return this.table.size;
  }

  /** Number of streams with a blocked field section. */
  get blockedStreamCount(): number {
    return this.blocked.size;
  }

  /** The live dynamic table entries, oldest first, as `[absolute index, name, value]` (for tools and tests). */
  tableEntries(): Array<[number, string, string]> {
    const t = this.table;
    const out: Array<[number, string, string]> = [];
    for (let a = t.dropped; a < t.insertCount; a++) out.push([a, t.name(a), t.value(a)]);
    return out;
  }

  /**
   * Processes bytes of the peer's encoder stream, in any chunking: complete
   * instructions are applied one by one, a partial one is kept until the
   * bytes its length prefixes announce have arrived (an entry that cannot
   * fit the capacity is refused from those prefixes, so a partial
   * instruction is bounded by about the table capacity). As soon as an
   * insert brings the Insert Count to a blocked section's Required Insert
   * Count, that section is decoded, before the next instruction can evict
   * what it references, so the outcome does not depend on the chunking.
   * Their Section Acknowledgments are queued; {@link drainDecoderStream}
   * adds the Insert Count Increment.
   *
   * @param out where the unblocked sections are appended, in the order they
   *   were unblocked (default: a new array); when this throws, `out` keeps
   *   every section unblocked before the error
   * @returns `out`
   * @throws QpackError QPACK_ENCODER_STREAM_ERROR (capacity above the
   *   maximum, an entry larger than the capacity, a reference to a missing
   *   entry, bad integers or strings); QPACK_DECOMPRESSION_FAILED from an
   *   unblocked section
   */
  onEncoderStream(bytes: Uint8Array, out: UnblockedSection[] = []): UnblockedSection[] {
    this.check();
    try {
      const p = this.pending;
      let buf = bytes;
      if (p.length > 0) {
        p.append(bytes);
        // RFC 9204 leaves this to us; STYLE §5.2: remember what the held
        // instruction needs and do not re-read it until that much is here.
        if (p.length < p.needed) return out;
        buf = p.view();
      }
      const end = buf.length;
      // Error offsets are encoder-stream offsets: buf[0] is the first byte not yet applied.
      const origin = p.base;
      let pos = 0;
      let needed = 0;
      while (pos < end) {
        needed = encoderInstructionLength(buf, pos, end, this.table.capacity, origin);
        if (needed > end - pos) break;
        const c: Cursor = { buf, pos, end: pos + needed };
        this.apply(decodeEncoderInstruction(c, this.table.capacity, origin), origin + pos);
        pos += needed;
        if (this.table.insertCount >= this.nextUnblock) this.unblock(out);
      }
      if (buf === bytes) {
        // Nothing was held: account for the bytes applied, hold the rest.
        p.base += pos;
        if (pos < end) p.append(bytes, pos, end);
      } else if (pos < end) {
        p.consume(pos);
      } else {
        p.clear();
      }
      p.needed = pos < end ? needed : 0;
      return out;
    } catch (e) {
      throw this.fail(e);
    }
  }

  /** Applies one encoder instruction (RFC 9204 §4.3) found at `at`. */
  private apply(ins: EncoderInstruction, at: number): void {
    switch (ins.type) {
      case "set-dynamic-table-capacity":
        if (ins.capacity > this.maxTableCapacity) {
          // RFC 9204 §4.3.1: MUST treat a value that exceeds this limit as a
          // connection error of type QPACK_ENCODER_STREAM_ERROR.
          throw encoderError(
            `Cannot set dynamic table capacity ${ins.capacity}: above the maximum ${this.maxTableCapacity}`,
            "capacity_exceeds_maximum",
            at,
          );
        }
        this.table.setCapacity(ins.capacity);
        break;
      case "insert-with-name-reference": {
        let name: string;
        if (ins.isStatic) {
          if (ins.nameIndex >= STATIC_TABLE_LENGTH) {
            throw encoderError(
              `Cannot insert entry: static index ${ins.nameIndex} is not below ${STATIC_TABLE_LENGTH}`,
              "invalid_static_index",
              at,
            );
          }
          name = STATIC_TABLE[ins.nameIndex]![0];
        } else {
          name = this.table.name(this.encoderRef(ins.nameIndex, at));
        }
        this.insert(name, ins.value, at);
        break;
      }
      case "insert-with-literal-name":
        this.insert(ins.name, ins.value, at);
        break;
      case "duplicate": {
        const abs = this.encoderRef(ins.index, at);
        this.insert(this.table.name(abs), this.table.value(abs), at);
        break;
      }
    }
  }

  /**
   * Decodes one complete encoded field section received on `streamId`, or
   * holds it (copied) when its Required Insert Count is above the Insert
   * Count (RFC 9204 §2.2.1); {@link onEncoderStream} then returns it once
   * decoded. A section that references the dynamic table queues a Section
   * Acknowledgment.
   *
   * @throws QpackError QPACK_DECOMPRESSION_FAILED: truncated section, bad
   *   Required Insert Count (§4.5.1.1) or Base (§4.5.1.2), bad references
   *   (§2.2.3), more blocked streams than allowed (§2.1.2); stream-scoped
   *   `field_section_too_large` past `maxFieldSectionSize`
   * @throws RangeError for a stream ID outside 0..2^62-1
   */
  decodeFieldSection(streamId: number | bigint, bytes: Uint8Array): FieldSectionResult {
    this.check();
    const key = streamKey(streamId);
    try {
      const c = cursor(bytes);
      const enc = decodePrefixInt(c, 8, Number.MAX_SAFE_INTEGER);
      if (enc < 0) throw prefixError(enc, c.pos);
      // RFC 9204 §4.5.1.1: a value that a conformant encoder could not have
      // produced MUST be treated as a connection error of type
      // QPACK_DECOMPRESSION_FAILED (thrown by the helper).
      const ric = decodeRequiredInsertCount(enc, this.maxEntries, this.table.insertCount);
      if (c.pos >= c.end) throw decompressionError("Cannot decode field section: missing Base", "truncated_field_section", c.pos);
      const sign = (c.buf[c.pos]! & 0x80) !== 0;
      const delta = decodePrefixInt(c, 7, Number.MAX_SAFE_INTEGER);
      if (delta < 0) throw prefixError(delta, c.pos);
      // RFC 9204 §4.5.1.2: a Sign bit of 1 is invalid when Required Insert
      // Count <= Delta Base (the Base would be negative).
      const base = decodeBase(ric, sign, delta);
      // Most connections have no blocked stream: no Map probe then.
      const queue = this.blocked.size === 0 ? undefined : this.blocked.get(key);
      if (ric > this.table.insertCount || queue !== undefined) {
        if (queue !== undefined) {
          // Without this bound a peer that withholds inserts could make us
          // hold copies of sections on one stream without end.
          if (queue.length >= this.maxBlockedSectionsPerStream) {
            throw decompressionError(
              `Cannot hold another blocked field section on stream ${key}: ${queue.length} are held, the limit is ${this.maxBlockedSectionsPerStream}`,
              "too_many_blocked_sections",
              0,
            );
          }
          queue.push({ bytes: bytes.slice(), ric, base, start: c.pos });
        } else {
          if (this.blocked.size >= this.maxBlockedStreams) {
            // RFC 9204 §2.1.2: more blocked streams than promised MUST be a
            // connection error of type QPACK_DECOMPRESSION_FAILED.
            throw decompressionError(
              `Cannot block stream ${key}: ${this.blocked.size} streams are blocked, the limit is ${this.maxBlockedStreams}`,
              "too_many_blocked_streams",
              0,
            );
          }
          this.blocked.set(key, [{ bytes: bytes.slice(), ric, base, start: c.pos }]);
          if (ric < this.nextUnblock) this.nextUnblock = ric;
        }
        return { status: "blocked", requiredInsertCount: ric };
      }
      return { status: "decoded", fields: this.decodeLines(key, c, ric, base) };
    } catch (e) {
      throw this.fail(e);
    }
  }

  /**
   * Abandons a stream (reset, or reading stopped): drops its blocked
   * sections and queues a Stream Cancellation (RFC 9204 §4.4.2), unless the
   * maximum table capacity is 0 (the instruction MAY then be omitted).
   */
  cancelStream(streamId: number | bigint): void {
    this.check();
    const key = streamKey(streamId);
    this.blocked.delete(key);
    if (this.maxTableCapacity > 0) writeStreamCancellation(this.out, key);
  }

  /**
   * Returns the decoder-stream bytes queued so far and forgets them. Insert
   * Count Increment is decided here, not per instruction (RFC 9204 §2.2.2.3
   * lets the decoder delay it): inserts already covered by a Section
   * Acknowledgment need no increment, and several inserts share one.
   *
   * Up to 4 KiB, the bytes are a view into a shared, never-reused slab (as
   * the encoders' outputs): copy them before transferring their `.buffer`.
   * With nothing queued (the common case when it is drained after every
   * section) it returns one shared empty array and allocates nothing.
   */
  drainDecoderStream(): Uint8Array {
    if (this.failure === undefined && this.table.insertCount > this.knownReceivedCount) {
      writeInsertCountIncrement(this.out, this.table.insertCount - this.knownReceivedCount);
      this.knownReceivedCount = this.table.insertCount;
    }
    const w = this.out;
    if (w.pos === 0) return EMPTY;
    const b = slabCopy(w.buf, w.pos);
    w.reset();
    return b;
  }

  /** Whether part of an encoder instruction is buffered. */
  get hasPendingInstruction(): boolean {
    return this.pending.length > 0;
  }

  /** Slots the dynamic table has allocated (grows with the entries, never from a setting; for tests). */
  get tableSlotCount(): number {
    return this.table.slotCount;
  }

  private decodeLines(key: number | bigint, c: Cursor, ric: number, base: number): QpackField[] {
    const fields: QpackField[] = [];
    decodeFieldLines(c, this.table, ric, base, this.maxFieldSectionSize, key, fields);
    if (ric > 0) {
      // RFC 9204 §4.4.1: after processing a section whose Required Insert
      // Count is not zero, the decoder emits a Section Acknowledgment.
      writeSectionAcknowledgment(this.out, key);
      if (ric > this.knownReceivedCount) this.knownReceivedCount = ric;
    }
    return fields;
  }

  /**
   * Decodes every blocked section whose Required Insert Count the Insert
   * Count has reached (per stream in order), appending them to `out`.
   */
  private unblock(out: UnblockedSection[]): void {
    const insertCount = this.table.insertCount;
    let next = Number.POSITIVE_INFINITY;
    for (const [key, queue] of this.blocked) {
      while (queue.length > 0 && queue[0]!.ric <= insertCount) {
        const s = queue.shift()!;
        const c = cursor(s.bytes, s.start);
        try {
          out.push({ status: "decoded", streamId: key, fields: this.decodeLines(key, c, s.ric, s.base) });
        } catch (e) {
          if (!(e instanceof QpackError) || e.scope === "connection") throw e;
          out.push({ status: "failed", streamId: key, error: e });
        }
      }
      if (queue.length === 0) this.blocked.delete(key);
      else if (queue[0]!.ric < next) next = queue[0]!.ric;
    }
    this.nextUnblock = next;
  }

  private encoderRef(relative: number, at: number): number {
    const abs = encoderRelativeToAbsolute(this.table.insertCount, relative);
    if (abs < this.table.dropped || abs < 0) {
      // RFC 9204 §2.2.3: a reference in an encoder instruction to an evicted
      // entry MUST be treated as a QPACK_ENCODER_STREAM_ERROR.
      throw encoderError(`Cannot resolve encoder-stream relative index ${relative}: no such entry`, "reference_to_missing_entry", at);
    }
    return abs;
  }

  private insert(name: string, value: string, at: number): void {
    const size = entrySize(name.length, value.length);
    if (size > this.table.capacity) {
      // RFC 9204 §3.2.2: adding an entry larger than the capacity MUST be a
      // connection error of type QPACK_ENCODER_STREAM_ERROR.
      throw encoderError(
        `Cannot insert entry of size ${size}: the dynamic table capacity is ${this.table.capacity}`,
        "entry_exceeds_capacity",
        at,
      );
    }
    this.table.insert(name, value);
  }

  private check(): void {
    if (this.failure !== undefined) throw this.failure;
  }

  private fail(e: unknown): unknown {
    if (e instanceof QpackError && e.scope === "connection") this.failure = e;
    return e;
  }
}

/** What {@link QpackDecoder.drainDecoderStream} returns when nothing is queued (length 0: nothing can be written to it). */
const EMPTY = new Uint8Array(0);

const OWNER = "QpackDecoder";

function encoderError(message: string, reason: string, offset: number): QpackError {
  return connectionError(QpackErrorCode.QPACK_ENCODER_STREAM_ERROR, reason, message, offset);
}

function decompressionError(message: string, reason: string, offset: number): QpackError {
  return connectionError(QpackErrorCode.QPACK_DECOMPRESSION_FAILED, reason, message, offset);
}

function prefixError(code: number, offset: number): QpackError {
  return code === NEED_MORE
    ? decompressionError("Cannot decode field section: prefix is truncated", "truncated_field_section", offset)
    : decompressionError("Cannot decode field section: prefix integer is too large", "integer_overflow", offset);
}
