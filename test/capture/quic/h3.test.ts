/**
 * HTTP/3 over reassembled QUIC streams (H3Session): SETTINGS applied to the
 * QPACK decoder of the other direction, a field section blocked on the
 * encoder stream released when its inserts arrive, stream roles, errors.
 */
import { encodeFrame, encodeUniStreamHeader, FrameType, StreamType } from "httpwire/http3";
import { QpackEncoder } from "httpwire/qpack";
import { describe, expect, test } from "vitest";
import type { CaptureEvent } from "../../../src/capture/events.js";
import { H3Session } from "../../../src/capture/quic/h3.js";
import { concat } from "../builders.js";

const C = "client-to-server" as const;
const S = "server-to-client" as const;

function session() {
  const out: CaptureEvent[] = [];
  const h3 = new H3Session(1, (e) => out.push(e), { maxFieldSectionSize: 1 << 20, maxQueuedBytes: 1 << 20 });
  return { h3, out };
}

const cat = (...parts: Uint8Array[]) => concat(parts);

describe("H3Session", () => {
  test("a request whose field section uses the dynamic table: blocked, then released by the encoder stream in capture order", () => {
    const { h3, out } = session();
    // The server's SETTINGS allow the client's encoder a 4096-byte table and blocked streams.
    h3.data(
      S,
      3,
      cat(
        encodeUniStreamHeader(StreamType.CONTROL),
        encodeFrame({
          type: FrameType.SETTINGS,
          settings: [
            { id: 0x01, value: 4096 },
            { id: 0x07, value: 10 },
          ],
        }),
      ),
      0,
      1,
    );
    const enc = new QpackEncoder({ maxTableCapacity: 4096, maxBlockedStreams: 10 });
    const fields = [
      { name: ":method", value: "GET" },
      { name: ":path", value: "/a-long-path-worth-indexing" },
      { name: "x-custom", value: "value-1" },
    ];
    const section = enc.encodeFieldSection(0, fields);
    const encoderStream = enc.drainEncoderStream();
    expect(section[0]).not.toBe(0); // Required Insert Count > 0
    h3.data(C, 0, encodeFrame({ type: FrameType.HEADERS, fieldSection: section }), 0, 2);
    const headers = out.find((e) => e.type === "h3-frame" && e.frameType === FrameType.HEADERS);
    expect(headers?.type === "h3-frame" && headers.blocked).toBe(true);
    h3.data(C, 6, cat(encodeUniStreamHeader(StreamType.QPACK_ENCODER), encoderStream), 0, 3);
    const released = out.find((e) => e.type === "h3-fields");
    expect(released?.type === "h3-fields" && [released.streamId, released.fields]).toEqual([0, fields]);
    expect(out.filter((e) => e.type === "error")).toEqual([]);
  });

  test("a server-initiated bidirectional stream is H3_STREAM_CREATION_ERROR; reserved stream types are skipped", () => {
    const { h3, out } = session();
    h3.data(S, 1, encodeFrame({ type: FrameType.HEADERS, fieldSection: Uint8Array.of(0, 0) }), 0, 1);
    h3.data(C, 2, Uint8Array.of(0x21, 1, 2, 3), 0, 1); // 0x21: a reserved stream type (0x1f * 1 + 0x21)
    const err = out.find((e) => e.type === "error");
    expect(err?.type === "error" && err.error.codeName).toBe("H3_STREAM_CREATION_ERROR");
    expect(out.filter((e) => e.type === "h3-frame")).toEqual([]);
  });

  test("a DATA frame before HEADERS on a request stream: H3_FRAME_UNEXPECTED for that stream, the others go on", () => {
    const { h3, out } = session();
    h3.data(C, 0, encodeFrame({ type: FrameType.DATA, data: Uint8Array.of(1) }), 0, 1);
    h3.data(C, 4, encodeFrame({ type: FrameType.HEADERS, fieldSection: Uint8Array.of(0, 0, 0xd1) }), 0, 2); // :method GET
    const err = out.find((e) => e.type === "error");
    expect(err?.type === "error" && err.error.codeName).toBe("H3_FRAME_UNEXPECTED");
    const ok = out.find((e) => e.type === "h3-frame" && e.streamId === 4);
    expect(ok?.type === "h3-frame" && ok.fields).toEqual([{ name: ":method", value: "GET" }]);
  });

  test("a stream type split across chunks (a two-byte varint) is read once whole", () => {
    const { h3, out } = session();
    const control = cat(encodeUniStreamHeader(StreamType.CONTROL), encodeFrame({ type: FrameType.SETTINGS, settings: [] }));
    h3.data(S, 3, control.subarray(0, 1), 0, 1);
    h3.data(S, 3, control.subarray(1), 1, 1);
    const s = out.find((e) => e.type === "h3-frame");
    expect(s?.type === "h3-frame" && [s.stream, s.frameType, s.offset]).toEqual(["control", FrameType.SETTINGS, 1]);
  });
});
