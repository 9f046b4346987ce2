import { HttpwireError, type HttpwireErrorOptions } from "../shared/errors.js";
import { Http3ErrorCode } from "../http3/error-codes.js";

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
 */
export class UpgradeError extends HttpwireError {
  override name = "UpgradeError";
  constructor(message: string, code: number, codeName: string, options: HttpwireErrorOptions) {
    super(message, code, codeName, options);
  }
}
