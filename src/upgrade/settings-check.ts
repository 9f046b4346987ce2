/**
 * Whether the peer allowed extended CONNECT: SETTINGS_ENABLE_CONNECT_PROTOCOL
 * (RFC 8441 §3 for HTTP/2, RFC 9220 §3 for HTTP/3; 0x08 in both).
 * @module
 */
import { malformedRequestCode, streamError, type UpgradeError } from "./errors.js";

/** The setting identifier, 0x08 in HTTP/2 (RFC 8441 §9.1) and HTTP/3 (RFC 9220 §5). */
export const SETTINGS_ENABLE_CONNECT_PROTOCOL = 0x08;

/**
 * The peer's settings, in any of the shapes callers have at hand: a list of
 * `{ id, value }` parameters in receipt order (as `httpwire/http2` and
 * `httpwire/http3` decode them; the last one of an identifier wins), a map
 * from identifier to value, or an object with `enableConnectProtocol` (as
 * `node:http2`'s `remoteSettings`).
 */
export type PeerSettings =
  | Iterable<{ readonly id: number | bigint; readonly value: number | bigint }>
  | ReadonlyMap<number | bigint, number | bigint>
  | { readonly enableConnectProtocol?: boolean | number };

/**
 * Whether the peer's settings carry SETTINGS_ENABLE_CONNECT_PROTOCOL = 1.
 * `undefined` (no SETTINGS received yet) and an absent setting mean no: the
 * default is 0 (RFC 8441 §3).
 *
 * @example
 * ```ts
 * isExtendedConnectEnabled([{ id: 0x08, value: 1 }]); // true
 * isExtendedConnectEnabled(new Map([[0x08, 0]])); // false
 * isExtendedConnectEnabled(undefined); // false
 * ```
 */
export function isExtendedConnectEnabled(settings: PeerSettings | undefined): boolean {
  if (settings === undefined || settings === null) return false;
  if (settings instanceof Map) {
    const v = settings.get(SETTINGS_ENABLE_CONNECT_PROTOCOL) ?? settings.get(BigInt(SETTINGS_ENABLE_CONNECT_PROTOCOL));
    return v !== undefined && Number(v) === 1;
  }
  if (Symbol.iterator in settings) {
    let v: number | undefined;
    for (const s of settings as Iterable<{ id: number | bigint; value: number | bigint }>) {
      if (Number(s.id) === SETTINGS_ENABLE_CONNECT_PROTOCOL) v = Number(s.value);
    }
    return v === 1;
  }
  const e = (settings as { enableConnectProtocol?: boolean | number }).enableConnectProtocol;
  return e === true || e === 1;
}

/**
 * Throws unless the peer allowed extended CONNECT, so that a request the
 * peer would reject as malformed is never sent (RFC 8441 §3: a client uses
 * extended CONNECT only "upon receipt of SETTINGS_ENABLE_CONNECT_PROTOCOL
 * with a value of 1").
 *
 * @throws {UpgradeError} `extended_connect_not_enabled`, scope `stream`, with
 *   the code the peer would answer a malformed request with: HTTP/2
 *   PROTOCOL_ERROR (RFC 9113 §8.1.1) or HTTP/3 H3_MESSAGE_ERROR (RFC 9114 §4.1.2).
 */
export function assertExtendedConnectEnabled(settings: PeerSettings | undefined, httpVersion: "2" | "3"): void {
  if (isExtendedConnectEnabled(settings)) return;
  throw extendedConnectNotEnabled(httpVersion, "the peer has not sent SETTINGS_ENABLE_CONNECT_PROTOCOL = 1");
}

/** The error for an extended CONNECT that the settings do not allow. @internal */
export function extendedConnectNotEnabled(httpVersion: "2" | "3", why: string): UpgradeError {
  return streamError(
    malformedRequestCode(httpVersion),
    undefined,
    "extended_connect_not_enabled",
    `Cannot use extended CONNECT over HTTP/${httpVersion}: ${why}`,
  );
}
