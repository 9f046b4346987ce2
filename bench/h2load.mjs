#!/usr/bin/env -S npx tsx
// h2load against three servers doing the same work, in one run: the example server (examples/h2-server.ts, on
// Http2Connection), a node:http2 server and nghttpd (nghttp2's C server). Each answers GET / over h2c with status 200,
// content-type text/plain and the same 20-octet body. Every server runs as its own process; after a warm-up, the
// rounds alternate between the servers (so that the load of the machine falls on all three alike) and the median
// requests per second of each is printed, with the ratios (also the median of each round's ratios). Every request must
// succeed, or the run fails.
//
// Usage: npx tsx bench/h2load.mjs [--n 100000] [--c 10] [--m 100] [--rounds 3]
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { runH2load, startExampleServer, startNghttpd, startPeer, which } from "../scripts/peers.ts";

/** The example server's answer to every request (examples/h2-server.ts); the other two serve the same bytes. */
const BODY = "hello from httpwire\n";

const { values } = parseArgs({
  options: {
    n: { type: "string", default: "100000" },
    c: { type: "string", default: "10" },
    m: { type: "string", default: "100" },
    rounds: { type: "string", default: "3" },
  },
});
const load = { n: Number(values.n), c: Number(values.c), m: Number(values.m) };
const rounds = Number(values.rounds);
for (const tool of ["h2load", "nghttpd"]) if (which(tool) === undefined) throw new Error(`${tool} is not installed`);

// node:http2 with the same answer; it prints its port like the example server does.
const NODE_SERVER = `
const http2 = require("node:http2");
const body = Buffer.from(process.argv[1]);
const server = http2.createServer();
server.on("stream", (stream) => {
  stream.respond({ ":status": 200, "content-type": "text/plain" });
  stream.end(body);
});
server.listen(0, "127.0.0.1", () => console.log("listening on http://127.0.0.1:" + server.address().port));
`;

const htdocs = mkdtempSync(join(tmpdir(), "httpwire-h2load-"));
writeFileSync(join(htdocs, "index.html"), BODY);
const servers = [];
try {
  servers.push({ name: "httpwire example server", peer: await startExampleServer() });
  servers.push({
    name: `node:http2 (Node ${process.version})`,
    peer: await startPeer(process.execPath, {
      args: () => ["-e", NODE_SERVER, BODY],
      readyLine: /listening on http:\/\/127\.0\.0\.1:(\d+)/,
    }),
  });
  servers.push({ name: "nghttpd (nghttp2 C)", peer: await startNghttpd({ htdocs }) });

  const url = (s) => `http://127.0.0.1:${s.peer.port}/`;
  for (const s of servers) await runH2load(url(s), { ...load, n: Math.max(1000, Math.floor(load.n / 10)) }); // warm-up
  const results = new Map(servers.map((s) => [s.name, []]));
  for (let r = 0; r < rounds; r++) {
    for (const s of servers) {
      const res = await runH2load(url(s), load);
      if (res.succeeded !== load.n || res.status2xx !== load.n)
        throw new Error(`${s.name}: ${res.succeeded} of ${load.n} succeeded, ${res.status2xx} 2xx\n${res.output}`);
      results.get(s.name).push(res.requestsPerSecond);
      console.log(`round ${r + 1} ${s.name}: ${res.requestsPerSecond.toFixed(0)} req/s`);
    }
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const rps = new Map([...results].map(([k, v]) => [k, median(v)]));
  const [ours, node, c] = servers.map((s) => rps.get(s.name));
  console.log(`\nh2load -n ${load.n} -c ${load.c} -m ${load.m}, h2c, median of ${rounds} rounds; every request succeeded\n`);
  console.log("| server | requests/s | vs nghttpd | vs node:http2 |");
  console.log("|---|---:|---:|---:|");
  for (const s of servers) {
    const v = rps.get(s.name);
    console.log(`| ${s.name} | ${v.toFixed(0)} | ${(v / c).toFixed(2)} | ${(v / node).toFixed(2)} |`);
  }
  // Each round's servers ran back to back, under about the same load: the median of the per-round ratios is steadier.
  const [a, b, z] = servers.map((s) => results.get(s.name));
  const perRound = (xs, ys) => median(xs.map((x, i) => x / ys[i])).toFixed(2);
  console.log(
    `\nmedians of the per-round ratios: example server / nghttpd = ${perRound(a, z)}, example server / node:http2 = ${perRound(a, b)}`,
  );
  console.log(
    `ratios of the medians: example server / nghttpd = ${(ours / c).toFixed(2)}, example server / node:http2 = ${(ours / node).toFixed(2)}`,
  );
} finally {
  for (const s of servers) await s.peer.stop();
  rmSync(htdocs, { recursive: true, force: true });
}
