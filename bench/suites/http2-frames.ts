/**
 * HTTP/2 frame decoding: httpwire's `FrameDecoder` next to node-http2's
 * `Deserializer` and spdy-transport's parser, on recorded sessions (or a
 * synthesised one) and a bulk session of full-size (16 KiB) DATA frames, fed
 * whole and in 16,384- and 1,400-byte chunks; httpwire both as it is by
 * default (a DATA frame that straddles chunks gathered into a buffer of its
 * own) and with `dataPieces: true` (DATA as views of the pushed chunks).
 *
 * Caveat printed with the table: spdy-transport always runs hpack.js on each
 * header block and defers with `process.nextTick` per frame; httpwire and
 * node-http2 only parse frames here (HPACK has its own suite).
 */
import { type BenchOptions, type Case, fmtInt, fmtRate, measureGroup, ratio, table } from "../harness.js";
import { loadModule, pick } from "../httpwire.js";
import { nodeHttp2Deserializer, spdyParser } from "../peers.js";
import type { SuiteReport, Target } from "../report.js";
import { chunked, type FrameStream, recordedHttp2Sessions, synthesiseBulkDataSession, synthesiseHttp2Session } from "../sessions.js";

interface HwFrame {
  type: number | string;
  data?: Uint8Array;
  payload?: Uint8Array;
}
interface HwFrameDecoder {
  push(chunk: Uint8Array): HwFrame[] | Iterable<HwFrame>;
  end?(): unknown;
}
type Ctor<T> = new (opts?: Record<string, unknown>) => T;

function countFrames(r: HwFrame[] | Iterable<HwFrame>): number {
  if (Array.isArray(r)) return r.length;
  let n = 0;
  for (const _ of r) n++;
  return n;
}

/** httpwire's frame decoder constructor, or `undefined` with what is missing. */
export async function httpwireFrameDecoder(missing: string[]): Promise<Ctor<HwFrameDecoder> | undefined> {
  const m = pick(await loadModule("http2"), ["FrameDecoder"] as const, missing);
  return m ? (m.FrameDecoder as Ctor<HwFrameDecoder>) : undefined;
}

/** The DATA payload of a decoded frame, whatever the property is called. */
function dataOf(f: HwFrame): Uint8Array | undefined {
  return f.data ?? f.payload;
}

export async function http2FramesSuite(opts: BenchOptions): Promise<SuiteReport> {
  const recorded = recordedHttp2Sessions() ?? [];
  const bulk = synthesiseBulkDataSession();
  const all: FrameStream[] = [...recorded, synthesiseHttp2Session(), bulk];
  const missing: string[] = [];
  const Dec = await httpwireFrameDecoder(missing);
  const node = nodeHttp2Deserializer();
  const spdy = spdyParser();
  const notes: string[] = [];
  if (recorded.length === 0) notes.push("No recorded sessions in fixtures/captures/raw/ yet: the synthesised session alone.");
  // Compare on the sessions every parser accepts; say which were left out and why.
  const sessions: FrameStream[] = [];
  for (const s of all) {
    const why: string[] = [];
    try {
      node.create(() => {})(s.bytes);
    } catch (e) {
      why.push(`node-http2: ${(e as Error).message}`);
    }
    try {
      await spdy.create(() => {})([s.bytes]);
    } catch (e) {
      why.push(`spdy-transport: ${(e as Error).message}`);
    }
    if (Dec) {
      try {
        new Dec().push(s.bytes);
      } catch (e) {
        why.push(`httpwire: ${(e as Error).message}`);
      }
    }
    if (why.length === 0) sessions.push(s);
    else notes.push(`${s.source} left out: ${why.join("; ")}.`);
  }
  if (!Dec) notes.push(`httpwire FrameDecoder not measured: not available yet (${missing.join(", ")}).`);

  const frames = sessions.reduce((a, s) => a + s.frames, 0);
  const bytes = sessions.reduce((a, s) => a + s.bytes.length, 0);
  const ratios: Record<string, number> = {};
  const targets: Target[] = [];
  const rows: string[][] = [];
  let worstVsNode: number | undefined;

  // Zero-copy check: a DATA payload that arrived in one chunk is a view of that chunk; with dataPieces, every
  // piece is a view of the chunk it arrived in, whatever the chunking.
  if (Dec) {
    let pieces = 0;
    let copiedPieces = 0;
    for (const s of sessions) {
      const d = new Dec({ dataPieces: true });
      for (const c of chunked(s.bytes, 1_400).map((c) => c.slice())) {
        for (const f of d.push(c) as Iterable<HwFrame>) {
          if (f.type !== "data-piece" || f.data === undefined || f.data.length === 0) continue;
          pieces++;
          if (f.data.buffer !== c.buffer) copiedPieces++;
        }
      }
    }
    targets.push({
      name: "dataPieces: every DATA piece is a view of the chunk it arrived in (1,400-byte chunks)",
      ok: pieces > 0 && copiedPieces === 0,
      detail: `${fmtInt(pieces)} non-empty pieces, ${copiedPieces} copied`,
    });
  }
  if (Dec) {
    let data = 0;
    let copied = 0;
    for (const s of sessions) {
      const d = new Dec();
      const input = s.bytes.slice();
      for (const f of d.push(input) as Iterable<HwFrame>) {
        const p = dataOf(f);
        if ((f.type === 0 || f.type === "DATA") && p !== undefined) {
          data++;
          if (p.buffer !== input.buffer) copied++;
        }
      }
    }
    targets.push({
      name: "DATA payload never copied when it arrives in one chunk",
      ok: data > 0 && copied === 0,
      detail: `${fmtInt(data)} DATA frames, ${copied} copied (payload.buffer === input.buffer)`,
    });
  }

  // Every session at three chunkings; then the recorded sessions alone (the target's wording), whole and at 1,400.
  const recordedOk = sessions.filter((s) => recorded.includes(s));
  const groups = [
    { key: "", prefix: "", set: sessions.filter((s) => s !== bulk), sizes: [0, 16_384, 1_400] },
    ...(recordedOk.length > 0 ? [{ key: "recorded.", prefix: "recorded only, ", set: recordedOk, sizes: [0, 1_400] }] : []),
    ...(sessions.includes(bulk) ? [{ key: "bulk.", prefix: "bulk 16 KiB DATA, ", set: [bulk], sizes: [0, 16_384, 1_400] }] : []),
  ];
  const vsNode: string[] = [];
  /** Ratios to node-http2 for the targets: frame level on whole input, dataPieces in 1,400-byte chunks. */
  const wholeVsNode: string[] = [];
  const chunkVsNode: string[] = [];
  let worstWhole: number | undefined;
  let worstChunk: number | undefined;
  for (const { g, size } of groups.flatMap((g) => g.sizes.map((size) => ({ g, size })))) {
    const label = `${g.prefix}${size === 0 ? "whole" : `${fmtInt(size)}-byte chunks`}`;
    const inputs = g.set.map((s) => (size === 0 ? [s.bytes] : chunked(s.bytes, size)));
    const frames = g.set.reduce((a, s) => a + s.frames, 0);
    const bytes = g.set.reduce((a, s) => a + s.bytes.length, 0);
    const conts = g.set.reduce((a, s) => a + (s.continuations ?? 0), 0);
    // Check every parser sees every frame once before timing.
    const cases: Case[] = [];
    if (Dec) {
      // Frame level, like node-http2's Deserializer: each HEADERS/CONTINUATION returned as it is.
      cases.push({
        name: "httpwire",
        units: frames,
        bytes,
        run: () => {
          let n = 0;
          for (const chunks of inputs) {
            const d = new Dec({ joinFieldBlocks: false });
            for (let i = 0; i < chunks.length; i++) n += countFrames(d.push(chunks[i]!));
          }
          return n;
        },
      });
      // The zero-copy route: DATA as pieces, each a view of the chunk it arrived in (frame level otherwise).
      cases.push({
        name: "httpwire, dataPieces",
        units: frames,
        bytes,
        run: () => {
          let n = 0;
          for (const chunks of inputs) {
            const d = new Dec({ joinFieldBlocks: false, dataPieces: true });
            for (let i = 0; i < chunks.length; i++) n += countFrames(d.push(chunks[i]!));
          }
          return n;
        },
      });
      // The default, which also assembles each field block (HEADERS + CONTINUATION) into one event.
      cases.push({
        name: "httpwire, joinFieldBlocks (default)",
        units: frames,
        bytes,
        run: () => {
          let n = 0;
          for (const chunks of inputs) {
            const d = new Dec();
            for (let i = 0; i < chunks.length; i++) n += countFrames(d.push(chunks[i]!));
          }
          return n;
        },
      });
    }
    cases.push({
      name: `node-http2 ${node.version}`,
      units: frames,
      bytes,
      run: () => {
        let n = 0;
        for (const chunks of inputs) {
          const feed = node.create(() => n++);
          for (let i = 0; i < chunks.length; i++) feed(chunks[i]!);
        }
        return n;
      },
    });
    cases.push({
      name: `spdy-transport ${spdy.version} (+hpack.js)`,
      units: frames,
      bytes,
      async: true,
      run: async () => {
        let n = 0;
        for (const chunks of inputs) await spdy.create(() => n++)(chunks);
        return n;
      },
    });
    for (const c of cases) {
      const n = (await c.run()) as number;
      if (n === frames - conts) continue; // field blocks joined: HEADERS + CONTINUATION as one object
      if (n !== frames)
        notes.push(
          `${c.name} (${label}) emitted ${fmtInt(n)} objects for ${fmtInt(frames)} frames${n > frames ? " (DATA delivered in pieces as chunks arrive)" : ""}.`,
        );
    }
    const res = await measureGroup(cases, opts);
    const hw = res.find((r) => r.name === "httpwire");
    const pieces = res.find((r) => r.name === "httpwire, dataPieces");
    const nodeRes = res.find((r) => r.name.startsWith("node-http2"))!;
    /** The median and spread (min..max) over rounds of the per-round ratio to node-http2. */
    const vsNodeText = (r: (typeof res)[number]) => {
      const rs = r.rates.map((x, i) => x / nodeRes.rates[i]!).sort((a, b) => a - b);
      return `${ratio(r, nodeRes).toFixed(2)}x (${rs[0]!.toFixed(2)}..${rs.at(-1)!.toFixed(2)})`;
    };
    if (hw && size === 0) {
      worstWhole = Math.min(worstWhole ?? Infinity, ratio(hw, nodeRes));
      wholeVsNode.push(`${label} ${vsNodeText(hw)}`);
    }
    if (pieces && size === 1_400) {
      worstChunk = Math.min(worstChunk ?? Infinity, ratio(pieces, nodeRes));
      chunkVsNode.push(`${label} ${vsNodeText(pieces)}`);
    }
    if (pieces) ratios[`http2.frames.${g.key}${size === 0 ? "whole" : size}.pieces.vs.node-http2`] = ratio(pieces, nodeRes);
    for (const r of res) {
      const x = hw ? ratio(hw, r) : undefined;
      rows.push([
        `${r.name}, ${label}`,
        fmtRate(r.unitsPerSec),
        `${fmtRate(r.unitsMin)}..${fmtRate(r.unitsMax)}`,
        r.mbPerSec.toFixed(0),
        x === undefined ? "n/a" : x.toFixed(2),
      ]);
      if (hw && r !== hw) {
        const key = r.name.startsWith("node-http2") ? "node-http2" : r.name.startsWith("spdy") ? "spdy-transport" : "other";
        if (key === "other") continue;
        ratios[`http2.frames.${g.key}${size === 0 ? "whole" : size}.vs.${key}`] = x!;
        if (key === "node-http2") {
          worstVsNode = Math.min(worstVsNode ?? Infinity, x!);
          vsNode.push(`${label} ${x!.toFixed(2)}x`);
        }
      }
    }
  }
  targets.push({
    name: "HTTP/2 frame decoding ≥ 5x node-http2's parser, default decoder (DATA gathered) at every chunking",
    ok: worstVsNode === undefined ? undefined : worstVsNode >= 5,
    detail: worstVsNode === undefined ? "httpwire not available" : `worst ${worstVsNode.toFixed(2)}x; ${vsNode.join(", ")}`,
  });
  targets.push({
    name: "HTTP/2 frame decoding of whole input ≥ 8x node-http2's parser (frame level)",
    ok: worstWhole === undefined ? undefined : worstWhole >= 8,
    detail: worstWhole === undefined ? "httpwire not available" : `worst ${worstWhole.toFixed(2)}x; ${wholeVsNode.join(", ")}`,
  });
  targets.push({
    name: "HTTP/2 frame decoding in 1,400-byte chunks ≥ 5x node-http2's parser (dataPieces)",
    ok: worstChunk === undefined ? undefined : worstChunk >= 5,
    detail: worstChunk === undefined ? "httpwire not available" : `worst ${worstChunk.toFixed(2)}x; ${chunkVsNode.join(", ")}`,
  });
  const text = [
    `Input: ${sessions.map((s) => `${s.source} (${fmtInt(s.frames)} frames)`).join(", ")}: ${fmtInt(frames)} frames, ${fmtInt(bytes)} bytes (${fmtInt(sessions.reduce((a, s) => a + s.dataBytes, 0))} DATA payload bytes). A fresh decoder per session per op.`,
    "",
    table(["decoder, input", "frames/s", "spread (min..max)", "MB/s", "httpwire ×"], rows),
    "",
    "- `httpwire, dataPieces` is the frame level with `dataPieces: true`: DATA reported as pieces, each a view of the chunk it arrived in, so a DATA frame that straddles chunks is never gathered; it counts one object per piece (so more objects than frames in chunks), and its rate still counts frames on the wire.",
    "- `httpwire` is the frame level (`joinFieldBlocks: false`), which is what node-http2's Deserializer does: every HEADERS and CONTINUATION frame returned as it is. `httpwire, joinFieldBlocks (default)` also assembles each field block into one event, as spdy-transport does. Rates count frames on the wire; `httpwire ×` compares with the frame-level row.",
    "- spdy-transport cannot parse without decompressing: its numbers include hpack.js on every header block and a `process.nextTick` per frame, as in production.",
    ...notes.map((n) => `- ${n}`),
  ].join("\n");
  return { title: "HTTP/2 frame decoding (RFC 9113)", text, ratios, targets };
}
