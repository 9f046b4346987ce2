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
 *
 * Callers may construct one for checks of their own on an advertisement (a
 * policy the syntax allows, such as refusing alternatives on other hosts),
 * so that every rejected `Alt-Svc` reaches their handling in one shape:
 * give the message and at least a `reason` token; `streamId` (the response
 * that carried the field) and `offset` are optional.
 *
 * @example
 * ```ts
 * import { AltSvcError, parseAltSvc } from "httpwire/alt-svc";
 * const adv = parseAltSvc('h2="other.example.net:443"');
 * const e = new AltSvcError("Alt-Svc names an alternative on another host", { reason: "alternative_host_not_allowed", streamId: 1 });
 * e.code; // 0
 * e.scope; // "stream"
 * adv.alternatives[0]?.host; // "other.example.net"
 * ```
 */
export class AltSvcError extends HttpwireError {
  override name = "AltSvcError";
  constructor(message: string, options: HttpwireErrorOptions) {
    super(message, MALFORMED_ALT_SVC, "MALFORMED_ALT_SVC", { scope: "stream", ...options });
  }
}

/**
 * A stream-scoped {@link AltSvcError} (the caller writes `throw`). Every
 * Alt-Svc error is stream-scoped, so this module has no `connectionError`;
 * `streamId` is `undefined` when the field value came without its stream.
 * @internal
 */
export function streamError(
  _code: typeof MALFORMED_ALT_SVC,
  streamId: number | bigint | undefined,
  reason: string,
  message: string,
  offset?: number,
): AltSvcError {
  return new AltSvcError(message, { reason, scope: "stream", streamId, offset });
}
