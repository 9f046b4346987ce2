/**
 * The QPACK offline interop formats (quicwg "QPACK Offline Interop"): QIF
 * files of field sections and the `.out` record stream. Node-free, so tests,
 * the CLI and benchmarks share them.
 *
 * @module
 */

import { latin1Decode, latin1Encode } from "../shared/latin1.js";
import type { QpackField } from "./field-section.js";

/** One `.out` record: stream 0 is the encoder stream, any other a field section. */
export interface InteropRecord {
  readonly streamId: number;
  /** A view of the input (zero-copy). */
  readonly data: Uint8Array;
}

/** One QIF field section with its stream number. */
export interface QifSection {
  readonly streamId: number;
  readonly fields: QpackField[];
}

/**
 * Parses a `.out` file: records of an 8-byte big-endian stream ID, a 4-byte
 * big-endian length, then that many bytes.
 *
 * @throws RangeError when the file ends inside a record or a stream ID
 *   exceeds 2^53 - 1 (the file is not in the format; not a QPACK error)
 */
export function parseInteropRecords(bytes: Uint8Array): InteropRecord[] {
  const out: InteropRecord[] = [];
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let p = 0;
  while (p < bytes.length) {
    if (bytes.length - p < 12) throw new RangeError(`Truncated record header at offset ${p}`);
    const hi = dv.getUint32(p);
    const lo = dv.getUint32(p + 4);
    if (hi > 0x1fffff) throw new RangeError(`Stream ID at offset ${p} exceeds 2^53 - 1`);
    const len = dv.getUint32(p + 8);
    p += 12;
    if (bytes.length - p < len) throw new RangeError(`Truncated record at offset ${p - 12}: ${len} bytes declared`);
    out.push({ streamId: hi * 2 ** 32 + lo, data: bytes.subarray(p, p + len) });
    p += len;
  }
  return out;
}

/** Serializes records in the `.out` format. */
export function writeInteropRecords(records: readonly InteropRecord[]): Uint8Array {
  let total = 0;
  for (const r of records) total += 12 + r.data.length;
  const out = new Uint8Array(total);
  const dv = new DataView(out.buffer);
  let p = 0;
  for (const r of records) {
    dv.setUint32(p, Math.floor(r.streamId / 2 ** 32));
    dv.setUint32(p + 4, r.streamId >>> 0);
    dv.setUint32(p + 8, r.data.length);
    out.set(r.data, p + 12);
    p += 12 + r.data.length;
  }
  return out;
}

/**
 * Parses a QIF: `name<TAB>value` lines, a blank line between sections, `#`
 * comments. Section N (from 1) is stream N, unless a `# stream N` comment
 * before it names the stream (as the decoders' output does). The text is
 * taken as Latin-1 (use {@link parseQifBytes} for raw files).
 */
export function parseQif(text: string): QifSection[] {
  const sections: QifSection[] = [];
  let fields: QpackField[] = [];
  let named: number | undefined;
  let next = 1;
  const flush = () => {
    if (fields.length === 0) return;
    const streamId = named ?? next;
    sections.push({ streamId, fields });
    next = streamId + 1;
    fields = [];
    named = undefined;
  };
  for (const raw of text.split("\n")) {
    const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    if (line.startsWith("#")) {
      const m = /^#\s*stream\s+(\d+)\s*$/.exec(line);
      if (m && fields.length === 0) named = Number(m[1]);
      continue;
    }
    if (line === "") {
      flush();
      continue;
    }
    const tab = line.indexOf("\t");
    fields.push(tab < 0 ? { name: line, value: "" } : { name: line.slice(0, tab), value: line.slice(tab + 1) });
  }
  flush();
  return sections;
}

/** {@link parseQif} over the bytes of a file, mapped byte for byte. */
export function parseQifBytes(bytes: Uint8Array): QifSection[] {
  return parseQif(latin1Decode(bytes));
}

/** Formats sections as a QIF, each headed by `# stream N`. */
export function formatQif(sections: readonly QifSection[]): string {
  let s = "";
  for (const sec of sections) {
    s += `# stream ${sec.streamId}\n`;
    for (const f of sec.fields) s += `${f.name}\t${f.value}\n`;
    s += "\n";
  }
  return s;
}

/** {@link formatQif} as bytes (Latin-1). */
export function formatQifBytes(sections: readonly QifSection[]): Uint8Array {
  return latin1Encode(formatQif(sections));
}
