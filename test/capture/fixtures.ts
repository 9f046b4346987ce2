/**
 * The shipped captures, read with node:fs. Test files that use this import
 * node: themselves too, which keeps them out of the browser suite.
 */
import { readFileSync } from "node:fs";
import { fixturePath } from "../helpers/corpora.js";

/** The bytes of a file in fixtures/captures/. */
export function captureBytes(name: string): Uint8Array {
  return new Uint8Array(readFileSync(fixturePath("captures", name)));
}
