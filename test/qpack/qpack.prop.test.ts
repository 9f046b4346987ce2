/**
 * Property tests: an encoder and a decoder kept in step over arbitrary field
 * lists, capacities, blocked-stream limits, delivery orders and chunkings
 * (encoder-stream data delayed, acknowledgements late, streams cancelled);
 * and arbitrary bytes into every input give a result or a QpackError.
 */

import { fc, test } from "@fast-check/vitest";
import { HttpwireError } from "httpwire";
import { QpackDecoder, QpackEncoder, QpackError, type QpackField } from "httpwire/qpack";
import { expect } from "vitest";

// Small pools so that fields repeat (and get inserted, duplicated, evicted).
const NAMES = [":method", ":path", ":authority", "user-agent", "cookie", "x-a", "x-long-header-name", "authorization", ""];
const VALUES = ["GET", "/", "/index.html", "a", "", "www.example.com", "x".repeat(60), "\u00ff\u0000\u0080", "secret"];
const PAIRS: QpackField[] = NAMES.flatMap((name, i) => [
  { name, value: VALUES[i]! },
  { name, value: VALUES[(i + 3) % VALUES.length]! },
]);
const randomField = fc
  .record({
    name: fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom(...NAMES) },
      fc.string({ maxLength: 12 }).map((s) => s.replace(/[\u0100-\uffff]/g, "?")),
    ),
    value: fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom(...VALUES) },
      fc.string({ maxLength: 40 }).map((s) => s.replace(/[\u0100-\uffff]/g, "?")),
    ),
    sensitive: fc.nat(9).map((n) => n === 0),
  })
  .map((f): QpackField => (f.sensitive ? f : { name: f.name, value: f.value }));
const field = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...PAIRS) }, randomField);

const op = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      t: fc.constant("encode" as const),
      stream: fc.nat(5),
      fields: fc.array(field, { maxLength: 10, size: "medium" }),
    }),
  },
  { weight: 3, arbitrary: fc.record({ t: fc.constant("deliverEncoder" as const), n: fc.nat(200) }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant("deliverDecoder" as const), n: fc.nat(20) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant("cancel" as const), stream: fc.nat(5) }) },
);

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

test.prop([fc.constantFrom(0, 64, 100, 220, 1024, 4096), fc.nat(3), fc.array(op, { minLength: 10, maxLength: 80, size: "large" })], {
  numRuns: 100,
})("encoder and decoder stay in step; the blocked-streams limit holds", (capacity, blocked, ops) => {
  const enc = new QpackEncoder({ maxTableCapacity: capacity, maxBlockedStreams: blocked });
  // The model sends many sections on one stream, which QPACK allows; the
  // decoder's per-stream bound is a local policy, tested in decoder.test.ts.
  const dec = new QpackDecoder({
    maxTableCapacity: capacity,
    maxBlockedStreams: blocked,
    maxBlockedSectionsPerStream: 1000,
  });
  let encQ: Uint8Array = new Uint8Array(0); // encoder stream in flight
  let decQ: Uint8Array = new Uint8Array(0); // decoder stream in flight
  const expected = new Map<number, QpackField[][]>(); // per stream, sections not yet decoded
  const streamIds = [0, 4, 8, 12, 16, 20];
  let nextStream = 24;
  const strip = (fs: QpackField[]) => fs;
  const got = (streamId: number, fields: QpackField[]) => {
    const q = expected.get(streamId);
    expect(q && q.length > 0, `unexpected section on stream ${streamId}`).toBe(true);
    expect(strip(fields)).toEqual(q!.shift());
  };
  const pumpDecoder = () => {
    decQ = concat(decQ, dec.drainDecoderStream());
  };
  for (const o of ops) {
    if (o.t === "encode") {
      const id = streamIds[o.stream]!;
      const section = enc.encodeFieldSection(id, o.fields);
      encQ = concat(encQ, enc.drainEncoderStream());
      const q = expected.get(id) ?? [];
      q.push(o.fields);
      expected.set(id, q);
      const r = dec.decodeFieldSection(id, section); // throws if the encoder over-risked blocking
      if (r.status === "decoded") got(id, r.fields);
      else expect(dec.blockedStreamCount).toBeLessThanOrEqual(blocked);
    } else if (o.t === "deliverEncoder") {
      const n = Math.min(o.n, encQ.length);
      for (const u of dec.onEncoderStream(encQ.subarray(0, n))) got(Number(u.streamId), u.status === "decoded" ? u.fields : []);
      encQ = encQ.slice(n);
    } else if (o.t === "deliverDecoder") {
      pumpDecoder();
      const n = Math.min(o.n, decQ.length);
      enc.onDecoderStream(decQ.subarray(0, n));
      decQ = decQ.slice(n);
    } else {
      // Cancel: the stream is abandoned; later sections use a fresh stream.
      const id = streamIds[o.stream]!;
      dec.cancelStream(id);
      expected.delete(id);
      streamIds[o.stream] = nextStream;
      nextStream += 4;
    }
  }
  for (const u of dec.onEncoderStream(encQ)) got(Number(u.streamId), u.status === "decoded" ? u.fields : []);
  pumpDecoder();
  enc.onDecoderStream(decQ);
  expect(dec.blockedStreamCount).toBe(0);
  for (const [, q] of expected) expect(q).toEqual([]);
  expect(enc.blockingStreamCount).toBe(0);
  expect(enc.knownReceived).toBe(enc.insertCount);
});

function onlyOurErrors(f: () => void): void {
  try {
    f();
  } catch (e) {
    if (!(e instanceof HttpwireError)) throw e;
    expect(e).toBeInstanceOf(QpackError);
  }
}

const bytes = fc.uint8Array({ maxLength: 64 });

test.prop([fc.array(bytes, { maxLength: 6 }), fc.array(bytes, { maxLength: 6 })])(
  "arbitrary encoder-stream bytes and field sections: a result or a QpackError",
  (encChunks, sections) => {
    const dec = new QpackDecoder({ maxTableCapacity: 256, maxBlockedStreams: 2, initialTableCapacity: 256 });
    onlyOurErrors(() => {
      for (const c of encChunks) dec.onEncoderStream(c);
      sections.forEach((s, i) => {
        dec.decodeFieldSection(i * 4, s);
      });
      dec.drainDecoderStream();
    });
  },
);

test.prop([bytes])("arbitrary field section on a fresh decoder: a result or a QpackError", (s) => {
  onlyOurErrors(() => void new QpackDecoder({ maxTableCapacity: 100, maxBlockedStreams: 1 }).decodeFieldSection(0, s));
});

test.prop([fc.array(bytes, { maxLength: 6 })])("arbitrary decoder-stream bytes: a result or a QpackError", (chunks) => {
  const enc = new QpackEncoder({ maxTableCapacity: 256, maxBlockedStreams: 2 });
  enc.encodeFieldSection(0, [{ name: "x-a", value: "1" }]);
  enc.encodeFieldSection(4, [{ name: "x-a", value: "1" }]);
  onlyOurErrors(() => {
    for (const c of chunks) enc.onDecoderStream(c);
  });
});
