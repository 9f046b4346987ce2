/**
 * The QPACK decoder (RFC 9204 §2.2): applies encoder-stream instructions to
 * its dynamic table, decodes field sections (or holds them while blocked),
 * and produces decoder-stream instructions.
 *
 * @module
 */
import { ByteWriter } from "../shared/byte-writer.js";
import { cursor, type Cursor } from "../shared/cursor.js";
import { decodePrefixInt } from "../shared/prefix-int.js";
import { NEED_MORE } from "../shared/result.js";
import { writeInsertCountIncrement, writeSectionAcknowledgment, writeStreamCancellation } from "./decoder-instructions.js";
import { DynamicTable, entrySize, maxEntries } from "./dynamic-table.js";
import { encoderInstructionLength, readEncoderInstruction } from "./encoder-instructions.js";
import { QpackErrorCode } from "./error-codes.js";
import { QpackError } from "./errors.js";
import { streamKey } from "./stream-key.js";
import { decodeFieldLines, type QpackField } from "./field-section.js";
import {
  RIC_EXCEEDS_FULL_RANGE,
  RIC_INVALID_WRAP,
  decodeRequiredInsertCount,
  encoderRelativeToAbsolute,
} from "./indexing.js";
import { STATIC_TABLE, STATIC_TABLE_LENGTH } from "./static-table.js";

/** Options of {@link QpackDecoder}; each is what the decoder advertises or enforces. */
export interface QpackDecoderOptions {
  /** SETTINGS_QPACK_MAX_TABLE_CAPACITY this decoder sent. Default 0 (RFC 9204 §5). */
  readonly maxTableCapacity?: number;
  /** SETTINGS_QPACK_BLOCKED_STREAMS this decoder sent. Default 0 (RFC 9204 §5). */
  readonly maxBlockedStreams?: number;
  /**
   * Largest decoded field section (sum of name + value + 32 per line, as
   * SETTINGS_MAX_FIELD_SECTION_SIZE counts it). Default 16 MiB.
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

/** Default {@link QpackDecoderOptions.maxFieldSectionSize}: 16 MiB. */
export const DEFAULT_MAX_FIELD_SECTION_SIZE = 16 * 1024 * 1024;

/** Result of {@link QpackDecoder.decodeFieldSection}. */
export type FieldSectionResult =
  | { readonly status: "decoded"; readonly fields: QpackField[] }
  | { readonly status: "blocked"; readonly requiredInsertCount: number };

/**
 * A section that was blocked and has now been processed: decoded, or failed
 * with a stream error (`field_section_too_large`; then `fields` is empty and
 * `error` says why), which does not stop the other sections the same
 * inserts unblocked. After a failure the caller should abandon the stream
 * ({@link QpackDecoder.cancelStream}).
 */
export interface UnblockedSection {
  readonly streamId: number | bigint;
  readonly status: "decoded" | "failed";
  readonly fields: QpackField[];
  readonly error?: QpackError;
}

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
 * import { QpackDecoder } from "httpwire/qpack";
 * const dec = new QpackDecoder({ maxTableCapacity: 4096, maxBlockedStreams: 16 });
 * dec.onEncoderStream(encoderStreamChunk);
 * const r = dec.decodeFieldSection(0, headersPayload);
 * if (r.status === "decoded") console.log(r.fields);
 * sendOnDecoderStream(dec.drainDecoderStream());
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
  private readonly out = new ByteWriter(64);
  /**
   * Unparsed tail of the encoder stream: a partial instruction, copied into
   * a buffer that grows by doubling, so an instruction that arrives a byte
   * at a time costs linear, not quadratic, work.
   */
  private pending = new Uint8Array(0);
  private pendingLength = 0;
  /** Bytes the held instruction needs in all, once its integers tell (else 0). */
  private pendingNeeded = 0;
  private readonly blocked = new Map<number | bigint, BlockedSection[]>();
  private failure: QpackError | undefined;

  constructor(options: QpackDecoderOptions = {}) {
    this.maxTableCapacity = checkOption(options.maxTableCapacity, 0, "maxTableCapacity", 2 ** 32 - 1);
    this.maxBlockedStreams = checkOption(options.maxBlockedStreams, 0, "maxBlockedStreams", 2 ** 32 - 1);
    this.maxFieldSectionSize = checkOption(
      options.maxFieldSectionSize,
      DEFAULT_MAX_FIELD_SECTION_SIZE,
      "maxFieldSectionSize",
      Number.MAX_SAFE_INTEGER,
    );
    this.maxBlockedSectionsPerStream = checkOption(
      options.maxBlockedSectionsPerStream,
      DEFAULT_MAX_BLOCKED_SECTIONS_PER_STREAM,
      "maxBlockedSectionsPerStream",
      2 ** 32 - 1,
    );
    this.table = new DynamicTable(this.maxTableCapacity);
    this.table.capacity = checkOption(options.initialTableCapacity, 0, "initialTableCapacity", this.maxTableCapacity);
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
   * instructions are applied, a partial one is kept until the rest arrives
   * (a partial instruction is bounded by the table capacity). Then decodes
   * every blocked section the new inserts unblock and queues their Section
   * Acknowledgments; {@link drainDecoderStream} adds the Insert Count
   * Increment.
   *
   * @returns the sections unblocked by these bytes, in arrival order (see
   *   {@link UnblockedSection} for the ones that failed with a stream error)
   * @throws QpackError QPACK_ENCODER_STREAM_ERROR (capacity above the
   *   maximum, an entry larger than the capacity, a reference to a missing
   *   entry, bad integers or strings); QPACK_DECOMPRESSION_FAILED from an
   *   unblocked section
   */
  onEncoderStream(bytes: Uint8Array): UnblockedSection[] {
    this.check();
    try {
      let c: Cursor;
      if (this.pendingLength === 0) {
        c = cursor(bytes);
      } else {
        this.appendPending(bytes);
        // RFC 9204 leaves this to us; STYLE §5.2: remember what the held
        // instruction needs and do not re-read it until that much is here.
        if (this.pendingLength < this.pendingNeeded) return [];
        c = cursor(this.pending, 0, this.pendingLength);
      }
      const before = this.table.insertCount;
      while (c.pos < c.end) {
        const at = c.pos;
        const ins = readEncoderInstruction(c, this.table.capacity);
        if (ins === null) break;
        switch (ins.type) {
          case "set_dynamic_table_capacity":
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
          case "insert_with_name_reference": {
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
          case "insert_with_literal_name":
            this.insert(ins.name, ins.value, at);
            break;
          case "duplicate": {
            const abs = this.encoderRef(ins.index, at);
            this.insert(this.table.name(abs), this.table.value(abs), at);
            break;
          }
        }
      }
      this.holdTail(c);
      return this.table.insertCount > before ? this.unblock() : [];
    } catch (e) {
      throw this.fail(e);
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
      const ric = decodeRequiredInsertCount(enc, this.maxEntries, this.table.insertCount);
      if (ric < 0) {
        const reason =
          ric === RIC_EXCEEDS_FULL_RANGE ? "ric_exceeds_full_range" : ric === RIC_INVALID_WRAP ? "ric_invalid_wrap" : "ric_zero_encoded_nonzero";
        // RFC 9204 §4.5.1.1: a value that a conformant encoder could not have
        // produced MUST be treated as a connection error of type
        // QPACK_DECOMPRESSION_FAILED.
        throw decompressionError(`Cannot decode field section: invalid encoded Required Insert Count ${enc}`, reason, 0);
      }
      if (c.pos >= c.end) throw decompressionError("Cannot decode field section: missing Base", "truncated_field_section", c.pos);
      const sign = c.buf[c.pos]! & 0x80;
      const delta = decodePrefixInt(c, 7, Number.MAX_SAFE_INTEGER);
      if (delta < 0) throw prefixError(delta, c.pos);
      let base: number;
      if (sign === 0) {
        base = ric + delta;
      } else {
        // RFC 9204 §4.5.1.2: a Sign bit of 1 is invalid when Required Insert
        // Count <= Delta Base (the Base would be negative).
        if (ric <= delta) {
          throw decompressionError(
            `Cannot decode field section: Base would be negative (Required Insert Count ${ric}, Delta Base ${delta})`,
            "negative_base",
            1,
          );
        }
        base = ric - delta - 1;
      }
      const queue = this.blocked.get(key);
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
   */
  drainDecoderStream(): Uint8Array {
    if (this.failure === undefined && this.table.insertCount > this.knownReceivedCount) {
      writeInsertCountIncrement(this.out, this.table.insertCount - this.knownReceivedCount);
      this.knownReceivedCount = this.table.insertCount;
    }
    const b = this.out.finish();
    this.out.reset();
    return b;
  }

  /** Whether part of an encoder instruction is buffered. */
  get hasPendingInstruction(): boolean {
    return this.pendingLength > 0;
  }

  private appendPending(bytes: Uint8Array): void {
    const need = this.pendingLength + bytes.length;
    if (need > this.pending.length) {
      const grown = new Uint8Array(Math.max(need, this.pending.length * 2, 64));
      grown.set(this.pending.subarray(0, this.pendingLength));
      this.pending = grown;
    }
    this.pending.set(bytes, this.pendingLength);
    this.pendingLength = need;
  }

  /** Keeps the unparsed tail `c.buf[c.pos, c.end)` and what it needs. */
  private holdTail(c: Cursor): void {
    const rest = c.end - c.pos;
    if (rest === 0) {
      this.pendingLength = 0;
      this.pendingNeeded = 0;
      return;
    }
    if (c.buf === this.pending) {
      this.pending.copyWithin(0, c.pos, c.end);
    } else {
      if (rest > this.pending.length) this.pending = new Uint8Array(Math.max(rest, 64));
      this.pending.set(c.buf.subarray(c.pos, c.end));
    }
    this.pendingLength = rest;
    this.pendingNeeded = Math.max(0, encoderInstructionLength(this.pending, 0, rest, this.table.capacity));
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

  private unblock(): UnblockedSection[] {
    const done: UnblockedSection[] = [];
    const insertCount = this.table.insertCount;
    for (const [key, queue] of this.blocked) {
      while (queue.length > 0 && queue[0]!.ric <= insertCount) {
        const s = queue.shift()!;
        const c = cursor(s.bytes, s.start);
        try {
          done.push({ streamId: key, status: "decoded", fields: this.decodeLines(key, c, s.ric, s.base) });
        } catch (e) {
          if (!(e instanceof QpackError) || e.scope === "connection") throw e;
          done.push({ streamId: key, status: "failed", fields: [], error: e });
        }
      }
      if (queue.length === 0) this.blocked.delete(key);
    }
    return done;
  }

  private encoderRef(relative: number, at: number): number {
    const abs = encoderRelativeToAbsolute(this.table.insertCount, relative);
    if (abs < this.table.dropped || abs < 0) {
      // RFC 9204 §2.2.3: a reference in an encoder instruction to an evicted
      // entry MUST be treated as a QPACK_ENCODER_STREAM_ERROR.
      throw encoderError(
        `Cannot resolve encoder-stream relative index ${relative}: no such entry`,
        "reference_to_missing_entry",
        at,
      );
    }
    return abs;
  }

  private insert(name: string, value: string, at: number): void {
    const size = entrySize(name, value);
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

function encoderError(message: string, reason: string, offset: number): QpackError {
  return new QpackError(message, QpackErrorCode.QPACK_ENCODER_STREAM_ERROR, { reason, offset });
}

function decompressionError(message: string, reason: string, offset: number): QpackError {
  return new QpackError(message, QpackErrorCode.QPACK_DECOMPRESSION_FAILED, { reason, offset });
}

function prefixError(code: number, offset: number): QpackError {
  return code === NEED_MORE
    ? decompressionError("Cannot decode field section: prefix is truncated", "truncated_field_section", offset)
    : decompressionError("Cannot decode field section: prefix integer is too large", "integer_overflow", offset);
}

function checkOption(v: number | undefined, dflt: number, name: string, max: number): number {
  if (v === undefined) return dflt;
  if (!Number.isSafeInteger(v) || v < 0 || v > max) throw new RangeError(`Option ${name} must be an integer in 0..${max}, got ${v}`);
  return v;
}
