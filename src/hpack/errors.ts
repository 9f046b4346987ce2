import { HttpwireError, type HttpwireErrorOptions } from "../shared/errors.js";

/**
 * The HTTP/2 error code an HPACK decoding failure maps to (RFC 9113 §4.3:
 * "A decoding error in a field block MUST be treated as a connection error
 * of type COMPRESSION_ERROR").
 */
export const COMPRESSION_ERROR = 0x09;

/**
 * An HPACK decoding error. RFC 7541 defines no codes of its own; every
 * failure is a connection-scoped COMPRESSION_ERROR (0x09).
 */
export class HpackError extends HttpwireError {
  override name = "HpackError";
  constructor(message: string, options: Omit<HttpwireErrorOptions, "scope">) {
    super(message, COMPRESSION_ERROR, "COMPRESSION_ERROR", { ...options, scope: "connection" });
  }
}
