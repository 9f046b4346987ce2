import { HttpwireError, type HttpwireErrorOptions } from "../shared/errors.js";
import { transportErrorName } from "./error-codes.js";

/** A QUIC-level decoding error carrying a transport error code (RFC 9000 §20.1). */
export class QuicError extends HttpwireError {
  override name = "QuicError";
  constructor(message: string, code: number, options: HttpwireErrorOptions) {
    super(message, code, transportErrorName(code), options);
  }
}

/**
 * A connection-scoped {@link QuicError} (the caller writes `throw`).
 * @internal
 */
export function connectionError(code: number, reason: string, message: string, offset?: number): QuicError {
  return new QuicError(message, code, { reason, offset });
}

/**
 * A stream-scoped {@link QuicError} for stream `streamId` (the caller writes `throw`).
 * @internal
 */
export function streamError(code: number, streamId: number | bigint, reason: string, message: string, offset?: number): QuicError {
  return new QuicError(message, code, { reason, scope: "stream", streamId, offset });
}
