// The QPACK arbitraries produce what they claim: sections decode to their
// stated fields after their encoder stream, block and unblock when the
// encoder stream comes later, and each malformed kind fails with its named
// code and reason (RFC 9204 §2.2, §4.3-§4.5).
import { fc, test } from "@fast-check/vitest";
import type { QpackMalformedKind } from "httpwire/arbitraries";
import { qpackMalformed, qpackSection } from "httpwire/arbitraries";
import { QpackDecoder, QpackEncoder, QpackError } from "httpwire/qpack";
import { describe, expect } from "vitest";

const plain = (fields: readonly { name: string; value: string }[]) => fields.map(({ name, value }) => ({ name, value }));

describe("qpackSection", () => {
  test.prop([qpackSection()])("decodes to the stated fields after the encoder stream", (c) => {
    const d = new QpackDecoder({ maxTableCapacity: c.maxTableCapacity, maxBlockedStreams: 1 });
    d.onEncoderStream(c.encoderStream);
    const r = d.decodeFieldSection(c.streamId, c.fieldSection);
    expect(r.status).toBe("decoded");
    if (r.status === "decoded") expect(plain(r.fields)).toEqual(c.fields);
  });
  // RFC 9204 §4.5.1.1: a decoder that has seen no insert can only place a Required Insert Count up to MaxEntries.
  test.prop([qpackSection().filter((c) => c.requiredInsertCount > 0 && c.requiredInsertCount <= Math.floor(c.maxTableCapacity / 32))])(
    "blocks until the encoder stream arrives, then unblocks with the same fields",
    (c) => {
      const d = new QpackDecoder({ maxTableCapacity: c.maxTableCapacity, maxBlockedStreams: 1 });
      expect(d.decodeFieldSection(c.streamId, c.fieldSection)).toEqual({
        status: "blocked",
        requiredInsertCount: c.requiredInsertCount,
      });
      const un = d.onEncoderStream(c.encoderStream);
      expect(un.map((u) => [u.streamId, u.status === "decoded" ? plain(u.fields) : u.error])).toEqual([[c.streamId, c.fields]]);
    },
  );
});

describe("qpackMalformed", () => {
  test.prop([qpackMalformed()])("fails with the named code, scope and reason", (c) => {
    let thrown: unknown;
    try {
      if (c.stream === "decoder") {
        new QpackEncoder({ maxTableCapacity: 4096 }).onDecoderStream(c.bytes);
      } else {
        const d = new QpackDecoder({ maxTableCapacity: c.maxTableCapacity, maxBlockedStreams: 4 });
        if (c.stream === "encoder") d.onEncoderStream(c.bytes);
        else {
          d.onEncoderStream(c.encoderStream);
          d.decodeFieldSection(0, c.bytes);
        }
      }
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(QpackError);
    const e = thrown as QpackError;
    expect({ code: e.code, codeName: e.codeName, scope: e.scope, reason: e.reason }).toEqual(c.expected);
  });
  const kinds: QpackMalformedKind[] = [
    "capacity-exceeds-maximum",
    "entry-exceeds-capacity",
    "reference-to-missing-entry",
    "ric-exceeds-full-range",
    "ric-zero-encoded-nonzero",
    "reference-not-below-ric",
    "negative-base",
    "invalid-static-index",
    "insert-count-increment-zero",
  ];
  test.each(kinds.map((k) => [k]))("%s is generated", (kind) => {
    for (const c of fc.sample(qpackMalformed({ kinds: [kind] }), { numRuns: 3, seed: 2 })) expect(c.kind).toBe(kind);
  });
});
