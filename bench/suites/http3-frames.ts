/**
 * HTTP/3 frame decoding (RFC 9114 §7): httpwire on a synthesised request
 * stream (SETTINGS, then HEADERS, DATA of mixed sizes and grease frames),
 * whole and in network-sized chunks, next to the floor: a plain loop that
 * only walks the type and length varints and skips each payload. No
 * JavaScript HTTP/3 framer is installed to compare with.
 */
import { type BenchOptions, type Case, fmtInt, fmtRate, measureGroup, ratio, table } from "../harness.js";
import { loadModule } from "../httpwire.js";
import type { SuiteReport } from "../report.js";
import { chunked, synthesiseHttp3Frames } from "../sessions.js";

type Ctor<T> = new (opts?: Record<string, unknown>) => T;
interface HwH3Decoder {
  push(chunk: Uint8Array): unknown[] | Iterable<unknown>;
}

/** Frames completed in a batch of events: whole frames, plus DATA frames at their last piece. */
function count(r: unknown[] | Iterable<unknown>): number {
  let n = 0;
  for (const e of r as Iterable<{ type?: string; end?: boolean }>) {
    if (e.type === "data") {
      if (e.end === true) n++;
    } else if (e.type !== "data-start") n++;
  }
  return n;
}

/** Walks frames: reads the type and length varints, skips the payload. */
function floorWalk(b: Uint8Array): number {
  let pos = 0;
  let n = 0;
  const end = b.length;
  while (pos < end) {
    for (let k = 0; k < 2; k++) {
      const first = b[pos]!;
      const len = 1 << (first >> 6);
      let v = first & 0x3f;
      for (let i = 1; i < len; i++) v = v * 256 + b[pos + i]!;
      pos += len;
      if (k === 1) pos += v;
    }
    n++;
  }
  return n;
}

export async function http3FramesSuite(opts: BenchOptions): Promise<SuiteReport> {
  const s = synthesiseHttp3Frames();
  const mod = await loadModule("http3");
  const notes: string[] = [];
  const ratios: Record<string, number> = {};
  const Dec = (mod?.Http3FrameDecoder ?? mod?.FrameDecoder) as Ctor<HwH3Decoder> | undefined;
  if (!Dec) notes.push("httpwire HTTP/3 frame decoder not measured: not available yet (Http3FrameDecoder).");
  if (floorWalk(s.bytes) !== s.frames) throw new Error("floor walk miscounted the synthesised frames");
  const rows: string[][] = [];
  // The floor walks the whole buffer once; it is timed beside each chunking so every group has its reference.
  for (const size of [0, 16_384, 1_400]) {
    const label = size === 0 ? "whole" : `${fmtInt(size)}-byte chunks`;
    const chunks = size === 0 ? [s.bytes] : chunked(s.bytes, size);
    const cases: Case[] = [];
    if (Dec) {
      cases.push({
        name: "httpwire",
        units: s.frames,
        bytes: s.bytes.length,
        run: () => {
          const d = new Dec();
          let n = 0;
          for (let i = 0; i < chunks.length; i++) n += count(d.push(chunks[i]!));
          return n;
        },
      });
    }
    cases.push({
      name: "floor (whole buffer): walk varints, skip payloads",
      units: s.frames,
      bytes: s.bytes.length,
      run: () => floorWalk(s.bytes),
    });
    const res = await measureGroup(cases, opts);
    const floor = res.find((r) => r.name.startsWith("floor"))!;
    for (const r of res) {
      rows.push([
        r === floor ? r.name : `${r.name}, ${label}`,
        fmtRate(r.unitsPerSec),
        `${fmtRate(r.unitsMin)}..${fmtRate(r.unitsMax)}`,
        r.mbPerSec.toFixed(0),
        ratio(r, floor).toFixed(2),
      ]);
      if (r !== floor) ratios[`http3.frames.${size === 0 ? "whole" : size}.vs.floor`] = ratio(r, floor);
    }
  }
  const text = [
    `Input: ${s.source}, ${fmtInt(s.bytes.length)} bytes (${fmtInt(s.dataBytes)} DATA payload bytes). The floor always reads the whole buffer.`,
    "",
    table(["decoder, input", "frames/s", "spread (min..max)", "MB/s", "× floor"], rows),
    ...(notes.length ? ["", ...notes.map((n) => `- ${n}`)] : []),
  ].join("\n");
  return { title: "HTTP/3 frame decoding (RFC 9114)", text, ratios, targets: [] };
}
