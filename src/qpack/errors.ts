import { HttpwireError, type HttpwireErrorOptions } from "../shared/errors.js";
import { qpackErrorName } from "./error-codes.js";

/**
 * A QPACK error (RFC 9204 §6). All three codes are connection errors: a
 * decoder or encoder stream error, or a field section that cannot be
 * decompressed.
 */
export class QpackError extends HttpwireError {
  override name = "QpackError";
  constructor(message: string, code: number, options: HttpwireErrorOptions) {
    super(message, code, qpackErrorName(code), options);
  }
}
