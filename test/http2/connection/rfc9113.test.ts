/**
 * Http2Connection against RFC 9113's endpoint rules, one test per MUST, with
 * the exact code and scope: a raw peer sends frames, the connection's
 * output is decoded and checked.
 */
import { describe, expect, test } from "vitest";
import { ErrorCode, Flags, FrameType, Http2Connection, MAX_STREAM_ID, SettingsId } from "../../../src/http2/index.js";
import { body, GET, OK, POST, pair, RawPeer } from "./helpers.js";

const bytes = (n: number, fill = 0x61) => new Uint8Array(n).fill(fill);

function lastGoaway(peer: RawPeer) {
  const g = peer.writtenOf(FrameType.GOAWAY);
  return g[g.length - 1];
}

function resets(peer: RawPeer) {
  return peer.writtenOf(FrameType.RST_STREAM).map((f) => ({ streamId: f.streamId, errorCode: f.errorCode }));
}

function expectConnectionError(peer: RawPeer, code: number, reason: string, lastStreamId?: number) {
  const error = peer.events.find((e) => e.type === "connection-error");
  expect(error).toMatchObject({ type: "connection-error", error: { code, reason, scope: "connection" } });
  const goaway = lastGoaway(peer);
  expect(goaway?.errorCode).toBe(code);
  if (lastStreamId !== undefined) expect(goaway?.lastStreamId).toBe(lastStreamId);
  expect(peer.conn.state).toBe("closed");
  expect(peer.events.at(-1)).toMatchObject({ type: "terminated", code, local: true });
}

function expectStreamError(peer: RawPeer, streamId: number, code: number, reason: string) {
  expect(resets(peer)).toContainEqual({ streamId, errorCode: code });
  const event = peer.events.find((e) => e.type === "stream-reset" && e.streamId === streamId && e.local);
  expect(event).toMatchObject({ local: true, code, error: { reason, scope: "stream" } });
  expect(peer.conn.state).toBe("open");
}

describe("§3.4 preface and the first SETTINGS", () => {
  test("the client writes the preface then SETTINGS; the server SETTINGS first", () => {
    const client = new Http2Connection({ role: "client" });
    const out = client.takeOutputBytes();
    expect(new TextDecoder().decode(out.subarray(0, 24))).toBe("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
    expect(out[24 + 3]).toBe(FrameType.SETTINGS);
    // SETTINGS_ENABLE_PUSH 0, MAX_CONCURRENT_STREAMS 100, MAX_HEADER_LIST_SIZE 65536, then a connection WINDOW_UPDATE
    expect([...out.subarray(24, 24 + 9 + 18)]).toEqual([
      0, 0, 18, 4, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 3, 0, 0, 0, 100, 0, 6, 0, 1, 0, 0,
    ]);
    const server = new Http2Connection({ role: "server" });
    expect(server.takeOutputBytes()[3]).toBe(FrameType.SETTINGS);
  });

  test("the peer's SETTINGS are applied on receipt and acknowledged", () => {
    const peer = new RawPeer("server", {}, false);
    const events = peer.sendBytes(
      new TextEncoder().encode("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"),
      encodeSettings([{ id: SettingsId.SETTINGS_MAX_FRAME_SIZE, value: 20_000 }]),
    );
    expect(events[0]).toMatchObject({ type: "settings", peer: { maxFrameSize: 20_000 } });
    expect(peer.writtenOf(FrameType.SETTINGS).filter((f) => f.ack)).toHaveLength(1);
    expect(peer.conn.peerSettings.maxFrameSize).toBe(20_000);
  });

  test("a client whose server does not start with SETTINGS fails with PROTOCOL_ERROR", () => {
    const peer = new RawPeer("client", {}, false);
    peer.send({ type: FrameType.PING, streamId: 0, opaqueData: bytes(8) });
    expectConnectionError(peer, ErrorCode.PROTOCOL_ERROR, "preface_settings_missing");
  });
});

function encodeSettings(settings: { id: number; value: number }[]) {
  const p = new Uint8Array(9 + 6 * settings.length);
  p.set([0, 0, 6 * settings.length, FrameType.SETTINGS, 0, 0, 0, 0, 0]);
  settings.forEach((s, i) => {
    const o = 9 + 6 * i;
    p.set([s.id >> 8, s.id & 0xff, s.value >>> 24, (s.value >>> 16) & 0xff, (s.value >>> 8) & 0xff, s.value & 0xff], o);
  });
  return p;
}

describe("§6.5.3 local settings apply when acknowledged", () => {
  test("a lower SETTINGS_MAX_FRAME_SIZE... only binds after the ACK; a higher one at once", () => {
    const peer = new RawPeer("server");
    peer.conn.updateSettings({ maxFrameSize: 32_768 });
    peer.read();
    // higher: the peer may use it as soon as it reads the frame, before we see its ACK
    peer.send(...peer.headers(1, POST()), { type: FrameType.DATA, streamId: 1, data: bytes(20_000) });
    expect(peer.events.filter((e) => e.type === "data")).toHaveLength(1);
    expect(peer.conn.localSettings.maxFrameSize).toBe(16_384);
    peer.send({ type: FrameType.SETTINGS, streamId: 0, ack: true });
    expect(peer.events.at(-1)).toMatchObject({ type: "settings-acknowledged", local: { maxFrameSize: 32_768 } });
    peer.conn.updateSettings({ maxFrameSize: 16_384 });
    peer.send({ type: FrameType.DATA, streamId: 1, data: bytes(20_000) }); // before the ACK: still allowed
    expect(peer.conn.state).toBe("open");
    peer.send({ type: FrameType.SETTINGS, streamId: 0, ack: true }, { type: FrameType.DATA, streamId: 1, data: bytes(20_000) });
    expectConnectionError(peer, ErrorCode.FRAME_SIZE_ERROR, "frame_too_large");
  });

  test("a lower initial window binds after the ACK (RFC 9113 §6.9.2)", () => {
    const peer = new RawPeer("server", { connectionWindowSize: 1 << 24 });
    peer.send(...peer.headers(1, POST()));
    peer.conn.updateSettings({ initialWindowSize: 1000 });
    // the old 65535 still holds
    peer.send({ type: FrameType.DATA, streamId: 1, data: bytes(15_000) }, { type: FrameType.DATA, streamId: 1, data: bytes(15_000) });
    expect(peer.conn.state).toBe("open");
    expect(resets(peer)).toEqual([]);
    peer.send({ type: FrameType.SETTINGS, streamId: 0, ack: true }); // window now 65535 - 64535 - 30000 + credit
    for (let i = 0; i < 3; i++) peer.send({ type: FrameType.DATA, streamId: 1, data: bytes(15_000) });
    expectStreamError(peer, 1, ErrorCode.FLOW_CONTROL_ERROR, "stream_window_exceeded");
  });

  test("a lower HPACK table size binds after the ACK", () => {
    const peer = new RawPeer("server");
    peer.conn.updateSettings({ headerTableSize: 0 });
    peer.send({ type: FrameType.SETTINGS, streamId: 0, ack: true });
    // RFC 9113 §4.3.1 / RFC 7541 §4.2: the next block must start with a size update; this one does not
    peer.send(...peer.headers(1, GET(), true));
    expectConnectionError(peer, ErrorCode.COMPRESSION_ERROR, "hpack_decoding_failed");
  });

  test("a lower SETTINGS_MAX_HEADER_LIST_SIZE refuses larger lists once acknowledged", () => {
    const peer = new RawPeer("server");
    peer.conn.updateSettings({ maxHeaderListSize: 200 });
    peer.send({ type: FrameType.SETTINGS, streamId: 0, ack: true });
    peer.send(...peer.headers(1, GET("/", [{ name: "x-big", value: "v".repeat(300) }]), true));
    expectStreamError(peer, 1, ErrorCode.ENHANCE_YOUR_CALM, "header_list_too_large");
    expect(() => peer.conn.updateSettings({ maxHeaderListSize: 1 << 20 })).toThrow(RangeError);
  });

  test("SETTINGS timeout on the caller's clock (RFC 9113 §6.5.3)", () => {
    const conn = new Http2Connection({ role: "server", limits: { settingsTimeoutMs: 5000 } });
    expect(conn.checkTimeouts(1000)).toEqual([]);
    expect(conn.settingsAckDeadline).toBe(6000);
    expect(conn.checkTimeouts(5999)).toEqual([]);
    const events = conn.checkTimeouts(6000);
    expect(events.map((e) => e.type)).toEqual(["connection-error", "terminated"]);
    expect(events[1]).toMatchObject({ code: ErrorCode.SETTINGS_TIMEOUT, limit: "settingsTimeoutMs" });
    const out = conn.takeOutputBytes();
    expect(out.subarray(-8 - 16, -16)).toEqual(Uint8Array.from([0, 0, 0, 0, 0, 0, 0, ErrorCode.SETTINGS_TIMEOUT]));
  });

  test("no timeout once acknowledged", () => {
    const peer = new RawPeer("server");
    expect(peer.conn.settingsAckDeadline).toBeUndefined();
    expect(peer.conn.checkTimeouts(1e12)).toEqual([]);
  });
});

describe("§5.1 stream states", () => {
  test("DATA, RST_STREAM, WINDOW_UPDATE on an idle stream: connection PROTOCOL_ERROR", () => {
    for (const frame of [
      { type: FrameType.DATA, streamId: 1, data: bytes(1) },
      { type: FrameType.RST_STREAM, streamId: 1, errorCode: 0 },
      { type: FrameType.WINDOW_UPDATE, streamId: 1, windowSizeIncrement: 1 },
    ] as const) {
      const peer = new RawPeer("server");
      peer.send(frame);
      expectConnectionError(peer, ErrorCode.PROTOCOL_ERROR, "stream_idle", 0);
    }
  });

  test("PRIORITY on an idle stream is allowed and keeps no state", () => {
    const peer = new RawPeer("server");
    peer.send({ type: FrameType.PRIORITY, streamId: 9, exclusive: false, streamDependency: 0, weight: 16 });
    expect(peer.conn.state).toBe("open");
    peer.send(...peer.headers(1, GET(), true)); // stream 1 is still below 9 but was never used: allowed
    expect(peer.events.at(-2)).toMatchObject({ type: "request", streamId: 1 });
  });

  test("DATA or HEADERS on a half-closed (remote) stream: stream STREAM_CLOSED", () => {
    const peer = new RawPeer("server");
    peer.send(...peer.headers(1, GET(), true), { type: FrameType.DATA, streamId: 1, data: bytes(1) });
    expectStreamError(peer, 1, ErrorCode.STREAM_CLOSED, "stream_half_closed_remote");
    const peer2 = new RawPeer("server");
    peer2.send(...peer2.headers(1, GET(), true), ...peer2.headers(1, [{ name: "x", value: "y" }], true));
    expectStreamError(peer2, 1, ErrorCode.STREAM_CLOSED, "stream_half_closed_remote");
  });

  test("DATA after the peer's RST_STREAM: stream STREAM_CLOSED", () => {
    const peer = new RawPeer("server");
    peer.send(...peer.headers(1, POST()), { type: FrameType.RST_STREAM, streamId: 1, errorCode: ErrorCode.CANCEL });
    expect(peer.events.at(-1)).toMatchObject({ type: "stream-reset", streamId: 1, code: ErrorCode.CANCEL, local: false });
    peer.send({ type: FrameType.DATA, streamId: 1, data: bytes(1) });
    expectStreamError(peer, 1, ErrorCode.STREAM_CLOSED, "stream_closed");
  });

  test("HEADERS on a stream that closed normally: connection STREAM_CLOSED", () => {
    const peer = new RawPeer("server");
    peer.send(...peer.headers(1, GET(), true));
    peer.conn.respond(1, OK, { endStream: true });
    peer.send(...peer.headers(1, GET(), true));
    expectConnectionError(peer, ErrorCode.STREAM_CLOSED, "stream_closed", 1);
  });

  test("frames on a stream we reset are ignored, and DATA still counts against the connection window", () => {
    const peer = new RawPeer("server", { connectionWindowSize: 65_535 });
    peer.send(...peer.headers(1, POST()));
    peer.conn.reset(1, ErrorCode.CANCEL);
    expect(resets(peer)).toEqual([{ streamId: 1, errorCode: ErrorCode.CANCEL }]);
    for (let i = 0; i < 8; i++) peer.send({ type: FrameType.DATA, streamId: 1, data: bytes(16_000) });
    peer.send(...peer.headers(1, [{ name: "x", value: "y" }], true), {
      type: FrameType.WINDOW_UPDATE,
      streamId: 1,
      windowSizeIncrement: 5,
    });
    expect(peer.conn.state).toBe("open");
    expect(resets(peer)).toHaveLength(1);
    // 128,000 octets went to a stream we reset: the connection window was given back
    const credit = peer.writtenOf(FrameType.WINDOW_UPDATE).filter((f) => f.streamId === 0);
    expect(credit.reduce((n, f) => n + f.windowSizeIncrement, 0)).toBeGreaterThanOrEqual(128_000 - 65_535);
  });

  test("a WINDOW_UPDATE or RST_STREAM on a closed stream is ignored", () => {
    const peer = new RawPeer("server");
    peer.send(...peer.headers(1, GET(), true));
    peer.conn.respond(1, OK, { endStream: true });
    peer.send(
      { type: FrameType.WINDOW_UPDATE, streamId: 1, windowSizeIncrement: 1 },
      { type: FrameType.RST_STREAM, streamId: 1, errorCode: 0 },
    );
    expect(peer.conn.state).toBe("open");
    expect(resets(peer)).toEqual([]);
  });

  test("HEADERS on a stream the server reserved (push): connection PROTOCOL_ERROR", () => {
    const peer = new RawPeer("server");
    peer.send(
      { type: FrameType.SETTINGS, streamId: 0, settings: [{ id: SettingsId.SETTINGS_ENABLE_PUSH, value: 1 }] },
      ...peer.headers(1, GET(), true),
    );
    const promised = peer.conn.push(1, GET("/pushed"));
    expect(promised).toBe(2);
    peer.send(...peer.headers(2, GET(), true));
    expectConnectionError(peer, ErrorCode.PROTOCOL_ERROR, "stream_reserved_local");
  });
});

describe("§5.1.1 stream identifiers", () => {
  test("a client opening an even stream: connection PROTOCOL_ERROR", () => {
    const peer = new RawPeer("server");
    peer.send(...peer.headers(2, GET(), true));
    expectConnectionError(peer, ErrorCode.PROTOCOL_ERROR, "stream_id_wrong_parity");
  });

  test("a stream identifier going backwards: connection PROTOCOL_ERROR, GOAWAY names the last stream", () => {
    const peer = new RawPeer("server");
    peer.send(...peer.headers(5, GET(), true), ...peer.headers(3, GET(), true));
    expectConnectionError(peer, ErrorCode.PROTOCOL_ERROR, "stream_id_not_increasing", 5);
  });

  test("client stream identifiers increase by two from 1; GOAWAY's last stream id retries the rest", () => {
    const p = pair();
    p.pump();
    const ids = [0, 1, 2, 3].map(() => p.client.request(GET(), { endStream: true }));
    expect(ids).toEqual([1, 3, 5, 7]);
    p.server.receive(p.client.takeOutputBytes());
    p.server.terminate(ErrorCode.NO_ERROR); // GOAWAY with the last stream id 7: all four were seen
    const events = p.client.receive(p.server.takeOutputBytes());
    expect(events.find((e) => e.type === "goaway")).toMatchObject({ lastStreamId: 7, errorCode: 0 });
  });

  test("a GOAWAY below our streams makes them retryable; no new request after it", () => {
    const peer = new RawPeer("client");
    const a = peer.conn.request(GET(), { endStream: true });
    const b = peer.conn.request(GET(), { endStream: true });
    peer.send({ type: FrameType.GOAWAY, streamId: 0, lastStreamId: a, errorCode: ErrorCode.NO_ERROR });
    const reset = peer.events.filter((e) => e.type === "stream-reset");
    expect(reset).toEqual([expect.objectContaining({ streamId: b, retryable: true, code: ErrorCode.REFUSED_STREAM })]);
    expect(() => peer.conn.request(GET())).toThrow(RangeError);
    expect(peer.conn.state).toBe("closing");
    peer.send(...peer.headers(a, OK, true));
    expect(peer.conn.state).toBe("closed");
    expect(peer.events.at(-1)).toMatchObject({ type: "terminated", code: 0, local: false });
  });
});

describe("§5.1.2 concurrency", () => {
  test("a stream over our MAX_CONCURRENT_STREAMS is refused with REFUSED_STREAM", () => {
    const peer = new RawPeer("server", { settings: { maxConcurrentStreams: 2 } });
    peer.send(...peer.headers(1, GET()), ...peer.headers(3, GET()), ...peer.headers(5, GET()));
    expectStreamError(peer, 5, ErrorCode.REFUSED_STREAM, "max_concurrent_streams");
    expect(peer.events.filter((e) => e.type === "request").map((e) => e.streamId)).toEqual([1, 3]);
    // a slot frees: the next stream is accepted
    peer.send({ type: FrameType.DATA, streamId: 1, data: bytes(0), endStream: true });
    peer.conn.respond(1, OK, { endStream: true });
    peer.send(...peer.headers(7, GET(), true));
    expect(peer.events.filter((e) => e.type === "request").map((e) => e.streamId)).toEqual([1, 3, 7]);
  });

  test("the client never opens more streams than the server allows", () => {
    const peer = new RawPeer("client");
    peer.send({ type: FrameType.SETTINGS, streamId: 0, settings: [{ id: SettingsId.SETTINGS_MAX_CONCURRENT_STREAMS, value: 1 }] });
    const ids = [0, 1, 2].map(() => peer.conn.request(GET(), { endStream: true }));
    expect(peer.writtenOf(FrameType.HEADERS as never)).toHaveLength(0); // field blocks are joined: look at field-block events
    const opened = () => peer.written.filter((f) => f.type === "field-block").map((f) => f.streamId);
    peer.read();
    expect(opened()).toEqual([1]);
    peer.send(...peer.headers(1, OK, true));
    peer.read();
    expect(opened()).toEqual([1, 3]);
    peer.send({ type: FrameType.RST_STREAM, streamId: 3, errorCode: ErrorCode.REFUSED_STREAM });
    expect(peer.events.at(-1)).toMatchObject({ type: "stream-reset", streamId: 3, retryable: true });
    peer.read();
    expect(opened()).toEqual([1, 3, 5]);
    expect(ids).toEqual([1, 3, 5]);
  });
});

describe("§5.2 and §6.9 flow control", () => {
  test("DATA above the stream window: stream FLOW_CONTROL_ERROR", () => {
    const peer = new RawPeer("server", { settings: { initialWindowSize: 100 }, windowUpdate: "manual" });
    peer.send(...peer.headers(1, POST()), { type: FrameType.DATA, streamId: 1, data: bytes(60) });
    peer.send({ type: FrameType.DATA, streamId: 1, data: bytes(41) });
    expectStreamError(peer, 1, ErrorCode.FLOW_CONTROL_ERROR, "stream_window_exceeded");
  });

  test("DATA above the connection window: connection FLOW_CONTROL_ERROR", () => {
    const peer = new RawPeer("server", { connectionWindowSize: 65_535, windowUpdate: "manual" });
    peer.send(...peer.headers(1, POST()), ...peer.headers(3, POST()));
    peer.send({ type: FrameType.DATA, streamId: 1, data: bytes(16_384) }, { type: FrameType.DATA, streamId: 1, data: bytes(16_384) });
    peer.send({ type: FrameType.DATA, streamId: 3, data: bytes(16_384) }, { type: FrameType.DATA, streamId: 3, data: bytes(16_383) });
    expect(peer.conn.state).toBe("open");
    peer.send({ type: FrameType.DATA, streamId: 3, data: bytes(1) });
    expectConnectionError(peer, ErrorCode.FLOW_CONTROL_ERROR, "connection_window_exceeded");
  });

  test("padding counts against the windows (§6.1)", () => {
    const peer = new RawPeer("server", { settings: { initialWindowSize: 100 }, windowUpdate: "manual" });
    peer.send(...peer.headers(1, POST()), { type: FrameType.DATA, streamId: 1, data: bytes(50), padLength: 49 });
    expect(peer.conn.state).toBe("open");
    peer.send({ type: FrameType.DATA, streamId: 1, data: bytes(1) });
    // the padding (50 octets) was given back at once, so 1 more octet fits
    expect(resets(peer)).toEqual([]);
  });

  test("manual policy: no WINDOW_UPDATE until the caller consumes; then one once half the window is used", () => {
    const peer = new RawPeer("server", { settings: { initialWindowSize: 1000 }, windowUpdate: "manual", connectionWindowSize: 65_535 });
    peer.send(...peer.headers(1, POST()), { type: FrameType.DATA, streamId: 1, data: bytes(900) });
    expect(peer.writtenOf(FrameType.WINDOW_UPDATE)).toEqual([]);
    peer.conn.consume(1, 400);
    expect(peer.writtenOf(FrameType.WINDOW_UPDATE)).toEqual([]);
    peer.conn.consume(1, 100);
    expect(peer.writtenOf(FrameType.WINDOW_UPDATE).map((f) => [f.streamId, f.windowSizeIncrement])).toEqual([[1, 500]]);
  });

  test("auto policy keeps a long upload flowing", () => {
    const peer = new RawPeer("server", { connectionWindowSize: 65_535 });
    peer.send(...peer.headers(1, POST()));
    for (let i = 0; i < 100; i++) peer.send({ type: FrameType.DATA, streamId: 1, data: bytes(16_384) });
    expect(peer.conn.state).toBe("open");
    expect(resets(peer)).toEqual([]);
  });

  test("sending never exceeds the peer's windows; an initial window of 1 gives 1-octet frames", () => {
    const peer = new RawPeer("server");
    peer.send({ type: FrameType.SETTINGS, streamId: 0, settings: [{ id: SettingsId.SETTINGS_INITIAL_WINDOW_SIZE, value: 1 }] });
    peer.send(...peer.headers(1, GET(), true));
    peer.conn.respond(1, OK);
    expect(peer.conn.sendData(1, bytes(5), { endStream: true })).toBe(5);
    let data = peer.writtenOf(FrameType.DATA);
    expect(data.map((f) => f.data.length)).toEqual([1]);
    expect(peer.conn.queuedBytes(1)).toBe(4);
    peer.send({ type: FrameType.WINDOW_UPDATE, streamId: 1, windowSizeIncrement: 3 });
    data = peer.writtenOf(FrameType.DATA);
    expect(data.map((f) => [f.data.length, f.endStream])).toEqual([
      [1, false],
      [3, false],
    ]);
    peer.send({ type: FrameType.WINDOW_UPDATE, streamId: 1, windowSizeIncrement: 100 });
    expect(peer.writtenOf(FrameType.DATA).map((f) => [f.data.length, f.endStream])).toEqual([
      [1, false],
      [3, false],
      [1, true],
    ]);
  });

  test("SETTINGS_INITIAL_WINDOW_SIZE can make a send window negative (§6.9.2)", () => {
    const peer = new RawPeer("server");
    peer.send(...peer.headers(1, GET(), true));
    peer.conn.respond(1, OK);
    peer.conn.sendData(1, bytes(1000));
    expect(peer.conn.sendWindow(1)).toBe(65_535 - 1000);
    peer.send({ type: FrameType.SETTINGS, streamId: 0, settings: [{ id: SettingsId.SETTINGS_INITIAL_WINDOW_SIZE, value: 500 }] });
    expect(peer.conn.sendWindow(1)).toBe(-500);
    peer.conn.sendData(1, bytes(10), { endStream: true });
    peer.send({ type: FrameType.WINDOW_UPDATE, streamId: 1, windowSizeIncrement: 505 });
    expect(peer.writtenOf(FrameType.DATA).map((f) => f.data.length)).toEqual([1000, 5]);
  });

  test("window overflow: stream FLOW_CONTROL_ERROR on a stream, connection on stream 0, and by SETTINGS", () => {
    const peer = new RawPeer("server");
    peer.send(...peer.headers(1, GET(), true), { type: FrameType.WINDOW_UPDATE, streamId: 1, windowSizeIncrement: MAX_STREAM_ID });
    expectStreamError(peer, 1, ErrorCode.FLOW_CONTROL_ERROR, "window_overflow");
    peer.send({ type: FrameType.WINDOW_UPDATE, streamId: 0, windowSizeIncrement: MAX_STREAM_ID });
    expectConnectionError(peer, ErrorCode.FLOW_CONTROL_ERROR, "window_overflow");
    const peer2 = new RawPeer("server");
    peer2.send(...peer2.headers(1, GET(), true), {
      type: FrameType.WINDOW_UPDATE,
      streamId: 1,
      windowSizeIncrement: MAX_STREAM_ID - 65_535,
    });
    peer2.send({ type: FrameType.SETTINGS, streamId: 0, settings: [{ id: SettingsId.SETTINGS_INITIAL_WINDOW_SIZE, value: 65_536 }] });
    expectConnectionError(peer2, ErrorCode.FLOW_CONTROL_ERROR, "settings_window_overflow");
  });

  test("WINDOW_UPDATE of 0 on a stream is a stream PROTOCOL_ERROR, on stream 0 a connection error", () => {
    const peer = new RawPeer("server");
    peer.send(...peer.headers(1, POST()), { type: FrameType.WINDOW_UPDATE, streamId: 1, windowSizeIncrement: 0 });
    expectStreamError(peer, 1, ErrorCode.PROTOCOL_ERROR, "window_update_zero_increment");
    peer.send({ type: FrameType.WINDOW_UPDATE, streamId: 0, windowSizeIncrement: 0 });
    expectConnectionError(peer, ErrorCode.PROTOCOL_ERROR, "window_update_zero_increment");
  });
});

describe("§8.1, §8.2, §8.3 messages", () => {
  const cases: [string, { name: string; value: string }[], string][] = [
    ["an uppercase field name", GET("/", [{ name: "X-Up", value: "1" }]), "field_name_invalid"],
    ["a connection-specific field", GET("/", [{ name: "connection", value: "close" }]), "connection_specific_field"],
    ["TE other than trailers", GET("/", [{ name: "te", value: "gzip" }]), "te_not_trailers"],
    ["no :path", GET().filter((f) => f.name !== ":path"), "path_missing"],
    ["an unknown pseudo-header", [...GET().slice(0, 4), { name: ":foo", value: "1" }], "pseudo_header_unknown"],
    ["a pseudo-header after a regular field", [{ name: "a", value: "1" }, ...GET()], "pseudo_header_after_regular"],
    [
      ":protocol without SETTINGS_ENABLE_CONNECT_PROTOCOL",
      [{ name: ":method", value: "CONNECT" }, ...GET().slice(1), { name: ":protocol", value: "websocket" }],
      "protocol_not_enabled",
    ],
  ];
  for (const [what, fields, reason] of cases)
    test(`${what}: stream PROTOCOL_ERROR ${reason}`, () => {
      const peer = new RawPeer("server");
      peer.send(...peer.headers(1, fields, true));
      expectStreamError(peer, 1, ErrorCode.PROTOCOL_ERROR, reason);
      expect(peer.events.some((e) => e.type === "request")).toBe(false);
    });

  test("content-length above the DATA received: stream PROTOCOL_ERROR at END_STREAM (§8.1.1)", () => {
    const peer = new RawPeer("server");
    peer.send(...peer.headers(1, POST("/", [{ name: "content-length", value: "10" }])));
    peer.send(
      { type: FrameType.DATA, streamId: 1, data: bytes(4) },
      { type: FrameType.DATA, streamId: 1, data: bytes(5), endStream: true },
    );
    expectStreamError(peer, 1, ErrorCode.PROTOCOL_ERROR, "content_length_mismatch");
  });

  test("DATA beyond content-length: stream PROTOCOL_ERROR at once", () => {
    const peer = new RawPeer("server");
    peer.send(...peer.headers(1, POST("/", [{ name: "content-length", value: "3" }])));
    peer.send({ type: FrameType.DATA, streamId: 1, data: bytes(4) });
    expectStreamError(peer, 1, ErrorCode.PROTOCOL_ERROR, "content_length_mismatch");
  });

  test("content-length with END_STREAM on HEADERS and no body", () => {
    const peer = new RawPeer("server");
    peer.send(...peer.headers(1, POST("/", [{ name: "content-length", value: "1" }]), true));
    expectStreamError(peer, 1, ErrorCode.PROTOCOL_ERROR, "content_length_mismatch");
  });

  test("invalid content-length", () => {
    const peer = new RawPeer("server");
    peer.send(...peer.headers(1, POST("/", [{ name: "content-length", value: "1x" }]), true));
    expectStreamError(peer, 1, ErrorCode.PROTOCOL_ERROR, "content_length_invalid");
  });

  test("a HEAD response carries content-length but no body", () => {
    const peer = new RawPeer("client");
    const id = peer.conn.request([{ name: ":method", value: "HEAD" }, ...GET().slice(1)], { endStream: true });
    peer.send(...peer.headers(id, [...OK, { name: "content-length", value: "1234" }], true));
    expect(peer.events.map((e) => e.type)).toContain("stream-end");
    expect(resets(peer)).toEqual([]);
  });

  test("trailers without END_STREAM: stream PROTOCOL_ERROR; with a pseudo-header too", () => {
    const peer = new RawPeer("server");
    peer.send(...peer.headers(1, POST()), { type: FrameType.DATA, streamId: 1, data: bytes(1) });
    peer.send(...peer.headers(1, [{ name: "x-t", value: "1" }], false));
    expectStreamError(peer, 1, ErrorCode.PROTOCOL_ERROR, "trailers_without_end_stream");
    peer.send(...peer.headers(3, POST()), ...peer.headers(3, [{ name: ":status", value: "200" }], true));
    expectStreamError(peer, 3, ErrorCode.PROTOCOL_ERROR, "pseudo_header_in_trailers");
  });

  test("trailers both ways, and 1xx responses before the final one", () => {
    const p = pair();
    const id = p.client.request(POST("/t"));
    p.client.sendData(id, bytes(10));
    p.client.sendTrailers(id, [{ name: "x-sum", value: "10" }]);
    p.pump((e) => {
      if (e.type === "stream-end") {
        p.server.respond(e.streamId, [
          { name: ":status", value: "103" },
          { name: "link", value: "</a>; rel=preload" },
        ]);
        p.server.respond(e.streamId, OK);
        p.server.sendData(e.streamId, bytes(3));
        p.server.sendTrailers(e.streamId, [{ name: "grpc-status", value: "0" }]);
      }
    });
    expect(p.serverEvents.filter((e) => e.type === "trailers")).toEqual([
      { type: "trailers", streamId: id, fields: [{ name: "x-sum", value: "10" }] },
    ]);
    const client = p.clientEvents
      .filter((e) => "streamId" in e && e.streamId === id)
      .map((e) => (e.type === "response" ? `${e.type} ${e.status}` : e.type));
    expect(client).toEqual(["response 103", "response 200", "data", "trailers", "stream-end"]);
    expect(body(p.clientEvents, id)).toEqual(bytes(3));
  });

  test("a 1xx response with END_STREAM is malformed; DATA before the response too", () => {
    const peer = new RawPeer("client");
    const id = peer.conn.request(GET(), { endStream: true });
    peer.send(...peer.headers(id, [{ name: ":status", value: "100" }], true));
    expectStreamError(peer, id, ErrorCode.PROTOCOL_ERROR, "informational_end_stream");
    const id2 = peer.conn.request(GET(), { endStream: true });
    peer.send({ type: FrameType.DATA, streamId: id2, data: bytes(1) });
    expectStreamError(peer, id2, ErrorCode.PROTOCOL_ERROR, "data_before_headers");
  });

  test("the caller's own invalid fields are a TypeError, nothing is sent", () => {
    const p = pair();
    expect(() => p.client.request([{ name: ":method", value: "GET" }])).toThrow(TypeError);
    expect(() => p.client.request(GET("/", [{ name: "Upper", value: "x" }]))).toThrow(/field_name_invalid/);
    const id = p.client.request(GET(), { endStream: true });
    p.pump();
    expect(() => p.server.respond(id, [{ name: ":status", value: "2000" }])).toThrow(TypeError);
    expect(() => p.server.sendData(id, bytes(1))).toThrow(RangeError); // before the response
    expect(() => p.server.sendData(99, bytes(1))).toThrow(RangeError); // never opened
    p.server.respond(id, OK);
    p.server.sendData(id, bytes(1), { endStream: true }); // the stream closes
    expect(p.server.sendData(id, bytes(1))).toBe(0); // closed: nothing is sent
  });
});

describe("§6.10 CONTINUATION", () => {
  test("a field block over HEADERS and CONTINUATION frames is one request; ours are split at the peer's frame size", () => {
    const peer = new RawPeer("server");
    const big = "v".repeat(40_000);
    const frames = peer.headers(1, GET("/", [{ name: "x-big", value: big }]), true, 16_384);
    expect(frames.map((f) => f.type)).toEqual([FrameType.HEADERS, FrameType.CONTINUATION, FrameType.CONTINUATION]);
    peer.send(...frames);
    const request = peer.events.find((e) => e.type === "request");
    expect(request?.type === "request" && request.fields.at(-1)?.value).toBe(big);
    peer.conn.respond(1, [...OK, { name: "x-big", value: big }], { endStream: true });
    const block = peer.read().find((f) => f.type === "field-block");
    expect(block).toMatchObject({ continuationFrames: 2, streamId: 1, endStream: true });
  });
});

describe("§8.4 server push", () => {
  test("the client refuses PUSH_PROMISE by default (ENABLE_PUSH 0): connection PROTOCOL_ERROR", () => {
    const peer = new RawPeer("client");
    const id = peer.conn.request(GET(), { endStream: true });
    peer.send({
      type: FrameType.PUSH_PROMISE,
      streamId: id,
      promisedStreamId: 2,
      fragment: peer.encoder.encode(GET("/p")),
      endHeaders: true,
    });
    expectConnectionError(peer, ErrorCode.PROTOCOL_ERROR, "push_disabled");
  });

  test("a push end to end when the client enables it", () => {
    const p = pair({ settings: { enablePush: true } });
    const id = p.client.request(GET("/index.html"), { endStream: true });
    p.pump((e) => {
      if (e.type === "request") {
        const promised = p.server.push(e.streamId, GET("/style.css"));
        expect(promised).toBe(2);
        p.server.respond(e.streamId, OK, { endStream: true });
        p.server.respond(promised as number, OK);
        p.server.sendData(promised as number, bytes(7), { endStream: true });
      }
    });
    expect(p.clientEvents.find((e) => e.type === "push-promise")).toMatchObject({
      streamId: id,
      promisedStreamId: 2,
      pseudo: { path: "/style.css" },
    });
    expect(body(p.clientEvents, 2)).toEqual(bytes(7));
    expect(p.client.activeStreams).toEqual({ local: 0, peer: 0 });
  });

  test("the server does not push when the client disabled it", () => {
    const p = pair();
    p.client.request(GET(), { endStream: true });
    let promised: number | undefined = 0;
    p.pump((e) => {
      if (e.type === "request") promised = p.server.push(e.streamId, GET("/x"));
    });
    expect(promised).toBeUndefined();
  });
});

describe("RFC 8441 extended CONNECT and RFC 9218 priorities", () => {
  test(":protocol only once the server sent SETTINGS_ENABLE_CONNECT_PROTOCOL", async () => {
    const { buildUpgradeRequest } = await import("../../../src/upgrade/index.js");
    const p = pair({}, { settings: { enableConnectProtocol: true } });
    const plain = pair();
    plain.pump();
    const noSettings = plain.client.peerSettings;
    expect(() =>
      buildUpgradeRequest({
        httpVersion: "2",
        protocol: "websocket",
        authority: "a",
        path: "/ws",
        peerSettings: { enableConnectProtocol: noSettings.enableConnectProtocol },
      }),
    ).toThrow();
    expect(() =>
      plain.client.request([{ name: ":method", value: "CONNECT" }, ...GET().slice(1), { name: ":protocol", value: "websocket" }]),
    ).toThrow(/protocol_not_enabled/);
    p.pump();
    const request = buildUpgradeRequest({
      httpVersion: "2",
      protocol: "websocket",
      authority: "example.com",
      path: "/chat",
      peerSettings: { enableConnectProtocol: p.client.peerSettings.enableConnectProtocol },
    });
    const id = p.client.request(request.headers);
    p.pump((e) => {
      if (e.type === "request") {
        expect(e.pseudo).toMatchObject({ method: "CONNECT", protocol: "websocket", path: "/chat" });
        p.server.respond(e.streamId, OK);
        p.server.sendData(e.streamId, bytes(2));
      }
    });
    p.client.sendData(id, bytes(3));
    p.pump();
    expect(body(p.serverEvents, id)).toEqual(bytes(3));
    expect(body(p.clientEvents, id)).toEqual(bytes(2));
  });

  test("PRIORITY_UPDATE and the priority field are passed through", () => {
    const p = pair();
    const id = p.client.request(GET("/", [{ name: "priority", value: "u=1, i" }]), { endStream: true });
    p.client.priorityUpdate(id, "u=5");
    p.pump();
    expect(p.serverEvents.find((e) => e.type === "request")).toMatchObject({ priority: { urgency: 1, incremental: true } });
    expect(p.serverEvents.find((e) => e.type === "priority-update")).toEqual({
      type: "priority-update",
      prioritizedStreamId: id,
      priorityFieldValue: "u=5",
      priority: { urgency: 5, incremental: false },
    });
  });
});

describe("§6.7 PING, §6.8 GOAWAY and graceful shutdown", () => {
  test("PING is acknowledged with the same data; our PING comes back as pong", () => {
    const p = pair();
    p.client.ping(Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]));
    p.pump();
    expect(p.serverEvents.find((e) => e.type === "ping")).toMatchObject({ opaqueData: Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]) });
    expect(p.clientEvents.find((e) => e.type === "pong")).toMatchObject({ opaqueData: Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]) });
  });

  test("the server's two-step GOAWAY: 2^31-1 first, the real last stream after a PING round trip", () => {
    const peer = new RawPeer("server");
    peer.send(...peer.headers(1, GET(), true));
    peer.conn.shutdown();
    expect(peer.writtenOf(FrameType.GOAWAY).map((g) => g.lastStreamId)).toEqual([MAX_STREAM_ID]);
    const ping = peer.writtenOf(FrameType.PING).at(-1);
    expect(ping?.ack).toBe(false);
    // a stream the client opened before it saw the GOAWAY is still served
    peer.send(...peer.headers(3, GET(), true));
    expect(peer.events.at(-2)).toMatchObject({ type: "request", streamId: 3 });
    peer.send({ type: FrameType.PING, streamId: 0, ack: true, opaqueData: ping?.opaqueData ?? bytes(8) });
    expect(peer.writtenOf(FrameType.GOAWAY).map((g) => [g.lastStreamId, g.errorCode])).toEqual([
      [MAX_STREAM_ID, 0],
      [3, 0],
    ]);
    peer.send(...peer.headers(5, GET(), true)); // above the last stream id: ignored
    expect(peer.events.filter((e) => e.type === "request").map((e) => e.streamId)).toEqual([1, 3]);
    expect(peer.conn.state).toBe("closing");
    peer.conn.respond(1, OK, { endStream: true });
    peer.conn.respond(3, OK, { endStream: true });
    expect(peer.conn.state).toBe("closed");
    expect(peer.conn.takeEvents()).toEqual([
      { type: "terminated", code: 0, codeName: "NO_ERROR", reason: "shutdown", limit: undefined, local: true },
    ]);
  });

  test("a client and a server shut down gracefully end to end", () => {
    const p = pair();
    const id = p.client.request(GET(), { endStream: true });
    p.pump((e) => {
      if (e.type === "request") {
        p.server.shutdown();
        p.server.respond(e.streamId, OK);
        p.server.sendData(e.streamId, bytes(100), { endStream: true });
      }
    });
    expect(body(p.clientEvents, id)).toEqual(bytes(100));
    expect(p.client.state).toBe("closed");
    expect(p.server.state).toBe("closed");
  });

  test("a GOAWAY with an error ends the connection", () => {
    const peer = new RawPeer("client");
    peer.send({
      type: FrameType.GOAWAY,
      streamId: 0,
      lastStreamId: 0,
      errorCode: ErrorCode.INTERNAL_ERROR,
      debugData: new TextEncoder().encode("bye"),
    });
    expect(peer.events.slice(-2)).toMatchObject([
      { type: "goaway", errorCode: ErrorCode.INTERNAL_ERROR },
      { type: "terminated", code: ErrorCode.INTERNAL_ERROR, local: false },
    ]);
  });
});

describe("ALTSVC and ORIGIN", () => {
  test("passed through to a client as their RFCs allow, ignored by a server", () => {
    const peer = new RawPeer("client");
    peer.send(
      { type: FrameType.ALTSVC, streamId: 0, origin: "https://example.com", fieldValue: 'h3=":443"' },
      { type: FrameType.ALTSVC, streamId: 0, origin: "", fieldValue: 'h3=":443"' }, // ignored (RFC 7838 §4)
      { type: FrameType.ORIGIN, streamId: 0, origins: ["https://a.example"] },
      { type: FrameType.ORIGIN, streamId: 0, flags: Flags.END_STREAM, origins: ["https://b.example"] }, // flags: ignored
    );
    expect(peer.events.map((e) => e.type)).toEqual(["settings", "settings-acknowledged", "altsvc", "origin"]);
    const server = new RawPeer("server");
    server.send({ type: FrameType.ALTSVC, streamId: 0, origin: "https://example.com", fieldValue: "clear" });
    expect(server.events.map((e) => e.type)).toEqual(["settings", "settings-acknowledged"]);
  });
});

describe("client-side rules", () => {
  test("a server opening a stream with HEADERS (not PUSH_PROMISE): connection PROTOCOL_ERROR", () => {
    const peer = new RawPeer("client");
    peer.send(...peer.headers(2, OK, true));
    expectConnectionError(peer, ErrorCode.PROTOCOL_ERROR, "stream_idle");
  });

  test("a response without :status: stream PROTOCOL_ERROR", () => {
    const peer = new RawPeer("client");
    const id = peer.conn.request(GET(), { endStream: true });
    peer.send(...peer.headers(id, [{ name: "server", value: "x" }], true));
    expectStreamError(peer, id, ErrorCode.PROTOCOL_ERROR, "status_missing");
  });

  test("a promised request that is malformed resets the promised stream only", () => {
    const peer = new RawPeer("client", { settings: { enablePush: true } });
    const id = peer.conn.request(GET(), { endStream: true });
    peer.send({
      type: FrameType.PUSH_PROMISE,
      streamId: id,
      promisedStreamId: 2,
      fragment: peer.encoder.encode([{ name: ":method", value: "GET" }]),
      endHeaders: true,
    });
    expectStreamError(peer, 2, ErrorCode.PROTOCOL_ERROR, "scheme_missing");
    expect(peer.events.some((e) => e.type === "push-promise")).toBe(false);
    peer.send(...peer.headers(id, OK, true));
    expect(peer.events.at(-1)).toMatchObject({ type: "stream-end", streamId: id });
  });

  test("reset() of a request still waiting for a slot sends nothing; terminate() sends GOAWAY with its code", () => {
    const peer = new RawPeer("client");
    peer.send({ type: FrameType.SETTINGS, streamId: 0, settings: [{ id: SettingsId.SETTINGS_MAX_CONCURRENT_STREAMS, value: 1 }] });
    const a = peer.conn.request(GET(), { endStream: true });
    const b = peer.conn.request(GET(), { endStream: true });
    peer.conn.reset(b);
    expect(resets(peer)).toEqual([]);
    peer.send(...peer.headers(a, OK, true));
    expect(peer.read().filter((f) => f.type === "field-block")).toEqual([]); // b never went out
    peer.conn.terminate(ErrorCode.INTERNAL_ERROR, "bye");
    expect(lastGoaway(peer)).toMatchObject({ errorCode: ErrorCode.INTERNAL_ERROR, lastStreamId: 0 });
    expect(peer.conn.takeEvents().at(-1)).toMatchObject({ type: "terminated", code: ErrorCode.INTERNAL_ERROR, local: true });
  });
});
