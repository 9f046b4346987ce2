/**
 * The JavaScript peers, loaded with `createRequire` (they are CommonJS, and
 * `import "http2"` would resolve to Node's builtin, so node-http2 is loaded by
 * file path). Each peer gets the same thin adapter shape: a fresh codec per
 * story, `encode(list)` → bytes, `decode(bytes)` → field count.
 */
import { createRequire } from "node:module";
import type { Field } from "./corpus.js";

const require = createRequire(import.meta.url);

// biome-ignore lint/suspicious/noExplicitAny: these adapters call untyped JavaScript packages and more than one version of our API
type Any = any;

/** One HPACK codec context (one connection direction). */
export interface HpackCodec {
  encode(list: Field[]): Uint8Array;
  /** Decodes one header block; returns the fields (as [name, value] or {name, value}). */
  decode(block: Uint8Array): unknown[];
}

/** A peer: a name and a factory for one fresh context. */
export interface HpackPeer {
  name: string;
  version: string;
  /**
   * One fresh context per story. Its encoder and decoder are made on first
   * use, so a timed encode pass builds no decoder and a decode pass no
   * encoder, as the C anchors build only the side they time.
   */
  create(): HpackCodec;
}

function versionOf(pkgJsonPath: string): string {
  try {
    return (require(pkgJsonPath) as { version: string }).version;
  } catch {
    return "?";
  }
}

/** node-http2 wants a bunyan-like logger; this one does nothing. */
const NULL_LOG: Any = {
  child() {
    return NULL_LOG;
  },
  trace() {},
  debug() {},
  info() {},
  warn() {},
  error() {},
  fatal() {},
};

function toBuffer(b: Uint8Array): Buffer {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength);
}

/** `hpack.js` 2.1.6 (used by spdy-transport): Duplex streams driven synchronously, as spdy does. */
function hpackJs(): HpackPeer {
  const hpack: Any = require("hpack.js");
  return {
    name: "hpack.js",
    version: versionOf("hpack.js/package.json"),
    create() {
      // Each side is made on first use (see HpackPeer.create).
      let comp: Any;
      let decomp: Any;
      return {
        encode(list) {
          comp ??= hpack.compressor.create({ table: { size: 4096 } });
          comp.write(list);
          return comp.read() as Buffer;
        },
        decode(block) {
          decomp ??= hpack.decompressor.create({ table: { size: 4096 } });
          decomp.write(toBuffer(block));
          decomp.execute();
          const out: unknown[] = [];
          for (let f: unknown = decomp.read(); f !== null; f = decomp.read()) out.push(f);
          return out;
        },
      };
    },
  };
}

/** npm `hpack` 1.0.0: `new HPACK()`, `encode([[n, v]])`, `decode(buf)`. */
function hpackNpm(): HpackPeer {
  const HPACK: Any = require("hpack");
  return {
    name: "hpack",
    version: versionOf("hpack/package.json"),
    create() {
      let enc: Any;
      let dec: Any;
      return {
        encode(list) {
          enc ??= new HPACK();
          const pairs = new Array(list.length);
          for (let i = 0; i < list.length; i++) pairs[i] = [list[i]!.name, list[i]!.value];
          return enc.encode(pairs) as Buffer;
        },
        decode(block) {
          dec ??= new HPACK();
          return dec.decode(toBuffer(block)) as unknown[];
        },
      };
    },
  };
}

/**
 * node-http2 3.3.7's compressor (`http2/lib/protocol/compressor.js`). Its
 * `Compressor.compress(object)` regroups fields by name (and splits cookies),
 * so lists with repeated names would change; the adapter drives the same
 * per-block streams that `compress`/`decompress` use (`HeaderSetCompressor`,
 * `HeaderSetDecompressor`) with the ordered list instead.
 */
function nodeHttp2(): HpackPeer {
  const path = require.resolve("http2/lib/protocol/compressor.js");
  const c: Any = require(path);
  return {
    name: "node-http2",
    version: versionOf("http2/package.json"),
    create() {
      let encTable: Any;
      let decTable: Any;
      return {
        encode(list) {
          encTable ??= new c.HeaderTable(NULL_LOG);
          const hsc: Any = new c.HeaderSetCompressor(NULL_LOG, encTable);
          for (const f of list) hsc.write([f.name, f.value]);
          hsc.end();
          const chunks: Buffer[] = [];
          for (let ch: Buffer | null = hsc.read(); ch !== null; ch = hsc.read()) chunks.push(ch);
          return Buffer.concat(chunks);
        },
        decode(block) {
          decTable ??= new c.HeaderTable(NULL_LOG);
          const hsd: Any = new c.HeaderSetDecompressor(NULL_LOG, decTable);
          hsd.end(toBuffer(block));
          const out: unknown[] = [];
          for (let p: unknown = hsd.read(); p !== null; p = hsd.read()) out.push(p);
          return out;
        },
      };
    },
  };
}

/** All HPACK peers that load. */
export function hpackPeers(): HpackPeer[] {
  const out: HpackPeer[] = [];
  for (const make of [hpackJs, hpackNpm, nodeHttp2]) {
    try {
      out.push(make());
    } catch (e) {
      console.error(`peer not available: ${(e as Error).message}`);
    }
  }
  return out;
}

/** Normalises a peer's decoded field to [name, value]. */
export function fieldPair(f: unknown): [string, string] {
  if (Array.isArray(f)) return [String(f[0]), String(f[1])];
  const o = f as { name: unknown; value: unknown };
  return [String(o.name), String(o.value)];
}

/** node-http2's frame parser: a `Deserializer` transform stream, fed through `_transform` directly. */
export function nodeHttp2Deserializer(): {
  version: string;
  create(onFrame: (f: unknown) => void): (chunk: Uint8Array) => void;
} {
  const path = require.resolve("http2/lib/protocol/framer.js");
  const f: Any = require(path);
  return {
    version: versionOf("http2/package.json"),
    create(onFrame) {
      const d: Any = new f.Deserializer(NULL_LOG, "SERVER");
      d.push = (frame: unknown) => {
        onFrame(frame);
        return true;
      };
      d.on("error", (e: unknown) => {
        throw new Error(`node-http2 deserializer error: ${String(e)}`);
      });
      const done = () => {};
      return (chunk) => d._transform(toBuffer(chunk), null, done);
    },
  };
}

/**
 * spdy-transport's HTTP/2 parser: a Transform stream that also runs hpack.js
 * on every header block (it cannot be switched off) and defers via
 * `process.nextTick` after each synchronously parsed frame, as it does in
 * production. `parse(chunks)` resolves once every chunk has been consumed.
 */
export function spdyParser(): {
  version: string;
  create(onFrame: (f: unknown) => void): (chunks: Uint8Array[]) => Promise<void>;
} {
  const transport: Any = require("spdy-transport");
  const http2: Any = transport.protocol.http2;
  return {
    version: versionOf("spdy-transport/package.json"),
    create(onFrame) {
      const pool: Any = http2.compressionPool.create();
      const parser: Any = http2.parser.create({ isServer: true, window: null });
      parser.skipPreface();
      parser.setCompression(pool.get(4));
      parser.on("data", onFrame);
      let failed: Error | undefined;
      parser.on("error", (e: unknown) => {
        failed = new Error(`spdy parser error: ${e instanceof Error ? e.message : String(e)}`);
      });
      return (chunks) =>
        new Promise<void>((resolveAll, reject) => {
          let i = 0;
          const next = (err?: unknown) => {
            if (err || failed) return reject(failed ?? err);
            if (i === chunks.length) return resolveAll();
            parser.write(toBuffer(chunks[i++]!), next);
          };
          next();
        });
    },
  };
}
