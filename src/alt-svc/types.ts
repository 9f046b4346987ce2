/**
 * The parsed form of an `Alt-Svc` field value (RFC 7838 §3).
 * @module
 */

/** The freshness lifetime an alternative has without `ma`: 24 hours (RFC 7838 §3.1). */
export const DEFAULT_MAX_AGE = 86_400;

/**
 * The largest `ma` kept, in seconds; larger values are clamped to it, as
 * RFC 9111 §1.2.2 directs for `delta-seconds` (2^31).
 */
export const MAX_MAX_AGE = 2 ** 31;

/** One Alt-Svc parameter, `name=value`, as received (value unquoted). */
export interface AltSvcParameter {
  /** The parameter name as written (matching is case-insensitive). */
  readonly name: string;
  /** The value, with quoted-string quoting and quoted-pairs removed. */
  readonly value: string;
}

/** One alternative service of a parsed `Alt-Svc` field value. */
export interface AltSvcAlternative {
  /**
   * The ALPN protocol name, percent-decoded: one character per octet
   * (Latin-1), e.g. `"h3"`, or `"w=x:y#z"` for `w%3Dx%3Ay#z`.
   */
  readonly protocolId: string;
  /**
   * The alternative host as written in the `uri-host`, brackets included for
   * an IP literal (`"[2001:db8::1]"`); `""` means the origin's own host.
   */
  readonly host: string;
  /** The alternative port, 0 to 65535. */
  readonly port: number;
  /**
   * Freshness lifetime in seconds: the first `ma` parameter, else
   * {@link DEFAULT_MAX_AGE}; clamped to {@link MAX_MAX_AGE}.
   */
  readonly maxAge: number;
  /** Whether a `persist` parameter with the value `"1"` is present (RFC 7838 §3.1). */
  readonly persist: boolean;
  /** Every parameter in received order, `ma` and `persist` included. */
  readonly parameters: readonly AltSvcParameter[];
}

/**
 * A parsed `Alt-Svc` field value: either the keyword `clear` (invalidate
 * every alternative of the origin) or a non-empty list of alternatives in
 * the server's order of preference.
 */
export type AltSvc =
  | { readonly clear: true; readonly alternatives: readonly [] }
  | { readonly clear: false; readonly alternatives: readonly AltSvcAlternative[] };

/**
 * An alternative to serialise. A parsed {@link AltSvcAlternative} is one.
 *
 * `maxAge` and `persist` add an `ma` / `persist=1` parameter in front of
 * `parameters` unless `parameters` already says the same; `ma` is omitted
 * when it equals {@link DEFAULT_MAX_AGE} and no `ma` parameter is listed.
 */
export interface AltSvcAlternativeInit {
  /** ALPN name, one character per octet (it is percent-encoded on output). */
  readonly protocolId: string;
  /** `uri-host`, brackets included for IPv6; omitted or `""` for the origin's host. */
  readonly host?: string;
  /** Port, an integer 0 to 65535. */
  readonly port: number;
  /** Freshness lifetime in seconds, an integer 0 to {@link MAX_MAX_AGE}. */
  readonly maxAge?: number;
  /** Whether to send `persist=1`. */
  readonly persist?: boolean;
  /** Parameters to write, in order. */
  readonly parameters?: readonly AltSvcParameter[];
}

/** What {@link serializeAltSvc} accepts: `clear`, or alternatives (a parsed {@link AltSvc} is one). */
export type AltSvcInit = { readonly clear: true } | { readonly clear?: false; readonly alternatives: readonly AltSvcAlternativeInit[] };
