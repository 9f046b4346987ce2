/**
 * Writing HTTP/2 DATA (issue 16): how many payload bytes each way of writing
 * copies, and how fast it is.
 *
 * - `dataFrames(streamId, payload, maxFrameSize, endStream)`: frame headers
 *   plus views of the caller's payload (the zero-copy route).
 * - `writeFrameHeader` + the payload view, by hand: the same, one frame.
 * - `encodeFrame` per frame: one copy (the payload into each frame's buffer).
 * - `encodeFrameInto` into a `ByteWriter`, then `finish()`: two copies (into
 *   the writer, then out of it), plus the writer's growth.
 *
 * Copies are counted, not inferred: during one untimed pass the suite wraps
 * `Uint8Array.prototype.set` and `Uint8Array.prototype.slice` (the only ways
 * these encoders copy bytes) and adds up the bytes they move; the result is
 * divided by the payload bytes written.
 */
import { type BenchOptions, type Case, fmtInt, measureGroup, ratio, table } from "../harness.js";
import { loadModule, pick } from "../httpwire.js";
import type { SuiteReport, Target } from "../report.js";

type DataFrames = (streamId: number, payload: Uint8Array, maxFrameSize?: number, endStream?: boolean) => Uint8Array[];
type EncodeFrame = (frame: Record<string, unknown>) => Uint8Array;
type EncodeFrameInto = (frame: Record<string, unknown>, writer: unknown) => void;
type WriteFrameHeader = (bytes: Uint8Array, header: Record<string, number>, offset?: number) => void;
interface Writer {
  finish(): Uint8Array;
}

const MAX_FRAME_SIZE = 16_384;

/** Bytes moved by `Uint8Array.prototype.set` and `.slice` while `f` runs. */
function bytesCopied(f: () => unknown): number {
  const proto = Uint8Array.prototype;
  const set = proto.set;
  const slice = proto.slice;
  let copied = 0;
  proto.set = function (this: Uint8Array, src: ArrayLike<number>, offset?: number) {
    copied += src.length;
    return set.call(this, src, offset);
  } as typeof set;
  proto.slice = function (this: Uint8Array, start?: number, end?: number) {
    const out = slice.call(this, start, end);
    copied += out.length;
    return out;
  } as typeof slice;
  try {
    f();
  } finally {
    proto.set = set;
    proto.slice = slice;
  }
  return copied;
}

/** The octets an output puts on the wire: the sum of its pieces' lengths. */
function wireLength(pieces: Uint8Array[]): number {
  return pieces.reduce((a, p) => a + p.length, 0);
}

export async function http2WriteSuite(opts: BenchOptions): Promise<SuiteReport> {
  const missing: string[] = [];
  const m = pick(
    await loadModule("http2"),
    ["dataFrames", "encodeFrame", "encodeFrameInto", "writeFrameHeader", "ByteWriter", "FrameType"] as const,
    missing,
  );
  if (!m)
    return {
      title: "HTTP/2 DATA writing (copies per payload byte)",
      text: `Not measured: ${missing.join(", ")} not available yet.`,
      ratios: {},
      targets: [{ name: "Writing DATA copies 0 bytes per payload byte (dataFrames)", ok: undefined, detail: "dataFrames not available" }],
    };
  const dataFrames = m.dataFrames as DataFrames;
  const encodeFrame = m.encodeFrame as EncodeFrame;
  const encodeFrameInto = m.encodeFrameInto as EncodeFrameInto;
  const writeFrameHeader = m.writeFrameHeader as WriteFrameHeader;
  const ByteWriter = m.ByteWriter as new (capacity?: number) => Writer;
  const DATA = (m.FrameType as { DATA: number }).DATA;

  /** Each way of writing one body: returns what goes to the socket, in order. */
  const ways: { name: string; key: string; write: (body: Uint8Array) => Uint8Array[] }[] = [
    { name: "dataFrames (headers + views)", key: "dataFrames", write: (body) => dataFrames(1, body, MAX_FRAME_SIZE, true) },
    {
      name: "writeFrameHeader + payload view, by hand",
      key: "header-and-view",
      write: (body) => {
        const out: Uint8Array[] = [];
        for (let p = 0; p < body.length; p += MAX_FRAME_SIZE) {
          const n = Math.min(MAX_FRAME_SIZE, body.length - p);
          const header = new Uint8Array(9);
          writeFrameHeader(header, { length: n, type: DATA, flags: p + n === body.length ? 1 : 0, streamId: 1 });
          out.push(header, body.subarray(p, p + n));
        }
        return out;
      },
    },
    {
      name: "encodeFrame per frame",
      key: "encodeFrame",
      write: (body) => {
        const out: Uint8Array[] = [];
        for (let p = 0; p < body.length; p += MAX_FRAME_SIZE) {
          const n = Math.min(MAX_FRAME_SIZE, body.length - p);
          out.push(encodeFrame({ type: DATA, streamId: 1, endStream: p + n === body.length, data: body.subarray(p, p + n) }));
        }
        return out;
      },
    },
    {
      name: "encodeFrameInto a ByteWriter, then finish()",
      key: "encodeFrameInto",
      write: (body) => {
        const w = new ByteWriter();
        for (let p = 0; p < body.length; p += MAX_FRAME_SIZE) {
          const n = Math.min(MAX_FRAME_SIZE, body.length - p);
          encodeFrameInto({ type: DATA, streamId: 1, endStream: p + n === body.length, data: body.subarray(p, p + n) }, w);
        }
        return [w.finish()];
      },
    },
  ];

  const sizes = [4_096, 65_536, 1_048_576];
  const rows: string[][] = [];
  const copyRows: string[][] = [];
  const ratios: Record<string, number> = {};
  const targets: Target[] = [];
  let zeroCopyWorst = 0;
  for (const size of sizes) {
    const body = new Uint8Array(size);
    for (let i = 0; i < size; i++) body[i] = (i * 131) & 0xff;
    const frames = Math.ceil(size / MAX_FRAME_SIZE);
    // Same bytes on the wire from every way, then the copies each one makes.
    const wire = frames * 9 + size;
    const copies: Record<string, number> = {};
    for (const w of ways) {
      const out = w.write(body);
      if (wireLength(out) !== wire) throw new Error(`${w.name}: ${wireLength(out)} bytes on the wire, expected ${wire}`);
      copies[w.key] = bytesCopied(() => w.write(body)) / size;
      if (w.key === "dataFrames") {
        zeroCopyWorst = Math.max(zeroCopyWorst, copies[w.key]!);
        // And the views really are the caller's memory.
        if (!out.filter((_, i) => i % 2 === 1).every((v) => v.buffer === body.buffer))
          throw new Error("dataFrames: a payload piece is not a view of the body");
      }
    }
    copyRows.push([fmtInt(size), ...ways.map((w) => copies[w.key]!.toFixed(2))]);
    const cases: Case[] = ways.map((w) => ({ name: w.name, units: size, bytes: size, run: () => w.write(body).length }));
    const res = await measureGroup(cases, opts);
    const zero = res[0]!;
    for (const r of res) {
      const x = ratio(zero, r);
      rows.push([`${r.name}, ${fmtInt(size)}-byte body`, (r.mbPerSec / 1000).toFixed(2), x.toFixed(2)]);
      if (r !== zero) ratios[`http2.write.${size}.dataFrames.vs.${ways[res.indexOf(r)]!.key}`] = x;
    }
  }
  targets.push({
    name: "Writing DATA copies 0 bytes per payload byte (dataFrames)",
    ok: zeroCopyWorst === 0,
    detail: `${zeroCopyWorst} bytes copied per payload byte, bodies of ${sizes.map(fmtInt).join(", ")} bytes`,
  });
  const text = [
    `DATA frames of at most ${fmtInt(MAX_FRAME_SIZE)} octets for one body, END_STREAM on the last. Copies counted in an untimed pass by wrapping \`Uint8Array.prototype.set\` and \`.slice\`.`,
    "",
    "Bytes copied per payload byte written:",
    "",
    table(["body bytes", ...ways.map((w) => `\`${w.key}\``)], copyRows),
    "",
    table(["way, body", "payload GB/s", "dataFrames ×"], rows),
    "",
    "- `encodeFrameInto` + `finish()` copies each payload byte twice (into the writer, then out of it in `finish()`), plus whatever the writer's growth moves; use `dataFrames` (or `writeFrameHeader` and a view) and hand the pieces to `writev`.",
  ].join("\n");
  return { title: "HTTP/2 DATA writing (copies per payload byte)", text, ratios, targets };
}
