import { fc, test } from "@fast-check/vitest";
import { HttpwireError } from "httpwire";
import type { HeaderField, HttpVersion } from "httpwire/upgrade";
import { acceptUpgrade, buildUpgradeRequest, generateWebSocketKey, judgeUpgradeResponse } from "httpwire/upgrade";
import { describe, expect } from "vitest";

const tokenChar = fc.constantFrom(..."!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ");
const token = fc.array(tokenChar, { minLength: 1, maxLength: 10 }).map((a) => a.join(""));
const version = fc.constantFrom<HttpVersion>("1.1", "2", "3");
const protocol = fc.oneof(fc.constant("websocket"), fc.constant("h2c"), token);

const fieldName = fc.oneof(
  fc.constantFrom(
    ":method",
    ":protocol",
    ":scheme",
    ":path",
    ":authority",
    ":status",
    "upgrade",
    "Upgrade",
    "connection",
    "host",
    "sec-websocket-key",
    "sec-websocket-version",
    "sec-websocket-protocol",
    "sec-websocket-accept",
    "sec-websocket-extensions",
    "http2-settings",
  ),
  token,
);
const fieldValue = fc.oneof(
  fc.constantFrom(
    "CONNECT",
    "GET",
    "websocket",
    "h2c",
    "Upgrade",
    "upgrade, HTTP2-Settings",
    "13",
    "200",
    "101",
    "chat",
    "AAMAAABk",
    "dGhlIHNhbXBsZSBub25jZQ==",
    "/",
    "a",
  ),
  fc.string({ maxLength: 12 }),
);
const fields = fc.array(fc.record({ name: fieldName, value: fieldValue }), { maxLength: 10 });

describe("upgrade properties", () => {
  test.prop([version, fc.oneof(fc.constant("GET"), token), fields, fc.array(token, { maxLength: 3 })])(
    "the server side gives a decision for any request, never an exception",
    (httpVersion, method, headers, supported) => {
      const d = acceptUpgrade(
        { method, headers },
        { httpVersion, supported: ["websocket", "h2c", ...supported], websocketProtocols: ["chat"] },
      );
      if (d.accepted) expect([101, 200]).toContain(d.response.status);
      else if (d.error !== undefined) expect(d.error).toBeInstanceOf(HttpwireError);
    },
  );

  test.prop([version, protocol, fc.option(fc.integer({ min: 0, max: 999 }), { nil: undefined }), fields])(
    "the client side gives a verdict for any response, never an exception",
    (httpVersion, p, status, headers) => {
      if (httpVersion !== "1.1" && p === "h2c") return;
      const req = buildUpgradeRequest({
        httpVersion,
        protocol: p,
        authority: "a.example",
        websocketKey: generateWebSocketKey(new Uint8Array(16)),
        peerSettings: [{ id: 8, value: 1 }],
      });
      const out = judgeUpgradeResponse(req, { status, headers });
      expect(typeof out.accepted).toBe("boolean");
    },
  );

  test.prop([
    version,
    protocol,
    fc.uint8Array({ minLength: 16, maxLength: 16 }),
    fc.array(token, { maxLength: 4 }),
    fc.array(token, { maxLength: 4 }),
    fc.array(fc.record({ id: fc.integer({ min: 10, max: 0xffff }), value: fc.nat() }), { maxLength: 3 }),
  ])(
    "whatever a client builds, the server accepts, and the client accepts the server's answer",
    (httpVersion, p, nonce, offeredSub, serverSub, settings) => {
      if (httpVersion !== "1.1" && p === "h2c") return;
      const req = buildUpgradeRequest({
        httpVersion,
        protocol: p,
        authority: "server.example.com",
        path: "/x",
        websocketKey: generateWebSocketKey(nonce),
        websocketProtocols: offeredSub,
        http2Settings: settings,
        peerSettings: [{ id: 8, value: 1 }],
      });
      const d = acceptUpgrade(
        { method: req.method, headers: req.headers },
        { httpVersion, supported: [p.toUpperCase()], websocketProtocols: serverSub },
      );
      expect(d.accepted).toBe(true);
      if (!d.accepted) return;
      expect(d.protocol).toBe(p);
      if (p === "h2c") expect(d.http2Settings).toEqual(settings);
      const expectSub = p === "websocket" ? offeredSub.find((s) => serverSub.includes(s)) : undefined;
      expect(d.websocketProtocol).toBe(expectSub);
      const headers: HeaderField[] = [...d.response.headers];
      expect(judgeUpgradeResponse(req, { status: d.response.status, headers })).toEqual({
        accepted: true,
        protocol: p,
        status: d.response.status,
        websocketProtocol: expectSub,
      });
    },
  );

  test.prop([
    fc.constantFrom<"2" | "3">("2", "3"),
    fc.array(fc.record({ id: fc.integer({ min: 0, max: 20 }), value: fc.integer({ min: 0, max: 2 }) }), {
      maxLength: 6,
    }),
  ])("extended CONNECT is built exactly when the last SETTINGS_ENABLE_CONNECT_PROTOCOL is 1", (httpVersion, settings) => {
    const last = settings.filter((s) => s.id === 8).at(-1);
    const build = () => buildUpgradeRequest({ httpVersion, protocol: "websocket", authority: "a", peerSettings: settings });
    if (last?.value === 1) expect(build().method).toBe("CONNECT");
    else expect(build).toThrow(HttpwireError);
  });
});
