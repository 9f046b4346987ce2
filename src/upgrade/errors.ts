import { ErrorCode, errorCodeName } from "../http2/error-codes.js";
import { Http3ErrorCode, http3ErrorName } from "../http3/error-codes.js";
import { HttpwireError, type HttpwireErrorOptions } from "../shared/errors.js";

/** The HTTP/3 code for a malformed request (RFC 9114 §4.1.2, §8.1). */
export const H3_MESSAGE_ERROR: 0x010e = Http3ErrorCode.H3_MESSAGE_ERROR;

/**
 * An upgrade or extended CONNECT that breaks a protocol rule.
 *
 * The code is the one the peer would use for the violation: an HTTP/2 code
 * (RFC 9113 §7) such as PROTOCOL_ERROR for a malformed extended CONNECT or
 * an `HTTP2-Settings` value that is not a valid SETTINGS payload (then the
 * `Http2Error` of `httpwire/http2` is the `cause`), or
 * H3_MESSAGE_ERROR (0x010e) over HTTP/3. `scope` is `"stream"` for request
 * rules and `"connection"` for SETTINGS rules.
 *
 * Callers may construct one for checks of their own (for example an
 * application rule on `:protocol`), so that every upgrade failure reaches
 * their error handling in one shape: give the message, the code to answer
 * with, its RFC name, and at least a `reason` token; `scope` defaults to
 * `"connection"`, so pass `"stream"` for a request rule.
 *
 * @example
 * ```ts
 * import { H3_MESSAGE_ERROR, UpgradeError } from "httpwire/upgrade";
 * const e = new UpgradeError("Malformed extended CONNECT: :protocol is not one this server routes", H3_MESSAGE_ERROR, "H3_MESSAGE_ERROR", {
 *   reason: "protocol_not_routed",
 *   scope: "stream",
 *   streamId: 4,
 * });
 * e.code; // 0x010e
 * e.scope; // "stream"
 * ```
 */
export class UpgradeError extends HttpwireError {
  override name = "UpgradeError";
  constructor(message: string, code: number, codeName: string, options: HttpwireErrorOptions) {
    super(message, code, codeName, options);
  }
}

/** The RFC name of an HTTP/2 (below 0x100) or HTTP/3 code. */
function codeName(code: number): string {
  return code >= 0x100 ? http3ErrorName(code) : errorCodeName(code);
}

/** The code a malformed request gets: HTTP/2 PROTOCOL_ERROR (RFC 9113 §8.1.1) or HTTP/3 H3_MESSAGE_ERROR (RFC 9114 §4.1.2). @internal */
export function malformedRequestCode(httpVersion: "2" | "3"): number {
  return httpVersion === "2" ? ErrorCode.PROTOCOL_ERROR : H3_MESSAGE_ERROR;
}

/** A connection-scoped {@link UpgradeError} (the caller writes `throw`). @internal */
export function connectionError(code: number, reason: string, message: string, offset?: number): UpgradeError {
  return new UpgradeError(message, code, codeName(code), { reason, scope: "connection", offset });
}

/** A stream-scoped {@link UpgradeError}; `streamId` is `undefined` when the caller did not say which stream. @internal */
export function streamError(
  code: number,
  streamId: number | bigint | undefined,
  reason: string,
  message: string,
  offset?: number,
): UpgradeError {
  return new UpgradeError(message, code, codeName(code), { reason, scope: "stream", streamId, offset });
}
