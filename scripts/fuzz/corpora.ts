/**
 * Seeds from outside the generators: the interop corpora (`$HTTPWIRE_CORPORA`
 * or `../shared/corpora`) and the project's captures (`fixtures/captures/`).
 * Corpus files are read in place, never copied.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = resolve(fileURLToPath(new URL("../..", import.meta.url)));

/** The corpora folder or `undefined`. */
export function corporaDir(): string | undefined {
  const env = process.env.HTTPWIRE_CORPORA;
  const dir = env !== undefined && env.length > 0 ? resolve(env) : resolve(REPO_ROOT, "..", "shared", "corpora");
  return existsSync(dir) ? dir : undefined;
}

function hex(s: string): Uint8Array {
  const out = new Uint8Array(s.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(s.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** hpack-test-case stories: per story, the wire blocks in seqno order. */
export function hpackStories(): Uint8Array[][] {
  const dir = corporaDir();
  if (dir === undefined) return [];
  const root = join(dir, "hpack-test-case");
  if (!existsSync(root)) return [];
  const out: Uint8Array[][] = [];
  for (const impl of readdirSync(root)) {
    if (impl === "raw-data" || !statSync(join(root, impl)).isDirectory()) continue;
    for (const f of readdirSync(join(root, impl))) {
      if (!f.endsWith(".json")) continue;
      try {
        const story = JSON.parse(readFileSync(join(root, impl, f), "utf8")) as {
          cases: { seqno: number; wire: string; header_table_size?: number }[];
        };
        // Skip stories that change SETTINGS_HEADER_TABLE_SIZE: the framed-block input has no way to say so.
        if (story.cases.some((c) => c.header_table_size !== undefined && c.header_table_size !== 4096)) continue;
        out.push(story.cases.sort((a, b) => a.seqno - b.seqno).map((c) => hex(c.wire)));
      } catch {
        // not a story file
      }
    }
  }
  return out;
}

/** QIF encoder outputs (`encoded/qpack-05/<encoder>/*.out.<cap>.<blocked>.<ack>`) with their settings. */
export function qpackOutputs(): { bytes: Uint8Array; capacity: number; blocked: number }[] {
  const dir = corporaDir();
  if (dir === undefined) return [];
  const root = join(dir, "qifs", "encoded", "qpack-05");
  if (!existsSync(root)) return [];
  const out: { bytes: Uint8Array; capacity: number; blocked: number }[] = [];
  for (const impl of readdirSync(root)) {
    const d = join(root, impl);
    if (!statSync(d).isDirectory()) continue;
    for (const f of readdirSync(d)) {
      const m = /\.out\.(\d+)\.(\d+)\.(\d+)$/.exec(f);
      if (m === null) continue;
      const bytes = new Uint8Array(readFileSync(join(d, f)));
      // Keep seeds small: large files are cut at a record boundary near 8 KiB.
      out.push({ bytes: cutRecords(bytes, 8192), capacity: Number(m[1]), blocked: Number(m[2]) });
    }
  }
  return out;
}

/** The `encoded/errors/*` inputs a QPACK decoder must reject. */
export function qpackErrorInputs(): Uint8Array[] {
  const dir = corporaDir();
  if (dir === undefined) return [];
  const root = join(dir, "qifs", "encoded", "errors");
  if (!existsSync(root)) return [];
  return readdirSync(root).map((f) => new Uint8Array(readFileSync(join(root, f))));
}

function cutRecords(b: Uint8Array, max: number): Uint8Array {
  let p = 0;
  while (p + 12 <= b.length) {
    const len = ((b[p + 8]! << 24) | (b[p + 9]! << 16) | (b[p + 10]! << 8) | b[p + 11]!) >>> 0;
    if (p + 12 + len > b.length || p + 12 + len > max) break;
    p += 12 + len;
  }
  return b.subarray(0, Math.max(p, Math.min(b.length, 12)));
}

/** The project's recorded captures (pcap/pcapng), each cut to `max` bytes. */
export function captures(max = 2_560): Uint8Array[] {
  const root = join(REPO_ROOT, "fixtures", "captures");
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .filter((f) => /\.(pcap|pcapng|hex|txt|bin)$/.test(f))
    .map((f) => {
      const b = new Uint8Array(readFileSync(join(root, f)));
      return b.length > max ? b.subarray(0, max) : b;
    });
}
