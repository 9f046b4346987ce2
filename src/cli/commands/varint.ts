/**
 * `httpwire varint`: decode or encode QUIC variable-length integers
 * (RFC 9000 §16).
 */
import { encodeVarint, MAX_VARINT, normalizeVarint, readVarint, type VarintLength, varintLength } from "../../quic/index.js";
import { parseCommandArgs, stringValue } from "../args.js";
import { type Command, UsageError } from "../io.js";

const HELP = `Usage: httpwire varint [--json] <hex|number>
       httpwire varint [--json] --decode <hex>
       httpwire varint [--json] --encode <number>

Decodes or encodes QUIC variable-length integers (RFC 9000 §16).

  0x7bbd, 7bbd, 0x4025   hex bytes (0x-prefixed, or bare with an even
                         number of digits and at least one of a-f) are
                         decoded: one line per varint they hold, with its
                         length, its 2-bit length prefix, and whether the
                         encoding is minimal
  15293                  a decimal number (0 .. 2^62-1) is encoded: the
                         minimal form and every other allowed length

A bare all-digit string is read as a decimal number; use 0x or --decode to
decode it as hex.

Options:
  --decode <hex>    decode these bytes
  --encode <number> encode this decimal number
  --json            machine-readable output (values as decimal strings)
  -h, --help        this help
`;

const toHex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");

function parseHex(text: string): Uint8Array {
  const h = text.startsWith("0x") || text.startsWith("0X") ? text.slice(2) : text;
  const clean = h.replace(/[\s:_]/g, "");
  if (clean.length === 0 || clean.length % 2 !== 0 || !/^[0-9a-fA-F]+$/.test(clean)) {
    throw new UsageError(`"${text}" is not an even number of hex digits`);
  }
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(2 * i, 2 * i + 2), 16);
  return out;
}

function parseNumber(text: string): number | bigint {
  if (!/^[0-9]+$/.test(text)) throw new UsageError(`"${text}" is not a decimal number`);
  const v = BigInt(text);
  if (v > MAX_VARINT) throw new UsageError(`${text} is above the largest varint 2^62-1 (${MAX_VARINT})`);
  return normalizeVarint(v);
}

const PREFIX: Record<VarintLength, string> = { 1: "00", 2: "01", 4: "10", 8: "11" };

function decode(bytes: Uint8Array, json: boolean, out: (s: string) => void, err: (s: string) => void): number {
  const items: {
    hex: string;
    value: string;
    length: VarintLength;
    prefix: string;
    minimal: boolean;
    minimalHex: string;
  }[] = [];
  let offset = 0;
  let needed = 0;
  while (offset < bytes.length) {
    const r = readVarint(bytes, offset);
    if (r.status === "need-more") {
      needed = r.needed;
      break;
    }
    const min = varintLength(r.value);
    items.push({
      hex: toHex(bytes.subarray(offset, offset + r.length)),
      value: r.value.toString(),
      length: r.length,
      prefix: PREFIX[r.length],
      minimal: min === r.length,
      minimalHex: toHex(encodeVarint(r.value)),
    });
    offset += r.length;
  }
  if (json) {
    const truncated = needed > 0 ? { truncated: { offset, hex: toHex(bytes.subarray(offset)), needed } } : {};
    out(
      `${JSON.stringify({
        varints: items.map(({ minimalHex, ...rest }) => (rest.minimal ? rest : { ...rest, minimalHex })),
        ...truncated,
      })}\n`,
    );
  } else {
    for (const it of items) {
      const note = it.minimal ? "minimal" : `not minimal: the minimal encoding is 0x${it.minimalHex}`;
      out(`0x${it.hex} decodes to ${it.value} (${it.length} byte${it.length === 1 ? "" : "s"}, prefix bits ${it.prefix}, ${note})\n`);
    }
    if (needed > 0) {
      err(
        `httpwire varint: incomplete varint 0x${toHex(bytes.subarray(offset))} at offset ${offset}: ${needed} more byte${needed === 1 ? "" : "s"} needed\n`,
      );
    }
  }
  return needed > 0 ? 1 : 0;
}

function encode(value: number | bigint, json: boolean, out: (s: string) => void): number {
  const min = varintLength(value);
  const forms = ([1, 2, 4, 8] as const)
    .filter((n) => n >= min)
    .map((n) => ({ length: n, hex: toHex(encodeVarint(value, n)), minimal: n === min }));
  if (json) {
    out(`${JSON.stringify({ value: value.toString(), encodings: forms })}\n`);
    return 0;
  }
  const [first, ...rest] = forms;
  out(`${value} encodes to 0x${first!.hex} (${first!.length} byte${first!.length === 1 ? "" : "s"}, minimal)\n`);
  for (const f of rest) out(`  also valid in ${f.length} bytes: 0x${f.hex}\n`);
  return 0;
}

const varint: Command = async (args, io) => {
  const {
    values: v,
    positionals,
    help,
  } = parseCommandArgs(args, { json: { type: "boolean" }, decode: { type: "string" }, encode: { type: "string" } });
  if (help) {
    io.out(HELP);
    return 0;
  }
  const json = v.json === true;
  let mode: "auto" | "decode" | "encode" = "auto";
  const given = [...positionals];
  const decodeValue = stringValue(v.decode);
  const encodeValue = stringValue(v.encode);
  if (decodeValue !== undefined) {
    mode = "decode";
    given.push(decodeValue);
  }
  if (encodeValue !== undefined) {
    mode = "encode";
    given.push(encodeValue);
  }
  if (given.length > 1) throw new UsageError("give one value");
  const input = given[0];
  if (input === undefined) throw new UsageError("give hex bytes to decode or a decimal number to encode (see --help)");
  if (mode === "auto") {
    if (/^0[xX]/.test(input)) mode = "decode";
    else if (/^[0-9]+$/.test(input)) mode = "encode";
    else if (/^[0-9a-fA-F]+$/.test(input) && input.length % 2 === 0) mode = "decode";
    else throw new UsageError(`"${input}" is neither hex bytes nor a decimal number`);
  }
  const out = (s: string): void => void io.out(s);
  if (mode === "decode") return decode(parseHex(input), json, out, (s) => void io.err(s));
  return encode(parseNumber(input), json, out);
};

export default varint;
