/**
 * `httpwire/qpack`: QPACK field compression (RFC 9204).
 * @module
 */
export { QpackError } from "./errors.js";
export { QpackErrorCode, qpackErrorName } from "./error-codes.js";
