/**
 * Flow-control window arithmetic (RFC 9113 §6.9).
 * @module
 */
import { MAX_WINDOW_SIZE } from "./constants.js";
import { ErrorCode } from "./error-codes.js";
import { Http2Error } from "./errors.js";
import type { DataFrame } from "./frame.js";

function flowError(reason: string, message: string, streamId: number): never {
  // Stream windows fail the stream, the connection window (stream 0) the connection (RFC 9113 §6.9.1).
  throw new Http2Error(message, ErrorCode.FLOW_CONTROL_ERROR, {
    reason,
    scope: streamId === 0 ? "connection" : "stream",
    streamId,
  });
}

/**
 * Applies a received WINDOW_UPDATE increment to a window.
 *
 * @throws Http2Error FLOW_CONTROL_ERROR `window_overflow` (stream-scoped, or
 *   connection-scoped for stream 0) when the result exceeds 2^31-1
 *   (RFC 9113 §6.9.1: "A sender MUST NOT allow a flow-control window to exceed 2^31-1 octets").
 * @example
 * ```ts
 * increaseWindow(65535, 1000, 1); // 66535
 * ```
 */
export function increaseWindow(window: number, increment: number, streamId: number): number {
  const next = window + increment;
  if (next > MAX_WINDOW_SIZE)
    flowError("window_overflow", `Flow-control window of stream ${streamId} would reach ${next}, above 2^31-1`, streamId);
  return next;
}

/**
 * Takes `length` flow-controlled octets (a DATA frame's whole payload) out of
 * a receive window.
 *
 * @throws Http2Error FLOW_CONTROL_ERROR `window_exceeded` when `length` is
 *   larger than the window (RFC 9113 §6.9.1: a receiver MAY treat this as FLOW_CONTROL_ERROR).
 * @example
 * ```ts
 * consumeWindow(65535, 16384, 1); // 49151
 * ```
 */
export function consumeWindow(window: number, length: number, streamId: number): number {
  if (length > window)
    flowError("window_exceeded", `DATA of ${length} octets exceeds the flow-control window ${window} of stream ${streamId}`, streamId);
  return window - length;
}

/**
 * Adjusts a stream's send window to a new SETTINGS_INITIAL_WINDOW_SIZE
 * (RFC 9113 §6.9.2). The result may be negative.
 *
 * @throws Http2Error connection FLOW_CONTROL_ERROR `settings_window_overflow`
 *   when the window would exceed 2^31-1 (RFC 9113 §6.9.2: "MUST treat ... as a
 *   connection error of type FLOW_CONTROL_ERROR").
 * @example
 * ```ts
 * adjustWindowForSettings(1000, 65535, 16384); // -48151
 * ```
 */
export function adjustWindowForSettings(window: number, oldInitial: number, newInitial: number): number {
  const next = window + (newInitial - oldInitial);
  if (next > MAX_WINDOW_SIZE)
    throw new Http2Error(`SETTINGS_INITIAL_WINDOW_SIZE change takes a window to ${next}, above 2^31-1`, ErrorCode.FLOW_CONTROL_ERROR, {
      reason: "settings_window_overflow",
      scope: "connection",
    });
  return next;
}

/**
 * The octets of a DATA frame that count against flow control: the entire
 * payload, Pad Length octet and padding included (RFC 9113 §6.1).
 */
export function flowControlledLength(frame: DataFrame): number {
  return frame.data.length + (frame.padLength === undefined ? 0 : 1 + frame.padLength);
}
