import { HttpwireError } from "httpwire";
import { HpackError } from "httpwire/hpack";
import {
  CONNECTION_PREFACE,
  encodeFrame,
  FrameDecoder,
  type FrameDecoderEvent,
  type FrameInit,
  FrameType,
  fieldBlockFrames,
} from "httpwire/http2";
import { describe, expect, test } from "vitest";
import { concat } from "../helpers/hex.js";
import { caught, hex } from "./hex.js";

const enc = (...frames: FrameInit[]) => concat(...frames.map(encodeFrame));
const settings = enc({ type: FrameType.SETTINGS, streamId: 0, settings: [{ id: 3, value: 100 }] });
const ping = enc({ type: FrameType.PING, streamId: 0, opaqueData: hex("0102030405060708") });

function feedBytewise(d: FrameDecoder, bytes: Uint8Array): FrameDecoderEvent[] {
  const out: FrameDecoderEvent[] = [];
  for (let i = 0; i < bytes.length; i++) out.push(...d.push(bytes.subarray(i, i + 1)));
  return out;
}

describe("FrameDecoder chunking and lifetime", () => {
  const stream = concat(settings, ping, enc({ type: FrameType.DATA, streamId: 1, padLength: 4, endStream: true, data: hex("aabbcc") }));

  test("one chunk, one byte at a time: same frames", () => {
    const whole = new FrameDecoder().push(stream);
    expect(whole.map((f) => f.type)).toEqual([4, 6, 0]);
    expect(feedBytewise(new FrameDecoder(), stream)).toEqual(whole);
  });

  test("a frame inside one chunk is a view of it", () => {
    const events = new FrameDecoder().push(stream);
    const data = events[2]!;
    expect(data.type === FrameType.DATA && data.data.buffer).toBe(stream.buffer);
  });

  /** Pushes `frame` split after two payload octets (so it straddles chunks) and returns what it decodes to. */
  const straddled = (d: FrameDecoder, frame: Uint8Array) => [...d.push(frame.subarray(0, 11)), ...d.push(frame.subarray(11))][0]!;

  test("a straddling DATA frame gets a fresh buffer of its own, never recycled", () => {
    const d = new FrameDecoder();
    const a = enc({ type: FrameType.DATA, streamId: 1, data: hex("01020304") });
    const b = enc({ type: FrameType.DATA, streamId: 1, data: hex("05060708") });
    const f1 = straddled(d, a);
    const f2 = straddled(d, b);
    if (f1.type !== FrameType.DATA || f2.type !== FrameType.DATA) throw new Error("want DATA");
    expect(f1.data).toEqual(hex("01020304"));
    expect(f2.data).toEqual(hex("05060708"));
    // A body kept chunk by chunk pins nothing but its own bytes.
    expect(f1.data.buffer).not.toBe(f2.data.buffer);
    expect(f1.data.buffer).not.toBe(a.buffer);
    expect(f1.data.buffer.byteLength).toBe(4);
  });

  test("a straddling frame other than DATA gets bytes nothing else writes to (the shared slab), never recycled", () => {
    const d = new FrameDecoder();
    const a = enc({ type: FrameType.PING, streamId: 0, ack: false, opaqueData: hex("0102030405060708") });
    const b = enc({ type: FrameType.PING, streamId: 0, ack: false, opaqueData: hex("1112131415161718") });
    const f1 = straddled(d, a);
    const f2 = straddled(d, b);
    if (f1.type !== FrameType.PING || f2.type !== FrameType.PING) throw new Error("want PING");
    // Gathering the second frame left the first one's bytes alone (checked after both pushes).
    expect(f1.opaqueData).toEqual(hex("0102030405060708"));
    expect(f2.opaqueData).toEqual(hex("1112131415161718"));
    const overlap =
      f1.opaqueData.buffer === f2.opaqueData.buffer &&
      f1.opaqueData.byteOffset < f2.opaqueData.byteOffset + f2.opaqueData.length &&
      f2.opaqueData.byteOffset < f1.opaqueData.byteOffset + f1.opaqueData.length;
    expect(overlap).toBe(false);
    expect(f1.opaqueData.buffer).not.toBe(a.buffer);
    expect(f2.opaqueData.buffer).not.toBe(b.buffer);
  });

  test("a multi-frame field block: fragments are views within one push, copied when the block stays open", () => {
    const headers = enc({ type: FrameType.HEADERS, streamId: 1, endHeaders: false, fragment: hex("8286") });
    const cont = enc({ type: FrameType.CONTINUATION, streamId: 1, endHeaders: true, fragment: hex("8441") });
    const wire = new Uint8Array(headers.length + cont.length);
    wire.set(headers);
    wire.set(cont, headers.length);
    // Whole block in one push: the opening frame's fragment is a view of the chunk.
    const [one] = new FrameDecoder().push(wire);
    if (one?.type !== "field-block") throw new Error("want header_block");
    expect(one.block).toEqual(hex("82868441"));
    expect(one.continuationFrames).toBe(1);
    expect(one.frame.fragment.buffer).toBe(wire.buffer);
    expect(one.frame.fragment.byteOffset).toBe(wire.byteOffset + 9);
    // The block spans two pushes: what was open when push() returned is a copy,
    // so reusing the first chunk cannot change it.
    const d = new FrameDecoder();
    const first = headers.slice();
    expect(d.push(first)).toEqual([]);
    first.fill(0);
    const [two] = d.push(cont);
    if (two?.type !== "field-block") throw new Error("want header_block");
    expect(two.frame.fragment).toEqual(hex("8286"));
    expect(two.frame.fragment.buffer).not.toBe(first.buffer);
    expect(two.block).toEqual(hex("82868441"));
  });

  test("end() after complete frames is fine; inside a frame it reports truncation", () => {
    const d = new FrameDecoder();
    d.push(ping);
    d.end();
    const d2 = new FrameDecoder();
    d2.push(ping.subarray(0, 5));
    expect(caught(() => d2.end())).toMatchObject({
      code: 1,
      scope: "connection",
      reason: "truncated_frame",
      offset: 5,
    });
    const d3 = new FrameDecoder();
    d3.push(ping.subarray(0, 12));
    expect(caught(() => d3.end()).reason).toBe("truncated_frame");
  });
});

describe("FrameDecoder preface (RFC 9113 §3.4)", () => {
  test("accepts the client preface then SETTINGS, byte by byte too", () => {
    const input = concat(CONNECTION_PREFACE, settings, ping);
    expect(new FrameDecoder({ expectPreface: true }).push(input).map((f) => f.type)).toEqual([4, 6]);
    expect(feedBytewise(new FrameDecoder({ expectPreface: true }), input).map((f) => f.type)).toEqual([4, 6]);
  });
  test("a wrong preface byte fails at once, before the rest arrives", () => {
    const bad = CONNECTION_PREFACE.slice(0, 5);
    bad[4] = 0x41;
    expect(caught(() => new FrameDecoder({ expectPreface: true }).push(bad))).toMatchObject({
      code: 1,
      scope: "connection",
      reason: "invalid_preface",
      offset: 4,
    });
  });
  test("HTTP/1.1 request instead of the preface", () => {
    const e = caught(() => new FrameDecoder({ expectPreface: true }).push(new TextEncoder().encode("GET / HTTP/1.1\r\n")));
    expect([e.code, e.scope, e.reason, e.offset]).toEqual([1, "connection", "invalid_preface", 0]);
  });
  test("first frame after the preface must be SETTINGS without ACK", () => {
    expect(caught(() => new FrameDecoder({ expectPreface: true }).push(concat(CONNECTION_PREFACE, ping)))).toMatchObject({
      code: 1,
      scope: "connection",
      reason: "preface_settings_missing",
      offset: 24,
    });
    const ack = enc({ type: FrameType.SETTINGS, streamId: 0, ack: true, settings: [] });
    expect(caught(() => new FrameDecoder({ expectSettingsFirst: true }).push(ack))).toMatchObject({
      code: 1,
      scope: "connection",
      reason: "preface_settings_missing",
    });
  });
  test("end() inside the preface", () => {
    const d = new FrameDecoder({ expectPreface: true });
    d.push(CONNECTION_PREFACE.subarray(0, 10));
    expect(caught(() => d.end())).toMatchObject({ code: 1, scope: "connection", reason: "truncated_preface" });
  });
});

describe("FrameDecoder role rules (sender option)", () => {
  const pushPromise = enc({
    type: FrameType.PUSH_PROMISE,
    streamId: 1,
    endHeaders: true,
    promisedStreamId: 2,
    fragment: hex("82"),
  });
  const priorityUpdate = enc({
    type: FrameType.PRIORITY_UPDATE,
    streamId: 0,
    prioritizedStreamId: 1,
    priorityFieldValue: "u=1",
  });
  const enablePush = (v: number) =>
    enc({
      type: FrameType.SETTINGS,
      streamId: 0,
      settings: [
        { id: 3, value: 10 },
        { id: 2, value: v },
      ],
    });
  const rows: [string, "client" | "server", Uint8Array, string, number][] = [
    // RFC 9113 §8.4: servers MUST treat the receipt of a PUSH_PROMISE frame as a connection error of type PROTOCOL_ERROR
    ["PUSH_PROMISE from a client (RFC 9113 §8.4)", "client", pushPromise, "push_promise_from_client", 17],
    // RFC 9218 §7.1: a client receiving PRIORITY_UPDATE MUST respond with a connection error of type PROTOCOL_ERROR
    ["PRIORITY_UPDATE from a server (RFC 9218 §7.1)", "server", priorityUpdate, "priority_update_from_server", 17],
    // RFC 9113 §6.5.2: a client MUST treat SETTINGS_ENABLE_PUSH set to 1 as a connection error of type PROTOCOL_ERROR
    ["SETTINGS_ENABLE_PUSH 1 from a server (RFC 9113 §6.5.2)", "server", enablePush(1), "settings_enable_push_from_server", 17 + 9 + 6],
  ];
  test.each(rows)("%s", (_n, peer, bytes, reason, offset) => {
    const d = new FrameDecoder({ sender: peer });
    d.push(ping);
    const e = caught(() => d.push(bytes));
    expect([e.code, e.scope, e.reason, e.offset]).toEqual([1, "connection", reason, offset]);
    // Without the option, or from the other side, these frames are fine.
    expect(new FrameDecoder().push(bytes)).toHaveLength(1);
    expect(new FrameDecoder({ sender: peer === "client" ? "server" : "client" }).push(bytes)).toHaveLength(1);
  });
  test("SETTINGS_ENABLE_PUSH 0 from a server is fine; a bad peer value is a TypeError", () => {
    expect(new FrameDecoder({ sender: "server" }).push(enablePush(0))).toHaveLength(1);
    expect(() => new FrameDecoder({ sender: "proxy" as "client" })).toThrow(TypeError);
  });
});

describe("FrameDecoder SETTINGS_MAX_FRAME_SIZE (RFC 9113 §4.2), checked on the header", () => {
  const big = (type: FrameInit) => encodeFrame(type);
  test("DATA, HEADERS, SETTINGS, stream-0 frames over the limit are connection errors, before the payload arrives", () => {
    for (const f of [
      { type: FrameType.DATA, streamId: 1, data: new Uint8Array(16_385) },
      { type: FrameType.HEADERS, streamId: 1, endHeaders: true, fragment: new Uint8Array(16_385) },
      { type: FrameType.GOAWAY, streamId: 0, lastStreamId: 0, errorCode: 0, debugData: new Uint8Array(16_377) },
      { type: "unknown", frameType: 0xfa, streamId: 0, flags: 0, payload: new Uint8Array(16_385) },
    ] as FrameInit[]) {
      const d = new FrameDecoder();
      const e = caught(() => d.push(big(f).subarray(0, 9)));
      expect([e.code, e.scope, e.reason]).toEqual([6, "connection", "frame_too_large"]);
    }
  });
  test("a large unknown or RST_STREAM frame on a stream is a stream error; its payload is skipped", () => {
    const d = new FrameDecoder();
    const u = big({ type: "unknown", frameType: 0xfa, streamId: 3, flags: 0, payload: new Uint8Array(20_000) });
    expect(d.push(u.subarray(0, 100))).toEqual([]);
    const events = d.push(concat(u.subarray(100), ping));
    expect(events[0]).toMatchObject({
      type: "stream-error",
      streamId: 3,
      error: { code: 6, scope: "stream", reason: "frame_too_large" },
    });
    expect(events[1]!.type).toBe(FrameType.PING);
  });
  test("maxFrameSize option and setMaxFrameSize", () => {
    const f = big({ type: FrameType.DATA, streamId: 1, data: new Uint8Array(20_000) });
    expect(new FrameDecoder({ maxFrameSize: 20_000 }).push(f)).toHaveLength(1);
    const d = new FrameDecoder();
    d.setMaxFrameSize(1 << 20);
    expect(d.push(f)).toHaveLength(1);
    expect(() => new FrameDecoder({ maxFrameSize: 100 })).toThrow(RangeError);
    expect(() => d.setMaxFrameSize(2 ** 24)).toThrow(RangeError);
  });
});

describe("FrameDecoder field blocks (RFC 9113 §4.3, §6.10)", () => {
  const block = Uint8Array.from({ length: 100 }, (_, i) => i);
  const frames = fieldBlockFrames({ streamId: 1, block, endStream: true, splits: [40, 0, 30] });

  test("HEADERS + CONTINUATION join into one header block event", () => {
    expect(frames.map((f) => [f.type, f.fragment.length, "endHeaders" in f && f.endHeaders])).toEqual([
      [1, 40, false],
      [9, 0, false],
      [9, 30, false],
      [9, 30, true],
    ]);
    const bytes = enc(...frames);
    const d = new FrameDecoder();
    const events = d.push(bytes);
    expect(events).toHaveLength(1);
    const e = events[0]!;
    if (e.type !== "field-block") throw new Error("want header_block");
    expect(e.block).toEqual(block);
    expect([e.streamId, e.endStream, e.continuationFrames, e.frame.type]).toEqual([1, true, 3, 1]);
    expect(d.counters.emptyContinuation).toBe(1);
    expect(feedBytewise(new FrameDecoder(), bytes)).toEqual(events);
  });

  test("a single HEADERS block is a view of the input", () => {
    const bytes = enc(...fieldBlockFrames({ streamId: 1, block }));
    const e = new FrameDecoder().push(bytes)[0]!;
    expect(e.type === "field-block" && e.block.buffer).toBe(bytes.buffer);
  });

  test("joinFieldBlocks: false returns raw frames, order still enforced", () => {
    const d = new FrameDecoder({ joinFieldBlocks: false });
    expect(d.push(enc(...frames)).map((f) => f.type)).toEqual([1, 9, 9, 9]);
  });

  test("joinFieldBlocks: false with hpack: the raw frames, then a field-block event after the last one", () => {
    const decoded: Uint8Array[] = [];
    const d = new FrameDecoder({
      joinFieldBlocks: false,
      hpack: {
        decode: (b: Uint8Array) => {
          decoded.push(b.slice());
          return [{ name: "a", value: "b" }];
        },
      },
    });
    const events = d.push(enc(...frames));
    expect(events.map((f) => f.type)).toEqual([1, 9, 9, 9, "field-block"]);
    const last = events[4]!;
    expect(last.type === "field-block" && [last.streamId, last.continuationFrames, last.block.length, last.fields]).toEqual([
      1,
      3,
      block.length,
      [{ name: "a", value: "b" }],
    ]);
    expect(decoded).toEqual([block]);
  });

  test("PUSH_PROMISE + CONTINUATION", () => {
    const pp = fieldBlockFrames({ streamId: 1, promisedStreamId: 2, block, maxFrameSize: 16_384, splits: [10] });
    const e = new FrameDecoder().push(enc(...pp))[0]!;
    expect(e.type === "field-block" && [e.frame.type, e.block.length, e.endStream]).toEqual([5, 100, false]);
  });

  const open = enc(frames[0]!);
  const rows: [string, Uint8Array, string][] = [
    ["a PING interleaved", ping, "continuation_expected"],
    ["DATA on the same stream", enc({ type: FrameType.DATA, streamId: 1, data: new Uint8Array(0) }), "continuation_expected"],
    [
      "an unknown extension frame",
      enc({ type: "unknown", frameType: 0xfa, streamId: 0, flags: 0, payload: new Uint8Array(0) }),
      "continuation_expected",
    ],
    [
      "CONTINUATION on another stream",
      enc({ type: FrameType.CONTINUATION, streamId: 3, endHeaders: true, fragment: new Uint8Array(0) }),
      "continuation_stream_mismatch",
    ],
  ];
  test.each(rows)("§6.10 connection PROTOCOL_ERROR for %s inside a field block", (_n, next, reason) => {
    const d = new FrameDecoder();
    d.push(open);
    const e = caught(() => d.push(next.subarray(0, 9)));
    expect([e.code, e.scope, e.reason, e.offset]).toEqual([1, "connection", reason, open.length]);
  });

  test("§6.10 CONTINUATION without an open block", () => {
    const e = caught(() =>
      new FrameDecoder().push(enc({ type: FrameType.CONTINUATION, streamId: 1, endHeaders: true, fragment: hex("82") })),
    );
    expect([e.code, e.scope, e.reason]).toEqual([1, "connection", "continuation_unexpected"]);
    const d = new FrameDecoder();
    d.push(enc(...fieldBlockFrames({ streamId: 1, block })));
    expect(caught(() => d.push(enc({ type: FrameType.CONTINUATION, streamId: 1, endHeaders: true, fragment: hex("82") }))).reason).toBe(
      "continuation_unexpected",
    );
  });

  test("CONTINUATION flood: count limit is ENHANCE_YOUR_CALM, checked on the header", () => {
    const d = new FrameDecoder({ maxContinuationFrames: 3 });
    const flood = fieldBlockFrames({ streamId: 1, block, splits: [10, 10, 10, 10] });
    const bytes = enc(...flood);
    const e = caught(() => d.push(bytes));
    expect([e.code, e.scope, e.reason]).toEqual([0x0b, "connection", "too_many_continuation_frames"]);
    expect(new FrameDecoder({ maxContinuationFrames: 4 }).push(bytes)).toHaveLength(1);
  });

  test("block size limit is ENHANCE_YOUR_CALM, on HEADERS and on CONTINUATION", () => {
    const e = caught(() => new FrameDecoder({ maxFieldBlockSize: 99 }).push(enc(...frames)));
    expect([e.code, e.scope, e.reason]).toEqual([0x0b, "connection", "field_block_too_large"]);
    const e2 = caught(() => new FrameDecoder({ maxFieldBlockSize: 39 }).push(enc(...frames)));
    expect(e2.reason).toBe("field_block_too_large");
    expect(new FrameDecoder({ maxFieldBlockSize: 100 }).push(enc(...frames))).toHaveLength(1);
  });

  test("end() inside a field block", () => {
    const d = new FrameDecoder();
    d.push(open);
    expect(caught(() => d.end())).toMatchObject({
      code: 1,
      scope: "connection",
      reason: "truncated_field_block",
      offset: open.length,
    });
  });

  test("HEADERS depending on itself: stream error after the block is HPACK-decoded", () => {
    const decoded: Uint8Array[] = [];
    const hpack = {
      decode: (b: Uint8Array) => {
        decoded.push(b);
        return [];
      },
    };
    const d = new FrameDecoder({ hpack });
    const f = fieldBlockFrames({
      streamId: 5,
      block: hex("8286"),
      priority: { exclusive: false, streamDependency: 5, weight: 16 },
      splits: [1],
    });
    const events = d.push(concat(enc(...f), ping));
    expect(decoded).toEqual([hex("8286")]);
    expect(events[0]).toMatchObject({
      type: "stream-error",
      streamId: 5,
      error: { code: 1, scope: "stream", reason: "headers_self_dependency" },
    });
    expect(events[1]!.type).toBe(FrameType.PING);
  });

  test("HEADERS depending on itself, joinFieldBlocks: false: the frames still come out (for HPACK), then the stream error", () => {
    // Regression: the HEADERS frame used to be replaced by the error event, so a caller decoding HPACK
    // itself lost the first fragment and its dynamic table went out of sync with the peer's.
    const priority = { exclusive: false, streamDependency: 5, weight: 16 };
    const split = fieldBlockFrames({ streamId: 5, block: hex("8286"), priority, splits: [1] });
    const events = new FrameDecoder({ joinFieldBlocks: false }).push(concat(enc(...split), ping));
    expect(events.map((e) => e.type)).toEqual([FrameType.HEADERS, FrameType.CONTINUATION, "stream-error", FrameType.PING]);
    expect(events[2]).toMatchObject({
      streamId: 5,
      error: { code: 1, scope: "stream", reason: "headers_self_dependency" },
    });
    const whole = fieldBlockFrames({ streamId: 5, block: hex("8286"), priority });
    const d = new FrameDecoder({ joinFieldBlocks: false });
    expect(d.push(enc(...whole)).map((e) => e.type)).toEqual([FrameType.HEADERS, "stream-error"]);
    expect(d.counters.streamErrors).toBe(1);
  });
});

describe("FrameDecoder with an HPACK decoder", () => {
  test("fields are attached to the header block event", () => {
    const d = new FrameDecoder({
      hpack: { decode: (b: Uint8Array) => [{ name: ":status", value: String(b.length) }] },
    });
    const e = d.push(enc(...fieldBlockFrames({ streamId: 1, block: new Uint8Array(7) })))[0]!;
    expect(e.type === "field-block" && e.fields).toEqual([{ name: ":status", value: "7" }]);
  });
  test("an HPACK failure is a connection COMPRESSION_ERROR with the HpackError as cause", () => {
    const cause = new HpackError("Invalid index 0", { reason: "index_zero" });
    const d = new FrameDecoder({
      hpack: {
        decode: () => {
          throw cause;
        },
      },
    });
    const e = caught(() => d.push(enc(...fieldBlockFrames({ streamId: 1, block: hex("80") }))));
    expect([e.code, e.codeName, e.scope, e.reason, e.streamId]).toEqual([9, "COMPRESSION_ERROR", "connection", "hpack_decoding_failed", 1]);
    expect(e.cause).toBe(cause);
    expect(e).toBeInstanceOf(HttpwireError);
  });
});

describe("FrameDecoder counters (Rapid Reset, floods)", () => {
  test("counts per type and the flood patterns", () => {
    const d = new FrameDecoder();
    d.push(
      enc(
        { type: FrameType.SETTINGS, streamId: 0, settings: [] },
        { type: FrameType.SETTINGS, streamId: 0, ack: true, settings: [] },
        { type: FrameType.PING, streamId: 0, opaqueData: new Uint8Array(8) },
        { type: FrameType.PING, streamId: 0, ack: true, opaqueData: new Uint8Array(8) },
        { type: FrameType.HEADERS, streamId: 1, endHeaders: true, fragment: new Uint8Array(0) },
        { type: FrameType.RST_STREAM, streamId: 1, errorCode: 8 },
        { type: FrameType.HEADERS, streamId: 3, endHeaders: true, fragment: hex("82") },
        { type: FrameType.RST_STREAM, streamId: 3, errorCode: 8 },
        { type: FrameType.DATA, streamId: 5, data: new Uint8Array(0) },
        { type: FrameType.DATA, streamId: 5, endStream: true, data: new Uint8Array(0) },
      ),
    );
    const c = d.counters;
    expect([
      c.frames,
      c.byType[1],
      c.byType[3],
      c.rstStream,
      c.settings,
      c.settingsAck,
      c.ping,
      c.pingAck,
      c.emptyData,
      c.emptyHeaders,
      c.streamErrors,
    ]).toEqual([10, 2, 2, 2, 1, 1, 1, 1, 1, 1, 0]);
  });
});

describe("FrameDecoder with the real HpackDecoder", () => {
  test("index 0 (RFC 7541 §6.1) is a connection COMPRESSION_ERROR caused by an HpackError", async () => {
    const { HpackDecoder } = await import("httpwire/hpack");
    const d = new FrameDecoder({ hpack: new HpackDecoder() });
    const e = caught(() => d.push(enc(...fieldBlockFrames({ streamId: 1, block: hex("80") }))));
    expect([e.code, e.scope, e.reason]).toEqual([9, "connection", "hpack_decoding_failed"]);
    expect(e.cause).toBeInstanceOf(HpackError);
  });
  test("a block spanning chunks does not alias a chunk the caller reuses", () => {
    const d = new FrameDecoder({ joinFieldBlocks: true });
    const frames = fieldBlockFrames({ streamId: 1, block: hex("0102030405060708"), splits: [4] });
    const first = enc(frames[0]!);
    const events1 = d.push(first);
    first.fill(0xee); // the caller recycles its buffer
    const events = [...events1, ...d.push(enc(frames[1]!))];
    const e = events[0]!;
    if (e.type !== "field-block") throw new Error("want header_block");
    expect(e.block).toEqual(hex("0102030405060708"));
    expect(e.frame.fragment).toEqual(hex("01020304"));
  });
});
