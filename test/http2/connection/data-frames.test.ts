/** dataFrames and the zero-copy output of Http2Connection, and the examples of docs/http2.md "Http2Connection". */
import { dataFrames, Http2Connection } from "httpwire/http2";
import { describe, expect, test } from "vitest";
import { GET, OK, pair } from "./helpers.js";

describe("dataFrames", () => {
  test("the docs example: headers plus views, END_STREAM on the last frame", () => {
    const payload = new Uint8Array(20_000);
    const pieces = dataFrames(1, payload, 16_384, true);
    expect(pieces.length).toBe(4);
    expect(pieces[2]?.[4]).toBe(1);
    expect([...(pieces[0] as Uint8Array)]).toEqual([0x00, 0x40, 0x00, 0x00, 0x00, 0, 0, 0, 1]);
    expect([...(pieces[2] as Uint8Array)]).toEqual([0x00, 0x0e, 0x20, 0x00, 0x01, 0, 0, 0, 1]);
    // views of the caller's memory, not copies
    expect(pieces[1]?.buffer).toBe(payload.buffer);
    expect(pieces[1]?.byteOffset).toBe(0);
    expect(pieces[3]?.buffer).toBe(payload.buffer);
    expect(pieces[3]?.byteOffset).toBe(16_384);
    expect(pieces[3]?.length).toBe(3616);
  });

  test("an empty payload is one empty frame; a payload of exactly one frame is one frame", () => {
    expect(dataFrames(3, new Uint8Array(0), 16_384, true).map((p) => [...p])).toEqual([[0, 0, 0, 0, 1, 0, 0, 0, 3]]);
    expect(dataFrames(3, new Uint8Array(5), 5, false).map((p) => p.length)).toEqual([9, 5]);
  });

  test("caller mistakes", () => {
    expect(() => dataFrames(0, new Uint8Array(1))).toThrow(RangeError);
    expect(() => dataFrames(1, new Uint8Array(1), 0)).toThrow(RangeError);
    expect(() => dataFrames(2 ** 31, new Uint8Array(1))).toThrow(RangeError);
  });
});

describe("Http2Connection output is zero-copy", () => {
  test("takeOutput returns views of the buffer given to sendData", () => {
    const p = pair();
    const id = p.client.request(GET(), { endStream: true });
    p.pump();
    p.server.respond(id, OK);
    p.server.takeOutput();
    const body = new Uint8Array(40_000).fill(7);
    expect(p.server.sendData(id, body, { endStream: true })).toBe(40_000);
    const out = p.server.takeOutput();
    const views = out.filter((piece) => piece.buffer === body.buffer);
    expect(views.map((v) => [v.byteOffset, v.length])).toEqual([
      [0, 16_384],
      [16_384, 16_384],
      [32_768, 7232],
    ]);
  });

  test("the JSDoc example of Http2Connection", () => {
    const client = new Http2Connection({ role: "client" });
    const server = new Http2Connection({ role: "server" });
    client.request(
      [
        { name: ":method", value: "GET" },
        { name: ":scheme", value: "https" },
        { name: ":authority", value: "example.com" },
        { name: ":path", value: "/" },
      ],
      { endStream: true },
    );
    for (const e of server.receive(client.takeOutputBytes())) {
      if (e.type === "request") {
        server.respond(e.streamId, [{ name: ":status", value: "200" }]);
        server.sendData(e.streamId, new TextEncoder().encode("hello"), { endStream: true });
      }
    }
    const events = client.receive(server.takeOutputBytes());
    const data = events.find((e) => e.type === "data");
    expect(data).toMatchObject({ type: "data", streamId: 1, endStream: true });
    expect(data?.type === "data" && new TextDecoder().decode(data.data)).toBe("hello");
  });
});
