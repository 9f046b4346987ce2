/**
 * A client made of httpwire frames and HPACK talking to a node:http2
 * (nghttp2) h2c server over loopback: preface, SETTINGS and ACK, HEADERS with
 * CONTINUATION, padded DATA, PING, WINDOW_UPDATE, PRIORITY_UPDATE,
 * RST_STREAM, GOAWAY. The server must see exactly what was sent, and every
 * frame it sends back must decode, its field blocks HPACK-decode exactly.
 */
import http2 from "node:http2";
import { connect, type Socket } from "node:net";
import { HpackDecoder, HpackEncoder } from "httpwire/hpack";
import {
  CONNECTION_PREFACE,
  ErrorCode,
  encodeFrame,
  FrameDecoder,
  type FrameDecoderEvent,
  type FrameInit,
  FrameType,
  fieldBlockFrames,
  SettingsId,
} from "httpwire/http2";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

interface SeenStream {
  id: number;
  rawHeaders: string[];
  body: Buffer;
  rstCode: number | undefined;
}

let server: http2.Http2Server;
let port: number;
const seen = new Map<number, SeenStream>();
const goaways: { errorCode: number; lastStreamId: number; debug: string }[] = [];
const sessionErrors: unknown[] = [];

beforeAll(async () => {
  server = http2.createServer({ maxHeaderListSize: 1 << 20 } as http2.ServerOptions);
  server.on("session", (session) => {
    session.on("goaway", (errorCode, lastStreamId, opaque) =>
      goaways.push({ errorCode, lastStreamId, debug: opaque ? opaque.toString() : "" }),
    );
    session.on("error", (e) => sessionErrors.push(e));
  });
  // node passes the raw header list as a 4th argument that @types/node does not declare.
  const onStream = (stream: http2.ServerHttp2Stream, _headers: http2.IncomingHttpHeaders, _flags: number, rawHeaders: string[]): void => {
    const record: SeenStream = { id: stream.id ?? 0, rawHeaders, body: Buffer.alloc(0), rstCode: undefined };
    seen.set(record.id, record);
    const chunks: Buffer[] = [];
    stream.on("data", (c: Buffer) => chunks.push(c));
    stream.on("close", () => (record.rstCode = stream.rstCode));
    stream.on("error", () => {});
    stream.on("end", () => {
      record.body = Buffer.concat(chunks);
      if (stream.destroyed) return;
      stream.respond({ ":status": 200, "x-got": String(record.body.length), "content-type": "text/plain" }, {
        waitForTrailers: true,
        sendDate: false,
      } as http2.ServerStreamResponseOptions);
      stream.on("wantTrailers", () => stream.sendTrailers({ "x-trailer": "done" }));
      stream.end(`echo ${record.body.length}`);
    });
  };
  server.on("stream", onStream as (stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders, flags: number) => void);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  port = (server.address() as { port: number }).port;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

/** The httpwire side of the connection. */
class Client {
  readonly events: FrameDecoderEvent[] = [];
  readonly decoder = new FrameDecoder({ expectSettingsFirst: true, sender: "server", hpack: new HpackDecoder() });
  readonly encoder = new HpackEncoder();
  private waiters: (() => void)[] = [];
  decodeError: unknown;
  closed = false;

  constructor(readonly socket: Socket) {
    socket.on("data", (chunk: Uint8Array) => {
      try {
        for (const e of this.decoder.push(chunk)) this.events.push(e);
      } catch (e) {
        this.decodeError = e;
      }
      this.wake();
    });
    socket.on("close", () => {
      this.closed = true;
      this.wake();
    });
    socket.on("error", () => {});
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  send(...frames: FrameInit[]): void {
    for (const f of frames) this.socket.write(encodeFrame(f));
  }

  /** Waits (bounded) until `pred` holds over the events received so far. */
  async until(pred: (events: FrameDecoderEvent[]) => boolean, what: string): Promise<void> {
    const deadline = Date.now() + 5_000;
    while (!pred(this.events)) {
      if (this.decodeError !== undefined) throw this.decodeError;
      if (this.closed) throw new Error(`connection closed while waiting for ${what}`);
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 200);
      });
    }
  }
}

describe("httpwire client against a node:http2 server", () => {
  test("every frame type is understood both ways", async () => {
    const socket = connect(port, "127.0.0.1");
    await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
    socket.setNoDelay(true);
    const c = new Client(socket);
    try {
      // Preface + SETTINGS (RFC 9113 §3.4), with a 1 MiB stream window and a repeated identifier.
      socket.write(CONNECTION_PREFACE);
      c.send(
        {
          type: FrameType.SETTINGS,
          streamId: 0,
          settings: [
            { id: SettingsId.SETTINGS_ENABLE_PUSH, value: 0 },
            { id: SettingsId.SETTINGS_INITIAL_WINDOW_SIZE, value: 65_535 },
            { id: SettingsId.SETTINGS_INITIAL_WINDOW_SIZE, value: 1 << 20 },
          ],
        },
        // Grow the connection window too (RFC 9113 §6.9).
        { type: FrameType.WINDOW_UPDATE, streamId: 0, windowSizeIncrement: (1 << 20) - 65_535 },
      );
      await c.until((ev) => ev.some((e) => e.type === FrameType.SETTINGS && !e.ack), "server SETTINGS");
      c.send({ type: FrameType.SETTINGS, streamId: 0, ack: true, settings: [] });
      await c.until((ev) => ev.some((e) => e.type === FrameType.SETTINGS && e.ack), "SETTINGS ACK");

      // Stream 1: a large header list split over HEADERS + several CONTINUATION frames, then padded DATA.
      const fields = [
        { name: ":method", value: "POST" },
        { name: ":scheme", value: "http" },
        { name: ":authority", value: `127.0.0.1:${port}` },
        { name: ":path", value: "/upload?x=1" },
        ...Array.from({ length: 30 }, (_, i) => ({
          name: `x-big-${i}`,
          value: `${i}-`.padEnd(1000, String.fromCharCode(97 + (i % 26))),
        })),
        { name: "content-type", value: "application/octet-stream" },
      ];
      const block = c.encoder.encode(fields);
      expect(block.length).toBeGreaterThan(16_384);
      const headerFrames = fieldBlockFrames({ streamId: 1, block, endStream: false, splits: [1000, 0, 5000, 12_000] });
      expect(headerFrames.filter((f) => f.type === FrameType.CONTINUATION).length).toBe(4);
      c.send(...headerFrames);
      // PRIORITY_UPDATE for stream 1 (RFC 9218 §7.1) and a PING.
      c.send({ type: FrameType.PRIORITY_UPDATE, streamId: 0, prioritizedStreamId: 1, priorityFieldValue: "u=1, i" });
      const pingData = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]);
      c.send({ type: FrameType.PING, streamId: 0, opaqueData: pingData });
      const body = Uint8Array.from({ length: 40_000 }, (_, i) => (i * 7) & 0xff);
      c.send(
        { type: FrameType.DATA, streamId: 1, padLength: 200, data: body.subarray(0, 10_000) },
        { type: FrameType.DATA, streamId: 1, padLength: 0, data: body.subarray(10_000, 26_000) },
        { type: FrameType.DATA, streamId: 1, endStream: true, padLength: 17, data: body.subarray(26_000) },
      );
      // Stream 3: opened, then cancelled with RST_STREAM.
      c.send(...fieldBlockFrames({ streamId: 3, block: c.encoder.encode(fields.slice(0, 4)), endStream: false }));
      c.send({ type: FrameType.RST_STREAM, streamId: 3, errorCode: ErrorCode.CANCEL });

      await c.until((ev) => ev.some((e) => e.type === FrameType.PING && e.ack), "PING ACK");
      const pong = c.events.find((e) => e.type === FrameType.PING && e.ack);
      expect(pong?.type === FrameType.PING && Array.from(pong.opaqueData)).toEqual(Array.from(pingData));
      await c.until((ev) => ev.some((e) => e.type === "field-block" && e.streamId === 1 && e.endStream), "trailers on stream 1");

      // What the server saw.
      const s1 = seen.get(1)!;
      const sent: string[] = fields.flatMap((f) => [f.name, f.value]);
      expect(s1.rawHeaders).toEqual(sent);
      expect(s1.body.equals(body)).toBe(true);

      // What the server sent, decoded and HPACK-decoded exactly.
      const blocks = c.events.filter((e) => e.type === "field-block" && e.streamId === 1);
      expect(blocks.map((b) => b.type === "field-block" && b.fields)).toEqual([
        [
          { name: ":status", value: "200" },
          { name: "x-got", value: "40000" },
          { name: "content-type", value: "text/plain" },
        ],
        [{ name: "x-trailer", value: "done" }],
      ]);
      const data = c.events.flatMap((e) => (e.type === FrameType.DATA && e.streamId === 1 ? [e.data] : []));
      expect(Buffer.concat(data).toString()).toBe("echo 40000");

      // GOAWAY from us (RFC 9113 §6.8), then the server closes.
      c.send({
        type: FrameType.GOAWAY,
        streamId: 0,
        lastStreamId: 0,
        errorCode: ErrorCode.NO_ERROR,
        debugData: new TextEncoder().encode("bye"),
      });
      const deadline = Date.now() + 5_000;
      while (goaways.length === 0 || seen.get(3)?.rstCode === undefined) {
        if (Date.now() > deadline) throw new Error("server did not report GOAWAY/RST_STREAM");
        await new Promise((r) => setTimeout(r, 20));
      }
      expect(goaways[0]).toEqual({ errorCode: 0, lastStreamId: 0, debug: "bye" });
      expect(seen.get(3)!.rstCode).toBe(ErrorCode.CANCEL);
      expect(sessionErrors).toEqual([]);
      // Nothing the server sent was an error signal.
      expect(c.events.filter((e) => e.type === FrameType.GOAWAY && e.errorCode !== 0)).toEqual([]);
      expect(c.events.filter((e) => e.type === "stream-error")).toEqual([]);
      expect(c.decodeError).toBeUndefined();
    } finally {
      socket.destroy();
    }
  });
});
