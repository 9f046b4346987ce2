/**
 * The C anchors: nghttp2's HPACK and nghttp3's QPACK, built from Debian's
 * dev packages (`libnghttp2-dev` 1.52, `libnghttp3-dev` 0.8) and measured in
 * the same run as httpwire, their rounds interleaved with httpwire's.
 *
 * Build: `cc -O2 bench/c/<anchor>.c -l<lib>` into a temporary directory named
 * after a hash of the sources (so a run builds once, and a changed source
 * rebuilds). When a header is missing and we run as root with `apt-get`, the
 * dev packages are installed first; otherwise the anchor is skipped and the
 * reason is returned, to be printed as a line of the report.
 *
 * Inputs go to temporary files in two simple big-endian formats that
 * `bench/c/common.h` reads:
 * - corpus: u32 stories; per story u32 lists; per list u32 fields; per field
 *   u32 name length, name octets, u32 value length, value octets;
 * - recordings: u32 files; per file u32 records; per record u32 stream
 *   (0 = QPACK encoder stream), u32 length, octets.
 *
 * Each C program prints one JSON line: `{"unitsPerPass", "bytes", "rates"}`
 * (fields per pass, encoded or input bytes, fields/s per round), timed with
 * `CLOCK_PROCESS_CPUTIME_ID`, the clock the JavaScript side uses.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { latin1Encode } from "../../src/shared/latin1.js";
import type { Field } from "../corpus.js";
import { REPO_ROOT } from "../corpus.js";

const C_DIR = join(REPO_ROOT, "bench", "c");

/** One anchor: the library it links, its header, and the Debian package that provides both. */
const ANCHORS = {
  nghttp2: { source: "hpack-nghttp2.c", lib: "nghttp2", header: "/usr/include/nghttp2/nghttp2.h", pkg: "libnghttp2-dev" },
  nghttp3: { source: "qpack-nghttp3.c", lib: "nghttp3", header: "/usr/include/nghttp3/nghttp3.h", pkg: "libnghttp3-dev" },
} as const;

export type AnchorName = keyof typeof ANCHORS;

/** A built anchor, or why it is not there. */
export type Built = { ok: true; bin: string; version: string } | { ok: false; reason: string };

const built = new Map<AnchorName, Built>();
let aptTried = false;

function tryApt(pkgs: string[]): string | undefined {
  if (aptTried) return "apt-get already tried in this run";
  aptTried = true;
  if (typeof process.getuid !== "function" || process.getuid() !== 0) return "not root, so the dev packages cannot be installed";
  const apt = spawnSync("sh", ["-c", "command -v apt-get"], { encoding: "utf8" });
  if (apt.status !== 0) return "no apt-get on this machine";
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  let r = spawnSync("apt-get", ["install", "-y", "--no-install-recommends", ...pkgs], { encoding: "utf8", env });
  if (r.status !== 0) {
    spawnSync("apt-get", ["update"], { encoding: "utf8", env });
    r = spawnSync("apt-get", ["install", "-y", "--no-install-recommends", ...pkgs], { encoding: "utf8", env });
  }
  if (r.status !== 0) return `apt-get install ${pkgs.join(" ")} failed: ${(r.stderr || r.stdout).trim().split("\n").pop()}`;
  return undefined;
}

function libVersion(header: string, macro: string): string {
  const m = new RegExp(`#define ${macro} "([^"]+)"`).exec(readFileSync(header, "utf8"));
  return m?.[1] ?? "?";
}

/** Builds (once per run, cached by source hash) the named anchor. */
export function buildAnchor(name: AnchorName): Built {
  const have = built.get(name);
  if (have) return have;
  const a = ANCHORS[name];
  let result: Built;
  if (!existsSync(a.header)) {
    const why = tryApt([ANCHORS.nghttp2.pkg, ANCHORS.nghttp3.pkg]);
    if (why !== undefined || !existsSync(a.header)) {
      result = { ok: false, reason: `${a.header} missing (${a.pkg} not installed; ${why ?? "still missing after apt-get"})` };
      built.set(name, result);
      return result;
    }
  }
  const versionHeader = name === "nghttp2" ? "/usr/include/nghttp2/nghttp2ver.h" : "/usr/include/nghttp3/version.h";
  const version = existsSync(versionHeader) ? libVersion(versionHeader, name === "nghttp2" ? "NGHTTP2_VERSION" : "NGHTTP3_VERSION") : "?";
  const src = readFileSync(join(C_DIR, a.source));
  const common = readFileSync(join(C_DIR, "common.h"));
  const hash = createHash("sha256").update(src).update(common).update(version).digest("hex").slice(0, 12);
  const dir = join(tmpdir(), "httpwire-bench-c");
  mkdirSync(dir, { recursive: true });
  const bin = join(dir, `${a.source.replace(/\.c$/, "")}-${hash}`);
  if (!existsSync(bin)) {
    try {
      execFileSync("cc", ["-O2", "-o", bin, join(C_DIR, a.source), `-l${a.lib}`], { stdio: ["ignore", "pipe", "pipe"] });
    } catch (e) {
      const err = e as { stderr?: Buffer; message: string };
      result = {
        ok: false,
        reason: `cc -O2 ${a.source} -l${a.lib} failed: ${(err.stderr?.toString() || err.message).trim().split("\n")[0]}`,
      };
      built.set(name, result);
      return result;
    }
  }
  result = { ok: true, bin, version };
  built.set(name, result);
  return result;
}

/** What one invocation of an anchor printed. */
export interface AnchorRun {
  unitsPerPass: number;
  bytes: number;
  rates: number[];
}

/** Runs an anchor with `args`; throws with its stderr when it fails. */
export function runAnchor(bin: string, args: (string | number)[]): AnchorRun {
  const r = spawnSync(bin, args.map(String), { encoding: "utf8", maxBuffer: 1 << 20 });
  if (r.status !== 0) throw new Error(`${bin} ${args.join(" ")} failed (${r.status ?? r.signal}): ${r.stderr.trim()}`);
  return JSON.parse(r.stdout) as AnchorRun;
}

class Out {
  private buf = new Uint8Array(1 << 16);
  private len = 0;
  private room(n: number): void {
    if (this.len + n <= this.buf.length) return;
    const b = new Uint8Array(Math.max(this.buf.length * 2, this.len + n));
    b.set(this.buf.subarray(0, this.len));
    this.buf = b;
  }
  u32(v: number): void {
    this.room(4);
    new DataView(this.buf.buffer).setUint32(this.len, v);
    this.len += 4;
  }
  bytes(b: Uint8Array): void {
    this.u32(b.length);
    this.room(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
  }
  done(): Uint8Array {
    return this.buf.subarray(0, this.len);
  }
}

let fileCounter = 0;
/** Input and dump files of this run, removed when the process exits (the built programs stay, cached by hash). */
const made: string[] = [];
process.once("exit", () => {
  for (const p of made) rmSync(p, { force: true });
});

function tempFile(kind: string, data: Uint8Array): string {
  const dir = join(tmpdir(), "httpwire-bench-c");
  mkdirSync(dir, { recursive: true });
  const p = join(dir, `${kind}-${process.pid}-${fileCounter++}.bin`);
  writeFileSync(p, data);
  made.push(p);
  return p;
}

/** Writes stories (HPACK) or QIFs (QPACK) as lists of fields in the corpus format; returns the path. */
export function writeCorpusFile(stories: Field[][][]): string {
  const o = new Out();
  o.u32(stories.length);
  for (const lists of stories) {
    o.u32(lists.length);
    for (const l of lists) {
      o.u32(l.length);
      for (const f of l) {
        o.bytes(latin1Encode(f.name));
        o.bytes(latin1Encode(f.value));
      }
    }
  }
  return tempFile("corpus", o.done());
}

/** One recorded unit: a field block or section (stream > 0) or QPACK encoder-stream bytes (stream 0). */
export interface RecordedBytes {
  streamId: number;
  data: Uint8Array;
}

/** Writes recordings (one array per story or QIF) in the recordings format; returns the path. */
export function writeRecordingsFile(files: RecordedBytes[][]): string {
  const o = new Out();
  o.u32(files.length);
  for (const f of files) {
    o.u32(f.length);
    for (const r of f) {
      o.u32(r.streamId);
      o.bytes(r.data);
    }
  }
  return tempFile("wire", o.done());
}

/** Reads a recordings file (as written by the anchors' `dump` mode). */
export function readRecordingsFile(path: string): RecordedBytes[][] {
  const b = new Uint8Array(readFileSync(path));
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  let pos = 0;
  const u32 = () => {
    const v = dv.getUint32(pos);
    pos += 4;
    return v;
  };
  const files: RecordedBytes[][] = [];
  for (let n = u32(); n > 0; n--) {
    const recs: RecordedBytes[] = [];
    for (let k = u32(); k > 0; k--) {
      const streamId = u32();
      const len = u32();
      recs.push({ streamId, data: b.subarray(pos, pos + len) });
      pos += len;
    }
    files.push(recs);
  }
  return files;
}

/** A fresh path for an anchor's `dump` output. */
export function dumpPath(kind: string): string {
  const p = join(tmpdir(), "httpwire-bench-c", `${kind}-${process.pid}-${fileCounter++}.dump`);
  made.push(p);
  return p;
}

/**
 * A harness case for an anchor: every round runs the program once for one
 * round of `ms` (its own untimed pass first) and reports ops/s, so its rounds
 * interleave with httpwire's under the same load.
 */
export function anchorRound(bin: string, args: (string | number)[], unitsPerPass: number): (ms: number) => number {
  return (ms) => {
    const r = runAnchor(bin, [...args, ms, 1]);
    if (r.unitsPerPass !== unitsPerPass) throw new Error(`${bin} processed ${r.unitsPerPass} fields per pass, expected ${unitsPerPass}`);
    return r.rates[0]! / unitsPerPass;
  };
}
