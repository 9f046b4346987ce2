import { AltSvcError, altSvcFromFrame, altSvcToFrame } from "httpwire/alt-svc";
import { encodeFrame, FrameDecoder, FrameType } from "httpwire/http2";
import { describe, expect, test } from "vitest";

describe("ALTSVC frame fields (RFC 7838 §4)", () => {
  test("stream 0 with an origin", () => {
    expect(altSvcFromFrame({ streamId: 0, origin: "https://example.com", fieldValue: 'h3=":443"; ma=60' })).toEqual({
      origin: "https://example.com",
      streamId: 0,
      advert: {
        clear: false,
        alternatives: [
          {
            protocolId: "h3",
            host: "",
            port: 443,
            maxAge: 60,
            persist: false,
            parameters: [{ name: "ma", value: "60" }],
          },
        ],
      },
    });
  });

  test("non-zero stream without an origin concerns the stream's origin", () => {
    expect(altSvcFromFrame({ streamId: 3, origin: "", fieldValue: "clear" })).toEqual({
      origin: undefined,
      streamId: 3,
      advert: { clear: true, alternatives: [] },
    });
  });

  test("RFC 7838 §4: stream 0 with an empty Origin MUST be ignored", () => {
    expect(altSvcFromFrame({ streamId: 0, origin: "", fieldValue: 'h3=":443"' })).toBeUndefined();
  });

  test("RFC 7838 §4: a non-zero stream with an Origin MUST be ignored", () => {
    expect(altSvcFromFrame({ streamId: 1, origin: "https://example.com", fieldValue: 'h3=":443"' })).toBeUndefined();
  });

  test("a malformed field value is an AltSvcError", () => {
    expect(() => altSvcFromFrame({ streamId: 0, origin: "https://example.com", fieldValue: "h3" })).toThrow(AltSvcError);
  });

  test("building: origin on stream 0, or a stream without origin", () => {
    const advert = { alternatives: [{ protocolId: "h3", port: 443, maxAge: 3600 }] };
    expect(altSvcToFrame(advert, { origin: "https://example.com" })).toEqual({
      streamId: 0,
      origin: "https://example.com",
      fieldValue: 'h3=":443"; ma=3600',
    });
    expect(altSvcToFrame({ clear: true }, { streamId: 5 })).toEqual({ streamId: 5, origin: "", fieldValue: "clear" });
    const back = altSvcFromFrame(altSvcToFrame(advert, { origin: "https://example.com" }));
    expect(back?.advert.alternatives[0]?.maxAge).toBe(3600);
  });

  test.each([
    { name: "stream 0 without origin", target: { streamId: 0 as const, origin: "" } },
    { name: "origin on a non-zero stream", target: { streamId: 1, origin: "https://a.example" } },
    { name: "non-ASCII origin", target: { origin: "https://é.example" } },
    { name: "negative stream", target: { streamId: -1 } },
  ])("caller mistake: $name", ({ target }) => {
    expect(() => altSvcToFrame({ clear: true }, target as never)).toThrow();
  });
});

describe("with httpwire/http2's ALTSVC frame codec", () => {
  test("encodeFrame → FrameDecoder → altSvcFromFrame gives the advertisement back", () => {
    const fields = altSvcToFrame(
      {
        alternatives: [
          { protocolId: "h3", port: 443, maxAge: 60 },
          { protocolId: "w=x", host: "[::1]", port: 8443, persist: true },
        ],
      },
      { origin: "https://example.com" },
    );
    const bytes = encodeFrame({ type: FrameType.ALTSVC, ...fields });
    const events = new FrameDecoder().push(bytes);
    expect(events).toHaveLength(1);
    const frame = events[0]!;
    if (frame.type !== FrameType.ALTSVC) throw new Error("not an ALTSVC frame");
    const got = altSvcFromFrame(frame);
    expect(got?.origin).toBe("https://example.com");
    expect(got?.advert.alternatives.map((a) => [a.protocolId, a.host, a.port, a.maxAge, a.persist])).toEqual([
      ["h3", "", 443, 60, false],
      ["w=x", "[::1]", 8443, 86400, true],
    ]);
  });
});
