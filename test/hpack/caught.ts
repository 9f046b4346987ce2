import { HpackError } from "httpwire/hpack";

/** Runs `fn` and returns the HpackError it throws (anything else, or nothing, fails the test). */
export function caught(fn: () => unknown): HpackError {
  try {
    fn();
  } catch (e) {
    if (e instanceof HpackError) return e;
    throw e;
  }
  throw new Error("expected an HpackError");
}
