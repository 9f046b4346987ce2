/**
 * The campaign's targets: one per decoder. Each target turns a byte string
 * into decoder calls, checks decode → encode → decode stability where the
 * module has an encoder, and lists its length fields for the mutation
 * engine. Codec modules are loaded dynamically and only what exists is used,
 * so the campaign runs while the codecs are still being written.
 */
import { createRequire } from "node:module";
import fc from "fast-check";
import { concatBytes as concat } from "../../src/arbitraries/bytes.js";
import {
  HTTP2_CLIENT_PREFACE,
  headerList,
  hpackBlocks,
  http2Frame,
  http3Frame,
  opaqueFieldList,
  varintEncoding,
} from "../../src/arbitraries/index.js";
import { HttpwireError } from "../../src/shared/errors.js";
import { captureDecoder, type Feeder, http2Decoder, loadModules, qpackDecoder, qpackEncoderStreamFeeder } from "./adapters.js";
import { captures, hpackStories, qpackErrorInputs, qpackOutputs } from "./corpora.js";
import { InvariantError, sameValue } from "./equal.js";
import type { LengthField } from "./mutate.js";
import type { Rng } from "./rng.js";

/** A fuzz target. */
export interface Target {
  readonly name: string;
  /** Valid (or realistic) inputs to mutate. */
  readonly seeds: Uint8Array[];
  /** Decodes one input; throws HttpwireError on bad input, InvariantError on instability. */
  run(bytes: Uint8Array, rng: Rng): void;
  /** Length fields for length edits. */
  lengths(bytes: Uint8Array): LengthField[];
  /** Largest random input. */
  readonly maxRandomLength: number;
  /** Counters a target keeps for the report (e.g. explained differential disagreements). */
  readonly notes?: Map<string, number>;
  /** Why memory growth is not this target's decoder's (the check still measures and reports it). */
  readonly memoryNotOurs?: string;
}

/**
 * Where hpack.js is more lenient than RFC 7541 requires (or than our
 * limits), keyed by our `reason` token: these disagreements are explained in
 * docs/security.md and counted, not flagged.
 */
export const HPACKJS_LENIENT: ReadonlySet<string> = new Set(["size_update_not_at_start", "header_list_too_large"]);

// biome-ignore lint/suspicious/noExplicitAny: these adapters call untyped JavaScript packages and more than one version of our API
type Any = any;

const SEED = 42;
const sample = <T>(arb: fc.Arbitrary<T>, n: number): T[] => fc.sample(arb, { numRuns: n, seed: SEED });

/** Random chunk boundaries for a stateful decoder. */
function chunks(bytes: Uint8Array, rng: Rng): Uint8Array[] {
  const mode = rng.int(4);
  if (mode === 0 || bytes.length < 2) return [bytes];
  if (mode === 1 && bytes.length <= 256) return Array.from(bytes, (_, i) => bytes.subarray(i, i + 1));
  const out: Uint8Array[] = [];
  let p = 0;
  while (p < bytes.length) {
    const n = 1 + rng.int(Math.max(1, Math.min(bytes.length - p, 64)));
    out.push(bytes.subarray(p, p + n));
    p += n;
  }
  return out;
}

/**
 * Decodes `bytes` whole and in random chunks with two fresh decoders; an
 * outcome that differs (events, or what came before an error, or the
 * error) is an instability (issue 12 findings 7 and 8). Rethrows the
 * decoder's error so the case is counted as rejected.
 */
function wholeAgainstChunked(
  what: string,
  make: () => Feeder | undefined,
  bytes: Uint8Array,
  rng: Rng,
  post: (o: unknown[]) => unknown = (o) => o,
): void {
  const whole = make();
  const cut = make();
  if (whole === undefined || cut === undefined) return;
  whole.push(bytes);
  whole.end();
  const pieces = chunks(bytes, rng);
  for (const c of pieces) cut.push(c);
  cut.end();
  for (const f of [whole.failure, cut.failure]) if (f !== undefined && !(f instanceof HttpwireError)) throw f;
  if (pieces.length > 1 && !sameValue(post(whole.outcome() as unknown[]), post(cut.outcome() as unknown[]))) {
    throw new InvariantError(`${what}: the whole input and the same input in ${pieces.length} chunks give different outcomes`);
  }
  if (whole.failure !== undefined) throw whole.failure;
}

/** Runs an encoder on a decoded value; an encoder that refuses what the decoder accepted is an instability. */
function encodeOrInvariant(f: () => Uint8Array, what: string): Uint8Array {
  try {
    return f();
  } catch (e) {
    throw new InvariantError(`${what} decoded but the encoder refuses it: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
  }
}

function varintLen(b: number): number {
  return 1 << (b >> 6);
}

// ---------------------------------------------------------------- varint

async function varintTarget(): Promise<Target | string> {
  const q: Any = await import("../../src/quic/index.js");
  if (typeof q.readVarint !== "function" || typeof q.encodeVarint !== "function") return "quic varints not available";
  const seeds = [] as Uint8Array[];
  const encs = sample(varintEncoding(), 2000);
  for (let i = 0; i < encs.length; i += 4) seeds.push(concat(encs.slice(i, i + 4).map((e) => e.bytes)));
  return {
    name: "varint",
    seeds,
    maxRandomLength: 64,
    run(bytes) {
      let off = 0;
      while (off < bytes.length) {
        const r = q.readVarint(bytes, off);
        if (r.status !== "ok") break;
        // Re-encoding at the same length gives the same bytes; the shortest form decodes to the same value.
        const same = q.encodeVarint(r.value, r.length) as Uint8Array;
        if (!sameValue(same, bytes.subarray(off, off + r.length))) throw new InvariantError(`varint at ${off} re-encodes differently`);
        const again = q.readVarint(q.encodeVarint(r.value));
        if (again.status !== "ok" || again.value !== r.value) throw new InvariantError(`varint ${String(r.value)} does not round-trip`);
        off += r.length;
      }
    },
    lengths(bytes) {
      const out: LengthField[] = [];
      for (let p = 0; p < bytes.length && out.length < 16; p += varintLen(bytes[p]!))
        out.push({ offset: p, kind: "varint", size: Math.min(varintLen(bytes[p]!), bytes.length - p) });
      return out;
    },
  };
}

// ---------------------------------------------------------------- hpack

/** HPACK input format: blocks, each preceded by a 16-bit length, decoded in order with one context. */
export function frameBlocks(blocks: readonly Uint8Array[]): Uint8Array {
  return concat(blocks.flatMap((b) => [Uint8Array.of(b.length >> 8, b.length & 0xff), b]));
}

export function splitBlocks(bytes: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  let p = 0;
  while (p < bytes.length) {
    const n = p + 1 < bytes.length ? (bytes[p]! << 8) | bytes[p + 1]! : 0;
    out.push(bytes.subarray(Math.min(p + 2, bytes.length), Math.min(p + 2 + n, bytes.length)));
    p += 2 + n;
  }
  return out;
}

function hpackSeeds(): Uint8Array[] {
  const seeds: Uint8Array[] = [];
  for (const story of hpackStories()) {
    // Prefixes of each story, so later blocks find the dynamic entries they reference.
    for (const k of [1, 3, 8, 16]) if (k <= story.length) seeds.push(frameBlocks(story.slice(0, k)));
  }
  for (const c of sample(hpackBlocks(), 400)) seeds.push(frameBlocks(c.blocks));
  return seeds;
}

async function hpackTarget(): Promise<Target | string> {
  const h: Any = await import("../../src/hpack/index.js");
  if (typeof h.HpackDecoder !== "function" || typeof h.HpackEncoder !== "function") return "HpackDecoder not available";
  const seeds = hpackSeeds();
  // Huffman-coded blocks from the toolkit's encoder, over generated lists.
  const enc = new h.HpackEncoder({ validate: false });
  for (const l of sample(fc.array(fc.oneof(headerList(), opaqueFieldList()), { minLength: 1, maxLength: 3 }), 300))
    seeds.push(frameBlocks(l.map((x) => enc.encode(x) as Uint8Array)));
  return {
    name: "hpack",
    seeds,
    maxRandomLength: 256,
    run(bytes, rng) {
      const d = new h.HpackDecoder();
      const w = new h.HpackDecoder();
      const lists: { name: string; value: string }[][] = [];
      for (const block of splitBlocks(bytes)) {
        // decode() of the whole block against write() of random pieces: the same fields, or the same error.
        let fields: { name: string; value: string }[] | undefined;
        let error: unknown;
        try {
          fields = (d.decode(block) as { name: string; value: string }[]).map((f) => ({
            name: f.name,
            value: f.value,
          }));
        } catch (e) {
          error = e;
        }
        const written: { name: string; value: string }[] = [];
        let writeError: unknown;
        try {
          for (const c of chunks(block, rng))
            for (const f of w.write(c) as { name: string; value: string }[]) written.push({ name: f.name, value: f.value });
          w.end();
        } catch (e) {
          writeError = e;
        }
        for (const e of [error, writeError]) if (e !== undefined && !(e instanceof HttpwireError)) throw e;
        const reason = (e: unknown) => (e instanceof HttpwireError ? e.reason : undefined);
        if (reason(error) !== reason(writeError) || (error === undefined && !sameValue(fields, written))) {
          throw new InvariantError("HpackDecoder: decode() of a block and write() of the same block in chunks give different outcomes");
        }
        if (error !== undefined) throw error;
        lists.push(fields!);
      }
      // decode → encode → decode: the same field lists with a fresh context.
      const e = new h.HpackEncoder({ validate: false });
      const d2 = new h.HpackDecoder();
      for (const l of lists) {
        const block = encodeOrInvariant(() => e.encode(l) as Uint8Array, "HPACK field list");
        const again = (d2.decode(block) as { name: string; value: string }[]).map((f) => ({
          name: f.name,
          value: f.value,
        }));
        if (!sameValue(again, l)) throw new InvariantError("HPACK decode → encode → decode changed the field list");
      }
    },
    lengths(bytes) {
      // A few guessed prefix-integer positions (string lengths, indices).
      const out: LengthField[] = [];
      for (let i = 0; i < 3 && bytes.length > 0; i++)
        out.push({ offset: (bytes.length * (i + 1)) >> 2, kind: "prefix", size: 1, prefixBits: 7 });
      return out;
    },
  };
}

async function hpackDiffTarget(): Promise<Target | string> {
  const h: Any = await import("../../src/hpack/index.js");
  if (typeof h.HpackDecoder !== "function") return "HpackDecoder not available";
  const require = createRequire(import.meta.url);
  let hpackjs: Any;
  try {
    hpackjs = require("hpack.js");
  } catch {
    return "hpack.js (dev dependency) not installed";
  }
  const seeds = hpackSeeds();
  const notes = new Map<string, number>();
  const note = (k: string) => notes.set(k, (notes.get(k) ?? 0) + 1);
  return {
    name: "hpack-diff",
    seeds,
    notes,
    // Measured in the 2026-11-21 campaign: hpack.js keeps about 2 KiB per Decompressor
    // forever (+40 MiB per 20 000 decompressors with hpack.js alone, after GC).
    memoryNotOurs: "hpack.js retains about 2 KiB per Decompressor it creates",
    maxRandomLength: 256,
    run(bytes) {
      const ours = new h.HpackDecoder();
      const theirs = hpackjs.decompressor.create({ table: { maxSize: 4096 } });
      for (const block of splitBlocks(bytes)) {
        let a: { name: string; value: string }[] | undefined;
        let b: { name: string; value: string }[] | undefined;
        let errA: unknown;
        let errB: unknown;
        try {
          a = (ours.decode(block) as { name: string; value: string }[]).map((f) => ({ name: f.name, value: f.value }));
        } catch (e) {
          errA = e;
        }
        try {
          theirs._decoder.push(block);
          while (!theirs._decoder.isEmpty()) theirs._execute();
          b = [];
          for (let x = theirs.read(); x !== null; x = theirs.read()) b.push({ name: x.name, value: x.value });
        } catch (e) {
          errB = e;
        }
        if (errA !== undefined && !(errA instanceof HttpwireError)) throw errA;
        if (errA !== undefined || errB !== undefined) {
          if (errA !== undefined && errB !== undefined) {
            note("both reject");
            throw errA;
          }
          if (errA instanceof HttpwireError && HPACKJS_LENIENT.has(errA.reason)) {
            note(`explained: httpwire rejects ${errA.reason}, hpack.js accepts`);
            throw errA;
          }
          const reason = errA instanceof HttpwireError ? errA.reason : "accepted";
          const msg = errB instanceof Error ? errB.message : "accepted";
          throw new InvariantError(
            `hpack.js disagrees: httpwire ${errA ? `rejects (${reason})` : "accepts"}, hpack.js ${errB ? `rejects (${msg})` : "accepts"}`,
          );
        }
        if (!sameValue(a, b)) throw new InvariantError("hpack.js decodes different fields");
        note("both accept, same fields");
      }
    },
    lengths: () => [],
  };
}

// ---------------------------------------------------------------- http2

function h2Seeds(): Uint8Array[] {
  const frames = sample(http2Frame(), 3000).map((c) => c.bytes);
  const seeds: Uint8Array[] = [];
  for (let i = 0; i < frames.length; i += 3) seeds.push(concat(frames.slice(i, i + 3)));
  return seeds;
}

function h2Lengths(bytes: Uint8Array): LengthField[] {
  const out: LengthField[] = [];
  for (let p = 0; p + 9 <= bytes.length && out.length < 16; p += 9 + ((bytes[p]! << 16) | (bytes[p + 1]! << 8) | bytes[p + 2]!))
    out.push({ offset: p, kind: "u24", size: 3 });
  return out;
}

async function http2Target(): Promise<Target | string> {
  const mods = await loadModules();
  const m: Any = mods.http2;
  const h: Any = await import("../../src/hpack/index.js");
  if (typeof m.readFrameHeader !== "function" || typeof m.decodeFrame !== "function") return "HTTP/2 frame decoding not available";
  const hasStream = typeof m.FrameDecoder === "function";
  // A session from the captures: real node:http2 framing with HPACK blocks.
  const seeds = h2Seeds();
  const enc = typeof h.HpackEncoder === "function" ? new h.HpackEncoder() : undefined;
  if (enc !== undefined) {
    for (const l of sample(headerList(), 200)) {
      const block = enc.encode(l) as Uint8Array;
      const h1 = Uint8Array.of(0, 0, 0, 1, 0x04 | 0x01, 0, 0, 0, 1);
      h1[0] = block.length >> 16;
      h1[1] = (block.length >> 8) & 0xff;
      h1[2] = block.length & 0xff;
      seeds.push(concat([h1, block]));
    }
  }
  return {
    name: "http2",
    seeds,
    maxRandomLength: 512,
    run(bytes, rng) {
      // Pure layer: every complete frame, then decode → encode → decode.
      let p = 0;
      let firstError: unknown;
      while (firstError === undefined) {
        const hd = m.readFrameHeader(bytes, p);
        if (hd.status !== "ok" || p + 9 + hd.length > bytes.length) break;
        try {
          const f = m.decodeFrame(hd, bytes.subarray(p + 9, p + 9 + hd.length));
          if (typeof m.encodeFrame === "function") {
            const again = encodeOrInvariant(() => m.encodeFrame(f) as Uint8Array, `HTTP/2 frame type ${hd.type}`);
            const f2 = m.decodeFrame(m.readFrameHeader(again, 0), again.subarray(9));
            if (!sameValue(f, f2)) throw new InvariantError(`HTTP/2 frame type ${hd.type} changes through encode`);
          }
        } catch (e) {
          if (e instanceof InvariantError || !(e instanceof HttpwireError)) throw e;
          if (e.scope === "connection") firstError = e;
        }
        p += 9 + hd.length;
      }
      // Stateful layer: the same bytes whole and in random chunks, with HPACK attached half the time.
      if (hasStream) {
        const withHpack = rng.chance(0.5);
        try {
          wholeAgainstChunked("FrameDecoder", () => http2Decoder(mods, withHpack ? {} : { hpack: undefined }), bytes, rng);
        } catch (e) {
          if (!(e instanceof HttpwireError) || e instanceof InvariantError) throw e;
        }
      }
      if (firstError !== undefined) throw firstError;
    },
    lengths: h2Lengths,
  };
}

async function http2PrefaceTarget(): Promise<Target | string> {
  const mods = await loadModules();
  const m: Any = await import("../../src/http2/index.js");
  if (typeof m.FrameDecoder !== "function") return "FrameDecoder not available";
  const seeds = h2Seeds().map((s) => concat([HTTP2_CLIENT_PREFACE, Uint8Array.of(0, 0, 0, 4, 0, 0, 0, 0, 0), s]));
  return {
    name: "http2-session",
    seeds,
    maxRandomLength: 512,
    run(bytes, rng) {
      wholeAgainstChunked("FrameDecoder (expectPreface)", () => http2Decoder(mods, { expectPreface: true, hpack: undefined }), bytes, rng);
    },
    lengths: (b) => h2Lengths(b.subarray(24)).map((f) => ({ ...f, offset: f.offset + 24 })),
  };
}

// ---------------------------------------------------------------- http3

function h3Lengths(bytes: Uint8Array): LengthField[] {
  const out: LengthField[] = [];
  let p = 0;
  while (p < bytes.length && out.length < 16) {
    const tl = varintLen(bytes[p]!);
    const lp = p + tl;
    if (lp >= bytes.length) break;
    const ll = varintLen(bytes[lp]!);
    if (lp + ll > bytes.length) break;
    out.push({ offset: lp, kind: "varint", size: ll });
    let len = 0;
    for (let i = 0; i < ll; i++) len = len * 256 + (i === 0 ? bytes[lp]! & 0x3f : bytes[lp + i]!);
    p = lp + ll + len;
  }
  return out;
}

/** What an Http3FrameDecoder makes of `pieces`: frames with DATA joined per frame, stream errors, and the thrown error's code and reason. */
function h3Outcome(m: Any, opts: object, pieces: Uint8Array[]): { events: unknown[]; error: unknown; reason?: string } {
  const d = new m.Http3FrameDecoder(opts);
  const out: Any[] = [];
  let error: unknown;
  try {
    for (const c of pieces) d.push(c, out);
    d.end(out);
  } catch (e) {
    if (!(e instanceof HttpwireError)) throw e;
    error = e;
  }
  const events: unknown[] = [];
  let data: number[] | undefined;
  for (const e of out) {
    if (e.type === "data-start") data = [];
    else if (e.type === "data") {
      data!.push(...e.data);
      if (e.end) events.push({ data });
    } else if (e.type === "frame") events.push({ frame: e.frame, offset: e.offset, length: e.length });
    else events.push({ streamError: e.error.reason });
  }
  if (data !== undefined && (out.length === 0 || out[out.length - 1].end !== true)) events.push({ partialData: data });
  const err = error as HttpwireError | undefined;
  return err === undefined ? { events, error } : { events, error, reason: `${err.codeName} ${err.reason} @${String(err.offset)}` };
}

async function http3Target(): Promise<Target | string> {
  const m: Any = await import("../../src/http3/index.js");
  if (typeof m.readFrame !== "function") return "HTTP/3 readFrame not available";
  const frames = sample(http3Frame(), 3000).map((c) => c.bytes);
  const seeds: Uint8Array[] = [];
  for (let i = 0; i < frames.length; i += 3) seeds.push(concat(frames.slice(i, i + 3)));
  const kinds = ["control", "request", "push", "any"];
  const senders = [undefined, "client", "server"];
  return {
    name: "http3",
    seeds,
    maxRandomLength: 512,
    run(bytes, rng) {
      let p = 0;
      let firstError: unknown;
      while (p < bytes.length && firstError === undefined) {
        let r: Any;
        try {
          r = m.readFrame(bytes, p);
        } catch (e) {
          if (!(e instanceof HttpwireError)) throw e;
          firstError = e;
          break;
        }
        if (r.status !== "ok") break;
        if (typeof m.encodeFrame === "function") {
          const again = encodeOrInvariant(() => m.encodeFrame(r.frame) as Uint8Array, `HTTP/3 frame type ${String(r.frame.type)}`);
          const r2 = m.readFrame(again, 0);
          if (r2.status !== "ok" || !sameValue(r.frame, r2.frame)) throw new InvariantError("HTTP/3 frame changes through encode");
        }
        p += r.length;
      }
      if (typeof m.Http3FrameDecoder === "function") {
        // Whole against chunked: the same frames (DATA joined per frame) and the same error.
        const opts = { stream: rng.pick(kinds), sender: rng.pick(senders), emitUnknown: rng.pick([false, true]) };
        const whole = h3Outcome(m, opts, [bytes]);
        const split = h3Outcome(m, opts, chunks(bytes, rng));
        if (!sameValue([whole.events, whole.reason], [split.events, split.reason]))
          throw new InvariantError(
            `HTTP/3 frame decoder (${opts.stream}, sender ${String(opts.sender)}): chunked input gives another outcome than whole`,
          );
        firstError ??= split.error;
      }
      if (firstError !== undefined) throw firstError;
    },
    lengths: h3Lengths,
  };
}

// ---------------------------------------------------------------- qpack

/** Interop records: 8-byte stream ID, 4-byte length, bytes (truncated records are dropped). */
function records(bytes: Uint8Array): { stream: bigint; data: Uint8Array }[] {
  const out: { stream: bigint; data: Uint8Array }[] = [];
  let p = 0;
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  while (p + 12 <= bytes.length) {
    const stream = dv.getBigUint64(p) & (2n ** 62n - 1n); // stream IDs are 62-bit; larger ones would be a caller error
    const len = dv.getUint32(p + 8);
    const data = bytes.subarray(p + 12, Math.min(bytes.length, p + 12 + len));
    out.push({ stream, data });
    p += 12 + len;
  }
  return out;
}

function recordLengths(bytes: Uint8Array): LengthField[] {
  const out: LengthField[] = [];
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let p = 0; p + 12 <= bytes.length && out.length < 8; p += 12 + dv.getUint32(p + 8)) {
    // Prefix integers inside the record (string lengths, indices).
    if (p + 13 < bytes.length) out.push({ offset: p + 12 + ((bytes.length - p - 12) >> 1), kind: "prefix", size: 1, prefixBits: 7 });
  }
  return out;
}

async function qpackTargets(): Promise<(Target | string)[]> {
  const mods = await loadModules();
  const q: Any = mods.qpack;
  if (typeof q.QpackDecoder !== "function") return ["QpackDecoder not available"];
  const outputs = qpackOutputs();
  const errors = qpackErrorInputs();
  // Inputs start with one byte choosing the decoder's table capacity, so the
  // corpus files (encoded for 0, 256, 512, 4096 or 16384) decode as intended;
  // the QIF files assume the table starts at that capacity (draft interop format).
  const CAPS = [0, 256, 512, 4096, 16384];
  const capByte = (cap: number) => Uint8Array.of(Math.max(0, CAPS.indexOf(cap)));
  const decoderFor = (b0: number | undefined) => {
    const cap = CAPS[(b0 ?? 0) % CAPS.length]!;
    return new q.QpackDecoder({ maxTableCapacity: cap, initialTableCapacity: cap, maxBlockedStreams: 100 });
  };
  const encoderStreams: Uint8Array[] = [];
  for (const o of outputs) {
    const enc = records(o.bytes)
      .filter((r) => r.stream === 0n)
      .map((r) => r.data);
    if (enc.length > 0) encoderStreams.push(concat([capByte(o.capacity), ...enc]));
  }
  const decoderStreams: Uint8Array[] = [];
  const targets: (Target | string)[] = [];
  const lists = sample(fc.array(headerList(), { minLength: 1, maxLength: 4 }), 50);
  if (typeof q.QpackEncoder === "function") {
    // Real decoder-stream output: a dynamic-table encoder talking to a decoder.
    for (const l of lists) {
      try {
        const e = new q.QpackEncoder({ maxTableCapacity: 4096, maxBlockedStreams: 16 });
        const d = new q.QpackDecoder({ maxTableCapacity: 4096, maxBlockedStreams: 16 });
        l.forEach((fields, i) => {
          const sec = e.encodeFieldSection(4 * i, fields);
          d.onEncoderStream(e.drainEncoderStream());
          d.decodeFieldSection(4 * i, sec);
        });
        const ds = d.drainDecoderStream() as Uint8Array;
        if (ds.length > 0) decoderStreams.push(ds);
      } catch {
        // seeds are best effort
      }
    }
  }

  targets.push({
    name: "qpack-encoder-stream",
    seeds: [...encoderStreams, ...errors.map((e) => concat([Uint8Array.of(3), e]))],
    maxRandomLength: 256,
    run(bytes, rng) {
      const cap = CAPS[(bytes[0] ?? 0) % CAPS.length]!;
      wholeAgainstChunked(
        "QpackDecoder encoder stream",
        () => qpackEncoderStreamFeeder(mods, { maxTableCapacity: cap, initialTableCapacity: cap, maxBlockedStreams: 100 }),
        bytes.subarray(1),
        rng,
      );
    },
    lengths: (b) => (b.length > 1 ? [{ offset: b.length >> 1, kind: "prefix", size: 1, prefixBits: 5 }] : []),
  });

  targets.push({
    name: "qpack-field-section",
    seeds: [...outputs.map((o) => concat([capByte(o.capacity), o.bytes])), ...errors.map((e) => concat([Uint8Array.of(3), e]))],
    maxRandomLength: 512,
    run(bytes, rng) {
      // Whole against chunked: the same records with each encoder-stream record cut at random points
      // must decode and unblock the same sections (issue 12 finding 8).
      const cap = CAPS[(bytes[0] ?? 0) % CAPS.length]!;
      const replay = (cut: boolean): unknown[] => {
        const a = qpackDecoder(mods, { maxTableCapacity: cap, initialTableCapacity: cap, maxBlockedStreams: 100 })!;
        const out: unknown[] = [];
        try {
          for (const r of records(bytes.subarray(1))) {
            if (r.stream === 0n) for (const c of cut ? chunks(r.data, rng) : [r.data]) a.encoderStream(c, out);
            else out.push(a.section(r.stream, r.data));
          }
        } catch (e) {
          if (!(e instanceof HttpwireError)) throw e;
          out.push({ error: e.reason });
        }
        return out.map((x) => JSON.stringify(x)).sort();
      };
      if (!sameValue(replay(false), replay(true)))
        throw new InvariantError("QpackDecoder: encoder-stream records whole and in chunks decode different sections");
      const d = decoderFor(bytes[0]);
      const decoded: { name: string; value: string }[][] = [];
      for (const r of records(bytes.subarray(1))) {
        if (r.stream === 0n) {
          for (const u of d.onEncoderStream(r.data) as {
            status: string;
            fields?: { name: string; value: string }[];
          }[]) {
            if (u.fields !== undefined) decoded.push(u.fields);
          }
        } else {
          const res = d.decodeFieldSection(r.stream, r.data);
          if (res.status === "decoded") decoded.push(res.fields);
        }
      }
      if (typeof d.drainDecoderStream === "function") d.drainDecoderStream();
      // decode → encode → decode with the toolkit's encoder (static table and literals).
      if (typeof q.QpackEncoder === "function") {
        for (const fields of decoded) {
          const e = new q.QpackEncoder({});
          const d2 = new q.QpackDecoder({});
          const plain = fields.map((f) => ({ name: f.name, value: f.value }));
          const sec = encodeOrInvariant(() => e.encodeFieldSection(4, plain) as Uint8Array, "QPACK field section");
          const res = d2.decodeFieldSection(4, sec);
          if (
            res.status !== "decoded" ||
            !sameValue(
              res.fields.map((f: { name: string; value: string }) => ({ name: f.name, value: f.value })),
              plain,
            )
          )
            throw new InvariantError("QPACK decode → encode → decode changed the field section");
        }
      }
    },
    lengths: (b) => recordLengths(b.subarray(1)).map((f) => ({ ...f, offset: f.offset + 1 })),
  });

  if (typeof q.QpackEncoder === "function") {
    targets.push({
      name: "qpack-decoder-stream",
      // Section Acknowledgment (1xxxxxxx), Stream Cancellation (01xxxxxx), Insert Count Increment (00xxxxxx).
      seeds: [Uint8Array.of(0x84), Uint8Array.of(0x44), Uint8Array.of(0x01), Uint8Array.of(0x84, 0x88, 0x02, 0x48), ...decoderStreams],
      maxRandomLength: 128,
      run(bytes, rng) {
        const e = new q.QpackEncoder({ maxTableCapacity: 4096, maxBlockedStreams: 16 });
        const l = rng.pick(lists);
        for (const [i, fields] of l.entries()) e.encodeFieldSection(4 * i, fields);
        e.drainEncoderStream();
        for (const c of chunks(bytes, rng)) e.onDecoderStream(c);
      },
      lengths: (b) => (b.length > 0 ? [{ offset: 0, kind: "prefix", size: 1, prefixBits: 6 }] : []),
    });
  } else targets.push("QpackEncoder not available (decoder stream)");
  return targets;
}

// ---------------------------------------------------------------- capture

async function captureTarget(): Promise<Target | string> {
  const mods = await loadModules();
  const c: Any = await import("../../src/capture/index.js");
  if (typeof c.CaptureDecoder !== "function") return "CaptureDecoder not available";
  const seeds = captures();
  if (seeds.length === 0) return "no captures in fixtures/captures";
  return {
    name: "capture",
    seeds,
    maxRandomLength: 1024,
    run(bytes, rng) {
      // Malformed input becomes an error event, never a throw: compare the events whole and chunked.
      wholeAgainstChunked("CaptureDecoder", () => captureDecoder(mods), bytes, rng);
    },
    lengths(bytes) {
      // pcap record headers: incl_len at 24 + 8 (little endian in the recorded files); edit its low bytes as u24 fields.
      return bytes.length > 40 ? [{ offset: 32, kind: "u24", size: 3 }] : [];
    },
  };
}

/** Target groups as named on the command line. */
export const GROUPS: Record<string, readonly string[]> = {
  varint: ["varint"],
  hpack: ["hpack", "hpack-diff"],
  http2: ["http2", "http2-session"],
  http3: ["http3"],
  qpack: ["qpack-encoder-stream", "qpack-decoder-stream", "qpack-field-section"],
  capture: ["capture"],
};

/** Loads the targets of the named groups; unavailable ones come back as a message. */
export async function loadTargets(groups: readonly string[]): Promise<(Target | string)[]> {
  const want = new Set(groups.flatMap((g) => GROUPS[g] ?? []));
  const out: (Target | string)[] = [];
  const guard = async <T>(what: string, f: () => Promise<T>): Promise<T | string> => {
    try {
      return await f();
    } catch (e) {
      return `${what}: ${e instanceof Error ? e.message : String(e)}`;
    }
  };
  if (want.has("varint")) out.push(await guard("varint", varintTarget));
  if (want.has("hpack")) out.push(await guard("hpack", hpackTarget));
  if (want.has("hpack-diff")) out.push(await guard("hpack-diff", hpackDiffTarget));
  if (want.has("http2")) out.push(await guard("http2", http2Target));
  if (want.has("http2-session")) out.push(await guard("http2-session", http2PrefaceTarget));
  if (want.has("http3")) out.push(await guard("http3", http3Target));
  if ([...want].some((w) => w.startsWith("qpack"))) {
    const qs = await guard("qpack", qpackTargets);
    for (const t of typeof qs === "string" ? [qs] : qs) if (typeof t === "string" || want.has(t.name)) out.push(t);
  }
  if (want.has("capture")) out.push(await guard("capture", captureTarget));
  return out;
}
