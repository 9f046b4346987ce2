/**
 * The server side of a protocol upgrade: judging an upgrade request,
 * picking exactly one protocol, and building the response that says which.
 * @module
 */
import { decodeHttp2Settings, ErrorCode, type Setting } from "../http2/index.js";
import { HttpwireError } from "../shared/errors.js";
import { trimOws } from "../shared/field-list.js";
import { type HttpVersion, UpgradeToken } from "./client.js";
import { connectionError, malformedRequestCode, streamError, UpgradeError } from "./errors.js";
import { fieldValues, type HeaderField, hasListToken, listElements } from "./fields.js";
import { extendedConnectNotEnabled } from "./settings-check.js";
import { computeWebSocketAccept, isValidWebSocketKey, WEBSOCKET_VERSION } from "./websocket.js";

/** A received request: its fields, and for HTTP/1.1 its method. */
export interface UpgradeRequestHead {
  /** HTTP/1.1 method; HTTP/2 and HTTP/3 read `:method` from `headers`. */
  readonly method?: string;
  /** The fields as received, pseudo-headers included for HTTP/2 and HTTP/3. */
  readonly headers: readonly HeaderField[];
}

/** How the server judges upgrade requests. */
export interface AcceptUpgradeOptions {
  readonly httpVersion: HttpVersion;
  /** Upgrade tokens the server implements, e.g. `["websocket"]`. */
  readonly supported: readonly string[];
  /** WebSocket subprotocols the server speaks; it picks the client's first one it knows. */
  readonly websocketProtocols?: readonly string[];
  /**
   * HTTP/2 and HTTP/3: whether this server sent SETTINGS_ENABLE_CONNECT_PROTOCOL = 1.
   * Defaults to `true`. Without it, `:protocol` makes the request malformed.
   */
  readonly extendedConnectEnabled?: boolean;
}

/** A response to send: status and fields (`:status` first for HTTP/2 and HTTP/3). */
export interface UpgradeResponseHead {
  readonly status: number;
  readonly headers: readonly HeaderField[];
}

/**
 * Why the server does not upgrade. The h2c SETTINGS checks carry
 * `httpwire/http2`'s own tokens (`settings_length_not_multiple_of_6`,
 * `settings_enable_push_invalid`, ...), hence the open `string`.
 */
export type UpgradeDeclineReason =
  | "no_upgrade_offered"
  | "connection_upgrade_missing"
  | "no_supported_protocol"
  | "websocket_method_not_get"
  | "missing_host"
  | "websocket_key_invalid"
  | "websocket_version_unsupported"
  | "http2_settings_missing"
  | "http2_settings_multiple"
  | "connection_http2_settings_missing"
  | "http2_settings_invalid_base64"
  | "not_extended_connect"
  | "protocol_without_connect"
  | "extended_connect_not_enabled"
  | "duplicate_pseudo_header"
  | "extended_connect_missing_pseudo_header"
  | "connection_specific_field"
  | "protocol_not_supported"
  | (string & {});

/** The server's decision on an upgrade request. */
export type UpgradeDecision =
  | {
      readonly accepted: true;
      /** The one protocol chosen, as the client wrote it. */
      readonly protocol: string;
      /** The WebSocket subprotocol chosen, if any. */
      readonly websocketProtocol: string | undefined;
      /** h2c: the client's SETTINGS from `HTTP2-Settings` (RFC 7540 §3.2.1). */
      readonly http2Settings: readonly Setting[] | undefined;
      /** `101` with `Upgrade`/`Connection` (HTTP/1.1) or `:status 200` (HTTP/2, HTTP/3). */
      readonly response: UpgradeResponseHead;
    }
  | {
      readonly accepted: false;
      /** Token naming the check that failed. */
      readonly reason: UpgradeDeclineReason;
      readonly message: string;
      /**
       * The response to send, e.g. 400, 426 with `Sec-WebSocket-Version`, or
       * 501 for an unknown `:protocol` (RFC 9220 §3). `undefined`: serve the
       * request as if it carried no upgrade (HTTP/1.1, RFC 9110 §7.8), or,
       * with `error`, reset the stream.
       */
      readonly response: UpgradeResponseHead | undefined;
      /**
       * Set when the request is malformed: HTTP/2 PROTOCOL_ERROR or HTTP/3
       * H3_MESSAGE_ERROR, stream-scoped (RFC 9113 §8.1.1, RFC 9114 §4.1.2),
       * or the HTTP/2 code an invalid `HTTP2-Settings` deserves.
       */
      readonly error: UpgradeError | undefined;
    };

function refuse(reason: UpgradeDeclineReason, message: string, response?: UpgradeResponseHead, error?: UpgradeError): UpgradeDecision {
  return { accepted: false, reason, message, response, error };
}

function malformed(httpVersion: "2" | "3", reason: UpgradeDeclineReason, message: string): UpgradeDecision {
  const m = `Malformed extended CONNECT: ${message}`;
  return refuse(reason, m, undefined, streamError(malformedRequestCode(httpVersion), undefined, reason, m));
}

function pickSubprotocol(req: readonly HeaderField[], mine: readonly string[]): string | undefined {
  for (const p of listElements(req, "sec-websocket-protocol")) if (mine.includes(p)) return p;
  return undefined;
}

function webSocketVersionCheck(headers: readonly HeaderField[], pseudo: boolean): UpgradeDecision | undefined {
  const v = fieldValues(headers, "sec-websocket-version");
  if (v.length === 1 && trimOws(v[0]!) === WEBSOCKET_VERSION) return undefined;
  // RFC 6455 §4.2.2 item 4 / §4.4: answer 426 with the versions the server supports
  const status = 426;
  const name = pseudo ? "sec-websocket-version" : "Sec-WebSocket-Version";
  const fields: HeaderField[] = pseudo ? [{ name: ":status", value: "426" }] : [];
  fields.push({ name, value: WEBSOCKET_VERSION });
  return refuse("websocket_version_unsupported", "Sec-WebSocket-Version is not exactly 13", {
    status,
    headers: fields,
  });
}

const BAD_REQUEST: UpgradeResponseHead = { status: 400, headers: [] };

function acceptHttp1(head: UpgradeRequestHead, options: AcceptUpgradeOptions): UpgradeDecision {
  const offered = listElements(head.headers, "upgrade");
  if (offered.length === 0) return refuse("no_upgrade_offered", "The request has no Upgrade field");
  // RFC 9110 §7.8: Upgrade is a connection option; without "upgrade" in Connection it may have been forwarded
  if (!hasListToken(head.headers, "connection", "upgrade")) {
    return refuse("connection_upgrade_missing", "The request has Upgrade but no Connection: upgrade");
  }
  // RFC 9110 §7.8: the client lists protocols in descending preference; take its first one we support
  const supported = options.supported.map((s) => s.toLowerCase());
  const protocol = offered.find((p) => supported.includes(p.toLowerCase()));
  if (protocol === undefined) return refuse("no_supported_protocol", "None of the offered protocols is supported");
  const lower = protocol.toLowerCase();

  if (lower === UpgradeToken.WEBSOCKET) {
    // RFC 6455 §4.2.1: a GET with Host, a 16-byte base64 key and version 13, else 400 (426 for the version)
    if (head.method !== "GET") return refuse("websocket_method_not_get", "A WebSocket handshake must be a GET request", BAD_REQUEST);
    if (fieldValues(head.headers, "host").length !== 1)
      return refuse("missing_host", "The request needs exactly one Host field", BAD_REQUEST);
    const key = fieldValues(head.headers, "sec-websocket-key");
    if (key.length !== 1 || !isValidWebSocketKey(trimOws(key[0]!))) {
      return refuse("websocket_key_invalid", "Sec-WebSocket-Key must be one base64 value of 16 bytes", BAD_REQUEST);
    }
    const bad = webSocketVersionCheck(head.headers, false);
    if (bad !== undefined) return bad;
    const websocketProtocol = pickSubprotocol(head.headers, options.websocketProtocols ?? []);
    const headers: HeaderField[] = [
      { name: "Upgrade", value: protocol },
      { name: "Connection", value: "Upgrade" },
      { name: "Sec-WebSocket-Accept", value: computeWebSocketAccept(trimOws(key[0]!)) },
    ];
    if (websocketProtocol !== undefined) headers.push({ name: "Sec-WebSocket-Protocol", value: websocketProtocol });
    return {
      accepted: true,
      protocol,
      websocketProtocol,
      http2Settings: undefined,
      response: { status: 101, headers },
    };
  }

  let http2Settings: Setting[] | undefined;
  if (lower === UpgradeToken.H2C) {
    // RFC 7540 §3.2.1: a server MUST NOT upgrade if HTTP2-Settings is absent or present more than once
    const values = fieldValues(head.headers, "http2-settings");
    if (values.length === 0) return refuse("http2_settings_missing", "The h2c upgrade has no HTTP2-Settings field");
    if (values.length > 1) return refuse("http2_settings_multiple", "The h2c upgrade has more than one HTTP2-Settings field");
    // RFC 7540 §3.2.1: the client MUST send HTTP2-Settings as a connection option
    if (!hasListToken(head.headers, "connection", "http2-settings")) {
      return refuse("connection_http2_settings_missing", "Connection does not list HTTP2-Settings");
    }
    const value = trimOws(values[0]!);
    // RFC 7540 §3.2.1: base64url "with any trailing '=' characters omitted"; httpwire/http2 tolerates padding, we do not
    if (value.endsWith("=")) {
      const e = connectionError(
        ErrorCode.PROTOCOL_ERROR,
        "http2_settings_invalid_base64",
        "Cannot decode HTTP2-Settings: base64url padding is not allowed",
      );
      return refuse(e.reason, e.message, undefined, e);
    }
    try {
      http2Settings = decodeHttp2Settings(value);
    } catch (e) {
      if (!(e instanceof HttpwireError)) throw e;
      // Same code, scope and reason as httpwire/http2 decided; the Http2Error is kept as the cause.
      const wrapped = new UpgradeError(e.message, e.code, e.codeName, {
        reason: e.reason,
        scope: e.scope,
        offset: e.offset,
        cause: e,
      });
      return refuse(wrapped.reason, wrapped.message, undefined, wrapped);
    }
  }
  const headers: HeaderField[] = [
    { name: "Connection", value: "Upgrade" },
    { name: "Upgrade", value: protocol },
  ];
  return { accepted: true, protocol, websocketProtocol: undefined, http2Settings, response: { status: 101, headers } };
}

const PSEUDO_REQUIRED = [":scheme", ":path", ":authority"] as const;

function acceptExtendedConnect(head: UpgradeRequestHead, options: AcceptUpgradeOptions, v: "2" | "3"): UpgradeDecision {
  const method = fieldValues(head.headers, ":method");
  const proto = fieldValues(head.headers, ":protocol");
  if (proto.length === 0) return refuse("not_extended_connect", "The request is not a CONNECT with :protocol");
  // RFC 8441 §4: :protocol belongs to CONNECT; on another method it is an undefined pseudo-header, so the
  // request is malformed (RFC 9113 §8.3, RFC 9114 §4.3)
  if (method.length !== 1 || method[0] !== "CONNECT")
    return malformed(v, "protocol_without_connect", ":protocol on a request whose :method is not CONNECT");
  // RFC 8441 §3: :protocol without the setting is malformed (RFC 9113 §8.1.1)
  if (options.extendedConnectEnabled === false) {
    const e = extendedConnectNotEnabled(v, "this endpoint did not send SETTINGS_ENABLE_CONNECT_PROTOCOL = 1");
    return refuse(e.reason, e.message, undefined, e);
  }
  if (proto.length > 1) return malformed(v, "duplicate_pseudo_header", ":protocol appears more than once");
  // RFC 8441 §4: requests with :protocol MUST also include :scheme and :path; :authority is required as for any request
  for (const p of PSEUDO_REQUIRED) {
    const vals = fieldValues(head.headers, p);
    if (vals.length !== 1 || vals[0]!.length === 0)
      return malformed(v, "extended_connect_missing_pseudo_header", `${p} must appear exactly once and not be empty`);
  }
  for (const f of head.headers) {
    const n = f.name.toLowerCase();
    // RFC 8441 §5: Connection and Upgrade MUST NOT be included; RFC 9113 §8.2.2, RFC 9114 §4.2
    if (n === "connection" || n === "upgrade" || n === "keep-alive" || n === "proxy-connection" || n === "transfer-encoding") {
      return malformed(v, "connection_specific_field", `connection-specific field "${n}" is not allowed`);
    }
    // RFC 9113 §8.2.2, RFC 9114 §4.2: TE is allowed only with the value "trailers"
    if (n === "te" && trimOws(f.value).toLowerCase() !== "trailers") {
      return malformed(v, "connection_specific_field", 'TE holds a value other than "trailers"');
    }
  }
  const protocol = proto[0]!;
  if (!options.supported.some((s) => s.toLowerCase() === protocol.toLowerCase())) {
    // RFC 9220 §3: an unknown or unsupported :protocol SHOULD get 501 (Not Implemented)
    return refuse("protocol_not_supported", "The :protocol is not supported", {
      status: 501,
      headers: [{ name: ":status", value: "501" }],
    });
  }
  let websocketProtocol: string | undefined;
  if (protocol.toLowerCase() === UpgradeToken.WEBSOCKET) {
    const bad = webSocketVersionCheck(head.headers, true);
    if (bad !== undefined) return bad;
    websocketProtocol = pickSubprotocol(head.headers, options.websocketProtocols ?? []);
  }
  const headers: HeaderField[] = [{ name: ":status", value: "200" }];
  if (websocketProtocol !== undefined) headers.push({ name: "sec-websocket-protocol", value: websocketProtocol });
  return { accepted: true, protocol, websocketProtocol, http2Settings: undefined, response: { status: 200, headers } };
}

/**
 * Judges an upgrade request on the server: picks exactly one protocol (the
 * client's most preferred one that `supported` lists) and builds the
 * response that names it, or says why not.
 *
 * - HTTP/1.1 (RFC 9110 §7.8): needs `Upgrade` and `Connection: upgrade`;
 *   websocket checks RFC 6455 §4.2.1 (GET, Host, key, version 13); h2c
 *   checks RFC 7540 §3.2.1 (exactly one `HTTP2-Settings`, listed in
 *   `Connection`, a valid SETTINGS payload). Accepting answers `101` with
 *   `Upgrade: <chosen>` and `Connection: Upgrade` (plus
 *   `Sec-WebSocket-Accept`).
 * - HTTP/2 and HTTP/3: an extended CONNECT (RFC 8441 §4, RFC 9220 §3) with
 *   exactly one `:protocol`, `:scheme`, `:path` and `:authority` and no
 *   connection-specific fields; accepting answers `:status 200`.
 *
 * Protocol violations are never thrown: a refusal carries `error`, an
 * {@link UpgradeError} with the code and scope to answer with (a malformed
 * extended CONNECT: HTTP/2 PROTOCOL_ERROR or HTTP/3 H3_MESSAGE_ERROR, stream
 * scope; an invalid h2c `HTTP2-Settings`: the HTTP/2 code, connection scope).
 *
 * @throws TypeError when `options.httpVersion` is not "1.1", "2" or "3"
 * @example
 * ```ts
 * const d = acceptUpgrade({ method: "GET", headers: [
 *   { name: "Host", value: "server.example.com" }, { name: "Upgrade", value: "websocket" },
 *   { name: "Connection", value: "Upgrade" }, { name: "Sec-WebSocket-Key", value: "dGhlIHNhbXBsZSBub25jZQ==" },
 *   { name: "Sec-WebSocket-Version", value: "13" }] }, { httpVersion: "1.1", supported: ["websocket"] });
 * d.accepted && d.response.headers[2]; // { name: "Sec-WebSocket-Accept", value: "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=" }
 * ```
 */
export function acceptUpgrade(head: UpgradeRequestHead, options: AcceptUpgradeOptions): UpgradeDecision {
  switch (options.httpVersion) {
    case "1.1":
      return acceptHttp1(head, options);
    case "2":
    case "3":
      return acceptExtendedConnect(head, options, options.httpVersion);
    default:
      throw new TypeError(`Cannot judge upgrade: HTTP version "${String(options.httpVersion)}" is not 1.1, 2 or 3`);
  }
}

/**
 * Judges an h2c upgrade request (RFC 7540 §3.2) on an HTTP/1.1 server; on
 * success the decision holds the client's SETTINGS and the
 * `101 Switching Protocols` response (`Connection: Upgrade`, `Upgrade: h2c`).
 * After sending it the server speaks HTTP/2, starting with its own SETTINGS,
 * and answers the upgraded request on stream 1.
 */
export function acceptH2cUpgrade(head: UpgradeRequestHead): UpgradeDecision {
  return acceptUpgrade(head, { httpVersion: "1.1", supported: [UpgradeToken.H2C] });
}
