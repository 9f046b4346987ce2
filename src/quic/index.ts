/**
 * `httpwire/quic`: QUIC variable-length integers and stream IDs (RFC 9000).
 * @module
 */
export { QuicError } from "./errors.js";
export { TransportErrorCode, transportErrorName } from "./error-codes.js";
