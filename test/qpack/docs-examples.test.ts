/** The examples of docs/qpack.md, asserted. Keep the two in step. */
import { expect, test } from "vitest";
import { QpackDecoder, QpackEncoder } from "httpwire/qpack";
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
  expect(decoder.onEncoderStream(e2)).toEqual([{ streamId: 4, status: "decoded", fields }]);
  const d2 = decoder.drainDecoderStream();
  expect(hex(d2)).toBe("84");
  encoder.onDecoderStream(d2);

  const s3 = encoder.encodeFieldSection(8, fields);
  expect(hex(s3).startsWith("0200d1c1807f45")).toBe(true);
  expect(encoder.drainEncoderStream().length).toBe(0);
  expect(decoder.decodeFieldSection(8, s3)).toEqual({ status: "decoded", fields });
});
