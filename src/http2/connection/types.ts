/**
 * Options, limits and events of {@link Http2Connection}.
 * @module
 */
import type { Http2Error } from "../errors.js";
import type { Setting } from "../frame.js";
import type { DecodedHeaderField } from "../frame-decoder.js";
import type { RequestPseudoHeaders } from "../message.js";
import type { Priority } from "../priority.js";

/** A header field to send: a Latin-1 name and value; `sensitive` sends it never-indexed (RFC 7541 §7.1.3). */
export interface OutgoingField {
  readonly name: string;
  readonly value: string;
  readonly sensitive?: boolean;
}

/**
 * Our SETTINGS (RFC 9113 §6.5.2, RFC 8441 §3, RFC 9218 §2.1). Values given
 * here are sent in the first SETTINGS frame; omitted ones take the defaults
 * below (sent only when they differ from the RFC's initial value).
 */
export interface Http2LocalSettings {
  /** SETTINGS_HEADER_TABLE_SIZE: our HPACK decoder's table. Default 4096. */
  readonly headerTableSize?: number;
  /** SETTINGS_ENABLE_PUSH (client only): default false, so a PUSH_PROMISE is a connection PROTOCOL_ERROR. */
  readonly enablePush?: boolean;
  /** SETTINGS_MAX_CONCURRENT_STREAMS the peer may open. Default 100. */
  readonly maxConcurrentStreams?: number;
  /** SETTINGS_INITIAL_WINDOW_SIZE of every stream we receive on. Default 65535. */
  readonly initialWindowSize?: number;
  /** SETTINGS_MAX_FRAME_SIZE we accept. Default 16384. */
  readonly maxFrameSize?: number;
  /** SETTINGS_MAX_HEADER_LIST_SIZE we accept (RFC 9113 §6.5.2 counting). Default 65536. */
  readonly maxHeaderListSize?: number;
  /** SETTINGS_ENABLE_CONNECT_PROTOCOL (server only, RFC 8441): accept extended CONNECT. Default false. */
  readonly enableConnectProtocol?: boolean;
  /** SETTINGS_NO_RFC7540_PRIORITIES (RFC 9218 §2.1). Default: not sent. */
  readonly noRfc7540Priorities?: boolean;
}

/** The settings in effect, ours (as acknowledged) or the peer's (as received). */
export interface Http2SettingsSnapshot {
  readonly headerTableSize: number;
  readonly enablePush: boolean;
  /** `Infinity` until the peer sets it. */
  readonly maxConcurrentStreams: number;
  readonly initialWindowSize: number;
  readonly maxFrameSize: number;
  /** `Infinity` until the peer sets it. */
  readonly maxHeaderListSize: number;
  readonly enableConnectProtocol: boolean;
  readonly noRfc7540Priorities: boolean;
}

/**
 * The limits against hostile peers. Each one breached ends the connection
 * with GOAWAY (ENHANCE_YOUR_CALM unless noted) and a `connection-error`
 * event whose `limit` is the option's name. See docs/http2.md, "Limits".
 */
export interface Http2ConnectionLimits {
  /** Largest field block (HEADERS + CONTINUATION octets). Default 65536 (FrameDecoder's). */
  readonly maxFieldBlockSize?: number;
  /** Most CONTINUATION frames per field block (CVE-2024-27316). Default 32. */
  readonly maxContinuationFrames?: number;
  /**
   * Rapid Reset (CVE-2023-44487): streams the peer reset before they ended,
   * minus streams that completed normally (never below 0). Default 1000.
   */
  readonly maxPeerResets?: number;
  /**
   * MadeYouReset (CVE-2025-8671) and the reset flood (CVE-2019-9514): streams
   * we reset because the peer broke a stream rule or went over
   * MAX_CONCURRENT_STREAMS, minus streams that completed normally. Default 1000.
   */
  readonly maxProvokedResets?: number;
  /**
   * Ping, settings and reset floods (CVE-2019-9512, -9515, -9514): control
   * frames we owe the peer (PING and SETTINGS acknowledgments, RST_STREAM)
   * queued and not yet taken with `takeOutput`. Default 1000 (nghttp2's
   * max_outbound_ack).
   */
  readonly maxQueuedControlFrames?: number;
  /** Empty frames flood (CVE-2019-9518): consecutive DATA, HEADERS or CONTINUATION frames without payload or END_STREAM. Default 100. */
  readonly maxConsecutiveEmptyFrames?: number;
  /**
   * Data dribble (CVE-2019-9511): WINDOW_UPDATE frames received may not pass
   * 100 + 10 per DATA frame we sent + 2 per stream. Default ratio 10.
   */
  readonly maxWindowUpdatesPerDataFrame?: number;
  /** Settings flood: entries in one SETTINGS frame. Default 32 (nghttp2's). */
  readonly maxSettingsEntries?: number;
  /**
   * Internal data buffering and zero-window pinning (CVE-2019-9517): octets of
   * DATA payload held by the connection (waiting for a window, or in output
   * not yet taken). `sendData` accepts no more. Default 1 MiB.
   */
  readonly maxBufferedSendBytes?: number;
  /** Closed streams remembered, to tell "closed" (STREAM_CLOSED) from "never opened". Default 1000. */
  readonly maxClosedStreams?: number;
  /** Streams a client's `request` may queue while MAX_CONCURRENT_STREAMS is reached. Default 10000. */
  readonly maxQueuedRequests?: number;
  /** Milliseconds the peer has to acknowledge our SETTINGS (RFC 9113 §6.5.3) before SETTINGS_TIMEOUT. Default 10000. */
  readonly settingsTimeoutMs?: number;
}

/**
 * When received DATA is given back to the peer as WINDOW_UPDATE:
 * `"auto"` (default) as soon as the `data` event is returned, `"manual"`
 * only when the caller calls {@link Http2Connection.consume}. Either way a
 * WINDOW_UPDATE goes out once half of the window was consumed.
 */
export type WindowUpdatePolicy = "auto" | "manual";

/** Options of {@link Http2Connection}. */
export interface Http2ConnectionOptions {
  readonly role: "client" | "server";
  readonly settings?: Http2LocalSettings;
  readonly limits?: Http2ConnectionLimits;
  readonly windowUpdate?: WindowUpdatePolicy;
  /** The connection-level receive window we keep open (sent as a WINDOW_UPDATE on stream 0 at the start). Default 1 MiB. */
  readonly connectionWindowSize?: number;
}

/** Options of `request`, `respond` and `sendData`. */
export interface SendOptions {
  /** END_STREAM: this is the last frame we send on the stream. Default false. */
  readonly endStream?: boolean;
}

/** Request headers received (server) on a new stream. */
export interface RequestEvent {
  readonly type: "request";
  readonly streamId: number;
  readonly fields: readonly DecodedHeaderField[];
  readonly pseudo: RequestPseudoHeaders;
  /** The RFC 9218 `priority` field, parsed, when present. */
  readonly priority: Priority | undefined;
  readonly endStream: boolean;
}

/** Response headers received (client), informational (1xx) or final. */
export interface ResponseEvent {
  readonly type: "response";
  readonly streamId: number;
  readonly fields: readonly DecodedHeaderField[];
  readonly status: number;
  readonly endStream: boolean;
}

/** DATA received. `data` is a view of the bytes given to `receive` (or of a frame buffer): copy it to keep it past them. */
export interface DataEvent {
  readonly type: "data";
  readonly streamId: number;
  readonly data: Uint8Array;
  /** Octets that counted against the windows (data plus padding): what `consume` takes back in manual mode. */
  readonly flowControlledLength: number;
  readonly endStream: boolean;
}

/** Trailers received (always with END_STREAM). */
export interface TrailersEvent {
  readonly type: "trailers";
  readonly streamId: number;
  readonly fields: readonly DecodedHeaderField[];
}

/** The peer finished sending on the stream (END_STREAM), after the event that carried it. */
export interface StreamEndEvent {
  readonly type: "stream-end";
  readonly streamId: number;
}

/** A stream ended abruptly: the peer sent RST_STREAM (`local: false`), or we did because the peer broke a stream rule. */
export interface StreamResetEvent {
  readonly type: "stream-reset";
  readonly streamId: number;
  readonly code: number;
  readonly codeName: string;
  readonly local: boolean;
  /** For `local`: the rule the peer broke. */
  readonly error: Http2Error | undefined;
  /** A request of ours the peer never processed (REFUSED_STREAM, or above a GOAWAY's last stream id): safe to retry. */
  readonly retryable: boolean;
}

/** The peer's SETTINGS arrived and were applied; the ACK is queued. */
export interface SettingsEvent {
  readonly type: "settings";
  readonly settings: readonly Setting[];
  readonly peer: Http2SettingsSnapshot;
}

/** The peer acknowledged our SETTINGS; they are now applied. */
export interface SettingsAcknowledgedEvent {
  readonly type: "settings-acknowledged";
  readonly local: Http2SettingsSnapshot;
}

/** A PING from the peer (the ACK is queued) or the ACK of ours (`pong`). */
export interface PingEvent {
  readonly type: "ping" | "pong";
  readonly opaqueData: Uint8Array;
}

/** The peer's GOAWAY. */
export interface GoawayEvent {
  readonly type: "goaway";
  readonly lastStreamId: number;
  readonly errorCode: number;
  readonly codeName: string;
  readonly debugData: Uint8Array;
}

/** An RFC 9218 PRIORITY_UPDATE (server). */
export interface PriorityUpdateEvent {
  readonly type: "priority-update";
  readonly prioritizedStreamId: number;
  readonly priorityFieldValue: string;
  readonly priority: Priority;
}

/** Our send window grew (`streamId` 0: the connection's): blocked data may go now. */
export interface WindowUpdateEvent {
  readonly type: "window-update";
  readonly streamId: number;
  readonly increment: number;
  /** The send window after the update. */
  readonly window: number;
}

/** A server push (client with `enablePush`): the promised request. */
export interface PushPromiseEvent {
  readonly type: "push-promise";
  readonly streamId: number;
  readonly promisedStreamId: number;
  readonly fields: readonly DecodedHeaderField[];
  readonly pseudo: RequestPseudoHeaders;
}

/** An ALTSVC frame (RFC 7838), passed through as received (client). */
export interface AltsvcEvent {
  readonly type: "altsvc";
  readonly streamId: number;
  readonly origin: string;
  readonly fieldValue: string;
}

/** An ORIGIN frame (RFC 8336) on stream 0 (client). */
export interface OriginEvent {
  readonly type: "origin";
  readonly origins: readonly string[];
}

/** We detected a connection error: GOAWAY with `error.code` is queued; `limit` names the limit breached, if one was. */
export interface ConnectionErrorEvent {
  readonly type: "connection-error";
  readonly error: Http2Error;
  readonly limit: string | undefined;
}

/**
 * The connection is over: after a connection error (ours or the peer's
 * GOAWAY with an error), or when a graceful shutdown finished. Write what
 * `takeOutput` still gives, then close the transport.
 */
export interface TerminatedEvent {
  readonly type: "terminated";
  readonly code: number;
  readonly codeName: string;
  readonly reason: string;
  readonly limit: string | undefined;
  /** We ended it (true) or the peer did. */
  readonly local: boolean;
}

/** Everything `receive` (and `checkTimeouts`, `takeEvents`) returns, discriminated by `type`. */
export type Http2ConnectionEvent =
  | RequestEvent
  | ResponseEvent
  | DataEvent
  | TrailersEvent
  | StreamEndEvent
  | StreamResetEvent
  | SettingsEvent
  | SettingsAcknowledgedEvent
  | PingEvent
  | GoawayEvent
  | PriorityUpdateEvent
  | WindowUpdateEvent
  | PushPromiseEvent
  | AltsvcEvent
  | OriginEvent
  | ConnectionErrorEvent
  | TerminatedEvent;
