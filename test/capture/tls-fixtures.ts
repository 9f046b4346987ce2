/**
 * The recorded TLS, h2c-upgrade and CONNECT captures of fixtures/captures/tls/
 * (scripts/record-tls-captures.ts), with what each holds and how tshark is
 * told to read it.
 */
import { existsSync, readFileSync } from "node:fs";
import { CaptureDecoder, type CaptureDecoderOptions, type CaptureEvent } from "httpwire/capture";
import { fixturePath } from "../helpers/corpora.js";

/** One recorded capture. */
export interface TlsFixture {
  readonly name: string;
  /** The server ports (the proxy's and the target's for a tunnel). */
  readonly serverPorts: readonly number[];
  /** How tshark decodes each port. */
  readonly tsharkPorts: readonly [number, "tls" | "http" | "http2"][];
  /** Whether the fixture has a key log beside it (NAME.keys). */
  readonly keys: boolean;
  /** The TLS version and suite of its (first) HTTP/2 connection, when over TLS. */
  readonly tls?: { readonly version: string; readonly cipherSuiteName: string };
  /** How many HTTP/2 connections it holds. */
  readonly connections: number;
}

export const TLS_FIXTURES: readonly TlsFixture[] = [
  {
    name: "tls13-aes128gcm",
    serverPorts: [18443],
    tsharkPorts: [[18443, "tls"]],
    keys: true,
    connections: 1,
    tls: { version: "TLS 1.3", cipherSuiteName: "TLS_AES_128_GCM_SHA256" },
  },
  {
    name: "tls13-aes256gcm",
    serverPorts: [18443],
    tsharkPorts: [[18443, "tls"]],
    keys: true,
    connections: 1,
    tls: { version: "TLS 1.3", cipherSuiteName: "TLS_AES_256_GCM_SHA384" },
  },
  {
    name: "tls13-chacha20",
    serverPorts: [18443],
    tsharkPorts: [[18443, "tls"]],
    keys: true,
    connections: 1,
    tls: { version: "TLS 1.3", cipherSuiteName: "TLS_CHACHA20_POLY1305_SHA256" },
  },
  {
    name: "tls12-aes128gcm",
    serverPorts: [18443],
    tsharkPorts: [[18443, "tls"]],
    keys: true,
    connections: 1,
    tls: { version: "TLS 1.2", cipherSuiteName: "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256" },
  },
  {
    name: "tls12-aes256gcm",
    serverPorts: [18443],
    tsharkPorts: [[18443, "tls"]],
    keys: true,
    connections: 1,
    tls: { version: "TLS 1.2", cipherSuiteName: "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384" },
  },
  {
    name: "tls12-chacha20",
    serverPorts: [18443],
    tsharkPorts: [[18443, "tls"]],
    keys: true,
    connections: 1,
    tls: { version: "TLS 1.2", cipherSuiteName: "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256" },
  },
  {
    name: "node-http2",
    serverPorts: [18444],
    tsharkPorts: [[18444, "tls"]],
    keys: true,
    connections: 1,
    tls: { version: "TLS 1.3", cipherSuiteName: "TLS_AES_256_GCM_SHA384" },
  },
  {
    name: "tls13-keyupdate",
    serverPorts: [18445],
    tsharkPorts: [[18445, "tls"]],
    keys: true,
    connections: 1,
    tls: { version: "TLS 1.3", cipherSuiteName: "TLS_AES_256_GCM_SHA384" },
  },
  {
    name: "tls13-embedded-secrets",
    serverPorts: [18443],
    tsharkPorts: [[18443, "tls"]],
    keys: false,
    connections: 1,
    tls: { version: "TLS 1.3", cipherSuiteName: "TLS_AES_128_GCM_SHA256" },
  },
  { name: "h2c-upgrade", serverPorts: [18446], tsharkPorts: [[18446, "http"]], keys: false, connections: 1 },
  {
    name: "connect-tls",
    serverPorts: [18447, 18443],
    tsharkPorts: [
      [18447, "http"],
      [18443, "tls"],
    ],
    keys: true,
    connections: 2,
    tls: { version: "TLS 1.3", cipherSuiteName: "TLS_AES_256_GCM_SHA384" },
  },
  {
    name: "connect-h2c",
    serverPorts: [18447, 18448],
    // With 18447 forced to HTTP, tshark misses the first segment of the tunnel; its own HTTP heuristics find the CONNECT.
    tsharkPorts: [[18448, "http2"]],
    keys: false,
    connections: 2,
  },
];

/** A file of fixtures/captures/tls/. */
export function tlsFixturePath(file: string): string {
  return fixturePath("captures", "tls", file);
}

/** The fixture's capture bytes. */
export function tlsCapture(f: TlsFixture): Uint8Array {
  return new Uint8Array(readFileSync(tlsFixturePath(`${f.name}.pcapng`)));
}

/** The fixture's key log text ("" when it has none). */
export function tlsKeys(f: TlsFixture): string {
  const p = tlsFixturePath(`${f.name}.keys`);
  return f.keys && existsSync(p) ? readFileSync(p, "utf8") : "";
}

/** Decodes bytes in one push with the options given. */
export function decodeBytes(bytes: Uint8Array, options: CaptureDecoderOptions = {}): CaptureEvent[] {
  const d = new CaptureDecoder(options);
  return [...d.push(bytes), ...d.end()];
}

/** Decodes a fixture with its key log. */
export function decodeFixture(f: TlsFixture, options: CaptureDecoderOptions = {}): CaptureEvent[] {
  return decodeBytes(tlsCapture(f), { keyLog: tlsKeys(f), ...options });
}
