/**
 * OpenSSL's s_server and s_client as real TLS peers for the tests, with a
 * relay between them that records each direction's bytes in arrival order.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Chunk } from "./sessions.js";
import { recordingRelay, testCredentials } from "./sessions.js";

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function waitFor(check: () => boolean, ms = 10_000): Promise<void> {
  for (let t = 0; t < ms && !check(); t += 25) await sleep(25);
  if (!check()) throw new Error("timed out waiting for openssl");
}

async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((r) => probe.listen(0, "127.0.0.1", r));
  const port = (probe.address() as net.AddressInfo).port;
  await new Promise((r) => probe.close(r));
  return port;
}

/** A running openssl process and everything it printed (stdout and stderr). */
export interface Peer {
  process: ChildProcess;
  output(): string;
}

function run(args: string[]): Peer {
  const child = spawn("openssl", args, { stdio: ["pipe", "pipe", "pipe"] });
  let out = "";
  const take = (d: Buffer) => {
    out += d.toString("latin1");
  };
  child.stdout!.on("data", take);
  child.stderr!.on("data", take);
  child.on("error", () => {});
  return { process: child, output: () => out };
}

/** A scratch directory with the test certificate, and every process started, cleaned by `close()`. */
export class OpensslLab {
  readonly dir = mkdtempSync(join(tmpdir(), "httpwire-openssl-"));
  private readonly children: ChildProcess[] = [];
  private readonly servers: net.Server[] = [];
  constructor() {
    const { key, cert } = testCredentials();
    writeFileSync(join(this.dir, "key.pem"), key);
    writeFileSync(join(this.dir, "cert.pem"), cert);
  }

  file(name: string): string {
    return join(this.dir, name);
  }

  /** Starts s_server on a free port; resolves once it accepts. */
  async server(extra: string[]): Promise<{ peer: Peer; port: number }> {
    const port = await freePort();
    const peer = run(["s_server", "-accept", `127.0.0.1:${port}`, "-key", this.file("key.pem"), "-cert", this.file("cert.pem"), ...extra]);
    this.children.push(peer.process);
    await waitFor(() => peer.output().includes("ACCEPT"));
    return { peer, port };
  }

  /** A relay to `port` recording into `chunks`; returns its port. */
  async relay(port: number, chunks: Chunk[]): Promise<number> {
    const relay = await recordingRelay(port, (c) => chunks.push(c));
    this.servers.push(relay);
    return (relay.address() as net.AddressInfo).port;
  }

  /** Starts s_client to `port`. */
  client(port: number, extra: string[]): Peer {
    const peer = run(["s_client", "-connect", `127.0.0.1:${port}`, ...extra]);
    this.children.push(peer.process);
    return peer;
  }

  close(): void {
    for (const c of this.children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
    for (const s of this.servers) s.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
