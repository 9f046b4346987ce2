/** Runs the CLI in-process with a captured {@link CliIo}, for the command tests. */

import type { CliIo } from "../../src/cli/io.js";
import { main } from "../../src/cli/main.js";

/** What a command printed and returned. */
export interface CliResult {
  status: number;
  out: string;
  err: string;
}

/** Options of {@link runCli}: standard input (bytes or text) and whether stdout is a terminal. */
export interface RunCliOptions {
  stdin?: Uint8Array | string;
  tty?: boolean;
}

/** Runs `httpwire <argv...>` and captures its output. */
export async function runCli(argv: readonly string[], opts: RunCliOptions = {}): Promise<CliResult> {
  let out = "";
  let err = "";
  const stdin = typeof opts.stdin === "string" ? new TextEncoder().encode(opts.stdin) : (opts.stdin ?? new Uint8Array(0));
  const io: CliIo = {
    out: (t) => {
      out += t;
    },
    err: (t) => {
      err += t;
    },
    isTTY: opts.tty ?? false,
    readStdin: async () => stdin,
  };
  const status = await main([...argv], io);
  return { status, out, err };
}
