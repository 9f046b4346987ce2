/**
 * The shipped captures, read with node:fs. Test files that use this import
 * node: themselves too, which keeps them out of the browser suite.
 */
import { readFileSync } from "node:fs";
import { CaptureDecoder, type CaptureEvent } from "httpwire/capture";
import { fixturePath } from "../helpers/corpora.js";

/** The bytes of a file in fixtures/captures/. */
export function captureBytes(name: string): Uint8Array {
  return new Uint8Array(readFileSync(fixturePath("captures", name)));
}

/** Decodes `bytes` pushed in pieces cut at `cuts` (taken modulo the length, deduplicated, sorted). */
export function decodeInChunks(bytes: Uint8Array, cuts: readonly number[]): CaptureEvent[] {
  const d = new CaptureDecoder();
  const out: CaptureEvent[] = [];
  let prev = 0;
  for (const c of [...new Set(cuts.map((x) => x % (bytes.length + 1)))].sort((a, b) => a - b)) {
    out.push(...d.push(bytes.subarray(prev, c)));
    prev = c;
  }
  out.push(...d.push(bytes.subarray(prev)));
  out.push(...d.end());
  return out;
}
