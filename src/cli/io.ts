/**
 * What a CLI command gets to talk to the world. Commands write through this,
 * never to `process` directly, so tests can run them in-process.
 */
export interface CliIo {
  /**
   * Writes to standard output. Returns a promise when the output cannot take
   * more for now (a pipe read slowly): a command that writes much awaits it
   * before writing more ({@link writeOut}), so output is never accumulated
   * in memory without bound.
   */
  out(text: string): void | Promise<void>;
  /** Writes to standard error (small messages only; see {@link out} for the promise). */
  err(text: string): void | Promise<void>;
  /** Whether standard output is a terminal (colour, progress lines). */
  readonly isTTY: boolean;
  /** Reads all of standard input (for `-` arguments). */
  readStdin(): Promise<Uint8Array>;
  /**
   * Standard input chunk by chunk, for commands that stream (`decode -`).
   * Optional: without it such commands fall back to {@link readStdin}.
   */
  stdinChunks?(): AsyncIterable<Uint8Array>;
}

/** A command: takes its arguments (after the command name), returns an exit status. */
export type Command = (args: string[], io: CliIo) => Promise<number>;

/** Error for bad command-line usage; printed without a stack, exit status 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

/** Writes to standard output and waits while the output is full (backpressure). */
export async function writeOut(io: CliIo, text: string): Promise<void> {
  const wait = io.out(text);
  if (wait !== undefined) await wait;
}
