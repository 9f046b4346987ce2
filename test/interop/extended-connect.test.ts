/**
 * Extended CONNECT (RFC 8441) built with httpwire/upgrade and sent as
 * httpwire/http2 frames with httpwire/hpack field blocks to a node:http2
 * server over loopback: accepted with 200 when the server enables
 * SETTINGS_ENABLE_CONNECT_PROTOCOL, with data carried both ways; refused by
 * the helper, before anything is sent, when it does not. Also: ALTSVC frames
 * sent by node:http2 (`session.altsvc`) read with httpwire/alt-svc.
 */
import http2 from "node:http2";
import net from "node:net";
import { altSvcFromFrame, usableAlternatives } from "httpwire/alt-svc";
import { HpackDecoder, HpackEncoder } from "httpwire/hpack";
import type { FrameDecoderEvent, Setting } from "httpwire/http2";
import { CONNECTION_PREFACE, encodeFrame, FrameDecoder, FrameType } from "httpwire/http2";
import { buildUpgradeRequest, judgeUpgradeResponse, UpgradeError } from "httpwire/upgrade";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

interface Peer {
  server: http2.Http2Server;
  port: number;
  /** Extended CONNECT streams the server saw. */
  connects: http2.IncomingHttpHeaders[];
}

async function startServer(enableConnectProtocol: boolean): Promise<Peer> {
  const connects: http2.IncomingHttpHeaders[] = [];
  const server = http2.createServer({ settings: { enableConnectProtocol } });
  server.on("stream", (stream, headers) => {
    connects.push(headers);
    if (headers[":method"] !== "CONNECT" || headers[":protocol"] !== "websocket") {
      stream.respond({ ":status": 400 }, { endStream: true });
      return;
    }
    stream.respond({ ":status": 200, "sec-websocket-protocol": "chat" });
    // Echo every chunk back with a prefix; end when the client ends.
    stream.on("data", (chunk: Buffer) => stream.write(Buffer.concat([Buffer.from("echo: "), chunk])));
    stream.on("end", () => stream.end());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const addr = server.address();
  if (addr === null || typeof addr === "string") throw new Error("no port");
  return { server, port: addr.port, connects };
}

/** A raw TCP client that speaks HTTP/2 through httpwire only. */
class WireClient {
  readonly socket: net.Socket;
  readonly sent: number[] = [];
  private readonly decoder = new FrameDecoder({ expectSettingsFirst: true, hpack: new HpackDecoder() });
  private readonly events: FrameDecoderEvent[] = [];
  private waiters: (() => void)[] = [];
  readonly encoder = new HpackEncoder();
  closed = false;

  constructor(port: number) {
    this.socket = net.connect(port, "127.0.0.1");
    this.socket.on("data", (chunk: Buffer) => {
      this.events.push(...this.decoder.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength)));
      this.wake();
    });
    this.socket.on("close", () => {
      this.closed = true;
      this.wake();
    });
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  /** Sends one frame, remembering its type. */
  send(frame: Parameters<typeof encodeFrame>[0]): void {
    this.sent.push(frame.type === "unknown" ? -1 : frame.type);
    this.socket.write(encodeFrame(frame));
  }

  /** Waits for the first event (from the start of the connection) matching `pick`, consuming it. */
  async next<T>(pick: (e: FrameDecoderEvent) => T | undefined): Promise<T> {
    for (;;) {
      for (let i = 0; i < this.events.length; i++) {
        const got = pick(this.events[i]!);
        if (got !== undefined) {
          this.events.splice(i, 1);
          return got;
        }
      }
      if (this.closed) throw new Error("connection closed while waiting");
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  /** Client preface + empty SETTINGS; then the server's SETTINGS, acknowledged. */
  async handshake(): Promise<readonly Setting[]> {
    this.socket.write(CONNECTION_PREFACE);
    this.send({ type: FrameType.SETTINGS, streamId: 0, settings: [] });
    const settings = await this.next((e) => (e.type === FrameType.SETTINGS && !e.ack ? e.settings : undefined));
    this.send({ type: FrameType.SETTINGS, streamId: 0, ack: true, settings: [] });
    return settings;
  }

  close(): void {
    this.socket.destroy();
  }
}

const td = new TextDecoder();
const te = new TextEncoder();

describe("extended CONNECT against node:http2 over loopback", () => {
  let enabled: Peer;
  let disabled: Peer;

  beforeAll(async () => {
    enabled = await startServer(true);
    disabled = await startServer(false);
  });

  afterAll(async () => {
    for (const p of [enabled, disabled]) await new Promise<void>((resolve) => p.server.close(() => resolve()));
  });

  test("accepted with 200 and carries data both ways when the server enables it", async () => {
    const c = new WireClient(enabled.port);
    try {
      const settings = await c.handshake();
      expect(settings).toContainEqual({ id: 0x08, value: 1 });

      const req = buildUpgradeRequest({
        httpVersion: "2",
        protocol: "websocket",
        scheme: "http",
        authority: `127.0.0.1:${enabled.port}`,
        path: "/chat",
        websocketProtocols: ["chat", "superchat"],
        headers: [{ name: "origin", value: "http://www.example.com" }],
        peerSettings: settings,
      });
      c.send({ type: FrameType.HEADERS, streamId: 1, endHeaders: true, fragment: c.encoder.encode(req.headers) });

      const response = await c.next((e) => (e.type === "field-block" && e.streamId === 1 ? e : undefined));
      expect(response.endStream).toBe(false);
      const outcome = judgeUpgradeResponse(req, { headers: response.fields ?? [] });
      expect(outcome).toEqual({ accepted: true, protocol: "websocket", status: 200, websocketProtocol: "chat" });

      // The server saw exactly the RFC 8441 request.
      expect(enabled.connects).toHaveLength(1);
      expect(enabled.connects[0]).toMatchObject({
        ":method": "CONNECT",
        ":protocol": "websocket",
        ":scheme": "http",
        ":path": "/chat",
        ":authority": `127.0.0.1:${enabled.port}`,
        "sec-websocket-protocol": "chat, superchat",
        "sec-websocket-version": "13",
        origin: "http://www.example.com",
      });

      // Client → server → client.
      c.send({ type: FrameType.DATA, streamId: 1, data: te.encode("hello from httpwire") });
      const echoed = await c.next((e) => (e.type === FrameType.DATA && e.streamId === 1 && e.data.length > 0 ? e : undefined));
      expect(td.decode(echoed.data)).toBe("echo: hello from httpwire");

      c.send({ type: FrameType.DATA, streamId: 1, data: te.encode("bye"), endStream: true });
      const last = await c.next((e) => (e.type === FrameType.DATA && e.streamId === 1 && e.data.length > 0 ? e : undefined));
      expect(td.decode(last.data)).toBe("echo: bye");
      // The server closes its side after ours (END_STREAM, possibly on an empty DATA frame).
      await c.next((e) => (e.type === FrameType.DATA && e.streamId === 1 && e.endStream ? e : undefined));
      expect(c.sent).toEqual([FrameType.SETTINGS, FrameType.SETTINGS, FrameType.HEADERS, FrameType.DATA, FrameType.DATA]);
    } finally {
      c.close();
    }
  });

  test("without the server's setting the helper refuses before anything is sent", async () => {
    const c = new WireClient(disabled.port);
    try {
      const settings = await c.handshake();
      expect(settings.some((s) => s.id === 0x08 && s.value === 1)).toBe(false);
      let err: unknown;
      try {
        const req = buildUpgradeRequest({
          httpVersion: "2",
          protocol: "websocket",
          scheme: "http",
          authority: `127.0.0.1:${disabled.port}`,
          path: "/chat",
          peerSettings: settings,
        });
        c.send({ type: FrameType.HEADERS, streamId: 1, endHeaders: true, fragment: c.encoder.encode(req.headers) });
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(UpgradeError);
      const e = err as UpgradeError;
      expect({ code: e.code, codeName: e.codeName, scope: e.scope, reason: e.reason }).toEqual({
        code: 0x01,
        codeName: "PROTOCOL_ERROR",
        scope: "stream",
        reason: "extended_connect_not_enabled",
      });
      // Only the preface's SETTINGS and the SETTINGS ACK went out; the server saw no stream.
      expect(c.sent).toEqual([FrameType.SETTINGS, FrameType.SETTINGS]);
      // A PING round trip proves the server has processed everything we sent.
      c.send({ type: FrameType.PING, streamId: 0, opaqueData: new Uint8Array(8) });
      await c.next((ev) => (ev.type === FrameType.PING && ev.ack ? ev : undefined));
      expect(disabled.connects).toHaveLength(0);
    } finally {
      c.close();
    }
  });
});

describe("ALTSVC frames from node:http2 read with httpwire/alt-svc", () => {
  test("origin-scoped (stream 0) and stream-scoped advertisements", async () => {
    const server = http2.createServer();
    server.on("session", (session) => {
      session.altsvc('h3=":443"; ma=3600, h2="alt.example.org:8443"', "https://example.org");
    });
    server.on("stream", (stream) => {
      (stream.session as http2.ServerHttp2Session | undefined)?.altsvc("clear", stream.id!);
      stream.respond({ ":status": 204 }, { endStream: true });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const addr = server.address();
    if (addr === null || typeof addr === "string") throw new Error("no port");
    const c = new WireClient(addr.port);
    try {
      await c.handshake();
      const onOrigin = await c.next((e) => (e.type === FrameType.ALTSVC && e.streamId === 0 ? e : undefined));
      const a = altSvcFromFrame(onOrigin);
      expect(a?.origin).toBe("https://example.org");
      const receivedAt = Date.now();
      expect(
        usableAlternatives(a!.advert, { receivedAt, now: receivedAt, supported: ["h3", "h2"] }).map((x) => [
          x.protocolId,
          x.host,
          x.port,
          x.maxAge,
        ]),
      ).toEqual([
        ["h3", "", 443, 3600],
        ["h2", "alt.example.org", 8443, 86400],
      ]);

      const req = [
        { name: ":method", value: "GET" },
        { name: ":scheme", value: "http" },
        { name: ":path", value: "/" },
        { name: ":authority", value: `127.0.0.1:${addr.port}` },
      ];
      c.send({
        type: FrameType.HEADERS,
        streamId: 1,
        endHeaders: true,
        endStream: true,
        fragment: c.encoder.encode(req),
      });
      const onStream = await c.next((e) => (e.type === FrameType.ALTSVC && e.streamId === 1 ? e : undefined));
      expect(altSvcFromFrame(onStream)).toEqual({
        origin: undefined,
        streamId: 1,
        advert: { clear: true, alternatives: [] },
      });
    } finally {
      c.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
