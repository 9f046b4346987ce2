// The HTTP/3 frame arbitraries produce what they claim: valid frames decode
// with httpwire to their stated value, malformed ones fail with the named
// RFC 9114 code (RFC 9114 §7, §8.1; RFC 9218 §7.2; RFC 9297 §2.1.1).
import { fc, test } from "@fast-check/vitest";
import { HTTP3_MALFORMED_KINDS, http3Frame, http3MalformedFrame } from "httpwire/arbitraries";
import { encodeFrame, Http3Error, Http3FrameDecoder, readFrame } from "httpwire/http3";
import { describe, expect } from "vitest";

function caught(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  return undefined;
}

describe("http3Frame", () => {
  test.prop([http3Frame()])("decodes to the stated frame, using every byte", ({ frame, bytes }) => {
    expect(readFrame(bytes, 0)).toEqual({ status: "ok", frame, length: bytes.length });
  });
  test.prop([http3Frame()])("httpwire's encoder gives a frame that decodes the same", ({ frame, bytes }) => {
    const r = readFrame(bytes, 0);
    if (r.status !== "ok") throw new Error("need more");
    expect(readFrame(encodeFrame(r.frame), 0)).toMatchObject({ status: "ok", frame });
  });
  test("every frame kind is generated", () => {
    const kinds = new Set(fc.sample(http3Frame(), { numRuns: 400, seed: 9 }).map((c) => String(c.frame.type)));
    for (const k of ["0", "1", "3", "4", "5", "7", "13", "984832", "984833", "unknown"]) expect(kinds).toContain(k);
  });
});

describe("http3MalformedFrame", () => {
  const single = HTTP3_MALFORMED_KINDS.filter((k) => k !== "frame-truncated");
  test.prop([http3MalformedFrame({ kinds: single })])("single frames fail with the named code and reason", ({ bytes, expected }) => {
    const e = caught(() => readFrame(bytes, 0));
    expect(e).toBeInstanceOf(Http3Error);
    const err = e as Http3Error;
    expect({ code: err.code, codeName: err.codeName, scope: err.scope }).toEqual({
      code: expected.code,
      codeName: expected.codeName,
      scope: expected.scope,
    });
    if (expected.reason !== undefined) expect(err.reason).toBe(expected.reason);
  });
  test.prop([http3MalformedFrame({ kinds: ["frame-truncated"] })])(
    "a stream ending inside a frame is H3_FRAME_ERROR at end()",
    ({ bytes, expected }) => {
      expect(readFrame(bytes, 0).status).not.toBe("ok");
      const d = new Http3FrameDecoder({ stream: "any" });
      const e = caught(() => {
        d.push(bytes);
        d.end();
      });
      expect(e).toBeInstanceOf(Http3Error);
      expect((e as Http3Error).code).toBe(expected.code);
    },
  );
  test.each(HTTP3_MALFORMED_KINDS.map((k) => [k]))("%s is generated", (kind) => {
    for (const c of fc.sample(http3MalformedFrame({ kinds: [kind] }), { numRuns: 5, seed: 4 })) expect(c.kind).toBe(kind);
  });
});
