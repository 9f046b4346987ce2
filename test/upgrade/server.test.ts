import { Http2Error } from "httpwire/http2";
import type { HeaderField } from "httpwire/upgrade";
import {
  acceptH2cUpgrade,
  acceptUpgrade,
  buildH2cUpgradeRequest,
  buildUpgradeRequest,
  formatHttp1Response,
  judgeUpgradeResponse,
  UpgradeError,
} from "httpwire/upgrade";
import { describe, expect, test } from "vitest";

const KEY = "dGhlIHNhbXBsZSBub25jZQ==";
const wsHead: HeaderField[] = [
  { name: "Host", value: "server.example.com" },
  { name: "Upgrade", value: "websocket" },
  { name: "Connection", value: "Upgrade" },
  { name: "Sec-WebSocket-Key", value: KEY },
  { name: "Origin", value: "http://example.com" },
  { name: "Sec-WebSocket-Protocol", value: "chat, superchat" },
  { name: "Sec-WebSocket-Version", value: "13" },
];

describe("acceptUpgrade over HTTP/1.1", () => {
  test("RFC 6455 §1.2/§1.3 handshake: 101 with the accept value and the chosen subprotocol", () => {
    const d = acceptUpgrade(
      { method: "GET", headers: wsHead },
      { httpVersion: "1.1", supported: ["websocket"], websocketProtocols: ["superchat", "chat"] },
    );
    expect(d).toEqual({
      accepted: true,
      protocol: "websocket",
      // The client's first offered subprotocol the server speaks.
      websocketProtocol: "chat",
      http2Settings: undefined,
      response: {
        status: 101,
        headers: [
          { name: "Upgrade", value: "websocket" },
          { name: "Connection", value: "Upgrade" },
          { name: "Sec-WebSocket-Accept", value: "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=" },
          { name: "Sec-WebSocket-Protocol", value: "chat" },
        ],
      },
    });
    if (d.accepted) {
      expect(formatHttp1Response(d.response)).toBe(
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\nSec-WebSocket-Protocol: chat\r\n\r\n",
      );
    }
  });

  test("RFC 7540 §3.2 h2c: settings decoded, 101 Connection: Upgrade / Upgrade: h2c", () => {
    const req = buildH2cUpgradeRequest({
      authority: "server.example.com",
      settings: [
        { id: 3, value: 100 },
        { id: 4, value: 65535 },
      ],
    });
    const d = acceptH2cUpgrade({ method: req.method, headers: req.headers });
    expect(d).toEqual({
      accepted: true,
      protocol: "h2c",
      websocketProtocol: undefined,
      http2Settings: [
        { id: 3, value: 100 },
        { id: 4, value: 65535 },
      ],
      response: {
        status: 101,
        headers: [
          { name: "Connection", value: "Upgrade" },
          { name: "Upgrade", value: "h2c" },
        ],
      },
    });
    if (d.accepted) {
      expect(formatHttp1Response(d.response)).toBe("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n");
      expect(judgeUpgradeResponse(req, d.response)).toMatchObject({ accepted: true, protocol: "h2c" });
    }
  });

  test("several offered: the server picks exactly one, the client's first it supports, and names it", () => {
    const req = buildUpgradeRequest({
      httpVersion: "1.1",
      protocol: ["foo/2", "websocket", "h2c"],
      authority: "a",
      websocketKey: KEY,
    });
    const d = acceptUpgrade({ method: "GET", headers: req.headers }, { httpVersion: "1.1", supported: ["h2c", "websocket"] });
    expect(d.accepted && d.protocol).toBe("websocket");
    if (d.accepted) {
      expect(d.response.headers.filter((f) => f.name === "Upgrade")).toEqual([{ name: "Upgrade", value: "websocket" }]);
      expect(judgeUpgradeResponse(req, d.response)).toMatchObject({ accepted: true, protocol: "websocket" });
    }
  });

  test("a generic protocol answers 101 with just Upgrade and Connection", () => {
    const d = acceptUpgrade(
      {
        method: "GET",
        headers: [
          { name: "Upgrade", value: "foo/2" },
          { name: "Connection", value: "upgrade" },
        ],
      },
      { httpVersion: "1.1", supported: ["FOO/2"] },
    );
    expect(d).toMatchObject({
      accepted: true,
      protocol: "foo/2",
      response: {
        status: 101,
        headers: [
          { name: "Connection", value: "Upgrade" },
          { name: "Upgrade", value: "foo/2" },
        ],
      },
    });
  });

  const without = (name: string) => wsHead.filter((f) => f.name !== name);
  const replace = (name: string, value: string) => wsHead.map((f) => (f.name === name ? { name, value } : f));
  test.each<{ name: string; method?: string; headers: HeaderField[]; reason: string; status: number | undefined }>([
    {
      name: "no Upgrade: serve normally",
      headers: without("Upgrade"),
      reason: "no_upgrade_offered",
      status: undefined,
    },
    {
      name: "Upgrade without Connection: upgrade",
      headers: without("Connection"),
      reason: "connection_upgrade_missing",
      status: undefined,
    },
    {
      name: "nothing supported",
      headers: replace("Upgrade", "foo"),
      reason: "no_supported_protocol",
      status: undefined,
    },
    { name: "websocket POST → 400", method: "POST", headers: wsHead, reason: "websocket_method_not_get", status: 400 },
    { name: "no Host → 400", headers: without("Host"), reason: "missing_host", status: 400 },
    { name: "no key → 400", headers: without("Sec-WebSocket-Key"), reason: "websocket_key_invalid", status: 400 },
    {
      name: "short key → 400",
      headers: replace("Sec-WebSocket-Key", "AAAA"),
      reason: "websocket_key_invalid",
      status: 400,
    },
    {
      name: "version 8 → 426",
      headers: replace("Sec-WebSocket-Version", "8"),
      reason: "websocket_version_unsupported",
      status: 426,
    },
    {
      name: "no version → 426",
      headers: without("Sec-WebSocket-Version"),
      reason: "websocket_version_unsupported",
      status: 426,
    },
  ])("$name", ({ method, headers, reason, status }) => {
    const d = acceptUpgrade({ method: method ?? "GET", headers }, { httpVersion: "1.1", supported: ["websocket"] });
    expect(d).toMatchObject({ accepted: false, reason, error: undefined });
    if (!d.accepted) expect(d.response?.status).toBe(status);
    if (!d.accepted && status === 426) expect(d.response?.headers).toEqual([{ name: "Sec-WebSocket-Version", value: "13" }]);
  });

  const h2c = (extra: HeaderField[], connection = "Upgrade, HTTP2-Settings"): HeaderField[] => [
    { name: "Host", value: "a" },
    { name: "Connection", value: connection },
    { name: "Upgrade", value: "h2c" },
    ...extra,
  ];
  test.each<{ name: string; headers: HeaderField[]; reason: string; code?: number }>([
    { name: "RFC 7540 §3.2.1: no HTTP2-Settings", headers: h2c([]), reason: "http2_settings_missing" },
    {
      name: "RFC 7540 §3.2.1: two HTTP2-Settings",
      headers: h2c([
        { name: "HTTP2-Settings", value: "" },
        { name: "HTTP2-Settings", value: "" },
      ]),
      reason: "http2_settings_multiple",
    },
    {
      name: "RFC 7540 §3.2.1: HTTP2-Settings not a connection option",
      headers: h2c([{ name: "HTTP2-Settings", value: "" }], "Upgrade"),
      reason: "connection_http2_settings_missing",
    },
    {
      name: "padded base64url",
      headers: h2c([{ name: "HTTP2-Settings", value: "AAMAAABk==" }]),
      reason: "http2_settings_invalid_base64",
      code: 0x01,
    },
    {
      name: "standard base64 alphabet",
      headers: h2c([{ name: "HTTP2-Settings", value: "AAQAAP//" }]),
      reason: "http2_settings_invalid_base64",
      code: 0x01,
    },
    {
      name: "payload not a multiple of 6",
      headers: h2c([{ name: "HTTP2-Settings", value: "AAMAAAA" }]),
      reason: "settings_length_not_multiple_of_6",
      code: 0x06,
    },
    {
      name: "ENABLE_PUSH 2",
      headers: h2c([{ name: "HTTP2-Settings", value: "AAIAAAAC" }]),
      reason: "settings_enable_push_invalid",
      code: 0x01,
    },
  ])("$name → $reason, no upgrade", ({ headers, reason, code }) => {
    const d = acceptH2cUpgrade({ method: "GET", headers });
    expect(d).toMatchObject({ accepted: false, reason, response: undefined });
    if (!d.accepted) {
      if (code === undefined) expect(d.error).toBeUndefined();
      else
        expect({ code: d.error?.code, scope: d.error?.scope, reason: d.error?.reason }).toEqual({
          code,
          scope: "connection",
          reason,
        });
    }
  });
});

test("an invalid HTTP2-Settings keeps httpwire/http2's Http2Error as the cause", () => {
  const d = acceptH2cUpgrade({
    method: "GET",
    headers: [
      { name: "Connection", value: "Upgrade, HTTP2-Settings" },
      { name: "Upgrade", value: "h2c" },
      { name: "HTTP2-Settings", value: "AAUAAAAA" },
    ],
  });
  expect(d).toMatchObject({ accepted: false, reason: "settings_max_frame_size_invalid" });
  if (!d.accepted) {
    expect(d.error).toBeInstanceOf(UpgradeError);
    expect(d.error?.cause).toBeInstanceOf(Http2Error);
    expect(d.error?.code).toBe(0x01);
  }
});

describe("acceptUpgrade over HTTP/2 and HTTP/3", () => {
  const good: HeaderField[] = [
    { name: ":method", value: "CONNECT" },
    { name: ":protocol", value: "websocket" },
    { name: ":scheme", value: "https" },
    { name: ":path", value: "/chat" },
    { name: ":authority", value: "server.example.com" },
    { name: "sec-websocket-version", value: "13" },
  ];
  const opts = (v: "2" | "3") => ({ httpVersion: v, supported: ["websocket"] }) as const;

  test.each(["2", "3"] as const)("HTTP/%s: accepted with :status 200", (v) => {
    expect(acceptUpgrade({ headers: good }, opts(v))).toEqual({
      accepted: true,
      protocol: "websocket",
      websocketProtocol: undefined,
      http2Settings: undefined,
      response: { status: 200, headers: [{ name: ":status", value: "200" }] },
    });
  });

  test("a plain request or a classic CONNECT is not ours", () => {
    expect(acceptUpgrade({ headers: [{ name: ":method", value: "GET" }] }, opts("2"))).toMatchObject({
      accepted: false,
      reason: "not_extended_connect",
      error: undefined,
      response: undefined,
    });
    expect(
      acceptUpgrade(
        {
          headers: [
            { name: ":method", value: "CONNECT" },
            { name: ":authority", value: "a:443" },
          ],
        },
        opts("3"),
      ),
    ).toMatchObject({ accepted: false, reason: "not_extended_connect" });
  });

  const drop = (n: string) => good.filter((f) => f.name !== n);
  test.each<{ name: string; headers: HeaderField[]; reason: string; enabled?: boolean }>([
    {
      name: "RFC 8441 §3: :protocol without our setting",
      headers: good,
      reason: "extended_connect_not_enabled",
      enabled: false,
    },
    {
      name: ":protocol on GET",
      headers: [{ name: ":method", value: "GET" }, ...drop(":method")],
      reason: "protocol_without_connect",
    },
    { name: "RFC 8441 §4: no :scheme", headers: drop(":scheme"), reason: "extended_connect_missing_pseudo_header" },
    { name: "RFC 8441 §4: no :path", headers: drop(":path"), reason: "extended_connect_missing_pseudo_header" },
    { name: "no :authority", headers: drop(":authority"), reason: "extended_connect_missing_pseudo_header" },
    {
      name: "empty :path",
      headers: [...drop(":path"), { name: ":path", value: "" }],
      reason: "extended_connect_missing_pseudo_header",
    },
    {
      name: "two :protocol",
      headers: [...good, { name: ":protocol", value: "websocket" }],
      reason: "duplicate_pseudo_header",
    },
    {
      name: "RFC 8441 §5: Connection",
      headers: [...good, { name: "connection", value: "upgrade" }],
      reason: "connection_specific_field",
    },
    {
      name: "RFC 8441 §5: Upgrade",
      headers: [...good, { name: "upgrade", value: "websocket" }],
      reason: "connection_specific_field",
    },
    {
      name: "RFC 9113 §8.2.2 / RFC 9114 §4.2: Keep-Alive",
      headers: [...good, { name: "keep-alive", value: "timeout=5" }],
      reason: "connection_specific_field",
    },
    {
      name: "RFC 9113 §8.2.2 / RFC 9114 §4.2: Transfer-Encoding",
      headers: [...good, { name: "transfer-encoding", value: "chunked" }],
      reason: "connection_specific_field",
    },
    {
      name: "RFC 9113 §8.2.2 / RFC 9114 §4.2: TE other than trailers",
      headers: [...good, { name: "te", value: "gzip" }],
      reason: "connection_specific_field",
    },
  ])("$name → malformed: $reason", ({ headers, reason, enabled }) => {
    for (const v of ["2", "3"] as const) {
      const d = acceptUpgrade({ headers }, { ...opts(v), extendedConnectEnabled: enabled });
      expect(d).toMatchObject({ accepted: false, reason, response: undefined });
      if (!d.accepted) {
        expect(d.error).toBeInstanceOf(UpgradeError);
        expect({
          code: d.error?.code,
          codeName: d.error?.codeName,
          scope: d.error?.scope,
          reason: d.error?.reason,
        }).toEqual(
          v === "2"
            ? { code: 0x01, codeName: "PROTOCOL_ERROR", scope: "stream", reason }
            : { code: 0x010e, codeName: "H3_MESSAGE_ERROR", scope: "stream", reason },
        );
      }
    }
  });

  test("TE: trailers is allowed", () => {
    expect(acceptUpgrade({ headers: [...good, { name: "te", value: "trailers" }] }, opts("2"))).toMatchObject({
      accepted: true,
    });
  });

  test("websocket version 8 → 426 with sec-websocket-version: 13", () => {
    const headers = [...drop("sec-websocket-version"), { name: "sec-websocket-version", value: "8" }];
    expect(acceptUpgrade({ headers }, opts("2"))).toMatchObject({
      accepted: false,
      reason: "websocket_version_unsupported",
      response: {
        status: 426,
        headers: [
          { name: ":status", value: "426" },
          { name: "sec-websocket-version", value: "13" },
        ],
      },
    });
  });

  test("caller mistake: unknown HTTP version", () => {
    expect(() => acceptUpgrade({ headers: good }, { httpVersion: "4" as never, supported: [] })).toThrow(TypeError);
  });
});
