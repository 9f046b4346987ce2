/**
 * QUIC varints (RFC 9000 §16): decode and encode, next to the floor, a
 * plain loop that only touches the same bytes (reads and sums them for
 * decode; stores them for encode). The distance to the floor is the cost of
 * the varint logic itself.
 */

import { takeVarint } from "../../src/quic/varint.js";
import { prng } from "../corpus.js";
import { type BenchOptions, type Case, fmtInt, fmtRate, measureGroup, ratio, table } from "../harness.js";
import { loadModule, pick } from "../httpwire.js";
import type { SuiteReport } from "../report.js";
import { writeVarint as refWrite } from "../sessions.js";

interface Cursor {
  buf: Uint8Array;
  pos: number;
  end: number;
}

/** Values with the length mix of real QUIC traffic: mostly 1 and 2 bytes, some 4, a few 8. */
function values(n: number): number[] {
  const rnd = prng(3);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const k = rnd();
    if (k < 0.4) out.push(Math.floor(rnd() * 64));
    else if (k < 0.7) out.push(64 + Math.floor(rnd() * (16384 - 64)));
    else if (k < 0.95) out.push(16384 + Math.floor(rnd() * (2 ** 30 - 16384)));
    else out.push(2 ** 30 + Math.floor(rnd() * (2 ** 53 - 2 ** 30)));
  }
  return out;
}

export async function varintSuite(opts: BenchOptions): Promise<SuiteReport> {
  const N = 100_000;
  const vals = values(N);
  const bytesArr: number[] = [];
  for (const v of vals) refWrite(bytesArr, v);
  const wire = Uint8Array.from(bytesArr);
  const out = new Uint8Array(wire.length + 8);
  const missing: string[] = [];
  const m = pick(await loadModule("quic"), ["readVarint", "writeVarint"] as const, missing);
  const notes: string[] = [];
  const dec: Case[] = [];
  const enc: Case[] = [];
  if (m) {
    // The cursor reader is internal (it returns sentinels); it is the hot path the decoders use.
    const cursorRead = takeVarint as (c: Cursor) => number;
    const readVarint = m.readVarint as (b: Uint8Array, o: number) => { status: string; value?: number | bigint; length?: number };
    const writeVarint = m.writeVarint as (v: number, b: Uint8Array, o: number) => number;
    // Correctness before timing.
    const c: Cursor = { buf: wire, pos: 0, end: wire.length };
    for (let i = 0; i < N; i++) if (cursorRead(c) !== vals[i]) throw new Error(`takeVarint disagrees at value ${i}`);
    let p = 0;
    for (let i = 0; i < N; i++) p = writeVarint(vals[i]!, out, p);
    if (p !== wire.length || out.subarray(0, p).some((b, i) => b !== wire[i]))
      throw new Error("writeVarint output differs from the minimal encoding");
    dec.push({
      name: "httpwire takeVarint(cursor)",
      units: N,
      bytes: wire.length,
      run: () => {
        const cur: Cursor = { buf: wire, pos: 0, end: wire.length };
        let s = 0;
        while (cur.pos < cur.end) s += cursorRead(cur);
        return s;
      },
    });
    dec.push({
      name: "httpwire readVarint(bytes, offset)",
      units: N,
      bytes: wire.length,
      run: () => {
        let pos = 0;
        let s = 0;
        while (pos < wire.length) {
          const r = readVarint(wire, pos);
          s += r.value as number;
          pos += r.length!;
        }
        return s;
      },
    });
    enc.push({
      name: "httpwire writeVarint(value, bytes, offset)",
      units: N,
      bytes: wire.length,
      run: () => {
        let pos = 0;
        for (let i = 0; i < N; i++) pos = writeVarint(vals[i]!, out, pos);
        return pos;
      },
    });
  } else notes.push(`httpwire varints not measured: not available yet (${missing.join(", ")}).`);
  dec.push({
    name: "floor: read and sum the same bytes",
    units: N,
    bytes: wire.length,
    run: () => {
      let s = 0;
      for (let i = 0; i < wire.length; i++) s += wire[i]!;
      return s;
    },
  });
  enc.push({
    name: "floor: store the same bytes",
    units: N,
    bytes: wire.length,
    run: () => {
      for (let i = 0; i < wire.length; i++) out[i] = wire[i]!;
      return out[0];
    },
  });
  const dr = await measureGroup(dec, opts);
  const er = await measureGroup(enc, opts);
  const ratios: Record<string, number> = {};
  const rows = [...dr.map((r) => ["decode", r] as const), ...er.map((r) => ["encode", r] as const)].map(([k, r]) => {
    const floor = (k === "decode" ? dr : er).find((x) => x.name.startsWith("floor"))!;
    if (!r.name.startsWith("floor")) ratios[`varint.${k}.${r.name.split(" ")[1]!.replace(/\(.*/, "")}.vs.floor`] = ratio(r, floor);
    return [
      `${k}: ${r.name}`,
      fmtRate(r.unitsPerSec),
      `${fmtRate(r.unitsMin)}..${fmtRate(r.unitsMax)}`,
      r.mbPerSec.toFixed(0),
      ratio(r, floor).toFixed(2),
    ];
  });
  const text = [
    `Input: ${fmtInt(N)} values (40% 1-byte, 30% 2-byte, 25% 4-byte, 5% 8-byte below 2^53), ${fmtInt(wire.length)} bytes.`,
    "",
    table(["operation", "values/s", "spread (min..max)", "MB/s", "× floor"], rows),
    ...notes.map((n) => `- ${n}`),
  ].join("\n");
  return { title: "QUIC varints (RFC 9000 §16)", text, ratios, targets: [] };
}
