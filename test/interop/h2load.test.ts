/**
 * h2load (nghttp2's load generator) against the example server, as issue 15 asks: `h2load -n 100000 -c 10 -m 100`
 * over h2c, and every request must succeed. The server runs as its own process, started as the README says. The
 * budget is generous (a shared CI machine); the assertion is on counts, never on time.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type Peer, runH2load, startExampleServer, which } from "../../scripts/peers.js";

const HAVE_H2LOAD = which("h2load") !== undefined;

describe.skipIf(!HAVE_H2LOAD)(`h2load against the example server${HAVE_H2LOAD ? "" : " (SKIPPED: h2load is not installed)"}`, () => {
  let server: Peer;
  beforeAll(async () => {
    server = await startExampleServer();
  }, 60_000);
  afterAll(() => server?.stop());

  test("h2load -n 100000 -c 10 -m 100: every request succeeds with a 2xx", { timeout: 600_000 }, async () => {
    const r = await runH2load(`http://127.0.0.1:${server.port}/`, { n: 100_000, c: 10, m: 100, timeoutMs: 540_000 });
    expect({ total: r.total, succeeded: r.succeeded, failed: r.failed, errored: r.errored, timeout: r.timeout, ok: r.status2xx }).toEqual({
      total: 100_000,
      succeeded: 100_000,
      failed: 0,
      errored: 0,
      timeout: 0,
      ok: 100_000,
    });
  });
});
