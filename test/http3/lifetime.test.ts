import { Http3FrameDecoder } from "httpwire/http3";
import { describe, expect, test } from "vitest";

describe("Http3FrameDecoder: lifetime of a frame that straddled chunks", () => {
  test("its views never change when later frames straddle chunks too", () => {
    const d = new Http3FrameDecoder({ stream: "request" });
    // HEADERS (type 0x01) of 4 octets, cut after 2 payload octets; then a second HEADERS (trailers) cut the same way.
    const events = [
      ...d.push(Uint8Array.of(0x01, 0x04, 0xaa, 0xbb)),
      ...d.push(Uint8Array.of(0xcc, 0xdd, 0x01, 0x04, 0x11)),
      ...d.push(Uint8Array.of(0x22, 0x33, 0x44)),
    ];
    const sections = events.map((e) => (e.type === "frame" && "fieldSection" in e.frame ? [...e.frame.fieldSection] : undefined));
    expect(sections).toEqual([
      [0xaa, 0xbb, 0xcc, 0xdd],
      [0x11, 0x22, 0x33, 0x44],
    ]);
    // The first frame's view still reads its own bytes after the second was gathered.
    const first = events[0]!;
    expect(first.type === "frame" && "fieldSection" in first.frame ? [...first.frame.fieldSection] : []).toEqual([0xaa, 0xbb, 0xcc, 0xdd]);
  });
});
