/**
 * Connection lifetime in a QUIC capture: memory is bounded by the
 * connections in flight, not by the connections in the file. Synthetic
 * captures of 200 sequential connections (built with the library's own
 * packet encoders and packet protection, the RFC 9001 Appendix A client
 * Initial as every client's first packet) end by CONNECTION_CLOSE, stateless
 * reset, idle timeout or the connection limit; what the capture holds is
 * counted after every datagram.
 */

import fc from "fast-check";
import { type CaptureEvent, type Http3FrameEvent, KeyLog, type QuicCloseEvent, type UdpDatagram } from "httpwire/capture";
import { encodeFrame, FrameType } from "httpwire/http3";
import { encodeFrames, encodePacketHeader, type QuicFrameInput } from "httpwire/quic";
import { describe, expect, test } from "vitest";
import v1 from "../../../fixtures/rfc9001-appendix-a.json";
import {
  QUIC_DRAIN_PERIOD,
  QUIC_MAX_IDLE_TIMEOUT,
  QuicCapture,
  type QuicCaptureFootprint,
  type QuicCaptureOptions,
} from "../../../src/capture/quic/connection.js";
import { derivePacketKeys, initialKeys, type PacketKeys, protectPacket, unprotectPacket } from "../../../src/capture/quic/protection.js";
import { type QuicPrintContext, quicJson, quicLine } from "../../../src/cli/commands/decode-quic.js";
import { hex } from "../builders.js";

const C = "client-to-server" as const;
const S = "server-to-client" as const;

/** The RFC 9001 A.2 client Initial's payload: a CRYPTO frame with the ClientHello (max_idle_timeout 30 s), then PADDING. */
const clientHelloPayload = unprotectPacket(initialKeys(1, hex(v1.dcid)).client, hex(v1.clientProtected), 18, -1)!.payload;
const CLIENT_RANDOM = "ebf8fa56f12939b9584a3896472ec40bb863cfd3e86804fe3a47f06a2b69484c";
const CLIENT_IDLE = 30; // seconds, the ClientHello's max_idle_timeout
const clientSecret = new Uint8Array(32).fill(0x11);
const serverSecret = new Uint8Array(32).fill(0x22);
const keyLog = new KeyLog(
  `CLIENT_TRAFFIC_SECRET_0 ${CLIENT_RANDOM} ${"11".repeat(32)}\nSERVER_TRAFFIC_SECRET_0 ${CLIENT_RANDOM} ${"22".repeat(32)}\n`,
);
/** TLS_AES_128_GCM_SHA256: the first suite tried for a 32-byte secret when no ServerHello was seen. */
const app = { [C]: derivePacketKeys(1, 0x1301, clientSecret), [S]: derivePacketKeys(1, 0x1301, serverSecret) };

/** An n-byte ID unique to connection `i` and purpose `tag`. */
function id(i: number, tag: number, n = 8): Uint8Array {
  const b = new Uint8Array(n).fill(tag);
  b[0] = tag;
  b[1] = i >> 8;
  b[2] = i & 0xff;
  return b;
}

/** One synthetic connection: its packets, built in order, each a UDP datagram of its direction. */
class Conn {
  readonly dcid: Uint8Array;
  readonly clientCid: Uint8Array;
  readonly serverCid: Uint8Array;
  private readonly pn = { initial: { [C]: 0, [S]: 0 }, app: { [C]: 0, [S]: 0 } };
  private readonly initial: { client: PacketKeys; server: PacketKeys };

  constructor(
    readonly i: number,
    private readonly port = 10000 + i,
  ) {
    this.dcid = id(i, 0xd0);
    this.clientCid = id(i, 0xc0);
    this.serverCid = id(i, 0x50);
    this.initial = initialKeys(1, this.dcid);
  }

  udp(dir: typeof C | typeof S, payload: Uint8Array): UdpDatagram {
    const client = { address: "10.0.0.1", port: this.port };
    const server = { address: "10.0.0.2", port: 443 };
    const [from, to] = dir === C ? [client, server] : [server, client];
    return { src: from.address, srcPort: from.port, dst: to.address, dstPort: to.port, payload, payloadLength: payload.length };
  }

  /** An Initial packet; the client's carries the ClientHello unless `hello` is false (then no transport parameters are known). */
  initialPacket(dir: typeof C | typeof S, hello = true): UdpDatagram {
    const pn = this.pn.initial[dir]++;
    const payload =
      dir === S
        ? encodeFrames([{ type: "ping" }, { type: "padding", length: 20 }] as QuicFrameInput[])
        : hello
          ? clientHelloPayload
          : encodeFrames([{ type: "ping" }, { type: "padding", length: 1160 }] as QuicFrameInput[]);
    const header = encodePacketHeader({
      type: "initial",
      version: 1,
      destinationCid: dir === C ? this.dcid : this.clientCid,
      sourceCid: dir === C ? this.clientCid : this.serverCid,
      payloadLength: 4 + payload.length + 16,
      packetNumberLength: 4,
      truncatedPacketNumber: pn,
    });
    return this.udp(dir, protectPacket(dir === C ? this.initial.client : this.initial.server, header, pn, payload));
  }

  /** A 1-RTT packet toward `dcid` (default: the peer's first CID). */
  short(dir: typeof C | typeof S, frames: QuicFrameInput[], dcid = dir === C ? this.serverCid : this.clientCid): UdpDatagram {
    const pn = this.pn.app[dir]++;
    const header = encodePacketHeader({ type: "1-rtt", destinationCid: dcid, packetNumberLength: 4, truncatedPacketNumber: pn });
    const payload = encodeFrames([...frames, { type: "padding", length: 20 } as QuicFrameInput]);
    return this.udp(dir, protectPacket(app[dir], header, pn, payload));
  }

  /** NEW_CONNECTION_ID frames: three more CIDs (and reset tokens) from `dir`'s sender. */
  newCids(dir: typeof C | typeof S): QuicFrameInput[] {
    return [1, 2, 3].map((seq) => ({
      type: "new-connection-id",
      sequenceNumber: seq,
      retirePriorTo: 0,
      connectionId: this.newCid(dir, seq),
      statelessResetToken: this.resetToken(dir, seq),
    }));
  }

  newCid(dir: typeof C | typeof S, seq: number): Uint8Array {
    return id(this.i, (dir === C ? 0xe0 : 0xf0) + seq);
  }

  resetToken(dir: typeof C | typeof S, seq: number): Uint8Array {
    return id(this.i, (dir === C ? 0xa0 : 0xb0) + seq, 16);
  }

  /** A stateless reset from `dir`'s sender (RFC 9000 §10.3): unpredictable bits, then its token. */
  statelessReset(dir: typeof C | typeof S, seq: number): UdpDatagram {
    const b = new Uint8Array(40).fill(0x5a);
    b[0] = 0x4b; // short header form, fixed bit
    b.set(this.resetToken(dir, seq), b.length - 16);
    return this.udp(dir, b);
  }

  /** Handshake and traffic: Initials both ways, CIDs issued both ways, stream data held out of order both ways. */
  traffic(): UdpDatagram[] {
    const data = new Uint8Array(300).fill(0x61);
    return [
      this.initialPacket(C),
      this.initialPacket(S),
      this.short(S, [...this.newCids(S), { type: "stream", streamId: 3, offset: 1000, data }]),
      this.short(C, [...this.newCids(C), { type: "stream", streamId: 0, offset: 1000, data }]),
      // The client moves to a CID the server issued, and retires the first one.
      this.short(C, [{ type: "retire-connection-id", sequenceNumber: 0 }], this.newCid(S, 1)),
    ];
  }
}

const close = (code: number): QuicFrameInput => ({
  type: "connection-close",
  errorSpace: "transport",
  errorCode: code,
  frameType: 0,
  reasonPhrase: Uint8Array.of(0x62, 0x79, 0x65),
});

const N = 200;

/** The footprint of a capture that holds no connection. */
const NOTHING: QuicCaptureFootprint = {
  connections: 0,
  connectionIds: 0,
  addresses: 0,
  resetTokens: 0,
  streams: 0,
  h3Streams: 0,
  bufferedBytes: 0,
};

/** Feeds timed datagrams to a QuicCapture, recording its footprint after each; the largest of each count. */
function run(datagrams: [UdpDatagram, number][], options: QuicCaptureOptions = {}) {
  const events: CaptureEvent[] = [];
  let n = 1;
  const quic = new QuicCapture(
    (e) => events.push(e),
    () => n++,
    { keyLog, ...options },
  );
  const max: Record<keyof QuicCaptureFootprint, number> = { ...NOTHING };
  const attributed: boolean[] = [];
  for (const [d, time] of datagrams) {
    attributed.push(quic.datagram(d, time));
    const f = quic.footprint;
    for (const k of Object.keys(max) as (keyof QuicCaptureFootprint)[]) max[k] = Math.max(max[k], f[k]);
    expect(quic.liveConnections).toBe(f.connections);
  }
  const last = datagrams.at(-1)?.[1] ?? 0;
  quic.end(last);
  const closes = events.filter((e): e is QuicCloseEvent => e.type === "quic-close");
  return { events, quic, max, closes, attributed };
}

describe("a QUIC capture holds the connections in flight, not the connections in the file", () => {
  test(`${N} sequential connections each closed by CONNECTION_CLOSE: at most two held, their CIDs, tokens and streams freed`, () => {
    const datagrams: [UdpDatagram, number][] = [];
    for (let i = 0; i < N; i++) {
      const c = new Conn(i);
      const t = i * 2;
      for (const [k, d] of c.traffic().entries()) datagrams.push([d, t + k * 0.001]);
      // Either side closes; the other's CONNECTION_CLOSE follows in the closing period.
      const [first, second] = i % 2 === 0 ? [C, S] : [S, C];
      datagrams.push([c.short(first, [close(0x0a)], first === C ? c.newCid(S, 1) : c.newCid(C, 2)), t + 0.01]);
      datagrams.push([c.short(second, [close(0)], second === C ? c.newCid(S, 1) : c.newCid(C, 2)), t + 0.02]);
    }
    const { events, quic, max, closes } = run(datagrams);
    expect(events.filter((e) => e.type === "error")).toEqual([]);
    expect(quic.connectionCount).toBe(N);
    expect(closes.map((e) => e.how)).toEqual(Array(N).fill("connection-close"));
    expect(closes.map((e) => e.direction)).toEqual(Array.from({ length: N }, (_, i) => (i % 2 === 0 ? C : S)));
    expect(closes[0]).toMatchObject({ connection: 1, time: 0.01, errorCode: 0x0a, application: false, reason: "bye" });
    // Both CONNECTION_CLOSE packets of each connection are decrypted and listed (the second one in the closing period).
    const closing = events.filter((e) => e.type === "quic-packet" && e.frames?.some((f) => f.type === "connection-close"));
    expect(closing.length).toBe(2 * N);
    // The streams held out of order end with the connection: one gap each.
    expect(events.filter((e) => e.type === "quic-stream" && e.event === "gap").length).toBe(2 * N);
    // At most one connection open and one draining at any time (connections start 2 s apart; the drain period is 3 s).
    expect(max.connections).toBe(2);
    // Per connection: the original DCID, both first CIDs and three NEW_CONNECTION_ID CIDs per side (one retired later).
    expect(max.connectionIds).toBeLessThanOrEqual(2 * 9);
    expect(max.addresses).toBe(2 * 2);
    expect(max.resetTokens).toBeLessThanOrEqual(2 * 6);
    expect(max.streams).toBe(2);
    expect(max.bufferedBytes).toBeLessThanOrEqual(2 * 300);
    expect(quic.footprint).toEqual(NOTHING);
  });

  test("RETIRE_CONNECTION_ID removes the retired CID from the map", () => {
    const c = new Conn(1);
    const [a, b, s1, s2] = c.traffic();
    const { quic } = run([]);
    for (const [k, d] of [a!, b!, s1!, s2!].entries()) quic.datagram(d, k);
    const before = quic.footprint.connectionIds;
    quic.datagram(c.traffic()[4]!, 5);
    expect(quic.footprint.connectionIds).toBe(before - 1);
  });

  test("after the drain period a closed connection is forgotten: its CIDs no longer attribute packets", () => {
    const c = new Conn(7);
    const datagrams: [UdpDatagram, number][] = c.traffic().map((d, k) => [d, k * 0.001]);
    const { quic } = run([]);
    for (const [d, t] of datagrams) quic.datagram(d, t);
    expect(quic.datagram(c.short(C, [close(0)]), 1)).toBe(true);
    // Within the drain period the peer's packets are still recognised (and decrypted, but not read as stream data).
    expect(quic.datagram(c.short(S, [{ type: "stream", streamId: 3, offset: 0, data: Uint8Array.of(0) }]), 1 + QUIC_DRAIN_PERIOD / 2)).toBe(
      true,
    );
    expect(quic.footprint.streams).toBe(0);
    expect(quic.liveConnections).toBe(1);
    // After it, nothing is left: a late packet with the connection's CID is not QUIC this capture knows.
    expect(quic.datagram(c.short(S, [{ type: "ping" }]), 1 + QUIC_DRAIN_PERIOD + 0.001)).toBe(false);
    expect(quic.footprint).toEqual(NOTHING);
  });

  test(`${N} sequential connections each ended by a stateless reset (a token from NEW_CONNECTION_ID): freed the same way`, () => {
    const datagrams: [UdpDatagram, number][] = [];
    for (let i = 0; i < N; i++) {
      const c = new Conn(i);
      const t = i * 2;
      for (const [k, d] of c.traffic().entries()) datagrams.push([d, t + k * 0.001]);
      // The server lost its state; the token is the one it sent with sequence 2 (or the client's, for odd i).
      datagrams.push([i % 2 === 0 ? c.statelessReset(S, 2) : c.statelessReset(C, 3), t + 0.01]);
    }
    const { events, max, closes, quic } = run(datagrams);
    expect(events.filter((e) => e.type === "error")).toEqual([]);
    expect(closes.map((e) => e.how)).toEqual(Array(N).fill("stateless-reset"));
    expect(closes.map((e) => e.direction)).toEqual(Array.from({ length: N }, (_, i) => (i % 2 === 0 ? S : C)));
    expect(closes.map((e) => e.time)).toEqual(Array.from({ length: N }, (_, i) => i * 2 + 0.01));
    // A stateless reset is not a packet of the connection: nothing is listed for it.
    expect(events.filter((e) => e.type === "quic-packet").length).toBe(5 * N);
    expect(max.connections).toBe(2);
    expect(max.connectionIds).toBeLessThanOrEqual(2 * 9);
    expect(max.resetTokens).toBeLessThanOrEqual(2 * 6);
    expect(quic.footprint.connections).toBe(0);
  });

  test("bytes that end with an unknown token, or a token in a long header, are not a stateless reset", () => {
    const c = new Conn(3);
    const long = c.statelessReset(S, 2);
    const longBytes = long.payload.slice();
    longBytes[0] = 0xcb; // the long header form: never a stateless reset
    const { quic, closes, attributed } = run([
      ...c.traffic().map((d, k): [UdpDatagram, number] => [d, k]),
      [c.statelessReset(S, 9), 10], // a token never announced
      [{ ...long, payload: longBytes }, 11],
    ]);
    expect(attributed.at(-2)).toBe(true); // still the connection's (by address), read as a packet that fails
    expect(closes.map((e) => e.how)).toEqual(["end"]);
    expect(quic.footprint.connections).toBe(0);
  });

  test(`${N} sequential connections that go idle: each ends at its last packet plus the client's max_idle_timeout (30 s)`, () => {
    const datagrams: [UdpDatagram, number][] = [];
    for (let i = 0; i < N; i++) {
      const c = new Conn(i);
      for (const [k, d] of c.traffic().entries()) datagrams.push([d, i * 40 + k]);
    }
    const { events, max, closes } = run(datagrams);
    expect(events.filter((e) => e.type === "error")).toEqual([]);
    expect(closes.map((e) => e.how)).toEqual([...Array(N - 1).fill("idle-timeout"), "end"]);
    expect(closes.slice(0, -1).map((e) => e.time)).toEqual(Array.from({ length: N - 1 }, (_, i) => i * 40 + 4 + CLIENT_IDLE));
    expect(max.connections).toBe(1);
    expect(max.connectionIds).toBeLessThanOrEqual(9);
    expect(max.streams).toBe(2);
  });

  test("a connection whose transport parameters are unknown idles out after the default cap (300 s), or the option's", () => {
    const at = (gap: number, options?: QuicCaptureOptions) => {
      const datagrams: [UdpDatagram, number][] = [];
      for (let i = 0; i < 10; i++) datagrams.push([new Conn(i).initialPacket(C, false), i * gap]);
      return run(datagrams, options);
    };
    const slow = at(QUIC_MAX_IDLE_TIMEOUT + 1);
    expect(slow.closes.map((e) => e.how)).toEqual([...Array(9).fill("idle-timeout"), "end"]);
    expect(slow.closes[0]?.time).toBe(QUIC_MAX_IDLE_TIMEOUT);
    expect(slow.max.connections).toBe(1);
    // Within the cap they stay: ten connections 30 s apart (270 s in all) are all held.
    expect(at(30).max.connections).toBe(10);
    const option = at(6, { maxIdleTimeout: 5 });
    expect(option.closes.map((e) => e.how)).toEqual([...Array(9).fill("idle-timeout"), "end"]);
    expect(option.max.connections).toBe(1);
    // The option is also a ceiling on negotiated values: the ClientHello's 30 s gives way to 5 s.
    const c = new Conn(1);
    const capped = run(
      [
        [c.initialPacket(C), 0],
        [new Conn(2).initialPacket(C), 6],
      ],
      { maxIdleTimeout: 5 },
    );
    expect(capped.closes.map((e) => [e.connection, e.how, e.time])).toEqual([
      [1, "idle-timeout", 5],
      [2, "end", 6],
    ]);
  });

  test("idle timeouts, property: for any schedule of packets, each connection ends once per idle gap, in deadline order", () => {
    const IDLE = 10;
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.integer({ min: 0, max: 100 }), { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 8 }),
        (plans) => {
          // Connection i's client Initial, sent again at each of its times (the same bytes: the same connection while it lives).
          const datagrams = plans.flatMap((times, i) => {
            const d = new Conn(i).initialPacket(C, false);
            return times.map((t): [UdpDatagram, number] => [d, t]);
          });
          datagrams.sort((a, b) => a[1] - b[1]);
          const { closes, max } = run(datagrams, { maxIdleTimeout: IDLE });
          // The model: a connection's times split where the gap reaches the timeout; each part but the last idles out,
          // the last idles out if any datagram comes at or after its deadline, else it ends with the capture.
          const last = datagrams.at(-1)![1];
          const expected: string[] = [];
          for (const times of plans) {
            const sorted = [...times].sort((a, b) => a - b);
            sorted.forEach((t, k) => {
              const next = sorted[k + 1];
              if (next !== undefined && next - t < IDLE) return;
              expected.push(next !== undefined || last >= t + IDLE ? `idle-timeout@${t + IDLE}` : `end@${t}`);
            });
          }
          expect(closes.map((e) => `${e.how}@${e.time}`).sort()).toEqual(expected.sort());
          const idle = closes.filter((e) => e.how === "idle-timeout").map((e) => e.time);
          expect(idle).toEqual([...idle].sort((a, b) => a - b));
          expect(max.connections).toBeLessThanOrEqual(plans.length);
        },
      ),
      { numRuns: 60 },
    );
  });

  test(`a capture without timestamps (${N} connections at time 0): the connection limit holds, the least recently active ends`, () => {
    const datagrams: [UdpDatagram, number][] = [];
    for (let i = 0; i < N; i++) for (const d of new Conn(i).traffic()) datagrams.push([d, 0]);
    const { events, max, closes } = run(datagrams, { maxConnections: 8 });
    expect(events.filter((e) => e.type === "error")).toEqual([]);
    expect(max.connections).toBe(8);
    expect(max.connectionIds).toBeLessThanOrEqual(8 * 9);
    expect(closes.filter((e) => e.how === "connection-limit").map((e) => e.connection)).toEqual(
      Array.from({ length: N - 8 }, (_, i) => i + 1),
    );
    expect(closes.filter((e) => e.how === "end").length).toBe(8);
  });

  test("the options are checked", () => {
    const make = (o: QuicCaptureOptions) => () =>
      new QuicCapture(
        () => {},
        () => 1,
        o,
      );
    expect(make({ maxIdleTimeout: -1 })).toThrow(RangeError);
    expect(make({ drainPeriod: Number.NaN })).toThrow(RangeError);
    expect(make({ maxConnections: 0 })).toThrow(RangeError);
  });
});

describe("a long QUIC connection holds its open streams, not every stream it had", () => {
  const request = encodeFrame({ type: FrameType.HEADERS, fieldSection: Uint8Array.of(0, 0, 0xd1) }); // :method GET
  const response = encodeFrame({ type: FrameType.HEADERS, fieldSection: Uint8Array.of(0, 0, 0xd9) }); // :status 200
  const streamFrame = (streamId: number, data: Uint8Array): QuicFrameInput => ({ type: "stream", streamId, offset: 0, data, fin: true });

  test("1000 requests one after another: each stream is freed at its FIN; retransmissions and late resets of a finished stream are ignored", () => {
    const c = new Conn(1);
    const datagrams: [UdpDatagram, number][] = [
      [c.initialPacket(C), 0],
      [c.initialPacket(S), 0],
    ];
    for (let k = 0; k < 1000; k++) {
      datagrams.push([c.short(C, [streamFrame(4 * k, request)]), k]);
      datagrams.push([c.short(S, [streamFrame(4 * k, response)]), k + 0.5]);
    }
    // Stream 0's request again (a retransmission), a RESET_STREAM after FIN, a reset stream reset twice and then data.
    datagrams.push([c.short(C, [streamFrame(0, request)]), 1000]);
    datagrams.push([c.short(C, [{ type: "reset-stream", streamId: 4, errorCode: 0x10c, finalSize: request.length }]), 1000]);
    datagrams.push([c.short(C, [{ type: "reset-stream", streamId: 4000, errorCode: 0x10c, finalSize: 0 }]), 1000]);
    datagrams.push([c.short(C, [{ type: "reset-stream", streamId: 4000, errorCode: 0x10c, finalSize: 0 }]), 1000]);
    datagrams.push([c.short(C, [streamFrame(4000, request)]), 1000]);
    const { events, max } = run(datagrams);
    expect(events.filter((e) => e.type === "error")).toEqual([]);
    const headers = events.filter((e): e is Http3FrameEvent => e.type === "h3-frame" && e.frameType === FrameType.HEADERS);
    expect(headers.length).toBe(2000);
    expect(headers.at(-1)?.fields).toEqual([{ name: ":status", value: "200" }]);
    expect(events.filter((e) => e.type === "quic-stream" && e.event === "fin").length).toBe(2000);
    expect(
      events.filter((e) => e.type === "quic-stream" && e.event === "reset").map((e) => e.type === "quic-stream" && e.streamId),
    ).toEqual([4000]);
    // Every stream finished in the packet that opened it: none is held between packets.
    expect(max.streams).toBe(0);
    expect(max.h3Streams).toBe(0);
  });
});

describe("every way a QUIC connection ends renders on the command line and in --json", () => {
  const o: QuicPrintContext = {
    json: false,
    quicPackets: false,
    streams: new Set(),
    types: new Set(),
    typeNames: new Set(),
    ports: [],
    time: (t) => String(t),
    paint: (_c, s) => s,
  };
  test.each([
    [
      { how: "connection-close", direction: C, errorCode: 0x0a, application: false, reason: "bye" },
      '5 #1     CONNECTION_CLOSE (transport 0xa "bye")\n',
    ],
    [{ how: "stateless-reset", direction: S }, "5 #1     stateless reset (S>C)\n"],
    [{ how: "idle-timeout" }, "5 #1     idle timeout: no packet for longer than the connection's max_idle_timeout\n"],
    [{ how: "connection-limit" }, "5 #1     forgotten: the limit of QUIC connections held was reached\n"],
    [{ how: "end" }, "5 #1     end of capture\n"],
  ] as const)("%o", (fields, line) => {
    const e: QuicCloseEvent = { type: "quic-close", connection: 1, time: 5, ...fields };
    expect(quicLine(e, o)).toBe(line);
    expect(quicJson(e)).toEqual({ connection: 1, time: 5, ...fields });
  });
});
