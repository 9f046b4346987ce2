// Issue 12: whole against chunked input for the capture decoder, on every shipped capture
// (and a hex dump of one): any chunking gives the same events as one push.
import { readdirSync } from "node:fs";
import { fc, test } from "@fast-check/vitest";
import type { CaptureEvent } from "httpwire/capture";
import { describe, expect } from "vitest";
import { fixturePath } from "../helpers/corpora.js";
import { captureBytes, decodeInChunks } from "./fixtures.js";

function decodeCut(bytes: Uint8Array, cuts: readonly number[]): string[] {
  return decodeInChunks(bytes, cuts).map((e: CaptureEvent) =>
    e.type === "frame"
      ? `frame ${e.connection} ${e.direction} ${e.time} ${e.offset} ${e.frameType} ${e.frame.streamId} ${e.length} ${JSON.stringify(e.fields ?? null)}`
      : e.type === "error"
        ? `error ${e.connection} ${e.error.reason} ${e.error.offset}`
        : JSON.stringify(e),
  );
}

const names = readdirSync(fixturePath("captures")).filter((n) => /\.(pcap|pcapng)$/.test(n));
const inputs: [string, Uint8Array][] = names.map((n) => [n, captureBytes(n)]);
for (const n of readdirSync(fixturePath("captures", "raw")).filter((x) => x.endsWith(".bin")))
  inputs.push([`raw/${n}`, captureBytes(`raw/${n}`)]);
const pcap = captureBytes("h2-session.pcap");
inputs.push([
  "h2-session.pcap as xxd-less hex",
  new TextEncoder().encode(
    Array.from(pcap, (b) => b.toString(16).padStart(2, "0"))
      .join("")
      .replace(/(.{96})/g, "$1\n"),
  ),
]);

describe("CaptureDecoder: any chunking of every shipped capture gives the events of one push", () => {
  for (const [name, bytes] of inputs) {
    const whole = decodeCut(bytes, []);
    test.prop([fc.array(fc.nat(), { maxLength: 40 })], { numRuns: 25 })(name, (cuts) => {
      expect(decodeCut(bytes, cuts)).toEqual(whole);
    });
  }
});
