/**
 * Child process for the memory suite: measures bytes allocated per decoded
 * field for one decoder. Run as
 *   node --expose-gc --min-semi-space-size=64 --max-semi-space-size=64 --import tsx bench/memory-probe.ts <probe>
 * and prints one JSON line.
 *
 * Method: V8 keeps no cumulative "bytes allocated" counter, so the probe
 * makes the young generation large (64 MiB semi-spaces) and measures a pass
 * short enough that no garbage collection runs inside it: after warm-up
 * passes (so JIT code and inline caches exist), `gc()`, read
 * `used_heap_size + external_memory`, run one pass over the corpus, read
 * again. With no collection in between, the growth is exactly what the pass
 * allocated (kept or not). Heap use is sampled after every story; if it ever
 * drops, a collection ran and the sample is discarded. Median of the kept
 * samples, divided by the fields decoded.
 */
import v8 from "node:v8";
import { loadHpackCorpus, loadQifs, readQifOut } from "./corpus.js";
import { loadModule } from "./httpwire.js";
import { type HpackPeer, hpackPeers } from "./peers.js";
import { httpwireHpack } from "./suites/hpack.js";

declare const gc: () => void;

function used(): number {
  const h = v8.getHeapStatistics();
  return h.used_heap_size + h.external_memory;
}

/** One pass: an array of steps (each a story or a file); returns fields decoded. */
type Pass = Array<() => number>;

function measure(pass: Pass, samples: number): { perPass: number; fields: number; kept: number } {
  let fields = 0;
  for (let w = 0; w < 5; w++) for (const step of pass) fields = step();
  const deltas: number[] = [];
  fields = 0;
  for (let s = 0; s < samples; s++) {
    gc();
    gc();
    const h0 = used();
    let prev = h0;
    let clean = true;
    let n = 0;
    for (const step of pass) {
      n += step();
      const h = used();
      if (h < prev) clean = false;
      prev = h;
    }
    fields = n;
    if (clean) deltas.push(prev - h0);
  }
  deltas.sort((a, b) => a - b);
  const med = deltas.length ? deltas[deltas.length >> 1]! : NaN;
  return { perPass: med, fields, kept: deltas.length };
}

async function hpackPass(peer: HpackPeer): Promise<Pass> {
  const corpus = loadHpackCorpus();
  return corpus.stories.map((s) => {
    const wire =
      s.nghttp2Wire ??
      (() => {
        const c = peer.create();
        return s.lists.map((l) => c.encode(l).slice());
      })();
    return () => {
      const c = peer.create();
      let n = 0;
      for (const b of wire) n += c.decode(b).length;
      return n;
    };
  });
}

async function qpackPass(): Promise<Pass | undefined> {
  const mod = await loadModule("qpack");
  const Dec = mod?.QpackDecoder as
    | (new (
        o: object,
      ) => {
        onEncoderStream(b: Uint8Array): { fields: unknown[] }[];
        decodeFieldSection(id: number, b: Uint8Array): { fields?: unknown[] };
        drainDecoderStream(): Uint8Array;
      })
    | undefined;
  if (!Dec) return undefined;
  const files = loadQifs().qifs.map((q) => readQifOut(`nghttp3/${q.name}.out.4096.100.1`));
  if (!files.every((f) => f !== undefined)) return undefined;
  return files.map((recs) => () => {
    const d = new Dec({ maxTableCapacity: 4096, maxBlockedStreams: 100, initialTableCapacity: 4096 });
    let n = 0;
    for (const r of recs!) {
      if (r.streamId === 0) for (const u of d.onEncoderStream(r.data)) n += u.fields.length;
      else n += d.decodeFieldSection(r.streamId, r.data).fields?.length ?? 0;
      d.drainDecoderStream();
    }
    return n;
  });
}

async function main(): Promise<void> {
  const probe = process.argv[2] ?? "";
  let pass: Pass | undefined;
  if (probe === "qpack:httpwire") pass = await qpackPass();
  else if (probe.startsWith("hpack:")) {
    const name = probe.slice(6);
    const peer = name === "httpwire" ? await httpwireHpack([]) : hpackPeers().find((p) => p.name === name);
    if (peer) pass = await hpackPass(peer);
  }
  if (!pass) {
    console.log(JSON.stringify({ probe, error: "not available" }));
    return;
  }
  const r = measure(pass, 7);
  console.log(JSON.stringify({ probe, bytesPerField: r.perPass / r.fields, fields: r.fields, samplesKept: r.kept }));
}

void main();
