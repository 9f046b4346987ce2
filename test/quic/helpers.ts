import { QuicError } from "httpwire/quic";
import { concatBytes } from "../../src/shared/bytes.js";

/** Runs `fn` and returns the QuicError it throws (anything else, or nothing, fails the test). */
export function caught(fn: () => unknown): QuicError {
  try {
    fn();
  } catch (e) {
    if (e instanceof QuicError) return e;
    throw e;
  }
  throw new Error("expected a QuicError");
}

/** Joins byte arrays (the toolkit's one joiner). */
export function cat(...parts: Uint8Array[]): Uint8Array {
  return concatBytes(parts);
}
