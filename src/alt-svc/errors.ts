import { HttpwireError, type HttpwireErrorOptions } from "../shared/errors.js";

/**
 * The code every {@link AltSvcError} carries. RFC 7838 defines no numeric
 * error for a malformed `Alt-Svc` field value (a client simply ignores it),
 * so the toolkit uses code 0 with the name `"MALFORMED_ALT_SVC"`.
 */
export const MALFORMED_ALT_SVC = 0;

/**
 * A malformed `Alt-Svc` field value (RFC 7838 §3).
 *
 * `code` is always 0 and `codeName` `"MALFORMED_ALT_SVC"`; `scope` is
 * `"stream"` because a bad field value only spoils the response that carried
 * it, never the connection. `offset` is the index in the field value (one
 * character per octet) where the check failed; `reason` names the check.
 */
export class AltSvcError extends HttpwireError {
  override name = "AltSvcError";
  constructor(message: string, options: HttpwireErrorOptions) {
    super(message, MALFORMED_ALT_SVC, "MALFORMED_ALT_SVC", { scope: "stream", ...options });
  }
}
