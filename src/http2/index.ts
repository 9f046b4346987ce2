/**
 * `httpwire/http2`: HTTP/2 framing (RFC 9113).
 * @module
 */
export { Http2Error } from "./errors.js";
export { ErrorCode, errorCodeName } from "./error-codes.js";
