/**
 * The TLS handshake messages a QUIC capture reads from CRYPTO data:
 * ClientHello (SNI, ALPN, client random, supported versions, QUIC transport
 * parameters), ServerHello (cipher suite) and EncryptedExtensions (ALPN).
 * Interim: to be replaced by the capture's TLS handshake parsers.
 * @internal
 */
import { decodeTransportParameters, type TransportParameters } from "../../quic/transport-parameters.js";

export interface ClientHelloInfo {
  readonly random: Uint8Array;
  readonly serverName?: string;
  readonly alpn: string[];
  readonly tlsVersions: number[];
  readonly cipherSuites: number[];
  readonly transportParameters?: TransportParameters;
  /** The transport parameters broke a rule of RFC 9000 §18.2 (the message). */
  readonly transportParametersError?: string;
}

export interface ServerHelloInfo {
  readonly random: Uint8Array;
  readonly cipherSuite: number;
}

function u16(b: Uint8Array, p: number): number {
  return (b[p]! << 8) | b[p + 1]!;
}

/** Splits an extensions block into (type, body) pairs; `undefined` when malformed. */
function extensions(b: Uint8Array, p: number): Map<number, Uint8Array> | undefined {
  const out = new Map<number, Uint8Array>();
  if (p === b.length) return out;
  if (p + 2 > b.length) return undefined;
  const end = p + 2 + u16(b, p);
  if (end > b.length) return undefined;
  p += 2;
  while (p + 4 <= end) {
    const type = u16(b, p);
    const len = u16(b, p + 2);
    if (p + 4 + len > end) return undefined;
    out.set(type, b.subarray(p + 4, p + 4 + len));
    p += 4 + len;
  }
  return out;
}

function alpnList(b: Uint8Array | undefined): string[] {
  const out: string[] = [];
  if (b === undefined || b.length < 2) return out;
  const end = Math.min(b.length, 2 + u16(b, 0));
  for (let p = 2; p < end; ) {
    const n = b[p]!;
    out.push(String.fromCharCode(...b.subarray(p + 1, Math.min(p + 1 + n, end))));
    p += 1 + n;
  }
  return out;
}

/** Reads a ClientHello body (after the 4-byte handshake header); `undefined` when malformed. */
export function parseClientHello(b: Uint8Array): ClientHelloInfo | undefined {
  if (b.length < 38) return undefined;
  const random = b.slice(2, 34);
  let p = 34;
  p += 1 + b[p]!; // session ID
  if (p + 2 > b.length) return undefined;
  const suitesLen = u16(b, p);
  const cipherSuites: number[] = [];
  for (let i = 0; i + 1 < suitesLen && p + 2 + i + 1 < b.length; i += 2) cipherSuites.push(u16(b, p + 2 + i));
  p += 2 + suitesLen;
  if (p >= b.length) return undefined;
  p += 1 + b[p]!; // compression methods
  const ext = extensions(b, p);
  if (ext === undefined) return undefined;
  let serverName: string | undefined;
  const sni = ext.get(0);
  if (sni !== undefined && sni.length >= 5 && sni[2] === 0) {
    const n = u16(sni, 3);
    serverName = String.fromCharCode(...sni.subarray(5, 5 + n));
  }
  const tlsVersions: number[] = [];
  const sv = ext.get(43);
  if (sv !== undefined) for (let i = 1; i + 1 < sv.length && i < 1 + sv[0]!; i += 2) tlsVersions.push(u16(sv, i));
  const tp = ext.get(0x39);
  let transport: TransportParameters | undefined;
  let transportError: string | undefined;
  try {
    if (tp !== undefined) transport = decodeTransportParameters(tp, { sender: "client" });
  } catch (e) {
    transportError = e instanceof Error ? e.message : String(e);
  }
  return {
    random,
    ...(serverName === undefined ? {} : { serverName }),
    alpn: alpnList(ext.get(16)),
    tlsVersions,
    cipherSuites,
    ...(transport === undefined ? {} : { transportParameters: transport }),
    ...(transportError === undefined ? {} : { transportParametersError: transportError }),
  };
}

/** Reads a ServerHello body; `undefined` when malformed. */
export function parseServerHello(b: Uint8Array): ServerHelloInfo | undefined {
  if (b.length < 38) return undefined;
  const p = 34 + 1 + b[34]!;
  if (p + 2 > b.length) return undefined;
  return { random: b.slice(2, 34), cipherSuite: u16(b, p) };
}

/** The ALPN protocol an EncryptedExtensions body selects, if any. */
export function parseEncryptedExtensionsAlpn(b: Uint8Array): string | undefined {
  const ext = extensions(b, 0);
  return ext === undefined ? undefined : alpnList(ext.get(16))[0];
}
