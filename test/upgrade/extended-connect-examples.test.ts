/** RFC 8441 §5.1 and RFC 9220 §3 examples, from fixtures/rfc8441-examples.json and fixtures/rfc9220-examples.json. */

import type { HeaderField, UpgradeRequestOptions } from "httpwire/upgrade";
import { acceptUpgrade, buildUpgradeRequest, judgeUpgradeResponse, UpgradeError } from "httpwire/upgrade";
import { describe, expect, test } from "vitest";
import rfc8441 from "../../fixtures/rfc8441-examples.json";
import rfc9220 from "../../fixtures/rfc9220-examples.json";

interface Example {
  httpVersion: "2" | "3";
  serverSettings: { id: number; value: number }[];
  requestOptions: Omit<UpgradeRequestOptions, "httpVersion">;
  requestHeaders: HeaderField[];
  serverSupports: { protocols: string[]; websocketProtocols: string[] };
  responseHeaders: HeaderField[];
  outcome: unknown;
  unsupportedProtocol?: {
    requestOptions: Omit<UpgradeRequestOptions, "httpVersion">;
    responseHeaders: HeaderField[];
    outcome: Record<string, unknown>;
  };
}

for (const [file, json] of [
  ["rfc8441-examples.json", rfc8441],
  ["rfc9220-examples.json", rfc9220],
] as const) {
  const ex = json as unknown as Example;
  describe(`${file}: extended CONNECT over HTTP/${ex.httpVersion}`, () => {
    const build = (settings: unknown) =>
      buildUpgradeRequest({ ...ex.requestOptions, httpVersion: ex.httpVersion, peerSettings: settings as never });

    test("the client builds exactly the RFC's request fields", () => {
      const req = build(ex.serverSettings);
      expect(req.headers).toEqual(ex.requestHeaders);
      expect(req.method).toBe("CONNECT");
      expect(req.websocketKey).toBeUndefined();
    });

    test("without the peer's SETTINGS_ENABLE_CONNECT_PROTOCOL = 1 the request is refused before it exists", () => {
      for (const settings of [
        undefined,
        [],
        [{ id: 8, value: 0 }],
        [
          { id: 8, value: 1 },
          { id: 8, value: 0 },
        ],
      ]) {
        let err: unknown;
        try {
          build(settings);
        } catch (e) {
          err = e;
        }
        expect(err).toBeInstanceOf(UpgradeError);
        const e = err as UpgradeError;
        expect({ code: e.code, codeName: e.codeName, scope: e.scope, reason: e.reason }).toEqual(
          ex.httpVersion === "2"
            ? { code: 0x01, codeName: "PROTOCOL_ERROR", scope: "stream", reason: "extended_connect_not_enabled" }
            : { code: 0x010e, codeName: "H3_MESSAGE_ERROR", scope: "stream", reason: "extended_connect_not_enabled" },
        );
      }
    });

    test("the server accepts, picks one subprotocol and answers with the RFC's response", () => {
      const d = acceptUpgrade(
        { headers: ex.requestHeaders },
        {
          httpVersion: ex.httpVersion,
          supported: ex.serverSupports.protocols,
          websocketProtocols: ex.serverSupports.websocketProtocols,
        },
      );
      expect(d.accepted).toBe(true);
      if (!d.accepted) return;
      expect(d.protocol).toBe("websocket");
      expect(d.websocketProtocol).toBe("chat");
      expect(d.response).toEqual({ status: 200, headers: ex.responseHeaders });
    });

    test("the client judges the RFC's response as accepted", () => {
      expect(judgeUpgradeResponse(build(ex.serverSettings), { headers: ex.responseHeaders })).toEqual(ex.outcome);
    });

    if (ex.unsupportedProtocol !== undefined) {
      const u = ex.unsupportedProtocol;
      test("RFC 9220 §3: an unsupported :protocol gets 501, which the client reads as a refusal", () => {
        const req = buildUpgradeRequest({
          ...u.requestOptions,
          httpVersion: ex.httpVersion,
          peerSettings: ex.serverSettings,
        });
        const d = acceptUpgrade({ headers: req.headers }, { httpVersion: ex.httpVersion, supported: ["websocket"] });
        expect(d).toMatchObject({
          accepted: false,
          reason: "protocol_not_supported",
          response: { status: 501, headers: u.responseHeaders },
          error: undefined,
        });
        expect(judgeUpgradeResponse(req, { headers: u.responseHeaders })).toMatchObject(u.outcome);
      });
    }
  });
}
