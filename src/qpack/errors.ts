import { HttpwireError, type HttpwireErrorOptions, scopedErrors } from "../shared/errors.js";
import { qpackErrorName } from "./error-codes.js";

/**
 * A QPACK error (RFC 9204 §6). Most are connection errors: a decoder or
 * encoder stream error, or a field section that cannot be decompressed
 * (§2.2.3, §4.5.1). One is stream-scoped: `field_section_too_large`, a
 * decoded section above the decoder's own `maxFieldSectionSize`, which
 * leaves the connection usable (the HTTP/3 layer rejects that one request).
 */
export class QpackError extends HttpwireError {
  override name = "QpackError";
  constructor(message: string, code: number, options: HttpwireErrorOptions) {
    super(message, code, qpackErrorName(code), options);
  }
}

/** The module's error helpers, one per scope (docs/architecture.md, "Conventions"). @internal */
export const { connectionError, streamError } = scopedErrors(QpackError);
