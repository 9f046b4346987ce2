/**
 * The events a QUIC connection in a capture produces (they join
 * {@link CaptureEvent}). Connection numbers are shared with TCP connections.
 */
import type { Http3Frame } from "../../http3/index.js";
import type { QuicFrame } from "../../quic/frames/types.js";
import type { TransportParameters } from "../../quic/transport-parameters.js";
import type { CaptureHeaderField } from "../events.js";
import type { Direction, Endpoint } from "../tcp.js";

/** What is known about a QUIC connection's handshake. */
export interface QuicInfo {
  /** The QUIC version of the client's first Initial (e.g. 1, 0x6b3343cf). */
  readonly version: number;
  /** Its name: "1", "2", "draft-29", "0x...". */
  readonly versionName: string;
  /** The Destination Connection ID of the client's first Initial, hex (the Initial keys come from it). */
  readonly originalDcid: string;
  readonly serverName?: string;
  readonly alpnOffered: readonly string[];
  /** The ALPN protocol the server chose (from EncryptedExtensions; needs the handshake keys). */
  readonly alpn?: string;
  /** The TLS client random, hex: the key to look for in a key log. */
  readonly clientRandom?: string;
  readonly cipherSuite?: number;
  readonly cipherSuiteName?: string;
  /** QUIC versions the client offers (version_information transport parameter, RFC 9368), when it sends one. */
  readonly offeredVersions?: readonly number[];
  /** The client's transport parameters (RFC 9000 §18) from the ClientHello. */
  readonly transportParameters?: TransportParameters;
}

/** A QUIC connection seen for the first time (its client Initial). */
export interface QuicOpenEvent {
  readonly type: "quic-open";
  readonly connection: number;
  readonly client: Endpoint;
  readonly server: Endpoint;
  readonly time: number;
  readonly info: QuicInfo;
}

/** The server's half of the handshake was read: cipher suite (ServerHello) and ALPN (EncryptedExtensions). */
export interface QuicHandshakeEvent {
  readonly type: "quic-handshake";
  readonly connection: number;
  readonly time: number;
  readonly info: QuicInfo;
}

/** Why packets of a QUIC connection cannot be read. */
export type QuicUndecryptableReason = "no-keys" | "wrong-keys" | "unsupported-version" | "unsupported-cipher-suite";

/** Packets of this connection cannot be decrypted (once per connection and reason). */
export interface QuicUndecryptableEvent {
  readonly type: "quic-undecryptable";
  readonly connection: number;
  readonly time: number;
  readonly reason: QuicUndecryptableReason;
  /** The encryption level whose keys are missing or wrong. */
  readonly level?: QuicPacketType;
  readonly info: QuicInfo;
}

/** QUIC packet types (RFC 9000 §17), the same names for every version. */
export type QuicPacketType = "initial" | "0-rtt" | "handshake" | "retry" | "version-negotiation" | "unknown-version" | "1-rtt";

/** One QUIC packet (decrypted when the keys were there), with its frames. */
export interface QuicPacketEvent {
  readonly type: "quic-packet";
  readonly connection: number;
  readonly direction: Direction;
  readonly time: number;
  readonly packetType: QuicPacketType;
  readonly version?: number;
  /** Destination Connection ID, hex. */
  readonly dcid: string;
  /** Source Connection ID (long headers), hex. */
  readonly scid?: string;
  /** The full packet number (absent for Retry, Version Negotiation and undecryptable packets). */
  readonly packetNumber?: number;
  /** Bytes of the packet, header and AEAD tag included. */
  readonly length: number;
  /** 1-RTT: the Key Phase bit. */
  readonly keyPhase?: 0 | 1;
  /** The transport frames; absent when the packet could not be decrypted. */
  readonly frames?: readonly QuicFrame[];
  /** Version Negotiation: the versions the server lists. */
  readonly versions?: readonly number[];
  /** Retry: whether the integrity tag (RFC 9001 §5.8) verified. */
  readonly retryTagValid?: boolean;
}

/** A stream's end: all data up to FIN, a RESET_STREAM, or bytes the capture does not hold. */
export interface QuicStreamEvent {
  readonly type: "quic-stream";
  readonly connection: number;
  readonly direction: Direction;
  readonly time: number;
  readonly streamId: number;
  readonly event: "fin" | "reset" | "gap";
  /** RESET_STREAM: the application error code. */
  readonly errorCode?: number;
  /** gap: the first missing offset and how many bytes are missing. */
  readonly offset?: number;
  readonly missing?: number;
}

/** What an HTTP/3 stream is, from its ID and (unidirectional) stream type. */
export type Http3StreamRole = "request" | "push" | "control" | "qpack-encoder" | "qpack-decoder" | "reserved" | "unknown";

/** One HTTP/3 frame on a QUIC stream (a DATA frame as soon as its header is read). */
export interface Http3FrameEvent {
  readonly type: "h3-frame";
  readonly connection: number;
  readonly direction: Direction;
  readonly time: number;
  readonly streamId: number;
  readonly stream: Http3StreamRole;
  /** Offset of the frame's first byte in the stream (after a unidirectional stream's type). */
  readonly offset: number;
  /** The frame's Length field. */
  readonly length: number;
  /** The frame type (also for unknown types). */
  readonly frameType: number | bigint;
  /** The decoded frame; absent for DATA, whose content is not kept. */
  readonly frame?: Http3Frame;
  /** The decoded field section of HEADERS and PUSH_PROMISE, when it could be decoded at once. */
  readonly fields?: readonly CaptureHeaderField[];
  /** The field section waits for QPACK encoder-stream data; an `h3-fields` event follows. */
  readonly blocked?: boolean;
}

/** A blocked field section decoded later (QPACK encoder-stream data arrived). */
export interface Http3FieldsEvent {
  readonly type: "h3-fields";
  readonly connection: number;
  readonly direction: Direction;
  readonly time: number;
  readonly streamId: number;
  readonly fields: readonly CaptureHeaderField[];
}

/**
 * How a QUIC connection ended in a capture: a CONNECTION_CLOSE frame
 * (either form, either direction; RFC 9000 §10.2), a stateless reset
 * (§10.3), no packet for longer than its idle timeout (§10.1), the limit of
 * connections held reached (the least recently active one ends), or the end
 * of the capture.
 */
export type QuicCloseHow = "connection-close" | "stateless-reset" | "idle-timeout" | "connection-limit" | "end";

/**
 * The end of a QUIC connection, once per connection. After it the
 * connection's streams are no longer read and its state is freed; after a
 * CONNECTION_CLOSE or a stateless reset its packets are still recognised
 * (and listed) for a drain period of capture time.
 */
export interface QuicCloseEvent {
  readonly type: "quic-close";
  readonly connection: number;
  /** When it ended: the packet's time, or for an idle timeout the last packet's time plus the timeout. */
  readonly time: number;
  readonly how: QuicCloseHow;
  /** connection-close: the direction of the frame; stateless-reset: the direction of the reset. */
  readonly direction?: Direction;
  readonly errorCode?: number;
  readonly application?: boolean;
  readonly reason?: string;
}

/**
 * A piece of an HTTP/3 DATA frame's content on a request or push stream, a
 * view of the decrypted packet it arrived in (valid while the event is
 * handled; copy to keep). Follows the DATA frame's `h3-frame` event.
 */
export interface Http3DataEvent {
  readonly type: "h3-data";
  readonly connection: number;
  readonly direction: Direction;
  readonly time: number;
  readonly streamId: number;
  readonly data: Uint8Array;
  /** `true` on the frame's last piece. */
  readonly end: boolean;
}

/** Everything a QUIC connection reports. */
export type QuicCaptureEvent =
  | QuicOpenEvent
  | QuicHandshakeEvent
  | QuicUndecryptableEvent
  | QuicPacketEvent
  | QuicStreamEvent
  | Http3FrameEvent
  | Http3FieldsEvent
  | Http3DataEvent
  | QuicCloseEvent;
