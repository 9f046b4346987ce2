/** Test helpers: a client and a server connection wired together in memory. */

import { HpackDecoder, HpackEncoder } from "../../../src/hpack/index.js";
import {
  CONNECTION_PREFACE,
  encodeFrame,
  FrameDecoder,
  type FrameDecoderEvent,
  type FrameInit,
  FrameType,
  fieldBlockFrames,
  Http2Connection,
  type Http2ConnectionEvent,
  type Http2ConnectionOptions,
} from "../../../src/http2/index.js";
import { concatBytes } from "../../../src/shared/bytes.js";

export const GET = (path = "/", extra: { name: string; value: string }[] = []) => [
  { name: ":method", value: "GET" },
  { name: ":scheme", value: "https" },
  { name: ":authority", value: "example.com" },
  { name: ":path", value: path },
  ...extra,
];

export const POST = (path = "/", extra: { name: string; value: string }[] = []) => [
  { name: ":method", value: "POST" },
  { name: ":scheme", value: "https" },
  { name: ":authority", value: "example.com" },
  { name: ":path", value: path },
  ...extra,
];

export const OK = [{ name: ":status", value: "200" }];

export interface Pair {
  client: Http2Connection;
  server: Http2Connection;
  clientEvents: Http2ConnectionEvent[];
  serverEvents: Http2ConnectionEvent[];
  /** Moves bytes both ways until neither side has output; returns the events of this round. */
  pump(onServer?: (e: Http2ConnectionEvent) => void, onClient?: (e: Http2ConnectionEvent) => void): void;
}

export function pair(clientOptions: Partial<Http2ConnectionOptions> = {}, serverOptions: Partial<Http2ConnectionOptions> = {}): Pair {
  const client = new Http2Connection({ ...clientOptions, role: "client" });
  const server = new Http2Connection({ ...serverOptions, role: "server" });
  const p: Pair = {
    client,
    server,
    clientEvents: [],
    serverEvents: [],
    pump(onServer, onClient) {
      for (let i = 0; i < 10_000 && (client.hasOutput || server.hasOutput); i++) {
        if (client.hasOutput)
          for (const e of server.receive(client.takeOutputBytes())) {
            p.serverEvents.push(e);
            onServer?.(e);
          }
        if (server.hasOutput)
          for (const e of client.receive(server.takeOutputBytes())) {
            p.clientEvents.push(e);
            onClient?.(e);
          }
      }
    },
  };
  return p;
}

/** Concatenates the `data` events of a stream. */
export function body(events: readonly Http2ConnectionEvent[], streamId: number): Uint8Array {
  return concatBytes(events.flatMap((e) => (e.type === "data" && e.streamId === streamId ? [e.data] : [])));
}

/**
 * A hand-driven peer made of raw frames, facing one Http2Connection: what it
 * sends is encoded with encodeFrame, what the connection writes is decoded
 * with FrameDecoder (HPACK included).
 */
export class RawPeer {
  readonly conn: Http2Connection;
  readonly encoder = new HpackEncoder();
  readonly reader: FrameDecoder<HpackDecoder>;
  /** Every frame the connection wrote so far, decoded. */
  readonly written: FrameDecoderEvent<readonly { name: string; value: string }[]>[] = [];
  readonly events: Http2ConnectionEvent[] = [];

  /** `conn` plays `role`; the raw peer the other one. With `handshake`, preface and SETTINGS are exchanged and acknowledged. */
  constructor(role: "client" | "server", options: Partial<Http2ConnectionOptions> = {}, handshake = true) {
    this.conn = new Http2Connection({ ...options, role });
    this.reader = new FrameDecoder({ hpack: new HpackDecoder(), expectPreface: role === "client", expectSettingsFirst: role === "server" });
    if (handshake) {
      const preface = role === "server" ? [CONNECTION_PREFACE] : [];
      this.sendBytes(...preface, encodeFrame({ type: FrameType.SETTINGS, streamId: 0, settings: [] }));
      this.send({ type: FrameType.SETTINGS, streamId: 0, ack: true });
      this.read();
    }
  }

  /** Sends frames in one chunk; returns the connection's events. */
  send(...frames: FrameInit[]): Http2ConnectionEvent[] {
    return this.sendBytes(...frames.map((f) => encodeFrame(f)));
  }

  sendBytes(...chunks: Uint8Array[]): Http2ConnectionEvent[] {
    const events = this.conn.receive(concatBytes(chunks));
    this.events.push(...events);
    return events;
  }

  /** HEADERS (+ CONTINUATION) frames of an HPACK-encoded field list. */
  headers(streamId: number, fields: readonly { name: string; value: string }[], endStream = false, maxFrameSize?: number): FrameInit[] {
    return fieldBlockFrames({ streamId, block: this.encoder.encode(fields), endStream, maxFrameSize });
  }

  /** Decodes what the connection wrote since the last call. */
  read(): FrameDecoderEvent<readonly { name: string; value: string }[]>[] {
    const frames = this.reader.push(this.conn.takeOutputBytes());
    this.written.push(...frames);
    return frames;
  }

  /** The frames of one type the connection wrote (reads first). */
  writtenOf<T extends number>(type: T): Extract<FrameDecoderEvent, { type: T }>[] {
    this.read();
    return this.written.filter((f) => f.type === type) as Extract<FrameDecoderEvent, { type: T }>[];
  }
}
