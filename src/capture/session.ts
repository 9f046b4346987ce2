/**
 * What runs on one TCP connection, found from its first client bytes on any
 * port: TLS (decrypted with the key log, then what is inside), the HTTP/2
 * client preface, or an HTTP/1.1 request that upgrades to h2c or opens a
 * CONNECT tunnel (whose bytes are then sniffed again). Each stage is a
 * {@link Layer}; a stage that learns what comes next replaces itself in its
 * {@link Slot} and hands over the bytes it held.
 *
 * Every path ends in the same {@link H2Layer} (two `H2Direction`s), so
 * decrypted and upgraded HTTP/2 gives exactly the frames, fields and errors
 * of cleartext HTTP/2.
 * @internal
 */
import { type Setting, SettingsId } from "../http2/index.js";
import { PendingBytes } from "../shared/pending.js";
import { acceptH2cUpgrade } from "../upgrade/index.js";
import { CLIENT_PREFACE } from "./detect.js";
import type { CaptureEvent, CaptureHeaderField, NoticeReason } from "./events.js";
import { type FieldBlockDecoder, H2Direction } from "./h2-connection.js";
import { type Http1Head, Http1HeadReader, headerValue, looksLikeHttp1Request, upgradedRequestFields } from "./http1.js";
import type { KeyLog } from "./keylog.js";
import type { Direction, Endpoint } from "./tcp.js";
import { looksLikeTls, type TlsEvent, type TlsInfo, TlsStream } from "./tls/stream.js";

/**
 * Zeros filled in for missing DATA bytes of one direction, at most: this
 * many times the bytes the capture holds of it, plus {@link MIN_GAP_FILL}.
 * Enough for captures cut by a snapshot length of about 100 bytes of payload
 * per 1,500-byte segment; beyond it the gap stops the direction.
 */
export const MAX_GAP_FILL_RATIO = 16;
/** Zeros any direction may get regardless of {@link MAX_GAP_FILL_RATIO}. */
export const MIN_GAP_FILL = 64 * 1024;

/** What every stage needs from the capture decoder. */
export interface SessionEnv {
  readonly emit: (e: CaptureEvent) => void;
  readonly makeHpack: () => FieldBlockDecoder | undefined;
  readonly keyLog: KeyLog;
  /** Server ports named as HTTP/2 (decoded without a preface). */
  readonly h2Ports: ReadonlySet<number>;
  /** Bytes held per connection while its protocol is not known yet. */
  readonly maxHeld: number;
  /** The next connection number. */
  nextConnection(): number;
}

/** Where a byte stream runs and how it was reached. */
export interface Origin {
  readonly client: Endpoint;
  readonly server: Endpoint;
  readonly openTime: number;
  readonly tls?: TlsInfo;
  readonly via?: "h2c-upgrade" | "connect";
  /** The CONNECT tunnel's target (`host:port`). */
  readonly tunnel?: string;
}

/** One stage of a connection. */
export interface Layer {
  data(dir: Direction, bytes: Uint8Array, time: number): void;
  gap(dir: Direction, missing: number, time: number): void;
  close(dir: Direction, how: "fin" | "rst" | "end", time: number): void;
  /** The connection number, once HTTP/2 was found. */
  readonly connection: number | undefined;
}

/** Holds the current stage of a byte stream. */
export interface Slot {
  layer: Layer;
}

const C2S: Direction = "client-to-server";
const S2C: Direction = "server-to-client";

/** A stage that ignores everything (not HTTP/2, or given up). */
class Ignored implements Layer {
  readonly connection = undefined;
  data(): void {}
  gap(): void {}
  close(): void {}
}

const IGNORED = new Ignored();

/** Bytes and closes held for a stage that does not exist yet, in capture order. */
class Held {
  private chunks: { dir: Direction; bytes: Uint8Array; time: number }[] = [];
  readonly closes: [Direction, "fin" | "rst" | "end", number][] = [];
  /** The client's held bytes, joined (what a sniffer looks at). */
  readonly client = new PendingBytes();
  length = 0;

  add(dir: Direction, bytes: Uint8Array, time: number): void {
    if (bytes.length === 0) return;
    // A copy: the caller's chunk may be reused once push() returns.
    this.chunks.push({ dir, bytes: bytes.slice(), time });
    if (dir === C2S) this.client.append(bytes);
    this.length += bytes.length;
  }

  closed(dir: Direction): boolean {
    return this.closes.some((c) => c[0] === dir);
  }

  /** Hands everything to `next` in capture order, then the closes; stops if `next` is replaced. */
  replay(next: Layer, slot: Slot): void {
    const chunks = this.chunks;
    this.chunks = [];
    this.client.clear();
    this.length = 0;
    for (const c of chunks) {
      if (slot.layer !== next) return;
      next.data(c.dir, c.bytes, c.time);
    }
    for (const [dir, how, time] of this.closes) next.close(dir, how, time);
  }
}

function endpoints(o: Origin): string {
  return `${o.client.address}:${o.client.port} -> ${o.server.address}:${o.server.port}`;
}

function notice(env: SessionEnv, origin: Origin, reason: NoticeReason, message: string, time: number, tls?: TlsInfo): void {
  env.emit({
    type: "notice",
    reason,
    message,
    time,
    client: origin.client,
    server: origin.server,
    ...(tls === undefined ? {} : { tls }),
    ...(origin.tunnel === undefined ? {} : { tunnel: origin.tunnel }),
  });
}

/** How a sniffer decides when the client's bytes say nothing. */
interface SniffMode {
  /** A server port named as HTTP/2, or ALPN h2: decode as HTTP/2 (preface optional). */
  readonly h2: boolean;
  /** TLS may be found (not inside TLS). */
  readonly tls: boolean;
  /** HTTP/1.1 may be found (not inside TLS with ALPN h2). */
  readonly http1: boolean;
}

/**
 * The first stage: holds both directions until the client's first bytes tell
 * what the connection carries, then hands over to the next stage.
 */
export class SniffLayer implements Layer {
  private readonly held = new Held();
  readonly connection = undefined;

  constructor(
    private readonly env: SessionEnv,
    private readonly slot: Slot,
    private readonly origin: Origin,
    private readonly mode: SniffMode,
  ) {}

  data(dir: Direction, bytes: Uint8Array, time: number): void {
    this.held.add(dir, bytes, time);
    if (dir === C2S) this.decide(false);
    else if (this.held.closed(C2S)) this.decide(true);
    if (this.slot.layer === this && this.held.length > this.env.maxHeld) this.slot.layer = IGNORED;
  }

  gap(dir: Direction, missing: number, time: number): void {
    // A hole before the protocol is known: an HTTP/2 port decodes on (the H2 layer judges the hole), anything else is given up.
    if (this.mode.h2) {
      this.switchTo(this.h2());
      this.slot.layer.gap(dir, missing, time);
    } else this.slot.layer = IGNORED;
  }

  close(dir: Direction, how: "fin" | "rst" | "end", time: number): void {
    this.held.closes.push([dir, how, time]);
    if (dir === C2S || this.held.closed(C2S)) this.decide(true);
  }

  private decide(final: boolean): void {
    const head = this.held.client.view();
    if (head.length === 0 && !final) return;
    if (this.mode.tls && looksLikeTls(head)) {
      this.switchTo(new TlsLayer(this.env, this.origin));
      return;
    }
    if (head.length > 0 && startsLikePreface(head)) {
      if (head.length < CLIENT_PREFACE.length && !final) return;
      if (head.length >= CLIENT_PREFACE.length) {
        this.switchTo(this.h2());
        return;
      }
    }
    if (this.mode.tls && !final && head.length < 6 && head[0] === 0x16) return; // maybe a TLS record header, cut short
    if (this.mode.http1 && head.length > 0 && looksLikeHttp1Request(head)) {
      this.switchTo(new Http1Layer(this.env, this.slot, this.origin));
      return;
    }
    if (this.mode.h2) {
      this.switchTo(this.h2());
      return;
    }
    if (final || head.length >= CLIENT_PREFACE.length) this.slot.layer = IGNORED;
  }

  private h2(): H2Layer {
    return new H2Layer(this.env, this.origin);
  }

  private switchTo(next: Layer): void {
    this.slot.layer = next;
    this.held.replay(next, this.slot);
  }
}

function startsLikePreface(b: Uint8Array): boolean {
  for (let i = 0; i < b.length && i < CLIENT_PREFACE.length; i++) if (b[i] !== CLIENT_PREFACE[i]) return false;
  return true;
}

/** The h2c upgrade that started an HTTP/2 connection. */
interface Upgrade {
  readonly fields: readonly CaptureHeaderField[];
  readonly settings: readonly Setting[];
  readonly time: number;
}

/** HTTP/2 in both directions: the last stage of every path. */
export class H2Layer implements Layer {
  readonly connection: number;
  private readonly c2s: H2Direction;
  private readonly s2c: H2Direction;
  private readonly captured = { [C2S]: 0, [S2C]: 0 } as Record<Direction, number>;
  private readonly filled = { [C2S]: 0, [S2C]: 0 } as Record<Direction, number>;

  constructor(
    private readonly env: SessionEnv,
    origin: Origin,
    upgrade?: Upgrade,
  ) {
    const n = env.nextConnection();
    this.connection = n;
    this.c2s = new H2Direction(n, C2S, "optional", env.makeHpack(), env.emit, "client");
    this.s2c = new H2Direction(n, S2C, "none", env.makeHpack(), env.emit, "server");
    this.c2s.peer = this.s2c;
    this.s2c.peer = this.c2s;
    env.emit({
      type: "open",
      connection: n,
      client: origin.client,
      server: origin.server,
      time: origin.openTime,
      ...(origin.tls === undefined ? {} : { tls: origin.tls }),
      ...(origin.via === undefined ? {} : { via: origin.via }),
      ...(origin.tunnel === undefined ? {} : { tunnel: origin.tunnel }),
    });
    if (upgrade !== undefined) {
      env.emit({ type: "upgrade", connection: n, time: upgrade.time, streamId: 1, fields: upgrade.fields, settings: upgrade.settings });
      // RFC 7540 §3.2.1: HTTP2-Settings is the client's SETTINGS, acknowledged by the 101 itself, so it governs the server's frames from the start.
      let headerTableSize: number | undefined;
      let maxFrameSize: number | undefined;
      for (const s of upgrade.settings) {
        if (s.id === SettingsId.SETTINGS_HEADER_TABLE_SIZE) headerTableSize = s.value;
        else if (s.id === SettingsId.SETTINGS_MAX_FRAME_SIZE) maxFrameSize = s.value;
      }
      this.s2c.applySettings({ headerTableSize, maxFrameSize });
    }
  }

  private dir(d: Direction): H2Direction {
    return d === C2S ? this.c2s : this.s2c;
  }

  data(dir: Direction, bytes: Uint8Array, time: number): void {
    this.captured[dir] += bytes.length;
    this.dir(dir).data(bytes, time);
  }

  gap(dir: Direction, missing: number, time: number): void {
    const d = this.dir(dir);
    if (d.stopped) return;
    // Zeros for missing DATA bytes are bounded by what the capture holds of this direction, so a
    // truncated record claiming 64 KiB cannot turn into 200 times its size in zeros.
    const filled = this.filled[dir] + missing;
    if (filled > MAX_GAP_FILL_RATIO * this.captured[dir] + MIN_GAP_FILL) {
      d.stopped = true;
      this.env.emit({ type: "gap", connection: this.connection, direction: dir, time, missing, recovered: false });
      return;
    }
    this.filled[dir] = filled;
    d.gap(missing, time);
  }

  close(dir: Direction, how: "fin" | "rst" | "end", time: number): void {
    this.dir(dir).finish(time, how !== "rst");
    this.env.emit({ type: "close", connection: this.connection, direction: dir, time, how });
  }
}

/** HTTP/1.1 until an `Upgrade: h2c` answered with 101, or a CONNECT answered with 2xx. */
class Http1Layer implements Layer {
  readonly connection = undefined;
  private readonly requestReader = new Http1HeadReader("request");
  private responseReader = new Http1HeadReader("response");
  private request: Http1Head | undefined;
  private requestTime = 0;
  /** Request body bytes still to skip. */
  private bodyLeft = 0;
  /** Client bytes after the request (and its body), held until the response says what they are. */
  private readonly held = new Held();
  /** Server bytes before the request was complete. */
  private early: Uint8Array[] = [];
  private earlyLength = 0;

  constructor(
    private readonly env: SessionEnv,
    private readonly slot: Slot,
    private readonly origin: Origin,
  ) {}

  data(dir: Direction, bytes: Uint8Array, time: number): void {
    if (dir === C2S && this.request === undefined) {
      const r = this.requestReader.push(bytes);
      if (r === "need-more") return;
      if (typeof r === "string") {
        this.skip(time, `HTTP/1.1 request head ${r === "too-long" ? "longer than 64 KiB" : "malformed"}`);
        return;
      }
      this.request = r.head;
      this.requestTime = time;
      const length = headerValue(r.head, "content-length");
      this.bodyLeft = length !== undefined && /^[0-9]{1,15}$/.test(length) ? Number(length) : 0;
      bytes = r.rest;
      if (headerValue(r.head, "transfer-encoding") !== undefined) {
        this.skip(time, `HTTP/1.1 ${r.head.method} ${r.head.target} with a chunked body`);
        return;
      }
      // Server bytes that came before the request was complete: read now as the response.
      const early = this.early;
      this.early = [];
      this.earlyLength = 0;
      this.data(C2S, bytes, time);
      for (const e of early) if (this.slot.layer === this) this.response(e, time);
      return;
    }
    if (dir === C2S && this.bodyLeft > 0) {
      const n = Math.min(this.bodyLeft, bytes.length);
      this.bodyLeft -= n;
      bytes = bytes.subarray(n);
    }
    if (dir === S2C) {
      if (this.request !== undefined) {
        this.response(bytes, time);
        return;
      }
      this.early.push(bytes.slice());
      this.earlyLength += bytes.length;
    } else this.held.add(dir, bytes, time);
    if (this.held.length + this.earlyLength > this.env.maxHeld) this.slot.layer = IGNORED;
  }

  private response(bytes: Uint8Array, time: number): void {
    const r = this.responseReader.push(bytes);
    if (r === "need-more") return;
    const req = this.request!;
    if (typeof r === "string") {
      this.skip(time, `HTTP/1.1 response to ${req.method} ${req.target}: head ${r === "too-long" ? "longer than 64 KiB" : "malformed"}`);
      return;
    }
    const status = r.head.status!;
    const upgradeTo = headerValue(r.head, "upgrade")?.toLowerCase();
    if (status === 101 && upgradeTo === "h2c") {
      const decision = acceptH2cUpgrade({ method: req.method!, headers: req.headers });
      const settings = decision.accepted ? (decision.http2Settings ?? []) : [];
      const fields = upgradedRequestFields(req);
      const next = new H2Layer(this.env, { ...this.origin, via: "h2c-upgrade" }, { fields, settings, time: this.requestTime });
      if (!decision.accepted && decision.error !== undefined) {
        this.env.emit({ type: "error", connection: next.connection, direction: C2S, time: this.requestTime, error: decision.error });
      }
      this.switchTo(next, r.rest, time);
      return;
    }
    if (status >= 100 && status < 200 && status !== 101) {
      // An interim response (100 Continue): the final one follows.
      this.responseReader = new Http1HeadReader("response");
      if (r.rest.length > 0) this.response(r.rest, time);
      return;
    }
    if (req.method === "CONNECT" && status >= 200 && status < 300) {
      const inner: Slot = { layer: IGNORED };
      const tunnel = new TunnelLayer(inner);
      inner.layer = new SniffLayer(
        this.env,
        inner,
        { ...this.origin, via: "connect", tunnel: req.target! },
        { h2: false, tls: true, http1: false },
      );
      this.switchTo(tunnel, r.rest, time);
      return;
    }
    this.skip(time, `HTTP/1.1 ${req.method} ${req.target} answered ${status}, not upgraded to HTTP/2`);
  }

  private switchTo(next: Layer, serverRest: Uint8Array, time: number): void {
    this.slot.layer = next;
    // The server's bytes after its response head first: it speaks first in HTTP/2 after a 101, and a
    // tunnel's client bytes (a ClientHello) come before, but the layers read each direction on its own.
    if (serverRest.length > 0) next.data(S2C, serverRest, time);
    this.held.replay(next, this.slot);
  }

  private skip(time: number, what: string): void {
    this.slot.layer = IGNORED;
    notice(this.env, this.origin, "http1-not-http2", `${endpoints(this.origin)}: ${what}: skipped`, time);
  }

  gap(_dir: Direction, _missing: number, _time: number): void {
    this.slot.layer = IGNORED;
  }

  close(dir: Direction, how: "fin" | "rst" | "end", time: number): void {
    this.held.closes.push([dir, how, time]);
  }
}

/** The bytes inside a CONNECT tunnel: a byte stream of its own, sniffed again. */
class TunnelLayer implements Layer {
  constructor(private readonly inner: Slot) {}
  get connection(): number | undefined {
    return this.inner.layer.connection;
  }
  data(dir: Direction, bytes: Uint8Array, time: number): void {
    this.inner.layer.data(dir, bytes, time);
  }
  gap(dir: Direction, missing: number, time: number): void {
    this.inner.layer.gap(dir, missing, time);
  }
  close(dir: Direction, how: "fin" | "rst" | "end", time: number): void {
    this.inner.layer.close(dir, how, time);
  }
}

/** Why a TLS connection was not decrypted, in words. */
function undecryptable(reason: string, info: TlsInfo): string {
  switch (reason) {
    case "no-keys":
      return `no keys in the key log for client random ${info.clientRandom}`;
    case "wrong-keys":
      return `the key log's secrets for client random ${info.clientRandom} do not decrypt it (a key log of another session?)`;
    case "unsupported-cipher-suite":
      return `cipher suite ${info.cipherSuiteName ?? "?"} cannot be decrypted (only AEAD suites can; RFC 9113 §9.2.2 forbids the others for HTTP/2)`;
    case "incomplete-handshake":
      return "the capture ends before the handshake does";
    default:
      return reason;
  }
}

/** TLS, decrypted with the key log; the plaintext is sniffed again (ALPN h2: HTTP/2). */
export class TlsLayer implements Layer {
  private readonly tls: TlsStream;
  private readonly out: TlsEvent[] = [];
  private inner: Slot | undefined;
  private info: TlsInfo | undefined;
  private done = false;
  private readonly dead = { [C2S]: false, [S2C]: false } as Record<Direction, boolean>;
  private closes = 0;

  constructor(
    private readonly env: SessionEnv,
    private readonly origin: Origin,
  ) {
    this.tls = new TlsStream(env.keyLog);
  }

  get connection(): number | undefined {
    return this.inner?.layer.connection;
  }

  data(dir: Direction, bytes: Uint8Array, time: number): void {
    if (this.done) return;
    this.tls.push(dir, bytes, this.out);
    this.handle(time);
  }

  gap(dir: Direction, missing: number, time: number): void {
    if (this.done) return;
    this.tls.gap(dir, missing, this.out);
    this.handle(time);
  }

  close(dir: Direction, how: "fin" | "rst" | "end", time: number): void {
    if (++this.closes === 2 && !this.done) {
      this.tls.end(this.out);
      this.handle(time);
    }
    if (this.inner !== undefined) this.inner.layer.close(dir, this.dead[dir] ? "rst" : how, time);
  }

  private handle(time: number): void {
    const out = this.out.splice(0);
    for (const e of out) {
      if (this.done) return;
      switch (e.type) {
        case "tls-handshake":
          this.info = e.info;
          if (e.info.alpn !== undefined && e.info.alpn !== "h2") {
            this.done = true;
            notice(
              this.env,
              this.origin,
              "alpn-not-h2",
              `${endpoints(this.origin)}: ${describeTls(e.info)}: not HTTP/2${e.info.decryptable ? "" : " (and the cipher suite is not decryptable)"}: skipped`,
              time,
              e.info,
            );
          } else if (e.info.decryptable) this.makeInner(e.info);
          break;
        case "tls-data":
          if (this.inner === undefined) this.makeInner(this.tls.info);
          this.inner!.layer.data(e.direction, e.data, time);
          break;
        case "tls-undecryptable": {
          this.done = true;
          notice(
            this.env,
            this.origin,
            `tls-${e.reason}` as NoticeReason,
            `${endpoints(this.origin)}: ${describeTls(e.info)}: not decrypted: ${undecryptable(e.reason, e.info)}`,
            time,
            e.info,
          );
          break;
        }
        case "tls-error":
          this.dead[e.direction] = true;
          this.env.emit({ type: "error", connection: this.connection, direction: e.direction, time, error: e.error });
          break;
      }
    }
  }

  private makeInner(info: TlsInfo): void {
    if (this.inner !== undefined) return;
    const inner: Slot = { layer: IGNORED };
    const h2 = info.alpn === "h2";
    inner.layer = new SniffLayer(this.env, inner, { ...this.origin, tls: info }, { h2, tls: false, http1: !h2 });
    this.inner = inner;
  }
}

/** "TLS 1.3 TLS_AES_128_GCM_SHA256, SNI example.com, ALPN h2" (what is known). */
export function describeTls(info: TlsInfo): string {
  const parts = [info.version];
  if (info.cipherSuiteName !== undefined) parts[0] += ` ${info.cipherSuiteName}`;
  if (info.serverName !== undefined) parts.push(`SNI ${info.serverName}`);
  if (info.alpn !== undefined) parts.push(`ALPN ${info.alpn}`);
  else if (info.alpnOffered.length > 0) parts.push(`ALPN offered ${info.alpnOffered.join(",")}`);
  return parts.join(", ");
}

/** A TCP connection's stages, from the first sniffer on. */
export class TcpSession implements Slot {
  layer: Layer;
  private closes = 0;
  constructor(env: SessionEnv, origin: Origin) {
    this.layer = new SniffLayer(env, this, origin, { h2: env.h2Ports.has(origin.server.port), tls: true, http1: true });
  }
  /** Both directions closed: the session can be forgotten. */
  closed(): boolean {
    return ++this.closes >= 2;
  }
}
