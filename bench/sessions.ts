/**
 * Recorded or synthesised frame streams for the HTTP/2 and HTTP/3 frame
 * benchmarks. Recorded HTTP/2 sessions come from `fixtures/captures/raw/*.bin`
 * when present; otherwise a realistic session is synthesised with a minimal
 * frame writer kept here (bench code, independent of the codec under test):
 * SETTINGS, WINDOW_UPDATE, HEADERS with real HPACK blocks (hpack.js, one
 * context), response-sized DATA split at 16,384, some padding and priority,
 * PING, RST_STREAM, PRIORITY and a closing GOAWAY.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { type Field, loadHpackCorpus, prng, REPO_ROOT } from "./corpus.js";
import { hpackPeers } from "./peers.js";

/** A byte stream of frames and what is in it. */
export interface FrameStream {
  source: string;
  bytes: Uint8Array;
  frames: number;
  /** DATA payload octets (padding excluded). */
  dataBytes: number;
  /** CONTINUATION frames (joined with their HEADERS into one event by some decoders). */
  continuations?: number;
}

class Out {
  parts: Uint8Array[] = [];
  length = 0;
  frames = 0;
  add(b: Uint8Array): void {
    this.parts.push(b);
    this.length += b.length;
  }
  join(): Uint8Array {
    const out = new Uint8Array(this.length);
    let p = 0;
    for (const b of this.parts) {
      out.set(b, p);
      p += b.length;
    }
    return out;
  }
}

function h2Frame(out: Out, type: number, flags: number, stream: number, payload: Uint8Array): void {
  const f = new Uint8Array(9 + payload.length);
  f[0] = payload.length >>> 16;
  f[1] = payload.length >>> 8;
  f[2] = payload.length;
  f[3] = type;
  f[4] = flags;
  f[5] = (stream >>> 24) & 0x7f;
  f[6] = stream >>> 16;
  f[7] = stream >>> 8;
  f[8] = stream;
  f.set(payload, 9);
  out.add(f);
  out.frames++;
}

function u32(v: number): Uint8Array {
  return new Uint8Array([v >>> 24, v >>> 16, v >>> 8, v]);
}

const DATA = 0x0,
  HEADERS = 0x1,
  PRIORITY = 0x2,
  RST_STREAM = 0x3,
  SETTINGS = 0x4,
  PING = 0x6,
  GOAWAY = 0x7,
  WINDOW_UPDATE = 0x8;
const END_STREAM = 0x1,
  END_HEADERS = 0x4,
  PADDED = 0x8,
  PRIORITY_FLAG = 0x20,
  ACK = 0x1;

/** Synthesises one HTTP/2 connection's frames (client and server frames in one stream, as a capture tool sees them). */
export function synthesiseHttp2Session(maxStreams = 1000, seed = 42): FrameStream {
  const rnd = prng(seed);
  const corpus = loadHpackCorpus();
  const lists: Field[][] = corpus.stories.flatMap((s) => s.lists).slice(0, maxStreams);
  const comp = hpackPeers()
    .find((p) => p.name === "hpack.js")!
    .create();
  const out = new Out();
  let dataBytes = 0;
  const settings = new Uint8Array(36);
  const ids = [
    [1, 4096],
    [2, 0],
    [3, 100],
    [4, 65535],
    [5, 16384],
    [6, 65536],
  ] as const;
  ids.forEach(([id, v], i) => {
    settings[i * 6] = id >>> 8;
    settings[i * 6 + 1] = id;
    settings.set(u32(v), i * 6 + 2);
  });
  h2Frame(out, SETTINGS, 0, 0, settings);
  h2Frame(out, SETTINGS, ACK, 0, new Uint8Array(0));
  h2Frame(out, WINDOW_UPDATE, 0, 0, u32(15_663_105));
  lists.forEach((list, i) => {
    const sid = 2 * i + 1;
    const block = comp.encode(list);
    let flags = END_HEADERS;
    let payload: Uint8Array = new Uint8Array(block.buffer, block.byteOffset, block.byteLength);
    if (i % 5 === 0) {
      flags |= PRIORITY_FLAG;
      const p = new Uint8Array(5 + payload.length);
      p.set(u32(i > 0 ? sid - 2 : 0), 0);
      p[4] = 15;
      p.set(payload, 5);
      payload = p;
    }
    if (i % 7 === 0) {
      flags |= PADDED;
      const pad = 1 + Math.floor(rnd() * 32);
      const p = new Uint8Array(1 + payload.length + pad);
      p[0] = pad;
      p.set(payload, 1);
      payload = p;
    }
    h2Frame(out, HEADERS, flags, sid, payload);
    if (i % 97 === 96) {
      h2Frame(out, RST_STREAM, 0, sid, u32(0x8));
      return;
    }
    // Body sizes: mostly small responses, some large, log-uniform 0..32 KiB.
    const body = rnd() < 0.1 ? 0 : Math.floor(Math.exp(rnd() * Math.log(32_768)));
    let left = body;
    if (left === 0) {
      h2Frame(out, DATA, END_STREAM, sid, new Uint8Array(0));
      return;
    }
    while (left > 0) {
      const n = Math.min(left, 16_384);
      left -= n;
      const payload = new Uint8Array(n);
      for (let k = 0; k < n; k += 64) payload[k] = (k * 31 + sid) & 0xff;
      if (i % 11 === 0 && n < 16_000) {
        const pad = 1 + Math.floor(rnd() * 200);
        const p = new Uint8Array(1 + n + pad);
        p[0] = pad;
        p.set(payload, 1);
        h2Frame(out, DATA, PADDED | (left === 0 ? END_STREAM : 0), sid, p);
      } else {
        h2Frame(out, DATA, left === 0 ? END_STREAM : 0, sid, payload);
      }
      dataBytes += n;
      if (rnd() < 0.25) h2Frame(out, WINDOW_UPDATE, 0, sid, u32(n));
    }
    if (rnd() < 0.3) h2Frame(out, WINDOW_UPDATE, 0, 0, u32(body));
    if (i % 50 === 0) {
      h2Frame(out, PING, 0, 0, new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]));
      h2Frame(out, PING, ACK, 0, new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]));
    }
    if (i % 13 === 0) h2Frame(out, PRIORITY, 0, sid + 2, new Uint8Array([0, 0, 0, 0, 31]));
  });
  h2Frame(out, GOAWAY, 0, 0, new Uint8Array([...u32(2 * lists.length - 1), ...u32(0)]));
  return {
    source: `synthesised session (${lists.length} streams, HPACK blocks from ${corpus.source})`,
    bytes: out.join(),
    frames: out.frames,
    dataBytes,
  };
}

/**
 * A bulk-transfer session: `streams` responses of `bodyBytes` each, sent as
 * full-size (16,384-octet) DATA frames after a small HEADERS frame, with the
 * WINDOW_UPDATEs a receiver sends. Almost every octet is DATA, so a parser
 * that gathers or copies DATA spends its time copying.
 */
export function synthesiseBulkDataSession(streams = 16, bodyBytes = 256 * 1024): FrameStream {
  const out = new Out();
  let dataBytes = 0;
  h2Frame(out, SETTINGS, 0, 0, new Uint8Array(0));
  h2Frame(out, SETTINGS, ACK, 0, new Uint8Array(0));
  // A response header block: :status 200 (indexed), content-type text/plain (literal, indexed name 31).
  const block = Uint8Array.of(0x88, 0x5f, 0x0a, ...Array.from("text/plain", (c) => c.charCodeAt(0)));
  const payload = new Uint8Array(16_384);
  for (let k = 0; k < payload.length; k++) payload[k] = (k * 131) & 0xff;
  for (let i = 0; i < streams; i++) {
    const sid = 2 * i + 1;
    h2Frame(out, HEADERS, END_HEADERS, sid, block);
    for (let left = bodyBytes; left > 0; ) {
      const n = Math.min(left, payload.length);
      left -= n;
      h2Frame(out, DATA, left === 0 ? END_STREAM : 0, sid, payload.subarray(0, n));
      dataBytes += n;
      if (left % 65_536 === 0) h2Frame(out, WINDOW_UPDATE, 0, 0, u32(65_536));
    }
  }
  return {
    source: `synthesised bulk session (${streams} streams of ${bodyBytes / 1024} KiB in 16 KiB DATA frames)`,
    bytes: out.join(),
    frames: out.frames,
    dataBytes,
  };
}

/** Counts frames and DATA octets of an HTTP/2 byte stream (walking 9-byte headers). */
export function scanHttp2(bytes: Uint8Array): { frames: number; dataBytes: number; continuations: number } {
  let pos = 0;
  let frames = 0;
  let dataBytes = 0;
  let continuations = 0;
  while (pos + 9 <= bytes.length) {
    const len = (bytes[pos]! << 16) | (bytes[pos + 1]! << 8) | bytes[pos + 2]!;
    if (bytes[pos + 3] === 0x9) continuations++;
    if (bytes[pos + 3] === DATA) {
      const padded = (bytes[pos + 4]! & PADDED) !== 0;
      dataBytes += padded ? len - 1 - bytes[pos + 9]! : len;
    }
    pos += 9 + len;
    frames++;
  }
  return { frames, dataBytes, continuations };
}

const PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

/** Recorded sessions from `fixtures/captures/raw/*.bin`, preface stripped; `undefined` if none. */
export function recordedHttp2Sessions(): FrameStream[] | undefined {
  const dir = join(REPO_ROOT, "fixtures", "captures", "raw");
  if (!existsSync(dir)) return undefined;
  const files = readdirSync(dir)
    .filter((f) => f.endsWith(".bin"))
    .sort();
  if (files.length === 0) return undefined;
  return files.map((f) => {
    let bytes = new Uint8Array(readFileSync(join(dir, f)));
    if (bytes.length >= 24 && String.fromCharCode(...bytes.subarray(0, 24)) === PREFACE) bytes = bytes.subarray(24);
    const { frames, dataBytes, continuations } = scanHttp2(bytes);
    return { source: `fixtures/captures/raw/${f}`, bytes, frames, dataBytes, continuations };
  });
}

/** Writes a QUIC varint (RFC 9000 §16), smallest form; values below 2^53. */
export function writeVarint(out: number[], v: number): void {
  if (v < 0x40) out.push(v);
  else if (v < 0x4000) out.push(0x40 | (v >>> 8), v & 0xff);
  else if (v < 0x4000_0000) out.push(0x80 | (v >>> 24), (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff);
  else {
    const hi = Math.floor(v / 2 ** 32);
    const lo = v >>> 0;
    out.push(
      0xc0 | (hi >>> 24),
      (hi >>> 16) & 0xff,
      (hi >>> 8) & 0xff,
      hi & 0xff,
      lo >>> 24,
      (lo >>> 16) & 0xff,
      (lo >>> 8) & 0xff,
      lo & 0xff,
    );
  }
}

/**
 * A request stream's worth of HTTP/3 frames, repeated: HEADERS (QPACK-sized
 * opaque blocks), DATA of mixed sizes, a grease frame now and then; a
 * control stream's SETTINGS first.
 */
export function synthesiseHttp3Frames(count = 5_000, seed = 9): FrameStream {
  const rnd = prng(seed);
  const parts: number[] = [];
  const chunks: Uint8Array[] = [];
  let total = 0;
  let frames = 0;
  let dataBytes = 0;
  const flush = () => {
    const b = Uint8Array.from(parts);
    parts.length = 0;
    chunks.push(b);
    total += b.length;
  };
  // SETTINGS: QPACK_MAX_TABLE_CAPACITY 4096, QPACK_BLOCKED_STREAMS 100, MAX_FIELD_SECTION_SIZE 16384.
  const settings: number[] = [];
  for (const [id, v] of [
    [0x01, 4096],
    [0x07, 100],
    [0x06, 16384],
  ] as const) {
    writeVarint(settings, id);
    writeVarint(settings, v);
  }
  writeVarint(parts, 0x04);
  writeVarint(parts, settings.length);
  parts.push(...settings);
  frames++;
  flush();
  while (frames < count) {
    const kind = rnd();
    if (kind < 0.4) {
      const n = 8 + Math.floor(rnd() * 120);
      writeVarint(parts, 0x01);
      writeVarint(parts, n);
      for (let i = 0; i < n; i++) parts.push((i * 7) & 0xff);
      flush();
    } else if (kind < 0.95) {
      const n = Math.floor(Math.exp(rnd() * Math.log(16_384)));
      writeVarint(parts, 0x00);
      writeVarint(parts, n);
      flush();
      const payload = new Uint8Array(n);
      chunks.push(payload);
      total += n;
      dataBytes += n;
    } else {
      // Reserved (grease) type 0x1f * N + 0x21, RFC 9114 §7.2.8.
      const n = Math.floor(rnd() * 16);
      writeVarint(parts, 0x1f * Math.floor(rnd() * 1000) + 0x21);
      writeVarint(parts, n);
      for (let i = 0; i < n; i++) parts.push(i);
      flush();
    }
    frames++;
  }
  const bytes = new Uint8Array(total);
  let p = 0;
  for (const c of chunks) {
    bytes.set(c, p);
    p += c.length;
  }
  return {
    source: `synthesised (${frames} frames: HEADERS, DATA, grease; a SETTINGS first)`,
    bytes,
    frames,
    dataBytes,
  };
}

/** Splits `bytes` into views of at most `size` bytes (network-sized reads). */
export function chunked(bytes: Uint8Array, size: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let p = 0; p < bytes.length; p += size) out.push(bytes.subarray(p, Math.min(bytes.length, p + size)));
  return out;
}
