/**
 * A small HTTP/2 (h2c, prior knowledge) server made of httpwire frames and
 * HPACK over a plain TCP socket. It answers every request with a status,
 * headers, a body and trailers chosen by a handler, honours the peer's flow
 * control and max frame size, answers PING and SETTINGS, and resets streams
 * on stream errors. It is an example, not a production server: no
 * concurrency limit, no request body limit, no timeouts.
 *
 * Run: `npx tsx examples/h2-server.ts` then `curl --http2-prior-knowledge http://127.0.0.1:8080/`
 */
import { createServer, type Server, type Socket } from "node:net";
import { HpackDecoder, HpackEncoder } from "httpwire/hpack";
import {
  adjustWindowForSettings,
  checkPeerStreamId,
  DEFAULT_INITIAL_WINDOW_SIZE,
  DEFAULT_MAX_FRAME_SIZE,
  type DecodedHeaderField,
  ErrorCode,
  encodeFrame,
  type Field,
  FrameDecoder,
  type FrameDecoderEvent,
  type FrameInit,
  FrameType,
  fieldBlockFrames,
  flowControlledLength,
  Http2Error,
  increaseWindow,
  SettingsId,
  validateRequestHeaders,
  validateTrailers,
} from "httpwire/http2";

/** A request as the handler sees it. */
export interface Request {
  readonly streamId: number;
  readonly headers: readonly Field[];
  readonly body: Uint8Array;
}

/** What the handler answers. */
export interface Response {
  readonly status: number;
  readonly headers?: readonly Field[];
  readonly body?: Uint8Array;
  readonly trailers?: readonly Field[];
}

export type Handler = (request: Request) => Response | Promise<Response>;

interface StreamState {
  headers: readonly Field[];
  body: Uint8Array[];
  sendWindow: number;
  pending: Uint8Array; // response body not yet sent
  trailers: readonly Field[] | undefined;
  responding: boolean;
}

/** Serves one connection. */
function serveConnection(socket: Socket, handler: Handler): void {
  socket.setNoDelay(true);
  const decoder = new FrameDecoder({ expectPreface: true, sender: "client", hpack: new HpackDecoder() });
  const encoder = new HpackEncoder();
  const streams = new Map<number, StreamState>();
  let peerInitialWindow = DEFAULT_INITIAL_WINDOW_SIZE;
  let peerMaxFrameSize = DEFAULT_MAX_FRAME_SIZE;
  let connectionWindow = DEFAULT_INITIAL_WINDOW_SIZE;
  let lastStreamId = 0;

  const send = (...frames: FrameInit[]) => {
    if (!socket.destroyed) for (const f of frames) socket.write(encodeFrame(f));
  };

  // Our preface: a SETTINGS frame (RFC 9113 §3.4).
  send({ type: FrameType.SETTINGS, streamId: 0, settings: [{ id: SettingsId.SETTINGS_ENABLE_PUSH, value: 0 }] });

  const sendHeaders = (streamId: number, fields: readonly Field[], endStream: boolean) => {
    const block = encoder.encode(fields);
    send(...fieldBlockFrames({ streamId, block, endStream, maxFrameSize: peerMaxFrameSize }));
  };

  /** Sends as much of each stream's body as the windows allow, then the trailers. */
  const flush = () => {
    for (const [id, s] of streams) {
      if (!s.responding) continue;
      while (s.pending.length > 0) {
        const n = Math.min(s.pending.length, s.sendWindow, connectionWindow, peerMaxFrameSize);
        if (n <= 0) break;
        const last = n === s.pending.length && s.trailers === undefined;
        send({ type: FrameType.DATA, streamId: id, endStream: last, data: s.pending.subarray(0, n) });
        s.pending = s.pending.subarray(n);
        s.sendWindow -= n;
        connectionWindow -= n;
        if (last) streams.delete(id);
      }
      if (s.pending.length === 0 && streams.has(id)) {
        if (s.trailers !== undefined) sendHeaders(id, s.trailers, true);
        else send({ type: FrameType.DATA, streamId: id, endStream: true, data: new Uint8Array(0) });
        streams.delete(id);
      }
    }
  };

  const respond = async (streamId: number, s: StreamState) => {
    const body = concat(s.body);
    const res = await handler({ streamId, headers: s.headers, body });
    if (socket.destroyed) return;
    sendHeaders(streamId, [{ name: ":status", value: String(res.status) }, ...(res.headers ?? [])], false);
    s.pending = res.body ?? new Uint8Array(0);
    s.trailers = res.trailers;
    s.responding = true;
    flush();
  };

  let failed = false;
  const fail = (error: Http2Error) => {
    failed = true; // nothing more is read once GOAWAY is out
    send({ type: FrameType.GOAWAY, streamId: 0, lastStreamId, errorCode: error.code });
    socket.end();
  };

  const resetStream = (streamId: number, code: number) => {
    send({ type: FrameType.RST_STREAM, streamId, errorCode: code });
    streams.delete(streamId);
  };

  /** Reacts to one decoded event; helpers throw Http2Error with the scope RFC 9113 gives. */
  const handle = (ev: FrameDecoderEvent<readonly DecodedHeaderField[]>): void => {
    switch (ev.type) {
      case FrameType.SETTINGS:
        if (ev.ack) break;
        for (const { id, value } of ev.settings) {
          if (id === SettingsId.SETTINGS_INITIAL_WINDOW_SIZE) {
            // RFC 9113 §6.9.2: adjust every open stream's window by the difference (FLOW_CONTROL_ERROR past 2^31-1).
            for (const s of streams.values()) s.sendWindow = adjustWindowForSettings(s.sendWindow, peerInitialWindow, value);
            peerInitialWindow = value;
          } else if (id === SettingsId.SETTINGS_MAX_FRAME_SIZE) peerMaxFrameSize = value;
          else if (id === SettingsId.SETTINGS_HEADER_TABLE_SIZE) encoder.setMaxTableSize(Math.min(value, 4096));
        }
        send({ type: FrameType.SETTINGS, streamId: 0, ack: true });
        flush();
        break;
      case FrameType.PING:
        if (!ev.ack) send({ type: FrameType.PING, streamId: 0, ack: true, opaqueData: ev.opaqueData });
        break;
      case "field-block": {
        const fields = ev.fields; // present: the decoder was given hpack
        const existing = streams.get(ev.streamId);
        if (existing !== undefined) {
          // RFC 9113 §8.1: a second HEADERS opens the trailer section and MUST carry END_STREAM; the
          // request is malformed otherwise (a stream PROTOCOL_ERROR), as it is with pseudo-header fields.
          if (!ev.endStream)
            throw new Http2Error("Trailers without END_STREAM", ErrorCode.PROTOCOL_ERROR, {
              reason: "trailers_without_end_stream",
              scope: "stream",
              streamId: ev.streamId,
            });
          validateTrailers(fields, { streamId: ev.streamId });
          void respond(ev.streamId, existing);
          break;
        }
        // RFC 9113 §5.1.1: a new stream's identifier is odd and above every earlier one (connection PROTOCOL_ERROR).
        const idError = checkPeerStreamId(ev.streamId, "client", lastStreamId);
        if (idError !== undefined) throw idError;
        lastStreamId = ev.streamId;
        validateRequestHeaders(fields, { streamId: ev.streamId }); // a malformed request resets the stream
        const s: StreamState = {
          headers: fields,
          body: [],
          sendWindow: peerInitialWindow,
          pending: new Uint8Array(0),
          trailers: undefined,
          responding: false,
        };
        streams.set(ev.streamId, s);
        if (ev.endStream) void respond(ev.streamId, s);
        break;
      }
      case FrameType.DATA: {
        const s = streams.get(ev.streamId);
        const length = flowControlledLength(ev); // padding counts (RFC 9113 §6.1)
        // Give the flow-control credit back at once (this example buffers everything).
        if (length > 0) {
          send({ type: FrameType.WINDOW_UPDATE, streamId: 0, windowSizeIncrement: length });
          if (!ev.endStream) send({ type: FrameType.WINDOW_UPDATE, streamId: ev.streamId, windowSizeIncrement: length });
        }
        if (s === undefined) break;
        s.body.push(ev.data.slice());
        if (ev.endStream) void respond(ev.streamId, s);
        break;
      }
      case FrameType.WINDOW_UPDATE:
        // RFC 9113 §6.9.1: a window above 2^31-1 ends the stream or, for stream 0, the connection.
        if (ev.streamId === 0) connectionWindow = increaseWindow(connectionWindow, ev.windowSizeIncrement, 0);
        else {
          const s = streams.get(ev.streamId);
          if (s !== undefined) s.sendWindow = increaseWindow(s.sendWindow, ev.windowSizeIncrement, ev.streamId);
        }
        flush();
        break;
      case FrameType.RST_STREAM:
        streams.delete(ev.streamId);
        break;
      case FrameType.GOAWAY:
        socket.end();
        break;
      case "stream-error":
        resetStream(ev.streamId, ev.error.code);
        break;
      default:
        break; // PRIORITY, PRIORITY_UPDATE, unknown frames: ignored (RFC 9113 §5.5)
    }
  };

  socket.on("data", (chunk: Uint8Array) => {
    if (failed) return;
    const events: Parameters<typeof handle>[0][] = [];
    try {
      decoder.push(chunk, events);
    } catch (e) {
      if (e instanceof Http2Error) return fail(e);
      throw e;
    }
    for (const ev of events) {
      try {
        handle(ev);
      } catch (e) {
        if (!(e instanceof Http2Error)) throw e;
        // The helpers decide the scope: a connection error ends the connection, a stream error the stream.
        if (e.scope === "connection") return fail(e);
        resetStream(e.streamId as number, e.code);
      }
    }
  });
  socket.on("error", () => socket.destroy());
  socket.on("end", () => {
    try {
      decoder.end();
    } catch {
      // The peer closed mid-frame; nothing left to answer.
    }
  });
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Starts the server on `port` (0 for an ephemeral port) at 127.0.0.1. */
export function startH2Server(handler: Handler, port = 0): Promise<Server> {
  const server = createServer((socket) => serveConnection(socket, handler));
  return new Promise((resolve) => server.listen(port, "127.0.0.1", () => resolve(server)));
}

// Run directly: a hello-world server.
if (import.meta.url === `file://${process.argv[1]}`) {
  const text = new TextEncoder();
  void startH2Server(
    (req) => ({
      status: 200,
      headers: [{ name: "content-type", value: "text/plain" }],
      body: text.encode(`hello from httpwire, you asked for ${req.headers.find((f) => f.name === ":path")?.value ?? "?"}\n`),
      trailers: [{ name: "x-served-by", value: "httpwire" }],
    }),
    8080,
  ).then(() => console.log("listening on http://127.0.0.1:8080 (h2c prior knowledge)"));
}
