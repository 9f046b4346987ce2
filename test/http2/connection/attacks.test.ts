/**
 * Every known HTTP/2 attack against Http2Connection, each bounded by a limit
 * with a documented default: the limit trips after a bounded number of
 * attacker frames, ends the connection with GOAWAY (ENHANCE_YOUR_CALM or
 * the code the RFC names) and a `connection-error` event naming the limit,
 * and what the connection holds meanwhile stays bounded (counts, not time).
 */
import { describe, expect, test } from "vitest";
import { DEFAULT_CONNECTION_LIMITS, ErrorCode, encodeFrame, type FrameInit, FrameType, SettingsId } from "../../../src/http2/index.js";
import { concatBytes } from "../../../src/shared/bytes.js";
import { GET, OK, POST, RawPeer } from "./helpers.js";

const bytes = (n: number) => new Uint8Array(n).fill(0x61);

/** Sends frames in one chunk and reports the attacker's octets. */
function attack(peer: RawPeer, frames: FrameInit[]): number {
  const encoded = frames.map((f) => encodeFrame(f));
  peer.sendBytes(...encoded);
  return encoded.reduce((n, f) => n + f.length, 0);
}

function expectLimit(peer: RawPeer, limit: string, code: number = ErrorCode.ENHANCE_YOUR_CALM) {
  expect(peer.events.find((e) => e.type === "connection-error")).toMatchObject({ limit, error: { code } });
  expect(peer.events.at(-1)).toMatchObject({ type: "terminated", code, limit });
  const goaways = peer.writtenOf(FrameType.GOAWAY);
  expect(goaways.at(-1)?.errorCode).toBe(code);
  expect(peer.conn.state).toBe("closed");
  expect(peer.conn.retained).toMatchObject({ streams: 0, closedStreams: 0, bufferedBytes: 0 });
}

describe("Rapid Reset (CVE-2023-44487): maxPeerResets", () => {
  test(`HEADERS + RST_STREAM pairs end the connection after ${DEFAULT_CONNECTION_LIMITS.maxPeerResets}`, () => {
    const peer = new RawPeer("server");
    let pairs = 0;
    for (let id = 1; peer.conn.state === "open" && id < 10_000; id += 2) {
      attack(peer, [...peer.headers(id, GET(), true), { type: FrameType.RST_STREAM, streamId: id, errorCode: ErrorCode.CANCEL }]);
      pairs++;
      // memory: no stream stays open, closed ones are remembered up to maxClosedStreams
      expect(peer.conn.retained.streams).toBe(0);
      expect(peer.conn.retained.closedStreams).toBeLessThanOrEqual(DEFAULT_CONNECTION_LIMITS.maxClosedStreams);
    }
    expect(pairs).toBe(DEFAULT_CONNECTION_LIMITS.maxPeerResets + 1);
    // work: at most one request event and one reset event per pair
    expect(peer.events.filter((e) => e.type === "request")).toHaveLength(pairs);
    expectLimit(peer, "maxPeerResets");
  });

  test("a client that cancels some requests but completes as many is never cut off", () => {
    const peer = new RawPeer("server", { limits: { maxPeerResets: 10 } });
    for (let id = 1; id < 2000; id += 4) {
      attack(peer, [...peer.headers(id, GET(), true), { type: FrameType.RST_STREAM, streamId: id, errorCode: ErrorCode.CANCEL }]);
      attack(peer, peer.headers(id + 2, GET(), true));
      peer.conn.respond(id + 2, OK, { endStream: true });
      peer.read();
    }
    expect(peer.conn.state).toBe("open");
  });
});

describe("MadeYouReset (CVE-2025-8671) and the reset flood (CVE-2019-9514): maxProvokedResets", () => {
  test("stream errors the client provokes (WINDOW_UPDATE 0) end the connection after the limit", () => {
    const peer = new RawPeer("server", { limits: { maxProvokedResets: 100 } });
    let provoked = 0;
    for (let id = 1; peer.conn.state === "open"; id += 2) {
      attack(peer, [...peer.headers(id, POST()), { type: FrameType.WINDOW_UPDATE, streamId: id, windowSizeIncrement: 0 }]);
      provoked++;
      peer.read(); // the attacker reads, so the control-frame limit stays out of the way
      expect(peer.conn.retained.streams).toBe(0);
    }
    expect(provoked).toBe(101);
    expect(peer.writtenOf(FrameType.RST_STREAM)).toHaveLength(100);
    expectLimit(peer, "maxProvokedResets");
  });

  test("malformed requests (content-length lies, invalid fields) count too", () => {
    const peer = new RawPeer("server", { limits: { maxProvokedResets: 50 } });
    for (let id = 1; peer.conn.state === "open" && id < 1000; id += 2) {
      const frames =
        id % 4 === 1
          ? [
              ...peer.headers(id, POST("/", [{ name: "content-length", value: "1" }])),
              { type: FrameType.DATA, streamId: id, data: bytes(2) } as const,
            ]
          : peer.headers(id, GET("/", [{ name: "Bad", value: "x" }]), true);
      attack(peer, frames);
      peer.read();
    }
    expect(peer.writtenOf(FrameType.RST_STREAM)).toHaveLength(50);
    expectLimit(peer, "maxProvokedResets");
  });
});

describe("CONTINUATION flood (CVE-2024-27316): maxContinuationFrames, maxFieldBlockSize", () => {
  test("a field block that never ends is cut at the 33rd CONTINUATION", () => {
    const peer = new RawPeer("server");
    const block = peer.encoder.encode(GET());
    attack(peer, [{ type: FrameType.HEADERS, streamId: 1, fragment: block, endHeaders: false }]);
    let frames = 0;
    while (peer.conn.state === "open" && frames < 1000) {
      attack(peer, [{ type: FrameType.CONTINUATION, streamId: 1, fragment: Uint8Array.of(0x40 | 0), endHeaders: false }]);
      frames++;
    }
    expect(frames).toBe(DEFAULT_CONNECTION_LIMITS.maxContinuationFrames + 1);
    expectLimit(peer, "maxContinuationFrames");
  });

  test("a field block above 64 KiB is cut before it is held", () => {
    const peer = new RawPeer("server");
    attack(peer, [{ type: FrameType.HEADERS, streamId: 1, fragment: bytes(16_384), endHeaders: false }]);
    let sent = 16_384;
    while (peer.conn.state === "open" && sent < 1 << 20) {
      attack(peer, [{ type: FrameType.CONTINUATION, streamId: 1, fragment: bytes(16_384), endHeaders: false }]);
      sent += 16_384;
    }
    expect(sent).toBeLessThanOrEqual(DEFAULT_CONNECTION_LIMITS.maxFieldBlockSize + 16_384);
    expectLimit(peer, "maxFieldBlockSize");
  });
});

describe("HPACK bomb: maxHeaderListSize", () => {
  test("one large table entry referenced many times is refused at the limit (COMPRESSION_ERROR)", () => {
    const peer = new RawPeer("server");
    // literal with incremental indexing, new name "x", a 4000-octet value, then 4000 references to index 62
    // a literal with incremental indexing: new name "x", a 4000-octet value (length 0x7f 0xa1 0x1e), then 0xbe
    // (index 62, that entry) 4000 times: 8 KB that would decode to 16 MB of fields
    const literal = Uint8Array.from([0x40, 0x01, 0x78, 0x7f, 0xa1, 0x1e]);
    const parts = [peer.encoder.encode(GET()), literal, bytes(4000), new Uint8Array(4000).fill(0xbe)];
    const joined = concatBytes(parts);
    const sent = attack(peer, [{ type: FrameType.HEADERS, streamId: 1, fragment: joined, endHeaders: true, endStream: true }]);
    expect(sent).toBeLessThan(8100);
    expect(peer.events.some((e) => e.type === "request")).toBe(false);
    expectLimit(peer, "maxHeaderListSize", ErrorCode.COMPRESSION_ERROR);
  });
});

describe("the 2019 floods (CVE-2019-9511..9518)", () => {
  test("data dribble (9511): WINDOW_UPDATEs that buy no DATA are bounded by maxWindowUpdatesPerDataFrame", () => {
    const peer = new RawPeer("server");
    let updates = 0;
    while (peer.conn.state === "open" && updates < 10_000) {
      attack(peer, [{ type: FrameType.WINDOW_UPDATE, streamId: 0, windowSizeIncrement: 1 }]);
      updates++;
    }
    expect(updates).toBe(101);
    expectLimit(peer, "maxWindowUpdatesPerDataFrame");
  });

  test("data dribble (9511): a 1-octet window gives at most one DATA frame per WINDOW_UPDATE", () => {
    const peer = new RawPeer("server");
    attack(peer, [
      { type: FrameType.SETTINGS, streamId: 0, settings: [{ id: SettingsId.SETTINGS_INITIAL_WINDOW_SIZE, value: 0 }] },
      ...peer.headers(1, GET(), true),
    ]);
    peer.conn.respond(1, OK);
    peer.conn.sendData(1, bytes(5000), { endStream: true });
    for (let i = 0; i < 2000; i++) attack(peer, [{ type: FrameType.WINDOW_UPDATE, streamId: 1, windowSizeIncrement: 1 }]);
    expect(peer.conn.state).toBe("open");
    expect(peer.writtenOf(FrameType.DATA)).toHaveLength(2000); // work per attacker frame: one 10-octet frame for 13 octets
  });

  test("ping flood (9512): at most maxQueuedControlFrames ACKs wait; an attacker that reads gets them one for one", () => {
    const peer = new RawPeer("server");
    const pings = (n: number) => Array.from({ length: n }, () => ({ type: FrameType.PING, streamId: 0, opaqueData: bytes(8) }) as const);
    for (let round = 0; round < 10; round++) {
      attack(peer, pings(500));
      expect(peer.conn.retained.outputPieces).toBe(500);
      peer.read();
    }
    expect(peer.conn.state).toBe("open");
    attack(peer, pings(DEFAULT_CONNECTION_LIMITS.maxQueuedControlFrames + 1)); // a peer that stops reading
    expectLimit(peer, "maxQueuedControlFrames");
  });

  test("resource loop (9513): PRIORITY frames keep no state and cost no output", () => {
    for (const n of [1000, 8000]) {
      const peer = new RawPeer("server");
      const frames: FrameInit[] = [];
      for (let i = 0; i < n; i++)
        frames.push({
          type: FrameType.PRIORITY,
          streamId: 2 * i + 1,
          exclusive: i % 2 === 0,
          streamDependency: (7 * i) % 1000,
          weight: 1 + (i % 256),
        });
      attack(peer, frames);
      expect(peer.conn.state).toBe("open");
      expect(peer.conn.retained).toEqual({ streams: 0, closedStreams: 0, bufferedBytes: 0, outputPieces: 0 });
      expect(peer.events.length).toBe(2); // the handshake's settings events only
    }
  });

  test("settings flood (9515): too many entries in one frame, or too many frames unread", () => {
    const peer = new RawPeer("server");
    const settings = Array.from({ length: DEFAULT_CONNECTION_LIMITS.maxSettingsEntries + 1 }, () => ({
      id: SettingsId.SETTINGS_ENABLE_PUSH,
      value: 0,
    }));
    attack(peer, [{ type: FrameType.SETTINGS, streamId: 0, settings }]);
    expectLimit(peer, "maxSettingsEntries");
    const peer2 = new RawPeer("server");
    attack(
      peer2,
      Array.from({ length: 1001 }, () => ({ type: FrameType.SETTINGS, streamId: 0, settings: [] }) as const),
    );
    expectLimit(peer2, "maxQueuedControlFrames");
  });

  test("0-length headers (9516): empty names are malformed, and a list of them is bounded by maxHeaderListSize", () => {
    const peer = new RawPeer("server");
    // literal without indexing, literal name of length 0, value of length 0: 3 octets, 32 octets of list each
    const empty = (n: number) => {
      const head = peer.encoder.encode(GET());
      const b = new Uint8Array(head.length + 3 * n);
      b.set(head);
      for (let i = 0; i < n; i++) b.set([0x00, 0x00, 0x00], head.length + 3 * i);
      return b;
    };
    attack(peer, [{ type: FrameType.HEADERS, streamId: 1, fragment: empty(100), endHeaders: true, endStream: true }]);
    expect(peer.events.at(-1)).toMatchObject({ type: "stream-reset", local: true, error: { reason: "field_name_empty" } });
    attack(peer, [{ type: FrameType.HEADERS, streamId: 3, fragment: empty(2100), endHeaders: true, endStream: true }]);
    expectLimit(peer, "maxHeaderListSize", ErrorCode.COMPRESSION_ERROR); // 2100 * 32 > 65536
  });

  test("empty frames flood (9518): maxConsecutiveEmptyFrames", () => {
    const peer = new RawPeer("server");
    attack(peer, peer.headers(1, POST()));
    let frames = 0;
    while (peer.conn.state === "open" && frames < 10_000) {
      attack(peer, [{ type: FrameType.DATA, streamId: 1, data: bytes(0) }]);
      frames++;
    }
    expect(frames).toBe(DEFAULT_CONNECTION_LIMITS.maxConsecutiveEmptyFrames + 1);
    expectLimit(peer, "maxConsecutiveEmptyFrames");
  });

  test("internal data buffering (9517): a peer that opens no window holds at most maxBufferedSendBytes", () => {
    const limit = 256 * 1024;
    const peer = new RawPeer("server", { limits: { maxBufferedSendBytes: limit } });
    attack(peer, [{ type: FrameType.SETTINGS, streamId: 0, settings: [{ id: SettingsId.SETTINGS_INITIAL_WINDOW_SIZE, value: 0 }] }]);
    let accepted = 0;
    for (let id = 1; id < 200; id += 2) {
      attack(peer, peer.headers(id, GET(), true));
      peer.conn.respond(id, OK);
      accepted += peer.conn.sendData(id, bytes(1 << 20), { endStream: true });
    }
    expect(accepted).toBe(limit);
    expect(peer.conn.retained.bufferedBytes).toBe(limit);
    expect(peer.conn.sendCapacity).toBe(0);
  });
});

describe("zero-window pinning: a peer holding every window at zero", () => {
  test("memory stays at maxBufferedSendBytes whatever the number of requests; resets release it", () => {
    const held: number[] = [];
    for (const requests of [50, 400]) {
      const peer = new RawPeer("server", { settings: { maxConcurrentStreams: 1000 } });
      attack(peer, [{ type: FrameType.SETTINGS, streamId: 0, settings: [{ id: SettingsId.SETTINGS_INITIAL_WINDOW_SIZE, value: 0 }] }]);
      for (let i = 0; i < requests; i++) {
        const id = 2 * i + 1;
        attack(peer, peer.headers(id, GET(), true));
        peer.conn.respond(id, OK);
        peer.conn.sendData(id, bytes(64 * 1024), { endStream: true });
        peer.read();
      }
      held.push(peer.conn.retained.bufferedBytes);
      for (let i = 0; i < requests; i++) attack(peer, [{ type: FrameType.RST_STREAM, streamId: 2 * i + 1, errorCode: ErrorCode.CANCEL }]);
      expect(peer.conn.retained.bufferedBytes).toBe(0);
    }
    expect(held).toEqual([1 << 20, 1 << 20]); // 50 or 400 requests of 64 KiB: the same 1 MiB
  });
});
