/**
 * Arbitraries for header lists: valid per RFC 9113 §8.2 and §8.3 (which
 * RFC 9114 §4.2 shares), and hostile ones that break one named rule or push
 * a size limit.
 * @module
 */

import type { Arbitrary } from "fast-check";
import * as fc from "fast-check";

/** One field: name and value as Latin-1 strings (one code unit per octet). */
export interface HeaderField {
  readonly name: string;
  readonly value: string;
}

const TCHAR_LOWER = "abcdefghijklmnopqrstuvwxyz0123456789!#$%&'*+-.^_`|~";
const VCHAR = Array.from({ length: 0x7e - 0x21 + 1 }, (_, i) => String.fromCharCode(0x21 + i)).join("");
// RFC 9113 §8.2.2: connection-specific fields a message MUST NOT carry.
const CONNECTION_SPECIFIC = ["connection", "proxy-connection", "keep-alive", "transfer-encoding", "upgrade"] as const;
const COMMON_NAMES = [
  "accept",
  "accept-encoding",
  "cache-control",
  "content-type",
  "cookie",
  "user-agent",
  "x-request-id",
  "content-length",
  "date",
  "set-cookie",
  "authorization",
];

/** Lowercase token names (RFC 9110 §5.1 token, lowercase per RFC 9113 §8.2.1), never pseudo-headers. */
export function headerName(): Arbitrary<string> {
  const token = fc.string({ unit: fc.constantFrom(...TCHAR_LOWER), minLength: 1, maxLength: 24 });
  return fc
    .oneof(fc.constantFrom(...COMMON_NAMES), token)
    .filter((n) => !(CONNECTION_SPECIFIC as readonly string[]).includes(n) && n !== "te");
}

/**
 * Valid field values (RFC 9113 §8.2.1): visible ASCII, inner spaces and
 * tabs, and obs-text 0x80-0xff; no NUL, CR or LF; no leading or trailing
 * whitespace. May be empty.
 */
export function headerValue(options: { readonly maxLength?: number } = {}): Arbitrary<string> {
  const edge = fc.constantFrom(...VCHAR, "\x80", "\xff", "\xe9");
  const inner = fc.oneof({ weight: 8, arbitrary: edge }, { weight: 1, arbitrary: fc.constantFrom(" ", "\t") });
  const max = options.maxLength ?? 64;
  return fc.oneof(
    fc.constant(""),
    edge.map((c) => c),
    fc.tuple(edge, fc.string({ unit: inner, maxLength: Math.max(0, max - 2) }), edge).map(([a, m, b]) => a + m + b),
  );
}

/** A regular (non-pseudo) field. */
export function headerField(): Arbitrary<HeaderField> {
  return fc.record({ name: headerName(), value: headerValue() });
}

const METHODS = ["GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH"];

/**
 * Valid request header lists: `:method`, `:scheme`, `:authority`, `:path`
 * first (RFC 9113 §8.3.1), then up to `maxFields` regular fields.
 */
export function requestHeaderList(options: { readonly maxFields?: number } = {}): Arbitrary<HeaderField[]> {
  const path = fc.oneof(
    fc.constant("/"),
    fc.string({ unit: fc.constantFrom(..."abcdefghij0123456789-._~/?=&%"), minLength: 1, maxLength: 40 }).map((s) => `/${s}`),
  );
  return fc
    .tuple(
      fc.constantFrom(...METHODS),
      fc.constantFrom("https", "http"),
      fc.constantFrom("example.com", "localhost:8443", "a.b.c.example", "[::1]:443"),
      path,
      fc.array(headerField(), { maxLength: options.maxFields ?? 12 }),
    )
    .map(([method, scheme, authority, p, rest]) => [
      { name: ":method", value: method },
      { name: ":scheme", value: scheme },
      { name: ":authority", value: authority },
      { name: ":path", value: p },
      ...rest,
    ]);
}

/** Valid response header lists: `:status` (three digits, RFC 9113 §8.3.2) then regular fields. */
export function responseHeaderList(options: { readonly maxFields?: number } = {}): Arbitrary<HeaderField[]> {
  return fc
    .tuple(fc.integer({ min: 100, max: 599 }), fc.array(headerField(), { maxLength: options.maxFields ?? 12 }))
    .map(([status, rest]) => [{ name: ":status", value: String(status) }, ...rest]);
}

/** Valid request or response header lists. */
export function headerList(options: { readonly maxFields?: number } = {}): Arbitrary<HeaderField[]> {
  return fc.oneof(requestHeaderList(options), responseHeaderList(options));
}

/**
 * Field lists with no HTTP semantics at all: any Latin-1 names and values,
 * what HPACK and QPACK must carry as opaque octets.
 */
export function opaqueFieldList(options: { readonly maxFields?: number; readonly maxLength?: number } = {}): Arbitrary<HeaderField[]> {
  const s = fc.string({
    unit: fc.integer({ min: 0, max: 255 }).map((c) => String.fromCharCode(c)),
    maxLength: options.maxLength ?? 40,
  });
  return fc.array(fc.record({ name: s, value: s }), { maxLength: options.maxFields ?? 10 });
}

/** The named ways a hostile header list breaks the rules or pushes limits. */
export type HostileHeaderKind =
  | "uppercase-name"
  | "invalid-name-char"
  | "empty-name"
  | "invalid-value-char"
  | "value-edge-whitespace"
  | "pseudo-after-regular"
  | "unknown-pseudo"
  | "duplicate-pseudo"
  | "missing-pseudo"
  | "response-pseudo-in-request"
  | "connection-specific"
  | "te-not-trailers"
  | "huge-value"
  | "many-fields";

/** A hostile header list with what it breaks. */
export interface HostileHeaderList {
  readonly kind: HostileHeaderKind;
  /** The list, request pseudo-headers first unless the kind says otherwise. */
  readonly fields: HeaderField[];
  /**
   * `true` when RFC 9113 §8.1.1 makes the message malformed (a stream error
   * of type PROTOCOL_ERROR in HTTP/2, H3_MESSAGE_ERROR in HTTP/3); `false`
   * for the size kinds, which are legal but should meet a receiver's limits.
   */
  readonly malformed: boolean;
}

function insertAt<T>(list: readonly T[], index: number, item: T): T[] {
  const out = list.slice();
  out.splice(Math.min(index, out.length), 0, item);
  return out;
}

/**
 * Hostile header lists, one named defect each: uppercase or invalid name
 * characters, NUL/CR/LF in values, pseudo-header misorder, duplicates,
 * unknown or missing pseudo-headers, connection-specific fields, and huge
 * values or many fields (`hugeValueLength` default 64 KiB, `manyFields`
 * default 10 000). Only the chosen `kinds` are generated when given.
 */
export function hostileHeaderList(
  options: { readonly kinds?: readonly HostileHeaderKind[]; readonly hugeValueLength?: number; readonly manyFields?: number } = {},
): Arbitrary<HostileHeaderList> {
  const base = requestHeaderList({ maxFields: 4 });
  const huge = options.hugeValueLength ?? 65_536;
  const many = options.manyFields ?? 10_000;
  const pos = fc.nat(8);
  const byKind: Record<HostileHeaderKind, Arbitrary<HostileHeaderList>> = {
    "uppercase-name": fc
      .tuple(
        base,
        pos,
        headerName().filter((n) => /[a-z]/.test(n)),
        headerValue(),
      )
      .map(([b, i, n, v]) => ({
        kind: "uppercase-name" as const,
        fields: insertAt(b, 4 + i, { name: n.replace(/[a-z]/, (c) => c.toUpperCase()), value: v }),
        malformed: true,
      })),
    "invalid-name-char": fc
      .tuple(base, pos, headerName(), fc.constantFrom("\x00", " ", "\r", "\n", ":", "\x7f", "\x80", "\xff", "\x01"))
      .map(([b, i, n, c]) => ({
        kind: "invalid-name-char" as const,
        fields: insertAt(b, 4 + i, { name: n.slice(0, 1) + c + n.slice(1), value: "x" }),
        malformed: true,
      })),
    "empty-name": fc.tuple(base, pos).map(([b, i]) => ({
      kind: "empty-name" as const,
      fields: insertAt(b, 4 + i, { name: "", value: "x" }),
      malformed: true,
    })),
    "invalid-value-char": fc
      .tuple(base, pos, headerName(), headerValue(), fc.constantFrom("\x00", "\r", "\n", "\r\n"))
      .map(([b, i, n, v, c]) => ({
        kind: "invalid-value-char" as const,
        fields: insertAt(b, 4 + i, { name: n, value: v.slice(0, 1) + c + v.slice(1) }),
        malformed: true,
      })),
    "value-edge-whitespace": fc.tuple(base, pos, headerName(), fc.constantFrom(" x", "x ", "\tx", "x\t", " ")).map(([b, i, n, v]) => ({
      kind: "value-edge-whitespace" as const,
      fields: insertAt(b, 4 + i, { name: n, value: v }),
      malformed: true,
    })),
    "pseudo-after-regular": fc.tuple(base, headerField()).map(([b, f]) => ({
      kind: "pseudo-after-regular" as const,
      fields: [...b.slice(0, 3), f, ...b.slice(3)],
      malformed: true,
    })),
    "unknown-pseudo": fc.tuple(base, fc.constantFrom(":foo", ":Method", ":", ":protocolx")).map(([b, n]) => ({
      kind: "unknown-pseudo" as const,
      fields: insertAt(b, 1, { name: n, value: "x" }),
      malformed: true,
    })),
    "duplicate-pseudo": fc.tuple(base, fc.integer({ min: 0, max: 3 })).map(([b, i]) => ({
      kind: "duplicate-pseudo" as const,
      fields: insertAt(b, 4, b[i]!),
      malformed: true,
    })),
    "missing-pseudo": fc.tuple(base, fc.constantFrom(0, 1, 3)).map(([b, i]) => ({
      kind: "missing-pseudo" as const,
      fields: b.filter((_, j) => j !== i),
      malformed: true,
    })),
    "response-pseudo-in-request": base.map((b) => ({
      kind: "response-pseudo-in-request" as const,
      fields: insertAt(b, 4, { name: ":status", value: "200" }),
      malformed: true,
    })),
    "connection-specific": fc.tuple(base, pos, fc.constantFrom(...CONNECTION_SPECIFIC)).map(([b, i, n]) => ({
      kind: "connection-specific" as const,
      fields: insertAt(b, 4 + i, { name: n, value: n === "transfer-encoding" ? "chunked" : "close" }),
      malformed: true,
    })),
    "te-not-trailers": fc.tuple(base, fc.constantFrom("gzip", "trailers, gzip", "chunked")).map(([b, v]) => ({
      kind: "te-not-trailers" as const,
      fields: [...b, { name: "te", value: v }],
      malformed: true,
    })),
    "huge-value": fc.tuple(base, fc.integer({ min: huge, max: huge * 2 })).map(([b, n]) => ({
      kind: "huge-value" as const,
      fields: [...b, { name: "x-huge", value: "a".repeat(n) }],
      malformed: false,
    })),
    "many-fields": fc.tuple(base, fc.integer({ min: many, max: many * 2 })).map(([b, n]) => ({
      kind: "many-fields" as const,
      fields: [...b, ...Array.from({ length: n }, (_, i) => ({ name: "x-f", value: String(i) }))],
      malformed: false,
    })),
  };
  const kinds = options.kinds ?? (Object.keys(byKind) as HostileHeaderKind[]);
  return fc.oneof(...kinds.map((k) => byKind[k]));
}
