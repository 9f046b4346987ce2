/**
 * The typed QUIC frames (RFC 9000 §19, RFC 9221 §4), discriminated on a
 * kebab-case `type`. Integer fields are `number`, or `bigint` above
 * 2^53 - 1 (as every varint of this module); byte fields are views of the
 * decoded payload (`subarray`, no copy).
 *
 * @module
 */

import type { StreamDirection } from "../stream-id.js";

/** A run of PADDING frames (0x00, §19.1): consecutive zero bytes, kept as one frame. */
export interface PaddingFrame {
  readonly type: "padding";
  /** How many PADDING bytes (at least 1). */
  readonly length: number;
}

/** PING (0x01, §19.2). */
export interface PingFrame {
  readonly type: "ping";
}

/** One ACK Range after the first (§19.3.1): unacknowledged packets, then acknowledged ones. */
export interface AckRange {
  /** Unacknowledged packets before this range, minus one. */
  readonly gap: number | bigint;
  /** Acknowledged packets in this range, minus one (the ACK Range Length field). */
  readonly length: number | bigint;
}

/** The ECN counts of an ACK_ECN frame (§19.3.2). */
export interface EcnCounts {
  readonly ect0: number | bigint;
  readonly ect1: number | bigint;
  readonly ecnCe: number | bigint;
}

/**
 * ACK (0x02) and ACK_ECN (0x03, when `ecnCounts` is present), §19.3, in
 * wire form; {@link ackedRanges} turns it into packet number ranges.
 */
export interface AckFrame {
  readonly type: "ack";
  readonly largestAcknowledged: number | bigint;
  /** The ACK Delay field, not yet scaled by 2^ack_delay_exponent. */
  readonly ackDelay: number | bigint;
  /** Packets acknowledged below the largest (the First ACK Range field). */
  readonly firstAckRange: number | bigint;
  readonly ackRanges: readonly AckRange[];
  /** Present for ACK_ECN (0x03) only. */
  readonly ecnCounts?: EcnCounts;
}

/** RESET_STREAM (0x04, §19.4). */
export interface ResetStreamFrame {
  readonly type: "reset-stream";
  readonly streamId: number | bigint;
  /** The application protocol error code. */
  readonly errorCode: number | bigint;
  readonly finalSize: number | bigint;
}

/** STOP_SENDING (0x05, §19.5). */
export interface StopSendingFrame {
  readonly type: "stop-sending";
  readonly streamId: number | bigint;
  /** The application protocol error code. */
  readonly errorCode: number | bigint;
}

/** CRYPTO (0x06, §19.6). */
export interface CryptoFrame {
  readonly type: "crypto";
  readonly offset: number | bigint;
  /** The cryptographic handshake bytes (a view). */
  readonly data: Uint8Array;
}

/** NEW_TOKEN (0x07, §19.7). */
export interface NewTokenFrame {
  readonly type: "new-token";
  /** The token (a view; never empty). */
  readonly token: Uint8Array;
}

/**
 * STREAM (0x08–0x0f, §19.8). The frame type's OFF and LEN bits are kept as
 * `hasOffset` and `hasLength`, so a decoded frame encodes to the same bytes.
 */
export interface StreamFrame {
  readonly type: "stream";
  readonly streamId: number | bigint;
  /** The byte offset of `data` in the stream (0 when the Offset field is absent). */
  readonly offset: number | bigint;
  /** The stream data (a view). */
  readonly data: Uint8Array;
  /** The FIN bit: this frame ends the stream. */
  readonly fin: boolean;
  /** The OFF bit: the Offset field is present (it may be present and 0). Encoding default: `offset !== 0`. */
  readonly hasOffset: boolean;
  /** The LEN bit: the Length field is present; without it the data runs to the end of the packet. Encoding default: `true`. */
  readonly hasLength: boolean;
}

/** MAX_DATA (0x10, §19.9). */
export interface MaxDataFrame {
  readonly type: "max-data";
  readonly maximumData: number | bigint;
}

/** MAX_STREAM_DATA (0x11, §19.10). */
export interface MaxStreamDataFrame {
  readonly type: "max-stream-data";
  readonly streamId: number | bigint;
  readonly maximumStreamData: number | bigint;
}

/** MAX_STREAMS (0x12 bidirectional, 0x13 unidirectional; §19.11). */
export interface MaxStreamsFrame {
  readonly type: "max-streams";
  readonly direction: StreamDirection;
  /** At most 2^60. */
  readonly maximumStreams: number | bigint;
}

/** DATA_BLOCKED (0x14, §19.12). */
export interface DataBlockedFrame {
  readonly type: "data-blocked";
  readonly maximumData: number | bigint;
}

/** STREAM_DATA_BLOCKED (0x15, §19.13). */
export interface StreamDataBlockedFrame {
  readonly type: "stream-data-blocked";
  readonly streamId: number | bigint;
  readonly maximumStreamData: number | bigint;
}

/** STREAMS_BLOCKED (0x16 bidirectional, 0x17 unidirectional; §19.14). */
export interface StreamsBlockedFrame {
  readonly type: "streams-blocked";
  readonly direction: StreamDirection;
  /** At most 2^60. */
  readonly maximumStreams: number | bigint;
}

/** NEW_CONNECTION_ID (0x18, §19.15). */
export interface NewConnectionIdFrame {
  readonly type: "new-connection-id";
  readonly sequenceNumber: number | bigint;
  /** At most `sequenceNumber`. */
  readonly retirePriorTo: number | bigint;
  /** 1 to 20 bytes (a view). */
  readonly connectionId: Uint8Array;
  /** 16 bytes (a view). */
  readonly statelessResetToken: Uint8Array;
}

/** RETIRE_CONNECTION_ID (0x19, §19.16). */
export interface RetireConnectionIdFrame {
  readonly type: "retire-connection-id";
  readonly sequenceNumber: number | bigint;
}

/** PATH_CHALLENGE (0x1a, §19.17). */
export interface PathChallengeFrame {
  readonly type: "path-challenge";
  /** 8 bytes (a view). */
  readonly data: Uint8Array;
}

/** PATH_RESPONSE (0x1b, §19.18). */
export interface PathResponseFrame {
  readonly type: "path-response";
  /** 8 bytes (a view). */
  readonly data: Uint8Array;
}

/** CONNECTION_CLOSE for a transport error (0x1c, §19.19). */
export interface TransportCloseFrame {
  readonly type: "connection-close";
  readonly errorSpace: "transport";
  /** A transport error code (RFC 9000 §20.1; `transportErrorName` names it). */
  readonly errorCode: number | bigint;
  /** The type of the frame that caused the error, 0 when unknown. */
  readonly frameType: number | bigint;
  /** The reason phrase as sent (UTF-8 by RFC 9000 §19.19, not checked; a view). */
  readonly reasonPhrase: Uint8Array;
}

/** CONNECTION_CLOSE for an application error (0x1d, §19.19). */
export interface ApplicationCloseFrame {
  readonly type: "connection-close";
  readonly errorSpace: "application";
  /** The application protocol error code (e.g. an HTTP/3 code). */
  readonly errorCode: number | bigint;
  /** The reason phrase as sent (a view). */
  readonly reasonPhrase: Uint8Array;
}

/** CONNECTION_CLOSE, either form. */
export type ConnectionCloseFrame = TransportCloseFrame | ApplicationCloseFrame;

/** HANDSHAKE_DONE (0x1e, §19.20). */
export interface HandshakeDoneFrame {
  readonly type: "handshake-done";
}

/** DATAGRAM (0x30 without, 0x31 with a Length field; RFC 9221 §4). */
export interface DatagramFrame {
  readonly type: "datagram";
  /** The datagram (a view). */
  readonly data: Uint8Array;
  /** Whether the Length field is present (type 0x31); without it the data runs to the end of the packet. Encoding default: `true`. */
  readonly hasLength: boolean;
}

/** Every QUIC frame, discriminated on `type`. */
export type QuicFrame =
  | PaddingFrame
  | PingFrame
  | AckFrame
  | ResetStreamFrame
  | StopSendingFrame
  | CryptoFrame
  | NewTokenFrame
  | StreamFrame
  | MaxDataFrame
  | MaxStreamDataFrame
  | MaxStreamsFrame
  | DataBlockedFrame
  | StreamDataBlockedFrame
  | StreamsBlockedFrame
  | NewConnectionIdFrame
  | RetireConnectionIdFrame
  | PathChallengeFrame
  | PathResponseFrame
  | ConnectionCloseFrame
  | HandshakeDoneFrame
  | DatagramFrame;

/**
 * A frame for {@link encodeFrames}: as decoded, with STREAM's `hasOffset`
 * and `hasLength` and DATAGRAM's `hasLength` optional.
 */
export type QuicFrameInput =
  | Exclude<QuicFrame, StreamFrame | DatagramFrame>
  | (Omit<StreamFrame, "hasOffset" | "hasLength" | "fin"> & {
      readonly hasOffset?: boolean;
      readonly hasLength?: boolean;
      readonly fin?: boolean;
    })
  | (Omit<DatagramFrame, "hasLength"> & { readonly hasLength?: boolean });

/** The packet types frames travel in (RFC 9000 §12.4 Table 3). */
export type FramePacketType = "initial" | "0-rtt" | "handshake" | "1-rtt";
