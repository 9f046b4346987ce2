/**
 * Writing the HTTP/1.1 head of an upgrade request or response (RFC 9112
 * §3, §4), for callers that speak HTTP/1.1 over their own socket.
 * @module
 */

import { isToken } from "../shared/field-list.js";
import type { UpgradeRequest } from "./client.js";
import type { HeaderField } from "./fields.js";
import type { UpgradeResponseHead } from "./server.js";

const REASON: Readonly<Record<number, string>> = {
  101: "Switching Protocols",
  200: "OK",
  400: "Bad Request",
  426: "Upgrade Required",
  501: "Not Implemented",
};

function lines(headers: readonly HeaderField[]): string {
  let out = "";
  for (const f of headers) {
    if (f.name.startsWith(":")) throw new TypeError(`Cannot write an HTTP/1.1 head: "${f.name}" is a pseudo-header`);
    if (!isToken(f.name)) throw new TypeError("Cannot write an HTTP/1.1 head: a field name is not a token");
    // RFC 9110 §5.5: CR, LF and NUL never appear in a field value; writing one would
    // split the head (response splitting), so it is refused, not escaped.
    for (let k = 0; k < f.value.length; k++) {
      const c = f.value.charCodeAt(k);
      if (c === 0 || c === 0x0a || c === 0x0d || c > 0xff)
        throw new TypeError(`Cannot write an HTTP/1.1 head: the value of "${f.name}" has a forbidden character`);
    }
    out += `${f.name}: ${f.value}\r\n`;
  }
  return `${out}\r\n`;
}

/**
 * The HTTP/1.1 request head: request line, fields, empty line.
 *
 * @throws TypeError if the request is not an HTTP/1.1 one, or a field is a
 *   pseudo-header, has a name that is not a token, or a value with CR, LF,
 *   NUL or a character above 0xff.
 * @example
 * ```ts
 * formatHttp1Request(buildH2cUpgradeRequest({ authority: "server.example.com", settings: [] }));
 * // "GET / HTTP/1.1\r\nHost: server.example.com\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: \r\n\r\n"
 * ```
 */
export function formatHttp1Request(request: UpgradeRequest): string {
  if (request.httpVersion !== "1.1") throw new TypeError(`Cannot write an HTTP/1.1 head for an HTTP/${request.httpVersion} request`);
  return `${request.method} ${request.path} HTTP/1.1\r\n${lines(request.headers)}`;
}

/**
 * The HTTP/1.1 response head: status line, fields, empty line.
 *
 * @throws TypeError for a status that is not a three-digit integer, or a
 *   field as {@link formatHttp1Request} refuses it.
 * @example
 * ```ts
 * formatHttp1Response({ status: 101, headers: [{ name: "Connection", value: "Upgrade" }, { name: "Upgrade", value: "h2c" }] });
 * // "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n"
 * ```
 */
export function formatHttp1Response(response: UpgradeResponseHead): string {
  const s = response.status;
  if (!Number.isInteger(s) || s < 100 || s > 999)
    throw new TypeError(`Cannot write an HTTP/1.1 head: status ${String(s)} is not a three-digit integer`);
  return `HTTP/1.1 ${response.status} ${REASON[response.status] ?? ""}\r\n${lines(response.headers)}`;
}
