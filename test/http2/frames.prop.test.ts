import { fc, test } from "@fast-check/vitest";
import { HttpwireError } from "httpwire";
import { HpackDecoder } from "httpwire/hpack";
import { decodeFrame, encodeFrame, type Frame, FrameDecoder, type FrameDecoderEvent, FrameType, Http2Error } from "httpwire/http2";
import { describe, expect } from "vitest";
import { okHeader } from "./hex.js";

const streamId = fc.integer({ min: 1, max: 2 ** 31 - 1 });
const u32 = fc.integer({ min: 0, max: 2 ** 32 - 1 });
const bytes = (max = 40) => fc.uint8Array({ maxLength: max });
const extra = (defined: number) => fc.integer({ min: 0, max: 255 }).map((f) => f & ~defined);
const latin1 = (max = 30) => fc.string({ unit: fc.integer({ min: 0, max: 255 }).map((c) => String.fromCharCode(c)), maxLength: max });
const pad = fc.option(fc.integer({ min: 0, max: 255 }), { nil: undefined });
const priority = fc.option(
  fc.record({
    exclusive: fc.boolean(),
    streamDependency: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
    weight: fc.integer({ min: 1, max: 256 }),
  }),
  { nil: undefined },
);
const b = (on: boolean, bit: number) => (on ? bit : 0);
const knownTypes = new Set<number>([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 16]);

const validSetting = fc.oneof(
  fc.record({ id: fc.constantFrom(2, 8, 9), value: fc.integer({ min: 0, max: 1 }) }),
  fc.record({ id: fc.constant(4), value: fc.integer({ min: 0, max: 2 ** 31 - 1 }) }),
  fc.record({ id: fc.constant(5), value: fc.integer({ min: 16_384, max: 2 ** 24 - 1 }) }),
  fc.record({ id: fc.constantFrom(1, 3, 6, 0, 7, 0xffff), value: u32 }),
);

/** Any frame the union can express that a decoder accepts, with flags consistent with its booleans. */
const frameArb: fc.Arbitrary<Frame> = fc.oneof(
  fc.record({ streamId, x: extra(0x09), endStream: fc.boolean(), padLength: pad, data: bytes() }).map(
    ({ streamId, x, endStream, padLength, data }): Frame => ({
      type: 0,
      streamId,
      flags: x | b(endStream, 1) | b(padLength !== undefined, 8),
      endStream,
      padded: padLength !== undefined,
      padLength,
      data,
    }),
  ),
  fc
    .record({
      streamId,
      x: extra(0x2d),
      endStream: fc.boolean(),
      endHeaders: fc.boolean(),
      padLength: pad,
      priority,
      fragment: bytes(),
    })
    .filter((f) => f.priority === undefined || f.priority.streamDependency !== f.streamId)
    .map(
      ({ streamId, x, endStream, endHeaders, padLength, priority, fragment }): Frame => ({
        type: 1,
        streamId,
        endStream,
        endHeaders,
        padded: padLength !== undefined,
        padLength,
        priority,
        fragment,
        flags: x | b(endStream, 1) | b(endHeaders, 4) | b(padLength !== undefined, 8) | b(priority !== undefined, 0x20),
      }),
    ),
  fc
    .record({
      streamId,
      flags: extra(0),
      exclusive: fc.boolean(),
      streamDependency: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
      weight: fc.integer({ min: 1, max: 256 }),
    })
    .filter((f) => f.streamDependency !== f.streamId)
    .map((f): Frame => ({ type: 2, ...f })),
  fc.record({ streamId, flags: extra(0), errorCode: u32 }).map((f): Frame => ({ type: 3, ...f })),
  fc.record({ x: extra(1), ack: fc.boolean(), settings: fc.array(validSetting, { maxLength: 6 }) }).map(
    ({ x, ack, settings }): Frame => ({
      type: 4,
      streamId: 0,
      flags: x | b(ack, 1),
      ack,
      settings: ack ? [] : settings,
    }),
  ),
  fc
    .record({
      streamId,
      x: extra(0x0c),
      endHeaders: fc.boolean(),
      padLength: pad,
      promised: fc.integer({ min: 1, max: 2 ** 30 - 1 }),
      fragment: bytes(),
    })
    .map(
      ({ streamId, x, endHeaders, padLength, promised, fragment }): Frame => ({
        type: 5,
        streamId,
        flags: x | b(endHeaders, 4) | b(padLength !== undefined, 8),
        endHeaders,
        padded: padLength !== undefined,
        padLength,
        promisedStreamId: promised * 2,
        fragment,
      }),
    ),
  fc
    .record({ x: extra(1), ack: fc.boolean(), opaqueData: fc.uint8Array({ minLength: 8, maxLength: 8 }) })
    .map(({ x, ack, opaqueData }): Frame => ({ type: 6, streamId: 0, flags: x | b(ack, 1), ack, opaqueData })),
  fc
    .record({
      flags: extra(0),
      lastStreamId: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
      errorCode: u32,
      debugData: bytes(),
    })
    .map((f): Frame => ({ type: 7, streamId: 0, ...f })),
  fc
    .record({
      streamId: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
      flags: extra(0),
      windowSizeIncrement: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
    })
    .map((f): Frame => ({ type: 8, ...f })),
  fc.record({ streamId, x: extra(4), endHeaders: fc.boolean(), fragment: bytes() }).map(
    ({ streamId, x, endHeaders, fragment }): Frame => ({
      type: 9,
      streamId,
      flags: x | b(endHeaders, 4),
      endHeaders,
      fragment,
    }),
  ),
  fc
    .record({ streamId: fc.integer({ min: 0, max: 9 }), flags: extra(0), origin: latin1(), fieldValue: latin1() })
    .map((f): Frame => ({ type: 10, ...f })),
  fc
    .record({
      streamId: fc.integer({ min: 0, max: 9 }),
      flags: extra(0),
      origins: fc.array(latin1(), { maxLength: 4 }),
    })
    .map((f): Frame => ({ type: 12, ...f })),
  fc
    .record({ flags: extra(0), prioritizedStreamId: streamId, priorityFieldValue: latin1() })
    .map((f): Frame => ({ type: 16, streamId: 0, ...f })),
  fc
    .record({
      frameType: fc.integer({ min: 0, max: 255 }).filter((t) => !knownTypes.has(t)),
      streamId: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
      flags: extra(0),
      payload: bytes(),
    })
    .map((f): Frame => ({ type: "unknown", ...f })),
);

describe("frame round trips", () => {
  test.prop([frameArb])("any frame the union can express survives encode then decode", (frame) => {
    const wire = encodeFrame(frame);
    const decoded = decodeFrame(okHeader(wire), wire.subarray(9));
    expect(decoded).toEqual(frame);
    expect(encodeFrame(decoded)).toEqual(wire);
  });
});

/**
 * Feeds `input` split at `cuts`; returns the events (each with the stream offset and length of the frame that
 * completed it, read from `lastFrame` as the event is appended) and the error, if any: events completed
 * before an error are kept in `out`.
 */
function run(input: Uint8Array, cuts: number[], joinFieldBlocks = true): { events: unknown[]; error?: Http2Error } {
  const d = new FrameDecoder({ hpack: new HpackDecoder(), maxContinuationFrames: 4, joinFieldBlocks });
  const events: unknown[] = [];
  const sink = {
    push: (e: FrameDecoderEvent) =>
      events.push({
        e: e.type === "stream-error" ? { stream_error: e.error.reason, streamId: e.streamId } : e,
        at: d.lastFrame.offset,
        length: d.lastFrame.length,
      }),
  };
  const points = [...new Set(cuts.map((c) => c % (input.length + 1)))].sort((a, b) => a - b);
  let prev = 0;
  try {
    for (const p of [...points, input.length]) {
      d.push(input.subarray(prev, p), sink);
      prev = p;
    }
    d.end();
    return { events };
  } catch (e) {
    if (e instanceof Http2Error) return { events, error: e };
    throw e;
  }
}

function describeOutcome(r: ReturnType<typeof run>): unknown {
  const error =
    r.error === undefined ? undefined : { code: r.error.code, scope: r.error.scope, reason: r.error.reason, offset: r.error.offset };
  return { events: r.events, error };
}

const streamArb = fc.oneof(
  fc.uint8Array({ maxLength: 200 }),
  fc
    .record({
      frames: fc.array(frameArb, { maxLength: 8 }),
      flips: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 3 }),
    })
    .map(({ frames, flips }) => {
      const parts = frames.map((f) => encodeFrame(f));
      const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
      let o = 0;
      for (const p of parts) {
        out.set(p, o);
        o += p.length;
      }
      for (const [at, v] of flips) if (out.length > 0) out[at % out.length] = v;
      return out;
    }),
);

describe("FrameDecoder chunking invariance", () => {
  test.prop([streamArb, fc.array(fc.nat(), { maxLength: 12 })])(
    "arbitrary bytes in arbitrary chunkings yield the same frames as one chunk, or the same error",
    (input, cuts) => {
      const whole = run(input, []);
      const chunked = run(input, cuts);
      const bytewise = run(
        input,
        Array.from({ length: input.length }, (_, i) => i),
      );
      expect(describeOutcome(chunked)).toEqual(describeOutcome(whole));
      expect(describeOutcome(bytewise)).toEqual(describeOutcome(whole));
    },
  );

  test.prop([streamArb, fc.array(fc.nat(), { maxLength: 12 })])(
    "the same with joinFieldBlocks: false and hpack (the capture path): frames, field-block events, positions, error",
    (input, cuts) => {
      const whole = run(input, [], false);
      expect(describeOutcome(run(input, cuts, false))).toEqual(describeOutcome(whole));
      expect(
        describeOutcome(
          run(
            input,
            Array.from({ length: input.length }, (_, i) => i),
            false,
          ),
        ),
      ).toEqual(describeOutcome(whole));
    },
  );

  test.prop([streamArb, fc.constantFrom(undefined, "client" as const, "server" as const), fc.boolean()])(
    "arbitrary bytes give frames or an Http2Error, nothing else",
    (input, peer, joinFieldBlocks) => {
      const d = new FrameDecoder({
        hpack: joinFieldBlocks ? new HpackDecoder() : undefined,
        joinFieldBlocks,
        sender: peer,
      });
      try {
        d.push(input);
        d.end();
      } catch (e) {
        if (!(e instanceof HttpwireError) || !(e instanceof Http2Error)) throw e;
      }
    },
  );

  // Mostly the defined types (0x00..0x10), sometimes any octet; stream 0 and 1 often.
  const anyType = fc.oneof(fc.integer({ min: 0, max: 0x10 }), fc.integer({ min: 0, max: 255 }));
  const anyStream = fc.oneof(fc.constantFrom(0, 1), fc.integer({ min: 0, max: 2 ** 31 - 1 }));
  test.prop([anyType, fc.integer({ min: 0, max: 255 }), anyStream, bytes(24)])(
    "decodeFrame on any type, flags, stream and payload gives a frame or an Http2Error",
    (type, flags, id, payload) => {
      try {
        const f = decodeFrame({ length: payload.length, type, flags, streamId: id }, payload);
        expect([f.streamId, f.flags]).toEqual([id, flags]);
      } catch (e) {
        if (!(e instanceof Http2Error)) throw e;
      }
    },
  );
});

describe("FrameDecoder on valid frame sequences", () => {
  test.prop([
    fc.array(
      frameArb.filter((f) => f.type !== FrameType.CONTINUATION && !(f.type === 1 && !f.endHeaders) && !(f.type === 5 && !f.endHeaders)),
      { maxLength: 8 },
    ),
  ])("decodes exactly the frames encoded (field blocks as header block events)", (frames) => {
    const d = new FrameDecoder({ maxFrameSize: 2 ** 24 - 1 });
    const wire = frames.map((f) => encodeFrame(f));
    const events = wire.flatMap((w) => d.push(w));
    const expected = frames.map((f) =>
      f.type === 1 || f.type === 5
        ? {
            type: "field-block",
            streamId: f.streamId,
            frame: f,
            endStream: f.type === 1 && f.endStream,
            block: f.fragment,
            continuationFrames: 0,
            fields: undefined,
          }
        : f,
    );
    expect(events).toEqual(expected);
  });
});
