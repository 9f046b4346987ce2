// Property tests for the QUIC wire format: the arbitraries of
// httpwire/arbitraries produce what they claim, decoders and encoders are
// exact inverses, and damaged input gives a result or a QuicError, never
// another exception.
import { fc, test } from "@fast-check/vitest";
import { QUIC_MALFORMED_KINDS, quicDatagram, quicFrame, quicFramePayload, quicMalformedFrame, quicPacket } from "httpwire/arbitraries";
import {
  decodeDatagram,
  decodeFrames,
  decodePacketNumber,
  decodeTransportParameters,
  encodeFrames,
  encodePacketNumber,
  encodeTransportParameters,
  finishPacketHeader,
  QuicError,
  type QuicFrame,
  quicFrameTypeOf,
  readPacketHeader,
} from "httpwire/quic";
import { describe, expect } from "vitest";
import { toHex } from "../helpers/hex.js";

function outcome(f: () => unknown): "ok" | "quic-error" {
  try {
    f();
    return "ok";
  } catch (e) {
    if (e instanceof QuicError) return "quic-error";
    throw e;
  }
}

describe("frames", () => {
  test.prop([quicFrame()])("each generated frame decodes to its value, and encodes back to its bytes", ({ frame, bytes }) => {
    const decoded = decodeFrames(bytes);
    expect(decoded).toEqual([frame]);
    expect(toHex(encodeFrames(decoded))).toBe(toHex(bytes));
    expect(quicFrameTypeOf(decoded[0]!)).toBe(bytes[0]);
  });

  test.prop([quicFramePayload()])("payloads of several frames: decode, encode, same bytes", ({ frames, bytes }) => {
    const decoded = decodeFrames(bytes);
    expect(decoded).toEqual(frames);
    expect(toHex(encodeFrames(decoded))).toBe(toHex(bytes));
    // and encoding the values (not the decoded frames) gives the bytes too
    expect(toHex(encodeFrames(frames as unknown as QuicFrame[]))).toBe(toHex(bytes));
  });

  test.prop([quicMalformedFrame()])("malformed frames fail with the named code and reason", ({ bytes, expected }) => {
    try {
      decodeFrames(bytes);
    } catch (e) {
      expect(e).toBeInstanceOf(QuicError);
      const q = e as QuicError;
      expect([q.code, q.codeName, q.scope, q.reason]).toEqual([expected.code, expected.codeName, expected.scope, expected.reason]);
      return;
    }
    throw new Error("decoded a malformed frame");
  });

  test("every frame kind and every malformed kind is generated; kinds kebab-case, reasons snake_case", () => {
    const kinds = new Set(fc.sample(quicFrame(), { numRuns: 500, seed: 3 }).map((c) => c.frame.type));
    expect(kinds.size).toBe(21);
    const bad = fc.sample(quicMalformedFrame(), { numRuns: 300, seed: 3 });
    expect(new Set(bad.map((c) => c.kind)).size).toBe(QUIC_MALFORMED_KINDS.length);
    for (const c of bad) {
      expect(c.kind).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(c.expected.reason).toMatch(/^[a-z0-9]+(_[a-z0-9]+)*$/);
    }
  });

  test.prop([
    fc.uint8Array({ maxLength: 200 }),
    fc.constantFrom(undefined, "initial", "handshake", "0-rtt", "1-rtt"),
    fc.constantFrom(undefined, "client", "server"),
  ])("arbitrary bytes: frames or a QuicError", (bytes, packetType, sender) => {
    outcome(() => decodeFrames(bytes, { packetType: packetType as "initial" | undefined, sender: sender as "client" | undefined }));
  });

  test.prop([quicFramePayload(), fc.nat(), fc.integer({ min: 0, max: 255 })])(
    "flipped bits in valid payloads: frames or a QuicError",
    ({ bytes }, at, xor) => {
      const damaged = bytes.slice();
      damaged[at % damaged.length] = damaged[at % damaged.length]! ^ xor;
      outcome(() => decodeFrames(damaged));
      outcome(() => decodeFrames(damaged.subarray(0, at % (damaged.length + 1))));
    },
  );
});

describe("packets", () => {
  test.prop([quicPacket()])("each generated packet reads back to its fields", ({ packet, bytes, shortHeaderCidLength }) => {
    const h = readPacketHeader(bytes, 0, { shortHeaderCidLength });
    if (h.status !== "ok") throw new Error("need more");
    expect(h.type).toBe(packet.type);
    expect(h.length).toBe(bytes.length);
    if (h.type === "retry" || h.type === "version-negotiation") {
      expect(h).toMatchObject(packet);
      return;
    }
    if (h.type === "unknown-version") throw new Error("unknown version");
    const f = finishPacketHeader(h, h.firstByte);
    const { payload, ...fields } = packet;
    expect(f).toMatchObject(fields);
    expect(toHex(f.payload)).toBe(toHex(payload as Uint8Array));
  });

  test.prop([quicDatagram()])("coalesced packets split by their Length fields", ({ packets, bytes, shortHeaderCidLength }) => {
    const { packets: got } = decodeDatagram(bytes, { shortHeaderCidLength });
    expect(got.map((p) => [p.type, p.length])).toEqual(packets.map((p) => [p.packet.type, p.bytes.length]));
  });

  test.prop([fc.uint8Array({ maxLength: 120 }), fc.integer({ min: 0, max: 20 }), fc.boolean()])(
    "arbitrary bytes: a header, need-more, or a QuicError; and so for the second step",
    (bytes, cid, fixed) => {
      outcome(() => {
        const h = readPacketHeader(bytes, 0, { shortHeaderCidLength: cid, requireFixedBit: fixed });
        if (h.status === "ok" && (h.type === "initial" || h.type === "0-rtt" || h.type === "handshake" || h.type === "1-rtt")) {
          finishPacketHeader(h, h.firstByte);
          finishPacketHeader(h, h.firstByte ^ (h.type === "1-rtt" ? 0x1f : 0x0f));
        }
      });
      outcome(() => decodeDatagram(bytes, { shortHeaderCidLength: cid, requireFixedBit: fixed }));
    },
  );

  test.prop([quicDatagram(), fc.nat(), fc.integer({ min: 1, max: 255 })])(
    "damaged datagrams: packets or a QuicError",
    ({ bytes, shortHeaderCidLength }, at, xor) => {
      const damaged = bytes.slice();
      damaged[at % damaged.length] = damaged[at % damaged.length]! ^ xor;
      outcome(() => decodeDatagram(damaged, { shortHeaderCidLength }));
      outcome(() => decodeDatagram(bytes.subarray(0, at % bytes.length), { shortHeaderCidLength }));
    },
  );
});

describe("packet numbers", () => {
  test.prop([fc.bigInt({ min: 0n, max: 2n ** 62n - 1n }), fc.bigInt({ min: 1n, max: 2n ** 31n })])(
    "encode with the length Appendix A.2 chooses, decode with Appendix A.3: the same number",
    (full, unacked) => {
      const largestAcked = full - unacked >= 0n ? full - unacked : undefined;
      if (largestAcked === undefined && full + 1n > 2n ** 31n) return;
      const bytes = encodePacketNumber(full, largestAcked);
      let truncated = 0;
      for (const b of bytes) truncated = truncated * 256 + b;
      // The receiver has seen at most the largest acknowledged packet, at least... the same one here.
      const got = decodePacketNumber(largestAcked, truncated, bytes.length * 8);
      expect(BigInt(got)).toBe(full);
    },
  );
});

describe("transport parameters", () => {
  test.prop([fc.uint8Array({ maxLength: 120 }), fc.constantFrom(undefined, "client", "server")])(
    "arbitrary bytes: parameters or a QuicError; decoded ones re-encode to the same bytes when minimal",
    (bytes, sender) => {
      let p: ReturnType<typeof decodeTransportParameters> | undefined;
      outcome(() => {
        p = decodeTransportParameters(bytes, { sender: sender as "client" | undefined });
      });
      if (p !== undefined) expect(decodeTransportParameters(encodeTransportParameters(p))).toEqual(p);
    },
  );
});
