/**
 * The stream state machine of RFC 9113 §5.1 as a pure transition function.
 *
 * ```
 *                          +--------+
 *                  send PP |        | recv PP
 *                 ,--------+  idle  +--------.
 *                /         |        |         \
 *               v          +--------+          v
 *        +----------+          |           +----------+
 *        |          |          | send H /  |          |
 * ,------+ reserved |          | recv H    | reserved +------.
 * |      | (local)  |          |           | (remote) |      |
 * |      +---+------+          v           +------+---+      |
 * |          |             +--------+             |          |
 * |          |     recv ES |        | send ES     |          |
 * |   send H |     ,-------+  open  +-------.     | recv H   |
 * |          |    /        |        |        \    |          |
 * |          v   v         +---+----+         v   v          |
 * |      +----------+          |           +----------+      |
 * |      |   half-  |          |           |   half-  |      |
 * |      |  closed  |          | send R /  |  closed  |      |
 * |      | (remote) |          | recv R    | (local)  |      |
 * |      +----+-----+          |           +-----+----+      |
 * |           |                |                 |           |
 * |           | send ES /      |       recv ES / |           |
 * |           |  send R /      v        send R / |           |
 * |           |  recv R    +--------+   recv R   |           |
 * | send R /  `----------->|        |<-----------'  send R / |
 * | recv R                 | closed |               recv R   |
 * `----------------------->|        |<-----------------------'
 *                          +--------+
 * ```
 * @module
 */
import type { ErrorScope } from "../shared/errors.js";
import { ErrorCode } from "./error-codes.js";
import { Http2Error } from "./errors.js";

/** Stream states (RFC 9113 §5.1), as kebab-case strings. */
export const StreamState = {
  IDLE: "idle",
  RESERVED_LOCAL: "reserved-local",
  RESERVED_REMOTE: "reserved-remote",
  OPEN: "open",
  HALF_CLOSED_LOCAL: "half-closed-local",
  HALF_CLOSED_REMOTE: "half-closed-remote",
  CLOSED: "closed",
} as const;

/** One of the {@link StreamState} values. */
export type StreamState = (typeof StreamState)[keyof typeof StreamState];

/**
 * What happens to a stream: a frame on it, or its END_STREAM flag. A HEADERS
 * or DATA frame with END_STREAM is two events: `headers`/`data`, then
 * `end-stream`. `push-promise` is applied to the *promised* stream.
 * CONTINUATION belongs to its HEADERS and is not an event.
 */
export type StreamEvent = "headers" | "push-promise" | "data" | "end-stream" | "rst-stream" | "window-update" | "priority";

/** Whether we send the frame or receive it. */
export type StreamSide = "send" | "recv";

function fail(
  code: number,
  scope: ErrorScope,
  reason: string,
  state: StreamState,
  event: StreamEvent,
  side: StreamSide,
  streamId: number | undefined,
): Http2Error {
  const where = streamId === undefined ? "a stream" : `stream ${streamId}`;
  return new Http2Error(`Cannot ${side === "recv" ? "receive" : "send"} ${event} on ${where} in state ${state}`, code, {
    reason,
    scope,
    streamId,
  });
}

/**
 * The state after `event`, or the {@link Http2Error} RFC 9113 §5.1 names for
 * it: the error to raise (for `recv`) or the bug to fix (for `send`); its
 * `scope` says whether it is a stream or a connection error. Pure: no state
 * is kept, nothing is thrown.
 *
 * @param streamId the stream, carried by the error when given.
 * @example
 * ```ts
 * transitionStream("idle", "headers", "recv");          // "open"
 * transitionStream("open", "end-stream", "recv");       // "half-closed-remote"
 * const r = transitionStream("half-closed-remote", "data", "recv", 1);
 * if (r instanceof Http2Error) r; // { code: 5, codeName: "STREAM_CLOSED", scope: "stream", reason: "stream_half_closed_remote", streamId: 1 }
 * ```
 */
export function transitionStream(state: StreamState, event: StreamEvent, side: StreamSide, streamId?: number): StreamState | Http2Error {
  const recv = side === "recv";
  const error = (code: number, scope: ErrorScope, reason: string): Http2Error => fail(code, scope, reason, state, event, side, streamId);
  if (event === "rst-stream") {
    // RFC 9113 §5.1: idle: receiving anything but HEADERS or PRIORITY MUST be a connection error of type PROTOCOL_ERROR
    if (state === "idle") return error(ErrorCode.PROTOCOL_ERROR, "connection", "stream_idle");
    return "closed";
  }
  if (event === "priority") return state; // allowed in every state, including idle and closed (RFC 9113 §5.1)
  // RFC 9113 §6.6: the promised stream MUST be idle; a PUSH_PROMISE promising an illegal stream identifier
  // MUST be treated as a connection error of type PROTOCOL_ERROR (whatever the promised stream's state)
  if (event === "push-promise" && state !== "idle") return error(ErrorCode.PROTOCOL_ERROR, "connection", "promised_stream_not_idle");
  switch (state) {
    case "idle":
      if (event === "headers") return "open";
      if (event === "push-promise") return recv ? "reserved-remote" : "reserved-local";
      return error(ErrorCode.PROTOCOL_ERROR, "connection", "stream_idle");
    case "reserved-local":
      if (!recv && event === "headers") return "half-closed-remote";
      // RFC 9113 §5.1: reserved (local): receiving anything other than RST_STREAM, PRIORITY or WINDOW_UPDATE
      // MUST be a connection error of type PROTOCOL_ERROR
      if (event === "window-update" && recv) return state;
      return error(ErrorCode.PROTOCOL_ERROR, "connection", "stream_reserved_local");
    case "reserved-remote":
      if (recv && event === "headers") return "half-closed-local";
      if (event === "window-update" && !recv) return state;
      // RFC 9113 §5.1: reserved (remote): receiving anything other than HEADERS, RST_STREAM or PRIORITY
      // MUST be a connection error of type PROTOCOL_ERROR
      return error(ErrorCode.PROTOCOL_ERROR, "connection", "stream_reserved_remote");
    case "open":
      if (event === "end-stream") return recv ? "half-closed-remote" : "half-closed-local";
      return state;
    case "half-closed-local":
      if (recv) {
        if (event === "end-stream") return "closed";
        return state;
      }
      if (event === "window-update") return state;
      return error(ErrorCode.STREAM_CLOSED, "stream", "stream_half_closed_local");
    case "half-closed-remote":
      if (!recv) {
        if (event === "end-stream") return "closed";
        return state;
      }
      // RFC 9113 §5.1: half-closed (remote): frames other than WINDOW_UPDATE, PRIORITY or RST_STREAM
      // MUST be answered with a stream error of type STREAM_CLOSED
      if (event === "window-update") return state;
      return error(ErrorCode.STREAM_CLOSED, "stream", "stream_half_closed_remote");
    case "closed":
      // RFC 9113 §5.1: WINDOW_UPDATE may arrive shortly after closing and is ignored; DATA or HEADERS on a closed
      // stream is a stream error of type STREAM_CLOSED (a connection error when the stream was never opened,
      // which the caller knows from the stream ID rules, see checkPeerStreamId)
      if (event === "window-update" && recv) return state;
      return error(ErrorCode.STREAM_CLOSED, "stream", "stream_closed");
  }
}
