import {
  decodeFrame,
  encodeFrame,
  encodeFrameInto,
  errorCodeName,
  type Frame,
  FrameType,
  fieldBlockFrames,
  frameTypeName,
  readFrameHeader,
  settingsIdName,
  writeFrameHeader,
} from "httpwire/http2";
import { describe, expect, test } from "vitest";
import { ByteWriter } from "../../src/shared/byte-writer.js";
import { hex, okHeader } from "./hex.js";

const te = (s: string) => new TextEncoder().encode(s);

function decodeAll(bytes: Uint8Array): Frame {
  const h = okHeader(bytes);
  expect(bytes.length).toBe(9 + h.length);
  return decodeFrame(h, bytes.subarray(9));
}

// Exact bytes per frame type (RFC 9113 §6, RFC 7838 §4, RFC 8336 §2, RFC 9218 §7.1).
const cases: { name: string; bytes: string; frame: Frame }[] = [
  {
    name: "DATA §6.1 END_STREAM",
    bytes: `000005 # length 5
            00     # type DATA
            01     # flags END_STREAM
            00000001 # stream 1
            68656c6c6f # "hello"`,
    frame: { type: 0, streamId: 1, flags: 1, endStream: true, padded: false, padLength: undefined, data: te("hello") },
  },
  {
    name: "DATA §6.1 PADDED",
    bytes: `000006 # length 6
            00 08  # DATA, PADDED
            00000003 # stream 3
            02     # Pad Length 2
            616263 # "abc"
            0000   # padding`,
    frame: { type: 0, streamId: 3, flags: 8, endStream: false, padded: true, padLength: 2, data: te("abc") },
  },
  {
    name: "HEADERS §6.2 PADDED|PRIORITY|END_HEADERS|END_STREAM",
    bytes: `000009 # length 9
            01 2d  # HEADERS, PRIORITY|PADDED|END_HEADERS|END_STREAM
            00000005 # stream 5
            01     # Pad Length 1
            80000003 # E=1, dependency 3
            0f     # weight 16
            8286   # field block fragment
            00     # padding`,
    frame: {
      type: 1,
      streamId: 5,
      flags: 0x2d,
      endStream: true,
      endHeaders: true,
      padded: true,
      padLength: 1,
      priority: { exclusive: true, streamDependency: 3, weight: 16 },
      fragment: hex("8286"),
    },
  },
  {
    name: "HEADERS §6.2 plain, no END_HEADERS",
    bytes: `000001 01 00 00000001 82`,
    frame: {
      type: 1,
      streamId: 1,
      flags: 0,
      endStream: false,
      endHeaders: false,
      padded: false,
      padLength: undefined,
      priority: undefined,
      fragment: hex("82"),
    },
  },
  {
    name: "PRIORITY §6.3",
    bytes: `000005 02 00 00000007 # PRIORITY on stream 7
            00000005 # E=0, dependency 5
            ff       # weight 256`,
    frame: { type: 2, streamId: 7, flags: 0, exclusive: false, streamDependency: 5, weight: 256 },
  },
  {
    name: "RST_STREAM §6.4",
    bytes: `000004 03 00 00000001 00000008 # CANCEL`,
    frame: { type: 3, streamId: 1, flags: 0, errorCode: 8 },
  },
  {
    name: "SETTINGS §6.5 ordered, repeated and unknown identifiers kept",
    bytes: `000012 04 00 00000000
            0004 0000ffff # SETTINGS_INITIAL_WINDOW_SIZE 65535
            00ff 00000001 # unknown 0xff = 1
            0004 00010000 # SETTINGS_INITIAL_WINDOW_SIZE again, 65536`,
    frame: {
      type: 4,
      streamId: 0,
      flags: 0,
      ack: false,
      settings: [
        { id: 4, value: 65535 },
        { id: 0xff, value: 1 },
        { id: 4, value: 65536 },
      ],
    },
  },
  {
    name: "SETTINGS §6.5 ACK",
    bytes: `000000 04 01 00000000`,
    frame: { type: 4, streamId: 0, flags: 1, ack: true, settings: [] },
  },
  {
    name: "PUSH_PROMISE §6.6 PADDED",
    bytes: `000008 05 0c 00000001 # PUSH_PROMISE, END_HEADERS|PADDED, stream 1
            01       # Pad Length 1
            00000002 # promised stream 2
            8287     # fragment
            00       # padding`,
    frame: {
      type: 5,
      streamId: 1,
      flags: 0x0c,
      endHeaders: true,
      padded: true,
      padLength: 1,
      promisedStreamId: 2,
      fragment: hex("8287"),
    },
  },
  {
    name: "PING §6.7 ACK",
    bytes: `000008 06 01 00000000 0102030405060708`,
    frame: { type: 6, streamId: 0, flags: 1, ack: true, opaqueData: hex("0102030405060708") },
  },
  {
    name: "GOAWAY §6.8 with debug data",
    bytes: `00000a 07 00 00000000
            00000003 # last stream 3
            00000001 # PROTOCOL_ERROR
            6869     # debug "hi"`,
    frame: { type: 7, streamId: 0, flags: 0, lastStreamId: 3, errorCode: 1, debugData: te("hi") },
  },
  {
    name: "WINDOW_UPDATE §6.9",
    bytes: `000004 08 00 00000000 00010000`,
    frame: { type: 8, streamId: 0, flags: 0, windowSizeIncrement: 65536 },
  },
  {
    name: "CONTINUATION §6.10",
    bytes: `000002 09 04 00000001 8485`,
    frame: { type: 9, streamId: 1, flags: 4, endHeaders: true, fragment: hex("8485") },
  },
  {
    name: "ALTSVC RFC 7838 §4 on stream 0",
    bytes: `000016 0a 00 00000000
            000b # Origin-Len 11
            68747470733a2f2f612e62 # "https://a.b"
            68333d223a34343322 # 'h3=":443"'`,
    frame: { type: 10, streamId: 0, flags: 0, origin: "https://a.b", fieldValue: 'h3=":443"' },
  },
  {
    name: "ORIGIN RFC 8336 §2 two entries",
    bytes: `00001a 0c 00 00000000
            000b 68747470733a2f2f612e62 # "https://a.b"
            000b 68747470733a2f2f632e64 # "https://c.d"`,
    frame: { type: 12, streamId: 0, flags: 0, origins: ["https://a.b", "https://c.d"] },
  },
  {
    name: "PRIORITY_UPDATE RFC 9218 §7.1",
    bytes: `00000a 10 00 00000000
            00000005 # prioritized stream 5
            753d312c2069 # "u=1, i"`,
    frame: { type: 16, streamId: 0, flags: 0, prioritizedStreamId: 5, priorityFieldValue: "u=1, i" },
  },
  {
    name: "unknown type 0xfa §5.5 kept with payload and flags",
    bytes: `000003 fa ff 00000009 abcdef`,
    frame: { type: "unknown", frameType: 0xfa, streamId: 9, flags: 0xff, payload: hex("abcdef") },
  },
  {
    name: "malformed ALTSVC (Origin-Len past payload) is an unknown frame (RFC 7838 §4: ignored)",
    bytes: `000003 0a 00 00000000 0009 61`,
    frame: { type: "unknown", frameType: 10, streamId: 0, flags: 0, payload: hex("000961") },
  },
];

describe("exact bytes per frame type", () => {
  for (const c of cases) {
    test(c.name, () => {
      const bytes = hex(c.bytes);
      const frame = decodeAll(bytes);
      expect(frame).toEqual(c.frame);
      expect(encodeFrame(frame)).toEqual(bytes);
    });
  }
});

describe("frame header §4.1", () => {
  test("reserved bit ignored on receipt, zero on sending", () => {
    const h = okHeader(hex("000000 08 00 ffffffff"));
    expect(h).toEqual({ status: "ok", length: 0, type: 8, flags: 0, streamId: 0x7fffffff });
    const out = new Uint8Array(9);
    writeFrameHeader(out, h);
    expect(out).toEqual(hex("000000 08 00 7fffffff"));
  });
  test("need more is a result", () => {
    expect(readFrameHeader(hex("0000000800"))).toEqual({ status: "need-more", needed: 4 });
    expect(readFrameHeader(hex("00 000000 08 00 00000001"), 1)).toEqual({
      status: "ok",
      length: 0,
      type: 8,
      flags: 0,
      streamId: 1,
    });
  });
  test("writeFrameHeader rejects out-of-range fields", () => {
    const b = new Uint8Array(9);
    expect(() => writeFrameHeader(b, { length: 1 << 24, type: 0, flags: 0, streamId: 0 })).toThrow(RangeError);
    expect(() => writeFrameHeader(b, { length: 0, type: 0, flags: 0, streamId: 2 ** 31 })).toThrow(RangeError);
    expect(() => writeFrameHeader(new Uint8Array(8), { length: 0, type: 0, flags: 0, streamId: 0 })).toThrow(RangeError);
  });
  test("WINDOW_UPDATE reserved bit ignored §6.9", () => {
    expect(decodeAll(hex("000004 08 00 00000001 80000001"))).toMatchObject({ windowSizeIncrement: 1 });
  });
  test("decoded fields are views of the input (zero-copy)", () => {
    const bytes = hex("000003 00 00 00000001 616263");
    const f = decodeAll(bytes);
    expect(f.type === FrameType.DATA && f.data.buffer).toBe(bytes.buffer);
  });
  // STYLE §5.5: every byte field of every frame type aliases the input at the right place, padding or not.
  const views: [string, string, (f: Frame) => Uint8Array | undefined, number][] = [
    ["DATA padded", "000006 00 08 00000001 02 616263 0000", (f) => (f.type === FrameType.DATA ? f.data : undefined), 10],
    [
      "HEADERS padded + priority",
      "000009 01 2c 00000001 01 00000003 0f 8283 00",
      (f) => (f.type === FrameType.HEADERS ? f.fragment : undefined),
      15,
    ],
    ["PUSH_PROMISE", "000006 05 04 00000001 00000002 8283", (f) => (f.type === FrameType.PUSH_PROMISE ? f.fragment : undefined), 13],
    ["PING", "000008 06 00 00000000 0102030405060708", (f) => (f.type === FrameType.PING ? f.opaqueData : undefined), 9],
    ["GOAWAY", "00000a 07 00 00000000 00000001 00000000 6869", (f) => (f.type === FrameType.GOAWAY ? f.debugData : undefined), 17],
    ["CONTINUATION", "000002 09 04 00000001 8283", (f) => (f.type === FrameType.CONTINUATION ? f.fragment : undefined), 9],
    ["unknown type", "000003 fa 00 00000001 010203", (f) => (f.type === "unknown" ? f.payload : undefined), 9],
  ];
  test.each(views)("%s: the byte field is a view of the input", (_n, h, field, at) => {
    // Inside a larger buffer, so a copy or a wrong offset would both show.
    const whole = hex(`ffff ${h} ffff`);
    const bytes = whole.subarray(2, whole.length - 2);
    const view = field(decodeAll(bytes))!;
    expect(view.buffer).toBe(whole.buffer);
    expect(view.byteOffset).toBe(2 + at);
    whole[2 + at] = whole[2 + at]! ^ 0xff; // a write to the input shows through: it is the same memory
    expect(view[0]).toBe(whole[2 + at]);
  });
});

describe("encoder", () => {
  test("builds flags from booleans and keeps unknown raw bits", () => {
    expect(encodeFrame({ type: FrameType.DATA, streamId: 1, flags: 0x40, endStream: true, data: te("x") })).toEqual(
      hex("000001 00 41 00000001 78"),
    );
    expect(encodeFrame({ type: FrameType.PING, streamId: 0, opaqueData: new Uint8Array(8) })).toEqual(
      hex("000008 06 00 00000000 0000000000000000"),
    );
  });
  test("padding octets are zero and Pad Length as chosen", () => {
    expect(encodeFrame({ type: FrameType.DATA, streamId: 1, padLength: 3, data: te("a") })).toEqual(
      hex("000005 00 08 00000001 03 61 000000"),
    );
    expect(encodeFrame({ type: FrameType.DATA, streamId: 1, padded: true, data: te("a") })).toEqual(hex("000002 00 08 00000001 00 61"));
  });
  test("an unknown frame can carry any type octet, even a known one, to craft invalid frames", () => {
    expect(encodeFrame({ type: "unknown", frameType: 6, streamId: 0, flags: 0, payload: hex("01") })).toEqual(
      hex("000001 06 00 00000000 01"),
    );
  });
  test("caller mistakes are RangeError/TypeError", () => {
    expect(() => encodeFrame({ type: FrameType.PING, streamId: 0, opaqueData: new Uint8Array(7) })).toThrow(RangeError);
    expect(() => encodeFrame({ type: FrameType.PRIORITY, streamId: 1, streamDependency: 0, weight: 0 })).toThrow(RangeError);
    expect(() => encodeFrame({ type: FrameType.DATA, streamId: 2 ** 31, data: new Uint8Array(0) })).toThrow(RangeError);
    expect(() => encodeFrame({ type: FrameType.DATA, streamId: 1, padLength: 256, data: new Uint8Array(0) })).toThrow(RangeError);
    expect(() =>
      encodeFrame({
        type: FrameType.PRIORITY_UPDATE,
        streamId: 0,
        prioritizedStreamId: 1,
        priorityFieldValue: "u=\u0100",
      }),
    ).toThrow(TypeError);
    expect(() => encodeFrame({ type: FrameType.DATA, streamId: 1, data: new Uint8Array(2 ** 24) })).toThrow(RangeError);
    expect(() =>
      encodeFrame({
        type: FrameType.GOAWAY,
        streamId: 0,
        lastStreamId: 2 ** 31,
        errorCode: 0,
        debugData: new Uint8Array(0),
      }),
    ).toThrow(RangeError);
    expect(() => encodeFrame({ type: FrameType.RST_STREAM, streamId: 1, errorCode: 2 ** 32 })).toThrow(RangeError);
    expect(() => encodeFrame({ type: FrameType.SETTINGS, streamId: 0, settings: [{ id: 0x10000, value: 0 }] })).toThrow(RangeError);
    expect(() => encodeFrame({ type: FrameType.ALTSVC, streamId: 0, origin: "\u20ac", fieldValue: "" })).toThrow(TypeError);
    expect(() => encodeFrame({ type: "unknown", frameType: 256, streamId: 0, flags: 0, payload: new Uint8Array(0) })).toThrow(RangeError);
    expect(() => encodeFrame({ type: FrameType.PING, streamId: 0, flags: 256, opaqueData: new Uint8Array(8) })).toThrow(RangeError);
  });
  test("fieldBlockFrames refuses sizes it could not honour", () => {
    // Regression: maxFrameSize 0 with a non-empty block looped forever, adding empty CONTINUATION sizes.
    expect(() => fieldBlockFrames({ streamId: 1, block: new Uint8Array(3), maxFrameSize: 0 })).toThrow(RangeError);
    expect(() => fieldBlockFrames({ streamId: 1, block: new Uint8Array(3), maxFrameSize: 1.5 })).toThrow(RangeError);
    expect(() => fieldBlockFrames({ streamId: 1, block: new Uint8Array(3), maxFrameSize: 2 ** 24 })).toThrow(RangeError);
    expect(() => fieldBlockFrames({ streamId: 1, block: new Uint8Array(3), padLength: 256 })).toThrow(RangeError);
    expect(() => fieldBlockFrames({ streamId: 1, block: new Uint8Array(3), padLength: 4, maxFrameSize: 4 })).toThrow(RangeError);
    expect(fieldBlockFrames({ streamId: 1, block: new Uint8Array(3), maxFrameSize: 1 }).map((f) => f.type)).toEqual([1, 9, 9]);
  });
  test("readFrameHeader refuses a negative or fractional offset", () => {
    expect(() => readFrameHeader(new Uint8Array(9), -1)).toThrow(RangeError);
    expect(() => readFrameHeader(new Uint8Array(9), 0.5)).toThrow(RangeError);
  });
});

describe("encodeFrameInto", () => {
  test("appends frames to a writer and leaves it unchanged when a frame is refused", () => {
    const w = new ByteWriter(4);
    encodeFrameInto({ type: FrameType.RST_STREAM, streamId: 1, errorCode: 8 }, w);
    expect(() => encodeFrameInto({ type: FrameType.PING, streamId: 0, opaqueData: new Uint8Array(3) }, w)).toThrow(RangeError);
    encodeFrameInto({ type: FrameType.SETTINGS, streamId: 0, ack: true, settings: [] }, w);
    expect(w.finish()).toEqual(hex("000004 03 00 00000001 00000008 | 000000 04 01 00000000"));
  });
});

describe("nameOf functions never throw", () => {
  test("names", () => {
    expect(frameTypeName(FrameType.PRIORITY_UPDATE)).toBe("PRIORITY_UPDATE");
    expect(frameTypeName(0xfa)).toBe("UNKNOWN_0xfa");
    expect(frameTypeName(2n ** 70n)).toMatch(/^UNKNOWN_0x/);
    expect(settingsIdName(8)).toBe("SETTINGS_ENABLE_CONNECT_PROTOCOL");
    expect(settingsIdName(9)).toBe("SETTINGS_NO_RFC7540_PRIORITIES");
    expect(settingsIdName(7)).toBe("UNKNOWN_0x07");
    expect(errorCodeName(0x0b)).toBe("ENHANCE_YOUR_CALM");
  });
});
