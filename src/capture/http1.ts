/**
 * Just enough HTTP/1.1 (RFC 9112) for a capture to follow a connection into
 * HTTP/2: the head of the first request and of its response, so that an
 * `Upgrade: h2c` answered with `101` (RFC 7540 §3.2) and a `CONNECT` tunnel
 * answered with `2xx` (RFC 9110 §9.3.6) can be followed. Message bodies are
 * skipped by `Content-Length`; nothing else of HTTP/1.1 is decoded.
 * @internal
 */

import { latin1Decode } from "../shared/latin1.js";
import { PendingBytes } from "../shared/pending.js";
import type { HeaderField } from "../upgrade/index.js";

/**
 * The largest message head read (request or status line plus fields): 64 KiB,
 * four times Node's default `--max-http-header-size` (16 KiB): lenient for an
 * observer, and bounded. A longer head is named and its connection skipped.
 */
export const MAX_HTTP1_HEAD = 64 * 1024;

/** A request or response head. */
export interface Http1Head {
  /** Request: the method; response: undefined. */
  readonly method: string | undefined;
  /** Request: the request target. */
  readonly target: string | undefined;
  /** Response: the status code. */
  readonly status: number | undefined;
  readonly version: string;
  readonly headers: readonly HeaderField[];
  /** Bytes of the head, CRLF CRLF included. */
  readonly length: number;
}

const REQUEST_LINE = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+) (\S+) HTTP\/(1\.[01])$/;
const STATUS_LINE = /^HTTP\/(1\.[01]) ([0-9]{3})(?: .*)?$/;

/**
 * Whether bytes start like an HTTP/1.1 request line: a method token, a space,
 * and (when the line is complete) a target and `HTTP/1.x`.
 */
export function looksLikeHttp1Request(head: Uint8Array): boolean {
  const n = Math.min(head.length, 256);
  let i = 0;
  while (i < n && isTokenChar(head[i]!)) i++;
  if (i === 0 || i > 20 || i >= n || head[i] !== 0x20) return false;
  let end = -1;
  for (let j = i; j + 1 < n; j++) {
    if (head[j] === 0x0d && head[j + 1] === 0x0a) {
      end = j;
      break;
    }
  }
  if (end < 0) return head.length < 256 && n === head.length;
  return REQUEST_LINE.test(latin1Decode(head, 0, end));
}

function isTokenChar(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x2d;
}

/**
 * Reads one message head from a byte stream fed in chunks. Holds at most
 * {@link MAX_HTTP1_HEAD} bytes.
 */
export class Http1HeadReader {
  private readonly held = new PendingBytes();
  private searched = 0;

  constructor(private readonly kind: "request" | "response") {}

  /**
   * Adds bytes. Returns the head once complete, with the bytes after it;
   * `"too-long"` or `"malformed"` when this is not a head this reader takes.
   */
  push(bytes: Uint8Array): { head: Http1Head; rest: Uint8Array } | "need-more" | "too-long" | "malformed" {
    this.held.append(bytes);
    const b = this.held.view();
    for (let i = Math.max(0, this.searched - 3); i + 3 < b.length && i <= MAX_HTTP1_HEAD; i++) {
      if (b[i] === 0x0d && b[i + 1] === 0x0a && b[i + 2] === 0x0d && b[i + 3] === 0x0a) {
        if (i + 4 > MAX_HTTP1_HEAD) return "too-long";
        const head = parseHead(latin1Decode(b, 0, i), this.kind, i + 4);
        if (head === undefined) return "malformed";
        return { head, rest: b.slice(i + 4) };
      }
    }
    this.searched = b.length;
    return b.length > MAX_HTTP1_HEAD ? "too-long" : "need-more";
  }
}

function parseHead(text: string, kind: "request" | "response", length: number): Http1Head | undefined {
  const lines = text.split("\r\n");
  const first = lines[0]!;
  const headers: HeaderField[] = [];
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(":");
    if (colon <= 0) return undefined;
    headers.push({ name: line.slice(0, colon), value: line.slice(colon + 1).trim() });
  }
  if (kind === "request") {
    const m = REQUEST_LINE.exec(first);
    if (m === null) return undefined;
    return { method: m[1]!, target: m[2]!, status: undefined, version: m[3]!, headers, length };
  }
  const m = STATUS_LINE.exec(first);
  if (m === null) return undefined;
  return { method: undefined, target: undefined, status: Number(m[2]), version: m[1]!, headers, length };
}

/** The value of the first field named `name` (case-insensitive). */
export function headerValue(head: Http1Head, name: string): string | undefined {
  const lower = name.toLowerCase();
  return head.headers.find((h) => h.name.toLowerCase() === lower)?.value;
}

/** Fields of HTTP/1.1 that do not exist in HTTP/2 (RFC 9113 §8.2.2), and Host (it becomes `:authority`). */
const NOT_IN_HTTP2 = new Set(["connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade", "http2-settings", "host"]);

/**
 * The HTTP/2 field list of an upgraded HTTP/1.1 request (RFC 7540 §3.2: it
 * is stream 1's request): pseudo-header fields first, then the other fields
 * lowercased, without the connection-specific ones.
 */
export function upgradedRequestFields(head: Http1Head): HeaderField[] {
  const fields: HeaderField[] = [
    { name: ":method", value: head.method ?? "" },
    { name: ":scheme", value: "http" },
  ];
  const host = headerValue(head, "host");
  if (host !== undefined) fields.push({ name: ":authority", value: host });
  fields.push({ name: ":path", value: head.target ?? "" });
  for (const h of head.headers) if (!NOT_IN_HTTP2.has(h.name.toLowerCase())) fields.push({ name: h.name.toLowerCase(), value: h.value });
  return fields;
}
