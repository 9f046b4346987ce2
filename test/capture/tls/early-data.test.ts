/**
 * TLS 1.3 early data (0-RTT) from real peers: OpenSSL's s_client resumes a
 * session and sends early data (`-sess_in -early_data FILE`); s_server
 * accepts it with `-early_data`, and a fresh server (which cannot read the
 * ticket) rejects it, skipping the records it cannot open (RFC 8446
 * §4.2.10), as the decoder then must.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { KeyLog, type TlsEvent, TlsStream } from "httpwire/capture";
import { afterAll, describe, expect, test } from "vitest";
import { OpensslLab, sleep, waitFor } from "./openssl.js";
import { type Chunk, collect, opensslAvailable } from "./sessions.js";

const available = opensslAvailable();

describe.skipIf(!available)("TLS 1.3 early data from openssl (skipped: openssl is needed)", () => {
  const lab = available ? new OpensslLab() : undefined;
  afterAll(() => lab?.close());

  async function session(port: number, args: string[], line: string, chunks: Chunk[]): Promise<string> {
    const relayPort = await lab!.relay(port, chunks);
    const client = lab!.client(relayPort, ["-tls1_3", ...args]);
    await waitFor(() => client.output().includes("Verify return code"));
    client.process.stdin!.write(line);
    await sleep(300);
    client.process.stdin!.end();
    await waitFor(() => client.process.exitCode !== null);
    await sleep(50);
    return client.output();
  }

  test.each([
    ["accepted", true],
    ["rejected", false],
  ])(
    "early data %s",
    async (name, accept) => {
      const early = lab!.file(`early-${name}.txt`);
      writeFileSync(early, "GET /early HTTP/1.1\r\n\r\n");
      const first = await lab!.server(["-tls1_3", "-early_data", "-naccept", "2"]);
      // A first connection for a ticket that allows early data.
      await session(first.port, ["-sess_out", lab!.file(`sess-${name}.pem`)], "first\n", []);
      // The second offers early data: to the same server (accepted), or to a new one that cannot read the ticket (rejected).
      const target = accept ? first : await lab!.server(["-tls1_3", "-naccept", "1"]);
      const chunks: Chunk[] = [];
      const keyLogFile = lab!.file(`keys-${name}.txt`);
      const out = await session(
        target.port,
        ["-sess_in", lab!.file(`sess-${name}.pem`), "-early_data", early, "-keylogfile", keyLogFile],
        "second\n",
        chunks,
      );
      expect(out).toContain(accept ? "Early data was accepted" : "Early data was rejected");

      const keyLog = readFileSync(keyLogFile, "latin1");
      expect(keyLog).toContain("CLIENT_EARLY_TRAFFIC_SECRET");
      const stream = new TlsStream(new KeyLog(keyLog));
      const events: TlsEvent[] = [];
      for (const c of chunks) stream.push(c.direction, c.bytes, events);
      stream.end(events);
      const { client, other } = collect(events);
      expect(other).toEqual([
        {
          type: "tls-handshake",
          info: expect.objectContaining({
            version: "TLS 1.3",
            earlyData: accept ? "accepted" : "rejected",
            resumed: accept,
            decryptable: true,
          }),
        },
      ]);
      // Accepted early data comes first, in order; rejected early data is not the connection's data.
      expect(new TextDecoder().decode(client)).toBe(accept ? "GET /early HTTP/1.1\r\n\r\nsecond\n" : "second\n");
    },
    60_000,
  );
});
