/** The examples of docs/upgrade.md and the JSDoc, run as written. */

import {
  acceptUpgrade,
  buildH2cUpgradeRequest,
  buildUpgradeRequest,
  formatHttp1Request,
  formatHttp1Response,
  isExtendedConnectEnabled,
  judgeUpgradeResponse,
} from "httpwire/upgrade";
import { expect, test } from "vitest";

test("docs/upgrade.md client example", () => {
  const req = buildUpgradeRequest({
    httpVersion: "2",
    protocol: "websocket",
    scheme: "https",
    authority: "server.example.com",
    path: "/chat",
    websocketProtocols: ["chat", "superchat"],
    headers: [{ name: "origin", value: "http://www.example.com" }],
    peerSettings: [{ id: 0x08, value: 1 }],
  });
  expect(req.headers).toEqual([
    { name: ":method", value: "CONNECT" },
    { name: ":protocol", value: "websocket" },
    { name: ":scheme", value: "https" },
    { name: ":path", value: "/chat" },
    { name: ":authority", value: "server.example.com" },
    { name: "sec-websocket-protocol", value: "chat, superchat" },
    { name: "origin", value: "http://www.example.com" },
    { name: "sec-websocket-version", value: "13" },
  ]);
  expect(
    judgeUpgradeResponse(req, {
      headers: [
        { name: ":status", value: "200" },
        { name: "sec-websocket-protocol", value: "chat" },
      ],
    }),
  ).toEqual({
    accepted: true,
    protocol: "websocket",
    status: 200,
    websocketProtocol: "chat",
  });
});

test("docs/upgrade.md server example", () => {
  const d = acceptUpgrade(
    {
      method: "GET",
      headers: [
        { name: "Host", value: "server.example.com" },
        { name: "Upgrade", value: "websocket" },
        { name: "Connection", value: "Upgrade" },
        { name: "Sec-WebSocket-Key", value: "dGhlIHNhbXBsZSBub25jZQ==" },
        { name: "Sec-WebSocket-Protocol", value: "chat, superchat" },
        { name: "Sec-WebSocket-Version", value: "13" },
      ],
    },
    { httpVersion: "1.1", supported: ["websocket"], websocketProtocols: ["superchat", "chat"] },
  );
  expect(d.accepted).toBe(true);
  if (!d.accepted) return;
  expect([d.protocol, d.websocketProtocol]).toEqual(["websocket", "chat"]);
  expect(formatHttp1Response(d.response)).toBe(
    "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
      "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\nSec-WebSocket-Protocol: chat\r\n\r\n",
  );
});

test("docs/upgrade.md h2c example and JSDoc examples", () => {
  expect(
    formatHttp1Request(
      buildH2cUpgradeRequest({
        authority: "server.example.com",
        settings: [
          { id: 0x03, value: 100 },
          { id: 0x04, value: 65535 },
        ],
      }),
    ),
  ).toBe(
    "GET / HTTP/1.1\r\nHost: server.example.com\r\nConnection: Upgrade, HTTP2-Settings\r\n" +
      "Upgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQAAP__\r\n\r\n",
  );
  expect(formatHttp1Request(buildH2cUpgradeRequest({ authority: "server.example.com", settings: [] }))).toBe(
    "GET / HTTP/1.1\r\nHost: server.example.com\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: \r\n\r\n",
  );
  expect(
    formatHttp1Response({
      status: 101,
      headers: [
        { name: "Connection", value: "Upgrade" },
        { name: "Upgrade", value: "h2c" },
      ],
    }),
  ).toBe("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n");
  expect(isExtendedConnectEnabled([{ id: 0x08, value: 1 }])).toBe(true);
  expect(isExtendedConnectEnabled(new Map([[0x08, 0]]))).toBe(false);
  expect(isExtendedConnectEnabled(undefined)).toBe(false);
  expect(() =>
    formatHttp1Request(
      buildUpgradeRequest({
        httpVersion: "2",
        protocol: "websocket",
        authority: "a",
        peerSettings: [{ id: 8, value: 1 }],
      }),
    ),
  ).toThrow(TypeError);
  // Caller mistakes that would corrupt or split the head are refused.
  expect(() => formatHttp1Response({ status: 101, headers: [{ name: "Upgrade", value: "h2c\r\nSet-Cookie: x=1" }] })).toThrow(TypeError);
  expect(() => formatHttp1Response({ status: 101, headers: [{ name: "Up grade", value: "h2c" }] })).toThrow(TypeError);
  expect(() => formatHttp1Response({ status: 101, headers: [{ name: ":status", value: "101" }] })).toThrow(TypeError);
  expect(() => formatHttp1Response({ status: 1010, headers: [] })).toThrow(TypeError);
  expect(() => formatHttp1Response({ status: 99.5, headers: [] })).toThrow(TypeError);
  expect(formatHttp1Response({ status: 599, headers: [] })).toBe("HTTP/1.1 599 \r\n\r\n");
  expect(() => formatHttp1Response({ status: 200, headers: [{ name: ":status", value: "200" }] })).toThrow(TypeError);
});

test("docs/upgrade.md and UpgradeError JSDoc: a caller's own UpgradeError", async () => {
  const { H3_MESSAGE_ERROR, UpgradeError } = await import("httpwire/upgrade");
  const { HttpwireError } = await import("httpwire");
  const e = new UpgradeError("Malformed extended CONNECT: :protocol is not one this server routes", H3_MESSAGE_ERROR, "H3_MESSAGE_ERROR", {
    reason: "protocol_not_routed",
    scope: "stream",
    streamId: 4,
  });
  expect(e.code).toBe(0x010e);
  expect(e.scope).toBe("stream");
  expect(e).toBeInstanceOf(HttpwireError);
  expect({ name: e.name, codeName: e.codeName, reason: e.reason, streamId: e.streamId }).toEqual({
    name: "UpgradeError",
    codeName: "H3_MESSAGE_ERROR",
    reason: "protocol_not_routed",
    streamId: 4,
  });
});
