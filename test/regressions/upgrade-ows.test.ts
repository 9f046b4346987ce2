// Issue 12, finding 3: the upgrade helpers trimmed list elements with
// /^[ \t]+|[ \t]+$/g, which retries its second branch at every position of a
// whitespace run: "Upgrade: websocket" + 64 000 spaces + "x" cost about 2 s in
// acceptUpgrade and again in judgeUpgradeResponse. The lists are now split in
// one pass (src/shared/field-list.ts). Compared at n and 8n in counted work
// (characters read, sliced and searched), which no machine load changes.

import { parseAltSvc, parseAltUsed } from "httpwire/alt-svc";
import { acceptUpgrade, buildUpgradeRequest, judgeUpgradeResponse } from "httpwire/upgrade";
import { describe, expect, test } from "vitest";
import { workGrowth } from "../helpers/work.js";

/**
 * Counted work per character at 8n over that at n (test/helpers/work.ts):
 * about 1 when linear, about 8 when quadratic. Regular expressions count as
 * the square of their subject (their backtracking is invisible to the
 * counters), so a regular expression over the long value fails the test.
 */
function growth(f: (size: number) => unknown, n: number): number {
  // A first call of each size outside the count fills the cache of `spaces`.
  f(n);
  f(8 * n);
  return workGrowth((size) => () => void f(size), n, { regex: "squared" });
}

const runs = new Map<number, string>();
/** `n` spaces, made once per length (so that the counted calls count only the code under test). */
const spaces = (n: number): string => {
  let s = runs.get(n);
  if (s === undefined) {
    s = " ".repeat(n);
    runs.set(n, s);
  }
  return s;
};
const request = buildUpgradeRequest({
  httpVersion: "1.1",
  protocol: "websocket",
  authority: "example.com",
  path: "/chat",
});

describe("issue 12 finding 3: OWS in upgrade and alt-svc lists is trimmed in linear time", () => {
  const N = 2000;

  test("acceptUpgrade with Upgrade: websocket + n spaces + x", () => {
    const run = (size: number) =>
      acceptUpgrade(
        {
          method: "GET",
          headers: [
            { name: "host", value: "example.com" },
            { name: "connection", value: "Upgrade" },
            { name: "upgrade", value: `websocket${spaces(size)}x` },
          ],
        },
        { httpVersion: "1.1", supported: ["websocket"] },
      );
    expect(run(10).accepted).toBe(false);
    expect(growth(run, N)).toBeLessThan(1.5);
  });

  test("judgeUpgradeResponse with Upgrade: websocket + n spaces + x", () => {
    const run = (size: number) =>
      judgeUpgradeResponse(request, {
        status: 101,
        headers: [
          { name: "connection", value: "upgrade" },
          { name: "upgrade", value: `websocket${spaces(size)}x` },
        ],
      });
    expect(run(10).accepted).toBe(false);
    expect(growth(run, N)).toBeLessThan(1.5);
  });

  test("Connection, Sec-WebSocket-Protocol and -Extensions with long whitespace runs", () => {
    const run = (size: number) =>
      judgeUpgradeResponse(request, {
        status: 101,
        headers: [
          { name: "connection", value: `upgrade${spaces(size)}x,${spaces(size)}` },
          { name: "upgrade", value: `websocket${spaces(size)}` },
          { name: "sec-websocket-protocol", value: `chat${spaces(size)}x` },
          { name: "sec-websocket-extensions", value: `ext${spaces(size)};${spaces(size)}x` },
        ],
      });
    expect(growth(run, N)).toBeLessThan(1.5);
  });

  test("parseAltSvc and parseAltUsed with long whitespace runs", () => {
    const altSvc = (size: number) => {
      try {
        parseAltSvc(`h3=":443"${spaces(size)};${spaces(size)}ma=1${spaces(size)}x`);
      } catch {
        // expected_comma: the point is the time it takes to say so
      }
    };
    const altUsed = (size: number) => {
      try {
        parseAltUsed(`${spaces(size)}example.com${spaces(size)}x`);
      } catch {
        // invalid host
      }
    };
    expect(growth(altSvc, N)).toBeLessThan(1.5);
    expect(growth(altUsed, N)).toBeLessThan(1.5);
  });
});
