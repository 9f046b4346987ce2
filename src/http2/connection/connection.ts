/**
 * `Http2Connection`: a sans-I/O HTTP/2 endpoint (RFC 9113) for the client
 * and the server role, built on the codecs of this module.
 * @module
 */
import { HpackDecoder } from "../../hpack/decoder.js";
import { HpackEncoder } from "../../hpack/encoder.js";
import { concatBytes, equalBytes } from "../../shared/bytes.js";
import { booleanOption, integerOption } from "../../shared/options.js";
import {
  CONNECTION_PREFACE,
  DEFAULT_HEADER_TABLE_SIZE,
  DEFAULT_INITIAL_WINDOW_SIZE,
  DEFAULT_MAX_FRAME_SIZE,
  FrameType,
  MAX_MAX_FRAME_SIZE,
  MAX_STREAM_ID,
  MAX_WINDOW_SIZE,
  SettingsId,
} from "../constants.js";
import { encodeFrame } from "../encode-frame.js";
import { ErrorCode, errorCodeName } from "../error-codes.js";
import { connectionError, Http2Error, streamError } from "../errors.js";
import { fieldBlockFrames } from "../field-block.js";
import { adjustWindowForSettings, flowControlledLength, increaseWindow } from "../flow-control.js";
import type {
  AltsvcFrame,
  DataFrame,
  FrameInit,
  GoawayFrame,
  OriginFrame,
  PingFrame,
  PriorityUpdateFrame,
  RstStreamFrame,
  Setting,
  SettingsFrame,
  WindowUpdateFrame,
} from "../frame.js";
import { type DecodedHeaderField, type EventSink, FrameDecoder, type FrameDecoderEvent } from "../frame-decoder.js";
import { validateRequestHeaders, validateResponseHeaders, validateTrailers } from "../message.js";
import { parsePriority } from "../priority.js";
import { checkPeerStreamId, isClientStreamId } from "../stream-id.js";
import { type StreamEvent, type StreamState, transitionStream } from "../stream-state.js";
import { writeDataFrames } from "./data-frames.js";
import type {
  Http2ConnectionEvent,
  Http2ConnectionLimits,
  Http2ConnectionOptions,
  Http2LocalSettings,
  Http2SettingsSnapshot,
  OutgoingField,
  SendOptions,
  WindowUpdatePolicy,
} from "./types.js";

const OWNER = "Http2Connection";

/** The default of every limit (docs/http2.md, "Limits"). */
export const DEFAULT_CONNECTION_LIMITS: Readonly<Required<Http2ConnectionLimits>> = Object.freeze({
  maxFieldBlockSize: 65_536,
  maxContinuationFrames: 32,
  maxPeerResets: 1000,
  maxProvokedResets: 1000,
  maxQueuedControlFrames: 1000,
  maxConsecutiveEmptyFrames: 100,
  maxWindowUpdatesPerDataFrame: 10,
  maxSettingsEntries: 32,
  maxBufferedSendBytes: 1 << 20,
  maxClosedStreams: 1000,
  maxQueuedRequests: 10_000,
  settingsTimeoutMs: 10_000,
});

/** Our default settings: RFC 9113's initial values, except these. */
const DEFAULT_MAX_CONCURRENT_STREAMS = 100;
const DEFAULT_MAX_HEADER_LIST_SIZE = 65_536;
const DEFAULT_CONNECTION_WINDOW = 1 << 20;
/** The peer's MAX_CONCURRENT_STREAMS we assume until its SETTINGS arrive (RFC 9113 §6.5.2's recommended minimum; Go's http2 Transport does the same). */
const ASSUMED_MAX_CONCURRENT_STREAMS = 100;

/** How the receive side of a stream is progressing. */
const Phase = { Headers: 0, Body: 1 } as const;
type Phase = (typeof Phase)[keyof typeof Phase];

/** What a closed stream ended with, remembered to answer frames that arrive after. */
type ClosedHow = "reset-sent" | "reset-received" | "closed";

interface Stream {
  readonly id: number;
  state: StreamState;
  /** Opened (or promised) by us. */
  readonly local: boolean;
  sendWindow: number;
  recvWindow: number;
  /** Received octets the caller consumed and we have not given back yet. */
  unacked: number;
  /** Payload views waiting for a window; `queue[0]` from `head`. */
  queue: Uint8Array[];
  head: number;
  queued: number;
  /** END_STREAM asked for: after the queue (and the trailers, when set). */
  endQueued: boolean;
  trailers: readonly OutgoingField[] | undefined;
  /** A client request waiting for a MAX_CONCURRENT_STREAMS slot (stream still idle). */
  waiting: { readonly fields: readonly OutgoingField[]; readonly endStream: boolean } | undefined;
  phase: Phase;
  /** content-length of what we receive, or -1. */
  contentLength: number;
  received: number;
  /** The request method (client), to know a HEAD response has no body. */
  method: string | undefined;
  /** A final (non-1xx) response was sent (server) . */
  finalSent: boolean;
}

interface SettingsState {
  headerTableSize: number;
  enablePush: boolean;
  maxConcurrentStreams: number;
  initialWindowSize: number;
  maxFrameSize: number;
  maxHeaderListSize: number;
  enableConnectProtocol: boolean;
  noRfc7540Priorities: boolean;
}

function rfcDefaults(): SettingsState {
  return {
    headerTableSize: DEFAULT_HEADER_TABLE_SIZE,
    enablePush: true,
    maxConcurrentStreams: Number.POSITIVE_INFINITY,
    initialWindowSize: DEFAULT_INITIAL_WINDOW_SIZE,
    maxFrameSize: DEFAULT_MAX_FRAME_SIZE,
    maxHeaderListSize: Number.POSITIVE_INFINITY,
    enableConnectProtocol: false,
    noRfc7540Priorities: false,
  };
}

/** The limit an error from the decoders stands for. */
function limitOf(error: Http2Error): string | undefined {
  switch (error.reason) {
    case "field_block_too_large":
      return "maxFieldBlockSize";
    case "too_many_continuation_frames":
      return "maxContinuationFrames";
    case "hpack_decoding_failed": {
      const cause = (error as { cause?: unknown }).cause as { reason?: string } | undefined;
      return cause?.reason === "header_list_too_large" || cause?.reason === "string_too_long" ? "maxHeaderListSize" : undefined;
    }
    default:
      return undefined;
  }
}

const ASCII = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0) & 0xff);

/** The PING payload of the graceful shutdown's round trip. */
const SHUTDOWN_PING = ASCII("h2wshut\0");

/**
 * A sans-I/O HTTP/2 connection (RFC 9113), client or server: no sockets, no
 * timers, no Node API. Give it the bytes you read with {@link receive} and
 * act on the events it returns; call methods to send; write what
 * {@link takeOutput} returns. Every rule of RFC 9113 that needs connection
 * state is enforced here (stream states, stream identifiers, concurrency,
 * flow control both ways, message validation and content-length, SETTINGS
 * acknowledgment), and every known attack is bounded by a limit
 * ({@link Http2ConnectionLimits}).
 *
 * @example
 * ```ts
 * const client = new Http2Connection({ role: "client" });
 * const server = new Http2Connection({ role: "server" });
 * const id = client.request([
 *   { name: ":method", value: "GET" }, { name: ":scheme", value: "https" },
 *   { name: ":authority", value: "example.com" }, { name: ":path", value: "/" },
 * ], { endStream: true });
 * for (const e of server.receive(client.takeOutputBytes())) {
 *   if (e.type === "request") {
 *     server.respond(e.streamId, [{ name: ":status", value: "200" }]);
 *     server.sendData(e.streamId, new TextEncoder().encode("hello"), { endStream: true });
 *   }
 * }
 * const events = client.receive(server.takeOutputBytes());
 * events.find((e) => e.type === "data"); // { type: "data", streamId: 1, data: "hello" as bytes, endStream: true, ... }
 * ```
 */
export class Http2Connection {
  /** "client" or "server". */
  readonly role: "client" | "server";
  private readonly limits: Required<Http2ConnectionLimits>;
  private readonly windowPolicy: WindowUpdatePolicy;
  private readonly decoder: FrameDecoder<HpackDecoder>;
  private readonly hpackDecoder: HpackDecoder;
  /** The SETTINGS_MAX_HEADER_LIST_SIZE given at construction, enforced by the HPACK decoder (a connection error). */
  private readonly hpackLimit: number;
  private readonly encoder = new HpackEncoder();
  private readonly sink: EventSink<FrameDecoderEvent<readonly DecodedHeaderField[]>>;

  /** Settings as acknowledged by the peer (in force for everything the peer sends). */
  private readonly local: SettingsState = rfcDefaults();
  /** Settings as last sent (the peer may use them before it acknowledges). */
  private readonly localSent: SettingsState = rfcDefaults();
  /** SETTINGS frames sent and not yet acknowledged, in order. */
  private readonly pendingSettings: Partial<SettingsState>[] = [];
  private settingsStamp: number | undefined = undefined;
  /** The peer's settings as received. */
  private readonly peer: SettingsState = { ...rfcDefaults(), maxConcurrentStreams: ASSUMED_MAX_CONCURRENT_STREAMS };
  private peerSettingsSeen = false;

  private readonly streams = new Map<number, Stream>();
  private readonly closedStreams = new Map<number, ClosedHow>();
  /** Streams with DATA, trailers or END_STREAM waiting to be sent. */
  private readonly sendable = new Set<Stream>();
  /** Client requests waiting for a slot, in stream ID order. */
  private readonly waitQueue: Stream[] = [];
  private localActive = 0;
  private peerActive = 0;
  private nextLocalId: number;
  /** Highest stream we opened or promised. */
  private lastLocalId = 0;
  /** Highest stream the peer opened or promised. */
  private lastPeerId = 0;

  private connSendWindow = DEFAULT_INITIAL_WINDOW_SIZE;
  private connRecvWindow = DEFAULT_INITIAL_WINDOW_SIZE;
  private readonly connWindowTarget: number;
  private connUnacked = 0;

  private out: Uint8Array[] = [];
  private outputDataBytes = 0;
  private bufferedBytes = 0;
  private controlQueued = 0;
  private events: Http2ConnectionEvent[] = [];
  private flushing = false;

  // Attack accounting.
  private peerResets = 0;
  private provokedResets = 0;
  private emptyFrames = 0;
  private windowUpdates = 0;
  private dataFramesSent = 0;
  private streamsOpened = 0;

  // Shutdown.
  /** The last stream id of the GOAWAY we sent last (MAX_STREAM_ID for the first step of a graceful shutdown). */
  private goawaySent: number | undefined = undefined;
  private goawayFinal = false;
  private shutdownPingPending = false;
  /** The peer's GOAWAY last stream id. */
  private goawayReceived: number | undefined = undefined;
  private ended = false;

  /**
   * @throws RangeError / TypeError for an option out of range.
   */
  constructor(options: Http2ConnectionOptions) {
    const role = options?.role;
    if (role !== "client" && role !== "server") throw new TypeError(`${OWNER}: role must be "client" or "server", got ${String(role)}`);
    this.role = role;
    const l = options.limits ?? {};
    const d = DEFAULT_CONNECTION_LIMITS;
    const big = Number.MAX_SAFE_INTEGER;
    this.limits = {
      maxFieldBlockSize: integerOption(OWNER, "maxFieldBlockSize", l.maxFieldBlockSize, d.maxFieldBlockSize, 0, big),
      maxContinuationFrames: integerOption(OWNER, "maxContinuationFrames", l.maxContinuationFrames, d.maxContinuationFrames, 0, big),
      maxPeerResets: integerOption(OWNER, "maxPeerResets", l.maxPeerResets, d.maxPeerResets, 0, big),
      maxProvokedResets: integerOption(OWNER, "maxProvokedResets", l.maxProvokedResets, d.maxProvokedResets, 0, big),
      maxQueuedControlFrames: integerOption(OWNER, "maxQueuedControlFrames", l.maxQueuedControlFrames, d.maxQueuedControlFrames, 1, big),
      maxConsecutiveEmptyFrames: integerOption(
        OWNER,
        "maxConsecutiveEmptyFrames",
        l.maxConsecutiveEmptyFrames,
        d.maxConsecutiveEmptyFrames,
        0,
        big,
      ),
      maxWindowUpdatesPerDataFrame: integerOption(
        OWNER,
        "maxWindowUpdatesPerDataFrame",
        l.maxWindowUpdatesPerDataFrame,
        d.maxWindowUpdatesPerDataFrame,
        0,
        big,
      ),
      maxSettingsEntries: integerOption(OWNER, "maxSettingsEntries", l.maxSettingsEntries, d.maxSettingsEntries, 0, big),
      maxBufferedSendBytes: integerOption(OWNER, "maxBufferedSendBytes", l.maxBufferedSendBytes, d.maxBufferedSendBytes, 0, big),
      maxClosedStreams: integerOption(OWNER, "maxClosedStreams", l.maxClosedStreams, d.maxClosedStreams, 0, big),
      maxQueuedRequests: integerOption(OWNER, "maxQueuedRequests", l.maxQueuedRequests, d.maxQueuedRequests, 0, big),
      settingsTimeoutMs: integerOption(OWNER, "settingsTimeoutMs", l.settingsTimeoutMs, d.settingsTimeoutMs, 0, big),
    };
    const policy = options.windowUpdate ?? "auto";
    if (policy !== "auto" && policy !== "manual") throw new TypeError(`${OWNER}: windowUpdate must be "auto" or "manual"`);
    this.windowPolicy = policy;
    this.connWindowTarget = integerOption(
      OWNER,
      "connectionWindowSize",
      options.connectionWindowSize,
      DEFAULT_CONNECTION_WINDOW,
      DEFAULT_INITIAL_WINDOW_SIZE,
      MAX_WINDOW_SIZE,
    );
    this.nextLocalId = role === "client" ? 1 : 2;

    const s = options.settings ?? {};
    const initial = this.checkSettings(s, true);
    const maxHeaderListSize = initial.maxHeaderListSize ?? DEFAULT_MAX_HEADER_LIST_SIZE;
    this.hpackLimit = maxHeaderListSize;
    this.hpackDecoder = new HpackDecoder({ maxHeaderListSize });
    this.decoder = new FrameDecoder({
      hpack: this.hpackDecoder,
      expectPreface: role === "server",
      expectSettingsFirst: role === "client",
      sender: role === "client" ? "server" : "client",
      maxFieldBlockSize: this.limits.maxFieldBlockSize,
      maxContinuationFrames: this.limits.maxContinuationFrames,
    });
    this.sink = { push: (e) => this.onFrame(e) };

    // Our first SETTINGS: the values given, and our defaults where they differ from the RFC's.
    const first: Partial<SettingsState> = {
      maxConcurrentStreams: DEFAULT_MAX_CONCURRENT_STREAMS,
      maxHeaderListSize,
      ...(role === "client" ? { enablePush: false } : {}),
      ...initial,
    };
    if (role === "client") this.out.push(CONNECTION_PREFACE.slice());
    this.sendSettings(first);
    if (this.connWindowTarget > DEFAULT_INITIAL_WINDOW_SIZE) {
      const increment = this.connWindowTarget - DEFAULT_INITIAL_WINDOW_SIZE;
      this.connRecvWindow += increment;
      this.emit({ type: FrameType.WINDOW_UPDATE, streamId: 0, windowSizeIncrement: increment });
    }
  }

  // ---------------------------------------------------------------- public state

  /** Our settings as the peer acknowledged them. */
  get localSettings(): Http2SettingsSnapshot {
    return { ...this.local };
  }

  /** The peer's settings as received (RFC 9113 initial values until its SETTINGS arrive). */
  get peerSettings(): Http2SettingsSnapshot {
    return { ...this.peer };
  }

  /**
   * `"open"`, `"closing"` (a GOAWAY was sent or received; existing streams
   * finish) or `"closed"` (close the transport once the output is written).
   */
  get state(): "open" | "closing" | "closed" {
    if (this.ended) return "closed";
    return this.goawaySent !== undefined || this.goawayReceived !== undefined ? "closing" : "open";
  }

  /**
   * When the SETTINGS we sent must be acknowledged by, on the caller's clock
   * (ms): set by the first {@link checkTimeouts} call while a SETTINGS is
   * unacknowledged; `undefined` when none is outstanding.
   */
  get settingsAckDeadline(): number | undefined {
    if (this.pendingSettings.length === 0 || this.settingsStamp === undefined) return undefined;
    return this.settingsStamp + this.limits.settingsTimeoutMs;
  }

  /** The send window of a stream (0: the connection's), or `undefined` for a stream not open. */
  sendWindow(streamId: number): number | undefined {
    if (streamId === 0) return this.connSendWindow;
    return this.streams.get(streamId)?.sendWindow;
  }

  /** Octets of `streamId`'s DATA waiting for a window. */
  queuedBytes(streamId: number): number {
    return this.streams.get(streamId)?.queued ?? 0;
  }

  /** How many octets {@link sendData} would accept now (the buffer limit; the windows only delay sending). */
  get sendCapacity(): number {
    return Math.max(0, this.limits.maxBufferedSendBytes - this.bufferedBytes - this.outputDataBytes);
  }

  /**
   * What the connection holds, for the memory tests: stream records, closed
   * streams remembered, DATA octets buffered, output pieces not taken.
   * @internal
   */
  get retained(): {
    readonly streams: number;
    readonly closedStreams: number;
    readonly bufferedBytes: number;
    readonly outputPieces: number;
  } {
    return {
      streams: this.streams.size,
      closedStreams: this.closedStreams.size,
      bufferedBytes: this.bufferedBytes + this.outputDataBytes,
      outputPieces: this.out.length,
    };
  }

  /** Streams open or half-closed, by who opened them. */
  get activeStreams(): { readonly local: number; readonly peer: number } {
    return { local: this.localActive, peer: this.peerActive };
  }

  // ---------------------------------------------------------------- input

  /**
   * Feeds bytes read from the transport, in any chunking. Returns the events
   * they complete, in order (and any event a method call left pending).
   * Protocol errors never escape: a connection error queues GOAWAY and
   * returns `connection-error` and `terminated` events; a stream error
   * queues RST_STREAM and returns a `stream-reset` event with `local: true`.
   * After `terminated`, input is ignored.
   *
   * Lifetime: `data` events are views of `bytes` (or of a frame buffer);
   * copy what you keep past changing `bytes`.
   */
  receive(bytes: Uint8Array): Http2ConnectionEvent[] {
    const events = this.events;
    if (this.ended) {
      this.events = [];
      return events;
    }
    try {
      this.decoder.push(bytes, this.sink);
    } catch (e) {
      if (!(e instanceof Http2Error)) throw e;
      this.fail(e, limitOf(e));
    }
    this.flush();
    this.events = [];
    return events;
  }

  /** Events left by method calls (a graceful shutdown that completed, a SETTINGS timeout), emptied. */
  takeEvents(): Http2ConnectionEvent[] {
    const events = this.events;
    this.events = [];
    return events;
  }

  /**
   * Checks the SETTINGS acknowledgment deadline against the caller's clock
   * (RFC 9113 §6.5.3: without an ACK "within a reasonable amount of time",
   * a connection error of type SETTINGS_TIMEOUT). The first call while a
   * SETTINGS is outstanding starts its clock. Returns the pending events:
   * `connection-error` and `terminated` when the deadline passed.
   */
  checkTimeouts(nowMs: number): Http2ConnectionEvent[] {
    if (!this.ended && this.pendingSettings.length > 0) {
      if (this.settingsStamp === undefined) this.settingsStamp = nowMs;
      else if (nowMs >= this.settingsStamp + this.limits.settingsTimeoutMs)
        this.fail(
          connectionError(ErrorCode.SETTINGS_TIMEOUT, "settings_timeout", "The peer did not acknowledge our SETTINGS in time"),
          "settingsTimeoutMs",
        );
    }
    return this.takeEvents();
  }

  // ---------------------------------------------------------------- output

  /**
   * The bytes to write, in order, since the last call: frame headers and
   * control frames in new memory, DATA payloads as views of the caller's
   * buffers given to {@link sendData} (never copied: keep them unchanged
   * until written).
   */
  takeOutput(): Uint8Array[] {
    const out = this.out;
    this.out = [];
    this.outputDataBytes = 0;
    this.controlQueued = 0;
    return out;
  }

  /** {@link takeOutput} joined into one new buffer. */
  takeOutputBytes(): Uint8Array {
    return concatBytes(this.takeOutput());
  }

  /** Whether {@link takeOutput} has anything. */
  get hasOutput(): boolean {
    return this.out.length > 0;
  }

  // ---------------------------------------------------------------- actions

  /**
   * Sends a request (client) on a new stream and returns its identifier.
   * When the peer's SETTINGS_MAX_CONCURRENT_STREAMS is reached the request
   * waits (its HEADERS are encoded when a slot frees; DATA given meanwhile
   * waits with it). The fields are validated as RFC 9113 §8.3 requires,
   * `:protocol` only when the peer allowed extended CONNECT (RFC 8441).
   *
   * @throws TypeError for invalid fields (the message names the rule);
   *   RangeError on a server, after a GOAWAY, when the stream identifiers are
   *   exhausted or `maxQueuedRequests` requests already wait.
   */
  request(fields: readonly OutgoingField[], options: SendOptions = {}): number {
    if (this.role !== "client") throw new RangeError(`${OWNER}: request() is for the client role`);
    if (this.state !== "open") throw new RangeError(`${OWNER}: the connection is ${this.state}; open a new one`);
    const id = this.nextLocalId;
    if (id > MAX_STREAM_ID) throw new RangeError(`${OWNER}: stream identifiers are exhausted; open a new connection`);
    const endStream = booleanOption(OWNER, "endStream", options.endStream, false);
    const pseudo = callerCheck(() =>
      validateRequestHeaders(fields, { streamId: id, enableConnectProtocol: this.peer.enableConnectProtocol }),
    );
    if (this.waitQueue.length >= this.limits.maxQueuedRequests)
      throw new RangeError(`${OWNER}: ${this.waitQueue.length} requests already wait for a stream (maxQueuedRequests)`);
    this.nextLocalId += 2;
    const s = this.newStream(id, true, "idle");
    s.method = pseudo.method;
    s.waiting = { fields, endStream };
    s.endQueued = endStream;
    this.streams.set(id, s);
    this.waitQueue.push(s);
    this.flush();
    return id;
  }

  /**
   * Sends response headers (server) on a request stream or a promised one:
   * 1xx responses first if any, then the final one. Returns false when the
   * stream is already closed (the peer reset it): nothing is sent.
   *
   * @throws TypeError for invalid fields; RangeError on a client, for a
   *   stream that never existed, or after the final response.
   */
  respond(streamId: number, fields: readonly OutgoingField[], options: SendOptions = {}): boolean {
    if (this.role !== "server") throw new RangeError(`${OWNER}: respond() is for the server role`);
    const s = this.sendingStream(streamId);
    if (s === undefined) return false;
    const endStream = booleanOption(OWNER, "endStream", options.endStream, false);
    if (s.finalSent) throw new RangeError(`${OWNER}: stream ${streamId} already has its final response`);
    const status = callerCheck(() => validateResponseHeaders(fields, { streamId }));
    const informational = status < 200;
    if (informational && endStream) throw new RangeError(`${OWNER}: a 1xx response cannot end the stream`);
    this.sendHeaders(s, fields, endStream);
    if (!informational) s.finalSent = true;
    this.flush();
    return true;
  }

  /**
   * Sends DATA on a stream, never exceeding the stream's or the
   * connection's send window: what the windows allow goes to the output at
   * once (in frames of the peer's SETTINGS_MAX_FRAME_SIZE), the rest waits
   * as views of `data` and goes out as WINDOW_UPDATEs arrive.
   *
   * Returns how many octets were accepted (sent or waiting). The connection
   * holds at most `maxBufferedSendBytes` of DATA (waiting, or in output not
   * yet taken); beyond that it accepts less, END_STREAM is not applied, and
   * the caller offers `data.subarray(accepted)` again later (after
   * `takeOutput` or a `window-update` event). Returns 0 for a stream that
   * is closed (the peer reset it, or both sides ended it).
   *
   * @throws RangeError for a stream that never existed, that cannot send
   *   (END_STREAM already sent, or a server before its final response).
   */
  sendData(streamId: number, data: Uint8Array, options: SendOptions = {}): number {
    const s = this.sendingStream(streamId);
    if (s === undefined) return 0;
    const endStream = booleanOption(OWNER, "endStream", options.endStream, false);
    if (this.role === "server" && !s.finalSent) throw new RangeError(`${OWNER}: send the final response on stream ${streamId} before DATA`);
    const n = Math.min(data.length, this.sendCapacity);
    if (n > 0) {
      s.queue.push(n === data.length ? data : data.subarray(0, n));
      s.queued += n;
      this.bufferedBytes += n;
    }
    if (endStream && n === data.length) s.endQueued = true;
    if (n > 0 || s.endQueued) {
      this.sendable.add(s);
      this.flush();
    }
    return n;
  }

  /**
   * Sends trailers, ending the stream (after any DATA still waiting).
   * Returns false when the stream is already closed.
   *
   * @throws TypeError for invalid fields (pseudo-header fields among them);
   *   RangeError as {@link sendData}.
   */
  sendTrailers(streamId: number, fields: readonly OutgoingField[]): boolean {
    const s = this.sendingStream(streamId);
    if (s === undefined) return false;
    if (this.role === "server" && !s.finalSent)
      throw new RangeError(`${OWNER}: send the final response on stream ${streamId} before trailers`);
    callerCheck(() => validateTrailers(fields, { streamId }));
    s.trailers = fields;
    s.endQueued = true;
    this.sendable.add(s);
    this.flush();
    return true;
  }

  /**
   * Resets a stream (RST_STREAM with `code`, default CANCEL) and drops what
   * waits to be sent on it. A request still waiting for a slot is dropped
   * without a frame. No-op for a closed stream.
   */
  reset(streamId: number, code: number = ErrorCode.CANCEL): void {
    integerOption(OWNER, "code", code, 0, 0, 0xffff_ffff);
    const s = this.streams.get(streamId);
    if (s === undefined || this.ended) return;
    if (s.waiting !== undefined) {
      this.waitQueue.splice(this.waitQueue.indexOf(s), 1);
      this.closeStream(s, "reset-sent");
      this.flush();
      return;
    }
    this.emit({ type: FrameType.RST_STREAM, streamId, errorCode: code });
    this.closeStream(s, "reset-sent");
    this.flush();
  }

  /** Sends a PING (8 octets of opaque data, default zeros); the ACK comes back as a `pong` event. */
  ping(opaqueData: Uint8Array = new Uint8Array(8)): void {
    if (opaqueData.length !== 8) throw new RangeError(`${OWNER}: PING data must be 8 octets, got ${opaqueData.length}`);
    if (!this.ended) this.emit({ type: FrameType.PING, streamId: 0, ack: false, opaqueData });
  }

  /**
   * Sends a SETTINGS frame with the given changes. Each takes effect for
   * what we receive once the peer acknowledges it (a `settings-acknowledged`
   * event); a larger window, table or frame size at once, since the peer may
   * use it as soon as it reads the frame.
   *
   * @throws RangeError for a value out of range, `enablePush` on a server,
   *   `enableConnectProtocol` on a client or back to false, or a
   *   `maxHeaderListSize` above the one given at construction.
   */
  updateSettings(settings: Http2LocalSettings): void {
    const changes = this.checkSettings(settings, false);
    if (!this.ended) this.sendSettings(changes);
  }

  /**
   * Pushes a response (server, RFC 9113 §8.4): sends PUSH_PROMISE with the
   * promised request `fields` on `streamId` and returns the promised
   * stream's identifier; answer it with {@link respond} and
   * {@link sendData}. Returns `undefined` when the client disabled push,
   * its MAX_CONCURRENT_STREAMS is reached, or the stream is closed.
   *
   * @throws TypeError for invalid request fields; RangeError on a client.
   */
  push(streamId: number, fields: readonly OutgoingField[]): number | undefined {
    if (this.role !== "server") throw new RangeError(`${OWNER}: push() is for the server role`);
    const s = this.sendingStream(streamId);
    if (s === undefined || s.local || !this.peer.enablePush || this.state !== "open") return undefined;
    if (this.localActive >= this.peer.maxConcurrentStreams) return undefined;
    const id = this.nextLocalId;
    if (id > MAX_STREAM_ID) return undefined;
    callerCheck(() => validateRequestHeaders(fields, { streamId: id }));
    this.nextLocalId += 2;
    this.lastLocalId = id;
    const promised = this.newStream(id, true, "reserved-local");
    this.streams.set(id, promised);
    for (const f of fieldBlockFrames({
      streamId,
      block: this.encoder.encode(fields),
      promisedStreamId: id,
      maxFrameSize: this.peer.maxFrameSize,
    }))
      this.out.push(encodeFrame(f));
    return id;
  }

  /** Sends an RFC 9218 PRIORITY_UPDATE (client) for a stream, e.g. `"u=1, i"`. */
  priorityUpdate(streamId: number, priorityFieldValue: string): void {
    if (this.role !== "client") throw new RangeError(`${OWNER}: PRIORITY_UPDATE is sent by clients`);
    if (!this.ended) this.emit({ type: FrameType.PRIORITY_UPDATE, streamId: 0, prioritizedStreamId: streamId, priorityFieldValue });
  }

  /**
   * Gives back `length` received octets of `streamId` (manual window policy;
   * with `"auto"` it is done for you): a WINDOW_UPDATE for the stream and
   * the connection goes out once half of a window was consumed.
   */
  consume(streamId: number, length: number): void {
    integerOption(OWNER, "length", length, 0, 0, MAX_WINDOW_SIZE);
    if (this.ended || length === 0) return;
    this.credit(this.streams.get(streamId), length);
  }

  /**
   * Starts a graceful shutdown (RFC 9113 §6.8). A server sends GOAWAY with
   * the last stream identifier 2^31-1 and a PING; when the PING's ACK
   * returns (one round trip later, so streams the client opened meanwhile
   * are counted) it sends the second GOAWAY with the real last stream
   * identifier. A client sends one GOAWAY. Streams already open finish;
   * `terminated` comes when the last one closes.
   */
  shutdown(): void {
    if (this.ended || this.goawaySent !== undefined) return;
    if (this.role === "server") {
      this.goawaySent = MAX_STREAM_ID;
      this.emit({ type: FrameType.GOAWAY, streamId: 0, lastStreamId: MAX_STREAM_ID, errorCode: ErrorCode.NO_ERROR });
      this.emit({ type: FrameType.PING, streamId: 0, ack: false, opaqueData: SHUTDOWN_PING });
      this.shutdownPingPending = true;
    } else {
      this.sendFinalGoaway();
    }
    this.checkDone();
  }

  /** Ends the connection now: GOAWAY with `code` (default NO_ERROR), then `terminated`. */
  terminate(code: number = ErrorCode.NO_ERROR, reason = "terminated"): void {
    integerOption(OWNER, "code", code, 0, 0, 0xffff_ffff);
    if (this.ended) return;
    this.emit({ type: FrameType.GOAWAY, streamId: 0, lastStreamId: this.lastPeerId, errorCode: code, debugData: ASCII(reason) });
    this.end(code, reason, undefined, true);
  }

  // ---------------------------------------------------------------- receiving

  private onFrame(e: FrameDecoderEvent<readonly DecodedHeaderField[]>): void {
    if (this.ended) return;
    switch (e.type) {
      case "field-block":
        if (e.frame.type === FrameType.HEADERS) this.onHeaders(e.streamId, e.fields, e.endStream, e.block.length);
        else this.onPushPromise(e.streamId, e.frame.promisedStreamId, e.fields);
        return;
      case "stream-error":
        this.onStreamError(e.streamId, e.error);
        return;
      case FrameType.DATA:
        this.onData(e);
        return;
      case FrameType.RST_STREAM:
        this.onRstStream(e);
        return;
      case FrameType.SETTINGS:
        this.onSettings(e);
        return;
      case FrameType.PING:
        this.onPing(e);
        return;
      case FrameType.GOAWAY:
        this.onGoaway(e);
        return;
      case FrameType.WINDOW_UPDATE:
        this.onWindowUpdate(e);
        return;
      case FrameType.PRIORITY_UPDATE:
        this.onPriorityUpdate(e);
        return;
      case FrameType.ALTSVC:
        this.onAltsvc(e);
        return;
      case FrameType.ORIGIN:
        this.onOrigin(e);
        return;
      default:
        // PRIORITY (RFC 9113 §5.3.2: deprecated, no state kept), unknown types (§5.5: ignored), CONTINUATION (joined).
        return;
    }
  }

  /** Counts a frame that carries nothing (CVE-2019-9518). */
  private countEmpty(empty: boolean): void {
    if (!empty) {
      this.emptyFrames = 0;
      return;
    }
    if (++this.emptyFrames > this.limits.maxConsecutiveEmptyFrames)
      throw limitError(
        "empty_frames_flood",
        `More than ${this.limits.maxConsecutiveEmptyFrames} consecutive empty frames`,
        "maxConsecutiveEmptyFrames",
      );
  }

  private onHeaders(id: number, fields: readonly DecodedHeaderField[], endStream: boolean, blockLength: number): void {
    this.countEmpty(blockLength === 0 && !endStream);
    if (this.local.maxHeaderListSize < this.hpackLimit && listSize(fields) > this.local.maxHeaderListSize) {
      // Our SETTINGS_MAX_HEADER_LIST_SIZE, lowered since the start (the HPACK decoder enforces the first one).
      if (isClientStreamId(id) === (this.role === "server") && id > this.lastPeerId) this.lastPeerId = id;
      this.raise(
        streamError(
          ErrorCode.ENHANCE_YOUR_CALM,
          id,
          "header_list_too_large",
          `Field list of stream ${id} above SETTINGS_MAX_HEADER_LIST_SIZE`,
        ),
      );
      return;
    }
    const s = this.streams.get(id);
    if (s === undefined) {
      const peerParity = isClientStreamId(id) === (this.role === "server");
      if (peerParity && this.role === "server" && id > this.lastPeerId) {
        this.onNewRequest(id, fields, endStream);
        return;
      }
      this.onUnknownStream(id, "headers");
      return;
    }
    if (s.waiting !== undefined) throw idleError(id, "headers");
    const next = transitionStream(s.state, "headers", "recv", id);
    if (next instanceof Http2Error) {
      this.raise(next);
      return;
    }
    if (s.phase === Phase.Body) {
      // RFC 9113 §8.1: a HEADERS frame after the message's headers is trailers and MUST carry END_STREAM.
      if (!endStream) {
        this.raise(
          streamError(ErrorCode.PROTOCOL_ERROR, id, "trailers_without_end_stream", "Malformed message: trailers without END_STREAM"),
        );
        return;
      }
      const valid = this.checked(() => {
        validateTrailers(fields, { streamId: id });
        return true;
      });
      if (valid === undefined) return;
      s.state = next;
      this.events.push({ type: "trailers", streamId: id, fields });
      this.endReceived(s);
      return;
    }
    // Response headers (client), on our stream or a pushed one.
    const status = this.checked(() => validateResponseHeaders(fields, { streamId: id }));
    if (status === undefined) return;
    const informational = status < 200;
    if (informational && endStream) {
      this.raise(
        streamError(ErrorCode.PROTOCOL_ERROR, id, "informational_end_stream", "Malformed message: a 1xx response with END_STREAM"),
      );
      return;
    }
    if (!informational) {
      const length = this.contentLength(fields, id);
      if (length === undefined) return;
      const noBody = s.method === "HEAD" || status === 204 || status === 304;
      s.contentLength = noBody ? 0 : length;
      s.phase = Phase.Body;
    }
    this.setState(s, next);
    this.events.push({ type: "response", streamId: id, fields, status, endStream });
    if (endStream) this.endReceived(s);
  }

  private onNewRequest(id: number, fields: readonly DecodedHeaderField[], endStream: boolean): void {
    // RFC 9113 §6.8: after our final GOAWAY, streams above its last stream id are ignored.
    if (this.goawayFinal && id > (this.goawaySent ?? MAX_STREAM_ID)) return;
    const idError = checkPeerStreamId(id, "client", this.lastPeerId);
    if (idError !== undefined) throw idError;
    this.lastPeerId = id;
    this.streamsOpened++;
    // RFC 9113 §5.1.2: a stream over our SETTINGS_MAX_CONCURRENT_STREAMS is refused (REFUSED_STREAM: retry is safe).
    if (this.peerActive >= Math.min(this.localSent.maxConcurrentStreams, this.local.maxConcurrentStreams)) {
      this.raise(
        streamError(ErrorCode.REFUSED_STREAM, id, "max_concurrent_streams", `Stream ${id} exceeds SETTINGS_MAX_CONCURRENT_STREAMS`),
      );
      return;
    }
    const pseudo = this.checked(() =>
      validateRequestHeaders(fields, { streamId: id, enableConnectProtocol: this.localSent.enableConnectProtocol }),
    );
    if (pseudo === undefined) return;
    const length = this.contentLength(fields, id);
    if (length === undefined) return;
    const s = this.newStream(id, false, "idle");
    s.contentLength = length;
    s.phase = Phase.Body;
    this.streams.set(id, s);
    this.setState(s, "open");
    const priorityField = fields.find((f) => f.name === "priority");
    this.events.push({
      type: "request",
      streamId: id,
      fields,
      pseudo,
      priority: priorityField === undefined ? undefined : parsePriority(priorityField.value),
      endStream,
    });
    if (endStream) this.endReceived(s);
  }

  private onPushPromise(id: number, promisedId: number, fields: readonly DecodedHeaderField[]): void {
    // RFC 9113 §6.6 / §8.4: a PUSH_PROMISE when we disabled push is a connection PROTOCOL_ERROR.
    if (!this.localSent.enablePush)
      throw connectionError(ErrorCode.PROTOCOL_ERROR, "push_disabled", "PUSH_PROMISE received with SETTINGS_ENABLE_PUSH 0");
    const idError = checkPeerStreamId(promisedId, "server", this.lastPeerId);
    if (idError !== undefined) throw idError;
    this.lastPeerId = promisedId;
    const s = this.streams.get(id);
    // RFC 9113 §8.4: the associated stream must be a client request in "open" or "half-closed (local)".
    if (s === undefined && this.closedStreams.get(id) === "reset-sent") {
      // The associated stream was reset by us while this was in flight: refuse the push.
      this.raise(streamError(ErrorCode.CANCEL, promisedId, "push_on_reset_stream", `Push on stream ${id}, which we reset`));
      return;
    }
    if (s === undefined || s.waiting !== undefined || !s.local)
      throw connectionError(
        ErrorCode.PROTOCOL_ERROR,
        "push_promise_stream_invalid",
        `PUSH_PROMISE on stream ${id}, not an open request of ours`,
      );
    if (s.state !== "open" && s.state !== "half-closed-local")
      throw connectionError(ErrorCode.PROTOCOL_ERROR, "push_promise_stream_invalid", `PUSH_PROMISE on stream ${id} in state ${s.state}`);
    const pseudo = this.checked(() => validateRequestHeaders(fields, { streamId: promisedId }));
    if (pseudo === undefined) return;
    const p = this.newStream(promisedId, false, "reserved-remote");
    p.method = pseudo.method;
    p.phase = Phase.Headers;
    this.streams.set(promisedId, p);
    this.streamsOpened++;
    this.events.push({ type: "push-promise", streamId: id, promisedStreamId: promisedId, fields, pseudo });
  }

  private onData(f: DataFrame): void {
    const id = f.streamId;
    const length = flowControlledLength(f);
    // RFC 9113 §6.9.1: the connection window first; exceeding it is a connection FLOW_CONTROL_ERROR.
    if (length > this.connRecvWindow)
      throw connectionError(
        ErrorCode.FLOW_CONTROL_ERROR,
        "connection_window_exceeded",
        `DATA of ${length} octets exceeds the connection window ${this.connRecvWindow}`,
      );
    this.connRecvWindow -= length;
    this.countEmpty(length === 0 && !f.endStream);
    const s = this.streams.get(id);
    if (s === undefined || s.waiting !== undefined) {
      this.credit(undefined, length); // the caller never sees these octets
      if (s !== undefined) throw idleError(id, "data");
      this.onUnknownStream(id, "data");
      return;
    }
    const next = transitionStream(s.state, "data", "recv", id);
    let error: Http2Error | undefined;
    if (next instanceof Http2Error) error = next;
    else if (s.phase !== Phase.Body)
      error = streamError(ErrorCode.PROTOCOL_ERROR, id, "data_before_headers", "Malformed message: DATA before the response headers");
    else if (length > s.recvWindow)
      error = streamError(
        ErrorCode.FLOW_CONTROL_ERROR,
        id,
        "stream_window_exceeded",
        `DATA of ${length} octets exceeds the window ${s.recvWindow} of stream ${id}`,
      );
    else if (s.contentLength >= 0 && s.received + f.data.length > s.contentLength) error = contentLengthError(id);
    if (error !== undefined) {
      this.credit(undefined, length);
      this.raise(error);
      return;
    }
    s.recvWindow -= length;
    s.received += f.data.length;
    // Padding is never seen by the caller: give it back at once.
    if (length > f.data.length) this.credit(s, length - f.data.length);
    this.events.push({ type: "data", streamId: id, data: f.data, flowControlledLength: length, endStream: f.endStream });
    if (this.windowPolicy === "auto" && f.data.length > 0) this.credit(f.endStream ? undefined : s, f.data.length);
    if (f.endStream) this.endReceived(s);
  }

  /** END_STREAM received on `s` (after its event): content-length, state, `stream-end`. */
  private endReceived(s: Stream): void {
    // RFC 9113 §8.1.1: content-length that does not equal the DATA received makes the message malformed.
    if (s.contentLength >= 0 && s.received !== s.contentLength) {
      this.raise(contentLengthError(s.id));
      return;
    }
    const next = transitionStream(s.state, "end-stream", "recv", s.id);
    if (next instanceof Http2Error) {
      this.raise(next);
      return;
    }
    this.events.push({ type: "stream-end", streamId: s.id });
    this.setState(s, next);
  }

  /** A frame on a stream we have no record of: idle (never opened) or closed. */
  private onUnknownStream(id: number, event: StreamEvent): void {
    const local = isClientStreamId(id) === (this.role === "client");
    const idle = local ? id > this.lastLocalId : id > this.lastPeerId;
    if (idle) {
      // RFC 9113 §5.1: idle: anything but HEADERS or PRIORITY is a connection PROTOCOL_ERROR; HEADERS from the
      // wrong side (a server opening a stream, a client on a server's stream) breaks §5.1.1.
      if (event === "headers") {
        const parityError = checkPeerStreamId(id, this.role === "server" ? "client" : "server", this.lastPeerId);
        throw parityError ?? idleError(id, event);
      }
      throw idleError(id, event);
    }
    const how = this.closedStreams.get(id);
    // RFC 9113 §5.1: frames on a stream we reset are ignored (they may have been in flight).
    if (how === "reset-sent" || event === "rst-stream" || event === "window-update" || event === "priority") return;
    if (how === undefined && event === "headers" && !local) {
      // Never opened (or forgotten): a stream identifier that went backwards (RFC 9113 §5.1.1).
      const idError = checkPeerStreamId(id, this.role === "server" ? "client" : "server", this.lastPeerId);
      if (idError !== undefined) throw idError;
    }
    // RFC 9113 §5.1: HEADERS on a stream that closed normally may be a connection error of type STREAM_CLOSED;
    // we make it one (a peer reopening a finished request is confused beyond one stream). After its own
    // RST_STREAM it is a stream error.
    if (event === "headers" && how === "closed")
      throw connectionError(ErrorCode.STREAM_CLOSED, "stream_closed", `HEADERS on closed stream ${id}`);
    const error = transitionStream("closed", event, "recv", id);
    if (error instanceof Http2Error) this.raise(error);
  }

  private onStreamError(id: number, error: Http2Error): void {
    const s = this.streams.get(id);
    if (s === undefined) {
      // A stream error on a stream with no record: a new stream the peer opened is then closed (§5.1.1).
      const peerParity = isClientStreamId(id) === (this.role === "server");
      if (peerParity && id > this.lastPeerId && this.role === "server") this.lastPeerId = id;
      if (this.closedStreams.get(id) === "reset-sent") return;
    }
    this.raise(error);
  }

  private onRstStream(f: RstStreamFrame): void {
    const id = f.streamId;
    const s = this.streams.get(id);
    if (s === undefined) {
      this.onUnknownStream(id, "rst-stream");
      return;
    }
    if (s.waiting !== undefined) throw idleError(id, "rst-stream");
    // Rapid Reset (CVE-2023-44487): each stream a client cancels cost the server a request.
    if (this.role === "server" && ++this.peerResets > this.limits.maxPeerResets)
      throw limitError("rapid_reset", `The peer reset more than ${this.limits.maxPeerResets} streams`, "maxPeerResets");
    this.closeStream(s, "reset-received");
    this.events.push({
      type: "stream-reset",
      streamId: id,
      code: f.errorCode,
      codeName: errorCodeName(f.errorCode),
      local: false,
      error: undefined,
      retryable: s.local && f.errorCode === ErrorCode.REFUSED_STREAM,
    });
  }

  private onSettings(f: SettingsFrame): void {
    if (f.ack) {
      const applied = this.pendingSettings.shift();
      this.settingsStamp = undefined;
      if (applied === undefined) return; // an ACK we did not ask for: nothing to apply
      this.applyLocal(applied);
      this.events.push({ type: "settings-acknowledged", local: { ...this.local } });
      return;
    }
    if (f.settings.length > this.limits.maxSettingsEntries)
      throw limitError("settings_too_many", `SETTINGS with ${f.settings.length} entries`, "maxSettingsEntries");
    if (!this.peerSettingsSeen) {
      // Until the peer's first SETTINGS we assume 100 concurrent streams (RFC 9113 §6.5.2 recommends no less);
      // its SETTINGS then say the real limit, none meaning unlimited (the RFC's initial value).
      this.peerSettingsSeen = true;
      this.peer.maxConcurrentStreams = Number.POSITIVE_INFINITY;
    }
    for (const setting of f.settings) this.applyPeer(setting);
    this.owe({ type: FrameType.SETTINGS, streamId: 0, ack: true });
    this.events.push({ type: "settings", settings: f.settings, peer: { ...this.peer } });
  }

  private applyPeer({ id, value }: Setting): void {
    const p = this.peer;
    switch (id) {
      case SettingsId.SETTINGS_HEADER_TABLE_SIZE:
        p.headerTableSize = value;
        this.encoder.setMaxTableSize(value);
        break;
      case SettingsId.SETTINGS_ENABLE_PUSH:
        p.enablePush = value === 1;
        break;
      case SettingsId.SETTINGS_MAX_CONCURRENT_STREAMS:
        p.maxConcurrentStreams = value;
        break;
      case SettingsId.SETTINGS_INITIAL_WINDOW_SIZE:
        // RFC 9113 §6.9.2: every stream's send window moves by the difference (it may go negative).
        for (const s of this.streams.values()) s.sendWindow = adjustWindowForSettings(s.sendWindow, p.initialWindowSize, value);
        p.initialWindowSize = value;
        break;
      case SettingsId.SETTINGS_MAX_FRAME_SIZE:
        p.maxFrameSize = value;
        break;
      case SettingsId.SETTINGS_MAX_HEADER_LIST_SIZE:
        p.maxHeaderListSize = value;
        break;
      case SettingsId.SETTINGS_ENABLE_CONNECT_PROTOCOL:
        // RFC 8441 §3: a sender MUST NOT send 0 after previously sending 1.
        if (p.enableConnectProtocol && value === 0)
          throw connectionError(
            ErrorCode.PROTOCOL_ERROR,
            "settings_enable_connect_protocol_withdrawn",
            "SETTINGS_ENABLE_CONNECT_PROTOCOL went from 1 back to 0",
          );
        p.enableConnectProtocol = value === 1;
        break;
      case SettingsId.SETTINGS_NO_RFC7540_PRIORITIES:
        p.noRfc7540Priorities = value === 1;
        break;
      default:
        break; // RFC 9113 §6.5.2: unknown settings are ignored
    }
  }

  private onPing(f: PingFrame): void {
    if (f.ack) {
      if (this.shutdownPingPending && equalBytes(f.opaqueData, SHUTDOWN_PING)) {
        this.shutdownPingPending = false;
        this.sendFinalGoaway();
        this.checkDone();
        return;
      }
      this.events.push({ type: "pong", opaqueData: f.opaqueData });
      return;
    }
    this.owe({ type: FrameType.PING, streamId: 0, ack: true, opaqueData: f.opaqueData });
    this.events.push({ type: "ping", opaqueData: f.opaqueData });
  }

  private onGoaway(f: GoawayFrame): void {
    const last = Math.min(f.lastStreamId, this.goawayReceived ?? MAX_STREAM_ID);
    this.goawayReceived = last;
    this.events.push({
      type: "goaway",
      lastStreamId: f.lastStreamId,
      errorCode: f.errorCode,
      codeName: errorCodeName(f.errorCode),
      debugData: f.debugData,
    });
    // RFC 9113 §6.8: streams we opened above the last stream id were not processed, and no new stream may be
    // opened (requests still waiting for a slot included): safe to retry on a new connection.
    this.waitQueue.length = 0;
    for (const s of [...this.streams.values()]) {
      if (!s.local || (s.id <= last && s.waiting === undefined)) continue;
      this.closeStream(s, "closed");
      this.events.push({
        type: "stream-reset",
        streamId: s.id,
        code: ErrorCode.REFUSED_STREAM,
        codeName: errorCodeName(ErrorCode.REFUSED_STREAM),
        local: false,
        error: undefined,
        retryable: true,
      });
    }
    if (f.errorCode !== ErrorCode.NO_ERROR) {
      this.end(f.errorCode, "goaway_received", undefined, false);
      return;
    }
    this.checkDone();
  }

  private onWindowUpdate(f: WindowUpdateFrame): void {
    const id = f.streamId;
    // Data dribble (CVE-2019-9511): WINDOW_UPDATEs are answered with DATA frames; bound them by what we send.
    const allowed = 100 + this.limits.maxWindowUpdatesPerDataFrame * this.dataFramesSent + 2 * this.streamsOpened;
    if (++this.windowUpdates > allowed)
      throw limitError(
        "window_update_flood",
        `${this.windowUpdates} WINDOW_UPDATE frames for ${this.dataFramesSent} DATA frames sent`,
        "maxWindowUpdatesPerDataFrame",
      );
    if (id === 0) {
      this.connSendWindow = increaseWindow(this.connSendWindow, f.windowSizeIncrement, 0);
      this.events.push({ type: "window-update", streamId: 0, increment: f.windowSizeIncrement, window: this.connSendWindow });
      return;
    }
    const s = this.streams.get(id);
    if (s === undefined) {
      this.onUnknownStream(id, "window-update");
      return;
    }
    if (s.waiting !== undefined) throw idleError(id, "window-update");
    const next = transitionStream(s.state, "window-update", "recv", id);
    if (next instanceof Http2Error) {
      this.raise(next);
      return;
    }
    let window: number;
    try {
      window = increaseWindow(s.sendWindow, f.windowSizeIncrement, id);
    } catch (e) {
      if (!(e instanceof Http2Error)) throw e;
      this.raise(e);
      return;
    }
    s.sendWindow = window;
    this.events.push({ type: "window-update", streamId: id, increment: f.windowSizeIncrement, window });
  }

  private onPriorityUpdate(f: PriorityUpdateFrame): void {
    // RFC 9218 §7.1: passed through; no state is kept, so a flood of them costs nothing but the events.
    this.events.push({
      type: "priority-update",
      prioritizedStreamId: f.prioritizedStreamId,
      priorityFieldValue: f.priorityFieldValue,
      priority: parsePriority(f.priorityFieldValue),
    });
  }

  private onAltsvc(f: AltsvcFrame): void {
    // RFC 7838 §4: a server ignores ALTSVC; a client ignores one on stream 0 without an origin or on a stream with one.
    if (this.role !== "client") return;
    if ((f.streamId === 0) !== f.origin.length > 0) return;
    this.events.push({ type: "altsvc", streamId: f.streamId, origin: f.origin, fieldValue: f.fieldValue });
  }

  private onOrigin(f: OriginFrame): void {
    // RFC 8336 §2.1: ignored on a stream other than 0, with flags, or by a server.
    if (this.role !== "client" || f.streamId !== 0 || f.flags !== 0) return;
    this.events.push({ type: "origin", origins: f.origins });
  }

  // ---------------------------------------------------------------- errors

  /** Answers a protocol error by its scope: RST_STREAM for a stream error, GOAWAY for a connection error. */
  private raise(error: Http2Error): void {
    if (error.scope === "connection") throw error;
    const id = Number(error.streamId);
    // MadeYouReset (CVE-2025-8671) and the reset flood (CVE-2019-9514): resets the peer provokes are bounded.
    if (++this.provokedResets > this.limits.maxProvokedResets)
      throw limitError(
        "provoked_reset_flood",
        `The peer provoked more than ${this.limits.maxProvokedResets} stream resets`,
        "maxProvokedResets",
      );
    this.owe({ type: FrameType.RST_STREAM, streamId: id, errorCode: error.code });
    const s = this.streams.get(id);
    if (s !== undefined) this.closeStream(s, "reset-sent");
    else this.rememberClosed(id, "reset-sent");
    this.events.push({
      type: "stream-reset",
      streamId: id,
      code: error.code,
      codeName: error.codeName,
      local: true,
      error,
      retryable: false,
    });
  }

  /** Runs a message check; a stream error is raised and `undefined` returned. */
  private checked<T>(check: () => T): T | undefined {
    try {
      return check();
    } catch (e) {
      if (!(e instanceof Http2Error)) throw e;
      this.raise(e);
      return undefined;
    }
  }

  /** The content-length of received fields, -1 when absent, `undefined` when invalid (stream error raised). */
  private contentLength(fields: readonly DecodedHeaderField[], id: number): number | undefined {
    let length = -1;
    for (const f of fields) {
      if (f.name !== "content-length") continue;
      // RFC 9110 §8.6: 1*DIGIT; several equal values may be folded (RFC 9110 §8.6 allows treating them as one).
      if (!/^[0-9]{1,15}$/.test(f.value) || (length >= 0 && Number(f.value) !== length)) {
        this.raise(streamError(ErrorCode.PROTOCOL_ERROR, id, "content_length_invalid", "Malformed message: invalid content-length"));
        return undefined;
      }
      length = Number(f.value);
    }
    return length;
  }

  /** Ends the connection for a connection error: GOAWAY with its code, then the events. */
  private fail(error: Http2Error, limit: string | undefined): void {
    if (this.ended) return;
    this.out.push(
      encodeFrame({
        type: FrameType.GOAWAY,
        streamId: 0,
        lastStreamId: this.lastPeerId,
        errorCode: error.code,
        debugData: ASCII(error.reason),
      }),
    );
    const named = limit ?? LIMITS.get(error);
    this.events.push({ type: "connection-error", error, limit: named });
    this.end(error.code, error.reason, named, true);
  }

  private end(code: number, reason: string, limit: string | undefined, local: boolean): void {
    this.ended = true;
    this.streams.clear();
    this.sendable.clear();
    this.waitQueue.length = 0;
    this.closedStreams.clear();
    this.bufferedBytes = 0;
    this.events.push({ type: "terminated", code, codeName: errorCodeName(code), reason, limit, local });
  }

  /** A graceful shutdown is over when no stream is left. */
  private checkDone(): void {
    if (this.ended || this.streams.size > 0) return;
    // The receiver of a graceful GOAWAY waits for the second one (its PING round trip) before closing.
    if ((this.goawayReceived !== undefined && this.goawayReceived < MAX_STREAM_ID) || this.goawayFinal)
      this.end(ErrorCode.NO_ERROR, "shutdown", undefined, this.goawaySent !== undefined);
  }

  // ---------------------------------------------------------------- sending

  private emit(frame: FrameInit): void {
    this.out.push(encodeFrame(frame));
  }

  /** Queues a frame we owe the peer (an ACK, a RST_STREAM): bounded while not taken (ping, settings, reset floods). */
  private owe(frame: FrameInit): void {
    if (++this.controlQueued > this.limits.maxQueuedControlFrames)
      throw limitError(
        "control_frame_flood",
        `More than ${this.limits.maxQueuedControlFrames} control frames owed to the peer wait to be written`,
        "maxQueuedControlFrames",
      );
    this.emit(frame);
  }

  private sendFinalGoaway(): void {
    this.goawaySent = this.lastPeerId;
    this.goawayFinal = true;
    this.emit({ type: FrameType.GOAWAY, streamId: 0, lastStreamId: this.lastPeerId, errorCode: ErrorCode.NO_ERROR });
  }

  private sendHeaders(s: Stream, fields: readonly OutgoingField[], endStream: boolean): void {
    let next = transitionStream(s.state, "headers", "send", s.id);
    if (!(next instanceof Http2Error) && endStream) next = transitionStream(next, "end-stream", "send", s.id);
    if (next instanceof Http2Error) throw new RangeError(`${OWNER}: ${next.message}`);
    const block = this.encoder.encode(fields);
    for (const f of fieldBlockFrames({ streamId: s.id, block, endStream, maxFrameSize: this.peer.maxFrameSize }))
      this.out.push(encodeFrame(f));
    if (endStream) s.endQueued = true;
    this.setState(s, next);
  }

  /** The stream a send method acts on; `undefined` when it is closed; RangeError when it never existed or cannot send. */
  private sendingStream(streamId: number): Stream | undefined {
    if (!Number.isInteger(streamId) || streamId < 1 || streamId > MAX_STREAM_ID)
      throw new RangeError(`${OWNER}: invalid stream identifier ${String(streamId)}`);
    if (this.ended) return undefined;
    const s = this.streams.get(streamId);
    if (s === undefined) {
      const local = isClientStreamId(streamId) === (this.role === "client");
      if (streamId <= (local ? this.lastLocalId : this.lastPeerId) || (local && streamId < this.nextLocalId)) return undefined;
      throw new RangeError(`${OWNER}: stream ${streamId} does not exist`);
    }
    if (s.endQueued) throw new RangeError(`${OWNER}: stream ${streamId} already ended (END_STREAM sent or queued)`);
    return s;
  }

  /** Sends what the windows and MAX_CONCURRENT_STREAMS allow. */
  private flush(): void {
    if (this.flushing || this.ended) return;
    this.flushing = true;
    try {
      while (this.waitQueue.length > 0 && this.localActive < this.peer.maxConcurrentStreams) {
        const s = this.waitQueue.shift() as Stream;
        const fields = (s.waiting as NonNullable<Stream["waiting"]>).fields;
        const wantEnd = s.endQueued;
        s.waiting = undefined;
        s.endQueued = false;
        this.lastLocalId = s.id;
        this.streamsOpened++;
        const headersEnd = wantEnd && s.queued === 0 && s.trailers === undefined;
        this.sendHeaders(s, fields, headersEnd);
        s.endQueued = wantEnd;
        if (headersEnd) this.sendable.delete(s); // END_STREAM went with the HEADERS
      }
      let progress = true;
      while (progress && this.sendable.size > 0) {
        progress = false;
        for (const s of this.sendable) if (this.sendOne(s)) progress = true;
      }
    } finally {
      this.flushing = false;
    }
    this.checkDone();
  }

  /** Sends one frame of `s`'s queue (or its trailers / END_STREAM); false when its windows are shut. */
  private sendOne(s: Stream): boolean {
    if (s.waiting !== undefined) return false;
    if (s.state === "half-closed-local" || s.state === "closed") {
      this.sendable.delete(s); // our END_STREAM is already out
      return false;
    }
    if (s.queued === 0) {
      this.sendable.delete(s);
      if (!s.endQueued) return false;
      if (s.trailers !== undefined) {
        const trailers = s.trailers;
        s.trailers = undefined;
        this.sendHeaders(s, trailers, true);
      } else {
        writeDataFrames(this.out, s.id, EMPTY, 0, 0, 1, true);
        this.dataFramesSent++;
        this.sentEnd(s);
      }
      return true;
    }
    const chunk = s.queue[0] as Uint8Array;
    const n = Math.min(chunk.length - s.head, s.sendWindow, this.connSendWindow, this.peer.maxFrameSize);
    if (n <= 0) return false;
    const last = n === s.queued;
    const end = last && s.endQueued && s.trailers === undefined;
    writeDataFrames(this.out, s.id, chunk, s.head, s.head + n, n, end);
    this.dataFramesSent++;
    s.head += n;
    if (s.head === chunk.length) {
      s.queue.shift();
      s.head = 0;
    }
    s.queued -= n;
    s.sendWindow -= n;
    this.connSendWindow -= n;
    this.bufferedBytes -= n;
    this.outputDataBytes += n;
    if (last && !s.endQueued) this.sendable.delete(s);
    if (end) {
      this.sendable.delete(s);
      this.sentEnd(s);
    }
    return true;
  }

  private sentEnd(s: Stream): void {
    const next = transitionStream(s.state, "end-stream", "send", s.id);
    if (!(next instanceof Http2Error)) this.setState(s, next);
  }

  /** Gives received octets back to the peer: WINDOW_UPDATE once half a window was consumed. */
  private credit(s: Stream | undefined, length: number): void {
    this.connUnacked += length;
    if (this.connUnacked >= this.connWindowTarget / 2) {
      const increment = Math.min(this.connUnacked, MAX_WINDOW_SIZE - this.connRecvWindow);
      if (increment > 0) {
        this.connRecvWindow += increment;
        this.emit({ type: FrameType.WINDOW_UPDATE, streamId: 0, windowSizeIncrement: increment });
      }
      this.connUnacked = 0;
    }
    if (s === undefined || (s.state !== "open" && s.state !== "half-closed-local")) return;
    s.unacked += length;
    const target = Math.max(this.localSent.initialWindowSize, 1);
    if (s.unacked >= target / 2) {
      const increment = Math.min(s.unacked, MAX_WINDOW_SIZE - s.recvWindow);
      if (increment > 0) {
        s.recvWindow += increment;
        this.emit({ type: FrameType.WINDOW_UPDATE, streamId: s.id, windowSizeIncrement: increment });
      }
      s.unacked = 0;
    }
  }

  // ---------------------------------------------------------------- settings

  /** Validates settings given by the caller; returns them as a partial state. */
  private checkSettings(s: Http2LocalSettings, initial: boolean): Partial<SettingsState> {
    const r: Partial<SettingsState> = {};
    const u32 = 0xffff_ffff;
    if (s.headerTableSize !== undefined) r.headerTableSize = integerOption(OWNER, "headerTableSize", s.headerTableSize, 0, 0, u32);
    if (s.enablePush !== undefined) {
      r.enablePush = booleanOption(OWNER, "enablePush", s.enablePush, false);
      if (this.role === "server") throw new RangeError(`${OWNER}: enablePush is a client setting`);
    }
    if (s.maxConcurrentStreams !== undefined)
      r.maxConcurrentStreams = integerOption(OWNER, "maxConcurrentStreams", s.maxConcurrentStreams, 0, 0, u32);
    if (s.initialWindowSize !== undefined)
      r.initialWindowSize = integerOption(OWNER, "initialWindowSize", s.initialWindowSize, 0, 0, MAX_WINDOW_SIZE);
    if (s.maxFrameSize !== undefined)
      r.maxFrameSize = integerOption(OWNER, "maxFrameSize", s.maxFrameSize, 0, DEFAULT_MAX_FRAME_SIZE, MAX_MAX_FRAME_SIZE);
    if (s.maxHeaderListSize !== undefined) {
      r.maxHeaderListSize = integerOption(OWNER, "maxHeaderListSize", s.maxHeaderListSize, 0, 0, u32);
      if (!initial && r.maxHeaderListSize > this.localSent.maxHeaderListSize)
        throw new RangeError(`${OWNER}: maxHeaderListSize cannot grow after construction`);
    }
    if (s.enableConnectProtocol !== undefined) {
      r.enableConnectProtocol = booleanOption(OWNER, "enableConnectProtocol", s.enableConnectProtocol, false);
      if (this.role === "client") throw new RangeError(`${OWNER}: enableConnectProtocol is a server setting`);
      if (!initial && this.localSent.enableConnectProtocol && !r.enableConnectProtocol)
        throw new RangeError(`${OWNER}: enableConnectProtocol cannot go back to false (RFC 8441 §3)`);
    }
    if (s.noRfc7540Priorities !== undefined)
      r.noRfc7540Priorities = booleanOption(OWNER, "noRfc7540Priorities", s.noRfc7540Priorities, false);
    return r;
  }

  /** Sends SETTINGS with `changes`; what the peer may use at once (larger sizes) is applied at once. */
  private sendSettings(changes: Partial<SettingsState>): void {
    const settings: Setting[] = [];
    const add = (id: number, v: number | boolean | undefined): void => {
      if (v !== undefined) settings.push({ id, value: typeof v === "boolean" ? (v ? 1 : 0) : v });
    };
    add(SettingsId.SETTINGS_HEADER_TABLE_SIZE, changes.headerTableSize);
    add(SettingsId.SETTINGS_ENABLE_PUSH, changes.enablePush);
    add(SettingsId.SETTINGS_MAX_CONCURRENT_STREAMS, changes.maxConcurrentStreams);
    add(SettingsId.SETTINGS_INITIAL_WINDOW_SIZE, changes.initialWindowSize);
    add(SettingsId.SETTINGS_MAX_FRAME_SIZE, changes.maxFrameSize);
    add(SettingsId.SETTINGS_MAX_HEADER_LIST_SIZE, changes.maxHeaderListSize);
    add(SettingsId.SETTINGS_ENABLE_CONNECT_PROTOCOL, changes.enableConnectProtocol);
    add(SettingsId.SETTINGS_NO_RFC7540_PRIORITIES, changes.noRfc7540Priorities);
    this.emit({ type: FrameType.SETTINGS, streamId: 0, settings });
    this.pendingSettings.push(changes);
    const sent = this.localSent;
    if (changes.initialWindowSize !== undefined && changes.initialWindowSize > sent.initialWindowSize) {
      const delta = changes.initialWindowSize - sent.initialWindowSize;
      for (const s of this.streams.values()) s.recvWindow += delta;
    }
    if (changes.maxFrameSize !== undefined && changes.maxFrameSize > sent.maxFrameSize) this.decoder.setMaxFrameSize(changes.maxFrameSize);
    if (changes.headerTableSize !== undefined && changes.headerTableSize > sent.headerTableSize)
      this.hpackDecoder.setMaxTableSize(changes.headerTableSize);
    Object.assign(sent, changes);
  }

  /** Our SETTINGS were acknowledged: what only applies then (smaller sizes) applies now. */
  private applyLocal(changes: Partial<SettingsState>): void {
    const l = this.local;
    if (changes.initialWindowSize !== undefined && changes.initialWindowSize < l.initialWindowSize) {
      const delta = changes.initialWindowSize - l.initialWindowSize;
      for (const s of this.streams.values()) s.recvWindow += delta;
    }
    if (changes.maxFrameSize !== undefined && changes.maxFrameSize < l.maxFrameSize) this.decoder.setMaxFrameSize(changes.maxFrameSize);
    if (changes.headerTableSize !== undefined && changes.headerTableSize < l.headerTableSize)
      this.hpackDecoder.setMaxTableSize(changes.headerTableSize);
    Object.assign(l, changes);
  }

  // ---------------------------------------------------------------- streams

  private newStream(id: number, local: boolean, state: StreamState): Stream {
    return {
      id,
      state,
      local,
      sendWindow: this.peer.initialWindowSize,
      recvWindow: Math.max(this.local.initialWindowSize, this.localSent.initialWindowSize),
      unacked: 0,
      queue: [],
      head: 0,
      queued: 0,
      endQueued: false,
      trailers: undefined,
      waiting: undefined,
      phase: local ? Phase.Headers : Phase.Body,
      contentLength: -1,
      received: 0,
      method: undefined,
      finalSent: false,
    };
  }

  /** Moves a stream to `next`, keeping the concurrency counts; a closed stream is forgotten (and remembered as closed). */
  private setState(s: Stream, next: StreamState): void {
    const was = isActive(s.state);
    const now = isActive(next);
    if (was !== now) {
      const d = now ? 1 : -1;
      if (s.local) this.localActive += d;
      else this.peerActive += d;
    }
    s.state = next;
    if (next === "closed") {
      // A stream that completed normally earns back one unit of the reset budgets.
      if (this.peerResets > 0) this.peerResets--;
      if (this.provokedResets > 0) this.provokedResets--;
      this.closeStream(s, "closed");
    }
  }

  private closeStream(s: Stream, how: ClosedHow): void {
    if (s.state !== "closed") {
      if (isActive(s.state)) {
        if (s.local) this.localActive--;
        else this.peerActive--;
      }
      s.state = "closed";
    }
    if (!this.streams.delete(s.id)) return;
    this.sendable.delete(s);
    this.bufferedBytes -= s.queued;
    s.queue = [];
    s.queued = 0;
    this.rememberClosed(s.id, how);
  }

  private rememberClosed(id: number, how: ClosedHow): void {
    const memory = this.closedStreams;
    memory.delete(id);
    memory.set(id, how);
    if (memory.size > this.limits.maxClosedStreams) memory.delete(memory.keys().next().value as number);
  }
}

const EMPTY = new Uint8Array(0);

/** RFC 9113 §6.5.2: the size of a field list, name + value + 32 per field. */
function listSize(fields: readonly DecodedHeaderField[]): number {
  let n = 0;
  for (const f of fields) n += f.name.length + f.value.length + 32;
  return n;
}

function isActive(state: StreamState): boolean {
  return state === "open" || state === "half-closed-local" || state === "half-closed-remote";
}

/** RFC 9113 §5.1: idle: receiving anything but HEADERS or PRIORITY is a connection PROTOCOL_ERROR. */
function idleError(id: number, event: StreamEvent): Http2Error {
  return connectionError(ErrorCode.PROTOCOL_ERROR, "stream_idle", `Received ${event} on idle stream ${id}`);
}

function contentLengthError(id: number): Http2Error {
  return streamError(
    ErrorCode.PROTOCOL_ERROR,
    id,
    "content_length_mismatch",
    "Malformed message: content-length does not match the DATA received",
  );
}

/** ENHANCE_YOUR_CALM for a breached limit, carrying the limit's name. */
function limitError(reason: string, message: string, limit: string): Http2Error {
  const error = connectionError(ErrorCode.ENHANCE_YOUR_CALM, reason, message);
  LIMITS.set(error, limit);
  return error;
}

/** The limit each ENHANCE_YOUR_CALM error of ours stands for. */
const LIMITS = new WeakMap<Http2Error, string>();

/** Runs a validation of the caller's own fields: its Http2Error becomes a TypeError (a caller's mistake). */
function callerCheck<T>(check: () => T): T {
  try {
    return check();
  } catch (e) {
    if (e instanceof Http2Error) throw new TypeError(`${OWNER}: ${e.message} (${e.reason})`);
    throw e;
  }
}
