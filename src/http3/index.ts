/**
 * `httpwire/http3`: HTTP/3 framing (RFC 9114).
 * @module
 */
export { Http3Error } from "./errors.js";
export { Http3ErrorCode, http3ErrorName, isReservedHttp3ErrorCode } from "./error-codes.js";
