/**
 * Arbitraries for HTTP/3 frames (RFC 9114 §7.2, RFC 9218 §7.2): valid frames
 * with the value they stand for, and malformed frames with the RFC 9114 §8.1
 * error a receiver must answer with. Bytes are built by hand from the RFC
 * layouts (Type and Length are QUIC varints, RFC 9114 §7.1).
 * @module
 */

import type { Arbitrary } from "fast-check";
import * as fc from "fast-check";
import { FrameType } from "../http3/frame-type.js";
import { concatBytes, latin1Bytes, minimalVarintLength, varint, varintBytes } from "./bytes.js";
import type { ExpectedError, MalformedCase } from "./expected.js";
import { varintEncoding, varintValue } from "./varint.js";

/**
 * HTTP/3 frame types (RFC 9114 §7.2, §11.2.1; RFC 9218 §7.2):
 * `httpwire/http3`'s `FrameType`. Frames are built by hand from the RFC
 * layouts, not with the codec's encoder.
 */
export const H3 = FrameType;

/** HTTP/2 frame types reserved in HTTP/3 (RFC 9114 §7.2.8, §11.2.1). */
export const H3_RESERVED_HTTP2_TYPES: readonly number[] = [0x02, 0x06, 0x08, 0x09];
/** HTTP/2 setting identifiers reserved in HTTP/3 (RFC 9114 §7.2.4.1, §11.2.2). */
export const H3_RESERVED_SETTINGS: readonly number[] = [0x00, 0x02, 0x03, 0x04, 0x05];

/**
 * The decoded form of a generated HTTP/3 frame, shaped like
 * `httpwire/http3`'s `Http3Frame`: `type` is the wire type, or `"unknown"`
 * with `frameType` and `reserved` (GREASE) for types without a meaning.
 * Varint fields are `number`, or `bigint` above 2^53-1.
 */
export interface Http3FrameValue {
  readonly type: number | "unknown";
  readonly [field: string]: unknown;
}

/** A generated HTTP/3 frame: its value and its wire bytes (Type, Length, payload). */
export interface Http3FrameCase {
  readonly frame: Http3FrameValue;
  readonly bytes: Uint8Array;
}

/**
 * A frame's bytes: Type and Length as varints (shortest form unless
 * `typeLength`/`lengthLength` force a longer legal one), then the payload.
 */
export function http3FrameBytes(
  type: number | bigint,
  payload: Uint8Array,
  typeLength?: 1 | 2 | 4 | 8,
  lengthLength?: 1 | 2 | 4 | 8,
): Uint8Array {
  const t = typeLength === undefined ? varint(type) : varintBytes(type, typeLength);
  const l = lengthLength === undefined ? varint(payload.length) : varintBytes(payload.length, lengthLength);
  return concatBytes([t, l, payload]);
}

const num = (v: bigint): number | bigint => (v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v);
/** A legal (possibly non-minimal) varint length for `v`. */
const lenFor = (v: number | bigint) => fc.constantFrom(...([1, 2, 4, 8] as const).filter((l) => l >= minimalVarintLength(v)));
const bytesArb = (max = 64) => fc.uint8Array({ maxLength: max });

/** RFC 9114 §7.2.8: reserved (GREASE) frame types are `0x1f * N + 0x21`. */
function isGrease(v: bigint): boolean {
  return v >= 0x21n && (v - 0x21n) % 0x1fn === 0n;
}

function simple(type: number, payload: Arbitrary<{ fields: Record<string, unknown>; payload: Uint8Array }>): Arbitrary<Http3FrameCase> {
  return payload.chain(({ fields, payload: p }) =>
    lenFor(p.length).map((ll) => ({ frame: { type, ...fields }, bytes: http3FrameBytes(type, p, undefined, ll) })),
  );
}

const idFrame = (type: number, field: string) =>
  simple(
    type,
    varintEncoding().map((e) => ({ fields: { [field]: num(e.value) }, payload: e.bytes })),
  );

/** A setting identifier that is not reserved: known ones, GREASE (`0x1f * N + 0x21`) and unknown ones. */
function settingId(): Arbitrary<bigint> {
  return fc
    .oneof(
      fc.constantFrom(0x01n, 0x06n, 0x07n, 0x08n, 0x33n),
      fc.bigInt({ min: 0n, max: 2n ** 40n }).map((n) => 0x1fn * n + 0x21n),
      varintValue(),
    )
    .filter((id) => !(id <= 5n && id !== 1n));
}

function settingsFrame(): Arbitrary<Http3FrameCase> {
  return fc
    .uniqueArray(fc.tuple(settingId(), varintValue()), { maxLength: 8, selector: ([id]) => id })
    .map((pairs) => pairs.map(([id, v]): [bigint, bigint] => (id === 0x08n || id === 0x33n ? [id, v & 1n] : [id, v])))
    .map((pairs) => ({
      frame: { type: H3.SETTINGS, settings: pairs.map(([id, value]) => ({ id: num(id), value: num(value) })) },
      bytes: http3FrameBytes(H3.SETTINGS, concatBytes(pairs.flatMap(([id, v]) => [varint(id), varint(v)]))),
    }));
}

function unknownFrame(): Arbitrary<Http3FrameCase> {
  const known = new Set<bigint>([...Object.values(H3), ...H3_RESERVED_HTTP2_TYPES].map((t) => BigInt(t)));
  const type = fc
    .oneof(
      fc.bigInt({ min: 0n, max: 2n ** 40n }).map((n) => 0x1fn * n + 0x21n),
      fc.bigInt({ min: 0n, max: 0xffn }),
      varintValue(),
    )
    .filter((t) => !known.has(t));
  return fc.tuple(type, bytesArb()).map(([t, payload]) => ({
    frame: { type: "unknown" as const, frameType: num(t), reserved: isGrease(t), payload },
    bytes: http3FrameBytes(t, payload),
  }));
}

/** The frame kinds {@link http3Frame} can generate. */
export type Http3FrameKind =
  | "DATA"
  | "HEADERS"
  | "CANCEL_PUSH"
  | "SETTINGS"
  | "PUSH_PROMISE"
  | "GOAWAY"
  | "MAX_PUSH_ID"
  | "PRIORITY_UPDATE"
  | "unknown";

const FRAME_ARBS: Record<Http3FrameKind, () => Arbitrary<Http3FrameCase>> = {
  DATA: () =>
    simple(
      H3.DATA,
      bytesArb().map((p) => ({ fields: { data: p }, payload: p })),
    ),
  HEADERS: () =>
    simple(
      H3.HEADERS,
      bytesArb().map((p) => ({ fields: { fieldSection: p }, payload: p })),
    ),
  CANCEL_PUSH: () => idFrame(H3.CANCEL_PUSH, "pushId"),
  SETTINGS: settingsFrame,
  PUSH_PROMISE: () =>
    simple(
      H3.PUSH_PROMISE,
      fc
        .tuple(varintEncoding(), bytesArb())
        .map(([e, p]) => ({ fields: { pushId: num(e.value), fieldSection: p }, payload: concatBytes([e.bytes, p]) })),
    ),
  GOAWAY: () => idFrame(H3.GOAWAY, "id"),
  MAX_PUSH_ID: () => idFrame(H3.MAX_PUSH_ID, "pushId"),
  PRIORITY_UPDATE: () =>
    fc
      .tuple(fc.constantFrom(H3.PRIORITY_UPDATE_REQUEST, H3.PRIORITY_UPDATE_PUSH), varintEncoding(), fc.constantFrom("", "u=1", "u=5, i"))
      // RFC 9218 §7.2: a request-stream update names a client-initiated bidirectional stream (ID % 4 == 0)
      .map(([t, e, v]) => [t, t === H3.PRIORITY_UPDATE_REQUEST ? e.value & ~3n : e.value, v] as const)
      .chain(([t, id, v]) =>
        simple(
          t,
          fc.constant({
            fields: { elementId: num(id), priorityFieldValue: v },
            payload: concatBytes([varint(id), latin1Bytes(v)]),
          }),
        ),
      ),
  unknown: unknownFrame,
};

/**
 * Valid HTTP/3 frames of every type (or only `kinds`) with the value a
 * decoder must produce. Length fields use non-minimal varints at times
 * (legal, RFC 9000 §16); SETTINGS carry known, unknown and GREASE ids,
 * never a reserved or repeated one; unknown types include GREASE values.
 *
 * @example
 * ```ts
 * import fc from "fast-check";
 * import { http3Frame } from "httpwire/arbitraries";
 * fc.sample(http3Frame({ kinds: ["GOAWAY"] }), 1); // [{ frame: { type: 7, id: ... }, bytes: Uint8Array [...] }]
 * ```
 */
export function http3Frame(options: { readonly kinds?: readonly Http3FrameKind[] } = {}): Arbitrary<Http3FrameCase> {
  const kinds = options.kinds ?? (Object.keys(FRAME_ARBS) as Http3FrameKind[]);
  return fc.oneof(...kinds.map((k) => FRAME_ARBS[k]()));
}

const H3_FRAME_UNEXPECTED = 0x0105;
const H3_FRAME_ERROR = 0x0106;
const H3_ID_ERROR = 0x0108;
const H3_SETTINGS_ERROR = 0x0109;
const NAMES: Record<number, string> = {
  261: "H3_FRAME_UNEXPECTED",
  262: "H3_FRAME_ERROR",
  264: "H3_ID_ERROR",
  265: "H3_SETTINGS_ERROR",
};
const conn = (code: number, reason?: string): ExpectedError => ({
  code,
  codeName: NAMES[code]!,
  scope: "connection",
  ...(reason ? { reason } : {}),
});

/** The named single-frame defects {@link http3MalformedFrame} generates. */
export type Http3MalformedKind =
  | "reserved-http2-frame-type"
  | "payload-trailing-bytes"
  | "payload-truncated-varint"
  | "settings-reserved-id"
  | "settings-duplicate-id"
  | "settings-value-not-boolean"
  | "priority-update-not-request-stream"
  | "frame-truncated";

type M = MalformedCase<Http3MalformedKind>;
const ID_TYPES = [H3.CANCEL_PUSH, H3.GOAWAY, H3.MAX_PUSH_ID];

const MALFORMED: Record<Http3MalformedKind, () => Arbitrary<M>> = {
  // RFC 9114 §7.2.8: HTTP/2 frame types reserved in HTTP/3 MUST be treated as H3_FRAME_UNEXPECTED
  "reserved-http2-frame-type": () =>
    fc.tuple(fc.constantFrom(...H3_RESERVED_HTTP2_TYPES), bytesArb(16)).map(([t, p]) => ({
      kind: "reserved-http2-frame-type" as const,
      bytes: http3FrameBytes(t, p),
      expected: conn(H3_FRAME_UNEXPECTED, "http2_frame_type"),
    })),
  // RFC 9114 §7.1: a frame payload with bytes after its fields MUST be treated as H3_FRAME_ERROR
  "payload-trailing-bytes": () =>
    fc.tuple(fc.constantFrom(...ID_TYPES), varintEncoding(), fc.uint8Array({ minLength: 1, maxLength: 8 })).map(([t, e, extra]) => ({
      kind: "payload-trailing-bytes" as const,
      bytes: http3FrameBytes(t, concatBytes([e.bytes, extra])),
      expected: conn(H3_FRAME_ERROR),
    })),
  // RFC 9114 §7.1: a payload that ends inside a field MUST be treated as H3_FRAME_ERROR
  "payload-truncated-varint": () =>
    fc
      .tuple(
        fc.constantFrom(...ID_TYPES, H3.SETTINGS),
        varintEncoding().filter((e) => e.length > 1),
      )
      .chain(([t, e]) =>
        fc.integer({ min: 0, max: e.length - 1 }).map((keep) => ({
          kind: "payload-truncated-varint" as const,
          bytes: http3FrameBytes(
            t,
            t === H3.SETTINGS ? concatBytes([Uint8Array.of(0x01), e.bytes.subarray(0, keep)]) : e.bytes.subarray(0, keep),
          ),
          expected: conn(H3_FRAME_ERROR),
        })),
      )
      .filter((c) => c.bytes.length > 2),
  // RFC 9114 §7.2.4.1: a reserved HTTP/2 setting identifier MUST be treated as H3_SETTINGS_ERROR
  "settings-reserved-id": () =>
    fc.tuple(fc.constantFrom(...H3_RESERVED_SETTINGS), varintValue()).map(([id, v]) => ({
      kind: "settings-reserved-id" as const,
      bytes: http3FrameBytes(H3.SETTINGS, concatBytes([varint(id), varint(v)])),
      expected: conn(H3_SETTINGS_ERROR, "settings_http2_identifier"),
    })),
  // RFC 9114 §7.2.4: the same identifier MUST NOT occur more than once; receivers MAY treat it as H3_SETTINGS_ERROR
  "settings-duplicate-id": () =>
    fc.tuple(fc.constantFrom(0x01, 0x06, 0x07), varintValue(), varintValue()).map(([id, a, b]) => ({
      kind: "settings-duplicate-id" as const,
      bytes: http3FrameBytes(H3.SETTINGS, concatBytes([varint(id), varint(a), varint(id), varint(b)])),
      expected: conn(H3_SETTINGS_ERROR, "settings_duplicate_identifier"),
    })),
  // RFC 9297 §2.1.1: SETTINGS_H3_DATAGRAM other than 0 or 1 MUST be H3_SETTINGS_ERROR (RFC 9220 §3 the same for ENABLE_CONNECT_PROTOCOL)
  "settings-value-not-boolean": () =>
    fc
      .tuple(
        fc.constantFrom(0x08, 0x33),
        varintValue().filter((v) => v > 1n),
      )
      .map(([id, v]) => ({
        kind: "settings-value-not-boolean" as const,
        bytes: http3FrameBytes(H3.SETTINGS, concatBytes([varint(id), varint(v)])),
        expected: conn(H3_SETTINGS_ERROR, "settings_value_not_boolean"),
      })),
  // RFC 9218 §7.2: a 0xF0700 update naming a stream that is not a request stream MUST be H3_ID_ERROR
  "priority-update-not-request-stream": () =>
    varintValue()
      .filter((v) => (v & 3n) !== 0n)
      .map((id) => ({
        kind: "priority-update-not-request-stream" as const,
        bytes: http3FrameBytes(H3.PRIORITY_UPDATE_REQUEST, concatBytes([varint(id), latin1Bytes("u=1")])),
        expected: conn(H3_ID_ERROR, "priority_update_not_request_stream"),
      })),
  // RFC 9114 §7.1: a stream that ends inside a frame is H3_FRAME_ERROR
  "frame-truncated": () =>
    http3Frame({ kinds: ["DATA", "HEADERS", "GOAWAY", "SETTINGS"] })
      .filter((c) => c.bytes.length > 2)
      .chain((c) =>
        fc.integer({ min: 1, max: c.bytes.length - 1 }).map((keep) => ({
          kind: "frame-truncated" as const,
          bytes: c.bytes.subarray(0, keep),
          expected: conn(H3_FRAME_ERROR),
        })),
      ),
};

/** Every kind {@link http3MalformedFrame} knows. */
export const HTTP3_MALFORMED_KINDS: readonly Http3MalformedKind[] = Object.keys(MALFORMED) as Http3MalformedKind[];

/**
 * HTTP/3 frames that break one named rule of RFC 9114, each with the error
 * code a receiver must answer with (all connection errors). `frame-truncated`
 * is an error only once the stream has ended (a decoder's `end()`).
 */
export function http3MalformedFrame(options: { readonly kinds?: readonly Http3MalformedKind[] } = {}): Arbitrary<M> {
  const kinds = options.kinds ?? HTTP3_MALFORMED_KINDS;
  return fc.oneof(...kinds.map((k) => MALFORMED[k]()));
}
