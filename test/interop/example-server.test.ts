/**
 * Real clients against the example server (examples/h2-server.ts, on Http2Connection) over loopback: curl
 * (`--http2-prior-knowledge` over h2c, `--http2` over TLS with ALPN), nghttp (many streams on one connection, uploads,
 * small windows of its own) and a short h2load run over TLS. The command-line server is started as its own process
 * exactly as the README says (`npx tsx examples/h2-server.ts --port 0 [--tls --cert --key]`); the large-body cases
 * use the same server in this process with a handler that answers `/size/N` with N bytes. The 100,000-request h2load
 * run is in h2load.test.ts.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import type { Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { EXAMPLE_BODY, startH2Server } from "../../examples/h2-server.js";
import { type Certificate, makeCertificate, type Peer, run, runH2load, startExampleServer, which } from "../../scripts/peers.js";
import { checksum, firstDifference, pattern } from "./node-peer.js";

const HAVE = { curl: which("curl") !== undefined, nghttp: which("nghttp") !== undefined, h2load: which("h2load") !== undefined };
const HAVE_OPENSSL = which("openssl") !== undefined;

let cert: Certificate | undefined;
let h2c: Peer;
let tls: Peer | undefined;
let work: string;
beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "httpwire-example-server-"));
  if (HAVE_OPENSSL) cert = await makeCertificate();
  [h2c, tls] = await Promise.all([startExampleServer(), cert === undefined ? undefined : startExampleServer(cert)]);
}, 60_000);
afterAll(async () => {
  await h2c?.stop();
  await tls?.stop();
  cert?.remove();
  rmSync(work, { recursive: true, force: true });
});

describe.skipIf(!HAVE.curl)(`curl against the example server${HAVE.curl ? "" : " (SKIPPED: curl is not installed)"}`, () => {
  const CURL_OUT = ["-s", "-S", "-w", "\\n%{http_version} %{http_code}"];

  test("--http2-prior-knowledge over h2c: HTTP/2, 200, the small response", async () => {
    const r = await run("curl", [...CURL_OUT, "--http2-prior-knowledge", `http://127.0.0.1:${h2c.port}/hello`]);
    expect(r.stdout).toBe(`${EXAMPLE_BODY}\n2 200`);
  });

  test.skipIf(!HAVE_OPENSSL)("--http2 over TLS (ALPN h2, certificate verified): HTTP/2, 200, the small response", async () => {
    const r = await run("curl", [...CURL_OUT, "--http2", "--cacert", cert!.cert, `https://127.0.0.1:${tls!.port}/hello`]);
    expect(r.stdout).toBe(`${EXAMPLE_BODY}\n2 200`);
  });

  // curl 7.88.1's --parallel with --http2-prior-knowledge fails against nghttpd as well (curl error 16 after the first
  // response), so multiplexing over h2c is shown with nghttp below, and curl multiplexes over TLS here.
  test.skipIf(!HAVE_OPENSSL)("60 requests multiplexed on one TLS connection (--parallel), and a 2 MB upload over h2c", async () => {
    const urls = Array.from({ length: 60 }, (_, i) => `https://127.0.0.1:${tls!.port}/p${i}`);
    const parallel = ["--http2", "--cacert", cert!.cert, "--parallel", "--parallel-max", "60", "-w", "%{http_code}\\n"];
    const r = await run("curl", ["-s", "-S", ...parallel, ...urls]);
    expect(r.stdout.split(EXAMPLE_BODY).length - 1).toBe(60);
    expect(r.stdout.match(/^200$/gm)).toHaveLength(60);
    const upload = join(work, "upload.bin");
    writeFileSync(upload, pattern(2 << 20));
    const u = await run("curl", [...CURL_OUT, "--http2-prior-knowledge", "--data-binary", `@${upload}`, `http://127.0.0.1:${h2c.port}/up`]);
    expect(u.stdout).toBe(`${EXAMPLE_BODY}\n2 200`);
  });
});

describe.skipIf(!HAVE.nghttp)(`nghttp against the example server${HAVE.nghttp ? "" : " (SKIPPED: nghttp is not installed)"}`, () => {
  test("100 streams on one connection over h2c, each answered", async () => {
    const r = await run("nghttp", ["-n", "-s", "-m", "100", `http://127.0.0.1:${h2c.port}/many`]);
    // The statistics table: "id responseEnd requestStart process code size request path", one line per stream.
    expect(r.stdout.match(/^\s*\d+\s+\+\S+\s+\+\S+\s+\S+\s+200\s+\d+\s+\/many$/gm)).toHaveLength(100);
  });

  test.skipIf(!HAVE_OPENSSL)("over TLS: the body, and a 1 MB upload", async () => {
    const r = await run("nghttp", [`https://127.0.0.1:${tls!.port}/hello`]);
    expect(r.stdout).toBe(EXAMPLE_BODY);
    const upload = join(work, "nghttp-upload.bin");
    writeFileSync(upload, pattern(1 << 20, 4));
    const u = await run("nghttp", ["-d", upload, `https://127.0.0.1:${tls!.port}/up`]);
    expect(u.stdout).toBe(EXAMPLE_BODY);
  });
});

describe.skipIf(!HAVE.h2load || !HAVE_OPENSSL)(
  `h2load against the example server over TLS${HAVE.h2load && HAVE_OPENSSL ? "" : " (SKIPPED: h2load or openssl is not installed)"}`,
  () => {
    test("2,000 requests, 4 connections, 50 streams each: every one succeeds", async () => {
      const r = await runH2load(`https://127.0.0.1:${tls!.port}/`, { n: 2000, c: 4, m: 50 });
      expect({ succeeded: r.succeeded, failed: r.failed, errored: r.errored, ok: r.status2xx }).toEqual({
        succeeded: 2000,
        failed: 0,
        errored: 0,
        ok: 2000,
      });
    });
  },
);

describe.skipIf(!HAVE.curl || !HAVE.nghttp)(
  `large bodies from the example server${HAVE.curl && HAVE.nghttp ? "" : " (SKIPPED: curl or nghttp is not installed)"}`,
  () => {
    let server: Server;
    let port: number;
    beforeAll(async () => {
      server = await startH2Server((req) => {
        const path = req.headers.find((f) => f.name === ":path")?.value ?? "";
        const n = Number(/^\/size\/(\d+)$/.exec(path)?.[1] ?? 0);
        const body = pattern(n, 2);
        return { status: 200, body, trailers: [{ name: "x-sum", value: checksum(body) }] };
      });
      const address = server.address();
      port = typeof address === "object" && address !== null ? address.port : 0;
    });
    afterAll(() => new Promise<void>((resolve) => server?.close(() => resolve())));

    test("curl downloads 4 MB exactly", async () => {
      const out = join(work, "down.bin");
      await run("curl", ["-s", "-S", "--http2-prior-knowledge", "-o", out, `http://127.0.0.1:${port}/size/${4 << 20}`]);
      expect(firstDifference(readFileSync(out), pattern(4 << 20, 2))).toBe(-1);
    });

    test("nghttp with windows of 2^10-1 octets (stream) and 2^12-1 (connection): 1 MB exactly, and 4 such streams at once", async () => {
      const url = `http://127.0.0.1:${port}/size/${1 << 20}`;
      const one = await run("nghttp", ["-w", "10", "-W", "12", url]);
      expect(firstDifference(one.stdoutBytes, pattern(1 << 20, 2))).toBe(-1);
      // nghttp prints the bodies of concurrent streams interleaved, so for 4 streams its statistics say what arrived.
      const four = await run("nghttp", ["-n", "-s", "-w", "10", "-W", "12", "-m", "4", url]);
      expect(four.stdout.match(/^\s*\d+\s+\+\S+\s+\+\S+\s+\S+\s+200\s+1M\s+\/size\/1048576$/gm)).toHaveLength(4);
    });
  },
);
