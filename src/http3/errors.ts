import { HttpwireError, type HttpwireErrorOptions, scopedErrors } from "../shared/errors.js";
import { http3ErrorName } from "./error-codes.js";

/** An HTTP/3 error with its RFC 9114 §8.1 code. */
export class Http3Error extends HttpwireError {
  override name = "Http3Error";
  constructor(message: string, code: number, options: HttpwireErrorOptions) {
    super(message, code, http3ErrorName(code), options);
  }
}

/** The module's error helpers, one per scope (docs/architecture.md, "Conventions"). @internal */
export const { connectionError, streamError } = scopedErrors(Http3Error);
