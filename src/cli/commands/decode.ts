/**
 * `httpwire decode <file|->`: decode a capture (pcap, pcapng, a raw HTTP/2
 * byte stream, or a hex dump of any of them) frame by frame.
 *
 * Exit status: 0 when everything decoded cleanly, 1 when anything was
 * malformed or missing (a malformed frame, a stream error, a gap in a TCP
 * stream, a damaged TLS record, a damaged or truncated file), 2 when nothing
 * decodable was found (no HTTP/2, or none that could be decrypted) and for
 * usage errors.
 */
import { createReadStream, readFileSync, statSync, writeFileSync } from "node:fs";
import { gunzip, isGzip } from "../../capture/gzip.js";
import {
  CaptureDecoder,
  type CaptureDecoderOptions,
  type CaptureEvent,
  type FrameEvent,
  HarBuilder,
  KeyLog,
  type OpenEvent,
} from "../../capture/index.js";
import { describeTls } from "../../capture/session.js";
import { errorCodeName, FrameType, frameTypeName, settingsIdName } from "../../http2/index.js";
import { HttpwireError } from "../../shared/errors.js";
import { type OptionSpec, parseCommandArgs, stringValue, stringValues } from "../args.js";
import { type CliIo, type Command, UsageError, writeOut } from "../io.js";
import { clip, flagNames, hex, MAX_VALUE_CHARS, preview, toJson } from "../json.js";
import { Progress } from "../progress.js";
import { isQuicEvent, type QuicPrintContext, quicHidden, quicLine } from "./decode-quic.js";

const HELP = `Usage: httpwire decode [options] <file|->

Decodes the HTTP/2 in a capture, one line per frame. The input kind is
detected: pcap, pcapng, a raw HTTP/2 byte stream (with or without the client
preface), or a hex dump of any of these (plain hex, Wireshark hex stream,
xxd, tshark -x, hexdump -C), gzip-compressed or not. "-" reads standard
input. Connections are found on any port: the HTTP/2 preface, TLS (decrypted
with --keylog or the pcapng file's own Decryption Secrets Blocks; ALPN h2),
an HTTP/1.1 "Upgrade: h2c" answered with 101, a CONNECT tunnel.

Each line: time (seconds from the first packet), connection, direction
(C>S client to server, S>C server to client), stream, type, flags, payload
length, and a summary (header fields, settings, error codes, window
increments, data length with a preview).

Options:
  --json          one JSON object per line (frames, and open/close/gap/error events)
  Options take their value as "--flag value" or "--flag=value".
  --stream N      only frames of stream N (repeatable)
  --type T        only frames of type T, a name (HEADERS) or number (repeatable)
  --keylog FILE   TLS key log (SSLKEYLOGFILE, NSS format) to decrypt TLS and QUIC
                  (HTTP/3) with (repeatable); a malformed line is reported on
                  standard error and skipped; QUIC Initial packets need no keys
  --port N        TCP port that carries HTTP/2 even without a client preface (repeatable);
                  for QUIC, only the connections to UDP port N
  --quic-packets  also list every QUIC packet with its transport frames
  --har FILE      also write every request/response exchange as a HAR 1.2 file
  --full-values   --json: print header names and values in full (default: cut
                  after 1000 characters, "…(N more bytes)")
  --max-header-list-size N
                  largest decoded header list accepted (default 1048576)
  --color         colour even when not on a terminal
  --no-color      no colour even on a terminal
  -h, --help      this help

Exit status: 0 clean, 1 something was malformed or missing, 2 nothing
decodable found (no HTTP/2, or none that could be decrypted) or bad usage.
`;

interface Opts {
  file: string;
  json: boolean;
  color: boolean;
  streams: Set<number>;
  types: Set<number>;
  ports: number[];
  /** Print header names and values in full in --json output (default: the first {@link MAX_VALUE_CHARS} characters). */
  fullValues: boolean;
  maxHeaderListSize: number | undefined;
  /** Where to write the HAR 1.2 export (--har). */
  har: string | undefined;
  keyLogs: string[];
  /** --type values as upper-case names (HTTP/3 frame types are matched by name). */
  typeNames: Set<string>;
  quicPackets: boolean;
}

const TYPE_NAMES: Record<string, number> = Object.fromEntries(Object.entries(FrameType).map(([k, v]) => [k, v]));
/** HTTP/3 frame type names that HTTP/2 does not have (the shared ones have the same numbers). */
const H3_ONLY_TYPE_NAMES = new Set(["CANCEL_PUSH", "MAX_PUSH_ID", "PRIORITY_UPDATE_REQUEST", "PRIORITY_UPDATE_PUSH"]);

function parseInt10(flag: string, v: string | undefined, max: number): number {
  if (v === undefined || !/^[0-9]+$/.test(v) || Number(v) > max)
    throw new UsageError(`${flag} needs a number from 0 to ${max}, got "${v ?? ""}"`);
  return Number(v);
}

const OPTIONS: OptionSpec = {
  json: { type: "boolean" },
  stream: { type: "string", multiple: true },
  type: { type: "string", multiple: true },
  port: { type: "string", multiple: true },
  color: { type: "boolean" },
  "no-color": { type: "boolean" },
  "full-values": { type: "boolean" },
  har: { type: "string" },
  "max-header-list-size": { type: "string" },
  keylog: { type: "string", multiple: true },
  "quic-packets": { type: "boolean" },
};

function parseOptions(args: string[], io: CliIo): Opts | undefined {
  const { values: v, positionals, help } = parseCommandArgs(args, OPTIONS);
  if (help) {
    io.out(HELP);
    return undefined;
  }
  const o: Opts = {
    file: "",
    json: v.json === true,
    color: io.isTTY,
    streams: new Set(),
    types: new Set(),
    ports: [],
    fullValues: v["full-values"] === true,
    maxHeaderListSize: undefined,
    har: stringValue(v.har),
    keyLogs: stringValues(v.keylog),
    typeNames: new Set(),
    quicPackets: v["quic-packets"] === true,
  };
  if (v.color === true) o.color = true;
  if (v["no-color"] === true) o.color = false;
  for (const x of stringValues(v.stream)) o.streams.add(parseInt10("--stream", x, 2 ** 31 - 1));
  for (const x of stringValues(v.port)) o.ports.push(parseInt10("--port", x, 65535));
  const max = stringValue(v["max-header-list-size"]);
  if (max !== undefined) o.maxHeaderListSize = parseInt10("--max-header-list-size", max, 2 ** 32 - 1);
  for (const list of stringValues(v.type)) {
    for (const t of list.split(",")) {
      const up = t.toUpperCase();
      if (up in TYPE_NAMES) o.types.add(TYPE_NAMES[up]!);
      else if (H3_ONLY_TYPE_NAMES.has(up)) o.typeNames.add(up);
      else if (/^(0x[0-9a-f]+|[0-9]+)$/i.test(t) && Number(t) < 256) o.types.add(Number(t));
      else throw new UsageError(`--type needs a frame type name (${Object.keys(TYPE_NAMES).join(", ")}) or number, got "${t}"`);
    }
  }
  if (positionals.length === 0) throw new UsageError("missing input file (or - for standard input); see --help");
  if (positionals.length > 1) throw new UsageError(`one input only, got "${positionals[0]}" and "${positionals[1]}"`);
  o.file = positionals[0]!;
  return o;
}

function summary(e: FrameEvent): string {
  const f = e.frame;
  const parts: string[] = [];
  switch (f.type) {
    case FrameType.DATA:
      parts.push(`${f.data.length} bytes${f.padded ? `, pad length ${f.padLength}` : ""}`);
      if (f.data.length > 0) parts.push(JSON.stringify(preview(f.data, 40)));
      break;
    case FrameType.HEADERS:
    case FrameType.PUSH_PROMISE:
    case FrameType.CONTINUATION:
      if (f.type === FrameType.PUSH_PROMISE) parts.push(`promised ${f.promisedStreamId}`);
      if (f.type === FrameType.HEADERS && f.priority)
        parts.push(`depends on ${f.priority.streamDependency}${f.priority.exclusive ? " (exclusive)" : ""} weight ${f.priority.weight}`);
      if (f.type !== FrameType.CONTINUATION && f.padded) parts.push(`pad length ${f.padLength}`);
      if (e.fields) parts.push(e.fields.map((h) => `${clip(h.name, 60)}: ${clip(h.value, 60)}`).join(", "));
      else if (!f.endHeaders) parts.push(`(field block continues, ${f.fragment.length} bytes)`);
      break;
    case FrameType.PRIORITY:
      parts.push(`depends on ${f.streamDependency}${f.exclusive ? " (exclusive)" : ""} weight ${f.weight}`);
      break;
    case FrameType.RST_STREAM:
      parts.push(`${errorCodeName(f.errorCode)} (0x${f.errorCode.toString(16)})`);
      break;
    case FrameType.SETTINGS:
      if (!f.ack)
        parts.push(f.settings.length === 0 ? "(no parameters)" : f.settings.map((s) => `${settingsIdName(s.id)}=${s.value}`).join(", "));
      break;
    case FrameType.PING:
      parts.push(`${hex(f.opaqueData)} ${JSON.stringify(preview(f.opaqueData, 8))}`);
      break;
    case FrameType.GOAWAY:
      parts.push(`last stream ${f.lastStreamId}, ${errorCodeName(f.errorCode)} (0x${f.errorCode.toString(16)})`);
      if (f.debugData.length) parts.push(`debug ${JSON.stringify(preview(f.debugData, 60))}`);
      break;
    case FrameType.WINDOW_UPDATE:
      parts.push(`+${f.windowSizeIncrement}`);
      break;
    case FrameType.ALTSVC:
      parts.push(`${f.origin ? `${f.origin} ` : ""}${f.fieldValue}`);
      break;
    case FrameType.ORIGIN:
      parts.push(f.origins.join(" "));
      break;
    case FrameType.PRIORITY_UPDATE:
      parts.push(`stream ${f.prioritizedStreamId}: ${f.priorityFieldValue}`);
      break;
    default:
      parts.push(`${f.payload.length} bytes`);
  }
  return parts.join("  ");
}

const C = {
  reset: "\x1b[0m",
  bold: "\x1b[1m",
  dim: "\x1b[2m",
  red: "\x1b[31m",
  yellow: "\x1b[33m",
  cyan: "\x1b[36m",
  magenta: "\x1b[35m",
  green: "\x1b[32m",
};

const DIR = { "client-to-server": "C>S", "server-to-client": "S>C" } as const;

class Printer {
  private t0: number | undefined;
  malformed = false;
  frames = 0;
  /** Notices by reason (what the "nothing decodable" hint says). */
  readonly notices = new Map<string, number>();
  /** A QUIC connection could not be decrypted (no keys, wrong keys, unknown version). */
  undecryptable = false;
  private readonly quicPorts = new Map<number, number>();
  private readonly quic: QuicPrintContext;
  constructor(private readonly o: Opts) {
    const colors = { green: C.green, red: C.red, yellow: C.yellow, dim: C.dim, cyan: C.cyan, magenta: C.magenta, bold: C.bold };
    this.quic = {
      json: o.json,
      quicPackets: o.quicPackets,
      streams: o.streams,
      types: o.types,
      typeNames: o.typeNames,
      ports: o.ports,
      time: (t) => this.time(t),
      paint: (c, text) => this.paint(colors[c], text),
    };
  }

  private paint(code: string, s: string): string {
    return this.o.color ? code + s + C.reset : s;
  }

  private time(t: number | undefined): string {
    if (t === undefined || t === 0) return "         -";
    this.t0 ??= t;
    return (t - this.t0).toFixed(6).padStart(10);
  }

  private filtered(): boolean {
    return this.o.streams.size > 0 || this.o.types.size > 0;
  }

  /** The text for one event ("" when filtered out). */
  event(e: CaptureEvent): string {
    if (e.type === "error" || e.type === "gap") this.malformed = true;
    if (e.type === "frame" || e.type === "h3-frame") this.frames++;
    if (e.type === "notice") this.notices.set(e.reason, (this.notices.get(e.reason) ?? 0) + 1);
    // Times count from the first event of the capture, whatever the filters show.
    if (this.t0 === undefined && e.time !== undefined && e.time !== 0) this.t0 = e.time;
    if (
      e.type === "frame" &&
      ((this.o.streams.size > 0 && !this.o.streams.has(e.frame.streamId)) || (this.o.types.size > 0 && !this.o.types.has(e.frameType)))
    )
      return "";
    if ((e.type === "open" || e.type === "close" || e.type === "upgrade") && this.filtered()) return "";
    if (e.type === "notice" && e.reason === "key-log-line") return ""; // on standard error, see command
    if (isQuicEvent(e)) {
      if (e.type === "quic-undecryptable") this.undecryptable = true;
      if (quicHidden(e, this.quic, this.quicPorts)) return "";
      return this.o.json ? `${JSON.stringify(toJson(e, this.o.fullValues))}\n` : quicLine(e, this.quic);
    }
    if (this.o.json) return `${JSON.stringify(toJson(e, this.o.fullValues))}\n`;
    const conn = (n: number | undefined) => (n === undefined ? "  " : `#${n}`);
    switch (e.type) {
      case "open":
        return `${this.time(e.time)} ${conn(e.connection)}     ${this.paint(C.green, `connection ${e.client.address}:${e.client.port} -> ${e.server.address}:${e.server.port}${openDetails(e)}`)}\n`;
      case "upgrade": {
        const settings = e.settings.map((s) => `${settingsIdName(s.id)}=${s.value}`).join(", ");
        const fields = e.fields.map((h) => `${clip(h.name, 60)}: ${clip(h.value, 60)}`).join(", ");
        return `${this.time(e.time)} ${conn(e.connection)} C>S ${String(e.streamId).padStart(5)} ${this.paint(C.bold, "UPGRADE".padEnd(13))} ${"[HTTP/1.1 request]".padEnd(26)} ${"-".padStart(6)}  ${fields}; HTTP2-Settings: ${settings || "(no parameters)"}\n`;
      }
      case "notice":
        return `${this.time(e.time)}         ${this.paint(C.yellow, `NOTE: ${e.message}`)}\n`;
      case "close":
        return `${this.time(e.time)} ${conn(e.connection)} ${DIR[e.direction]} ${this.paint(C.dim, `end of stream (${e.how})`)}\n`;
      case "gap":
        return `${this.time(e.time)} ${conn(e.connection)} ${DIR[e.direction]} ${this.paint(C.yellow, e.recovered ? `GAP: ${e.missing} bytes missing from the capture inside a DATA frame, shown as zeros` : `GAP: ${e.missing} bytes missing from the capture; this direction is not decoded further`)}\n`;
      case "error": {
        const where = e.direction === undefined ? "   " : DIR[e.direction];
        const stream = e.error.streamId !== undefined && e.error.scope === "stream" ? ` stream ${e.error.streamId}` : "";
        return `${this.time(e.time)} ${conn(e.connection)} ${where} ${this.paint(C.red, `MALFORMED${stream}: ${e.error.codeName} (${e.error.reason}) ${e.error.message}${e.direction !== undefined && e.error.scope === "connection" ? "; this direction not decoded further" : ""}`)}\n`;
      }
      case "frame": {
        const dirText = this.paint(e.direction === "client-to-server" ? C.cyan : C.magenta, DIR[e.direction]);
        const type = this.paint(C.bold, frameTypeName(e.frameType).padEnd(13));
        const flags = flagNames(e.frameType, e.frame.flags);
        const line = `${this.time(e.time)} ${conn(e.connection)} ${dirText} ${String(e.frame.streamId).padStart(5)} ${type} ${(flags.length ? `[${flags.join(",")}]` : "").padEnd(26)} ${String(e.length).padStart(6)}  ${summary(e)}`;
        return `${line.trimEnd()}\n`;
      }
      default:
        return "";
    }
  }
}

/** The connection line's TLS and tunnel details. */
function openDetails(e: OpenEvent): string {
  let s = "";
  if (e.via === "connect") s += ` in a CONNECT tunnel to ${e.tunnel ?? "?"}`;
  if (e.via === "h2c-upgrade") s += " upgraded from HTTP/1.1 (h2c)";
  if (e.tls !== undefined) s += ` ${describeTls(e.tls)}`;
  return s;
}

async function* fileChunks(path: string, progress: Progress): AsyncGenerator<Uint8Array> {
  // Read in 64 KiB chunks: the file is never held whole in memory.
  for await (const chunk of createReadStream(path, { highWaterMark: 64 * 1024 })) {
    const c = chunk as Uint8Array;
    progress.add(c.length);
    yield new Uint8Array(c.buffer, c.byteOffset, c.byteLength);
  }
}

const command: Command = async (args, io) => {
  const o = parseOptions(args, io);
  if (o === undefined) return 0;
  const keyLog = new KeyLog();
  for (const file of o.keyLogs) {
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (e) {
      throw new UsageError(`cannot read key log "${file}": ${(e as Error).message}`);
    }
    for (const p of keyLog.addText(text)) await io.err(`httpwire decode: key log ${file} line ${p.line}: ${p.message} (skipped)\n`);
  }
  const options: CaptureDecoderOptions = {
    ports: o.ports,
    keyLog,
    ...(o.maxHeaderListSize === undefined ? {} : { maxHeaderListSize: o.maxHeaderListSize }),
  };
  const decoder = new CaptureDecoder(options);
  const printer = new Printer(o);
  let progress: Progress;
  let source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>;
  if (o.file === "-") {
    // Standard input is streamed when the CliIo can (the real process can);
    // its size is unknown, so no progress line.
    progress = new Progress(io, undefined, "decoding", false);
    source = io.stdinChunks ? io.stdinChunks() : [await io.readStdin()];
  } else {
    let size: number;
    try {
      const st = statSync(o.file);
      if (!st.isFile()) throw new UsageError(`"${o.file}" is not a file`);
      size = st.size;
    } catch (e) {
      if (e instanceof UsageError) throw e;
      throw new UsageError(`cannot read "${o.file}": ${(e as Error).message}`);
    }
    progress = new Progress(io, size, `decoding ${o.file}`, io.isTTY);
    source = fileChunks(o.file, progress);
  }
  // Each line waits for the output to take it: a slow reader slows decoding down instead of
  // making the process queue its output in memory (issue 12 finding 9).
  const har = o.har === undefined ? undefined : new HarBuilder();
  const print = async (events: CaptureEvent[]) => {
    for (const e of events) {
      har?.add(e);
      if (e.type === "notice" && e.reason === "key-log-line") await io.err(`httpwire decode: ${e.message}\n`);
      const text = printer.event(e);
      if (text !== "") await writeOut(io, text);
    }
  };
  try {
    for await (const chunk of ungzipped(source)) await print(decoder.push(chunk));
  } catch (e) {
    if (!(e instanceof HttpwireError)) throw e;
    await print([{ type: "error", connection: undefined, direction: undefined, time: undefined, error: e }]);
  }
  await print(decoder.end());
  progress.finish();
  if (har && o.har !== undefined) {
    try {
      writeFileSync(o.har, `${JSON.stringify(await har.build(), null, 2)}\n`);
    } catch (e) {
      throw new UsageError(`cannot write "${o.har}": ${(e as Error).message}`);
    }
  }
  if (printer.malformed) return 1;
  if (printer.frames > 0) return 0;
  await io.err(
    `httpwire decode: ${printer.undecryptable ? "QUIC connections were found but none could be decrypted: give their key log with --keylog FILE" : nothingFound(printer.notices)}\n`,
  );
  return 2;
};

/** Why no frame was decoded, and what to try. */
function nothingFound(notices: ReadonlyMap<string, number>): string {
  const tls = (notices.get("tls-no-keys") ?? 0) + (notices.get("tls-wrong-keys") ?? 0);
  if (tls > 0)
    return `no HTTP/2 decoded: ${tls} TLS connection(s) could not be decrypted (give the key log with --keylog FILE; the client random of each is shown)`;
  if (notices.size > 0) return "no HTTP/2 decoded: the connections found are not HTTP/2 or cannot be decrypted (see the NOTE lines)";
  return "no HTTP/2 found: no TCP connection starts with the client preface, TLS or an HTTP/1.1 upgrade (name the port with --port N for a capture that started mid-connection)";
}

/** The input, decompressed when it is gzip (a .gz capture), by the platform's DecompressionStream. */
async function* ungzipped(source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const it = (Symbol.asyncIterator in source ? source : toAsync(source))[Symbol.asyncIterator]();
  const first = await it.next();
  if (first.done) return;
  const rest = {
    async *[Symbol.asyncIterator]() {
      yield first.value;
      for (let r = await it.next(); !r.done; r = await it.next()) yield r.value;
    },
  };
  if (isGzip(first.value)) yield* gunzip(rest);
  else yield* rest;
}

async function* toAsync(source: Iterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  yield* source;
}

export default command;
