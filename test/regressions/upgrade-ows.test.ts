// Issue 12, finding 3: the upgrade helpers trimmed list elements with
// /^[ \t]+|[ \t]+$/g, which retries its second branch at every position of a
// whitespace run: "Upgrade: websocket" + 64 000 spaces + "x" cost about 2 s in
// acceptUpgrade and again in judgeUpgradeResponse. The lists are now split in
// one pass (src/shared/field-list.ts). Compared at n and 8n in the same test,
// so a busy machine slows both sizes alike.

import { parseAltSvc, parseAltUsed } from "httpwire/alt-svc";
import { acceptUpgrade, buildUpgradeRequest, judgeUpgradeResponse } from "httpwire/upgrade";
import { describe, expect, test } from "vitest";

/** Milliseconds per call of `f(size)`: calls repeated until 15 ms pass, best of 5 batches. */
function msPerCall(f: (size: number) => unknown, size: number): number {
  f(size); // warm-up (JIT, regexp tier-up)
  let best = Infinity;
  for (let batch = 0; batch < 5; batch++) {
    let calls = 0;
    const t0 = performance.now();
    let t = t0;
    do {
      f(size);
      calls++;
      t = performance.now();
    } while (t - t0 < 15);
    best = Math.min(best, (t - t0) / calls);
  }
  return best;
}

/** Per-byte cost at 8n over per-byte cost at n: about 1 when linear, about 8 when quadratic. */
function growth(f: (size: number) => unknown, n: number): number {
  return msPerCall(f, 8 * n) / 8 / msPerCall(f, n);
}

const spaces = (n: number) => " ".repeat(n);
const request = buildUpgradeRequest({
  httpVersion: "1.1",
  protocol: "websocket",
  authority: "example.com",
  path: "/chat",
});

// Cost ratios measured in time: retried, since a shared machine can stall one run.
describe("issue 12 finding 3: OWS in upgrade and alt-svc lists is trimmed in linear time", { retry: 3 }, () => {
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
    expect(growth(run, N)).toBeLessThan(3);
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
    expect(growth(run, N)).toBeLessThan(3);
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
    expect(growth(run, N)).toBeLessThan(3);
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
    expect(growth(altSvc, N)).toBeLessThan(3);
    expect(growth(altUsed, N)).toBeLessThan(3);
  });
});
