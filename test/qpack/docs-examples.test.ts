/** The examples of docs/qpack.md, asserted. Keep the two in step. */

import { QpackDecoder, QpackEncoder, readDecoderInstruction, readEncoderInstruction } from "httpwire/qpack";
import { expect, test } from "vitest";
import { toHex as hex } from "../helpers/hex.js";

test("docs/qpack.md quick start", () => {
  const encoder = new QpackEncoder({ maxTableCapacity: 4096, maxBlockedStreams: 100 });
  const decoder = new QpackDecoder({ maxTableCapacity: 4096, maxBlockedStreams: 100 });
  const fields = [
    { name: ":method", value: "GET" },
    { name: ":path", value: "/" },
    { name: ":authority", value: "www.example.com" },
    { name: "authorization", value: "Bearer abc", sensitive: true },
  ];
  const s1 = encoder.encodeFieldSection(0, fields);
  expect(hex(s1).startsWith("0000d1c1508cf1e3")).toBe(true);
  const e1 = encoder.drainEncoderStream();
  expect(hex(e1)).toBe("3fe11f");
  decoder.onEncoderStream(e1);
  expect(decoder.decodeFieldSection(0, s1)).toEqual({ status: "decoded", fields });

  const s2 = encoder.encodeFieldSection(4, fields);
  expect(hex(s2).startsWith("0280d1c1107f45")).toBe(true);
  const e2 = encoder.drainEncoderStream();
  expect(hex(e2).startsWith("c08cf1e3")).toBe(true);
  expect(decoder.decodeFieldSection(4, s2)).toEqual({ status: "blocked", requiredInsertCount: 1 });
  expect(decoder.onEncoderStream(e2)).toEqual([{ status: "decoded", streamId: 4, fields }]);
  const d2 = decoder.drainDecoderStream();
  expect(hex(d2)).toBe("84");
  encoder.onDecoderStream(d2);

  const s3 = encoder.encodeFieldSection(8, fields);
  expect(hex(s3).startsWith("0200d1c1807f45")).toBe(true);
  expect(encoder.drainEncoderStream().length).toBe(0);
  expect(decoder.decodeFieldSection(8, s3)).toEqual({ status: "decoded", fields });
});

test("the pure readers: ok with the length, or need-more with what is still needed", () => {
  expect(readEncoderInstruction(Uint8Array.of(0x3f, 0xe1, 0x1f))).toEqual({
    status: "ok",
    instruction: { type: "set-dynamic-table-capacity", capacity: 4096 },
    length: 3,
  });
  expect(readDecoderInstruction(Uint8Array.of(0x84))).toEqual({
    status: "ok",
    instruction: { type: "section-acknowledgment", streamId: 4 },
    length: 1,
  });
  // Insert With Literal Name "x", value of 10 raw octets of which 3 are here: 7 more needed.
  expect(readEncoderInstruction(Uint8Array.of(0x41, 0x78, 0x0a, 0x61, 0x62, 0x63))).toEqual({
    status: "need-more",
    needed: 7,
  });
  // At offset 1 of 3f e1: the capacity's integer continues, at least 1 more byte.
  expect(readEncoderInstruction(Uint8Array.of(0x00, 0x3f, 0xe1), 1)).toEqual({ status: "need-more", needed: 1 });
  expect(readDecoderInstruction(Uint8Array.of(0x7f))).toEqual({ status: "need-more", needed: 1 });
});
