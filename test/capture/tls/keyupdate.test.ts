/**
 * TLS 1.3 KeyUpdate (RFC 8446 §4.6.3) from a real peer: OpenSSL's s_client
 * and s_server send one when a line of their input is "k". A relay between
 * them records the bytes; s_client's -keylogfile gives the key log.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { KeyLog, type TlsEvent, TlsStream } from "httpwire/capture";
import { afterAll, describe, expect, test } from "vitest";
import { type Chunk, collect, opensslAvailable, testCredentials } from "./sessions.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const available = opensslAvailable();

async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((r) => probe.listen(0, "127.0.0.1", r));
  const port = (probe.address() as net.AddressInfo).port;
  await new Promise((r) => probe.close(r));
  return port;
}

async function waitFor(check: () => boolean, ms = 10_000): Promise<void> {
  for (let t = 0; t < ms && !check(); t += 25) await sleep(25);
  if (!check()) throw new Error("timed out waiting for openssl");
}

describe.skipIf(!available)("TLS 1.3 KeyUpdate from openssl s_client and s_server (skipped: openssl is needed)", () => {
  const dir = mkdtempSync(join(tmpdir(), "httpwire-keyupdate-"));
  const children: ChildProcess[] = [];
  afterAll(() => {
    for (const c of children) if (c.exitCode === null) c.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  });

  test.each(["TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256"])(
    "both sides update their keys (%s)",
    async (suite) => {
      const { key, cert } = testCredentials();
      writeFileSync(join(dir, "key.pem"), key);
      writeFileSync(join(dir, "cert.pem"), cert);
      const keyLogFile = join(dir, `keys-${suite}.txt`);
      const serverPort = await freePort();
      let serverOut = "";
      const server = spawn(
        "openssl",
        [
          "s_server",
          "-accept",
          `127.0.0.1:${serverPort}`,
          "-key",
          join(dir, "key.pem"),
          "-cert",
          join(dir, "cert.pem"),
          "-tls1_3",
          "-ciphersuites",
          suite,
          "-naccept",
          "1",
        ],
        { stdio: ["pipe", "pipe", "pipe"] },
      );
      children.push(server);
      const fromServerProcess = (d: Buffer) => {
        serverOut += d.toString("latin1");
      };
      server.stdout!.on("data", fromServerProcess);
      server.stderr!.on("data", fromServerProcess);
      await waitFor(() => serverOut.includes("ACCEPT"));

      const chunks: Chunk[] = [];
      const relay = net.createServer((down) => {
        const up = net.connect(serverPort, "127.0.0.1");
        down.on("data", (d: Buffer) => {
          chunks.push({ direction: "client-to-server", bytes: new Uint8Array(d) });
          up.write(d);
        });
        up.on("data", (d: Buffer) => {
          chunks.push({ direction: "server-to-client", bytes: new Uint8Array(d) });
          down.write(d);
        });
        down.on("end", () => up.end());
        up.on("end", () => down.end());
        down.on("error", () => up.destroy());
        up.on("error", () => down.destroy());
      });
      await new Promise<void>((r) => relay.listen(0, "127.0.0.1", r));
      const relayPort = (relay.address() as net.AddressInfo).port;

      let clientOut = "";
      const client = spawn(
        "openssl",
        ["s_client", "-connect", `127.0.0.1:${relayPort}`, "-keylogfile", keyLogFile, "-tls1_3", "-ciphersuites", suite],
        {
          stdio: ["pipe", "pipe", "pipe"],
        },
      );
      children.push(client);
      const fromClientProcess = (d: Buffer) => {
        clientOut += d.toString("latin1");
      };
      client.stdout!.on("data", fromClientProcess);
      client.stderr!.on("data", fromClientProcess);
      try {
        await waitFor(() => clientOut.includes("Verify return code"));
        // Each line on its own, so that "k" is read as the command it is.
        for (const line of ["hello\n", "k\n", "more\n"]) {
          client.stdin!.write(line);
          await sleep(150);
        }
        await waitFor(() => serverOut.includes("more"));
        for (const line of ["hi\n", "k\n", "there\n"]) {
          server.stdin!.write(line);
          await sleep(150);
        }
        await waitFor(() => clientOut.includes("there"));
        client.stdin!.end();
        await waitFor(() => client.exitCode !== null);
      } finally {
        relay.close();
        server.kill();
      }
      // Both say they sent one (s_client prints KEYUPDATE, s_server the result of the handshake step that sends it).
      expect(clientOut).toContain("KEYUPDATE");
      expect(serverOut).toContain("SSL_do_handshake -> 1");

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
