/**
 * The QPACK offline interop procedure (quicwg "QPACK Offline Interop") on top
 * of {@link QpackEncoder} and {@link QpackDecoder}: encode QIF sections into
 * `.out` records, decode records back into sections.
 *
 * @module
 */
import { QpackDecoder } from "./decoder.js";
import { QpackEncoder } from "./encoder.js";
import type { QpackField } from "./field-section.js";
import type { InteropRecord, QifSection } from "./interop-format.js";

/** An interop configuration: the decoder's settings and the acknowledgement mode. */
export interface InteropConfig {
  /** SETTINGS_QPACK_MAX_TABLE_CAPACITY of the decoder. */
  readonly capacity: number;
  /** SETTINGS_QPACK_BLOCKED_STREAMS of the decoder. */
  readonly blocked: number;
  /**
   * Encoding only. `true`: every section is acknowledged at once (the
   * encoder gets a decoder's feedback right after each section, as from a
   * peer with no loss or delay). `false`: the encoder gets no feedback at all.
   */
  readonly ack?: boolean;
  /** Huffman choice of the encoder; default `"auto"`. */
  readonly huffman?: boolean | "auto";
}

/**
 * Encodes QIF sections in order. Each section's encoder-stream
 * instructions go in a stream-0 record just before its own record.
 *
 * With `ack`, a {@link QpackDecoder} plays the peer: it reads each record as
 * written and its decoder-stream output is fed back to the encoder before
 * the next section.
 *
 * @example
 * ```ts
 * import { encodeInterop, parseQifBytes, writeInteropRecords } from "httpwire/qpack";
 * const qifBytes = new TextEncoder().encode(":method\tGET\n:path\t/\n\n:method\tGET\n:path\t/index.html\n");
 * const records = encodeInterop(parseQifBytes(qifBytes), { capacity: 4096, blocked: 100, ack: true });
 * records.map((r) => r.streamId); // => [0, 1, 2]
 * const outFile = writeInteropRecords(records); // the bytes of a .out file
 * outFile.length; // => 56
 * ```
 */
export function encodeInterop(sections: readonly QifSection[], config: InteropConfig): InteropRecord[] {
  const enc = new QpackEncoder({
    maxTableCapacity: config.capacity,
    maxBlockedStreams: config.blocked,
    // The interop procedure uses the whole capacity it names.
    tableCapacity: config.capacity,
    huffman: config.huffman ?? "auto",
  });
  const peer = config.ack === true ? new QpackDecoder({ maxTableCapacity: config.capacity, maxBlockedStreams: config.blocked }) : undefined;
  const records: InteropRecord[] = [];
  for (const s of sections) {
    const section = enc.encodeFieldSection(s.streamId, s.fields);
    const instructions = enc.drainEncoderStream();
    if (instructions.length > 0) records.push({ streamId: 0, data: instructions });
    records.push({ streamId: s.streamId, data: section });
    if (peer !== undefined) {
      if (instructions.length > 0) peer.onEncoderStream(instructions);
      peer.decodeFieldSection(s.streamId, section);
      enc.onDecoderStream(peer.drainDecoderStream());
    }
  }
  return records;
}

/**
 * Decodes `.out` records in file order. Encoder-stream records are applied
 * as they come; a section whose Required Insert Count is not yet reached is
 * held (a blocked stream) and completes when enough inserts arrive.
 *
 * The draft-era interop files assume the table starts at the maximum
 * capacity, so the decoder starts there (`initialTableCapacity`).
 *
 * @returns sections in the order they finished decoding, and the number of
 *   streams still blocked at the end (0 for a valid file)
 * @example
 * ```ts
 * import { decodeInterop, encodeInterop, formatQif, parseInteropRecords, parseQif, writeInteropRecords } from "httpwire/qpack";
 * // The bytes of a .out file (here made by encodeInterop).
 * const config = { capacity: 4096, blocked: 100 };
 * const outBytes = writeInteropRecords(encodeInterop(parseQif(":method\tGET\n:path\t/\n"), config));
 * const { sections, blocked } = decodeInterop(parseInteropRecords(outBytes), config);
 * blocked; // => 0
 * formatQif(sections); // => "# stream 1\n:method\tGET\n:path\t/\n\n"
 * ```
 * @throws QpackError for invalid input (including a stream error in a
 *   section that was blocked)
 */
export function decodeInterop(records: readonly InteropRecord[], config: InteropConfig): { sections: QifSection[]; blocked: number } {
  const dec = new QpackDecoder({
    maxTableCapacity: config.capacity,
    maxBlockedStreams: config.blocked,
    initialTableCapacity: config.capacity,
  });
  const sections: QifSection[] = [];
  const push = (streamId: number | bigint, fields: QpackField[]) => sections.push({ streamId: Number(streamId), fields });
  for (const r of records) {
    if (r.streamId === 0) {
      for (const u of dec.onEncoderStream(r.data)) {
        if (u.status === "failed") throw u.error;
        push(u.streamId, u.fields);
      }
    } else {
      const res = dec.decodeFieldSection(r.streamId, r.data);
      if (res.status === "decoded") push(r.streamId, res.fields);
    }
  }
  return { sections, blocked: dec.blockedStreamCount };
}
