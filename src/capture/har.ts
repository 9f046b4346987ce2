/**
 * HAR 1.2 export: every HTTP request/response exchange of a decoded capture
 * as a HAR entry (http://www.softwareishard.com/blog/har-12-spec/), the
 * format browser developer tools export and import.
 *
 * Feed {@link HarBuilder} the capture events in order, then {@link
 * HarBuilder.build} the log. Bodies are decompressed where
 * `content-encoding` says gzip or deflate (and br where the platform's
 * `DecompressionStream` has it); text bodies stay text, others are base64.
 */

import { FrameType } from "../http2/index.js";
import { FrameType as Http3FrameType } from "../http3/index.js";
import { base64Encode } from "../shared/base64.js";
import { concatBytes } from "../shared/bytes.js";
import { integerOption } from "../shared/options.js";
import type { CaptureEvent, CaptureHeaderField } from "./events.js";

/** A HAR 1.2 name/value pair (headers, cookies, query string). */
export interface HarNameValue {
  readonly name: string;
  readonly value: string;
  readonly comment?: string;
}

/** A HAR 1.2 request. */
export interface HarRequest {
  readonly method: string;
  readonly url: string;
  readonly httpVersion: string;
  readonly cookies: readonly HarNameValue[];
  readonly headers: readonly HarNameValue[];
  readonly queryString: readonly HarNameValue[];
  readonly postData?: { readonly mimeType: string; readonly text: string; readonly comment?: string };
  /** -1: HTTP/2 and HTTP/3 have no header block of plain text to count. */
  readonly headersSize: number;
  /** Octets of DATA payload the request carried. */
  readonly bodySize: number;
}

/** A HAR 1.2 response. */
export interface HarResponse {
  readonly status: number;
  readonly statusText: string;
  readonly httpVersion: string;
  readonly cookies: readonly HarNameValue[];
  /** The response's fields in order, then its trailers (each with the comment `"trailer"`). */
  readonly headers: readonly HarNameValue[];
  readonly content: {
    /** Length of the body after content decoding. */
    readonly size: number;
    /** Octets saved by content encoding (`size - bodySize`), when the body was decoded. */
    readonly compression?: number;
    readonly mimeType: string;
    readonly text?: string;
    readonly encoding?: "base64";
    readonly comment?: string;
  };
  readonly redirectURL: string;
  readonly headersSize: number;
  /** Octets of DATA payload the response carried (before content decoding). */
  readonly bodySize: number;
}

/** HAR 1.2 timings in milliseconds; -1 where a phase does not apply. */
export interface HarTimings {
  readonly blocked: number;
  readonly dns: number;
  readonly connect: number;
  readonly ssl: number;
  /** First request frame to the request's end. */
  readonly send: number;
  /** The request's end to the first response frame. */
  readonly wait: number;
  /** First to last response frame. */
  readonly receive: number;
}

/** One HAR entry: a request and its response. */
export interface HarEntry {
  readonly startedDateTime: string;
  readonly time: number;
  readonly request: HarRequest;
  readonly response: HarResponse;
  readonly cache: Record<string, never>;
  readonly timings: HarTimings;
  readonly serverIPAddress?: string;
  /** The capture's connection number. */
  readonly connection?: string;
  readonly comment?: string;
}

/** A HAR 1.2 document. */
export interface Har {
  readonly log: {
    readonly version: "1.2";
    readonly creator: { readonly name: string; readonly version: string };
    readonly entries: readonly HarEntry[];
    readonly comment?: string;
  };
}

/** Options of {@link HarBuilder}. */
export interface HarOptions {
  /** The `creator` of the log. Default `{ name: "httpwire", version: "" }`. */
  readonly creator?: { readonly name: string; readonly version: string };
  /** Body octets kept per message; the rest is counted, not kept. Default 16 MiB. */
  readonly maxBodySize?: number;
  /** Decode `content-encoding` (gzip, deflate, br where the platform can). Default true. */
  readonly decompress?: boolean;
}

/** Body octets kept per message unless {@link HarOptions.maxBodySize} says otherwise. */
export const HAR_MAX_BODY_SIZE = 16 * 1024 * 1024;

interface Message {
  fields: CaptureHeaderField[] | undefined;
  trailers: CaptureHeaderField[];
  body: Uint8Array[];
  kept: number;
  size: number;
  start: number;
  end: number;
  ended: boolean;
}

interface Exchange {
  readonly connection: number;
  readonly streamId: number;
  readonly protocol: "HTTP/2.0" | "HTTP/3";
  readonly order: number;
  readonly request: Message;
  readonly response: Message;
  reset: number | undefined;
  pushed: boolean;
}

const newMessage = (): Message => ({
  fields: undefined,
  trailers: [],
  body: [],
  kept: 0,
  size: 0,
  start: -1,
  end: -1,
  ended: false,
});

/**
 * Collects request/response exchanges from capture events and builds a HAR
 * 1.2 log. Memory: each exchange's fields, and its bodies up to
 * `maxBodySize` each.
 *
 * @example
 * ```ts
 * import { readFileSync } from "node:fs";
 * import { CaptureDecoder, HarBuilder } from "httpwire/capture";
 *
 * const har = new HarBuilder();
 * const d = new CaptureDecoder();
 * for (const e of d.push(readFileSync("fixtures/captures/h2-session.pcapng"))) har.add(e);
 * for (const e of d.end()) har.add(e);
 * const log = (await har.build()).log;
 * log.entries.length; // => 16
 * log.entries[0]!.request.url; // => "http://127.0.0.1:18080/hello/0"
 * ```
 */
export class HarBuilder {
  private readonly exchanges = new Map<string, Exchange>();
  private readonly servers = new Map<number, string>();
  /** Per direction of a connection: the stream whose field block is open and whether its HEADERS ended the stream. */
  private readonly openBlocks = new Map<string, { streamId: number; endStream: boolean }>();
  private readonly maxBodySize: number;
  private readonly decompress: boolean;
  private readonly creator: { readonly name: string; readonly version: string };
  private count = 0;

  constructor(options: HarOptions = {}) {
    this.maxBodySize = integerOption("HarBuilder", "maxBodySize", options.maxBodySize, HAR_MAX_BODY_SIZE, 0, Number.MAX_SAFE_INTEGER);
    this.decompress = options.decompress ?? true;
    this.creator = options.creator ?? { name: "httpwire", version: "" };
  }

  /** Takes one capture event (events other than frames of HTTP messages are ignored). */
  add(event: CaptureEvent): void {
    if (event.type === "h3-frame" || event.type === "h3-fields" || event.type === "h3-data" || event.type === "quic-stream") {
      this.http3(event);
      return;
    }
    if (event.type === "open") {
      this.servers.set(event.connection, event.server.address);
      return;
    }
    if (event.type !== "frame") return;
    const f = event.frame;
    const toServer = event.direction === "client-to-server";
    const blockKey = `${event.connection}:${event.direction}`;
    switch (f.type) {
      case FrameType.HEADERS: {
        if (event.fields) this.fields(event.connection, f.streamId, toServer, event.fields, f.endStream, event.time);
        else this.openBlocks.set(blockKey, { streamId: f.streamId, endStream: f.endStream });
        return;
      }
      case FrameType.CONTINUATION: {
        const open = this.openBlocks.get(blockKey);
        if (event.fields && open) {
          this.openBlocks.delete(blockKey);
          if (open.streamId === f.streamId) this.fields(event.connection, f.streamId, toServer, event.fields, open.endStream, event.time);
        }
        return;
      }
      case FrameType.PUSH_PROMISE: {
        if (!event.fields) return;
        // The promised request, as if the client had sent it (RFC 9113 §8.4).
        const x = this.exchange(event.connection, f.promisedStreamId, "HTTP/2.0");
        x.pushed = true;
        this.fields(event.connection, f.promisedStreamId, true, event.fields, true, event.time);
        return;
      }
      case FrameType.DATA: {
        const x = this.exchanges.get(`${event.connection}:${f.streamId}`);
        if (!x) return;
        const m = toServer ? x.request : x.response;
        this.body(m, f.data, event.time);
        if (f.endStream) m.ended = true;
        return;
      }
      case FrameType.RST_STREAM: {
        const x = this.exchanges.get(`${event.connection}:${f.streamId}`);
        if (x) x.reset = f.errorCode;
        return;
      }
    }
  }

  /**
   * A message's fields, for callers that decode HTTP themselves (HTTP/3
   * from QUIC): `toServer` tells request from response.
   */
  addFields(
    connection: number,
    streamId: number,
    protocol: "HTTP/2.0" | "HTTP/3",
    toServer: boolean,
    fields: readonly CaptureHeaderField[],
    endStream: boolean,
    time: number,
  ): void {
    this.exchange(connection, streamId, protocol);
    this.fields(connection, streamId, toServer, fields, endStream, time);
  }

  /** A message's body bytes, for callers that decode HTTP themselves. */
  addData(connection: number, streamId: number, toServer: boolean, data: Uint8Array, endStream: boolean, time: number): void {
    const x = this.exchanges.get(`${connection}:${streamId}`);
    if (!x) return;
    const m = toServer ? x.request : x.response;
    this.body(m, data, time);
    if (endStream) m.ended = true;
  }

  /**
   * HTTP/3 from a QUIC capture: HEADERS field sections (also when a blocked one
   * is released later), DATA content, and FIN / RESET_STREAM.
   */
  private http3(event: Extract<CaptureEvent, { type: "h3-frame" | "h3-fields" | "h3-data" | "quic-stream" }>): void {
    const toServer = event.direction === "client-to-server";
    if (event.type === "quic-stream") {
      const x = this.exchanges.get(`${event.connection}:${event.streamId}`);
      if (x && event.event === "fin") (toServer ? x.request : x.response).ended = true;
      if (x && event.event === "reset") x.reset = event.errorCode;
      return;
    }
    if (event.type === "h3-fields") {
      this.addFields(event.connection, event.streamId, "HTTP/3", toServer, event.fields, false, event.time);
      return;
    }
    if (event.type === "h3-data") {
      this.addData(event.connection, event.streamId, toServer, event.data, false, event.time);
      return;
    }
    if (event.stream === "request" && event.frameType === Http3FrameType.HEADERS && event.fields) {
      this.addFields(event.connection, event.streamId, "HTTP/3", toServer, event.fields, false, event.time);
    }
  }

  /** Builds the log: one entry per exchange with a request, in order of the requests. */
  async build(): Promise<Har> {
    const entries: HarEntry[] = [];
    const ordered = [...this.exchanges.values()].filter((x) => x.request.fields !== undefined).sort((a, b) => a.order - b.order);
    for (const x of ordered) entries.push(await this.entry(x));
    return { log: { version: "1.2", creator: this.creator, entries } };
  }

  private exchange(connection: number, streamId: number, protocol: Exchange["protocol"]): Exchange {
    const key = `${connection}:${streamId}`;
    let x = this.exchanges.get(key);
    if (!x) {
      x = {
        connection,
        streamId,
        protocol,
        order: this.count++,
        request: newMessage(),
        response: newMessage(),
        reset: undefined,
        pushed: false,
      };
      this.exchanges.set(key, x);
    }
    return x;
  }

  private fields(
    connection: number,
    streamId: number,
    toServer: boolean,
    fields: readonly CaptureHeaderField[],
    endStream: boolean,
    time: number,
  ): void {
    const x = toServer ? this.exchange(connection, streamId, "HTTP/2.0") : this.exchanges.get(`${connection}:${streamId}`);
    if (!x) return;
    const m = toServer ? x.request : x.response;
    if (m.start < 0) m.start = time;
    m.end = Math.max(m.end, time);
    if (m.fields === undefined) {
      // Interim (1xx) responses are not the response (RFC 9110 §15.2).
      const status = fields.find((f) => f.name === ":status")?.value;
      if (!toServer && status !== undefined && status.length === 3 && status[0] === "1") return;
      m.fields = [...fields];
    } else m.trailers.push(...fields);
    if (endStream) m.ended = true;
  }

  private body(m: Message, data: Uint8Array, time: number): void {
    if (m.start < 0) m.start = time;
    m.end = Math.max(m.end, time);
    m.size += data.length;
    const room = this.maxBodySize - m.kept;
    if (room <= 0 || data.length === 0) return;
    const kept = data.length <= room ? data : data.subarray(0, room);
    m.body.push(kept.slice());
    m.kept += kept.length;
  }

  private async entry(x: Exchange): Promise<HarEntry> {
    const req = x.request;
    const res = x.response;
    const reqFields = req.fields ?? [];
    const get = (fields: readonly CaptureHeaderField[], name: string) => fields.find((f) => f.name === name)?.value;
    const scheme = get(reqFields, ":scheme") ?? "https";
    const authority = get(reqFields, ":authority") ?? get(reqFields, "host") ?? this.servers.get(x.connection) ?? "";
    const path = get(reqFields, ":path") ?? "/";
    const method = get(reqFields, ":method") ?? "GET";
    const url = method === "CONNECT" && get(reqFields, ":protocol") === undefined ? authority : `${scheme}://${authority}${path}`;
    const resFields = res.fields ?? [];
    const status = Number(get(resFields, ":status") ?? 0);
    const headers = (fields: readonly CaptureHeaderField[]) => fields.map((f) => ({ name: f.name, value: f.value }));
    const trailers = res.trailers.map((f) => ({ name: f.name, value: f.value, comment: "trailer" }));

    const reqBody = concatBytes(req.body);
    const resBody = concatBytes(res.body);
    const content = await this.content(resBody, res, resFields);
    const reqType = get(reqFields, "content-type") ?? "";
    const postData =
      req.size > 0
        ? isText(reqType) && isUtf8(reqBody)
          ? { mimeType: reqType, text: new TextDecoder().decode(reqBody) }
          : { mimeType: reqType, text: base64Encode(reqBody), comment: "base64" }
        : undefined;

    const ms = (t: number) => Math.max(0, Math.round(t * 1e6) / 1e3);
    const send = req.end >= req.start && req.start >= 0 ? ms(req.end - req.start) : 0;
    const wait = res.start >= 0 && req.end >= 0 ? ms(res.start - req.end) : -1;
    const receive = res.end >= res.start && res.start >= 0 ? ms(res.end - res.start) : -1;
    const comments: string[] = [];
    if (x.pushed) comments.push("server push");
    if (x.reset !== undefined) comments.push(`stream reset with error code ${x.reset}`);
    if (res.fields === undefined) comments.push("no response in the capture");
    else if (!res.ended) comments.push("response incomplete in the capture");

    return {
      startedDateTime: new Date(Math.max(0, req.start) * 1000).toISOString(),
      time: send + Math.max(0, wait) + Math.max(0, receive),
      request: {
        method,
        url,
        httpVersion: x.protocol,
        cookies: parseCookies(reqFields),
        headers: headers(reqFields),
        queryString: parseQuery(path),
        ...(postData ? { postData } : {}),
        headersSize: -1,
        bodySize: req.size,
      },
      response: {
        status,
        statusText: "",
        httpVersion: x.protocol,
        cookies: parseSetCookies(resFields),
        headers: [...headers(resFields), ...trailers],
        content,
        redirectURL: get(resFields, "location") ?? "",
        headersSize: -1,
        bodySize: res.fields === undefined ? -1 : res.size,
      },
      cache: {},
      timings: { blocked: -1, dns: -1, connect: -1, ssl: -1, send, wait, receive },
      ...(this.servers.has(x.connection) ? { serverIPAddress: this.servers.get(x.connection)! } : {}),
      connection: String(x.connection),
      ...(comments.length ? { comment: comments.join("; ") } : {}),
    };
  }

  private async content(body: Uint8Array, m: Message, fields: readonly CaptureHeaderField[]): Promise<HarResponse["content"]> {
    const mimeType = fields.find((f) => f.name === "content-type")?.value ?? "";
    const coding = fields
      .filter((f) => f.name === "content-encoding")
      .flatMap((f) => f.value.split(","))
      .map((c) => c.trim().toLowerCase())
      .filter((c) => c !== "" && c !== "identity");
    let decoded = body;
    let note: string | undefined = m.kept < m.size ? `body truncated to ${m.kept} of ${m.size} octets` : undefined;
    let wasDecoded = coding.length === 0;
    if (coding.length > 0 && this.decompress && m.kept === m.size) {
      const result = await decodeContent(body, coding);
      if (result) {
        decoded = result;
        wasDecoded = true;
      } else note = `content-encoding ${coding.join(", ")} not decoded on this platform`;
    } else if (coding.length > 0) note ??= `content-encoding ${coding.join(", ")} not decoded`;
    const size = wasDecoded ? decoded.length : m.size;
    const base = { size, ...(wasDecoded && coding.length > 0 ? { compression: decoded.length - m.size } : {}), mimeType };
    const text = wasDecoded && isText(mimeType) && isUtf8(decoded);
    return {
      ...base,
      ...(decoded.length === 0
        ? {}
        : text
          ? { text: new TextDecoder().decode(decoded) }
          : { text: base64Encode(decoded), encoding: "base64" as const }),
      ...(note ? { comment: note } : {}),
    };
  }
}

/**
 * Builds a HAR log from capture events (an iterable or async iterable, such
 * as {@link decodeCapture}'s output).
 */
export async function captureToHar(events: Iterable<CaptureEvent> | AsyncIterable<CaptureEvent>, options: HarOptions = {}): Promise<Har> {
  const b = new HarBuilder(options);
  for await (const e of events) b.add(e);
  return b.build();
}

const FORMATS: Record<string, string> = { gzip: "gzip", "x-gzip": "gzip", deflate: "deflate", br: "brotli" };

/** Undoes the content codings (applied in order, so undone in reverse); undefined when the platform cannot. */
async function decodeContent(body: Uint8Array, codings: readonly string[]): Promise<Uint8Array | undefined> {
  const DS = (globalThis as { DecompressionStream?: new (format: string) => TransformStream<Uint8Array, Uint8Array> }).DecompressionStream;
  if (!DS) return undefined;
  let out = body;
  for (const c of [...codings].reverse()) {
    const format = FORMATS[c];
    if (!format) return undefined;
    try {
      const ds = new DS(format);
      const writer = ds.writable.getWriter();
      void writer.write(out).catch(() => undefined);
      void writer.close().catch(() => undefined);
      const parts: Uint8Array[] = [];
      const reader = ds.readable.getReader();
      for (;;) {
        const r = await reader.read();
        if (r.done) break;
        parts.push(r.value);
      }
      out = concatBytes(parts);
    } catch {
      return undefined;
    }
  }
  return out;
}

function isText(mimeType: string): boolean {
  const t = mimeType.split(";")[0]!.trim().toLowerCase();
  return (
    t.startsWith("text/") ||
    t.endsWith("+json") ||
    t.endsWith("+xml") ||
    ["application/json", "application/javascript", "application/xml", "application/x-www-form-urlencoded", "image/svg+xml"].includes(t)
  );
}

function isUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

function parseQuery(path: string): HarNameValue[] {
  const q = path.indexOf("?");
  if (q < 0) return [];
  const out: HarNameValue[] = [];
  for (const part of path
    .slice(q + 1)
    .split("#")[0]!
    .split("&")) {
    if (part === "") continue;
    const eq = part.indexOf("=");
    const decode = (s: string) => {
      try {
        return decodeURIComponent(s.replace(/\+/g, " "));
      } catch {
        return s;
      }
    };
    out.push(eq < 0 ? { name: decode(part), value: "" } : { name: decode(part.slice(0, eq)), value: decode(part.slice(eq + 1)) });
  }
  return out;
}

function parseCookies(fields: readonly CaptureHeaderField[]): HarNameValue[] {
  // HTTP/2 and HTTP/3 may split `cookie` into several fields (RFC 9113 §8.2.3).
  return fields
    .filter((f) => f.name === "cookie")
    .flatMap((f) => f.value.split(";"))
    .map((c) => c.trim())
    .filter((c) => c !== "")
    .map((c) => {
      const eq = c.indexOf("=");
      return eq < 0 ? { name: c, value: "" } : { name: c.slice(0, eq), value: c.slice(eq + 1) };
    });
}

function parseSetCookies(fields: readonly CaptureHeaderField[]): HarNameValue[] {
  return fields
    .filter((f) => f.name === "set-cookie")
    .map((f) => {
      const pair = f.value.split(";")[0]!.trim();
      const eq = pair.indexOf("=");
      return eq < 0 ? { name: pair, value: "" } : { name: pair.slice(0, eq), value: pair.slice(eq + 1) };
    });
}
