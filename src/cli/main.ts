/**
 * The `httpwire` command line. Node-only: the one place in the project that
 * uses `node:` APIs.
 */
import { concatBytes } from "../shared/bytes.js";
import { HttpwireError } from "../shared/errors.js";
import { type CliIo, type Command, UsageError } from "./io.js";

const commands: Record<string, { summary: string; load: () => Promise<Command> }> = {
  decode: {
    summary: "decode a capture (pcap, pcapng, raw bytes, hex dump) frame by frame",
    load: async () => (await import("./commands/decode.js")).default,
  },
  hpack: {
    summary: "decode or encode an HPACK header block",
    load: async () => (await import("./commands/hpack.js")).default,
  },
  qpack: {
    summary: "decode or encode QPACK offline interop files",
    load: async () => (await import("./commands/qpack.js")).default,
  },
  h3: { summary: "decode a captured HTTP/3 stream", load: async () => (await import("./commands/h3.js")).default },
  varint: {
    summary: "decode or encode a QUIC variable-length integer",
    load: async () => (await import("./commands/varint.js")).default,
  },
};

const USAGE = `Usage: httpwire <command> [options]

Commands:
${Object.entries(commands)
  .map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`)
  .join("\n")}

Run "httpwire <command> --help" for a command's options.`;

/** Runs the CLI with `argv` (without the node and script paths). */
export async function main(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    io.out(`${USAGE}\n`);
    return name === undefined ? 2 : 0;
  }
  const entry = commands[name];
  if (!entry) {
    io.err(`httpwire: unknown command "${name}"\n\n${USAGE}\n`);
    return 2;
  }
  try {
    return await (await entry.load())(rest, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`httpwire ${name}: ${e.message}\n`);
      return 2;
    }
    if (e instanceof HttpwireError) {
      io.err(`httpwire ${name}: ${e.codeName} (${e.reason}): ${e.message}\n`);
      return 1;
    }
    throw e;
  }
}

/** The process's {@link CliIo}. */
export function processIo(): CliIo {
  // A closed pipe (`httpwire decode big.pcap | head`) is the reader saying
  // it has seen enough: leave quietly instead of crashing on EPIPE.
  process.stdout.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code === "EPIPE") process.exit(0);
    throw e;
  });
  async function* stdinChunks(): AsyncGenerator<Uint8Array> {
    for await (const c of process.stdin) {
      const b = c as Uint8Array;
      yield new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
    }
  }
  // A write that fills the stream's buffer returns false: the promise lets the command wait for
  // "drain" instead of queueing the rest of its output in memory (issue 12 finding 9).
  const write = (stream: NodeJS.WriteStream, t: string): void | Promise<void> => {
    if (stream.write(t)) return undefined;
    return new Promise((resolve) => stream.once("drain", resolve));
  };
  return {
    out: (t) => write(process.stdout, t),
    err: (t) => write(process.stderr, t),
    isTTY: process.stdout.isTTY === true,
    stdinChunks,
    readStdin: async () => {
      const chunks: Uint8Array[] = [];
      for await (const c of stdinChunks()) chunks.push(c);
      return concatBytes(chunks);
    },
  };
}
