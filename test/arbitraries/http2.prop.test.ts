// The HTTP/2 frame arbitraries produce what they claim: valid frames decode
// with httpwire to their stated value, malformed ones fail with the named
// code, scope and reason (RFC 9113 §6).
import { fc, test } from "@fast-check/vitest";
import { chunked, concatBytes, HTTP2_MALFORMED_KINDS, http2Frame, http2MalformedFrame } from "httpwire/arbitraries";
import type { FrameInit } from "httpwire/http2";
import { decodeFrame, encodeFrame, FrameDecoder, Http2Error, readFrameHeader } from "httpwire/http2";
import { describe, expect } from "vitest";

function decode(bytes: Uint8Array) {
  const h = readFrameHeader(bytes);
  if (h.status !== "ok") throw new Error("short frame");
  expect(bytes.length).toBe(9 + h.length);
  return decodeFrame(h, bytes.subarray(9));
}

describe("http2Frame", () => {
  test.prop([http2Frame()])("decodes to the stated frame", ({ frame, bytes }) => {
    expect(decode(bytes)).toEqual(frame);
  });
  test.prop([http2Frame()])("httpwire's encoder gives the bytes back (reserved bit aside)", ({ frame, bytes }) => {
    const again = encodeFrame(decode(bytes) as FrameInit);
    expect(decode(again)).toEqual(frame);
  });
  test("every frame type is generated", () => {
    const types = new Set(fc.sample(http2Frame(), { numRuns: 500, seed: 7 }).map((c) => c.frame.type));
    expect(types.size).toBe(14);
  });
});

describe("http2MalformedFrame", () => {
  test.prop([http2MalformedFrame()])("fails with the named code, scope and reason", ({ bytes, expected }) => {
    let thrown: unknown;
    try {
      decode(bytes);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(Http2Error);
    const e = thrown as Http2Error;
    expect({ code: e.code, codeName: e.codeName, scope: e.scope, reason: e.reason }).toEqual(expected);
  });
  test.each(HTTP2_MALFORMED_KINDS.map((k) => [k]))("%s is generated and rejected", (kind) => {
    for (const c of fc.sample(http2MalformedFrame({ kinds: [kind] }), { numRuns: 5, seed: 3 })) {
      expect(c.kind).toBe(kind);
      expect(() => decode(c.bytes)).toThrow(Http2Error);
    }
  });
});

describe("chunked (the docs/fuzzing.md example)", () => {
  // Frames in a random order are not always a valid connection (a CONTINUATION
  // must follow its HEADERS), so compare outcomes: the same frames, or the same error.
  function outcome(chunks: readonly Uint8Array[]): unknown {
    const d = new FrameDecoder({ joinFieldBlocks: false });
    try {
      return chunks.flatMap((c) => d.push(c));
    } catch (e) {
      return e instanceof Http2Error ? e.reason : e;
    }
  }
  test.prop([chunked(fc.array(http2Frame(), { maxLength: 4 }).map((cs) => concatBytes(cs.map((c) => c.bytes))))])(
    "FrameDecoder gives the same outcome however the stream is cut",
    ({ bytes, chunks }) => {
      expect(outcome(chunks)).toEqual(outcome([bytes]));
    },
  );
});
