/**
 * `httpwire decode`: the lines and --json objects of QUIC and HTTP/3 events
 * (connection, handshake, HTTP/3 frames, QUIC packets with --quic-packets).
 */
import type { CaptureEvent } from "../../capture/index.js";
import type { QuicCaptureEvent, QuicCloseEvent, QuicInfo } from "../../capture/quic/events.js";
import { FrameType, frameTypeName, settingsIdName } from "../../http3/index.js";
import type { QuicFrame } from "../../quic/frames/types.js";
import { quicFrameTypeOf } from "../../quic/index.js";

/** What the printer of decode.ts gives the QUIC lines. */
export interface QuicPrintContext {
  readonly json: boolean;
  readonly quicPackets: boolean;
  readonly streams: ReadonlySet<number>;
  /** --type values: numbers, and names in upper case. */
  readonly types: ReadonlySet<number>;
  readonly typeNames: ReadonlySet<string>;
  readonly ports: readonly number[];
  time(t: number | undefined): string;
  paint(color: "green" | "red" | "yellow" | "dim" | "cyan" | "magenta" | "bold", s: string): string;
}

const QUIC_TYPES = new Set<string>([
  "quic-open",
  "quic-handshake",
  "quic-undecryptable",
  "quic-packet",
  "quic-stream",
  "h3-frame",
  "h3-fields",
  "h3-data",
  "quic-close",
]);

/** Whether an event is one of the QUIC/HTTP/3 events. */
export function isQuicEvent(e: CaptureEvent): e is QuicCaptureEvent {
  return QUIC_TYPES.has(e.type);
}

const DIR = { "client-to-server": "C>S", "server-to-client": "S>C" } as const;
const hex = (n: number | bigint): string => `0x${n.toString(16)}`;
const toHex = (b: Uint8Array, max = 16): string =>
  Array.from(b.subarray(0, max), (x) => x.toString(16).padStart(2, "0")).join("") + (b.length > max ? "…" : "");

function suiteText(info: QuicInfo): string {
  return info.cipherSuiteName ?? (info.cipherSuite === undefined ? "" : hex(info.cipherSuite));
}

/** The connection line's details: QUIC version, SNI, ALPN, cipher suite. */
export function quicInfoText(info: QuicInfo): string {
  const parts = [`QUIC ${info.versionName}`];
  if (info.serverName !== undefined) parts.push(`SNI ${info.serverName}`);
  if (info.alpn !== undefined) parts.push(`ALPN ${info.alpn}`);
  else if (info.alpnOffered.length > 0) parts.push(`ALPN offered ${info.alpnOffered.join(",")}`);
  const suite = suiteText(info);
  if (suite !== "") parts.push(suite);
  return parts.join(", ");
}

/** A one-line summary of a transport frame. */
export function quicFrameText(f: QuicFrame): string {
  switch (f.type) {
    case "padding":
      return `PADDING(${f.length})`;
    case "ack":
      return `ACK(${f.largestAcknowledged}${f.ackRanges.length > 0 ? `,+${f.ackRanges.length} ranges` : ""}${f.ecnCounts ? ",ECN" : ""})`;
    case "crypto":
      return `CRYPTO(${f.offset}+${f.data.length})`;
    case "stream":
      return `STREAM(${f.streamId}@${f.offset}+${f.data.length}${f.fin ? ",FIN" : ""})`;
    case "reset-stream":
      return `RESET_STREAM(${f.streamId},${hex(f.errorCode)})`;
    case "stop-sending":
      return `STOP_SENDING(${f.streamId},${hex(f.errorCode)})`;
    case "new-connection-id":
      return `NEW_CONNECTION_ID(${f.sequenceNumber},${toHex(f.connectionId)})`;
    case "connection-close":
      return `CONNECTION_CLOSE(${f.errorSpace},${hex(f.errorCode)})`;
    case "max-data":
      return `MAX_DATA(${f.maximumData})`;
    case "max-stream-data":
      return `MAX_STREAM_DATA(${f.streamId},${f.maximumStreamData})`;
    case "max-streams":
      return `MAX_STREAMS(${f.direction},${f.maximumStreams})`;
    default:
      return f.type.toUpperCase().replaceAll("-", "_");
  }
}

function h3Summary(e: Extract<QuicCaptureEvent, { type: "h3-frame" }>): string {
  if (e.fields !== undefined) return e.fields.map((f) => `${f.name}: ${f.value}`).join(", ");
  if (e.blocked) return "(field section blocked on the QPACK encoder stream)";
  const f = e.frame;
  if (f === undefined) return "";
  switch (f.type) {
    case FrameType.SETTINGS:
      return f.settings.map((s) => `${settingsIdName(s.id)}=${s.value}`).join(", ");
    case FrameType.GOAWAY:
      return `id ${f.id}`;
    case FrameType.MAX_PUSH_ID:
    case FrameType.CANCEL_PUSH:
      return `push ${f.pushId}`;
    default:
      return "";
  }
}

/** Whether a QUIC event is hidden by --stream/--type/--port or by the absence of --quic-packets. */
export function quicHidden(e: QuicCaptureEvent, o: QuicPrintContext, serverPorts: Map<number, number>): boolean {
  // DATA content is for library users (and --har); the frame line already says its length.
  if (e.type === "h3-data") return true;
  if (e.type === "quic-open") serverPorts.set(e.connection, e.server.port);
  if (o.ports.length > 0 && !o.ports.includes(serverPorts.get(e.connection) ?? -1)) return true;
  if (e.type === "quic-packet") return !o.quicPackets || o.streams.size > 0 || o.types.size > 0 || o.typeNames.size > 0;
  const filtered = o.streams.size > 0 || o.types.size > 0 || o.typeNames.size > 0;
  if (e.type === "h3-frame") {
    if (o.streams.size > 0 && !o.streams.has(e.streamId)) return true;
    if (o.types.size > 0 || o.typeNames.size > 0) {
      const name = frameTypeName(e.frameType).toUpperCase();
      const num = typeof e.frameType === "number" ? e.frameType : -1;
      if (!o.types.has(num) && !o.typeNames.has(name)) return true;
    }
    return false;
  }
  if (e.type === "h3-fields") return o.streams.size > 0 && !o.streams.has(e.streamId);
  if (e.type === "quic-stream") return (o.streams.size > 0 && !o.streams.has(e.streamId)) || o.types.size > 0 || o.typeNames.size > 0;
  return filtered && e.type !== "quic-undecryptable";
}

/** The text line of a QUIC event. */
export function quicLine(e: QuicCaptureEvent, o: QuicPrintContext): string {
  const conn = `#${e.connection}`;
  const t = o.time(e.time);
  switch (e.type) {
    case "quic-open":
      return `${t} ${conn}     ${o.paint("green", `QUIC connection ${e.client.address}:${e.client.port} -> ${e.server.address}:${e.server.port}, ${quicInfoText(e.info)}`)}\n`;
    case "quic-handshake":
      return `${t} ${conn}     ${o.paint("green", `handshake: ${quicInfoText(e.info)}`)}\n`;
    case "quic-undecryptable": {
      const why =
        e.reason === "no-keys"
          ? `no keys${e.info.clientRandom === undefined ? "" : ` (look for client random ${e.info.clientRandom} in a key log, --keylog FILE)`}`
          : e.reason === "wrong-keys"
            ? "the key log's secrets do not decrypt it (wrong keys)"
            : e.reason === "unsupported-version"
              ? `QUIC version ${e.info.versionName} cannot be decrypted`
              : `cipher suite ${suiteText(e.info)} cannot be decrypted`;
      return `${t} ${conn}     ${o.paint("yellow", `QUIC ${e.level ?? ""} packets not decoded: ${why}`)}\n`;
    }
    case "quic-packet": {
      const d = o.paint(e.direction === "client-to-server" ? "cyan" : "magenta", DIR[e.direction]);
      const pn = e.packetNumber === undefined ? "" : ` PN ${e.packetNumber}`;
      const kp = e.keyPhase === undefined ? "" : ` KP${e.keyPhase}`;
      const body =
        e.frames !== undefined
          ? e.frames.map(quicFrameText).join(", ")
          : e.versions !== undefined
            ? `versions ${e.versions.map((v) => hex(v)).join(", ")}`
            : e.retryTagValid !== undefined
              ? `integrity tag ${e.retryTagValid ? "valid" : "INVALID"}`
              : "(not decrypted)";
      return `${t} ${conn} ${d}       ${o.paint("dim", `QUIC ${e.packetType}${pn}${kp} DCID ${e.dcid || "-"} ${e.length} bytes: ${body}`)}\n`;
    }
    case "quic-stream": {
      const d = DIR[e.direction];
      const what =
        e.event === "fin"
          ? "end of stream (FIN)"
          : e.event === "reset"
            ? `RESET_STREAM ${hex(e.errorCode ?? 0)}`
            : `GAP: ${e.missing} bytes missing at offset ${e.offset}; stream not decoded further`;
      return `${t} ${conn} ${d} ${String(e.streamId).padStart(5)} ${o.paint(e.event === "gap" ? "yellow" : "dim", what)}\n`;
    }
    case "h3-frame": {
      const d = o.paint(e.direction === "client-to-server" ? "cyan" : "magenta", DIR[e.direction]);
      const type = o.paint("bold", frameTypeName(e.frameType).padEnd(13));
      const line = `${t} ${conn} ${d} ${String(e.streamId).padStart(5)} ${type} ${`[${e.stream}]`.padEnd(26)} ${String(e.length).padStart(6)}  ${h3Summary(e)}`;
      return `${line.trimEnd()}\n`;
    }
    case "h3-fields":
      return `${t} ${conn} ${DIR[e.direction]} ${String(e.streamId).padStart(5)} ${"(unblocked)".padEnd(13)} ${"".padEnd(26)} ${"".padStart(6)}  ${e.fields.map((f) => `${f.name}: ${f.value}`).join(", ")}\n`;
    case "quic-close":
      return `${t} ${conn}     ${o.paint("dim", closeText(e))}\n`;
    case "h3-data":
      return ""; // hidden by quicHidden: the h3-frame line says the DATA frame's length
  }
}

/** How a QUIC connection ended, for its `quic-close` line. */
function closeText(e: QuicCloseEvent): string {
  switch (e.how) {
    case "end":
      return "end of capture";
    case "connection-close":
      return `CONNECTION_CLOSE (${e.application ? "application" : "transport"} ${hex(e.errorCode ?? 0)}${e.reason ? ` "${e.reason}"` : ""})`;
    case "stateless-reset":
      return `stateless reset${e.direction === undefined ? "" : ` (${DIR[e.direction]})`}`;
    case "idle-timeout":
      return "idle timeout: no packet for longer than the connection's max_idle_timeout";
    case "connection-limit":
      return "forgotten: the limit of QUIC connections held was reached";
  }
}

function jsonSafe(v: unknown): unknown {
  if (typeof v === "bigint") return v.toString();
  if (v instanceof Uint8Array) return toHex(v, 64);
  if (Array.isArray(v)) return v.map(jsonSafe);
  if (v !== null && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, jsonSafe(x)]));
  return v;
}

/** The --json object of a QUIC event (after `kind`). */
export function quicJson(e: QuicCaptureEvent): Record<string, unknown> {
  if (e.type === "h3-frame") {
    const { type: _t, frame: _f, frameType, ...rest } = e;
    return {
      ...(jsonSafe(rest) as Record<string, unknown>),
      type: frameTypeName(frameType),
      typeCode: jsonSafe(frameType),
      ...(e.frame !== undefined && e.frame.type !== FrameType.HEADERS && e.frame.type !== FrameType.PUSH_PROMISE
        ? { frame: jsonSafe(e.frame) }
        : {}),
    };
  }
  if (e.type === "quic-packet") {
    const { type: _t, frames, ...rest } = e;
    return {
      ...(jsonSafe(rest) as Record<string, unknown>),
      ...(frames === undefined
        ? {}
        : {
            frames: frames.map((f) => ({
              ...(jsonSafe({ ...f, ...("data" in f ? { data: undefined, dataLength: f.data.length } : {}) }) as object),
              typeCode: quicFrameTypeOf(f),
            })),
          }),
    };
  }
  const { type: _t, ...rest } = e;
  return jsonSafe(rest) as Record<string, unknown>;
}
