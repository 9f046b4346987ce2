/**
 * The client side of a protocol upgrade: building the request for HTTP/1.1
 * (RFC 9110 §7.8, RFC 6455 §4.1, RFC 7540 §3.2), HTTP/2 (RFC 8441) or HTTP/3
 * (RFC 9220), and judging the server's response.
 * @module
 */

import { encodeHttp2Settings, type Setting } from "../http2/index.js";
import { isToken, trimOws } from "../shared/field-list.js";
import { extensionName, fieldValues, type HeaderField, hasListToken, isUpgradeProtocol, listElements } from "./fields.js";
import { assertExtendedConnectEnabled, type PeerSettings } from "./settings-check.js";
import { computeWebSocketAccept, generateWebSocketKey, WEBSOCKET_VERSION } from "./websocket.js";

/** The HTTP version an upgrade is attempted over. */
export type HttpVersion = "1.1" | "2" | "3";

/** Whether `s` holds a character that is not visible ASCII (0x21-0x7e), or one of `also`. */
function hasInvisibleOr(s: string, also: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c <= 0x20 || c >= 0x7f || also.includes(s[i]!)) return true;
  }
  return false;
}

/** Upgrade tokens (IANA "HTTP Upgrade Token Registry") this module knows the rules of. */
export const UpgradeToken = {
  /** WebSocket (RFC 6455; RFC 8441 and RFC 9220 over HTTP/2 and HTTP/3). */
  WEBSOCKET: "websocket",
  /** HTTP/2 over cleartext via HTTP/1.1 Upgrade (RFC 7540 §3.2; deprecated by RFC 9113 §3.1). */
  H2C: "h2c",
} as const;

/** One of the {@link UpgradeToken} values. */
export type UpgradeToken = (typeof UpgradeToken)[keyof typeof UpgradeToken];

/** What {@link buildUpgradeRequest} needs. */
export interface UpgradeRequestOptions {
  /** HTTP/1.1 uses Upgrade; HTTP/2 and HTTP/3 use extended CONNECT. */
  readonly httpVersion: HttpVersion;
  /**
   * The protocol to switch to, e.g. `"websocket"`. HTTP/1.1 may offer
   * several in order of preference (RFC 9110 §7.8); HTTP/2 and HTTP/3 take one.
   */
  readonly protocol: string | readonly string[];
  /** The target's authority, `host[:port]`: `Host` in HTTP/1.1, `:authority` otherwise. */
  readonly authority: string;
  /** The target's path and query; defaults to `"/"`. */
  readonly path?: string;
  /** `:scheme` for HTTP/2 and HTTP/3 (RFC 8441 §5: `https` for wss, `http` for ws); defaults to `"https"`. */
  readonly scheme?: "http" | "https";
  /** HTTP/1.1 request method; defaults to `"GET"` (RFC 6455 §4.1 requires GET for websocket). */
  readonly method?: string;
  /**
   * Required for HTTP/2 and HTTP/3: the settings the peer sent. The request
   * is refused before it is built unless they hold
   * SETTINGS_ENABLE_CONNECT_PROTOCOL = 1.
   */
  readonly peerSettings?: PeerSettings;
  /** `Sec-WebSocket-Key` to send (HTTP/1.1 websocket); a random one by default. */
  readonly websocketKey?: string;
  /** Subprotocols to offer in `Sec-WebSocket-Protocol`, in order of preference. */
  readonly websocketProtocols?: readonly string[];
  /** h2c: the SETTINGS to carry in `HTTP2-Settings`; defaults to none. */
  readonly http2Settings?: Iterable<Setting>;
  /** More fields to send (e.g. `origin`). Lowercased for HTTP/2 and HTTP/3. */
  readonly headers?: readonly HeaderField[];
}

/** A built upgrade request, ready to send. */
export interface UpgradeRequest {
  readonly httpVersion: HttpVersion;
  /** The protocols offered, in order of preference. */
  readonly protocols: readonly string[];
  /** `GET` (or as asked) for HTTP/1.1; `CONNECT` for HTTP/2 and HTTP/3. */
  readonly method: string;
  /** The path; for HTTP/1.1 the request-target of the request line. */
  readonly path: string;
  /**
   * The fields to send. HTTP/1.1: `Host`, `Connection`, `Upgrade` and the
   * protocol's fields, no pseudo-header. HTTP/2 and HTTP/3: `:method`,
   * `:protocol`, `:scheme`, `:path`, `:authority` first, then regular
   * fields, all lowercase.
   */
  readonly headers: readonly HeaderField[];
  /** The `Sec-WebSocket-Key` sent (HTTP/1.1 websocket), to check the accept value. */
  readonly websocketKey: string | undefined;
}

// RFC 9113 §8.2.2 / RFC 9114 §4.2: connection-specific fields make a message malformed
const CONNECTION_SPECIFIC = new Set([
  "connection",
  "upgrade",
  "keep-alive",
  "proxy-connection",
  "transfer-encoding",
  "host",
  "http2-settings",
]);
const SET_BY_US_H1 = new Set(["host", "connection", "upgrade", "http2-settings", "sec-websocket-key"]);

function checkFieldLine(f: HeaderField, k: number): void {
  if (!isToken(f.name)) throw new TypeError(`Cannot build upgrade request: field ${k} name is not a token`);
  for (let i = 0; i < f.value.length; i++) {
    const c = f.value.charCodeAt(i);
    if (c === 0 || c === 0x0a || c === 0x0d || c > 0xff)
      throw new TypeError(`Cannot build upgrade request: field ${k} value has a forbidden character`);
  }
}

/**
 * Builds an upgrade request for `protocol` over `httpVersion`.
 *
 * - HTTP/1.1: `Host`, `Connection: Upgrade` (plus `HTTP2-Settings` for h2c),
 *   `Upgrade: <protocols>`; websocket adds `Sec-WebSocket-Key` and
 *   `Sec-WebSocket-Version: 13` (RFC 6455 §4.1); h2c adds exactly one
 *   `HTTP2-Settings` (RFC 7540 §3.2.1).
 * - HTTP/2 and HTTP/3: extended CONNECT, `:method CONNECT`, `:protocol`,
 *   `:scheme`, `:path`, `:authority` (RFC 8441 §4, §5; RFC 9220 §3), no
 *   `Connection`/`Upgrade`; websocket adds `sec-websocket-version: 13` and
 *   no key. Refused with an {@link UpgradeError} before anything is built
 *   unless the peer sent SETTINGS_ENABLE_CONNECT_PROTOCOL = 1.
 *
 * @throws {UpgradeError} `extended_connect_not_enabled` (HTTP/2
 *   PROTOCOL_ERROR / HTTP/3 H3_MESSAGE_ERROR, stream) when the peer has not
 *   allowed extended CONNECT.
 * @throws TypeError for caller mistakes: a protocol that is not a token,
 *   several protocols or h2c over HTTP/2 or HTTP/3, a path not starting
 *   with "/", a bad authority, or an extra field that clashes with the
 *   ones this function writes.
 * @example
 * ```ts
 * const req = buildUpgradeRequest({
 *   httpVersion: "2", protocol: "websocket", authority: "server.example.com", path: "/chat",
 *   peerSettings: [{ id: 0x08, value: 1 }],
 * });
 * req.headers.slice(0, 5); // :method CONNECT, :protocol websocket, :scheme https, :path /chat, :authority server.example.com
 * ```
 */
export function buildUpgradeRequest(options: UpgradeRequestOptions): UpgradeRequest {
  const { httpVersion } = options;
  if (httpVersion !== "1.1" && httpVersion !== "2" && httpVersion !== "3") {
    throw new TypeError(`Cannot build upgrade request: HTTP version "${String(httpVersion)}" is not 1.1, 2 or 3`);
  }
  const protocols = typeof options.protocol === "string" ? [options.protocol] : [...options.protocol];
  if (protocols.length === 0) throw new TypeError("Cannot build upgrade request: no protocol given");
  for (const p of protocols) if (!isUpgradeProtocol(p)) throw new TypeError(`Cannot build upgrade request: protocol "${p}" is not a token`);
  const path = options.path ?? "/";
  if (path.length === 0 || path[0] !== "/" || hasInvisibleOr(path, "")) {
    throw new TypeError('Cannot build upgrade request: path must start with "/" and hold no spaces or controls');
  }
  const authority = options.authority;
  if (authority.length === 0 || hasInvisibleOr(authority, "/?#@")) {
    throw new TypeError("Cannot build upgrade request: authority must be a non-empty host[:port]");
  }
  const extras = options.headers ?? [];
  extras.forEach(checkFieldLine);
  const offerWs = protocols.some((p) => p.toLowerCase() === UpgradeToken.WEBSOCKET);
  const offerH2c = protocols.some((p) => p.toLowerCase() === UpgradeToken.H2C);
  const wsProtocols = options.websocketProtocols ?? [];
  for (const p of wsProtocols) if (!isToken(p)) throw new TypeError(`Cannot build upgrade request: subprotocol "${p}" is not a token`);
  const userVersion = fieldValues(extras, "sec-websocket-version");
  if (userVersion.some((v) => v !== WEBSOCKET_VERSION))
    throw new TypeError("Cannot build upgrade request: Sec-WebSocket-Version must be 13");

  const headers: HeaderField[] = [];
  if (httpVersion === "1.1") {
    for (const f of extras) {
      if (SET_BY_US_H1.has(f.name.toLowerCase()))
        throw new TypeError(`Cannot build upgrade request: field "${f.name}" is written by this function`);
    }
    const method = options.method ?? "GET";
    if (!isToken(method)) throw new TypeError("Cannot build upgrade request: method is not a token");
    if (offerWs && method !== "GET") throw new TypeError("Cannot build upgrade request: RFC 6455 §4.1 requires GET for websocket");
    headers.push({ name: "Host", value: authority });
    // RFC 7540 §3.2.1: a client sending HTTP2-Settings MUST also send it as a connection option
    headers.push({ name: "Connection", value: offerH2c ? "Upgrade, HTTP2-Settings" : "Upgrade" });
    headers.push({ name: "Upgrade", value: protocols.join(", ") });
    if (offerH2c) headers.push({ name: "HTTP2-Settings", value: encodeHttp2Settings([...(options.http2Settings ?? [])]) });
    let websocketKey: string | undefined;
    if (offerWs) {
      websocketKey = options.websocketKey ?? generateWebSocketKey();
      headers.push({ name: "Sec-WebSocket-Key", value: websocketKey });
      if (userVersion.length === 0) headers.push({ name: "Sec-WebSocket-Version", value: WEBSOCKET_VERSION });
      if (wsProtocols.length > 0) headers.push({ name: "Sec-WebSocket-Protocol", value: wsProtocols.join(", ") });
    }
    headers.push(...extras);
    return { httpVersion, protocols, method, path, headers, websocketKey };
  }

  if (protocols.length !== 1)
    throw new TypeError(`Cannot build upgrade request: HTTP/${httpVersion} extended CONNECT carries exactly one protocol`);
  const protocol = protocols[0]!;
  if (offerH2c) throw new TypeError(`Cannot build upgrade request: h2c is an HTTP/1.1 upgrade only`);
  const scheme = options.scheme ?? "https";
  if (scheme !== "http" && scheme !== "https")
    throw new TypeError(`Cannot build upgrade request: scheme "${String(scheme)}" is not http or https`);
  for (const f of extras) {
    const n = f.name.toLowerCase();
    // RFC 8441 §5: Connection and Upgrade MUST NOT be included; RFC 9113 §8.2.2 / RFC 9114 §4.2: no connection-specific fields
    if (CONNECTION_SPECIFIC.has(n) || n === "sec-websocket-key" || (n === "te" && trimOws(f.value).toLowerCase() !== "trailers")) {
      throw new TypeError(`Cannot build upgrade request: field "${f.name}" is not allowed in HTTP/${httpVersion} extended CONNECT`);
    }
  }
  // Checked last among the preconditions that do not depend on the caller's arguments being wrong.
  assertExtendedConnectEnabled(options.peerSettings, httpVersion);
  headers.push(
    { name: ":method", value: "CONNECT" },
    { name: ":protocol", value: protocol },
    { name: ":scheme", value: scheme },
    { name: ":path", value: path },
    { name: ":authority", value: authority },
  );
  if (offerWs && wsProtocols.length > 0) headers.push({ name: "sec-websocket-protocol", value: wsProtocols.join(", ") });
  for (const f of extras) headers.push({ name: f.name.toLowerCase(), value: f.value });
  if (offerWs && userVersion.length === 0) headers.push({ name: "sec-websocket-version", value: WEBSOCKET_VERSION });
  return { httpVersion, protocols, method: "CONNECT", path, headers, websocketKey: undefined };
}

/**
 * Builds the HTTP/1.1 h2c upgrade request of RFC 7540 §3.2: `Upgrade: h2c`,
 * `Connection: Upgrade, HTTP2-Settings` and one `HTTP2-Settings` carrying
 * `settings` as unpadded base64url (`httpwire/http2`'s `encodeHttp2Settings`).
 * h2c is deprecated by RFC 9113 §3.1;
 * this exists for peers that still speak it.
 *
 * @example
 * ```ts
 * buildH2cUpgradeRequest({ authority: "server.example.com", settings: [{ id: 0x03, value: 100 }] }).headers;
 * // Host, Connection: Upgrade, HTTP2-Settings, Upgrade: h2c, HTTP2-Settings: AAMAAABk
 * ```
 */
export function buildH2cUpgradeRequest(options: {
  readonly authority: string;
  readonly path?: string;
  readonly method?: string;
  readonly settings?: Iterable<Setting>;
  readonly headers?: readonly HeaderField[];
}): UpgradeRequest {
  return buildUpgradeRequest({
    httpVersion: "1.1",
    protocol: UpgradeToken.H2C,
    authority: options.authority,
    path: options.path,
    method: options.method,
    http2Settings: options.settings ?? [],
    headers: options.headers,
  });
}

/** The response to judge: status (or a `:status` field) and fields. */
export interface UpgradeResponse {
  /** The status code; read from `:status` in `headers` when omitted. */
  readonly status?: number;
  readonly headers: readonly HeaderField[];
}

/** Why a response does not complete the upgrade. */
export type UpgradeRefusalReason =
  | "missing_status"
  | "interim_response"
  | "status_not_101"
  | "status_not_2xx"
  | "switching_protocols_not_allowed"
  | "missing_upgrade"
  | "multiple_upgrade_protocols"
  | "upgrade_protocol_not_offered"
  | "connection_upgrade_missing"
  | "websocket_accept_missing"
  | "websocket_accept_mismatch"
  | "websocket_protocol_not_offered"
  | "websocket_extension_not_offered";

/** The client's verdict on an upgrade response. */
export type UpgradeOutcome =
  | {
      readonly accepted: true;
      /** The protocol now spoken, as the request offered it. */
      readonly protocol: string;
      readonly status: number;
      /** The WebSocket subprotocol the server chose, if any. */
      readonly websocketProtocol: string | undefined;
    }
  | {
      readonly accepted: false;
      readonly reason: UpgradeRefusalReason;
      /** Sentence-case explanation; never holds field values. */
      readonly message: string;
      /** The status, when there was one. */
      readonly status: number | undefined;
    };

function refuse(reason: UpgradeRefusalReason, message: string, status: number | undefined): UpgradeOutcome {
  return { accepted: false, reason, message, status };
}

function responseStatus(res: UpgradeResponse): number | undefined {
  if (res.status !== undefined) return res.status;
  const s = fieldValues(res.headers, ":status");
  if (s.length !== 1 || !/^[0-9]{3}$/.test(s[0]!)) return undefined;
  return Number(s[0]);
}

/** RFC 6455 §4.1 items 5 and 6 (the client's subprotocol and extension checks); shared by every version. */
function judgeWebSocketNegotiation(req: UpgradeRequest, res: UpgradeResponse, status: number): UpgradeOutcome | string | undefined {
  const offered = listElements(req.headers, "sec-websocket-protocol");
  const chosen = listElements(res.headers, "sec-websocket-protocol");
  let websocketProtocol: string | undefined;
  if (chosen.length > 0) {
    // The server selects one of the offered values; anything else MUST fail the connection.
    if (chosen.length !== 1 || !offered.includes(chosen[0]!)) {
      return refuse(
        "websocket_protocol_not_offered",
        "Sec-WebSocket-Protocol in the response is not exactly one offered subprotocol",
        status,
      );
    }
    websocketProtocol = chosen[0];
  }
  const offeredExt = new Set(listElements(req.headers, "sec-websocket-extensions").map((e) => extensionName(e).toLowerCase()));
  for (const e of listElements(res.headers, "sec-websocket-extensions")) {
    if (!offeredExt.has(extensionName(e).toLowerCase())) {
      return refuse(
        "websocket_extension_not_offered",
        "Sec-WebSocket-Extensions in the response names an extension that was not offered",
        status,
      );
    }
  }
  return websocketProtocol;
}

/**
 * Judges the server's response to an upgrade request.
 *
 * - HTTP/1.1: accepted only for `101` with exactly one `Upgrade` protocol
 *   that was offered (case-insensitive) and `Connection: upgrade`
 *   (RFC 9110 §7.8); for websocket also the right `Sec-WebSocket-Accept`
 *   and an offered subprotocol/extensions (RFC 6455 §4.1). Any other status
 *   means the server ignored the upgrade (`status_not_101`).
 * - HTTP/2 and HTTP/3: accepted for any 2xx (RFC 8441 §5, RFC 9220 §3);
 *   `101` is not allowed there (RFC 9113 §8.6, RFC 9114 §4.5), another
 *   1xx is interim, anything else is `status_not_2xx`.
 *
 * @returns A verdict; a refusal names the failed check in `reason`.
 * @example
 * ```ts
 * const req = buildUpgradeRequest({ httpVersion: "1.1", protocol: "websocket", authority: "server.example.com", websocketKey: "dGhlIHNhbXBsZSBub25jZQ==" });
 * judgeUpgradeResponse(req, { status: 101, headers: [
 *   { name: "Upgrade", value: "websocket" }, { name: "Connection", value: "Upgrade" },
 *   { name: "Sec-WebSocket-Accept", value: "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=" }] }).accepted; // true
 * ```
 */
export function judgeUpgradeResponse(request: UpgradeRequest, response: UpgradeResponse): UpgradeOutcome {
  const status = responseStatus(response);
  if (status === undefined || !Number.isInteger(status) || status < 100 || status > 999) {
    return refuse("missing_status", "The response has no valid status", undefined);
  }
  if (request.httpVersion !== "1.1") {
    if (status === 101) {
      return refuse("switching_protocols_not_allowed", `Status 101 is not allowed in HTTP/${request.httpVersion}`, status);
    }
    if (status < 200) return refuse("interim_response", `Status ${status} is interim; the final response is still to come`, status);
    if (status > 299) return refuse("status_not_2xx", `The server refused the extended CONNECT with status ${status}`, status);
    const protocol = request.protocols[0]!;
    let websocketProtocol: string | undefined;
    if (protocol.toLowerCase() === UpgradeToken.WEBSOCKET) {
      const ws = judgeWebSocketNegotiation(request, response, status);
      if (typeof ws === "object") return ws;
      websocketProtocol = ws;
    }
    return { accepted: true, protocol, status, websocketProtocol };
  }

  if (status !== 101) {
    if (status < 200 && status !== 101)
      return refuse("interim_response", `Status ${status} is interim; the final response is still to come`, status);
    return refuse("status_not_101", `The server did not switch protocols (status ${status})`, status);
  }
  const upgrade = listElements(response.headers, "upgrade");
  if (upgrade.length === 0) return refuse("missing_upgrade", "The 101 response has no Upgrade field", status);
  if (upgrade.length > 1)
    return refuse("multiple_upgrade_protocols", `The 101 response names ${upgrade.length} protocols, not one`, status);
  const protocol = request.protocols.find((p) => p.toLowerCase() === upgrade[0]!.toLowerCase());
  if (protocol === undefined)
    return refuse("upgrade_protocol_not_offered", "The 101 response switches to a protocol that was not offered", status);
  // RFC 9110 §7.8: a sender of Upgrade MUST also send the "upgrade" connection option; RFC 6455 §4.1 item 3
  if (!hasListToken(response.headers, "connection", "upgrade")) {
    return refuse("connection_upgrade_missing", "The 101 response has no Connection: upgrade", status);
  }
  let websocketProtocol: string | undefined;
  if (protocol.toLowerCase() === UpgradeToken.WEBSOCKET) {
    const accept = fieldValues(response.headers, "sec-websocket-accept");
    if (accept.length === 0) return refuse("websocket_accept_missing", "The 101 response has no Sec-WebSocket-Accept", status);
    const key = request.websocketKey;
    // RFC 6455 §4.1 item 4: the value MUST be base64(SHA-1(key + GUID)), trimmed of whitespace
    if (accept.length !== 1 || key === undefined || trimOws(accept[0]!) !== computeWebSocketAccept(key)) {
      return refuse("websocket_accept_mismatch", "Sec-WebSocket-Accept does not match the key sent", status);
    }
    const ws = judgeWebSocketNegotiation(request, response, status);
    if (typeof ws === "object") return ws;
    websocketProtocol = ws;
  }
  return { accepted: true, protocol, status, websocketProtocol };
}
