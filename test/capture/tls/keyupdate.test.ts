/**
 * TLS 1.3 KeyUpdate (RFC 8446 §4.6.3) from real peers: OpenSSL's s_client
 * and s_server send one when a line of their input is "k". A relay between
 * them records the bytes; s_client's -keylogfile gives the key log.
 */
import { readFileSync } from "node:fs";
import { KeyLog, type TlsEvent, TlsStream } from "httpwire/capture";
import { afterAll, describe, expect, test } from "vitest";
import { OpensslLab, sleep, waitFor } from "./openssl.js";
import { type Chunk, collect, opensslAvailable } from "./sessions.js";

const available = opensslAvailable();

describe.skipIf(!available)("TLS 1.3 KeyUpdate from openssl s_client and s_server (skipped: openssl is needed)", () => {
  const lab = available ? new OpensslLab() : undefined;
  afterAll(() => lab?.close());

  test.each(["TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256"])(
    "both sides update their keys (%s)",
    async (suite) => {
      const server = await lab!.server(["-tls1_3", "-ciphersuites", suite, "-naccept", "1"]);
      const chunks: Chunk[] = [];
      const relayPort = await lab!.relay(server.port, chunks);
      const keyLogFile = lab!.file(`keys-${suite}.txt`);
      const client = lab!.client(relayPort, ["-keylogfile", keyLogFile, "-tls1_3", "-ciphersuites", suite]);
      await waitFor(() => client.output().includes("Verify return code"));
      // Each line on its own, so that "k" is read as the command it is.
      for (const line of ["hello\n", "k\n", "more\n"]) {
        client.process.stdin!.write(line);
        await sleep(150);
      }
      await waitFor(() => server.peer.output().includes("more"));
      for (const line of ["hi\n", "k\n", "there\n"]) {
        server.peer.process.stdin!.write(line);
        await sleep(150);
      }
      await waitFor(() => client.output().includes("there"));
      client.process.stdin!.end();
      await waitFor(() => client.process.exitCode !== null);
      await sleep(50);
      // Both say they sent one (s_client prints KEYUPDATE, s_server the result of the handshake step that sends it).
      expect(client.output()).toContain("KEYUPDATE");
      expect(server.peer.output()).toContain("SSL_do_handshake -> 1");

      const stream = new TlsStream(new KeyLog(readFileSync(keyLogFile, "latin1")));
      const out: TlsEvent[] = [];
      for (const c of chunks) stream.push(c.direction, c.bytes, out);
      stream.end(out);
      const { client: fromClient, server: fromServer, other } = collect(out);
      expect(other).toEqual([
        { type: "tls-handshake", info: expect.objectContaining({ version: "TLS 1.3", cipherSuiteName: suite, decryptable: true }) },
      ]);
      expect(new TextDecoder().decode(fromClient)).toBe("hello\nmore\n");
      expect(new TextDecoder().decode(fromServer)).toBe("hi\nthere\n");
    },
    60_000,
  );
});
