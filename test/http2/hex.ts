/**
 * Test helpers for the http2 suites (no Node APIs, so they also run in the
 * browser suite): `hex` that reads frame diagrams with `|` separators and
 * `#` comments, and `caught` that returns the Http2Error a call throws.
 */
import { type FrameHeaderResult, Http2Error, readFrameHeader } from "httpwire/http2";
import { hex as plainHex } from "../helpers/hex.js";

/** Bytes from hex with spaces, `|` separators and `#` comments to the end of a line. */
export function hex(text: string): Uint8Array {
  return plainHex(text.replace(/#[^\n]*/g, "").replace(/\|/g, ""));
}

/** The Http2Error that `f` throws; fails the test when it throws anything else or nothing. */
export function caught(f: () => unknown): Http2Error {
  try {
    f();
  } catch (e) {
    if (e instanceof Http2Error) return e;
    throw e;
  }
  throw new Error("expected an Http2Error");
}

/** The header at `offset`, which the test knows is complete. */
export function okHeader(bytes: Uint8Array, offset = 0): FrameHeaderResult {
  const h = readFrameHeader(bytes, offset);
  if (h.status !== "ok") throw new Error(`Incomplete frame header at ${offset}`);
  return h;
}
