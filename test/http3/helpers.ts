/** Test helpers for the http3 tests. */

import { Http3Error } from "httpwire/http3";
import { expect } from "vitest";

export { hex, toHex } from "../helpers/hex.js";

/** Runs `f`, expecting an Http3Error, and returns it. */
export function catchH3(f: () => unknown): Http3Error {
  try {
    f();
  } catch (e) {
    if (e instanceof Http3Error) return e;
    throw e;
  }
  throw new Error("expected an Http3Error, nothing was thrown");
}

/** Asserts the code name, scope and reason of the error `f` throws. */
export function expectH3(f: () => unknown, codeName: string, reason: string, scope: "connection" | "stream" = "connection"): Http3Error {
  const e = catchH3(f);
  expect({ codeName: e.codeName, scope: e.scope, reason: e.reason }).toEqual({ codeName, scope, reason });
  return e;
}
