import { HttpwireError, type HttpwireErrorOptions } from "../shared/errors.js";
import { errorCodeName } from "./error-codes.js";

/** An HTTP/2 protocol error with its RFC 9113 §7 code and scope. */
export class Http2Error extends HttpwireError {
  override name = "Http2Error";
  constructor(message: string, code: number, options: HttpwireErrorOptions) {
    super(message, code, errorCodeName(code), options);
  }
}
