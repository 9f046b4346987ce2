/**
 * Every call the probes (`probes.ts`) and the whole-against-chunked checks
 * (`targets.ts`) make into a stateful decoder goes through this file, so an
 * API rename (event `type` spellings, `push(chunk, out)`, the `sender`
 * option, new limit options) is adapted here, in one place.
 *
 * Each adapter turns a decoder into a {@link Feeder}: `push` one chunk,
 * `end` the input, and `outcome()`: a plain value (events reduced to
 * comparable data, and the first error as `{ error: reason }`) that must be
 * the same however the input was cut into chunks.
 *
 * Modules are loaded dynamically, as in `targets.ts`: an adapter whose
 * module or class is missing returns `undefined` and its probes are skipped.
 */
import { HttpwireError } from "../../src/shared/errors.js";

// biome-ignore lint/suspicious/noExplicitAny: these adapters call untyped JavaScript packages and more than one version of our API
type Any = any;

/** A stateful decoder behind one interface. */
export interface Feeder {
  /** Feeds one chunk; never throws (an error is recorded in the outcome and later pushes are ignored). */
  push(chunk: Uint8Array): void;
  /** Ends the input (for decoders that have an end); never throws. */
  end(): void;
  /** What the decoder produced, as comparable data. */
  outcome(): unknown;
  /** The error that stopped the decoder, if any (an error other than HttpwireError is a finding). */
  readonly failure: unknown;
}

/** The modules, loaded once. */
export interface Modules {
  readonly hpack: Any;
  readonly http2: Any;
  readonly http3: Any;
  readonly qpack: Any;
  readonly capture: Any;
  readonly upgrade: Any;
  readonly altSvc: Any;
}

let modules: Modules | undefined;

/** Loads every codec module (missing ones become `{}`). */
export async function loadModules(): Promise<Modules> {
  if (modules !== undefined) return modules;
  const load = async (f: () => Promise<unknown>): Promise<Any> => {
    try {
      return await f();
    } catch {
      return {};
    }
  };
  modules = {
    hpack: await load(() => import("../../src/hpack/index.js")),
    http2: await load(() => import("../../src/http2/index.js")),
    http3: await load(() => import("../../src/http3/index.js")),
    qpack: await load(() => import("../../src/qpack/index.js")),
    capture: await load(() => import("../../src/capture/index.js")),
    upgrade: await load(() => import("../../src/upgrade/index.js")),
    altSvc: await load(() => import("../../src/alt-svc/index.js")),
  };
  return modules;
}

/** An error as comparable data: its class, code and reason (offsets and messages may name chunk positions). */
export function errorOutcome(e: unknown): unknown {
  if (e instanceof HttpwireError) return { error: e.name, code: e.code, reason: e.reason };
  return { error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
}

/**
 * Calls `push(chunk, out)` so both the current API (returns a new array)
 * and the conventions' API (appends to `out` as events complete, also when
 * it throws) collect every event.
 */
function pushInto(d: Any, chunk: Uint8Array, out: unknown[]): void {
  const ret = d.push(chunk, out);
  if (Array.isArray(ret) && ret !== out) for (const e of ret) out.push(e);
}

/** A Feeder from push/end functions that append events to a list (emptied after each call unless `keep`). */
function feeder(
  push: (chunk: Uint8Array, out: unknown[]) => void,
  end: (out: unknown[]) => void,
  reduce: (e: Any) => unknown = (e) => e,
  keep = true,
): Feeder {
  let events: unknown[] = [];
  let failure: unknown;
  let ended = false;
  return {
    push(chunk) {
      if (failure !== undefined || ended) return;
      try {
        push(chunk, events);
      } catch (e) {
        failure = e;
      }
      if (!keep) events = [];
    },
    end() {
      if (failure !== undefined || ended) return;
      ended = true;
      try {
        end(events);
      } catch (e) {
        failure = e;
      }
    },
    outcome() {
      const out = events.map(reduce);
      if (failure !== undefined) out.push(errorOutcome(failure));
      return out;
    },
    get failure() {
      return failure;
    },
  };
}

// ---------------------------------------------------------------- hpack

/** `HpackDecoder.write` fed fragment by fragment (one block); outcome: the fields. */
export function hpackWriter(m: Modules, options: Record<string, unknown> = {}): Feeder | undefined {
  if (typeof m.hpack.HpackDecoder !== "function") return undefined;
  const d = new m.hpack.HpackDecoder(options);
  if (typeof d.write !== "function") return undefined;
  return feeder(
    (c, out) => {
      for (const f of d.write(c)) out.push(f);
    },
    () => d.end(),
    (f) => ({ name: f.name, value: f.value }),
  );
}

/** An `HpackEncoder` whose peer announced SETTINGS_HEADER_TABLE_SIZE = `peerTableSize`. */
export function hpackEncoderForPeer(
  m: Modules,
  peerTableSize: number,
): { encode(fields: { name: string; value: string }[]): Uint8Array; tableSize(): number; entries(): number } | undefined {
  if (typeof m.hpack.HpackEncoder !== "function") return undefined;
  const e = new m.hpack.HpackEncoder();
  e.setMaxTableSize(peerTableSize);
  return {
    encode: (fields) => e.encode(fields),
    tableSize: () => e.dynamicTable().size,
    entries: () => e.dynamicTable().entries.length,
  };
}

// ---------------------------------------------------------------- http2

/** `FrameDecoder` (field blocks joined, a fresh HPACK decoder attached unless `hpack` is given); outcome: the events. */
export function http2Decoder(m: Modules, options: Record<string, unknown> = {}): Feeder | undefined {
  if (typeof m.http2.FrameDecoder !== "function") return undefined;
  const hpack = typeof m.hpack.HpackDecoder === "function" ? new m.hpack.HpackDecoder() : undefined;
  const d = new m.http2.FrameDecoder({ hpack, ...options });
  return feeder(
    (c, out) => pushInto(d, c, out),
    (out) => {
      const ret = d.end?.(out);
      if (Array.isArray(ret) && ret !== out) for (const e of ret) out.push(e);
    },
    reduceEvent,
  );
}

// ---------------------------------------------------------------- http3

/** `Http3FrameDecoder` on a stream of the given kind. */
export function http3Decoder(
  m: Modules,
  stream: "control" | "request" | "push" | "any",
  options: Record<string, unknown> = {},
): Feeder | undefined {
  if (typeof m.http3.Http3FrameDecoder !== "function") return undefined;
  const d = new m.http3.Http3FrameDecoder({ stream, ...options });
  return feeder(
    (c, out) => pushInto(d, c, out),
    (out) => {
      const ret = d.end(out);
      if (Array.isArray(ret) && ret !== out) for (const e of ret) out.push(e);
    },
    reduceEvent,
  );
}

/**
 * HTTP/3 DATA is delivered in pieces as it arrives (`data` events after a
 * `data-start`), so consecutive pieces are joined into one before whole and
 * chunked outcomes are compared (offsets of the pieces are dropped: they
 * depend on the cuts).
 */
export function mergeDataPieces(events: unknown[]): unknown[] {
  const out: Any[] = [];
  for (const e of events as Any[]) {
    const last = out[out.length - 1];
    const piece = e !== null && typeof e === "object" && e.type === "data" && e.data instanceof Uint8Array;
    if (piece && last !== undefined && last.type === "data") {
      const joined = new Uint8Array(last.data.length + e.data.length);
      joined.set(last.data);
      joined.set(e.data, last.data.length);
      out[out.length - 1] = { type: "data", data: joined, end: e.end };
    } else if (piece) out.push({ type: "data", data: e.data, end: e.end });
    else out.push(e);
  }
  return out;
}

// ---------------------------------------------------------------- qpack

/** A QPACK decoder behind plain functions. */
export interface QpackDecoderAdapter {
  /**
   * Encoder-stream bytes; appends the sections they unblocked to `out`, as
   * comparable data, also those unblocked before an error it then throws.
   */
  encoderStream(chunk: Uint8Array, out: unknown[]): void;
  /** One encoded field section; returns `{ blocked }` or the fields, as comparable data. */
  section(streamId: number | bigint, bytes: Uint8Array): unknown;
  /** Whether a partial instruction is held. */
  readonly hasPending: boolean;
}

const fieldsOf = (fs: Any[]): unknown[] => fs.map((f: Any) => ({ name: f.name, value: f.value }));

/** `QpackDecoder` with the given options (our SETTINGS_QPACK_MAX_TABLE_CAPACITY etc.). */
export function qpackDecoder(
  m: Modules,
  options: { maxTableCapacity: number; maxBlockedStreams?: number; initialTableCapacity?: number },
): QpackDecoderAdapter | undefined {
  if (typeof m.qpack.QpackDecoder !== "function") return undefined;
  const d = new m.qpack.QpackDecoder({ maxBlockedStreams: 16, ...options });
  return {
    encoderStream(chunk, out) {
      const unblocked: Any[] = [];
      try {
        d.onEncoderStream(chunk, unblocked);
      } finally {
        for (const u of unblocked)
          out.push({
            streamId: String(u.streamId),
            status: u.status,
            fields: fieldsOf(u.fields ?? []),
            error: u.error?.reason,
          });
      }
    },
    section(streamId, bytes) {
      const r = d.decodeFieldSection(streamId, bytes);
      const id = String(streamId);
      return r.status === "decoded" ? { streamId: id, status: "decoded", fields: fieldsOf(r.fields) } : { streamId: id, status: r.status };
    },
    get hasPending() {
      return d.hasPendingInstruction === true;
    },
  };
}

/**
 * `QpackDecoder.onEncoderStream` as a Feeder; outcome: the unblocked
 * sections. `sections` are decoded first (they block until the inserts they
 * need arrive).
 */
export function qpackEncoderStreamFeeder(
  m: Modules,
  options: { maxTableCapacity: number; initialTableCapacity?: number; maxBlockedStreams?: number },
  sections: readonly { streamId: number | bigint; bytes: Uint8Array }[] = [],
): Feeder | undefined {
  const d = qpackDecoder(m, options);
  if (d === undefined) return undefined;
  const first: unknown[] = [];
  let early: unknown;
  try {
    for (const s of sections) first.push(d.section(s.streamId, s.bytes));
  } catch (e) {
    early = e;
  }
  const f = feeder(
    (c, out) => {
      if (early !== undefined) throw early;
      d.encoderStream(c, out);
    },
    () => {
      if (early !== undefined) throw early;
    },
  );
  return {
    ...f,
    push: f.push,
    end: f.end,
    outcome: () => [...first, ...(f.outcome() as unknown[])],
    get failure() {
      return f.failure;
    },
  };
}

/** A `QpackEncoder` built from the peer's SETTINGS_QPACK_MAX_TABLE_CAPACITY, as docs/qpack.md says to. */
export function qpackEncoderForPeer(m: Modules, peerCapacity: number): unknown {
  if (typeof m.qpack.QpackEncoder !== "function") return undefined;
  return new m.qpack.QpackEncoder({ maxTableCapacity: peerCapacity, maxBlockedStreams: 16 });
}

/** A `QpackDecoder` advertising `capacity` (a CLI user's `--capacity`, or a large local setting). */
export function qpackDecoderWithCapacity(m: Modules, capacity: number): unknown {
  if (typeof m.qpack.QpackDecoder !== "function") return undefined;
  return new m.qpack.QpackDecoder({ maxTableCapacity: capacity, maxBlockedStreams: 16 });
}

// ---------------------------------------------------------------- capture

/**
 * `CaptureDecoder` (any input kind, detected); outcome: the events, errors
 * reduced to their reason. `keepEvents: false` drops events as they come
 * (memory probes measure what the decoder keeps, not what the caller does).
 */
export function captureDecoder(
  m: Modules,
  options: Record<string, unknown> & { keepEvents?: boolean } = {},
): (Feeder & { readonly decoder: unknown }) | undefined {
  if (typeof m.capture.CaptureDecoder !== "function") return undefined;
  const { keepEvents, ...decoderOptions } = options;
  const d = new m.capture.CaptureDecoder(decoderOptions);
  const f = feeder(
    (c, out) => pushInto(d, c, out),
    (out) => {
      const ret = d.end(out);
      if (Array.isArray(ret) && ret !== out) for (const e of ret) out.push(e);
    },
    reduceEvent,
    keepEvents !== false,
  );
  return Object.assign(f, { decoder: d });
}

/** A `TcpTracker` that counts what its sink receives. */
export function tcpTracker(
  m: Modules,
  options: Record<string, unknown> = {},
):
  | {
      segment(seg: unknown, time: number): void;
      end(): void;
      readonly bytes: number;
      readonly gaps: number;
      readonly tracker: unknown;
    }
  | undefined {
  if (typeof m.capture.TcpTracker !== "function") return undefined;
  const state = { bytes: 0, gaps: 0 };
  const sink = {
    open: () => undefined,
    data: (_c: unknown, _d: unknown, b: Uint8Array) => {
      state.bytes += b.length;
    },
    gap: () => {
      state.gaps++;
    },
    close: () => undefined,
  };
  const t = new m.capture.TcpTracker(sink, options);
  return {
    segment: (seg, time) => t.segment(seg, time),
    end: () => t.end(0),
    get bytes() {
      return state.bytes;
    },
    get gaps() {
      return state.gaps;
    },
    tracker: t,
  };
}

// ---------------------------------------------------------------- upgrade, alt-svc

/** The upgrade helpers with one `Upgrade` field value (server and client side). */
export function upgradeCalls(m: Modules): { accept(upgrade: string): void; judge(upgrade: string): void } | undefined {
  const u = m.upgrade;
  if (typeof u.acceptUpgrade !== "function" || typeof u.judgeUpgradeResponse !== "function") return undefined;
  const req = u.buildUpgradeRequest({ httpVersion: "1.1", protocol: "websocket", authority: "example.com", path: "/" });
  return {
    accept: (upgrade) =>
      u.acceptUpgrade(
        {
          method: "GET",
          headers: [
            { name: "host", value: "example.com" },
            { name: "connection", value: `Upgrade, ${upgrade}` },
            { name: "upgrade", value: upgrade },
            { name: "sec-websocket-protocol", value: upgrade },
          ],
        },
        { httpVersion: "1.1", supported: ["websocket"], websocketProtocols: ["chat"] },
      ),
    judge: (upgrade) =>
      u.judgeUpgradeResponse(req, {
        status: 101,
        headers: [
          { name: "connection", value: `upgrade, ${upgrade}` },
          { name: "upgrade", value: upgrade },
          { name: "sec-websocket-extensions", value: upgrade },
        ],
      }),
  };
}

/** `parseAltSvc` on one value; errors are the parser's answer, not a finding. */
export function altSvcCall(m: Modules): ((value: string) => void) | undefined {
  if (typeof m.altSvc.parseAltSvc !== "function") return undefined;
  return (value) => {
    try {
      m.altSvc.parseAltSvc(value);
    } catch (e) {
      if (!(e instanceof HttpwireError)) throw e;
    }
  };
}

// ---------------------------------------------------------------- events

/**
 * An event as comparable data: typed arrays stay (compared by content),
 * errors become `{ error, code, reason }`, decoded header fields keep name
 * and value only, and objects are walked one level deep.
 */
export function reduceEvent(e: Any): unknown {
  if (e === null || typeof e !== "object") return e;
  if (e instanceof Error) return errorOutcome(e);
  if (e instanceof Uint8Array) return e;
  if (Array.isArray(e)) return e.map(reduceEvent);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(e)) {
    if (v instanceof Error) out[k] = errorOutcome(v);
    else if (Array.isArray(v))
      out[k] = v.map((x: Any) =>
        x !== null && typeof x === "object" && "name" in x && "value" in x ? { name: x.name, value: x.value } : reduceEvent(x),
      );
    else if (v !== null && typeof v === "object" && !(v instanceof Uint8Array)) out[k] = reduceEvent(v);
    else out[k] = v;
  }
  return out;
}
