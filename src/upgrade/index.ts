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
export { UpgradeError, H3_MESSAGE_ERROR } from "./errors.js";
export type { HeaderField } from "./fields.js";
export { AlpnProtocol } from "../alt-svc/alpn.js";
export { UpgradeToken, buildUpgradeRequest, buildH2cUpgradeRequest, judgeUpgradeResponse } from "./client.js";
export type { HttpVersion, UpgradeRequest, UpgradeRequestOptions, UpgradeResponse, UpgradeOutcome, UpgradeRefusalReason } from "./client.js";
export { acceptUpgrade, acceptH2cUpgrade } from "./server.js";
export type { AcceptUpgradeOptions, UpgradeDecision, UpgradeDeclineReason, UpgradeRequestHead, UpgradeResponseHead } from "./server.js";
export { SETTINGS_ENABLE_CONNECT_PROTOCOL, isExtendedConnectEnabled, assertExtendedConnectEnabled } from "./settings-check.js";
export type { PeerSettings } from "./settings-check.js";
export { WEBSOCKET_GUID, WEBSOCKET_VERSION, generateWebSocketKey, computeWebSocketAccept, isValidWebSocketKey } from "./websocket.js";
export { formatHttp1Request, formatHttp1Response } from "./http1.js";
