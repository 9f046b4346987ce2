import { readFileSync } from "node:fs";
import { fc, test } from "@fast-check/vitest";
import { HttpwireError } from "httpwire";
import { type CaptureEvent, HexDumpDecoder } from "httpwire/capture";
import { describe, expect } from "vitest";
import { fixturePath } from "../helpers/corpora.js";
import { writePcap } from "./builders.js";
import { decodeInChunks } from "./fixtures.js";

const captureBytes = (name: string) => new Uint8Array(readFileSync(fixturePath("captures", name)));

const decodeChunks = decodeInChunks;

const summary = (evs: CaptureEvent[]) =>
  evs.map((e) =>
    e.type === "frame"
      ? `${e.connection} ${e.direction} ${e.frameType} ${e.frame.streamId} ${e.length} ${JSON.stringify(e.fields ?? null)}`
      : `${e.type}`,
  );

const session = captureBytes("h2-session.pcapng");
const pcap = captureBytes("h2-session.pcap");
const expected = summary(decodeChunks(session, []));

function onlyOurErrors(evs: CaptureEvent[]): void {
  for (const e of evs) if (e.type === "error") expect(e.error).toBeInstanceOf(HttpwireError);
}

describe("CaptureDecoder properties", () => {
  test.prop([fc.array(fc.nat(), { maxLength: 12 })])("any chunking of a capture gives the same events", (cuts) => {
    expect(summary(decodeChunks(session, cuts))).toEqual(expected);
  });

  test.prop([fc.uint8Array({ maxLength: 2000 }), fc.array(fc.nat(), { maxLength: 4 })])(
    "arbitrary bytes give events, never an exception",
    (bytes, cuts) => {
      onlyOurErrors(decodeChunks(bytes, cuts));
    },
  );

  test.prop([fc.array(fc.uint8Array({ minLength: 1, maxLength: 120 }), { maxLength: 20 }), fc.constantFrom(0, 1, 101, 113, 276)])(
    "a pcap of arbitrary packets gives events, never an exception",
    (packets, linkType) => {
      onlyOurErrors(
        decodeChunks(
          writePcap(
            linkType,
            packets.map((data) => ({ data })),
          ),
          [],
        ),
      );
    },
  );

  test.prop([fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 })], {
    numRuns: 60,
  })("a real capture with corrupted bytes gives events, never an exception", (edits) => {
    const b = pcap.slice();
    for (const [at, v] of edits) b[24 + (at % (b.length - 24))] = v;
    onlyOurErrors(decodeChunks(b, [4096]));
  });

  test.prop([fc.string({ maxLength: 300 })])("arbitrary text in a hex dump decoder: bytes or CaptureError", (text) => {
    const d = new HexDumpDecoder();
    try {
      d.push(new TextEncoder().encode(text));
      d.end();
    } catch (e) {
      if (!(e instanceof HttpwireError)) throw e;
    }
  });
});
