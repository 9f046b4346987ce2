/**
 * QPACK (RFC 9204) on the QIF corpus with the dynamic table (capacity 4096,
 * 100 blocked streams): decode of real encoders' output (nghttp3, ls-qpack),
 * httpwire's own encode with acknowledgements fed back, and, for the "within
 * 2x of HPACK" target, httpwire HPACK decoding the very same field sections.
 *
 * Decode replays a `.out` file as a peer receives it: encoder-stream records
 * go to `onEncoderStream` (which also returns sections it unblocks), field
 * sections to `decodeFieldSection`, and the decoder-stream bytes are drained
 * after each record, as a connection would send them.
 *
 * Encode runs section by section on streams 1, 2, 3, ...; in a check pass our
 * decoder consumes each section and its encoder-stream bytes and the
 * decoder-stream bytes it produces (Section Acknowledgment, Insert Count
 * Increment) go back to the encoder before the next section, as a peer on a
 * fast link would. The timed op replays that same feedback (the encoder is
 * deterministic, so the acknowledgements stay valid) and measures the encoder
 * alone. Bytes counted: field sections plus encoder stream, as nghttp3's
 * 116,332 was counted.
 *
 * The C anchor, nghttp3's own QPACK (bench/c/qpack-nghttp3.c), is measured by
 * the same method in the same groups: its encode runs the same reference
 * pass (nghttp3's encoder against nghttp3's decoder) and replays the recorded
 * decoder stream; its decode reads the very same recorded inputs as
 * httpwire's. Its rounds (a child process per round, its own CPU clock)
 * interleave with httpwire's. Encoded bytes are compared with nghttp3's at
 * several table capacities.
 */
import { anchorRound, buildAnchor, dumpPath, readRecordingsFile, runAnchor, writeCorpusFile, writeRecordingsFile } from "../c/anchors.js";

import { type Field, loadQifs, type Qif, type QifRecord, readQifOut } from "../corpus.js";
import { type BenchOptions, type Case, fmtInt, fmtRate, measureGroup, type Result, ratio, table } from "../harness.js";
import { loadedForm, loadModule, pick } from "../httpwire.js";
import type { SuiteReport, Target } from "../report.js";
import { AnchorHelper, httpwireHpack } from "./hpack.js";

const CAPACITY = 4096;
const BLOCKED = 100;
/** Capacities at which encoded bytes are compared with nghttp3's (outside the clock). */
const BYTES_CAPACITIES = [0, 256, 512, 1024, 2048, 4096, 8192, 16384];
const C_NAME = "nghttp3 (C)";

export type Ctor<T> = new (opts?: Record<string, unknown>) => T;
export interface HwQpackDecoder {
  onEncoderStream(b: Uint8Array): { fields: unknown[] }[];
  decodeFieldSection(streamId: number, b: Uint8Array): { status: string; fields?: unknown[] };
  drainDecoderStream(): Uint8Array;
}
/** What the adapter needs from an encoder: one section in, its bytes and the encoder-stream bytes out. */
interface EncodeStep {
  section: Uint8Array;
  encoderStream: Uint8Array;
}
export interface EncoderAdapter {
  encode(streamId: number, fields: Field[]): EncodeStep;
  onDecoderStream(b: Uint8Array): void;
}

const newDecoder = (Dec: Ctor<HwQpackDecoder>, capacity = CAPACITY) =>
  new Dec({ maxTableCapacity: capacity, maxBlockedStreams: BLOCKED, initialTableCapacity: capacity });

/** Replays one `.out` file through a fresh decoder; returns the number of fields decoded. */
export function replay(Dec: Ctor<HwQpackDecoder>, records: QifRecord[]): number {
  const d = newDecoder(Dec);
  let n = 0;
  for (let i = 0; i < records.length; i++) {
    const r = records[i]!;
    if (r.streamId === 0) {
      const un = d.onEncoderStream(r.data);
      for (let k = 0; k < un.length; k++) n += un[k]!.fields.length;
    } else {
      const res = d.decodeFieldSection(r.streamId, r.data);
      if (res.fields !== undefined) n += res.fields.length;
    }
    d.drainDecoderStream();
  }
  return n;
}

/** Builds an encoder adapter from whatever httpwire's QpackEncoder offers, or explains what is missing. */
export function encoderAdapter(
  mod: Record<string, unknown> | undefined,
  missing: string[],
): ((capacity?: number) => EncoderAdapter) | undefined {
  const Enc = mod?.QpackEncoder as Ctor<Record<string, unknown>> | undefined;
  if (Enc === undefined) {
    missing.push("QpackEncoder");
    return undefined;
  }
  return (capacity = CAPACITY) => {
    const e = new Enc({ maxTableCapacity: capacity, maxBlockedStreams: BLOCKED, tableCapacity: capacity }) as unknown as {
      encodeFieldSection(streamId: number, fields: Field[]): unknown;
      drainEncoderStream?(): Uint8Array;
      onDecoderStream(b: Uint8Array): void;
    };
    return {
      encode(streamId, fields) {
        const r = e.encodeFieldSection(streamId, fields) as
          | Uint8Array
          | { fieldSection?: Uint8Array; section?: Uint8Array; encoderStream?: Uint8Array };
        if (r instanceof Uint8Array) return { section: r, encoderStream: e.drainEncoderStream!() };
        return { section: (r.fieldSection ?? r.section)!, encoderStream: r.encoderStream ?? e.drainEncoderStream!() };
      },
      onDecoderStream: (b) => e.onDecoderStream(b),
    };
  };
}

function fieldsEqual(got: unknown[], want: Field[]): boolean {
  if (got.length !== want.length) return false;
  return want.every((f, i) => {
    const g = got[i] as Field;
    return g.name === f.name && g.value === f.value;
  });
}

/**
 * httpwire's reference pass over the QIFs at `capacity`: each section encoded
 * on stream i, decoded by httpwire's decoder (checked against the QIF), and
 * the decoder-stream bytes fed back to the encoder before the next section.
 * Returns the bytes, the feedback to replay and the wire as recorded.
 */
export function referencePass(
  makeEnc: (capacity?: number) => EncoderAdapter,
  Dec: Ctor<HwQpackDecoder>,
  qifs: Qif[],
  capacity: number,
): { bytes: number; feedback: Uint8Array[][]; wire: QifRecord[][] } {
  const feedback: Uint8Array[][] = [];
  const wire: QifRecord[][] = [];
  let bytes = 0;
  for (const q of qifs) {
    const e = makeEnc(capacity);
    const d = newDecoder(Dec, capacity);
    const fb: Uint8Array[] = [];
    const recs: QifRecord[] = [];
    q.sections.forEach((s, i) => {
      const step = e.encode(i + 1, s);
      const section = step.section.slice();
      const encoderStream = step.encoderStream.slice();
      recs.push({ streamId: 0, data: encoderStream }, { streamId: i + 1, data: section });
      bytes += section.length + encoderStream.length;
      const decoded: unknown[][] = [];
      if (encoderStream.length > 0) for (const u of d.onEncoderStream(encoderStream)) decoded.push(u.fields);
      const r = d.decodeFieldSection(i + 1, section);
      if (r.fields) decoded.push(r.fields);
      if (decoded.length !== 1 || !fieldsEqual(decoded[0]!, s))
        throw new Error(`httpwire QPACK round trip failed on ${q.name} section ${i + 1} (capacity ${capacity})`);
      const ack = d.drainDecoderStream().slice();
      fb.push(ack);
      if (ack.length > 0) e.onDecoderStream(ack);
    });
    feedback.push(fb);
    wire.push(recs);
  }
  return { bytes, feedback, wire };
}

export async function qpackSuite(opts: BenchOptions): Promise<SuiteReport> {
  const { source, qifs } = loadQifs();
  const fields = qifs.reduce((a, q) => a + q.sections.reduce((x, s) => x + s.length, 0), 0);
  const nvBytes = qifs.reduce(
    (a, q) => a + q.sections.reduce((x, s) => x + s.reduce((y, f) => y + f.name.length + f.value.length, 0), 0),
    0,
  );
  const mod = await loadModule("qpack", "bundle");
  const missing: string[] = [];
  const m = pick(mod, ["QpackDecoder"] as const, missing);
  const Dec = m?.QpackDecoder as Ctor<HwQpackDecoder> | undefined;
  const encMissing: string[] = [];
  const makeEnc = encoderAdapter(mod, encMissing);
  const notes: string[] = [];
  const ratios: Record<string, number> = {};
  const targets: Target[] = [];
  if (!Dec) notes.push(`httpwire QPACK decoder not measured: not available yet (${missing.join(", ")}).`);
  if (!makeEnc) notes.push(`httpwire QPACK encoder not measured: not available yet (${encMissing.join(", ")}).`);

  // --- Decode real encoders' output.
  const decCases: Case[] = [];
  const inputs: { name: string; label: string; bytes: number; files: QifRecord[][] }[] = [];
  const real = source.startsWith("qifs");
  for (const enc of ["nghttp3", "ls-qpack"]) {
    const files = qifs.map((q) => readQifOut(`${enc}/${q.name}.out.${CAPACITY}.${BLOCKED}.1`));
    if (files.every((f) => f !== undefined)) {
      const fs = files as QifRecord[][];
      inputs.push({
        name: enc,
        label: `${enc}'s`,
        bytes: fs.reduce((a, f) => a + f.reduce((x, r) => x + r.data.length, 0), 0),
        files: fs,
      });
    }
  }
  if (Dec)
    for (const inp of inputs) {
      const n = inp.files.reduce((a, f) => a + replay(Dec, f), 0);
      if (n !== fields) notes.push(`decoding ${inp.name}'s files gave ${fmtInt(n)} fields, expected ${fmtInt(fields)}.`);
    }
  if (Dec && inputs.length === 0) notes.push("no encoded QIF files found: decode measured on httpwire's own encoding only.");

  // --- Encode (and decode our own output), with acknowledgements fed back.
  let ownBytes: number | undefined;
  let encResults: Result[] = [];
  const nghttp3 = real ? buildAnchor("nghttp3") : ({ ok: false, reason: "generated sections" } as const);
  if (!nghttp3.ok) notes.push(`nghttp3 (C) skipped: ${nghttp3.reason}.`);
  const qifsFile = nghttp3.ok ? writeCorpusFile(qifs.map((q) => q.sections)) : undefined;
  // C rounds through one helper shell started before any timing, as the
  // HPACK suite does (a child process per round made the following httpwire
  // rounds slower; HTTPWIRE_BENCH_ANCHOR_SPAWN=1 restores that method).
  const helper = nghttp3.ok && process.env.HTTPWIRE_BENCH_ANCHOR_SPAWN !== "1" ? new AnchorHelper(nghttp3.bin) : undefined;
  const cRound = (bin: string, args: (string | number)[]) => (helper ? helper.round(args, fields) : anchorRound(bin, args, fields));
  const cDecode = (files: QifRecord[][]) =>
    nghttp3.ok ? cRound(nghttp3.bin, ["decode", writeRecordingsFile(files), CAPACITY, BLOCKED]) : undefined;
  const bytesRows: string[][] = [];
  if (makeEnc && Dec) {
    const ref = referencePass(makeEnc, Dec, qifs, CAPACITY);
    ownBytes = ref.bytes;
    const { feedback } = ref;
    const encCase: Case = {
      name: "httpwire (acks replayed)",
      units: fields,
      bytes: nvBytes,
      run: () => {
        let n = 0;
        for (let qi = 0; qi < qifs.length; qi++) {
          const e = makeEnc();
          const secs = qifs[qi]!.sections;
          const fb = feedback[qi]!;
          for (let i = 0; i < secs.length; i++) {
            n += e.encode(i + 1, secs[i]!).section.length;
            if (fb[i]!.length > 0) e.onDecoderStream(fb[i]!);
          }
        }
        return n;
      },
    };
    const ownFiles = ref.wire;
    inputs.push({ name: "own", label: "httpwire's", bytes: ownBytes, files: ownFiles });
    const encCases = [encCase];
    if (nghttp3.ok) {
      // nghttp3's live wire (its reference pass), checked with httpwire's decoder before anything is timed.
      const dump = dumpPath("qpack-nghttp3");
      const cBytes = runAnchor(nghttp3.bin, ["dump", qifsFile!, CAPACITY, BLOCKED, dump]).bytes;
      const cWire = readRecordingsFile(dump);
      const n = cWire.reduce((a, f) => a + replay(Dec, f), 0);
      if (n !== fields) throw new Error(`httpwire decoded ${n} fields from nghttp3's live wire, expected ${fields}`);
      inputs.push({ name: "nghttp3-live", label: "nghttp3's live", bytes: cBytes, files: cWire });
      encCases.push({
        name: C_NAME,
        units: fields,
        bytes: nvBytes,
        run: () => 0,
        round: cRound(nghttp3.bin, ["encode", qifsFile!, CAPACITY, BLOCKED]),
      });
      notes.push(
        `nghttp3 (C) is nghttp3 ${nghttp3.version}'s QPACK (\`nghttp3_qpack_encoder_encode\`, \`nghttp3_qpack_decoder_read_request\`), bench/c/qpack-nghttp3.c built with \`cc -O2\`, each round run by one helper shell started before any timing (as for nghttp2; \`HTTPWIRE_BENCH_ANCHOR_SPAWN=1\` starts a child per round instead): its encode replays the decoder stream its own reference pass recorded, its decode reads the same recorded inputs as httpwire's row above it.`,
      );
    }
    encResults = await measureGroup(encCases, opts);

    // Encoded bytes against nghttp3 at several capacities (outside the clock).
    if (real)
      for (const cap of BYTES_CAPACITIES) {
        const own = cap === CAPACITY ? ref.bytes : referencePass(makeEnc, Dec, qifs, cap).bytes;
        const theirs = nghttp3.ok ? runAnchor(nghttp3.bin, ["dump", qifsFile!, cap, BLOCKED, dumpPath("qpack-nghttp3")]).bytes : undefined;
        bytesRows.push([
          String(cap),
          fmtInt(own),
          theirs === undefined ? "n/a" : fmtInt(theirs),
          theirs === undefined ? "n/a" : (own / theirs).toFixed(3),
        ]);
        if (theirs !== undefined) {
          ratios[`qpack.encode.vs.nghttp3-bytes.${cap}`] = theirs / own;
          targets.push({
            name: `QPACK encoded bytes below nghttp3's (C, this run) at capacity ${cap}`,
            ok: own < theirs || (own === theirs && cap === 0),
            detail: `${fmtInt(own)} against ${fmtInt(theirs)} bytes`,
          });
        }
      }
  }
  for (const inp of inputs) {
    if (!Dec) break;
    decCases.push({
      name: `httpwire, ${inp.label} wire (${fmtInt(inp.bytes)} B)`,
      units: fields,
      bytes: nvBytes,
      run: () => inp.files.reduce((a, f) => a + replay(Dec, f), 0),
    });
    const c = cDecode(inp.files);
    if (c) decCases.push({ name: `${C_NAME}, ${inp.label} wire`, units: fields, bytes: nvBytes, run: () => 0, round: c });
  }

  // --- HPACK on the same lists, for the "decode within 2x of HPACK" target.
  const hpMissing: string[] = [];
  const hp = await httpwireHpack(hpMissing);
  if (hp) {
    const blocks = qifs.map((q) => {
      const c = hp.create();
      return q.sections.map((s) => c.encode(s).slice());
    });
    decCases.push({
      name: "httpwire HPACK, same lists (reference)",
      units: fields,
      bytes: nvBytes,
      run: () => {
        let n = 0;
        for (const bs of blocks) {
          const c = hp.create();
          for (let i = 0; i < bs.length; i++) n += c.decode(bs[i]!).length;
        }
        return n;
      },
    });
  } else notes.push(`HPACK reference not measured: httpwire HPACK not available yet (${hpMissing.join(", ")}).`);

  const dec = decCases.length ? await measureGroup(decCases, opts) : [];
  helper?.close();
  const hpRef = dec.find((r) => r.name.startsWith("httpwire HPACK"));
  const qpackDec: Result | undefined =
    dec.find((r) => r.name.startsWith("httpwire, nghttp3's wire")) ?? dec.find((r) => r.name.startsWith("httpwire, httpwire's"));
  /** The C row decoding the same input as httpwire row `r`. */
  const cFor = (r: Result) => {
    const label = r.name.startsWith("httpwire, ") ? r.name.slice("httpwire, ".length).replace(/ \(.*$/, "") : undefined;
    return label === undefined ? undefined : dec.find((x) => x.name === `${C_NAME}, ${label}`);
  };
  const cell = (a: Result, b: Result | undefined) => (b ? ratio(a, b).toFixed(2) : "");
  const spreadOf = (a: Result, b: Result) => {
    const rs = a.rates.map((x, i) => x / b.rates[i]!);
    return `${ratio(a, b).toFixed(2)}x, rounds ${Math.min(...rs).toFixed(2)}..${Math.max(...rs).toFixed(2)}`;
  };
  const rows: string[][] = [];
  for (const r of dec)
    rows.push([
      `decode: ${r.name}`,
      fmtRate(r.unitsPerSec),
      `${fmtRate(r.unitsMin)}..${fmtRate(r.unitsMax)}`,
      r.mbPerSec.toFixed(1),
      "",
      hpRef ? ratio(r, hpRef).toFixed(2) : "n/a",
      cell(r, cFor(r)),
    ]);
  const hwEnc = encResults.find((r) => r.name !== C_NAME);
  const cEnc = encResults.find((r) => r.name === C_NAME);
  const cLive = inputs.find((i) => i.name === "nghttp3-live");
  for (const r of encResults)
    rows.push([
      `encode: ${r.name}`,
      fmtRate(r.unitsPerSec),
      `${fmtRate(r.unitsMin)}..${fmtRate(r.unitsMax)}`,
      r.mbPerSec.toFixed(1),
      fmtInt(r === cEnc ? cLive!.bytes : ownBytes!),
      "",
      r === hwEnc ? cell(r, cEnc) : "",
    ]);
  for (const inp of inputs)
    if (inp.name !== "own" && inp.name !== "nghttp3-live")
      rows.push([`encoded by ${inp.name} (corpus, ack=1)`, "", "", "", fmtInt(inp.bytes), "", ""]);

  for (const r of dec) {
    if (!r.name.startsWith("httpwire, ")) continue;
    const key = r.name.includes("httpwire's") ? "own" : r.name.split(", ")[1]!.split("'")[0]!;
    const live = r.name.includes("live") ? "-live" : "";
    if (hpRef) ratios[`qpack.decode.${key}${live}.vs.hpack-decode`] = ratio(r, hpRef);
    const c = cFor(r);
    if (c) ratios[`qpack.decode.${key}${live}.vs.nghttp3`] = ratio(r, c);
  }
  if (hwEnc && cEnc) ratios["qpack.encode.vs.nghttp3"] = ratio(hwEnc, cEnc);
  const why = !hwEnc ? "httpwire encoder not available" : "nghttp3 (C) not built";
  targets.push({
    name: "QPACK encode ≥ 0.6x nghttp3 (C)",
    ok: hwEnc && cEnc ? ratio(hwEnc, cEnc) >= 0.6 : undefined,
    detail: hwEnc && cEnc ? spreadOf(hwEnc, cEnc) : why,
  });
  const hwDecs = dec.filter((r) => r.name.startsWith("httpwire, ") && cFor(r) !== undefined);
  targets.push({
    name: "QPACK decode ≥ 1.0x nghttp3 (C) on the same input, every input",
    ok: hwDecs.length ? hwDecs.every((r) => ratio(r, cFor(r)!) >= 1) : undefined,
    detail: hwDecs.length ? hwDecs.map((r) => `${r.name.replace(/ \(.*$/, "")}: ${spreadOf(r, cFor(r)!)}`).join("; ") : why,
  });
  targets.push({
    name: "QPACK decode within 2x of HPACK decode on the same lists",
    ok: qpackDec && hpRef ? ratio(qpackDec, hpRef) >= 0.5 : undefined,
    detail: qpackDec && hpRef ? `${qpackDec.name}: ${ratio(qpackDec, hpRef).toFixed(2)}x HPACK` : "httpwire QPACK or HPACK not available",
  });
  const text = [
    `Input: ${source}, ${fmtInt(qifs.reduce((a, q) => a + q.sections.length, 0))} field sections, ${fmtInt(fields)} fields, ${fmtInt(nvBytes)} name+value bytes; capacity ${CAPACITY}, ${BLOCKED} blocked streams, a fresh encoder/decoder per QIF. httpwire: ${loadedForm.get("qpack") === "bundle" ? "src/qpack bundled by esbuild, as shipped" : "src/qpack through tsx (bundling failed)"}.`,
    "",
    table(["operation", "fields/s", "spread (min..max)", "MB/s", "bytes", "× HPACK decode", "httpwire × C"], rows),
    ...(bytesRows.length
      ? [
          "",
          `Encoded bytes (field sections + encoder stream), ${BLOCKED} blocked streams, acknowledgements as on a live connection, by table capacity:`,
          "",
          table(["capacity", "httpwire", "nghttp3 (C)", "httpwire / nghttp3"], bytesRows),
        ]
      : []),
    ...(notes.length ? ["", ...notes.map((n) => `- ${n}`)] : []),
  ].join("\n");
  return { title: "QPACK (RFC 9204)", text, ratios, targets };
}
