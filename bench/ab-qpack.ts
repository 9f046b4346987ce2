/**
 * A/B of two copies of `src/qpack` on the QIF corpus (capacity 4096, 100
 * blocked streams), in one process: each copy bundled by esbuild, encode
 * (acknowledgements replayed) and decode (both copies decode the wire
 * recorded from copy A) timed exactly as bench/suites/qpack.ts times them,
 * in interleaved rounds of process CPU time with the order of A and B
 * alternating per round (the copy loaded first runs faster on this machine,
 * so only swapped pairs count).
 *
 * ```sh
 * npx tsx bench/ab-qpack.ts /path/to/other/src [rounds] [roundMs]
 * AB_PROFILE=bytes npx tsx bench/ab-qpack.ts            # this src: bytes per capacity
 * AB_PROFILE=encode node --import tsx --cpu-prof bench/ab-qpack.ts   # or decode
 * ```
 * B is this checkout's `src/`; prints medians of per-round ratios B / A.
 */
import { join, resolve } from "node:path";
import { loadQifs, REPO_ROOT } from "./corpus.js";
import { importBundleOf, type Mod } from "./httpwire.js";
import { type Ctor, encoderAdapter, type HwQpackDecoder, referencePass, replay } from "./suites/qpack.js";

const CAPACITIES = [0, 256, 512, 1024, 2048, 4096, 8192, 16384];
const { qifs } = loadQifs();
const fields = qifs.reduce((a, q) => a + q.sections.reduce((x, s) => x + s.length, 0), 0);

/** One bundled copy: its reference pass at 4096 and the two timed passes. */
function side(mod: Mod) {
  const makeEnc = encoderAdapter(mod, [])!;
  const Dec = mod.QpackDecoder as Ctor<HwQpackDecoder>;
  const ref = referencePass(makeEnc, Dec, qifs, 4096);
  const encode = () => {
    let n = 0;
    for (let qi = 0; qi < qifs.length; qi++) {
      const e = makeEnc();
      const secs = qifs[qi]!.sections;
      const fb = ref.feedback[qi]!;
      for (let i = 0; i < secs.length; i++) {
        n += e.encode(i + 1, secs[i]!).section.length;
        if (fb[i]!.length > 0) e.onDecoderStream(fb[i]!);
      }
    }
    return n;
  };
  const decode = (wire = ref.wire) => wire.reduce((a, f) => a + replay(Dec, f), 0);
  return { makeEnc, Dec, ref, encode, decode };
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

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

async function main() {
  // A (the other copy) is loaded first when there is one: the copy loaded
  // second runs up to 17-20% slower in one process (perf-hpack's A/A runs),
  // so that bias works against this checkout's changes, never for them.
  const prof = process.env.AB_PROFILE;
  const A = prof === undefined ? side(await importBundleOf(resolve(process.argv[2] ?? ""), "qpack", "httpwire-ab-qpack", "a")) : undefined;
  const B = side(await importBundleOf(join(REPO_ROOT, "src"), "qpack", "httpwire-ab-qpack", "b"));
  if (prof === "bytes") {
    console.log(CAPACITIES.map((c) => `${c}: ${referencePass(B.makeEnc, B.Dec, qifs, c).bytes}`).join("  "));
    return;
  }
  if (prof === "encode" || prof === "decode") {
    // This checkout's copy alone, 3 s of CPU, for `node --cpu-prof`.
    const fn = prof === "encode" ? B.encode : () => B.decode();
    console.log(`${prof}: ${(round(fn, 3000) / 1000).toFixed(2)} M fields/s`);
    return;
  }
  if (A === undefined) throw new Error(`unknown AB_PROFILE ${prof}`);
  const rounds = Number(process.argv[3] ?? 9);
  const ms = Number(process.argv[4] ?? 150);
  console.log(`bytes at 4096: A ${A.ref.bytes}, B ${B.ref.bytes}`);
  const ops: [string, () => number, () => number][] = [
    ["encode", A.encode, B.encode],
    ["decode", () => A.decode(), () => B.decode(A.ref.wire)],
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
      const first = r % 2 === 0;
      const x = first ? round(a, ms) : 0;
      const y = round(b, ms);
      const x2 = first ? x : round(a, ms);
      as.push(x2);
      bs.push(y);
      ratios.push(y / x2);
    }
    const lo = Math.min(...ratios).toFixed(2);
    const hi = Math.max(...ratios).toFixed(2);
    console.log(
      `${name}: B/A ${median(ratios).toFixed(3)} (${lo}..${hi}); A ${(median(as) / 1000).toFixed(2)} M/s, B ${(median(bs) / 1000).toFixed(2)} M/s`,
    );
  }
}

await main();
