/**
 * How `httpwire decode` renders capture events as data: the --json line of
 * each event, and the helpers the text lines share with it (flag names,
 * byte previews). Node-free, so the capture viewer (viewer/) bundles it and
 * shows exactly what the command prints.
 */

import type { CaptureEvent } from "../capture/index.js";
import { errorCodeName, type Frame, FrameType, frameTypeName, settingsIdName } from "../http2/index.js";
import { isQuicEvent, quicJson } from "./commands/decode-quic.js";

/** Characters of one header name or value printed by --json before it is cut (without --full-values). */
export const MAX_VALUE_CHARS = 1000;

/** A header name or value for --json: cut after {@link MAX_VALUE_CHARS} characters, saying how much was left out. */
export function jsonValue(s: string, full: boolean): string {
  return full || s.length <= MAX_VALUE_CHARS ? s : `${s.slice(0, MAX_VALUE_CHARS)}…(${s.length - MAX_VALUE_CHARS} more bytes)`;
}

const FLAG_NAMES: Record<number, [number, string][]> = {
  [FrameType.DATA]: [
    [0x01, "END_STREAM"],
    [0x08, "PADDED"],
  ],
  [FrameType.HEADERS]: [
    [0x01, "END_STREAM"],
    [0x04, "END_HEADERS"],
    [0x08, "PADDED"],
    [0x20, "PRIORITY"],
  ],
  [FrameType.SETTINGS]: [[0x01, "ACK"]],
  [FrameType.PUSH_PROMISE]: [
    [0x04, "END_HEADERS"],
    [0x08, "PADDED"],
  ],
  [FrameType.PING]: [[0x01, "ACK"]],
  [FrameType.CONTINUATION]: [[0x04, "END_HEADERS"]],
};

/** Names of the flags set on a frame; undefined bits as hex. */
export function flagNames(type: number, flags: number): string[] {
  const out: string[] = [];
  let rest = flags;
  for (const [bit, name] of FLAG_NAMES[type] ?? []) {
    if (flags & bit) {
      out.push(name);
      rest &= ~bit;
    }
  }
  if (rest) out.push(`0x${rest.toString(16).padStart(2, "0")}`);
  return out;
}

export const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");

/** A printable preview of bytes: ASCII as is, other bytes as ".". */
export function preview(b: Uint8Array, max: number): string {
  let s = "";
  for (let i = 0; i < Math.min(b.length, max); i++) {
    const c = b[i]!;
    s += c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : ".";
  }
  return b.length > max ? `${s}…` : s;
}

/** Cuts a header value for the text output; control characters are escaped so one frame stays one line. */
export function clip(s: string, max: number): string {
  const cut = s.length > max ? `${s.slice(0, max)}…(${s.length})` : s;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters to escape them is the point
  return cut.replace(/[\x00-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`);
}

/** The frame's own fields as plain JSON-safe values. */
export function frameDetails(f: Frame): Record<string, unknown> {
  switch (f.type) {
    case FrameType.DATA:
      return {
        dataLength: f.data.length,
        ...(f.padded ? { padLength: f.padLength } : {}),
        preview: preview(f.data, 64),
      };
    case FrameType.HEADERS:
      return {
        ...(f.padded ? { padLength: f.padLength } : {}),
        ...(f.priority ? { priority: f.priority } : {}),
        fragmentLength: f.fragment.length,
      };
    case FrameType.PRIORITY:
      return { exclusive: f.exclusive, streamDependency: f.streamDependency, weight: f.weight };
    case FrameType.RST_STREAM:
      return { errorCode: f.errorCode, errorName: errorCodeName(f.errorCode) };
    case FrameType.SETTINGS:
      return { settings: f.settings.map((s) => ({ id: s.id, name: settingsIdName(s.id), value: s.value })) };
    case FrameType.PUSH_PROMISE:
      return {
        promisedStreamId: f.promisedStreamId,
        ...(f.padded ? { padLength: f.padLength } : {}),
        fragmentLength: f.fragment.length,
      };
    case FrameType.PING:
      return { opaqueData: hex(f.opaqueData) };
    case FrameType.GOAWAY:
      return {
        lastStreamId: f.lastStreamId,
        errorCode: f.errorCode,
        errorName: errorCodeName(f.errorCode),
        debugData: preview(f.debugData, 256),
      };
    case FrameType.WINDOW_UPDATE:
      return { windowSizeIncrement: f.windowSizeIncrement };
    case FrameType.CONTINUATION:
      return { fragmentLength: f.fragment.length };
    case FrameType.ALTSVC:
      return { origin: f.origin, fieldValue: f.fieldValue };
    case FrameType.ORIGIN:
      return { origins: f.origins };
    case FrameType.PRIORITY_UPDATE:
      return { prioritizedStreamId: f.prioritizedStreamId, fieldValue: f.priorityFieldValue };
    default:
      return { payload: hex(f.payload.subarray(0, 64)) };
  }
}

/** A header field for --json; `nameLength`/`valueLength` are added when the text was cut. */
export function jsonField(name: string, value: string, full: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = { name: jsonValue(name, full), value: jsonValue(value, full) };
  if (!full && name.length > MAX_VALUE_CHARS) out.nameLength = name.length;
  if (!full && value.length > MAX_VALUE_CHARS) out.valueLength = value.length;
  return out;
}

/**
 * One event as a --json line. The library's events are discriminated by
 * `type` (docs/architecture.md, Conventions), but the JSON lines keep the key
 * `kind` they have always had: scripts read it, and a frame line's `type` is
 * the frame type's name. This is the one place where `type` becomes `kind`.
 */
export function toJson(e: CaptureEvent, fullValues: boolean): Record<string, unknown> {
  if (isQuicEvent(e)) return { kind: e.type, ...quicJson(e) };
  return { kind: e.type, ...jsonBody(e, fullValues) };
}

/** The keys of an event's --json line after `kind`. */
export function jsonBody(e: CaptureEvent, fullValues: boolean): Record<string, unknown> {
  switch (e.type) {
    case "frame":
      return {
        time: e.time,
        connection: e.connection,
        direction: e.direction,
        streamId: e.frame.streamId,
        type: frameTypeName(e.frameType),
        typeCode: e.frameType,
        flags: e.frame.flags,
        flagNames: flagNames(e.frameType, e.frame.flags),
        length: e.length,
        offset: e.offset,
        ...frameDetails(e.frame),
        ...(e.fields ? { fields: e.fields.map((f) => jsonField(f.name, f.value, fullValues)) } : {}),
      };
    case "upgrade":
      return {
        time: e.time,
        connection: e.connection,
        streamId: e.streamId,
        fields: e.fields.map((f) => jsonField(f.name, f.value, fullValues)),
        settings: e.settings.map((s) => ({ id: s.id, name: settingsIdName(s.id), value: s.value })),
      };
    case "error":
      return {
        time: e.time ?? null,
        connection: e.connection ?? null,
        direction: e.direction ?? null,
        code: e.error.code,
        codeName: e.error.codeName,
        scope: e.error.scope,
        reason: e.error.reason,
        streamId: e.error.streamId === undefined ? null : Number(e.error.streamId),
        message: e.error.message,
      };
    default: {
      const { type: _type, ...rest } = e;
      return rest;
    }
  }
}
