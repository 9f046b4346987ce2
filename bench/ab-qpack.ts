/**
 * A/B of two copies of `src/qpack` on the QIF corpus (capacity 4096, 100
 * blocked streams), in one process: each copy bundled by esbuild, encode
 * (acknowledgements replayed, as in bench/suites/qpack.ts) and decode (each
 * copy decodes the wire recorded from copy A) timed in interleaved rounds of
 * process CPU time, the order of A and B alternating per round (the copy
 * loaded first runs faster on this machine, so only swapped pairs count).
 *
 * ```sh
 * npx tsx bench/ab-qpack.ts /path/to/other/src [rounds] [roundMs]
 * ```
 * B is this checkout's `src/`; prints medians of per-round ratios B / A.
 */
import { mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { type Field, loadQifs, REPO_ROOT } from "./corpus.js";

type Fields = { name: string; value: string }[];
interface Enc {
  encodeFieldSection(id: number, f: Field[]): Uint8Array;
  drainEncoderStream(): Uint8Array;
  onDecoderStream(b: Uint8Array): void;
}
interface Dec {
  onEncoderStream(b: Uint8Array): { fields: Fields }[];
  decodeFieldSection(id: number, b: Uint8Array): { fields?: Fields };
  drainDecoderStream(): Uint8Array;
}
/** The two classes the A/B uses, from a bundled `src/qpack`. */
interface Mod {
  QpackEncoder: new (o: Record<string, number>) => Enc;
  QpackDecoder: new (o: Record<string, number>) => Dec;
}

async function bundle(srcDir: string, tag: string): Promise<Mod> {
  const esbuild = (await import("esbuild")) as { build(o: Record<string, unknown>): Promise<unknown> };
  const outdir = join(tmpdir(), "httpwire-ab-qpack", String(process.pid));
  mkdirSync(outdir, { recursive: true });
  const outfile = join(outdir, `${tag}.mjs`);
  await esbuild.build({
    entryPoints: [join(srcDir, "qpack", "index.ts")],
    bundle: true,
    format: "esm",
    platform: "neutral",
    target: "es2022",
    outfile,
    logLevel: "silent",
  });
  return (await import(pathToFileURL(outfile).href)) as unknown as Mod;
}

const CAP = 4096;
const BLOCKED = 100;
const { qifs } = loadQifs();
const fields = qifs.reduce((a, q) => a + q.sections.reduce((x, s) => x + s.length, 0), 0);

interface Rec {
  stream: number;
  data: Uint8Array;
}

/** Reference pass: encode, decode with the same copy, record feedback and wire. */
function reference(m: Mod, cap = CAP): { bytes: number; fb: Uint8Array[][]; wire: Rec[][] } {
  let bytes = 0;
  const fb: Uint8Array[][] = [];
  const wire: Rec[][] = [];
  for (const q of qifs) {
    const e = new m.QpackEncoder({ maxTableCapacity: cap, maxBlockedStreams: BLOCKED, tableCapacity: cap });
    const d = new m.QpackDecoder({ maxTableCapacity: cap, maxBlockedStreams: BLOCKED });
    const f: Uint8Array[] = [];
    const w: Rec[] = [];
    q.sections.forEach((s: Field[], i: number) => {
      const sec = e.encodeFieldSection(i + 1, s).slice();
      const es = e.drainEncoderStream().slice();
      bytes += sec.length + es.length;
      w.push({ stream: 0, data: es }, { stream: i + 1, data: sec });
      const got: Fields[] = [];
      if (es.length > 0) for (const u of d.onEncoderStream(es)) got.push(u.fields);
      const r = d.decodeFieldSection(i + 1, sec);
      if (r.fields) got.push(r.fields);
      if (got.length !== 1 || got[0]!.length !== s.length || got[0]!.some((x, k) => x.name !== s[k]!.name || x.value !== s[k]!.value))
        throw new Error(`round trip failed, ${q.name} section ${i + 1}`);
      const ack = d.drainDecoderStream().slice();
      f.push(ack);
      if (ack.length > 0) e.onDecoderStream(ack);
    });
    fb.push(f);
    wire.push(w);
  }
  return { bytes, fb, wire };
}

function encodePass(m: Mod, fb: Uint8Array[][]): number {
  let n = 0;
  for (let qi = 0; qi < qifs.length; qi++) {
    const e = new m.QpackEncoder({ maxTableCapacity: CAP, maxBlockedStreams: BLOCKED, tableCapacity: CAP });
    const secs = qifs[qi]!.sections;
    const f = fb[qi]!;
    for (let i = 0; i < secs.length; i++) {
      n += e.encodeFieldSection(i + 1, secs[i]!).length;
      e.drainEncoderStream();
      if (f[i]!.length > 0) e.onDecoderStream(f[i]!);
    }
  }
  return n;
}

function decodePass(m: Mod, wire: Rec[][]): number {
  let n = 0;
  for (const w of wire) {
    const d = new m.QpackDecoder({ maxTableCapacity: CAP, maxBlockedStreams: BLOCKED });
    for (const r of w) {
      if (r.stream === 0) {
        for (const u of d.onEncoderStream(r.data)) n += u.fields.length;
      } else {
        const res = d.decodeFieldSection(r.stream, r.data);
        if (res.fields) n += res.fields.length;
      }
      d.drainDecoderStream();
    }
  }
  return n;
}

const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** Fields per ms over a round of at least `ms` CPU ms. */
function round(fn: () => number, ms: number): number {
  const t0 = cpu();
  let passes = 0;
  let t = t0;
  do {
    fn();
    passes++;
    t = cpu();
  } while (t - t0 < ms);
  return (passes * fields) / (t - t0);
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1]!;
};

async function main() {
  const prof = process.env.AB_PROFILE;
  if (prof === "bytes") {
    // Encoded bytes of this checkout's src at each capacity of the suite's table.
    const B = await bundle(join(REPO_ROOT, "src"), "b");
    const caps = [0, 256, 512, 1024, 2048, 4096, 8192, 16384];
    console.log(caps.map((c) => `${c}: ${reference(B, c).bytes}`).join("  "));
    return;
  }
  if (prof === "encode" || prof === "decode") {
    // One copy alone for `node --cpu-prof`: this checkout's src, 3 s CPU.
    const B = await bundle(join(REPO_ROOT, "src"), "b");
    const rb = reference(B);
    const fn = prof === "encode" ? () => encodePass(B, rb.fb) : () => decodePass(B, rb.wire);
    console.log(`${prof}: ${(round(fn, 3000) / 1000).toFixed(2)} M fields/s`);
    return;
  }
  const other = resolve(process.argv[2] ?? "");
  const rounds = Number(process.argv[3] ?? 9);
  const ms = Number(process.argv[4] ?? 150);
  const A = await bundle(other, "a");
  const B = await bundle(join(REPO_ROOT, "src"), "b");
  const ra = reference(A);
  const rb = reference(B);
  console.log(`bytes at ${CAP}: A ${ra.bytes}, B ${rb.bytes}`);
  if (process.env.AB_BYTES) {
    for (const cap of [0, 256, 512, 1024, 2048, 4096, 8192, 16384])
      console.log(`  capacity ${cap}: A ${reference(A, cap).bytes}, B ${reference(B, cap).bytes}`);
  }
  const ops: [string, () => number, () => number][] = [
    ["encode", () => encodePass(A, ra.fb), () => encodePass(B, rb.fb)],
    ["decode", () => decodePass(A, ra.wire), () => decodePass(B, ra.wire)],
  ];
  for (const [, a, b] of ops) {
    round(a, 300);
    round(b, 300);
  }
  for (const [name, a, b] of ops) {
    const ratios: number[] = [];
    const as: number[] = [];
    const bs: number[] = [];
    for (let r = 0; r < rounds; r++) {
      let x: number;
      let y: number;
      if (r % 2 === 0) {
        x = round(a, ms);
        y = round(b, ms);
      } else {
        y = round(b, ms);
        x = round(a, ms);
      }
      as.push(x);
      bs.push(y);
      ratios.push(y / x);
    }
    console.log(
      `${name}: B/A ${median(ratios).toFixed(3)} (${Math.min(...ratios).toFixed(2)}..${Math.max(...ratios).toFixed(2)}); A ${(median(as) / 1000).toFixed(2)} M/s, B ${(median(bs) / 1000).toFixed(2)} M/s`,
    );
  }
}

await main();
