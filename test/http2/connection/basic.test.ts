import { describe, expect, test } from "vitest";
import { ErrorCode, Http2Connection } from "../../../src/http2/index.js";
import { body, GET, OK, POST, pair } from "./helpers.js";

describe("Http2Connection: the simple path", () => {
  test("a GET and its response", () => {
    const p = pair();
    const id = p.client.request(GET("/x"), { endStream: true });
    expect(id).toBe(1);
    p.pump((e) => {
      if (e.type === "request") {
        expect(e.pseudo.path).toBe("/x");
        p.server.respond(e.streamId, OK);
        p.server.sendData(e.streamId, new TextEncoder().encode("hello"), { endStream: true });
      }
    });
    expect(p.serverEvents.map((e) => e.type)).toEqual(["settings", "window-update", "request", "stream-end", "settings-acknowledged"]);
    expect(p.clientEvents.map((e) => e.type)).toEqual([
      "settings",
      "window-update",
      "settings-acknowledged",
      "response",
      "data",
      "stream-end",
    ]);
    expect(new TextDecoder().decode(body(p.clientEvents, 1))).toBe("hello");
    expect(p.client.activeStreams).toEqual({ local: 0, peer: 0 });
    expect(p.server.activeStreams).toEqual({ local: 0, peer: 0 });
  });

  test("a large upload and download go through the windows", () => {
    const p = pair();
    const up = new Uint8Array(300_000).map((_, i) => i & 0xff);
    const down = new Uint8Array(500_000).map((_, i) => (i * 7) & 0xff);
    const id = p.client.request(POST("/up"));
    let sentUp = p.client.sendData(id, up, { endStream: true });
    let sentDown = 0;
    for (let round = 0; round < 1000; round++) {
      p.pump((e) => {
        if (e.type === "stream-end") {
          p.server.respond(e.streamId, OK);
          sentDown += p.server.sendData(e.streamId, down.subarray(sentDown), { endStream: true });
        }
      });
      if (sentUp < up.length) sentUp += p.client.sendData(id, up.subarray(sentUp), { endStream: true });
      if (sentDown > 0 && sentDown < down.length) sentDown += p.server.sendData(id, down.subarray(sentDown), { endStream: true });
      if (!p.client.hasOutput && !p.server.hasOutput) break;
    }
    expect(Buffer.compare(body(p.serverEvents, id), up)).toBe(0);
    expect(Buffer.compare(body(p.clientEvents, id), down)).toBe(0);
  });

  test("MAX_CONCURRENT_STREAMS queues client requests", () => {
    const p = pair({}, { settings: { maxConcurrentStreams: 2 } });
    p.pump();
    const ids = [1, 2, 3, 4, 5].map(() => p.client.request(GET(), { endStream: true }));
    expect(ids).toEqual([1, 3, 5, 7, 9]);
    let answered = 0;
    p.pump((e) => {
      if (e.type === "request") {
        expect(p.server.activeStreams.peer).toBeLessThanOrEqual(2);
        answered++;
        p.server.respond(e.streamId, OK, { endStream: true });
      }
    });
    expect(answered).toBe(5);
    expect(p.clientEvents.filter((e) => e.type === "response").length).toBe(5);
  });

  test("a connection error sends GOAWAY", () => {
    const server = new Http2Connection({ role: "server" });
    const events = server.receive(new TextEncoder().encode("GET / HTTP/1.1\r\n\r\n"));
    expect(events.map((e) => e.type)).toEqual(["connection-error", "terminated"]);
    const out = server.takeOutputBytes();
    expect(out.length).toBeGreaterThan(0);
    expect(events[1]).toMatchObject({ code: ErrorCode.PROTOCOL_ERROR, local: true });
  });
});

describe("regressions", () => {
  test("a queued request ended by an empty sendData sends END_STREAM once (found by the property test)", () => {
    const p = pair({}, { settings: { maxConcurrentStreams: 1 } });
    p.pump();
    const a = p.client.request(GET(), { endStream: true });
    const b = p.client.request(POST());
    p.client.sendData(b, new Uint8Array(0), { endStream: true }); // b waits for a's slot
    p.pump((e) => {
      if (e.type === "stream-end") p.server.respond(e.streamId, OK, { endStream: true });
    });
    expect(p.serverEvents.filter((e) => e.type === "stream-reset")).toEqual([]);
    expect(p.serverEvents.filter((e) => e.type === "request").map((e) => [e.streamId, e.type === "request" && e.endStream])).toEqual([
      [a, true],
      [b, true],
    ]);
  });
});

describe("the peer's MAX_CONCURRENT_STREAMS before its SETTINGS", () => {
  test("a client sends at most 100 requests before the server's SETTINGS, then what they allow", () => {
    const p = pair();
    const ids = Array.from({ length: 150 }, () => p.client.request(GET(), { endStream: true }));
    expect(p.client.activeStreams.local).toBe(100);
    expect(p.client.peerSettings.maxConcurrentStreams).toBe(100);
    p.pump((e) => {
      if (e.type === "request") p.server.respond(e.streamId, OK, { endStream: true });
    });
    expect(p.clientEvents.filter((e) => e.type === "stream-end").length).toBe(ids.length);
    expect(p.client.peerSettings.maxConcurrentStreams).toBe(100); // the server's default setting
    const unlimited = new Http2Connection({ role: "client" });
    unlimited.receive(Uint8Array.of(0, 0, 0, 4, 0, 0, 0, 0, 0)); // SETTINGS without MAX_CONCURRENT_STREAMS
    expect(unlimited.peerSettings.maxConcurrentStreams).toBe(Number.POSITIVE_INFINITY);
  });
});
