/**
 * `httpwire h3 decode`: print what a captured HTTP/3 stream holds, one line
 * per frame (or QPACK instruction on encoder/decoder streams).
 */
import { existsSync, readFileSync } from "node:fs";
import {
  FrameType,
  frameTypeName,
  type Http3Frame,
  Http3FrameDecoder,
  type Http3StreamEvent,
  type Http3StreamKind,
  readUniStreamHeader,
  StreamType,
  settingsIdName,
  streamTypeName,
} from "../../http3/index.js";
import { QpackDecoder, readDecoderInstruction, readEncoderInstruction } from "../../qpack/index.js";
import { concatBytes } from "../../shared/bytes.js";
import { HttpwireError, hexCode } from "../../shared/errors.js";
import { type OptionSpec, parseCommandArgs, stringValue } from "../args.js";
import { type CliIo, type Command, UsageError } from "../io.js";

const HELP = `Usage: httpwire h3 decode --stream <kind> [options] <hex|file|->

Prints what a captured HTTP/3 stream holds, one line per frame (RFC 9114 §7),
or one line per QPACK instruction on encoder/decoder streams (RFC 9204 §4.3,
§4.4). Frame order and layout are checked as a receiver would; the first
violation is reported with its RFC error code and the command exits 1.

  <hex|file|->   hex bytes (0x prefix optional, spaces allowed), a file of raw
                 bytes or hex text, or - for standard input

Options:
  --stream <kind>         control | request | push | encoder | decoder (required)
  --sender <side>         client | server: the endpoint that sent the stream;
                          applies the direction rules (e.g. PUSH_PROMISE
                          sent by a client is rejected)
  --receiver <side>       client | server: the endpoint that reads it (the
                          other side of --sender; kept for old scripts)
  --frames-only           the capture of a unidirectional stream starts at its
                          first frame/instruction, without the stream type
                          (and push ID)
  --stream-id <n>         request stream ID used for QPACK decoding (default 0)
  --qpack-encoder <hex|file>
                          the peer's QPACK encoder stream (with or without its
                          0x02 type byte), so HEADERS that use the dynamic
                          table decode
  --max-table-capacity <n>
                          dynamic table capacity allowed with --qpack-encoder
                          (default 65536)
  --json                  machine-readable output (integers above 2^53-1 and
                          byte strings as strings)
  -h, --help              this help

HEADERS and PUSH_PROMISE field sections are QPACK-decoded; without
--qpack-encoder the decoder has a dynamic table of capacity 0, which decodes
static-only sections. A section that cannot be decoded is shown as hex with
the reason.
`;

const KINDS = ["control", "request", "push", "encoder", "decoder"] as const;
type Kind = (typeof KINDS)[number];
const EXPECTED_TYPE: Record<Kind, number | undefined> = {
  control: StreamType.CONTROL,
  push: StreamType.PUSH,
  encoder: StreamType.QPACK_ENCODER,
  decoder: StreamType.QPACK_DECODER,
  request: undefined,
};

const toHex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
const SHOW = 64;
const shortHex = (b: Uint8Array): string => (b.length <= SHOW ? toHex(b) : `${toHex(b.subarray(0, SHOW))}...(+${b.length - SHOW} bytes)`);
const num = (v: number | bigint): number | string => (typeof v === "bigint" ? v.toString() : v);

function parseHexText(text: string): Uint8Array | undefined {
  const clean = text.replace(/^0x/i, "").replace(/[\s:_]/g, "");
  if (clean.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(clean)) return undefined;
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(2 * i, 2 * i + 2), 16);
  return out;
}

async function readInput(arg: string, io: CliIo): Promise<Uint8Array> {
  let raw: Uint8Array;
  if (arg === "-") raw = await io.readStdin();
  else if (existsSync(arg)) raw = new Uint8Array(readFileSync(arg));
  else {
    const b = parseHexText(arg);
    if (b === undefined) throw new UsageError(`"${arg}" is neither a file nor hex bytes`);
    return b;
  }
  // A file or stdin holding hex text is read as hex.
  const text = new TextDecoder("latin1").decode(raw);
  if (raw.length > 0 && /^[\s0-9a-fA-Fx:_]*$/.test(text)) {
    const b = parseHexText(text);
    if (b !== undefined) return b;
  }
  return raw;
}

const OPTIONS: OptionSpec = {
  stream: { type: "string" },
  sender: { type: "string" },
  receiver: { type: "string" },
  "frames-only": { type: "boolean" },
  "stream-id": { type: "string" },
  "qpack-encoder": { type: "string" },
  "max-table-capacity": { type: "string" },
  json: { type: "boolean" },
};

/** What each flag's value must be: the usage message for a missing or a bad value. */
const NEEDS = {
  "--stream": `--stream needs one of ${KINDS.join(", ")}`,
  "--sender": "--sender needs client or server",
  "--receiver": "--receiver needs client or server",
  "--stream-id": "--stream-id needs a decimal number",
  "--max-table-capacity": "--max-table-capacity needs a decimal number",
  "--qpack-encoder": "--qpack-encoder needs hex bytes or a file",
} as const;

function parseCount(name: "--stream-id" | "--max-table-capacity", v: string): number {
  if (!/^[0-9]+$/.test(v)) throw new UsageError(NEEDS[name]);
  const n = Number(v);
  if (!Number.isSafeInteger(n)) throw new UsageError(`${name} ${v} is too large`);
  return n;
}

function side(name: "--sender" | "--receiver", v: string | undefined): "client" | "server" | undefined {
  if (v !== undefined && v !== "client" && v !== "server") throw new UsageError(NEEDS[name]);
  return v;
}

/** The options of `h3 decode`. */
interface Options {
  readonly kind: Kind;
  readonly sender: "client" | "server" | undefined;
  readonly framesOnly: boolean;
  readonly json: boolean;
  readonly streamId: number;
  readonly encoderArg: string | undefined;
  readonly capacity: number;
  readonly input: string;
}

/** Parses the arguments after `decode`; "help" when help was asked. */
function parseOptions(args: readonly string[]): Options | "help" {
  const { values: v, positionals, help } = parseCommandArgs(args, OPTIONS, { missingValue: NEEDS });
  if (help) return "help";
  const stream = stringValue(v.stream);
  if (stream !== undefined && !KINDS.includes(stream as Kind)) throw new UsageError(NEEDS["--stream"]);
  const sender = side("--sender", stringValue(v.sender));
  const receiver = side("--receiver", stringValue(v.receiver));
  // --receiver names the reading side: the sender is the other one.
  const other = receiver === undefined ? undefined : receiver === "client" ? "server" : "client";
  if (sender !== undefined && other !== undefined && sender !== other)
    throw new UsageError(`--sender ${sender} and --receiver ${receiver} name the same side`);
  const streamId = stringValue(v["stream-id"]);
  const capacity = stringValue(v["max-table-capacity"]);
  const options = {
    sender: sender ?? other,
    framesOnly: v["frames-only"] === true,
    json: v.json === true,
    streamId: streamId === undefined ? 0 : parseCount("--stream-id", streamId),
    encoderArg: stringValue(v["qpack-encoder"]),
    capacity: capacity === undefined ? 65536 : parseCount("--max-table-capacity", capacity),
  };
  if (positionals.length > 1) throw new UsageError("give one stream");
  if (stream === undefined) throw new UsageError("--stream is required (control, request, push, encoder or decoder)");
  const input = positionals[0];
  if (input === undefined) throw new UsageError("give the stream bytes as hex, a file, or - for standard input");
  return { kind: stream as Kind, input, ...options };
}

/** One output record: `line` for text, `json` for --json. */
interface Row {
  readonly line: string;
  readonly json: Record<string, unknown>;
}

function fieldsText(fields: readonly { name: string; value: string }[]): string {
  return fields.map((f) => JSON.stringify(`${f.name}: ${f.value}`)).join(" ");
}

function fieldSectionRow(qpack: QpackDecoder, streamId: number, section: Uint8Array): { text: string; json: Record<string, unknown> } {
  try {
    const r = qpack.decodeFieldSection(streamId, section);
    if (r.status === "decoded") {
      return { text: fieldsText(r.fields), json: { fields: r.fields.map((f) => ({ name: f.name, value: f.value })) } };
    }
    return {
      text: `${shortHex(section)} (QPACK: blocked, needs insert count ${r.requiredInsertCount})`,
      json: { fieldSection: toHex(section), qpack: { status: "blocked", requiredInsertCount: r.requiredInsertCount } },
    };
  } catch (e) {
    if (!(e instanceof HttpwireError)) throw e;
    return {
      text: `${shortHex(section)} (QPACK: ${e.codeName} ${e.reason})`,
      json: { fieldSection: toHex(section), qpack: { status: "error", codeName: e.codeName, reason: e.reason } },
    };
  }
}

function frameRow(frame: Http3Frame, offset: number, length: number | bigint, qpack: () => QpackDecoder, streamId: number): Row {
  const t = frame.type === "unknown" ? frame.frameType : frame.type;
  const name = frameTypeName(t);
  const head = `@${offset} ${name} (${hexCode(t)}) len=${length}`;
  const base = { offset, type: num(t), typeName: name, length: num(length) };
  switch (frame.type) {
    case FrameType.DATA:
      // The --json field stays "payload" (a script interface).
      return { line: `${head} data=${shortHex(frame.data)}`, json: { ...base, payload: toHex(frame.data) } };
    case FrameType.HEADERS: {
      const f = fieldSectionRow(qpack(), streamId, frame.fieldSection);
      return { line: `${head} ${f.text}`, json: { ...base, ...f.json } };
    }
    case FrameType.PUSH_PROMISE: {
      const f = fieldSectionRow(qpack(), streamId, frame.fieldSection);
      return {
        line: `${head} push_id=${frame.pushId} ${f.text}`,
        json: { ...base, pushId: num(frame.pushId), ...f.json },
      };
    }
    case FrameType.CANCEL_PUSH:
    case FrameType.MAX_PUSH_ID:
      return { line: `${head} push_id=${frame.pushId}`, json: { ...base, pushId: num(frame.pushId) } };
    case FrameType.GOAWAY:
      return { line: `${head} id=${frame.id}`, json: { ...base, id: num(frame.id) } };
    case FrameType.SETTINGS:
      return {
        line: `${head}${frame.settings.map((s) => ` ${settingsIdName(s.id)}=${s.value}`).join("")}`,
        json: {
          ...base,
          settings: frame.settings.map((s) => ({ id: num(s.id), name: settingsIdName(s.id), value: num(s.value) })),
        },
      };
    case FrameType.PRIORITY_UPDATE_REQUEST:
    case FrameType.PRIORITY_UPDATE_PUSH:
      return {
        line: `${head} element_id=${frame.elementId} priority=${JSON.stringify(frame.priorityFieldValue)}`,
        json: { ...base, elementId: num(frame.elementId), priorityFieldValue: frame.priorityFieldValue },
      };
    case "unknown":
      return {
        line: `${head} payload=${shortHex(frame.payload)} (ignored)`,
        json: { ...base, reserved: frame.reserved, payload: toHex(frame.payload) },
      };
  }
}

/**
 * Decodes the frames of `bytes[start..]` with one decoder, turning its events
 * (each with its stream offset) into rows; DATA pieces are joined per frame.
 * Returns the offset of a frame the capture cuts off, on a control stream
 * (which must stay open, so the end of its capture is not a FIN); on other
 * streams the end is a FIN and a cut-off frame is the decoder's error.
 */
function decodeFrames(
  bytes: Uint8Array,
  start: number,
  kind: Http3StreamKind,
  sender: "client" | "server" | undefined,
  qpack: () => QpackDecoder,
  streamId: number,
  rows: Row[],
): number | undefined {
  const d = new Http3FrameDecoder({
    stream: kind,
    sender,
    emitUnknown: true,
    maxPayloadLength: Number.MAX_SAFE_INTEGER,
  });
  // One frame's DATA pieces, with its position.
  let dataParts: Uint8Array[] = [];
  let dataOffset = 0;
  let dataLength: number | bigint = 0;
  /** Stream offset (after `start`) one past the last complete frame. */
  let complete = 0;
  const take = (events: Http3StreamEvent[]): void => {
    for (const ev of events) {
      switch (ev.type) {
        case "frame":
          rows.push(frameRow(ev.frame, start + ev.offset, ev.length, qpack, streamId));
          complete = ev.offset + ev.headerLength + ev.length;
          break;
        case "data-start":
          dataParts = [];
          dataOffset = ev.offset;
          dataLength = ev.length;
          break;
        case "data":
          dataParts.push(ev.data);
          if (ev.end) {
            rows.push(frameRow({ type: FrameType.DATA, data: concatBytes(dataParts) }, start + dataOffset, dataLength, qpack, streamId));
            dataParts = [];
            complete = ev.offset + ev.data.length;
          }
          break;
        case "stream-error":
          throw ev.error;
      }
    }
  };
  const events: Http3StreamEvent[] = [];
  try {
    d.push(bytes.subarray(start), events);
  } finally {
    // The frames completed before an error are shown before it.
    take(events);
  }
  if (kind === "control") return start + complete < bytes.length ? start + complete : undefined;
  take(d.end());
  return undefined;
}

function decodeInstructions(bytes: Uint8Array, start: number, kind: "encoder" | "decoder", rows: Row[]): number {
  let pos = start;
  while (pos < bytes.length) {
    const at = pos;
    if (kind === "encoder") {
      const r = readEncoderInstruction(bytes, at);
      if (r.status === "need-more") return at;
      pos += r.length;
      const ins = r.instruction;
      let line: string;
      switch (ins.type) {
        case "set-dynamic-table-capacity":
          line = `Set Dynamic Table Capacity ${ins.capacity}`;
          break;
        case "insert-with-name-reference":
          line = `Insert With Name Reference ${ins.isStatic ? "static" : "dynamic"} ${ins.nameIndex} value=${JSON.stringify(ins.value)}`;
          break;
        case "insert-with-literal-name":
          line = `Insert With Literal Name ${JSON.stringify(ins.name)} value=${JSON.stringify(ins.value)}`;
          break;
        case "duplicate":
          line = `Duplicate ${ins.index}`;
          break;
      }
      // The --json `type` keeps its snake_case tokens (an interface scripts read).
      rows.push({ line: `@${at} ${line}`, json: { offset: at, ...ins, type: ins.type.replaceAll("-", "_") } });
    } else {
      const r = readDecoderInstruction(bytes, at);
      if (r.status === "need-more") return at;
      pos += r.length;
      const ins = r.instruction;
      const label = {
        "section-acknowledgment": "Section Acknowledgment stream",
        "stream-cancellation": "Stream Cancellation stream",
        "insert-count-increment": "Insert Count Increment",
      }[ins.type];
      const value = ins.type === "insert-count-increment" ? ins.increment : ins.streamId;
      rows.push({
        line: `@${at} ${label} ${value}`,
        json: { offset: at, type: ins.type.replaceAll("-", "_"), value: num(value) },
      });
    }
  }
  return pos;
}

const h3: Command = async (args, io) => {
  if (args.length === 0 || args[0] === "--help" || args[0] === "-h") {
    io.out(HELP);
    return args.length === 0 ? 2 : 0;
  }
  if (args[0] !== "decode") throw new UsageError(`unknown subcommand "${args[0]}" (see --help)`);
  const o = parseOptions(args.slice(1));
  if (o === "help") {
    io.out(HELP);
    return 0;
  }
  const { kind, sender, framesOnly, json, streamId, encoderArg, capacity, input } = o;
  const bytes = await readInput(input, io);

  let qpackDecoder: QpackDecoder | undefined;
  const encoderBytes = encoderArg === undefined ? undefined : await readInput(encoderArg, io);
  const qpack = (): QpackDecoder => {
    if (qpackDecoder === undefined) {
      if (encoderBytes === undefined) qpackDecoder = new QpackDecoder({ maxTableCapacity: 0 });
      else {
        qpackDecoder = new QpackDecoder({ maxTableCapacity: capacity, maxBlockedStreams: 0 });
        const e = encoderBytes;
        qpackDecoder.onEncoderStream(e.length > 0 && e[0] === StreamType.QPACK_ENCODER ? e.subarray(1) : e);
      }
    }
    return qpackDecoder;
  };

  const rows: Row[] = [];
  const header: Record<string, unknown> = { stream: kind };
  let start = 0;
  let failure: HttpwireError | undefined;
  let incomplete: number | undefined;
  const expected = EXPECTED_TYPE[kind];
  if (expected !== undefined && !framesOnly) {
    const h = readUniStreamHeader(bytes);
    if (h.status === "need-more") {
      throw new UsageError("the capture ends inside the stream header (use --frames-only if it has none)");
    }
    if (h.streamType !== expected) {
      throw new UsageError(
        `the stream type is ${streamTypeName(h.streamType)} (${hexCode(h.streamType)}), not ${streamTypeName(expected)} (use --frames-only if the capture has no stream type)`,
      );
    }
    header.streamType = streamTypeName(h.streamType);
    let line = `stream type ${streamTypeName(h.streamType)} (${hexCode(h.streamType)})`;
    if (h.pushId !== undefined) {
      header.pushId = num(h.pushId);
      line += ` push_id=${h.pushId}`;
    }
    rows.push({ line, json: {} });
    start = h.length;
  }
  try {
    if (kind === "encoder" || kind === "decoder") {
      const stop = decodeInstructions(bytes, start, kind, rows);
      if (stop < bytes.length) incomplete = stop;
    } else {
      incomplete = decodeFrames(bytes, start, kind, sender, qpack, streamId, rows);
    }
  } catch (e) {
    if (!(e instanceof HttpwireError)) throw e;
    failure = e;
  }

  if (json) {
    const out: Record<string, unknown> = {
      ...header,
      [kind === "encoder" || kind === "decoder" ? "instructions" : "frames"]: rows
        .filter((r) => Object.keys(r.json).length > 0)
        .map((r) => r.json),
    };
    if (incomplete !== undefined) out.incomplete = { offset: incomplete, hex: toHex(bytes.subarray(incomplete)) };
    if (failure) {
      out.error = {
        code: failure.code,
        codeName: failure.codeName,
        scope: failure.scope,
        reason: failure.reason,
        offset: failure.offset,
        message: failure.message,
      };
    }
    io.out(`${JSON.stringify(out)}\n`);
    return failure || incomplete !== undefined ? 1 : 0;
  }
  for (const r of rows) io.out(`${r.line}\n`);
  if (incomplete !== undefined) {
    const what = kind === "encoder" || kind === "decoder" ? "an instruction" : "a frame";
    io.err(`httpwire h3: the capture ends inside ${what} at offset ${incomplete}: ${shortHex(bytes.subarray(incomplete))}\n`);
    return 1;
  }
  if (failure) throw failure;
  return 0;
};

export default h3;
