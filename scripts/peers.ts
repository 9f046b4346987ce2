/**
 * Live peers over loopback, for the interop tests (test/interop/), the h2spec run (scripts/h2spec.mjs) and the h2load
 * comparison (bench/h2load.mjs): free ports, a throwaway certificate, spawning a server and waiting until it listens,
 * and killing every process started here (also when the test process exits). Node-only; not part of the library.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { accessSync, constants, mkdtempSync, rmSync } from "node:fs";
import { connect, createServer } from "node:net";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root. */
export const ROOT = fileURLToPath(new URL("..", import.meta.url));

/** The full path of `name` on PATH (or `undefined`), so that a test can skip visibly when a peer is absent. */
export function which(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (dir === "") continue;
    const file = join(dir, name);
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** A port nobody listens on right now at 127.0.0.1 (the kernel picks it; eight engineers' runs never collide). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.on("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/** Resolves once a TCP connection to 127.0.0.1:`port` succeeds; rejects after `timeoutMs` or when `alive()` turns false. */
export async function waitForPort(port: number, timeoutMs = 10_000, alive: () => boolean = () => true): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect(port, "127.0.0.1");
      socket.once("connect", () => {
        socket.destroy();
        resolve(true);
      });
      socket.once("error", () => resolve(false));
    });
    if (ok) return;
    if (!alive()) throw new Error(`the peer exited before listening on port ${port}`);
    if (Date.now() > until) throw new Error(`nothing listens on port ${port} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A process started by {@link startPeer}. */
export interface Peer {
  readonly port: number;
  readonly process: ChildProcess;
  /** Everything the process wrote to stdout and stderr so far (for failure messages). */
  output(): string;
  /** Kills the process (SIGTERM, then SIGKILL after a second) and resolves when it has exited. */
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
let exitHookInstalled = false;
function track(child: ChildProcess): void {
  running.add(child);
  child.once("exit", () => running.delete(child));
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    // A test process that dies (or a script interrupted) never leaves a peer behind.
    process.once("exit", () => {
      for (const c of running) c.kill("SIGKILL");
    });
    for (const signal of ["SIGINT", "SIGTERM"] as const)
      process.once(signal, () => {
        for (const c of running) c.kill("SIGKILL");
        process.exit(130);
      });
  }
}

/** Options of {@link startPeer}. */
export interface PeerOptions {
  /** The argument list for a port: a free one probed with {@link freePort}, or 0 when `readyLine` reports the port. */
  args: (port: number) => string[];
  /** When set, the peer is ready once its stdout matches; group 1, if any, is the port it listens on. */
  readyLine?: RegExp;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

/**
 * Starts `command` as a server on a free port and resolves once it accepts connections (or prints `readyLine`).
 * A port taken between the probe and the bind is retried with another one.
 */
export async function startPeer(command: string, options: PeerOptions): Promise<Peer> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const probed = options.readyLine === undefined ? await freePort() : 0;
    const child = spawn(command, options.args(probed), {
      cwd: options.cwd ?? ROOT,
      env: options.env ?? process.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    track(child);
    let log = "";
    let exited = false;
    child.once("exit", () => {
      exited = true;
    });
    const stopped = new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) resolve();
      else child.once("exit", () => resolve());
    });
    child.on("error", (e) => {
      exited = true;
      log += String(e);
    });
    child.stderr?.on("data", (c: Buffer) => {
      log += c.toString();
    });
    const stop = async (): Promise<void> => {
      if (!exited) {
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), 1000);
        await stopped;
        clearTimeout(timer);
      }
    };
    try {
      const port = await new Promise<number>((resolve, reject) => {
        const timeout = options.timeoutMs ?? 60_000; // tsx can take long to start on a loaded machine
        if (options.readyLine === undefined) {
          child.stdout?.on("data", (c: Buffer) => {
            log += c.toString();
          });
          waitForPort(probed, timeout, () => !exited).then(() => resolve(probed), reject);
          return;
        }
        const re = options.readyLine;
        const timer = setTimeout(() => reject(new Error(`no ready line after ${timeout} ms`)), timeout);
        child.once("exit", () => {
          clearTimeout(timer);
          reject(new Error("the peer exited before it was ready"));
        });
        let pending = "";
        child.stdout?.on("data", (c: Buffer) => {
          log += c.toString();
          pending += c.toString();
          const m = re.exec(pending);
          if (m !== null) {
            clearTimeout(timer);
            resolve(m[1] !== undefined ? Number(m[1]) : probed);
          }
        });
      });
      return { port, process: child, output: () => log, stop };
    } catch (e) {
      lastError = new Error(`${command} ${options.args(probed).join(" ")}: ${(e as Error).message}\n${log}`);
      await stop();
    }
  }
  throw lastError;
}

/** A throwaway self-signed certificate for localhost and 127.0.0.1 (P-256), made with openssl. */
export interface Certificate {
  readonly cert: string;
  readonly key: string;
  /** Deletes the files. */
  remove(): void;
}

/** Makes a {@link Certificate} in a new temporary folder (openssl must be on PATH; see {@link which}). */
export async function makeCertificate(): Promise<Certificate> {
  const dir = mkdtempSync(join(tmpdir(), "httpwire-cert-"));
  const cert = join(dir, "cert.pem");
  const key = join(dir, "key.pem");
  await run("openssl", [
    "req",
    "-x509",
    "-newkey",
    "ec",
    "-pkeyopt",
    "ec_paramgen_curve:prime256v1",
    "-nodes",
    "-days",
    "2",
    "-subj",
    "/CN=localhost",
    "-addext",
    "subjectAltName=DNS:localhost,IP:127.0.0.1",
    "-keyout",
    key,
    "-out",
    cert,
  ]);
  return { cert, key, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** What a finished process wrote and how it ended. */
export interface RunResult {
  readonly code: number | null;
  readonly stdout: string;
  /** stdout as bytes (for binary bodies). */
  readonly stdoutBytes: Uint8Array;
  readonly stderr: string;
}

/**
 * Runs a command to its end, asynchronously (so that a server in this same process keeps serving), and resolves with
 * its output; rejects when it exits with a non-zero code unless `allowFailure`. Killed after `timeoutMs`.
 */
export function run(
  command: string,
  args: readonly string[],
  options: { allowFailure?: boolean; timeoutMs?: number; cwd?: string; input?: Uint8Array } = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd ?? ROOT, stdio: ["pipe", "pipe", "pipe"] });
    track(child);
    const out: Buffer[] = [];
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => out.push(c));
    child.stderr.on("data", (c: Buffer) => {
      stderr += c.toString();
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 60_000);
    child.on("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      const stdoutBytes = new Uint8Array(Buffer.concat(out));
      const stdout = new TextDecoder().decode(stdoutBytes);
      if (code !== 0 && !options.allowFailure)
        reject(new Error(`${command} ${args.join(" ")} exited with ${code}\n${stdout.slice(-2000)}\n${stderr.slice(-2000)}`));
      else resolve({ code, stdout, stdoutBytes, stderr });
    });
    child.stdin.end(options.input);
  });
}

/** The tsx binary of this checkout, to run the TypeScript examples as their own processes. */
export const TSX = join(ROOT, "node_modules", ".bin", "tsx");

/**
 * Starts examples/h2-server.ts as its own process (h2c, or TLS with ALPN h2 when `tls` is given) on a port of the
 * kernel's choosing, read back from the one line it prints when it listens.
 */
export function startExampleServer(tls?: { cert: string; key: string }): Promise<Peer> {
  const extra = tls === undefined ? [] : ["--tls", "--cert", tls.cert, "--key", tls.key];
  return startPeer(TSX, {
    args: () => ["examples/h2-server.ts", "--port", "0", ...extra],
    readyLine: /listening on https?:\/\/127\.0\.0\.1:(\d+)/,
  });
}

/** Starts nghttpd (h2c with `--no-tls`, or TLS with the certificate) serving the files of `htdocs`. */
export function startNghttpd(options: { htdocs: string; tls?: { cert: string; key: string }; extra?: string[] }): Promise<Peer> {
  const { htdocs, tls, extra = [] } = options;
  return startPeer("nghttpd", {
    args: (port) => [
      "-a",
      "127.0.0.1",
      "-d",
      htdocs,
      ...extra,
      ...(tls === undefined ? ["--no-tls", String(port)] : [String(port), tls.key, tls.cert]),
    ],
  });
}

/** What one h2load run reports. */
export interface H2loadResult {
  readonly requestsPerSecond: number;
  readonly total: number;
  readonly succeeded: number;
  readonly failed: number;
  readonly errored: number;
  readonly timeout: number;
  /** Responses with a 2xx status. */
  readonly status2xx: number;
  readonly output: string;
}

/** Reads h2load's (nghttp2 1.52) summary: "finished in …, N req/s", "requests: … succeeded, … failed, …", "status codes: N 2xx". */
export function parseH2load(output: string): H2loadResult {
  const num = (re: RegExp): number => {
    const m = re.exec(output);
    if (m === null) throw new Error(`h2load output without ${re.source}:\n${output.slice(-2000)}`);
    return Number(m[1]);
  };
  return {
    requestsPerSecond: num(/finished in [^,]+, ([\d.]+) req\/s/),
    total: num(/requests: (\d+) total/),
    succeeded: num(/(\d+) succeeded/),
    failed: num(/(\d+) failed/),
    errored: num(/(\d+) errored/),
    timeout: num(/(\d+) timeout/),
    status2xx: num(/status codes: (\d+) 2xx/),
    output,
  };
}

/** Runs `h2load -n N -c C -m M url` (h2c prior knowledge for http:, ALPN h2 for https:) and reads its summary. */
export async function runH2load(url: string, load: { n: number; c: number; m: number; timeoutMs?: number }): Promise<H2loadResult> {
  const r = await run("h2load", ["-n", String(load.n), "-c", String(load.c), "-m", String(load.m), url], {
    allowFailure: true,
    timeoutMs: load.timeoutMs ?? 10 * 60_000,
  });
  return parseH2load(r.stdout + r.stderr);
}
