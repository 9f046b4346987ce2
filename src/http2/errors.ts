import { HttpwireError, type HttpwireErrorOptions } from "../shared/errors.js";
import { errorCodeName } from "./error-codes.js";

/** An HTTP/2 protocol error with its RFC 9113 §7 code and scope. */
export class Http2Error extends HttpwireError {
  override name = "Http2Error";
  constructor(message: string, code: number, options: HttpwireErrorOptions) {
    super(message, code, errorCodeName(code), options);
  }
}

/** @internal Throws a connection-scoped {@link Http2Error}. */
export function connectionError(code: number, reason: string, message: string, streamId?: number, offset?: number): never {
  throw new Http2Error(message, code, { reason, scope: "connection", streamId, offset });
}

/** @internal Throws a stream-scoped {@link Http2Error}. */
export function streamError(code: number, reason: string, message: string, streamId: number, offset?: number): never {
  throw new Http2Error(message, code, { reason, scope: "stream", streamId, offset });
}
