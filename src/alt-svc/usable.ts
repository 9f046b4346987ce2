/**
 * Choosing the alternatives a client can use now (RFC 7838 §2.2, §3.1).
 * @module
 */
import type { AltSvc, AltSvcAlternative } from "./types.js";

/** What {@link usableAlternatives} needs besides the advertisement. */
export interface UsableAlternativesOptions {
  /** When the response carrying the advertisement was received, in ms since the epoch (`Date.now()`). */
  readonly receivedAt: number;
  /** The time to judge freshness at, in ms since the epoch; defaults to `Date.now()`. */
  readonly now?: number;
  /**
   * The response's age in seconds when received (its `Age` field, RFC 9111
   * §4.2.3); subtracted from each `ma`. Defaults to 0.
   */
  readonly age?: number;
  /** ALPN names the client supports, one character per octet (e.g. `AlpnProtocol.H3`). */
  readonly supported: Iterable<string>;
}

/** An alternative the client may use, with the moment its freshness ends. */
export interface UsableAlternative extends AltSvcAlternative {
  /** Ms since the epoch at which this alternative stops being fresh. */
  readonly expiresAt: number;
}

/**
 * Returns the alternatives of an advertisement that a client can use at
 * `now`: those whose protocol it supports and that are still fresh, in the
 * server's order of preference (RFC 7838 §3: the first is the most preferred).
 *
 * Freshness follows RFC 7838 §3.1 and RFC 9111 §4.2: an alternative is fresh
 * while `maxAge > age + (now - receivedAt) / 1000`, so `ma=0` is never
 * usable. `clear` yields no alternatives (and means "drop the cached ones").
 * Protocol IDs are compared octet for octet, as RFC 7838 §3.1 intends.
 *
 * Not decided here: an Alt-Svc in a 421 response MUST be ignored (RFC 7838
 * §6), and the "reasonable assurances" of §2.1 (e.g. TLS for a different
 * host) are the caller's to check.
 *
 * @throws RangeError if `receivedAt`, `now` or `age` is not a finite number, or `age` is negative.
 * @example
 * ```ts
 * const adv = parseAltSvc('h3=":443"; ma=60, h2=":8443"');
 * usableAlternatives(adv, { receivedAt: 0, now: 30_000, supported: ["h2", "h3"] }).map((a) => a.protocolId); // ["h3", "h2"]
 * usableAlternatives(adv, { receivedAt: 0, now: 60_000, supported: ["h2", "h3"] }).map((a) => a.protocolId); // ["h2"]
 * ```
 */
export function usableAlternatives(advert: AltSvc, options: UsableAlternativesOptions): UsableAlternative[] {
  const { receivedAt } = options;
  const now = options.now ?? Date.now();
  const age = options.age ?? 0;
  if (!Number.isFinite(receivedAt) || !Number.isFinite(now)) {
    throw new RangeError("Cannot judge alternatives: receivedAt and now must be finite numbers of ms");
  }
  if (!Number.isFinite(age) || age < 0) throw new RangeError(`Cannot judge alternatives: age ${age} is not a non-negative number`);
  if (advert.clear) return [];
  const supported = new Set(options.supported);
  const out: UsableAlternative[] = [];
  for (const alt of advert.alternatives) {
    if (!supported.has(alt.protocolId)) continue;
    const expiresAt = receivedAt + (alt.maxAge - age) * 1000;
    if (now >= expiresAt) continue;
    out.push({ ...alt, expiresAt });
  }
  return out;
}
