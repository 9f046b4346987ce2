/**
 * `httpwire/hpack`: HPACK header compression (RFC 7541).
 * @module
 */
export { HpackError, COMPRESSION_ERROR } from "./errors.js";
