import type { HeaderField, UpgradeRequest, UpgradeRequestOptions } from "httpwire/upgrade";
import { buildH2cUpgradeRequest, buildUpgradeRequest, formatHttp1Request, judgeUpgradeResponse, UpgradeError } from "httpwire/upgrade";
import { describe, expect, test } from "vitest";

const KEY = "dGhlIHNhbXBsZSBub25jZQ==";
const ACCEPT = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";
const ENABLED = [{ id: 8, value: 1 }];

describe("buildUpgradeRequest over HTTP/1.1", () => {
  test("RFC 6455 §1.2 client handshake", () => {
    const req = h1ws([{ name: "Origin", value: "http://example.com" }]);
    expect(formatHttp1Request(req)).toBe(
      "GET /chat HTTP/1.1\r\n" +
        "Host: server.example.com\r\n" +
        "Connection: Upgrade\r\n" +
        "Upgrade: websocket\r\n" +
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n" +
        "Sec-WebSocket-Version: 13\r\n" +
        "Sec-WebSocket-Protocol: chat, superchat\r\n" +
        "Origin: http://example.com\r\n\r\n",
    );
    expect(req.websocketKey).toBe(KEY);
    expect(req.protocols).toEqual(["websocket"]);
  });

  test("RFC 7540 §3.2 h2c request", () => {
    const req = buildH2cUpgradeRequest({
      authority: "server.example.com",
      settings: [
        { id: 0x03, value: 100 },
        { id: 0x04, value: 65535 },
      ],
    });
    expect(formatHttp1Request(req)).toBe(
      "GET / HTTP/1.1\r\n" +
        "Host: server.example.com\r\n" +
        "Connection: Upgrade, HTTP2-Settings\r\n" +
        "Upgrade: h2c\r\n" +
        "HTTP2-Settings: AAMAAABkAAQAAP__\r\n\r\n",
    );
  });

  test("several protocols in order of preference, a generated key", () => {
    const req = buildUpgradeRequest({
      httpVersion: "1.1",
      protocol: ["websocket", "h2c"],
      authority: "a.example:8080",
    });
    expect(req.headers.map((f) => f.name)).toEqual([
      "Host",
      "Connection",
      "Upgrade",
      "HTTP2-Settings",
      "Sec-WebSocket-Key",
      "Sec-WebSocket-Version",
    ]);
    expect(req.headers[2]).toEqual({ name: "Upgrade", value: "websocket, h2c" });
    expect(req.websocketKey).toMatch(/^[A-Za-z0-9+/]{22}==$/);
  });

  test("peer settings are not needed on HTTP/1.1", () => {
    expect(() => buildUpgradeRequest({ httpVersion: "1.1", protocol: "foo/2", authority: "a" })).not.toThrow();
  });
});

describe("buildUpgradeRequest over HTTP/2 and HTTP/3", () => {
  test.each(["2", "3"] as const)("HTTP/%s: pseudo-headers first, lowercase names, http scheme for ws", (v) => {
    const req = buildUpgradeRequest({
      httpVersion: v,
      protocol: "websocket",
      authority: "server.example.com:8080",
      path: "/ws?x=1",
      scheme: "http",
      headers: [{ name: "Origin", value: "http://www.example.com" }],
      peerSettings: ENABLED,
    });
    expect(req.headers).toEqual([
      { name: ":method", value: "CONNECT" },
      { name: ":protocol", value: "websocket" },
      { name: ":scheme", value: "http" },
      { name: ":path", value: "/ws?x=1" },
      { name: ":authority", value: "server.example.com:8080" },
      { name: "origin", value: "http://www.example.com" },
      { name: "sec-websocket-version", value: "13" },
    ]);
  });

  test("another protocol has no websocket fields", () => {
    const req = buildUpgradeRequest({
      httpVersion: "2",
      protocol: "connect-udp",
      authority: "proxy",
      path: "/.well-known/masque/udp/h/443/",
      peerSettings: new Map([[8, 1]]),
    });
    expect(req.headers.map((f) => f.name)).toEqual([":method", ":protocol", ":scheme", ":path", ":authority"]);
  });

  test.each([
    { name: "map", settings: new Map([[8, 1]]), ok: true },
    { name: "bigint map", settings: new Map([[8n, 1n]]), ok: true },
    { name: "node:http2 remoteSettings", settings: { enableConnectProtocol: true }, ok: true },
    { name: "node:http2 remoteSettings false", settings: { enableConnectProtocol: false }, ok: false },
    { name: "HTTP/3 settings list with bigint", settings: [{ id: 8n, value: 1n }], ok: true },
    {
      name: "last value wins",
      settings: [
        { id: 8, value: 0 },
        { id: 8, value: 1 },
      ],
      ok: true,
    },
    { name: "other settings only", settings: [{ id: 4, value: 65535 }], ok: false },
  ])("peer settings as $name", ({ settings, ok }) => {
    const build = () => buildUpgradeRequest({ httpVersion: "2", protocol: "websocket", authority: "a", peerSettings: settings as never });
    if (ok) expect(build).not.toThrow();
    else expect(build).toThrow(UpgradeError);
  });
});

describe("buildUpgradeRequest caller mistakes", () => {
  const base = { authority: "a.example", peerSettings: ENABLED };
  test.each<{ name: string; opts: UpgradeRequestOptions }>([
    { name: "no protocol", opts: { ...base, httpVersion: "1.1", protocol: [] } },
    { name: "protocol not a token", opts: { ...base, httpVersion: "1.1", protocol: "web socket" } },
    { name: "two protocols over HTTP/2", opts: { ...base, httpVersion: "2", protocol: ["websocket", "x"] } },
    { name: "h2c over HTTP/2", opts: { ...base, httpVersion: "2", protocol: "h2c" } },
    { name: "h2c over HTTP/3", opts: { ...base, httpVersion: "3", protocol: "h2c" } },
    { name: "path without slash", opts: { ...base, httpVersion: "1.1", protocol: "websocket", path: "chat" } },
    { name: "path with a space", opts: { ...base, httpVersion: "1.1", protocol: "websocket", path: "/a b" } },
    { name: "empty authority", opts: { ...base, httpVersion: "1.1", protocol: "websocket", authority: "" } },
    { name: "authority with userinfo", opts: { ...base, httpVersion: "2", protocol: "websocket", authority: "u@h" } },
    { name: "websocket with POST", opts: { ...base, httpVersion: "1.1", protocol: "websocket", method: "POST" } },
    { name: "bad scheme", opts: { ...base, httpVersion: "2", protocol: "websocket", scheme: "ws" as never } },
    { name: "bad version", opts: { ...base, httpVersion: "1.0" as never, protocol: "websocket" } },
  ])("$name → TypeError", ({ opts }) => {
    expect(() => buildUpgradeRequest(opts)).toThrow(TypeError);
  });

  // Extra fields the caller may not add: one websocket request each, with one extra field.
  test.each<[name: string, httpVersion: UpgradeRequestOptions["httpVersion"], field: string, value: string]>([
    ["Connection in HTTP/2 extras", "2", "Connection", "Upgrade"],
    ["Upgrade in HTTP/3 extras", "3", "upgrade", "websocket"],
    ["TE: gzip in HTTP/2 extras", "2", "te", "gzip"],
    ["Transfer-Encoding in HTTP/3 extras", "3", "transfer-encoding", "chunked"],
    ["Host in HTTP/1.1 extras", "1.1", "host", "x"],
    ["field value with CRLF", "1.1", "x", "a\r\nb"],
    ["field name not a token", "1.1", "a b", "1"],
    ["version other than 13", "2", "sec-websocket-version", "8"],
  ])("%s → TypeError", (_name, httpVersion, field, value) => {
    const opts: UpgradeRequestOptions = { ...base, httpVersion, protocol: "websocket", headers: [{ name: field, value }] };
    expect(() => buildUpgradeRequest(opts)).toThrow(TypeError);
  });

  test("TE: trailers is allowed in extended CONNECT extras", () => {
    expect(
      buildUpgradeRequest({
        ...base,
        httpVersion: "2",
        protocol: "websocket",
        headers: [{ name: "te", value: "trailers" }],
      }).headers,
    ).toContainEqual({ name: "te", value: "trailers" });
  });

  test("HTTP2-Settings values are checked", () => {
    expect(() => buildH2cUpgradeRequest({ authority: "a", settings: [{ id: 0x10000, value: 1 }] })).toThrow(RangeError);
  });
});

/** The RFC 6455 §1.2 request (the sample key, chat and superchat), with `headers` added. */
function h1ws(
  headers: HeaderField[] = [{ name: "Sec-WebSocket-Extensions", value: "permessage-deflate; client_max_window_bits" }],
): UpgradeRequest {
  return buildUpgradeRequest({
    httpVersion: "1.1",
    protocol: "websocket",
    authority: "server.example.com",
    path: "/chat",
    websocketKey: KEY,
    websocketProtocols: ["chat", "superchat"],
    headers,
  });
}
const ok101: HeaderField[] = [
  { name: "Upgrade", value: "websocket" },
  { name: "Connection", value: "Upgrade" },
  { name: "Sec-WebSocket-Accept", value: ACCEPT },
];

describe("judgeUpgradeResponse over HTTP/1.1", () => {
  test("RFC 6455 §1.3 server handshake is accepted", () => {
    expect(
      judgeUpgradeResponse(h1ws(), {
        status: 101,
        headers: [...ok101, { name: "Sec-WebSocket-Protocol", value: "chat" }],
      }),
    ).toEqual({
      accepted: true,
      protocol: "websocket",
      status: 101,
      websocketProtocol: "chat",
    });
  });

  test("tokens compare case-insensitively; negotiated extension accepted", () => {
    const res = [
      { name: "upgrade", value: "WebSocket" },
      { name: "connection", value: "keep-alive, UPGRADE" },
      { name: "sec-websocket-accept", value: ` ${ACCEPT} ` },
      { name: "Sec-WebSocket-Extensions", value: "permessage-deflate" },
    ];
    expect(judgeUpgradeResponse(h1ws(), { status: 101, headers: res })).toMatchObject({
      accepted: true,
      protocol: "websocket",
      websocketProtocol: undefined,
    });
  });

  test("RFC 7540 §3.2 h2c 101 is accepted", () => {
    const req = buildH2cUpgradeRequest({ authority: "server.example.com" });
    expect(
      judgeUpgradeResponse(req, {
        status: 101,
        headers: [
          { name: "Connection", value: "Upgrade" },
          { name: "Upgrade", value: "h2c" },
        ],
      }),
    ).toEqual({ accepted: true, protocol: "h2c", status: 101, websocketProtocol: undefined });
  });

  test("the server picks one of several offered protocols", () => {
    const req = buildUpgradeRequest({ httpVersion: "1.1", protocol: ["foo/2", "h2c"], authority: "a" });
    expect(
      judgeUpgradeResponse(req, {
        status: 101,
        headers: [
          { name: "Connection", value: "upgrade" },
          { name: "Upgrade", value: "H2C" },
        ],
      }),
    ).toMatchObject({ accepted: true, protocol: "h2c" });
  });

  test.each<{ name: string; status?: number; headers: HeaderField[]; reason: string }>([
    { name: "200: the server ignored Upgrade", status: 200, headers: [], reason: "status_not_101" },
    {
      name: "426 Upgrade Required",
      status: 426,
      headers: [{ name: "Sec-WebSocket-Version", value: "13" }],
      reason: "status_not_101",
    },
    { name: "100 Continue is interim", status: 100, headers: [], reason: "interim_response" },
    { name: "no status at all", headers: [], reason: "missing_status" },
    { name: "no Upgrade", status: 101, headers: ok101.filter((f) => f.name !== "Upgrade"), reason: "missing_upgrade" },
    {
      name: "two Upgrade protocols",
      status: 101,
      headers: [{ name: "Upgrade", value: "websocket, h2c" }, ...ok101.slice(1)],
      reason: "multiple_upgrade_protocols",
    },
    {
      name: "two Upgrade lines",
      status: 101,
      headers: [{ name: "Upgrade", value: "websocket" }, ...ok101],
      reason: "multiple_upgrade_protocols",
    },
    {
      name: "protocol not offered",
      status: 101,
      headers: [{ name: "Upgrade", value: "h2c" }, ...ok101.slice(1)],
      reason: "upgrade_protocol_not_offered",
    },
    {
      name: "no Connection: upgrade",
      status: 101,
      headers: [ok101[0]!, { name: "Connection", value: "close" }, ok101[2]!],
      reason: "connection_upgrade_missing",
    },
    { name: "no Sec-WebSocket-Accept", status: 101, headers: ok101.slice(0, 2), reason: "websocket_accept_missing" },
    {
      name: "wrong Sec-WebSocket-Accept",
      status: 101,
      headers: [...ok101.slice(0, 2), { name: "Sec-WebSocket-Accept", value: "x3pPLMBiTxaQ9kYGzzhZRbK+xOo=" }],
      reason: "websocket_accept_mismatch",
    },
    {
      name: "two Sec-WebSocket-Accept",
      status: 101,
      headers: [...ok101, { name: "Sec-WebSocket-Accept", value: ACCEPT }],
      reason: "websocket_accept_mismatch",
    },
    {
      name: "subprotocol not offered",
      status: 101,
      headers: [...ok101, { name: "Sec-WebSocket-Protocol", value: "mqtt" }],
      reason: "websocket_protocol_not_offered",
    },
    {
      name: "two subprotocols",
      status: 101,
      headers: [...ok101, { name: "Sec-WebSocket-Protocol", value: "chat, superchat" }],
      reason: "websocket_protocol_not_offered",
    },
    {
      name: "extension not offered",
      status: 101,
      headers: [...ok101, { name: "Sec-WebSocket-Extensions", value: "x-webkit-deflate-frame" }],
      reason: "websocket_extension_not_offered",
    },
  ])("$name → $reason", ({ status, headers, reason }) => {
    const out = judgeUpgradeResponse(h1ws(), { status, headers });
    expect(out).toMatchObject({ accepted: false, reason, status });
    if (!out.accepted) expect(out.message).not.toMatch(/chat|mqtt|deflate/);
  });
});

describe("judgeUpgradeResponse over HTTP/2 and HTTP/3", () => {
  const req = (v: "2" | "3") =>
    buildUpgradeRequest({
      httpVersion: v,
      protocol: "websocket",
      authority: "a",
      websocketProtocols: ["chat"],
      peerSettings: ENABLED,
    });

  test.each(["2", "3"] as const)("HTTP/%s: any 2xx is accepted, status from :status or the argument", (v) => {
    expect(judgeUpgradeResponse(req(v), { headers: [{ name: ":status", value: "200" }] })).toMatchObject({
      accepted: true,
      status: 200,
    });
    expect(judgeUpgradeResponse(req(v), { status: 204, headers: [] })).toMatchObject({ accepted: true, status: 204 });
    expect(
      judgeUpgradeResponse(req(v), {
        headers: [
          { name: ":status", value: "299" },
          { name: "sec-websocket-protocol", value: "chat" },
        ],
      }),
    ).toMatchObject({ accepted: true, websocketProtocol: "chat" });
  });

  test.each<{ name: string; headers: HeaderField[]; reason: string }>([
    {
      name: "101 is not allowed (RFC 9113 §8.6, RFC 9114 §4.5)",
      headers: [{ name: ":status", value: "101" }],
      reason: "switching_protocols_not_allowed",
    },
    { name: "103 is interim", headers: [{ name: ":status", value: "103" }], reason: "interim_response" },
    { name: "400", headers: [{ name: ":status", value: "400" }], reason: "status_not_2xx" },
    { name: "501", headers: [{ name: ":status", value: "501" }], reason: "status_not_2xx" },
    { name: "300", headers: [{ name: ":status", value: "300" }], reason: "status_not_2xx" },
    { name: "no :status", headers: [], reason: "missing_status" },
    {
      name: "two :status",
      headers: [
        { name: ":status", value: "200" },
        { name: ":status", value: "200" },
      ],
      reason: "missing_status",
    },
    { name: "non-numeric :status", headers: [{ name: ":status", value: "2xx" }], reason: "missing_status" },
    {
      name: "subprotocol not offered",
      headers: [
        { name: ":status", value: "200" },
        { name: "sec-websocket-protocol", value: "x" },
      ],
      reason: "websocket_protocol_not_offered",
    },
  ])("$name → $reason", ({ headers, reason }) => {
    for (const v of ["2", "3"] as const) expect(judgeUpgradeResponse(req(v), { headers })).toMatchObject({ accepted: false, reason });
  });
});
