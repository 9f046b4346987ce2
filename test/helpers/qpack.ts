import { QpackError } from "httpwire/qpack";

/** Runs `f` and returns the QpackError it throws (anything else is rethrown). */
export function qerr(f: () => unknown): QpackError {
  try {
    f();
  } catch (e) {
    if (e instanceof QpackError) return e;
    throw e;
  }
  throw new Error("expected a QpackError");
}
