/**
 * `httpwire/alt-svc`: `Alt-Svc` field values (RFC 7838 §3), `Alt-Used`
 * (§5), ALPN identifiers, choosing a usable alternative, and the fields of the HTTP/2
 * ALTSVC frame (RFC 7838 §4).
 *
 * @example
 * ```ts
 * import { parseAltSvc, usableAlternatives, AlpnProtocol } from "httpwire/alt-svc";
 * const adv = parseAltSvc('h3=":443"; ma=86400, h2=":443"');
 * const use = usableAlternatives(adv, { receivedAt: Date.now(), supported: [AlpnProtocol.H3] });
 * use[0]?.port; // 443
 * ```
 * @module
 */

export { AlpnProtocol, decodeProtocolId, encodeProtocolId } from "./alpn.js";
export type { AltUsed } from "./alt-used.js";
export { formatAltUsed, parseAltUsed } from "./alt-used.js";
export { AltSvcError, MALFORMED_ALT_SVC } from "./errors.js";
export type { AltSvcFrameFields, AltSvcFromFrame } from "./frame.js";
export { altSvcFromFrame, altSvcToFrame } from "./frame.js";
export { parseAltSvc } from "./parse.js";
export { serializeAltSvc } from "./serialize.js";
export type { AltSvc, AltSvcAlternative, AltSvcAlternativeInit, AltSvcInit, AltSvcParameter } from "./types.js";
export { DEFAULT_MAX_AGE, MAX_MAX_AGE } from "./types.js";
export type { UsableAlternative, UsableAlternativesOptions } from "./usable.js";
export { usableAlternatives } from "./usable.js";
