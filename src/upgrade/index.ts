/**
 * `httpwire/upgrade`: switching protocols across HTTP versions: the HTTP/1.1
 * Upgrade mechanism (RFC 9110 §7.8) with the WebSocket handshake (RFC 6455
 * §4) and h2c (RFC 7540 §3.2, deprecated by RFC 9113 §3.1), and extended
 * CONNECT over HTTP/2 (RFC 8441) and HTTP/3 (RFC 9220).
 *
 * @example
 * ```ts
 * import { buildUpgradeRequest, judgeUpgradeResponse } from "httpwire/upgrade";
 * // peerSettings: the SETTINGS the server sent, e.g. from httpwire/http2's SettingsFrame
 * const req = buildUpgradeRequest({ httpVersion: "2", protocol: "websocket", authority: "example.com", path: "/chat", peerSettings: [{ id: 0x08, value: 1 }] });
 * // ...send req.headers in a HEADERS frame, decode the response fields...
 * judgeUpgradeResponse(req, { headers: [{ name: ":status", value: "200" }] }).accepted; // true
 * ```
 * @module
 */

export { AlpnProtocol } from "../alt-svc/alpn.js";
export type {
  HttpVersion,
  UpgradeOutcome,
  UpgradeRefusalReason,
  UpgradeRequest,
  UpgradeRequestOptions,
  UpgradeResponse,
} from "./client.js";
export { buildH2cUpgradeRequest, buildUpgradeRequest, judgeUpgradeResponse, UpgradeToken } from "./client.js";
export { H3_MESSAGE_ERROR, UpgradeError } from "./errors.js";
export type { HeaderField } from "./fields.js";
export { formatHttp1Request, formatHttp1Response } from "./http1.js";
export type {
  AcceptUpgradeOptions,
  UpgradeDecision,
  UpgradeDeclineReason,
  UpgradeRequestHead,
  UpgradeResponseHead,
} from "./server.js";
export { acceptH2cUpgrade, acceptUpgrade } from "./server.js";
export type { PeerSettings } from "./settings-check.js";
export {
  assertExtendedConnectEnabled,
  isExtendedConnectEnabled,
  SETTINGS_ENABLE_CONNECT_PROTOCOL,
} from "./settings-check.js";
export {
  computeWebSocketAccept,
  generateWebSocketKey,
  isValidWebSocketKey,
  WEBSOCKET_GUID,
  WEBSOCKET_VERSION,
} from "./websocket.js";
