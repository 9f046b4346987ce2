/**
 * A/B of two copies of httpwire's `src/` on the HPACK workload of bench/suites/hpack.ts, in
 * one process, single passes of A and B alternated (the order swapped every pair)
 * (the first-loaded copy can run up to 40% faster on a shared machine, so
 * only order-swapped pairs are trusted; see docs/performance.md "Method").
 *
 * ```sh
 * cp -r src /tmp/ab-main-src   # (from main, before the change)
 * npx tsx bench/ab.ts --a=/tmp/ab-main-src --b=src --suite=hpack-encode
 * npx tsx bench/ab.ts --a=src --b=src --suite=hpack-decode   # A/A: the noise floor
 * ```
 *
 * Two child processes measure, one loading A's bundle first and one B's (the
 * copy loaded first can run faster), and the report combines both.
 * Options: `--a=DIR --b=DIR` (each a `src/` directory; default b = ./src),
 * `--suite=hpack-encode|hpack-decode|hpack-decode-bytes` (a comma list;
 * default the first two; `-bytes` decodes with `{ bytes: true }`), `--rounds=N` (default 9),
 * `--round-ms=N` CPU milliseconds per side per round (default 150).
 * Prints, per suite, the median of the per-round ratios B/A (above 1: B is
 * faster) with the range, and each side's median fields/s.
 *
 * Each side is bundled by esbuild (one ES module, as tsup builds `dist/`),
 * and timed with this process's CPU time, as bench/run.ts does. Before any
 * timing, both sides' encoders are checked to produce blocks the other
 * side's decoder turns back into the corpus lists.
 */
import { join, resolve } from "node:path";
import { type Field, loadHpackCorpus, REPO_ROOT } from "./corpus.js";
import { importBundleOf, type Mod } from "./httpwire.js";

type Ctor = new (
  opts?: Record<string, unknown>,
) => { encode(l: Field[]): Uint8Array; decode(b: Uint8Array): { name: unknown; value: unknown }[] };

function arg(name: string, dflt: string): string {
  const a = process.argv.find((x) => x.startsWith(`--${name}=`));
  return a === undefined ? dflt : a.slice(name.length + 3);
}

function bundle(srcDir: string, module: string, tag: string): Promise<Mod> {
  return importBundleOf(srcDir, module, "httpwire-ab", `${tag}-${module}`);
}

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

let sink = 0;

/**
 * One round: single passes of A and B alternated (ABBA...), each timed on
 * its own, until each side has run `ms` of CPU time; returns both sides'
 * passes per second. Alternating per pass (a few ms) rather than per round
 * makes a burst of load from other processes fall on both sides alike.
 */
function round(pa: () => number, pb: () => number, ms: number): [number, number] {
  let ta = 0;
  let tb = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; ta < ms || tb < ms || na < 2 || nb < 2; i++) {
    const aFirst = (i & 1) === 0;
    for (let k = 0; k < 2; k++) {
      const t0 = cpuMs();
      if (aFirst === (k === 0)) {
        sink += pa();
        ta += cpuMs() - t0;
        na++;
      } else {
        sink += pb();
        tb += cpuMs() - t0;
        nb++;
      }
    }
  }
  return [(na * 1000) / ta, (nb * 1000) / tb];
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

interface Work {
  /** Fields per pass. */
  units: number;
  pass(m: Mod): () => number;
  check?(a: Mod, b: Mod): void;
}

function sameLists(got: { name: unknown; value: unknown }[], want: Field[], what: string): void {
  if (got.length !== want.length) throw new Error(`${what}: ${got.length} fields, expected ${want.length}`);
  for (let i = 0; i < want.length; i++) {
    if (got[i]!.name !== want[i]!.name || got[i]!.value !== want[i]!.value) throw new Error(`${what}: field ${i} differs`);
  }
}

function hpackWork(kind: "encode" | "decode", bytes: boolean): Work {
  const corpus = loadHpackCorpus();
  const stories = corpus.stories;
  const haveWire = stories.every((s) => s.nghttp2Wire !== undefined);
  const encodeAll = (m: Mod) =>
    stories.map((s) => {
      const e = new (m.HpackEncoder as Ctor)();
      return s.lists.map((l) => (e.encode(l) as Uint8Array).slice());
    });
  const decodeAll = (m: Mod, wire: Uint8Array[][], what: string) =>
    stories.forEach((s, si) => {
      const d = new (m.HpackDecoder as Ctor)();
      s.lists.forEach((l, li) => {
        sameLists(d.decode(wire[si]![li]!) as Field[], l, `${what} ${s.name} #${li}`);
      });
    });
  return {
    units: corpus.fields,
    check(a, b) {
      const wa = encodeAll(a);
      const wb = encodeAll(b);
      decodeAll(a, wb, "B's encoding decoded by A");
      decodeAll(b, wa, "A's encoding decoded by B");
      const size = (w: Uint8Array[][]) => w.reduce((x, bs) => bs.reduce((y, bl) => y + bl.length, x), 0);
      if (kind === "encode") console.log(`encoded bytes: A ${size(wa)}, B ${size(wb)}`);
    },
    pass(m) {
      // Each side gets its own copy of the loop (a fresh function from its
      // source text), so the two never share inline caches or inlining
      // decisions: with one shared closure literal, an A/A run measured the
      // second side 0.83x.
      if (kind === "encode") {
        const loop = new Function(
          "Enc",
          "stories",
          `return () => {
            let n = 0;
            for (const s of stories) {
              const e = new Enc();
              for (const l of s.lists) n += e.encode(l).length;
            }
            return n;
          };`,
        ) as (e: unknown, s: unknown) => () => number;
        return loop(m.HpackEncoder, stories);
      }
      const wire = haveWire ? stories.map((s) => s.nghttp2Wire!) : encodeAll(m);
      const loop = new Function(
        "Dec",
        "wire",
        "opts",
        `return () => {
          let n = 0;
          for (let si = 0; si < wire.length; si++) {
            const d = new Dec(opts);
            const blocks = wire[si];
            for (let i = 0; i < blocks.length; i++) n += d.decode(blocks[i]).length;
          }
          return n;
        };`,
      ) as (d: unknown, w: unknown, o: unknown) => () => number;
      return loop(m.HpackDecoder, wire, bytes ? { bytes: true } : undefined);
    },
  };
}

/** One process's measurement: `first` bundled and loaded first. Prints one JSON line per suite. */
async function child(first: string, second: string, firstIs: "A" | "B", suites: string[], rounds: number, roundMs: number): Promise<void> {
  for (const suite of suites) {
    const [module, kind, form] = suite.split("-") as [string, "encode" | "decode", string | undefined];
    if (module !== "hpack" || (form !== undefined && (form !== "bytes" || kind !== "decode"))) {
      throw new Error(`unknown suite ${suite} (hpack-encode, hpack-decode, hpack-decode-bytes)`);
    }
    const m1 = await bundle(first, module, "first");
    const m2 = await bundle(second, module, "second");
    const [ma, mb] = firstIs === "A" ? [m1, m2] : [m2, m1];
    const work = hpackWork(kind, form === "bytes");
    work.check?.(ma, mb);
    const pa = work.pass(ma);
    const pb = work.pass(mb);
    round(pa, pb, 300);
    const ratios: number[] = [];
    const ra: number[] = [];
    const rb: number[] = [];
    for (let r = 0; r < rounds; r++) {
      const [x, y] = round(pa, pb, roundMs);
      ra.push(x * work.units);
      rb.push(y * work.units);
      ratios.push(y / x);
    }
    console.log(JSON.stringify({ suite, ratios, a: median(ra), b: median(rb) }));
  }
  if (sink === -1) console.log("");
}

/**
 * Runs two child processes, one loading A first and one loading B first
 * (the copy loaded first can run faster: an A/A run measured the second
 * 0.83x), and combines them: the median of all per-round ratios of both.
 */
async function main(): Promise<void> {
  const a = resolve(arg("a", join(REPO_ROOT, "src")));
  const b = resolve(arg("b", join(REPO_ROOT, "src")));
  const suites = arg("suite", "hpack-encode,hpack-decode").split(",");
  const rounds = Number(arg("rounds", "9"));
  const roundMs = Number(arg("round-ms", "150"));
  const childArg = process.argv.find((x) => x.startsWith("--child="));
  if (childArg !== undefined) {
    const firstIs = childArg.slice(8) as "A" | "B";
    await child(firstIs === "A" ? a : b, firstIs === "A" ? b : a, firstIs, suites, rounds, roundMs);
    return;
  }
  console.log(
    `A = ${a}\nB = ${b}\n${rounds} rounds of ${roundMs} ms CPU per side per process, A and B alternated pass by pass; two processes (A loaded first, B loaded first); ratio = B / A`,
  );
  const { execFileSync } = await import("node:child_process");
  const runs = (["A", "B"] as const).map((firstIs) => {
    const out = execFileSync(process.execPath, [...process.execArgv, process.argv[1]!, ...process.argv.slice(2), `--child=${firstIs}`], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
    });
    return out
      .split("\n")
      .filter((l) => l.startsWith("{"))
      .map((l) => JSON.parse(l) as { suite: string; ratios: number[]; a: number; b: number });
  });
  const fmt = (v: number) => `${(v / 1e6).toFixed(2)} M`;
  const range = (xs: number[]) => `${Math.min(...xs).toFixed(2)}..${Math.max(...xs).toFixed(2)}`;
  for (const suite of suites) {
    const [ra, rb] = runs.map((r) => r.find((x) => x.suite === suite)!);
    const all = [...ra!.ratios, ...rb!.ratios];
    console.log(
      `${suite}: B/A ${median(all).toFixed(3)} (${range(all)}); A loaded first ${median(ra!.ratios).toFixed(3)} (${range(ra!.ratios)}), ` +
        `B loaded first ${median(rb!.ratios).toFixed(3)} (${range(rb!.ratios)}); A ${fmt((ra!.a + rb!.a) / 2)} fields/s, B ${fmt((ra!.b + rb!.b) / 2)} fields/s`,
    );
  }
}

await main();
