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
import { ErrorCode, errorCodeName } from "./error-codes.js";

/** Stream states (RFC 9113 §5.1). */
export const StreamState = {
  idle: "idle",
  reserved_local: "reserved_local",
  reserved_remote: "reserved_remote",
  open: "open",
  half_closed_local: "half_closed_local",
  half_closed_remote: "half_closed_remote",
  closed: "closed",
} as const;

/** One of the {@link StreamState} values. */
export type StreamState = (typeof StreamState)[keyof typeof StreamState];

/**
 * What happens to a stream: a frame on it, or its END_STREAM flag. A HEADERS
 * or DATA frame with END_STREAM is two events: `headers`/`data`, then
 * `end_stream`. `push_promise` is applied to the *promised* stream.
 * CONTINUATION belongs to its HEADERS and is not an event.
 */
export type StreamEvent = "headers" | "push_promise" | "data" | "end_stream" | "rst_stream" | "window_update" | "priority";

/** Whether we send the frame or receive it. */
export type StreamSide = "send" | "recv";

/** An illegal transition: the error to raise (for `recv`) or the bug to fix (for `send`). */
export interface StreamStateError {
  readonly code: number;
  readonly codeName: string;
  readonly scope: ErrorScope;
  readonly reason: string;
}

function fail(code: number, scope: ErrorScope, reason: string): StreamStateError {
  return { code, codeName: errorCodeName(code), scope, reason };
}

/** Type guard: did {@link transitionStream} report an error? */
export function isStreamStateError(r: StreamState | StreamStateError): r is StreamStateError {
  return typeof r !== "string";
}

/**
 * The state after `event`, or the error RFC 9113 §5.1 names for it.
 * Pure: no state is kept.
 *
 * @example
 * ```ts
 * transitionStream("idle", "headers", "recv");          // "open"
 * transitionStream("open", "end_stream", "recv");       // "half_closed_remote"
 * transitionStream("half_closed_remote", "data", "recv");
 * // { code: 5, codeName: "STREAM_CLOSED", scope: "stream", reason: "stream_half_closed_remote" }
 * ```
 */
export function transitionStream(state: StreamState, event: StreamEvent, side: StreamSide): StreamState | StreamStateError {
  const recv = side === "recv";
  if (event === "rst_stream") {
    // RFC 9113 §5.1: idle: receiving anything but HEADERS or PRIORITY MUST be a connection error of type PROTOCOL_ERROR
    if (state === "idle") return fail(ErrorCode.PROTOCOL_ERROR, "connection", "stream_idle");
    return "closed";
  }
  if (event === "priority") return state; // allowed in every state, including idle and closed (RFC 9113 §5.1)
  // RFC 9113 §6.6: the promised stream MUST be idle; a PUSH_PROMISE promising an illegal stream identifier
  // MUST be treated as a connection error of type PROTOCOL_ERROR (whatever the promised stream's state)
  if (event === "push_promise" && state !== "idle") return fail(ErrorCode.PROTOCOL_ERROR, "connection", "promised_stream_not_idle");
  switch (state) {
    case "idle":
      if (event === "headers") return "open";
      if (event === "push_promise") return recv ? "reserved_remote" : "reserved_local";
      return fail(ErrorCode.PROTOCOL_ERROR, "connection", "stream_idle");
    case "reserved_local":
      if (!recv && event === "headers") return "half_closed_remote";
      // RFC 9113 §5.1: reserved (local): receiving anything other than RST_STREAM, PRIORITY or WINDOW_UPDATE
      // MUST be a connection error of type PROTOCOL_ERROR
      if (event === "window_update" && recv) return state;
      return fail(ErrorCode.PROTOCOL_ERROR, "connection", "stream_reserved_local");
    case "reserved_remote":
      if (recv && event === "headers") return "half_closed_local";
      if (event === "window_update" && !recv) return state;
      // RFC 9113 §5.1: reserved (remote): receiving anything other than HEADERS, RST_STREAM or PRIORITY
      // MUST be a connection error of type PROTOCOL_ERROR
      return fail(ErrorCode.PROTOCOL_ERROR, "connection", "stream_reserved_remote");
    case "open":
      if (event === "end_stream") return recv ? "half_closed_remote" : "half_closed_local";
      return state;
    case "half_closed_local":
      if (recv) {
        if (event === "end_stream") return "closed";
        return state;
      }
      if (event === "window_update") return state;
      return fail(ErrorCode.STREAM_CLOSED, "stream", "stream_half_closed_local");
    case "half_closed_remote":
      if (!recv) {
        if (event === "end_stream") return "closed";
        return state;
      }
      // RFC 9113 §5.1: half-closed (remote): frames other than WINDOW_UPDATE, PRIORITY or RST_STREAM
      // MUST be answered with a stream error of type STREAM_CLOSED
      if (event === "window_update") return state;
      return fail(ErrorCode.STREAM_CLOSED, "stream", "stream_half_closed_remote");
    case "closed":
      // RFC 9113 §5.1: WINDOW_UPDATE may arrive shortly after closing and is ignored; DATA or HEADERS on a closed
      // stream is a stream error of type STREAM_CLOSED (a connection error when the stream was never opened,
      // which the caller knows from the stream ID rules, see checkPeerStreamId)
      if (event === "window_update" && recv) return state;
      return fail(ErrorCode.STREAM_CLOSED, "stream", "stream_closed");
  }
}
