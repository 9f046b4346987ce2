import { fc, test } from "@fast-check/vitest";
import { HttpwireError } from "httpwire";
import {
  encodeFrame,
  FrameType,
  Http3Error,
  type Http3Frame,
  Http3FrameDecoder,
  type Http3StreamEvent,
  type Http3StreamKind,
  isGreaseValue,
  isHttp2OnlyFrameType,
  isHttp2OnlySettingsId,
  readFrame,
} from "httpwire/http3";
import { normalizeVarint } from "httpwire/quic";
import { expect } from "vitest";
import { splitAt } from "../../src/arbitraries/chunks.js";
import { concat as concatBytes } from "../helpers/hex.js";

const varint = fc.bigInt({ min: 0n, max: 2n ** 62n - 1n }).map(normalizeVarint);
const smallVarint = fc.oneof(fc.nat({ max: 70000 }), varint);
const bytes = fc.uint8Array({ maxLength: 40 });
const ascii = fc.string({
  unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
  maxLength: 20,
});
const KNOWN = new Set<number | bigint>(Object.values(FrameType));

const settingsArb = fc
  .uniqueArray(
    fc.tuple(
      smallVarint.filter((id) => !isHttp2OnlySettingsId(id)),
      smallVarint,
    ),
    { selector: ([id]) => String(id), maxLength: 6 },
  )
  .map((pairs) => pairs.map(([id, value]) => ({ id, value: id === 0x08 || id === 0x33 ? Number(value) % 2 : value })));

const frameArb: fc.Arbitrary<Http3Frame> = fc.oneof(
  bytes.map((data) => ({ type: FrameType.DATA, data })),
  bytes.map((fieldSection) => ({ type: FrameType.HEADERS, fieldSection })),
  varint.map((pushId) => ({ type: FrameType.CANCEL_PUSH, pushId })),
  varint.map((pushId) => ({ type: FrameType.MAX_PUSH_ID, pushId })),
  varint.map((id) => ({ type: FrameType.GOAWAY, id })),
  settingsArb.map((settings) => ({ type: FrameType.SETTINGS, settings })),
  fc.tuple(varint, bytes).map(([pushId, fieldSection]) => ({ type: FrameType.PUSH_PROMISE, pushId, fieldSection })),
  fc.tuple(fc.bigInt({ min: 0n, max: 2n ** 60n - 1n }), ascii).map(([i, priorityFieldValue]) => ({
    type: FrameType.PRIORITY_UPDATE_REQUEST,
    elementId: normalizeVarint(i * 4n),
    priorityFieldValue,
  })),
  fc.tuple(varint, ascii).map(([elementId, priorityFieldValue]) => ({
    type: FrameType.PRIORITY_UPDATE_PUSH,
    elementId,
    priorityFieldValue,
  })),
  fc
    .tuple(
      smallVarint.filter((t) => !KNOWN.has(t) && !isHttp2OnlyFrameType(t)),
      bytes,
    )
    .map(([frameType, payload]) => ({
      type: "unknown" as const,
      frameType,
      reserved: isGreaseValue(frameType),
      payload,
    })),
);

test.prop([frameArb])("round trip of any frame the union expresses", (frame) => {
  const wire = encodeFrame(frame);
  expect(readFrame(wire)).toEqual({ status: "ok", frame, length: wire.length });
});

/** Merges each DATA frame's pieces into one, so chunkings compare equal. */
function normalize(events: Http3StreamEvent[]): unknown[] {
  const out: unknown[] = [];
  let acc: number[] | undefined;
  for (const e of events) {
    if (e.type === "data-start") acc = [];
    else if (e.type === "data") {
      acc!.push(...e.data);
      if (e.end) {
        out.push({ data: acc });
        acc = undefined;
      }
    } else if (e.type === "frame") out.push(e.frame);
    else out.push(e);
  }
  if (acc) out.push({ partialData: acc });
  return out;
}

/** Cuts `b` at arbitrary positions (taken modulo its length + 1). */
function cutAt(b: Uint8Array, cuts: number[]): Uint8Array[] {
  return splitAt(
    b,
    [...new Set(cuts.map((c) => c % (b.length + 1)))].sort((x, y) => x - y),
  );
}

const concat = (parts: Uint8Array[]): Uint8Array => concatBytes(...parts);

const grease = fc
  .tuple(fc.nat({ max: 1000 }), bytes)
  .map(([n, payload]) => ({ type: "unknown" as const, frameType: 0x1f * n + 0x21, reserved: true, payload }));
const requestStream = fc
  .tuple(
    bytes,
    fc.array(
      fc.oneof(
        bytes.map((data): Http3Frame => ({ type: FrameType.DATA, data })),
        grease,
      ),
      { maxLength: 6 },
    ),
    fc.option(bytes),
  )
  .map(([h, middle, trailers]) => {
    const frames: Http3Frame[] = [{ type: FrameType.HEADERS, fieldSection: h }, ...middle];
    if (trailers !== null) frames.push({ type: FrameType.HEADERS, fieldSection: trailers });
    return concat(frames.map(encodeFrame));
  });
const controlStream = fc
  .tuple(
    settingsArb,
    fc.array(
      fc.oneof(
        grease,
        varint.map((pushId): Http3Frame => ({ type: FrameType.CANCEL_PUSH, pushId })),
        varint.map((id): Http3Frame => ({ type: FrameType.GOAWAY, id })),
      ),
      { maxLength: 6 },
    ),
  )
  .map(([settings, rest]) => {
    // RFC 9114 §5.2: GOAWAY identifiers never increase on one control stream.
    const ids = rest.flatMap((f) => (f.type === FrameType.GOAWAY ? [BigInt(f.id)] : [])).sort((x, y) => (x > y ? -1 : x < y ? 1 : 0));
    const ordered = rest.map((f) => (f.type === FrameType.GOAWAY ? { type: FrameType.GOAWAY, id: normalizeVarint(ids.shift()!) } : f));
    return concat([{ type: FrameType.SETTINGS, settings } as Http3Frame, ...ordered].map(encodeFrame));
  });

test.prop([
  fc.oneof(
    requestStream.map((b) => ["request", b] as const),
    controlStream.map((b) => ["control", b] as const),
  ),
  fc.array(fc.nat(), { maxLength: 12 }),
])("any chunking of a valid stream gives the same frames", ([kind, wire], cuts) => {
  const whole = new Http3FrameDecoder({ stream: kind }).push(wire);
  const d = new Http3FrameDecoder({ stream: kind });
  const pieces: Http3StreamEvent[] = [];
  for (const chunk of cutAt(wire, cuts)) pieces.push(...d.push(chunk));
  expect(normalize(pieces)).toEqual(normalize(whole));
  // Byte at a time too.
  const e = new Http3FrameDecoder({ stream: kind });
  const single: Http3StreamEvent[] = [];
  for (let i = 0; i < wire.length; i++) single.push(...e.push(wire.subarray(i, i + 1)));
  expect(normalize(single)).toEqual(normalize(whole));
  if (kind === "request") {
    d.end();
    e.end();
  }
});

test.prop([
  fc.constantFrom<Http3StreamKind>("control", "request", "push", "any"),
  fc.boolean(),
  fc.uint8Array({ maxLength: 64 }),
  fc.array(fc.nat(), { maxLength: 6 }),
])("arbitrary bytes give events or an Http3Error, nothing else", (kind, emitUnknown, wire, cuts) => {
  const d = new Http3FrameDecoder({ stream: kind, emitUnknown });
  try {
    for (const chunk of cutAt(wire, cuts)) d.push(chunk);
    d.end();
  } catch (e) {
    if (!(e instanceof HttpwireError)) throw e;
    expect(e).toBeInstanceOf(Http3Error);
  }
  try {
    readFrame(wire);
  } catch (e) {
    if (!(e instanceof Http3Error)) throw e;
  }
});
