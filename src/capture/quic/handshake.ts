/**
 * The TLS handshake messages a QUIC capture reads from CRYPTO data, through
 * the capture's TLS parsers (src/capture/tls/hello.ts), plus the
 * quic_transport_parameters extension (0x39, RFC 9001 §8.2) decoded with
 * httpwire/quic.
 * @internal
 */
import { decodeTransportParameters, type TransportParameters } from "../../quic/transport-parameters.js";
import { parseClientHello, parseEncryptedExtensions, parseServerHello } from "../tls/hello.js";

/** What a QUIC connection learns from the client's ClientHello. */
export interface ClientHelloInfo {
  readonly random: Uint8Array;
  readonly serverName?: string;
  readonly alpn: string[];
  readonly transportParameters?: TransportParameters;
  /** The transport parameters broke a rule of RFC 9000 §18.2 (the message). */
  readonly transportParametersError?: string;
}

const QUIC_TRANSPORT_PARAMETERS = 0x39;

/**
 * The body of the quic_transport_parameters extension of a ClientHello
 * body. Interim: the TLS ClientHello parser is asked to return it
 * (/work/wt/tls-core-inbox.md); until then the extensions are walked here.
 */
function transportParametersExtension(b: Uint8Array): Uint8Array | undefined {
  let p = 34; // legacy_version, random
  if (p >= b.length) return undefined;
  p += 1 + b[p]!; // session ID
  if (p + 2 > b.length) return undefined;
  p += 2 + ((b[p]! << 8) | b[p + 1]!); // cipher suites
  if (p >= b.length) return undefined;
  p += 1 + b[p]!; // compression methods
  if (p + 2 > b.length) return undefined;
  const end = Math.min(b.length, p + 2 + ((b[p]! << 8) | b[p + 1]!));
  for (p += 2; p + 4 <= end; ) {
    const type = (b[p]! << 8) | b[p + 1]!;
    const len = (b[p + 2]! << 8) | b[p + 3]!;
    if (type === QUIC_TRANSPORT_PARAMETERS) return b.subarray(p + 4, Math.min(end, p + 4 + len));
    p += 4 + len;
  }
  return undefined;
}

/** Reads a ClientHello body (after the 4-byte handshake header); `undefined` when malformed. */
export function readClientHello(b: Uint8Array): ClientHelloInfo | undefined {
  let ch: ReturnType<typeof parseClientHello>;
  try {
    ch = parseClientHello(b);
  } catch {
    return undefined;
  }
  const tp = transportParametersExtension(b);
  let transport: TransportParameters | undefined;
  let transportError: string | undefined;
  try {
    if (tp !== undefined) transport = decodeTransportParameters(tp, { sender: "client" });
  } catch (e) {
    transportError = e instanceof Error ? e.message : String(e);
  }
  return {
    random: ch.random,
    ...(ch.serverName === undefined ? {} : { serverName: ch.serverName }),
    alpn: ch.alpn,
    ...(transport === undefined ? {} : { transportParameters: transport }),
    ...(transportError === undefined ? {} : { transportParametersError: transportError }),
  };
}

/** The cipher suite a ServerHello body chose; `undefined` when malformed. */
export function readServerHelloSuite(b: Uint8Array): number | undefined {
  try {
    return parseServerHello(b).cipherSuite;
  } catch {
    return undefined;
  }
}

/** What a QUIC connection learns from the server's EncryptedExtensions. */
export interface EncryptedExtensionsInfo {
  /** The ALPN protocol the server selects, if any. */
  readonly alpn?: string;
  /** The server's transport parameters (RFC 9000 §18), when present and valid. */
  readonly transportParameters?: TransportParameters;
}

/** Reads an EncryptedExtensions body; `undefined` when malformed. */
export function readEncryptedExtensions(b: Uint8Array): EncryptedExtensionsInfo | undefined {
  let ee: ReturnType<typeof parseEncryptedExtensions>;
  try {
    ee = parseEncryptedExtensions(b);
  } catch {
    return undefined;
  }
  let transport: TransportParameters | undefined;
  try {
    if (ee.quicTransportParameters !== undefined) transport = decodeTransportParameters(ee.quicTransportParameters, { sender: "server" });
  } catch {
    // invalid server parameters: the defaults apply (idle timeout cap, no reset token)
  }
  return {
    ...(ee.alpn === undefined ? {} : { alpn: ee.alpn }),
    ...(transport === undefined ? {} : { transportParameters: transport }),
  };
}
