/**
 * `httpwire hpack`: decode HPACK header blocks (showing how each field was
 * represented) or encode a header list (RFC 7541).
 */
import { type FieldRepresentation, type HeaderField, HpackDecoder, HpackEncoder, RepresentationKind } from "../../hpack/index.js";
import { type OptionSpec, parseCommandArgs, stringValue, stringValues } from "../args.js";
import { type Command, UsageError, writeOut } from "../io.js";

const HELP = `Usage: httpwire hpack decode [--json] [--table-size N] [--max-header-list-size N] <hex> [<hex>...]
       httpwire hpack encode [--json] [--no-huffman] [--table-size N] name=value ... [-- name=value ...]

decode  Decodes header blocks given as hex ("-" reads whitespace-separated
        blocks from standard input). Several blocks share one decoding
        context, in order, as on one HTTP/2 connection. Each field is shown
        with its representation (RFC 7541 §6): indexed, literal with
        incremental indexing, without indexing, or never indexed; the table
        index used; and which strings were Huffman-coded. The dynamic table
        is shown at the end.
encode  Encodes name=value pairs (split at the first "=" after the first
        character, so ":method=GET" works) into one block printed as hex;
        "--" starts a new block in the same context. Strings are mapped
        byte for byte (Latin-1); mark never-indexed fields with --sensitive.

Options (a value as "--flag value" or "--flag=value"):
  --table-size N            dynamic table size in effect at the start (default 4096)
  --max-header-list-size N  decoder header list limit (default 65536)
  --no-huffman              encode: never Huffman-code strings (default: only when shorter)
  --sensitive NAME          encode: send fields named NAME as never-indexed (repeatable)
  --json                    machine-readable output
  -h, --help                this help
`;

const toHex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");

function parseHex(text: string): Uint8Array {
  const h = text.startsWith("0x") || text.startsWith("0X") ? text.slice(2) : text;
  const clean = h.replace(/[\s:_]/g, "");
  if (clean.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(clean)) {
    throw new UsageError(`"${text.length > 40 ? `${text.slice(0, 40)}...` : text}" is not an even number of hex digits`);
  }
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(2 * i, 2 * i + 2), 16);
  return out;
}

function parseSize(flag: string, text: string | undefined): number {
  if (text === undefined || !/^[0-9]+$/.test(text) || Number(text) > 0xffffffff) {
    throw new UsageError(`${flag} needs a whole number from 0 to 4294967295`);
  }
  return Number(text);
}

/** Shows a Latin-1 string as is when printable ASCII, else JSON-quoted. */
const show = (s: string): string => (/^[\x20-\x7e]*$/.test(s) ? s : JSON.stringify(s));

function describe(r: FieldRepresentation): string {
  const huff = [r.nameHuffman ? "name" : "", r.valueHuffman ? "value" : ""].filter(Boolean).join(" and ");
  const h = huff ? `, Huffman ${huff}` : "";
  switch (r.kind) {
    case RepresentationKind.INDEXED:
      return `indexed ${r.index}`;
    case RepresentationKind.LITERAL_WITH_INCREMENTAL_INDEXING:
      return `literal with incremental indexing, ${r.index === 0 ? "literal name" : `name ${r.index}`}${h}`;
    case RepresentationKind.LITERAL_WITHOUT_INDEXING:
      return `literal without indexing, ${r.index === 0 ? "literal name" : `name ${r.index}`}${h}`;
    case RepresentationKind.LITERAL_NEVER_INDEXED:
      return `literal never indexed, ${r.index === 0 ? "literal name" : `name ${r.index}`}${h}`;
  }
}

interface Parsed {
  json: boolean;
  tableSize: number;
  maxHeaderListSize: number;
  huffman: boolean;
  sensitive: Set<string>;
  rest: string[];
}

const OPTIONS: OptionSpec = {
  json: { type: "boolean" },
  "table-size": { type: "string" },
  "max-header-list-size": { type: "string" },
  "no-huffman": { type: "boolean" },
  sensitive: { type: "string", multiple: true },
};

function parseOptions(args: string[]): Parsed & { help: boolean } {
  const { values: v, positionals, help } = parseCommandArgs(args, OPTIONS, { keepSeparators: true });
  const tableSize = stringValue(v["table-size"]);
  const maxList = stringValue(v["max-header-list-size"]);
  return {
    help,
    json: v.json === true,
    tableSize: tableSize === undefined ? 4096 : parseSize("--table-size", tableSize),
    maxHeaderListSize: maxList === undefined ? 65_536 : parseSize("--max-header-list-size", maxList),
    huffman: v["no-huffman"] !== true,
    sensitive: new Set(stringValues(v.sensitive)),
    rest: positionals,
  };
}

const command: Command = async (args, io) => {
  const [sub, ...more] = args;
  if (sub === undefined || sub === "-h" || sub === "--help") {
    io.out(HELP);
    return sub === undefined ? 2 : 0;
  }
  const p = parseOptions(more);
  if (p.help) {
    io.out(HELP);
    return 0;
  }
  if (sub === "decode") {
    let hexes = p.rest;
    if (hexes.length === 1 && hexes[0] === "-") {
      hexes = new TextDecoder()
        .decode(await io.readStdin())
        .split(/\s+/)
        .filter((s) => s.length > 0);
    }
    if (hexes.length === 0) throw new UsageError("decode needs at least one hex block");
    const blocks = hexes.map(parseHex);
    const d = new HpackDecoder({
      maxTableSize: p.tableSize,
      maxHeaderListSize: p.maxHeaderListSize,
      recordRepresentation: true,
    });
    const results: { sizeUpdates: number[]; fields: HeaderField[] }[] = [];
    for (const [n, block] of blocks.entries()) {
      const fields = d.decode(block);
      const sizeUpdates = d.lastSizeUpdates();
      results.push({ sizeUpdates, fields });
      if (!p.json) {
        // Line by line, waiting while the output is full (backpressure).
        await writeOut(io, `block ${n + 1} (${block.length} bytes, ${fields.length} field${fields.length === 1 ? "" : "s"})\n`);
        for (const s of sizeUpdates) await writeOut(io, `  dynamic table size update: ${s}\n`);
        for (const f of fields) {
          await writeOut(io, `  ${show(f.name)}: ${show(f.value)}  [${describe(f.representation!)}]${f.sensitive ? " (sensitive)" : ""}\n`);
        }
      }
    }
    const t = d.dynamicTable();
    if (p.json) {
      io.out(`${JSON.stringify({ blocks: results, dynamicTable: t })}\n`);
    } else {
      io.out(`dynamic table: ${t.entries.length} entr${t.entries.length === 1 ? "y" : "ies"}, size ${t.size} of ${t.maxSize}\n`);
      for (const [i, e] of t.entries.entries()) await writeOut(io, `  [${62 + i}] (s = ${e.size}) ${show(e.name)}: ${show(e.value)}\n`);
    }
    return 0;
  }
  if (sub === "encode") {
    const lists: { name: string; value: string; sensitive?: boolean }[][] = [[]];
    for (const a of p.rest) {
      if (a === "--") {
        lists.push([]);
        continue;
      }
      const eq = a.indexOf("=", 1);
      if (eq < 0) throw new UsageError(`"${a}" is not name=value`);
      const name = a.slice(0, eq);
      const value = a.slice(eq + 1);
      lists[lists.length - 1]!.push(p.sensitive.has(name) ? { name, value, sensitive: true } : { name, value });
    }
    if (lists.every((l) => l.length === 0)) throw new UsageError("encode needs at least one name=value pair");
    const e = new HpackEncoder({
      maxTableSize: p.tableSize,
      tableSizeLimit: p.tableSize,
      huffman: p.huffman ? "auto" : false,
    });
    let hexes: string[];
    try {
      hexes = lists.map((l) => toHex(e.encode(l)));
    } catch (err) {
      if (err instanceof TypeError) throw new UsageError(err.message);
      throw err;
    }
    io.out(p.json ? `${JSON.stringify({ blocks: hexes })}\n` : `${hexes.join("\n")}\n`);
    return 0;
  }
  throw new UsageError(`unknown subcommand "${sub}" (expected decode or encode)`);
};
export default command;
