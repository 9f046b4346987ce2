/**
 * FrameDecoder `dataPieces: true`: DATA reported as pieces that are views of
 * the pushed chunks (issue 16). Checked against the default decoder fed the
 * whole input: the same frames, pieces that concatenate to each DATA frame's
 * exact content, flow-controlled lengths that add up to the payload length,
 * the same counters, and the same errors with the same codes.
 */
import { fc, test } from "@fast-check/vitest";
import {
  type DataFrame,
  type DataPieceEvent,
  dataFrames,
  encodeFrame,
  FrameDecoder,
  type FrameDecoderEvent,
  type FrameInit,
  FrameType,
  Http2Error,
} from "httpwire/http2";
import { describe, expect, expectTypeOf } from "vitest";
import { concat } from "../helpers/hex.js";
import { caught, hex } from "./hex.js";

type Event = FrameDecoderEvent | DataPieceEvent;

/** Cuts `bytes` at the given (sorted, deduplicated) offsets. */
function cut(bytes: Uint8Array, at: number[]): Uint8Array[] {
  const points = [...new Set(at.map((a) => a % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let prev = 0;
  for (const p of [...points, bytes.length]) {
    out.push(bytes.subarray(prev, p));
    prev = p;
  }
  return out;
}

/** Each chunk copied into an ArrayBuffer of its own, so that views can be traced to the chunk they came from. */
function own(chunks: Uint8Array[]): Uint8Array[] {
  return chunks.map((c) => c.slice());
}

interface Fed {
  events: Event[];
  /** For each event, the chunk being pushed when it was appended. */
  chunkOf: Uint8Array[];
  error: Http2Error | undefined;
  decoder: FrameDecoder<undefined, boolean>;
}

function feed(chunks: Uint8Array[], options: { dataPieces: boolean; joinFieldBlocks?: boolean }): Fed {
  const decoder = new FrameDecoder(options);
  const events: Event[] = [];
  const chunkOf: Uint8Array[] = [];
  let error: Http2Error | undefined;
  try {
    for (const c of chunks) {
      decoder.push(c, {
        push: (e: Event) => {
          events.push(e);
          chunkOf.push(c);
        },
      });
    }
    decoder.end();
  } catch (e) {
    if (!(e instanceof Http2Error)) throw e;
    error = e;
  }
  return { events, chunkOf, error, decoder };
}

/**
 * Folds the pieces of each DATA frame into the DataFrame the default decoder reports, checking the piece
 * invariants on the way; returns the events as the default decoder gives them.
 */
function fold(fed: Fed): { events: FrameDecoderEvent[]; flow: number[] } {
  const events: FrameDecoderEvent[] = [];
  const flow: number[] = [];
  let open: { parts: Uint8Array[]; flow: number; streamId: number; offset: number } | undefined;
  fed.events.forEach((e, i) => {
    if (e.type !== "data-piece") {
      expect(open, "a frame between the pieces of a DATA frame").toBeUndefined();
      events.push(e);
      return;
    }
    // Every piece is a view of the chunk it arrived in (an empty one may be a view of anything).
    if (e.data.length > 0) expect(e.data.buffer).toBe(fed.chunkOf[i]!.buffer);
    if (open === undefined) open = { parts: [], flow: 0, streamId: e.streamId, offset: e.offset };
    else {
      expect(e.streamId).toBe(open.streamId);
      // Consecutive pieces: each starts where the content before it ended (padding only comes at the end).
      const last = open.parts.reduce((a, p) => a + p.length, open.offset);
      if (e.data.length > 0) expect(e.offset).toBe(last);
    }
    open.parts.push(e.data);
    open.flow += e.flowLength;
    if (!e.end) {
      expect(e.endStream).toBe(false);
      expect(e.data.length).toBeGreaterThan(0);
      return;
    }
    const data = concat(...open.parts);
    events.push({ type: FrameType.DATA, streamId: e.streamId, endStream: e.endStream, data } as unknown as DataFrame);
    flow.push(open.flow);
    open = undefined;
  });
  return { events, flow };
}

/** Whether two byte arrays are equal (a plain loop: deep equality of large arrays is slow in expect). */
function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Checks two event lists are the same, DATA reduced to what pieces carry (its content compared byte by byte). */
function expectSameEvents(actual: FrameDecoderEvent[], expected: FrameDecoderEvent[]): void {
  const reduce = (events: FrameDecoderEvent[]) =>
    events.map((e) =>
      e.type === FrameType.DATA ? { type: FrameType.DATA, streamId: e.streamId, endStream: e.endStream, length: e.data.length } : e,
    );
  expect(reduce(actual)).toEqual(reduce(expected));
  actual.forEach((e, i) => {
    const x = expected[i]!;
    if (e.type === FrameType.DATA && x.type === FrameType.DATA && !sameBytes(e.data, x.data))
      expect.fail(`DATA content of event ${i} differs`);
  });
}

const streamId = fc.integer({ min: 1, max: 9 });
const dataFrame = fc
  .record({
    streamId,
    endStream: fc.boolean(),
    padLength: fc.option(fc.integer({ min: 0, max: 40 }), { nil: undefined }),
    size: fc.oneof(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 1000, max: 5000 })),
    seed: fc.integer({ min: 0, max: 255 }),
  })
  .map(
    ({ streamId, endStream, padLength, size, seed }): FrameInit => ({
      type: FrameType.DATA,
      streamId,
      endStream,
      padLength,
      data: Uint8Array.from({ length: size }, (_, i) => (i * 7 + seed) & 0xff),
    }),
  );
const otherFrame = fc.oneof(
  fc.constant<FrameInit>({ type: FrameType.PING, streamId: 0, opaqueData: hex("0102030405060708") }),
  fc.constant<FrameInit>({ type: FrameType.SETTINGS, streamId: 0, settings: [{ id: 3, value: 100 }] }),
  fc
    .record({ streamId, inc: fc.integer({ min: 1, max: 1000 }) })
    .map(({ streamId, inc }): FrameInit => ({ type: FrameType.WINDOW_UPDATE, streamId, windowSizeIncrement: inc })),
  fc
    .record({ streamId, fragment: fc.uint8Array({ maxLength: 50 }), endHeaders: fc.boolean() })
    .map(({ streamId, fragment, endHeaders }): FrameInit[] =>
      endHeaders
        ? [{ type: FrameType.HEADERS, streamId, endHeaders: true, fragment }]
        : [
            { type: FrameType.HEADERS, streamId, fragment },
            { type: FrameType.CONTINUATION, streamId, endHeaders: true, fragment: fragment.subarray(0, 3) },
          ],
    ),
);
const session = fc
  .array(fc.oneof({ weight: 3, arbitrary: dataFrame }, { weight: 1, arbitrary: otherFrame }), { maxLength: 12 })
  .map((frames) => concat(...frames.flat().map(encodeFrame)));
const cuts = fc.array(fc.nat(), { maxLength: 20 });

const TRUNCATED = hex("000010 00 00 00000001 | 0102");

/** A bad frame the header or the Pad Length octet proves wrong, and the error the whole-frame path gives. */
const badData = fc.constantFrom(
  // DATA on stream 0 (RFC 9113 §6.1): PROTOCOL_ERROR data_stream_0
  hex("000004 00 00 00000000 | 01020304"),
  // Pad Length 4 in a 4-octet payload (§6.1): PROTOCOL_ERROR data_padding_too_long
  hex("000004 00 08 00000001 | 04 010203"),
  // Pad Length 255 in a 1-octet payload
  hex("000001 00 09 00000003 | ff"),
  // PADDED with no payload (§4.2): FRAME_SIZE_ERROR data_too_short
  hex("000000 00 08 00000001"),
  // Over SETTINGS_MAX_FRAME_SIZE (§4.2): FRAME_SIZE_ERROR frame_too_large
  concat(hex("004001 00 00 00000001"), new Uint8Array(16_385)),
  // Inside an open field block (§6.10): PROTOCOL_ERROR continuation_expected
  concat(hex("000001 01 00 00000001 | 82"), hex("000002 00 01 00000001 | 0102")),
  // Stops inside the payload: truncated_frame at end() (the property puts nothing after it)
  TRUNCATED,
);

describe("FrameDecoder dataPieces (DATA as views of the pushed chunks)", () => {
  test.prop([session, cuts], { numRuns: 200 })(
    "any chunking: the same frames as the whole-input default, pieces concatenate to each DATA frame's content",
    (bytes, at) => {
      const whole = feed([bytes], { dataPieces: false });
      expect(whole.error).toBeUndefined();
      const chunks = own(cut(bytes, at));
      for (const join of [true, false]) {
        const ref = join ? whole : feed([bytes], { dataPieces: false, joinFieldBlocks: false });
        const fed = feed(chunks, { dataPieces: true, joinFieldBlocks: join });
        expect(fed.error).toBeUndefined();
        const { events, flow } = fold(fed);
        expectSameEvents(events, ref.events as FrameDecoderEvent[]);
        // Flow control counts the whole payload, Pad Length and padding included (RFC 9113 §6.9.1).
        const dataFrames = ref.events.filter((e): e is DataFrame => e.type === FrameType.DATA);
        expect(flow).toEqual(dataFrames.map((f) => f.data.length + (f.padded ? 1 + f.padLength! : 0)));
        expect(fed.decoder.counters).toEqual(ref.decoder.counters);
        expect(fed.decoder.offset).toBe(bytes.length);
        expect(fed.decoder.heldCapacity).toBe(0);
      }
    },
  );

  test.prop([session, badData, session, cuts], { numRuns: 200 })(
    "a bad DATA frame anywhere, any chunking: the error of the whole-frame path (code, reason, offset), the same frames before it",
    (before, bad, after, at) => {
      const bytes = bad === TRUNCATED ? concat(before, bad) : concat(before, bad, after);
      const whole = feed([bytes], { dataPieces: false });
      const fed = feed(own(cut(bytes, at)), { dataPieces: true });
      expect(whole.error).toBeDefined();
      expect(fed.error).toBeDefined();
      expect([fed.error!.code, fed.error!.reason, fed.error!.offset, fed.error!.scope]).toEqual([
        whole.error!.code,
        whole.error!.reason,
        whole.error!.offset,
        whole.error!.scope,
      ]);
      expectSameEvents(fold(fed).events, whole.events as FrameDecoderEvent[]);
    },
  );

  test("a padded frame cut at every octet: content without padding, flowLength adds up to the payload length", () => {
    // 13-octet payload: Pad Length 4, content aabbccddeeffgghh, padding 4 zeros
    const frame = hex("00000d 00 09 00000003 | 04 | 0102030405060708 | 00000000");
    for (let i = 0; i <= frame.length; i++) {
      for (let j = i; j <= frame.length; j++) {
        const fed = feed(own([frame.subarray(0, i), frame.subarray(i, j), frame.subarray(j)]), { dataPieces: true });
        expect(fed.error).toBeUndefined();
        const pieces = fed.events as DataPieceEvent[];
        expect(concat(...pieces.map((p) => p.data))).toEqual(hex("0102030405060708"));
        expect(pieces.reduce((a, p) => a + p.flowLength, 0)).toBe(13);
        expect(pieces.filter((p) => p.end)).toHaveLength(1);
        expect(pieces.at(-1)).toMatchObject({ end: true, endStream: true, streamId: 3 });
        expect(pieces.slice(0, -1).every((p) => !p.endStream && p.data.length > 0)).toBe(true);
        expect(pieces[0]!.offset).toBe(10);
      }
    }
  });

  test("an empty DATA frame is one empty piece with end: true; counted as empty when it has no END_STREAM", () => {
    const d = new FrameDecoder({ dataPieces: true });
    const events = d.push(hex("000000 00 00 00000001"));
    expect(events).toEqual([
      { type: "data-piece", streamId: 1, data: new Uint8Array(0), offset: 9, flowLength: 0, end: true, endStream: false },
    ]);
    expect(d.counters.emptyData).toBe(1);
    // Padding only, cut after the Pad Length: no piece until the frame ends, then one empty piece with all 3 octets.
    const padded = hex("000003 00 09 00000001 | 02 0000");
    expect(d.push(padded.subarray(0, 10))).toEqual([]);
    expect(d.partialFrame).toEqual({ offset: 9, type: 0, remaining: 2 });
    expect(d.push(padded.subarray(10))).toEqual([
      { type: "data-piece", streamId: 1, data: new Uint8Array(0), offset: 19, flowLength: 3, end: true, endStream: true },
    ]);
    expect(d.counters.emptyData).toBe(1); // END_STREAM: not an empty frame
  });

  test("pieces are views of the chunk: nothing is gathered, and mutating the chunk shows through (the documented lifetime)", () => {
    const d = new FrameDecoder({ dataPieces: true });
    const frame = encodeFrame({ type: FrameType.DATA, streamId: 5, data: new Uint8Array(16_384).fill(7) });
    const a = frame.slice(0, 1_400);
    const b = frame.slice(1_400);
    const [p1] = d.push(a);
    expect(d.heldCapacity).toBe(0);
    const [p2] = d.push(b);
    expect(p1).toMatchObject({ type: "data-piece", end: false, flowLength: 1_391, offset: 9 });
    expect(p2).toMatchObject({ type: "data-piece", end: true, flowLength: 16_384 - 1_391, offset: 1_400 });
    const d1 = (p1 as DataPieceEvent).data;
    expect(d1.buffer).toBe(a.buffer);
    a[100] = 9;
    expect(d1[91]).toBe(9);
  });

  test("a sink sees lastFrame as the DATA frame while a piece is appended; end() inside a DATA frame is truncated_frame", () => {
    const d = new FrameDecoder({ dataPieces: true });
    const seen: number[] = [];
    d.push(hex("000004 00 01 00000007 | 0102"), { push: () => seen.push(d.lastFrame.streamId, d.lastFrame.offset) });
    expect(seen).toEqual([7, 0]);
    expect(caught(() => d.end())).toMatchObject({ code: 1, reason: "truncated_frame" });
  });

  test("types: with dataPieces: true, DATA comes as data-piece and never as a DataFrame", () => {
    const pieces = new FrameDecoder({ dataPieces: true }).push(new Uint8Array(0));
    expectTypeOf(pieces[0]!).toEqualTypeOf<Exclude<FrameDecoderEvent<undefined>, DataFrame> | DataPieceEvent>();
    const frames = new FrameDecoder().push(new Uint8Array(0));
    expectTypeOf(frames[0]!).toEqualTypeOf<FrameDecoderEvent<undefined>>();
    expect(() => new FrameDecoder({ dataPieces: 1 as unknown as boolean })).toThrow(TypeError);
  });
});

describe("docs/http2.md: Writing DATA without copying", () => {
  test("the example: a header, then the body itself", () => {
    const body = new TextEncoder().encode("hello, world");
    const pieces = dataFrames(1, body, 16_384, true);
    expect(pieces).toHaveLength(2);
    expect(pieces[0]).toEqual(hex("00000c 00 01 00000001"));
    expect(pieces[1]!.buffer).toBe(body.buffer);
    expect(pieces[1]).toEqual(body);
    // What a dataPieces decoder reads back from those pieces, pushed as they are: the body's own bytes.
    const d = new FrameDecoder({ dataPieces: true });
    const events = pieces.flatMap((p) => d.push(p));
    expect(events).toEqual([{ type: "data-piece", streamId: 1, data: body, offset: 9, flowLength: 12, end: true, endStream: true }]);
    expect((events[0] as DataPieceEvent).data.buffer).toBe(body.buffer);
  });
});
