/**
 * `httpwire qpack`: the QPACK offline interop tools (quicwg "QPACK Offline
 * Interop"): decode a `.out` file to a QIF, encode a QIF to a `.out` file.
 */
import { readFile, writeFile } from "node:fs/promises";
import {
  decodeInterop,
  encodeInterop,
  formatQif,
  formatQifBytes,
  parseInteropRecords,
  parseQifBytes,
  writeInteropRecords,
} from "../../qpack/index.js";
import { type OptionSpec, parseCommandArgs, stringValue } from "../args.js";
import { type CliIo, type Command, UsageError } from "../io.js";

const HELP = `Usage: httpwire qpack decode <file.out|-> --capacity N --blocked N [-o <file.qif>]
       httpwire qpack encode <file.qif|-> --capacity N --blocked N --ack 0|1 -o <file.out>

QPACK offline interop (RFC 9204).

  decode   reads a .out file (records of an 8-byte big-endian stream ID, a
           4-byte big-endian length and that many bytes; stream 0 is the
           encoder stream) in file order, holding blocked sections until
           their inserts arrive, and prints the field sections as a QIF in
           the order they finished, each headed by "# stream N". Exit 1 if
           the input is invalid or a section is still blocked at the end.
  encode   encodes a QIF (section N is stream N, or as "# stream N" says)
           and writes a .out file: each section's encoder-stream data in a
           stream-0 record just before the section's record.

Options (a value as "--flag value" or "--flag=value"):
  --capacity N   SETTINGS_QPACK_MAX_TABLE_CAPACITY of the decoder (default 0)
  --blocked N    SETTINGS_QPACK_BLOCKED_STREAMS of the decoder (default 0)
  --ack 0|1      encode: 1 = the encoder sees each section acknowledged at
                 once (a decoder's feedback right after each section);
                 0 = no feedback at all (default 0)
  -o, --output <file>
                 output file (required for encode; for decode the QIF is
                 written byte for byte, names and values being octets)
  -h, --help     this help
`;

interface Options {
  mode: "decode" | "encode";
  input: string;
  capacity: number;
  blocked: number;
  ack: boolean;
  output: string | undefined;
}

function parseCount(name: string, v: string | undefined): number {
  if (v === undefined) throw new UsageError(`${name} needs a value`);
  if (!/^[0-9]+$/.test(v) || Number(v) > 2 ** 32 - 1) throw new UsageError(`${name} must be an integer 0..4294967295, got "${v}"`);
  return Number(v);
}

const OPTIONS: OptionSpec = {
  capacity: { type: "string" },
  blocked: { type: "string" },
  ack: { type: "string" },
  output: { type: "string", short: "o" },
};

function parseOptions(args: string[]): Options | "help" {
  const { values: v, positionals, help } = parseCommandArgs(args, OPTIONS);
  if (help) return "help";
  const [sub, input, extra] = positionals;
  const capacity = stringValue(v.capacity);
  const blocked = stringValue(v.blocked);
  const ackText = stringValue(v.ack);
  if (ackText !== undefined && ackText !== "0" && ackText !== "1") throw new UsageError(`--ack must be 0 or 1, got "${ackText}"`);
  const opts = {
    capacity: capacity === undefined ? 0 : parseCount("--capacity", capacity),
    blocked: blocked === undefined ? 0 : parseCount("--blocked", blocked),
    ack: ackText === "1",
    output: stringValue(v.output),
  };
  if (sub === undefined) throw new UsageError("give a subcommand: decode or encode (see --help)");
  if (sub !== "decode" && sub !== "encode") throw new UsageError(`unknown subcommand "${sub}": use decode or encode`);
  if (input === undefined) throw new UsageError(`give the input file for ${sub} ("-" for standard input)`);
  if (extra !== undefined) throw new UsageError("give one input file");
  if (sub === "encode" && opts.output === undefined) throw new UsageError("encode needs -o <file.out>");
  return { mode: sub, input, ...opts };
}

async function readInput(path: string, io: CliIo): Promise<Uint8Array> {
  if (path === "-") return io.readStdin();
  try {
    return new Uint8Array(await readFile(path));
  } catch (e) {
    throw new UsageError(`cannot read "${path}": ${(e as Error).message}`);
  }
}

const qpack: Command = async (args, io) => {
  const opts = parseOptions(args);
  if (opts === "help") {
    io.out(HELP);
    return 0;
  }
  const input = await readInput(opts.input, io);
  if (opts.mode === "decode") {
    let records: ReturnType<typeof parseInteropRecords>;
    try {
      records = parseInteropRecords(input);
    } catch (e) {
      io.err(`httpwire qpack: "${opts.input}" is not a .out file: ${(e as Error).message}\n`);
      return 1;
    }
    const { sections, blocked } = decodeInterop(records, { capacity: opts.capacity, blocked: opts.blocked });
    if (opts.output !== undefined) await writeFile(opts.output, formatQifBytes(sections));
    else io.out(formatQif(sections));
    if (blocked > 0) {
      io.err(`httpwire qpack: ${blocked} stream${blocked === 1 ? " is" : "s are"} still blocked at the end of the input\n`);
      return 1;
    }
    return 0;
  }
  const sections = parseQifBytes(input);
  const records = encodeInterop(sections, { capacity: opts.capacity, blocked: opts.blocked, ack: opts.ack });
  const bytes = writeInteropRecords(records);
  await writeFile(opts.output!, bytes);
  let enc = 0;
  let sec = 0;
  for (const r of records)
    if (r.streamId === 0) enc += r.data.length;
    else sec += r.data.length;
  io.out(
    `wrote ${sections.length} field sections to ${opts.output}: ${sec} bytes of field sections, ${enc} bytes of encoder stream, ${bytes.length} bytes in all\n`,
  );
  return 0;
};

export default qpack;
