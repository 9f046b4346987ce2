/**
 * The one error type of `httpwire/http2` and its two helpers, one per scope
 * (docs/architecture.md, "Conventions": the helpers return the error, the
 * caller writes `throw`).
 * @module
 */
import { HttpwireError, type HttpwireErrorOptions, scopedErrors } from "../shared/errors.js";
import { errorCodeName } from "./error-codes.js";

/**
 * An HTTP/2 protocol error with its RFC 9113 §7 code and scope. Every
 * protocol error of `httpwire/http2` is one: thrown by the decoders, carried
 * by `stream-error` events, and returned by the pure stream-state and
 * stream-ID checks.
 *
 * `codeName` is derived from `code`; `options.scope` defaults to
 * `"connection"`. Callers building an endpoint construct their own to raise
 * the protocol errors they detect (flow control, stream states, message
 * validation) with the same shape as the library's.
 *
 * @example
 * ```ts
 * import { ErrorCode, Http2Error } from "httpwire/http2";
 * const e = new Http2Error("Stream 3 exceeded its flow-control window", ErrorCode.FLOW_CONTROL_ERROR, {
 *   reason: "stream_window_exceeded",
 *   scope: "stream",
 *   streamId: 3,
 * });
 * e.codeName; // "FLOW_CONTROL_ERROR"
 * ```
 */
export class Http2Error extends HttpwireError {
  override name = "Http2Error";
  constructor(message: string, code: number, options: HttpwireErrorOptions) {
    super(message, code, errorCodeName(code), options);
  }
}

/** The module's error helpers, one per scope (docs/architecture.md, "Conventions"). @internal */
export const { connectionError, streamError } = scopedErrors(Http2Error);
