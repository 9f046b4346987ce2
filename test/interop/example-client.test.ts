/**
 * The example client (examples/h2-client.ts, on Http2Connection) against real servers over loopback, h2c (prior
 * knowledge) and TLS (ALPN h2): a node:http2 server in this process and nghttpd (nghttp2's C server) as a child
 * process. Many concurrent streams (beyond the server's MAX_CONCURRENT_STREAMS, so that the client queues), bodies of
 * several megabytes both ways, trailers both ways, small flow-control windows on both sides, and a GOAWAY mid-flight
 * whose unprocessed requests the client retries on a new connection. Every body is compared byte for byte.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type ClientResponse, fetchAll, H2Client } from "../../examples/h2-client.js";
import { type Certificate, makeCertificate, type Peer, startNghttpd, which } from "../../scripts/peers.js";
import { checksum, firstDifference, type NodeServer, pattern, startNodeServer } from "./node-peer.js";

const HAVE_OPENSSL = which("openssl") !== undefined;
const HAVE_NGHTTPD = which("nghttpd") !== undefined;
const MODES = [
  { mode: "h2c", tls: false, skip: false, why: "" },
  { mode: "tls", tls: true, skip: !HAVE_OPENSSL, why: " (SKIPPED: openssl is not installed)" },
] as const;

const field = (r: ClientResponse, name: string, where: "headers" | "trailers" = "headers") => r[where].find((f) => f.name === name)?.value;

let cert: Certificate | undefined;
beforeAll(async () => {
  if (HAVE_OPENSSL) cert = await makeCertificate();
});
afterAll(() => cert?.remove());

const clientTls = (tls: boolean) => (tls ? { ca: cert!.cert } : undefined);

for (const { mode, tls, skip, why } of MODES) {
  describe.skipIf(skip)(`example client against node:http2, ${mode}${why}`, () => {
    let server: NodeServer;
    beforeAll(async () => {
      server = await startNodeServer({ tls: tls ? cert : undefined, settings: { maxConcurrentStreams: 50 } });
    });
    afterAll(() => server?.stop());

    test("300 concurrent requests over one connection (50 at a time), every body and trailer exact", async () => {
      const client = await H2Client.connect(server.url, { tls: clientTls(tls) });
      try {
        const sizes = Array.from({ length: 300 }, (_, i) => (i * 977) % 70_000);
        const responses = await Promise.all(sizes.map((n) => client.request({ path: `/size/${n}` })));
        responses.forEach((r, i) => {
          expect(r.status).toBe(200);
          expect(field(r, "x-path")).toBe(`/size/${sizes[i]}`);
          expect(firstDifference(r.body, pattern(sizes[i]!))).toBe(-1);
          expect(field(r, "x-sum", "trailers")).toBe(checksum(pattern(sizes[i]!)));
        });
        expect(server.stats.sessions).toBe(1);
      } finally {
        await client.close();
      }
    });

    test("4 MB up (echoed) and 4 MB down on one connection, with trailers both ways", async () => {
      const client = await H2Client.connect(server.url, { tls: clientTls(tls) });
      try {
        const up = pattern(4 << 20, 7);
        const [echo, down] = await Promise.all([
          client.request({ method: "POST", path: "/echo", body: up, trailers: [{ name: "x-client-trailer", value: "sent" }] }),
          client.request({ path: `/size/${4 << 20}` }),
        ]);
        expect(field(echo, "x-request-length")).toBe(String(up.length));
        expect(firstDifference(echo.body, up)).toBe(-1);
        expect(field(echo, "x-echo-trailer", "trailers")).toBe("sent");
        expect(field(echo, "x-sum", "trailers")).toBe(checksum(up));
        expect(firstDifference(down.body, pattern(4 << 20))).toBe(-1);
      } finally {
        await client.close();
      }
    });

    test("small windows on both sides (1,024 octets): 1 MB each way still arrives exactly", async () => {
      const small = await startNodeServer({ tls: tls ? cert : undefined, settings: { initialWindowSize: 1024 } });
      const client = await H2Client.connect(small.url, { tls: clientTls(tls), initialWindowSize: 1024 });
      try {
        const up = pattern(1 << 20, 3);
        const responses = await Promise.all([
          client.request({ method: "PUT", path: "/echo", body: up }),
          ...Array.from({ length: 8 }, () => client.request({ path: `/size/${1 << 17}` })),
        ]);
        expect(firstDifference(responses[0]!.body, up)).toBe(-1);
        for (const r of responses.slice(1)) expect(firstDifference(r.body, pattern(1 << 17))).toBe(-1);
      } finally {
        await client.close();
        await small.stop();
      }
    });

    test("GOAWAY mid-flight: requests above its last stream id are retried on a new connection, each answered once", async () => {
      const closing = await startNodeServer({ tls: tls ? cert : undefined, goawayAfter: 10 });
      try {
        const paths = Array.from({ length: 40 }, (_, i) => `/size/${i * 100}`);
        const responses = await fetchAll(
          closing.url,
          paths.map((path) => ({ path })),
          { tls: clientTls(tls) },
        );
        responses.forEach((r, i) => {
          expect(field(r, "x-path")).toBe(paths[i]);
          expect(firstDifference(r.body, pattern(i * 100))).toBe(-1);
        });
        // Every connection took at most 10 requests, and nothing was answered twice.
        expect(closing.stats.sessions).toBeGreaterThanOrEqual(4);
        expect(closing.stats.streams).toBe(40);
      } finally {
        await closing.stop();
      }
    });
  });
}

for (const { mode, tls, skip, why } of MODES) {
  describe.skipIf(skip || !HAVE_NGHTTPD)(
    `example client against nghttpd, ${mode}${HAVE_NGHTTPD ? why : " (SKIPPED: nghttpd is not installed)"}`,
    () => {
      let htdocs: string;
      let nghttpd: Peer;
      let small: Peer;
      const url = (p: Peer) => `${tls ? "https" : "http"}://127.0.0.1:${p.port}`;
      beforeAll(async () => {
        htdocs = mkdtempSync(join(tmpdir(), "httpwire-htdocs-"));
        writeFileSync(join(htdocs, "big.bin"), pattern(3 << 20, 5));
        for (let i = 0; i < 20; i++) writeFileSync(join(htdocs, `f${i}.bin`), pattern(i * 3001, i));
        const tlsFiles = tls ? { cert: cert!.cert, key: cert!.key } : undefined;
        // nghttpd's SETTINGS_MAX_CONCURRENT_STREAMS is 100; --echo-upload answers POST and PUT with their body.
        nghttpd = await startNghttpd({ htdocs, tls: tlsFiles, extra: ["--echo-upload", "--trailer", "x-nghttpd-trailer: yes"] });
        // Windows of 2^10-1 octets (stream) and 2^12-1 (connection).
        small = await startNghttpd({ htdocs, tls: tlsFiles, extra: ["--echo-upload", "-w", "10", "-W", "12"] });
      });
      afterAll(async () => {
        await nghttpd?.stop();
        await small?.stop();
        rmSync(htdocs, { recursive: true, force: true });
      });

      test("250 concurrent GETs (100 at a time), every body exact, with the server's trailers", async () => {
        const client = await H2Client.connect(url(nghttpd), { tls: clientTls(tls) });
        try {
          const responses = await Promise.all(Array.from({ length: 250 }, (_, i) => client.request({ path: `/f${i % 20}.bin` })));
          responses.forEach((r, i) => {
            expect(r.status).toBe(200);
            expect(firstDifference(r.body, pattern((i % 20) * 3001, i % 20))).toBe(-1);
            if (r.body.length > 0) expect(field(r, "x-nghttpd-trailer", "trailers")).toBe("yes");
          });
        } finally {
          await client.close();
        }
      });

      test("3 MB down and 3 MB up (echoed), with the client's trailers", async () => {
        const client = await H2Client.connect(url(nghttpd), { tls: clientTls(tls) });
        try {
          const up = pattern(3 << 20, 9);
          const [down, echo] = await Promise.all([
            client.request({ path: "/big.bin" }),
            client.request({ method: "POST", path: "/", body: up, trailers: [{ name: "x-client-trailer", value: "sent" }] }),
          ]);
          expect(firstDifference(down.body, pattern(3 << 20, 5))).toBe(-1);
          expect(firstDifference(echo.body, up)).toBe(-1);
        } finally {
          await client.close();
        }
      });

      test("small windows on both sides: 1 MB up and 3 MB down arrive exactly", async () => {
        const client = await H2Client.connect(url(small), { tls: clientTls(tls), initialWindowSize: 1024 });
        try {
          const up = pattern(1 << 20, 1);
          const [down, echo] = await Promise.all([
            client.request({ path: "/big.bin" }),
            client.request({ method: "PUT", path: "/", body: up }),
          ]);
          expect(firstDifference(down.body, pattern(3 << 20, 5))).toBe(-1);
          expect(firstDifference(echo.body, up)).toBe(-1);
        } finally {
          await client.close();
        }
      });
    },
  );
}
