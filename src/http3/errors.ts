import { HttpwireError, type HttpwireErrorOptions } from "../shared/errors.js";
import { http3ErrorName } from "./error-codes.js";

/** An HTTP/3 error with its RFC 9114 §8.1 code. */
export class Http3Error extends HttpwireError {
  override name = "Http3Error";
  constructor(message: string, code: number, options: HttpwireErrorOptions) {
    super(message, code, http3ErrorName(code), options);
  }
}

/**
 * A connection-scoped {@link Http3Error} (RFC 9114 §8; the caller writes `throw`).
 * @internal
 */
export function connectionError(code: number, reason: string, message: string, offset?: number): Http3Error {
  return new Http3Error(message, code, { reason, offset });
}

/**
 * A stream-scoped {@link Http3Error} for stream `streamId`, `undefined` when
 * the caller does not know it (RFC 9114 §8; the caller writes `throw` or
 * reports it as an event).
 * @internal
 */
export function streamError(code: number, streamId: number | bigint | undefined, reason: string, message: string, offset?: number): Http3Error {
  return new Http3Error(message, code, { reason, scope: "stream", streamId, offset });
}
