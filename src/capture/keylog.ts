/**
 * TLS key logs in the NSS key log format (the `SSLKEYLOGFILE` that curl,
 * browsers, Node, OpenSSL and GnuTLS write, and the text inside a pcapng
 * Decryption Secrets Block), plus the older `RSA Session-ID:… Master-Key:…`
 * lines Wireshark also accepts.
 *
 * A key log never makes decoding fail: a malformed line is reported with its
 * line number and skipped; `#` comments, blank lines and unknown labels are
 * skipped silently.
 *
 * @module
 */

import { parseHex, toHex } from "../shared/hex.js";
import { digest } from "./crypto.js";

/** The labels of a TLS 1.3 secret (RFC 8446 §7.1), keyed by the ClientHello's random. */
export type Tls13SecretLabel =
  | "CLIENT_EARLY_TRAFFIC_SECRET"
  | "CLIENT_HANDSHAKE_TRAFFIC_SECRET"
  | "SERVER_HANDSHAKE_TRAFFIC_SECRET"
  | "CLIENT_TRAFFIC_SECRET_0"
  | "SERVER_TRAFFIC_SECRET_0"
  | "EXPORTER_SECRET";

/** Every label a {@link KeyLogEntry} can have. `"RSA"` is the `RSA Session-ID:… Master-Key:…` form. */
export type KeyLogLabel = "CLIENT_RANDOM" | Tls13SecretLabel | "RSA";

/**
 * One secret of a key log.
 *
 * - `CLIENT_RANDOM`: the TLS 1.2 (or earlier) 48-byte master secret of the
 *   handshake whose ClientHello carried `clientRandom`;
 * - the TLS 1.3 labels: a traffic secret (32 or 48 bytes, the suite's hash
 *   length) of that handshake;
 * - `RSA`: the 48-byte master secret of the TLS ≤ 1.2 session `sessionId`.
 *
 * `clientRandom` and `sessionId` are lowercase hex.
 */
export type KeyLogEntry =
  | {
      /** The NSS key log label. */
      readonly label: "CLIENT_RANDOM" | Tls13SecretLabel;
      /** The ClientHello random that names the connection, in lowercase hex. */
      readonly clientRandom: string;
      /** The master secret (`CLIENT_RANDOM`) or the TLS 1.3 secret the label names. */
      readonly secret: Uint8Array;
    }
  | {
      /** The `RSA Session-ID:… Master-Key:…` form. */
      readonly label: "RSA";
      /** The session ID that names the session, in lowercase hex. */
      readonly sessionId: string;
      /** The 48-byte master secret. */
      readonly secret: Uint8Array;
    };

/** A key log line that could not be read; `line` counts from 1. */
export interface KeyLogProblem {
  /** The line's number, from 1. */
  readonly line: number;
  /** What is wrong with it. */
  readonly message: string;
}

/** What {@link parseKeyLog} found. */
export interface ParsedKeyLog {
  /** The lines read, in order. */
  readonly entries: KeyLogEntry[];
  /** The lines that could not be read, in order. */
  readonly problems: KeyLogProblem[];
}

const RANDOM_LABELS: ReadonlySet<string> = new Set<KeyLogLabel>([
  "CLIENT_RANDOM",
  "CLIENT_EARLY_TRAFFIC_SECRET",
  "CLIENT_HANDSHAKE_TRAFFIC_SECRET",
  "SERVER_HANDSHAKE_TRAFFIC_SECRET",
  "CLIENT_TRAFFIC_SECRET_0",
  "SERVER_TRAFFIC_SECRET_0",
  "EXPORTER_SECRET",
]);

/** How many TLS 1.2 sessions a {@link KeyLog} remembers for resumption. */
export const MAX_LEARNED_SESSIONS = 4096;

/** Reads one line; returns an entry, a problem message, or `null` (skipped silently). */
function parseLine(line: string): KeyLogEntry | string | null {
  const text = line.trim();
  if (text === "" || text.startsWith("#")) return null;
  const fields = text.split(/\s+/);
  const label = fields[0]!;
  if (label === "RSA") {
    // RSA Session-ID:<hex> Master-Key:<hex>
    const id = fields[1];
    const mk = fields[2];
    if (fields.length !== 3 || id === undefined || mk === undefined || !id.startsWith("Session-ID:") || !mk.startsWith("Master-Key:")) {
      return "expected RSA Session-ID:<hex> Master-Key:<hex>";
    }
    const sessionId = parseHex(id.slice("Session-ID:".length));
    if (sessionId === null || sessionId.length === 0 || sessionId.length > 32) return "Session-ID is not 1 to 32 bytes of hex";
    const secret = parseHex(mk.slice("Master-Key:".length));
    if (secret === null || secret.length !== 48) return "Master-Key is not 48 bytes of hex";
    return { label: "RSA", sessionId: toHex(sessionId), secret };
  }
  if (!RANDOM_LABELS.has(label)) return null;
  if (fields.length !== 3) return `${label} needs 2 fields (client random, secret), got ${fields.length - 1}`;
  const random = parseHex(fields[1]!);
  if (random === null || random.length !== 32) return `${label}: the client random is not 32 bytes of hex`;
  const secret = parseHex(fields[2]!);
  if (label === "CLIENT_RANDOM") {
    if (secret === null || secret.length !== 48) return "CLIENT_RANDOM: the master secret is not 48 bytes of hex";
  } else if (secret === null || (secret.length !== 32 && secret.length !== 48)) {
    return `${label}: the secret is not 32 or 48 bytes of hex`;
  }
  return { label: label as "CLIENT_RANDOM" | Tls13SecretLabel, clientRandom: toHex(random), secret };
}

/**
 * Parses key log text. Lines end with LF or CRLF. Never throws.
 *
 * @example
 * ```ts
 * import { parseKeyLog } from "httpwire/capture";
 * const { entries, problems } = parseKeyLog(`# from curl\nCLIENT_RANDOM ${"ab".repeat(32)} ${"cd".repeat(48)}\nCLIENT_RANDOM zz\n`);
 * console.log(entries.length, problems); // 1 [ { line: 3, message: 'CLIENT_RANDOM needs 2 fields (client random, secret), got 1' } ]
 * ```
 */
export function parseKeyLog(text: string): ParsedKeyLog {
  const entries: KeyLogEntry[] = [];
  const problems: KeyLogProblem[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const r = parseLine(lines[i]!);
    if (r === null) continue;
    if (typeof r === "string") problems.push({ line: i + 1, message: r });
    else entries.push(r);
  }
  return { entries, problems };
}

function normaliseId(id: Uint8Array | string): string {
  return typeof id === "string" ? id.toLowerCase() : toHex(id);
}

/**
 * The secrets known so far, looked up by label and client random (or, for
 * `RSA` lines, by session ID). Secrets may be added at any time: a pcapng
 * Decryption Secrets Block can arrive in the middle of a file. A later entry
 * for the same label and client random replaces the earlier one.
 *
 * @example
 * ```ts
 * import { KeyLog } from "httpwire/capture";
 * const clientRandom = new Uint8Array(32).fill(1);
 * const keys = new KeyLog(`CLIENT_RANDOM ${"01".repeat(32)} ${"ab".repeat(48)}\n`);
 * // addText returns the problems of this text (here a client random of 2 bytes).
 * keys.addText("CLIENT_RANDOM 0102 abab\n").length; // => 1
 * keys.get("CLIENT_RANDOM", clientRandom); // => new Uint8Array(48).fill(0xab)
 * ```
 */
export class KeyLog {
  private readonly secrets = new Map<string, Uint8Array>();
  private readonly problemList: KeyLogProblem[] = [];
  private readonly learned = new Map<string, Uint8Array>();

  /** @param source key log text, or entries already parsed */
  constructor(source?: string | Iterable<KeyLogEntry>) {
    if (typeof source === "string") this.addText(source);
    else if (source !== undefined) this.add(source);
  }

  /**
   * Parses and adds `text`; returns the problems of this text (line numbers
   * count from 1 within it). They are also kept in {@link problems}.
   */
  addText(text: string): KeyLogProblem[] {
    const { entries, problems } = parseKeyLog(text);
    this.add(entries);
    for (const p of problems) this.problemList.push(p);
    return problems;
  }

  /** Adds parsed entries (one or many). */
  add(entries: KeyLogEntry | Iterable<KeyLogEntry>): void {
    const list: Iterable<KeyLogEntry> = "label" in entries ? [entries as KeyLogEntry] : (entries as Iterable<KeyLogEntry>);
    for (const e of list) {
      const id = e.label === "RSA" ? e.sessionId : e.clientRandom;
      this.secrets.set(`${e.label} ${id.toLowerCase()}`, e.secret);
    }
  }

  /** The secret with `label` for the handshake whose ClientHello carried `clientRandom` (bytes or hex). */
  get(label: "CLIENT_RANDOM" | Tls13SecretLabel, clientRandom: Uint8Array | string): Uint8Array | undefined {
    return this.secrets.get(`${label} ${normaliseId(clientRandom)}`);
  }

  /** Whether any secret is known for `clientRandom`. */
  hasClientRandom(clientRandom: Uint8Array | string): boolean {
    const id = normaliseId(clientRandom);
    for (const label of RANDOM_LABELS) if (this.secrets.has(`${label} ${id}`)) return true;
    return false;
  }

  /** The master secret of TLS ≤ 1.2 session `sessionId` from an `RSA Session-ID:` line. */
  rsaMasterKey(sessionId: Uint8Array | string): Uint8Array | undefined {
    return this.secrets.get(`RSA ${normaliseId(sessionId)}`);
  }

  /**
   * Remembers the master secret of a TLS 1.2 session decrypted in full, by
   * its session ID or ticket, so that a later connection resuming it (an
   * abbreviated handshake) can be decrypted too. At most
   * {@link MAX_LEARNED_SESSIONS} are kept, the oldest dropped first.
   * @internal
   */
  rememberSession(kind: "session-id" | "ticket", id: Uint8Array, masterSecret: Uint8Array): void {
    if (id.length === 0) return;
    const key = `${kind} ${kind === "ticket" ? toHex(digest("sha256", id)) : toHex(id)}`;
    this.learned.delete(key);
    this.learned.set(key, masterSecret);
    if (this.learned.size > MAX_LEARNED_SESSIONS) this.learned.delete(this.learned.keys().next().value!);
  }

  /** The master secret remembered by {@link rememberSession}. @internal */
  resumedSession(kind: "session-id" | "ticket", id: Uint8Array): Uint8Array | undefined {
    if (id.length === 0) return undefined;
    return this.learned.get(`${kind} ${kind === "ticket" ? toHex(digest("sha256", id)) : toHex(id)}`);
  }

  /** How many secrets are held (from key log text and entries, not counting remembered sessions). */
  get size(): number {
    return this.secrets.size;
  }

  /** Every problem met by {@link addText} so far, in order. */
  get problems(): readonly KeyLogProblem[] {
    return this.problemList;
  }
}
