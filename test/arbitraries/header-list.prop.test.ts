// Header-list arbitraries against httpwire's own message validation
// (RFC 9113 §8.2, §8.3): valid lists pass, each malformed hostile kind is a
// stream error of type PROTOCOL_ERROR, and the size kinds are legal messages.
import { test } from "@fast-check/vitest";
import { hostileHeaderList, requestHeaderList, responseHeaderList } from "httpwire/arbitraries";
import { Http2Error, validateRequestHeaders, validateResponseHeaders } from "httpwire/http2";
import { describe, expect } from "vitest";

describe("header lists against validateRequestHeaders / validateResponseHeaders", () => {
  test.prop([requestHeaderList()])("valid request lists pass", (fields) => {
    expect(() => validateRequestHeaders(fields, { streamId: 1 })).not.toThrow();
  });
  test.prop([responseHeaderList()])("valid response lists pass", (fields) => {
    expect(() => validateResponseHeaders(fields, { streamId: 1 })).not.toThrow();
  });
  test.prop([hostileHeaderList({ hugeValueLength: 2000, manyFields: 100 })])(
    "malformed kinds are a stream PROTOCOL_ERROR; size kinds pass",
    (h) => {
      let thrown: unknown;
      try {
        validateRequestHeaders(h.fields, { streamId: 3 });
      } catch (e) {
        thrown = e;
      }
      if (!h.malformed) {
        expect(thrown).toBeUndefined();
        return;
      }
      expect(thrown, h.kind).toBeInstanceOf(Http2Error);
      const e = thrown as Http2Error;
      expect({ code: e.code, scope: e.scope, streamId: e.streamId }).toEqual({
        code: 0x1,
        scope: "stream",
        streamId: 3,
      });
    },
  );
});
