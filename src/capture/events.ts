import type { Frame, Setting } from "../http2/index.js";
import type { HttpwireError } from "../shared/errors.js";
import type { QuicCaptureEvent } from "./quic/events.js";
import type { Direction, Endpoint } from "./tcp.js";
import type { TlsInfo } from "./tls/stream.js";

/** A decoded header field (HPACK opaque octets mapped to a Latin-1 string). */
export interface CaptureHeaderField {
  readonly name: string;
  readonly value: string;
}

/**
 * A connection found to carry HTTP/2: in cleartext (the client preface, or a
 * port named in `ports`), over TLS (decrypted with the key log; `tls` says
 * how), after an HTTP/1.1 `Upgrade: h2c` (`via`), or inside a CONNECT tunnel
 * (`via`, `tunnel`).
 */
export interface OpenEvent {
  readonly type: "open";
  /** Connection number, from 1 in order of appearance. */
  readonly connection: number;
  /** The TCP endpoints (for a tunnel: of the connection to the proxy). */
  readonly client: Endpoint;
  readonly server: Endpoint;
  /** Seconds since the Unix epoch (µs precision; 0 for inputs without timestamps); the TCP connection's first packet. */
  readonly time: number;
  /** The TLS connection the HTTP/2 runs in: version, cipher suite, SNI, ALPN, client random. */
  readonly tls?: TlsInfo;
  /** How HTTP/2 was reached when not directly: an h2c upgrade (RFC 7540 §3.2) or a CONNECT tunnel (RFC 9110 §9.3.6). */
  readonly via?: "h2c-upgrade" | "connect";
  /** The CONNECT tunnel's target, as the request named it (`host:port`). */
  readonly tunnel?: string;
}

/**
 * The HTTP/1.1 request of an h2c upgrade (RFC 7540 §3.2): it is stream 1's
 * request, answered in HTTP/2 on stream 1; `settings` are the client's
 * SETTINGS from its `HTTP2-Settings` field, applied to the server's frames
 * from the start.
 */
export interface UpgradeEvent {
  readonly type: "upgrade";
  readonly connection: number;
  readonly time: number;
  /** Always 1. */
  readonly streamId: number;
  /** The request as HTTP/2 fields: `:method`, `:scheme`, `:authority`, `:path`, then the other fields lowercased (connection-specific ones left out). */
  readonly fields: readonly CaptureHeaderField[];
  readonly settings: readonly Setting[];
}

/** Why a {@link NoticeEvent} was reported. */
export type NoticeReason =
  /** TLS without keys for its client random in the key log. */
  | "tls-no-keys"
  /** TLS with a cipher suite that cannot be decrypted (CBC, RC4, ...; RFC 9113 §9.2.2 forbids them for HTTP/2). */
  | "tls-unsupported-cipher-suite"
  /** The key log's secrets do not decrypt the connection. */
  | "tls-wrong-keys"
  /** The capture ends before the TLS handshake does. */
  | "tls-incomplete-handshake"
  /** TLS whose ALPN is not `h2` (HTTP/1.1 over TLS, ...). */
  | "alpn-not-h2"
  /** HTTP/1.1 not upgraded to HTTP/2. */
  | "http1-not-http2"
  /** Packets of a link type httpwire does not decode (reported once per type). */
  | "unsupported-link-type"
  /** A key log line that could not be read (skipped). */
  | "key-log-line";

/**
 * Something that is not HTTP/2 or cannot be decoded, said once, in one line:
 * a TLS connection without keys, a protocol other than HTTP/2, an unsupported
 * link type, a key log line skipped. Not an error: nothing is malformed.
 */
export interface NoticeEvent {
  readonly type: "notice";
  readonly reason: NoticeReason;
  /** The line to show, addresses and TLS details included. */
  readonly message: string;
  readonly time: number | undefined;
  /** The connection's endpoints, when the notice is about one. */
  readonly client?: Endpoint;
  readonly server?: Endpoint;
  /** What is known of its TLS (version, SNI, ALPN, client random). */
  readonly tls?: TlsInfo;
  /** The CONNECT tunnel it runs in. */
  readonly tunnel?: string;
  /** `unsupported-link-type`: the link type number. */
  readonly linkType?: number;
  /** `key-log-line`: the key log line, from 1. */
  readonly line?: number;
}

/** One HTTP/2 frame. */
export interface FrameEvent {
  readonly type: "frame";
  readonly connection: number;
  readonly direction: Direction;
  readonly time: number;
  /** Offset of the frame's first byte in its direction's byte stream (after the preface). */
  readonly offset: number;
  /** Payload length from the frame header. */
  readonly length: number;
  /** The frame type octet (also for unknown types). */
  readonly frameType: number;
  /** The decoded frame (from `httpwire/http2`); byte fields are views. */
  readonly frame: Frame;
  /**
   * The decoded header fields, on the frame that completes a field block
   * (HEADERS or PUSH_PROMISE with END_HEADERS, else the last CONTINUATION).
   */
  readonly fields?: readonly CaptureHeaderField[];
}

/**
 * Bytes of one direction that the capture does not hold. If they fall inside
 * a DATA frame's payload (`recovered`), they are replaced by zeros and
 * decoding goes on; otherwise decoding of that direction stops.
 */
export interface GapEvent {
  readonly type: "gap";
  readonly connection: number;
  readonly direction: Direction;
  readonly time: number;
  /** How many bytes are missing. */
  readonly missing: number;
  /** True when the hole was inside a DATA payload, zero-filled, and decoding went on. */
  readonly recovered: boolean;
}

/**
 * Something malformed: a frame (its direction stops if the error is
 * connection-scoped; the other direction and the other connections go
 * on), a TLS record (that direction stops), a stream error (decoding
 * goes on), or the capture container itself (`connection` undefined).
 */
export interface ErrorEvent {
  readonly type: "error";
  readonly connection: number | undefined;
  readonly direction: Direction | undefined;
  readonly time: number | undefined;
  readonly error: HttpwireError;
}

/** One direction of a connection ended. */
export interface CloseEvent {
  readonly type: "close";
  readonly connection: number;
  readonly direction: Direction;
  readonly time: number;
  /** FIN, RST, or the end of the capture. */
  readonly how: "fin" | "rst" | "end";
}

/** Everything {@link CaptureDecoder} reports, in capture order (QUIC and HTTP/3 events: `./quic/events.ts`). */
export type CaptureEvent = OpenEvent | FrameEvent | GapEvent | ErrorEvent | CloseEvent | UpgradeEvent | NoticeEvent | QuicCaptureEvent;
