/**
 * dumpcap on loopback for the recording scripts and the capture benchmarks:
 * start it with a capture filter and wait until it captures; stop it with
 * SIGINT so the file is complete.
 */
import { type ChildProcess, spawn } from "node:child_process";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Starts `dumpcap -i lo -f FILTER -w FILE` and resolves once it captures (or after 3 s without its "Capturing on" line). */
export async function startDumpcap(filter: string, file: string, extraArgs: readonly string[] = []): Promise<ChildProcess> {
  const p = spawn("dumpcap", ["-i", "lo", "-f", filter, ...extraArgs, "-w", file], { stdio: ["ignore", "ignore", "pipe"] });
  await new Promise<void>((res, rej) => {
    let err = "";
    const fallback = setTimeout(res, 3000);
    p.stderr!.on("data", (d: Buffer) => {
      err += d.toString();
      if (err.includes("Capturing on")) {
        clearTimeout(fallback);
        res();
      }
    });
    p.on("exit", (code) => rej(new Error(`dumpcap exited with ${code}: ${err}`)));
  });
  await sleep(300);
  return p;
}

/** Lets the last packets arrive, then stops dumpcap and waits for it to write the file. */
export async function stopDumpcap(p: ChildProcess): Promise<void> {
  await sleep(500);
  const done = new Promise((r) => p.on("exit", r));
  p.kill("SIGINT");
  await done;
}
