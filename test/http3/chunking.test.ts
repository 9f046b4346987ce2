/**
 * Hostile input II (issue 12) for the HTTP/3 stream decoder: what came before
 * an error is kept, any chunking gives the same outcome as whole input, and
 * feeding a large frame one byte at a time costs linear work (counted, not
 * timed: test/helpers/work.ts).
 */
import { fc, test as propTest } from "@fast-check/vitest";
import { HttpwireError } from "httpwire";
import {
  encodeFrame,
  FrameType,
  Http3Error,
  type Http3Frame,
  Http3FrameDecoder,
  type Http3FrameDecoderOptions,
  type Http3StreamEvent,
  type Http3StreamKind,
} from "httpwire/http3";
import { describe, expect, test } from "vitest";
import { splitAt } from "../../src/arbitraries/chunks.js";
import { concatBytes } from "../../src/shared/bytes.js";
import { countWork, oneByteAtATime } from "../helpers/work.js";
import { hex } from "./helpers.js";

/** What a decoder makes of `pieces`: frames, DATA joined per frame, stream errors, and the error thrown. */
function outcome(opts: Http3FrameDecoderOptions, pieces: readonly Uint8Array[], end = true): { events: unknown[]; error?: unknown } {
  const d = new Http3FrameDecoder(opts);
  const out: Http3StreamEvent[] = [];
  let error: unknown;
  try {
    for (const p of pieces) d.push(p, out);
    if (end) d.end(out);
  } catch (e) {
    if (!(e instanceof HttpwireError)) throw e;
    expect(e).toBeInstanceOf(Http3Error);
    error = { codeName: e.codeName, scope: e.scope, reason: e.reason, offset: e.offset };
  }
  const events: unknown[] = [];
  let data: { offset: number; headerLength: number; length: number | bigint; bytes: number[]; end: boolean } | undefined;
  let next = -1; // stream offset where the next DATA piece must start
  for (const e of out) {
    switch (e.type) {
      case "data-start":
        data = { offset: e.offset, headerLength: e.headerLength, length: e.length, bytes: [], end: false };
        next = e.offset + e.headerLength;
        events.push(data);
        break;
      case "data":
        // Pieces are contiguous and their offsets say where they are.
        expect(e.offset).toBe(next);
        next += e.data.length;
        data!.bytes.push(...e.data);
        data!.end = e.end;
        break;
      case "frame":
        events.push({ frame: e.frame, offset: e.offset, headerLength: e.headerLength, length: e.length });
        break;
      case "stream-error":
        events.push({ streamError: e.error.reason, streamId: e.streamId, scope: e.error.scope });
        break;
    }
  }
  return error === undefined ? { events } : { events, error };
}

function cutAt(b: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  return splitAt(
    b,
    [...new Set(cuts.map((c) => c % (b.length + 1)))].sort((x, y) => x - y),
  );
}

function bytesOneByOne(b: Uint8Array): Uint8Array[] {
  return Array.from({ length: b.length }, (_, i) => b.subarray(i, i + 1));
}

describe("finding 7: push(chunk, out) keeps the events completed before an error", () => {
  test("control stream: SETTINGS and GOAWAY, then an HTTP/2 PING frame, in one chunk", () => {
    const d = new Http3FrameDecoder({ stream: "control" });
    const out: Http3StreamEvent[] = [];
    expect(() => d.push(hex("0402 0610 070104 0600"), out)).toThrow(Http3Error);
    expect(out).toEqual([
      {
        type: "frame",
        frame: { type: FrameType.SETTINGS, settings: [{ id: 6, value: 16 }] },
        offset: 0,
        headerLength: 2,
        length: 2,
      },
      { type: "frame", frame: { type: FrameType.GOAWAY, id: 4 }, offset: 4, headerLength: 2, length: 1 },
    ]);
  });
  test("request stream: HEADERS and a DATA piece, then DATA after the trailers", () => {
    const d = new Http3FrameDecoder({ stream: "request" });
    const out: Http3StreamEvent[] = [];
    expect(() => d.push(hex("0104 0000d1d7 0002 6162 0104 0000d1d7 0000"), out)).toThrow(Http3Error);
    expect(out.map((e) => e.type)).toEqual(["frame", "data-start", "data", "frame"]);
    // The same events as pushing the bytes before the violation.
    expect(out).toEqual(new Http3FrameDecoder({ stream: "request" }).push(hex("0104 0000d1d7 0002 6162 0104 0000d1d7")));
  });
  test("events already in out are kept, new ones appended", () => {
    const d = new Http3FrameDecoder({});
    const out: Http3StreamEvent[] = [];
    d.push(hex("070104"), out);
    expect(() => d.push(hex("070108 0600"), out)).toThrow(Http3Error);
    expect(out.map((e) => (e.type === "frame" && e.frame.type === FrameType.GOAWAY ? e.frame.id : e.type))).toEqual([4, 8]);
  });
});

describe("a declared length is not memory: a frame straddling chunks holds only the bytes received", () => {
  test("HEADERS declaring 2^45 bytes with the limit lifted, then a few bytes", () => {
    // Before: the decoder allocated the declared size when the first payload byte arrived.
    const d = new Http3FrameDecoder({ stream: "request", maxPayloadLength: Number.MAX_SAFE_INTEGER });
    expect(d.push(hex("01 c000200000000000"))).toEqual([]);
    expect(d.push(hex("00 0000d1d7"))).toEqual([]);
    expect(d.offset).toBe(14);
  });
});

// ---------------------------------------------------------------- whole against chunked

const bytes = fc.uint8Array({ maxLength: 24 });
const smallId = fc.nat({ max: 20 });
const validFrame: fc.Arbitrary<Http3Frame> = fc.oneof(
  bytes.map((data): Http3Frame => ({ type: FrameType.DATA, data })),
  bytes.map((fieldSection): Http3Frame => ({ type: FrameType.HEADERS, fieldSection })),
  smallId.map((pushId): Http3Frame => ({ type: FrameType.CANCEL_PUSH, pushId })),
  smallId.map((pushId): Http3Frame => ({ type: FrameType.MAX_PUSH_ID, pushId })),
  smallId.map((id): Http3Frame => ({ type: FrameType.GOAWAY, id })),
  fc.constantFrom<Http3Frame>(
    { type: FrameType.SETTINGS, settings: [] },
    {
      type: FrameType.SETTINGS,
      settings: [
        { id: 6, value: 16384 },
        { id: 0x21, value: 1 },
      ],
    },
  ),
  fc.tuple(smallId, bytes).map(([pushId, fieldSection]): Http3Frame => ({ type: FrameType.PUSH_PROMISE, pushId, fieldSection })),
  smallId.map((i): Http3Frame => ({ type: FrameType.PRIORITY_UPDATE_REQUEST, elementId: i * 4, priorityFieldValue: "u=1" })),
  smallId.map((elementId): Http3Frame => ({ type: FrameType.PRIORITY_UPDATE_PUSH, elementId, priorityFieldValue: "i" })),
  fc
    .tuple(fc.nat({ max: 40 }), bytes)
    .map(([n, payload]): Http3Frame => ({ type: "unknown", frameType: 0x21 + 0x1f * n, reserved: true, payload })),
);
/** Pieces of a stream: mostly valid frames, some raw bytes (truncations, bad lengths, HTTP/2 types, garbage). */
const piece: fc.Arbitrary<Uint8Array> = fc.oneof(
  { weight: 6, arbitrary: validFrame.map(encodeFrame) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 12 }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(hex("0600"), hex("0300"), hex("0402 0000"), hex("0401 06"), hex("01ffffffffffffffff"), hex("0080ffff")),
  },
);
const stream = fc.array(piece, { maxLength: 10 }).map((ps) => concatBytes(ps));
const options: fc.Arbitrary<Http3FrameDecoderOptions> = fc.record({
  stream: fc.constantFrom<Http3StreamKind>("control", "request", "push", "any"),
  sender: fc.constantFrom<"client" | "server" | undefined>(undefined, "client", "server"),
  emitUnknown: fc.boolean(),
  maxPayloadLength: fc.constantFrom(16, 65_536),
  streamId: fc.constant(4),
});

describe("whole against chunked", () => {
  propTest.prop([options, stream, fc.array(fc.nat(), { maxLength: 12 }), fc.boolean()], { numRuns: 400 })(
    "any chunking gives the same events and the same error as whole input, for every stream kind and sender",
    (opts, wire, cuts, end) => {
      const whole = outcome(opts, [wire], end);
      expect(outcome(opts, cutAt(wire, cuts), end)).toEqual(whole);
      expect(outcome(opts, bytesOneByOne(wire), end)).toEqual(whole);
    },
  );
  test("the property covers errors of every stage (a fixed sample)", () => {
    const cases: [Http3FrameDecoderOptions, string][] = [
      [{ stream: "control" }, "0402 0610 070104 0600"],
      [{ stream: "control", sender: "server" }, "0400 0d0100"],
      [{ stream: "request", sender: "client" }, "2102abcd"],
      [{ stream: "request" }, "0104 0000d1d7 0003 6162"],
      [{ stream: "push" }, "0104 0000d1d7 0401 06"],
      [{ stream: "any", emitUnknown: true }, "0402 0610 2103 abcdef 0403 0610"],
    ];
    for (const [opts, h] of cases) {
      const whole = outcome(opts, [hex(h)]);
      expect(whole.error ?? whole.events.at(-1)).toBeDefined();
      expect(outcome(opts, bytesOneByOne(hex(h)))).toEqual(whole);
    }
  });
});

// ---------------------------------------------------------------- linearity

/** Counted work (test/helpers/work.ts) to feed `bytes` one byte at a time to a fresh decoder. */
function byteByByteWork(make: () => Http3FrameDecoder, bytes: Uint8Array): number {
  const d = make();
  const out: Http3StreamEvent[] = [];
  return countWork(() =>
    oneByteAtATime(bytes, (piece) => {
      d.push(piece, out);
      out.length = 0;
    }),
  );
}

function frameOf(type: number, payload: Uint8Array): Uint8Array {
  const n = payload.length;
  const head = Uint8Array.of(
    0x80 | (type >>> 24),
    (type >>> 16) & 0xff,
    (type >>> 8) & 0xff,
    type & 0xff,
    0x80 | (n >>> 24),
    (n >>> 16) & 0xff,
    (n >>> 8) & 0xff,
    n & 0xff,
  );
  return concatBytes([head, payload]);
}

/** A SETTINGS payload of about `size` bytes: distinct reserved identifiers (4-byte varints), value 0. */
function settingsPayload(size: number): Uint8Array {
  const count = Math.floor(size / 5);
  const out = new Uint8Array(count * 5);
  for (let i = 0; i < count; i++) {
    const id = 0x21 + 0x1f * i;
    out.set([0x80 | (id >>> 24), (id >>> 16) & 0xff, (id >>> 8) & 0xff, id & 0xff, 0], i * 5);
  }
  return out;
}

/** Frame events in brief (a deep comparison of megabyte payloads would dominate the test's time). */
function summary(events: Http3StreamEvent[]): unknown[] {
  return events.flatMap((e) => {
    if (e.type !== "frame") return [];
    const f = e.frame;
    const body =
      f.type === FrameType.SETTINGS
        ? f.settings.length
        : f.type === FrameType.HEADERS
          ? f.fieldSection
          : f.type === "unknown"
            ? f.payload
            : f;
    const bytes = body instanceof Uint8Array ? { length: body.length, sum: body.reduce((a, b) => (a + b) | 0, 0) } : body;
    return [{ offset: e.offset, length: e.length, type: f.type, bytes }];
  });
}

describe("linearity: a large frame fed one byte at a time", () => {
  const N = 16 * 1024;
  const cases: [string, (size: number) => Uint8Array, () => Http3FrameDecoder][] = [
    [
      "SETTINGS (buffered and decoded)",
      (size) => frameOf(FrameType.SETTINGS, settingsPayload(size)),
      () => new Http3FrameDecoder({ stream: "control", maxPayloadLength: 1 << 24 }),
    ],
    [
      "unknown frame, buffered (emitUnknown)",
      (size) => frameOf(0x21, new Uint8Array(size)),
      () => new Http3FrameDecoder({ stream: "request", emitUnknown: true, maxPayloadLength: 1 << 24 }),
    ],
    ["unknown frame, skipped", (size) => frameOf(0x21, new Uint8Array(size)), () => new Http3FrameDecoder({ stream: "request" })],
    [
      "HEADERS",
      (size) => frameOf(FrameType.HEADERS, new Uint8Array(size)),
      () => new Http3FrameDecoder({ stream: "request", maxPayloadLength: 1 << 24 }),
    ],
  ];
  test.each(cases)(
    "%s: counted work per byte at 8N (128 KiB) under 1.5x that at N (16 KiB)",
    (_name, frame, make) => {
      const small = frame(N);
      const large = frame(8 * N);
      // The large frame decodes completely, byte by byte, to the same frame as whole.
      const d = make();
      const out: Http3StreamEvent[] = [];
      oneByteAtATime(large, (piece) => d.push(piece, out));
      expect(summary(out)).toEqual(summary(make().push(large)));
      // Bytes copied, viewed and scanned: re-joining or re-reading the held payload on
      // every byte makes this 8x at 8N; linear holding copies each byte a bounded number of times.
      const perByteSmall = byteByByteWork(make, small) / small.length;
      const perByteLarge = byteByByteWork(make, large) / large.length;
      expect(perByteLarge / perByteSmall).toBeLessThan(1.5);
      expect(perByteLarge).toBeLessThan(8);
    },
    60_000,
  );
});
