import { HttpwireError, type HttpwireErrorOptions, scopedErrors } from "../shared/errors.js";
import { transportErrorName } from "./error-codes.js";

/** A QUIC-level decoding error carrying a transport error code (RFC 9000 §20.1). */
export class QuicError extends HttpwireError {
  override name = "QuicError";
  constructor(message: string, code: number, options: HttpwireErrorOptions) {
    super(message, code, transportErrorName(code), options);
  }
}

/** The module's error helpers, one per scope (docs/architecture.md, "Conventions"). @internal */
export const { connectionError, streamError } = scopedErrors(QuicError);
