/**
 * Arbitraries for QUIC packets and frames (RFC 9000 §12.4, §17, §19;
 * RFC 9221; RFC 9369): valid frames with the value they stand for,
 * malformed frames with the RFC 9000 §20.1 error a receiver must answer
 * with, and unprotected packets of every header form. Bytes are built by
 * hand from the RFC layouts, not with the codec's encoders.
 * @module
 */

import type { Arbitrary } from "fast-check";
import * as fc from "fast-check";
import { concatBytes, uintBytes, varint, varintBytes } from "./bytes.js";
import type { ExpectedError, MalformedCase } from "./expected.js";
import { quicStreamId } from "./stream-id.js";
import { varintValue } from "./varint.js";

/** The decoded form of a generated QUIC frame, shaped like `httpwire/quic`'s `QuicFrame` (`type` is kebab-case). */
export interface QuicFrameValue {
  readonly type: string;
  readonly [field: string]: unknown;
}

/** A generated QUIC frame: its value and its wire bytes. */
export interface QuicFrameCase {
  readonly frame: QuicFrameValue;
  readonly bytes: Uint8Array;
}

/** The frame kinds {@link quicFrame} can generate (the `type` of the decoded frame). */
export type QuicFrameKind =
  | "padding"
  | "ping"
  | "ack"
  | "reset-stream"
  | "stop-sending"
  | "crypto"
  | "new-token"
  | "stream"
  | "max-data"
  | "max-stream-data"
  | "max-streams"
  | "data-blocked"
  | "stream-data-blocked"
  | "streams-blocked"
  | "new-connection-id"
  | "retire-connection-id"
  | "path-challenge"
  | "path-response"
  | "connection-close"
  | "handshake-done"
  | "datagram";

const MAX = 2n ** 62n - 1n;
const num = (v: bigint): number | bigint => (v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v);
const u8 = (...b: number[]) => Uint8Array.from(b);
const bytesArb = (min = 0, max = 48) => fc.uint8Array({ minLength: min, maxLength: max });
const streamsValue = () => fc.oneof(fc.bigInt({ min: 0n, max: 1000n }), fc.bigInt({ min: 0n, max: 2n ** 60n }), fc.constant(2n ** 60n));

function simple(type: number, kind: QuicFrameKind, field: string): Arbitrary<QuicFrameCase> {
  return varintValue().map((v) => ({ frame: { type: kind, [field]: num(v) }, bytes: concatBytes([varint(type), varint(v)]) }));
}

function ack(): Arbitrary<QuicFrameCase> {
  // Built from the lowest range up so that no range goes below packet 0 (§19.3.1).
  const range = fc.tuple(fc.bigInt({ min: 0n, max: 300n }), fc.bigInt({ min: 0n, max: 300n }));
  return fc
    .record({
      start: fc.oneof(fc.bigInt({ min: 0n, max: 1000n }), fc.bigInt({ min: 0n, max: 2n ** 61n })),
      ranges: fc.array(range, { maxLength: 6 }),
      first: fc.bigInt({ min: 0n, max: 300n }),
      delay: varintValue(),
      ecn: fc.option(fc.tuple(varintValue(), varintValue(), varintValue()), { nil: undefined }),
    })
    .map(({ start, ranges, first, delay, ecn }) => {
      // Walk upwards: each extra range is [smallest, smallest + length], then a gap of `gap + 1` unacknowledged packets.
      let next = start;
      const wire: { gap: bigint; length: bigint }[] = [];
      for (const [gap, length] of ranges) {
        const largest = next + length;
        wire.unshift({ gap, length });
        next = largest + gap + 2n;
      }
      // At most 2^61 + 6 * 602 + 300: always a valid packet number.
      const largest = next + first;
      const parts = [varint(ecn === undefined ? 0x02 : 0x03), varint(largest), varint(delay), varint(wire.length), varint(first)];
      for (const r of wire) parts.push(varint(r.gap), varint(r.length));
      if (ecn !== undefined) parts.push(varint(ecn[0]), varint(ecn[1]), varint(ecn[2]));
      const frame: QuicFrameValue = {
        type: "ack",
        largestAcknowledged: num(largest),
        ackDelay: num(delay),
        firstAckRange: num(first),
        ackRanges: wire.map((r) => ({ gap: num(r.gap), length: num(r.length) })),
        ...(ecn === undefined ? {} : { ecnCounts: { ect0: num(ecn[0]), ect1: num(ecn[1]), ecnCe: num(ecn[2]) } }),
      };
      return { frame, bytes: concatBytes(parts) };
    });
}

function stream(): Arbitrary<QuicFrameCase> {
  return fc
    .record({
      id: quicStreamId(),
      off: fc.boolean(),
      len: fc.boolean(),
      fin: fc.boolean(),
      offset: fc.oneof(fc.bigInt({ min: 0n, max: 1n << 20n }), fc.bigInt({ min: 0n, max: MAX - 64n })),
      data: bytesArb(),
    })
    .map(({ id, off, len, fin, offset, data }) => {
      const o = off ? offset : 0n;
      const type = 0x08 | (off ? 0x04 : 0) | (len ? 0x02 : 0) | (fin ? 0x01 : 0);
      const parts = [varint(type), varint(id)];
      if (off) parts.push(varint(o));
      if (len) parts.push(varint(data.length));
      parts.push(data);
      return {
        frame: { type: "stream", streamId: id, offset: num(o), data, fin, hasOffset: off, hasLength: len },
        bytes: concatBytes(parts),
      };
    });
}

const FRAMES: Record<QuicFrameKind, () => Arbitrary<QuicFrameCase>> = {
  padding: () => fc.integer({ min: 1, max: 40 }).map((n) => ({ frame: { type: "padding", length: n }, bytes: new Uint8Array(n) })),
  ping: () => fc.constant({ frame: { type: "ping" }, bytes: u8(0x01) }),
  ack,
  "reset-stream": () =>
    fc.tuple(quicStreamId(), varintValue(), varintValue()).map(([id, code, size]) => ({
      frame: { type: "reset-stream", streamId: id, errorCode: num(code), finalSize: num(size) },
      bytes: concatBytes([u8(0x04), varint(id), varint(code), varint(size)]),
    })),
  "stop-sending": () =>
    fc.tuple(quicStreamId(), varintValue()).map(([id, code]) => ({
      frame: { type: "stop-sending", streamId: id, errorCode: num(code) },
      bytes: concatBytes([u8(0x05), varint(id), varint(code)]),
    })),
  crypto: () =>
    fc.tuple(fc.bigInt({ min: 0n, max: 1n << 32n }), bytesArb()).map(([offset, data]) => ({
      frame: { type: "crypto", offset: num(offset), data },
      bytes: concatBytes([u8(0x06), varint(offset), varint(data.length), data]),
    })),
  "new-token": () =>
    bytesArb(1).map((token) => ({ frame: { type: "new-token", token }, bytes: concatBytes([u8(0x07), varint(token.length), token]) })),
  stream,
  "max-data": () => simple(0x10, "max-data", "maximumData"),
  "max-stream-data": () =>
    fc.tuple(quicStreamId(), varintValue()).map(([id, v]) => ({
      frame: { type: "max-stream-data", streamId: id, maximumStreamData: num(v) },
      bytes: concatBytes([u8(0x11), varint(id), varint(v)]),
    })),
  "max-streams": () =>
    fc.tuple(fc.boolean(), streamsValue()).map(([bidi, v]) => ({
      frame: { type: "max-streams", direction: bidi ? "bidi" : "uni", maximumStreams: num(v) },
      bytes: concatBytes([u8(bidi ? 0x12 : 0x13), varint(v)]),
    })),
  "data-blocked": () => simple(0x14, "data-blocked", "maximumData"),
  "stream-data-blocked": () =>
    fc.tuple(quicStreamId(), varintValue()).map(([id, v]) => ({
      frame: { type: "stream-data-blocked", streamId: id, maximumStreamData: num(v) },
      bytes: concatBytes([u8(0x15), varint(id), varint(v)]),
    })),
  "streams-blocked": () =>
    fc.tuple(fc.boolean(), streamsValue()).map(([bidi, v]) => ({
      frame: { type: "streams-blocked", direction: bidi ? "bidi" : "uni", maximumStreams: num(v) },
      bytes: concatBytes([u8(bidi ? 0x16 : 0x17), varint(v)]),
    })),
  "new-connection-id": () =>
    fc
      .tuple(varintValue(), fc.bigInt({ min: 0n, max: 1n << 20n }), bytesArb(1, 20), fc.uint8Array({ minLength: 16, maxLength: 16 }))
      .map(([seq, retireRaw, cid, token]) => {
        const retire = retireRaw % (seq + 1n); // at most seq (§19.15)
        return {
          frame: {
            type: "new-connection-id",
            sequenceNumber: num(seq),
            retirePriorTo: num(retire),
            connectionId: cid,
            statelessResetToken: token,
          },
          bytes: concatBytes([u8(0x18), varint(seq), varint(retire), u8(cid.length), cid, token]),
        };
      }),
  "retire-connection-id": () => simple(0x19, "retire-connection-id", "sequenceNumber"),
  "path-challenge": () =>
    fc
      .uint8Array({ minLength: 8, maxLength: 8 })
      .map((data) => ({ frame: { type: "path-challenge", data }, bytes: concatBytes([u8(0x1a), data]) })),
  "path-response": () =>
    fc
      .uint8Array({ minLength: 8, maxLength: 8 })
      .map((data) => ({ frame: { type: "path-response", data }, bytes: concatBytes([u8(0x1b), data]) })),
  "connection-close": () =>
    fc.tuple(fc.boolean(), varintValue(), varintValue(), bytesArb()).map(([transport, code, ft, reason]) =>
      transport
        ? {
            frame: { type: "connection-close", errorSpace: "transport", errorCode: num(code), frameType: num(ft), reasonPhrase: reason },
            bytes: concatBytes([u8(0x1c), varint(code), varint(ft), varint(reason.length), reason]),
          }
        : {
            frame: { type: "connection-close", errorSpace: "application", errorCode: num(code), reasonPhrase: reason },
            bytes: concatBytes([u8(0x1d), varint(code), varint(reason.length), reason]),
          },
    ),
  "handshake-done": () => fc.constant({ frame: { type: "handshake-done" }, bytes: u8(0x1e) }),
  datagram: () =>
    fc.tuple(fc.boolean(), bytesArb()).map(([len, data]) => ({
      frame: { type: "datagram", data, hasLength: len },
      bytes: len ? concatBytes([u8(0x31), varint(data.length), data]) : concatBytes([u8(0x30), data]),
    })),
};

/** Every kind {@link quicFrame} knows. */
export const QUIC_FRAME_KINDS: readonly QuicFrameKind[] = Object.keys(FRAMES) as QuicFrameKind[];

/**
 * Valid QUIC frames of every type of RFC 9000 §19 and RFC 9221 (or only
 * `kinds`) with the value a decoder must produce. Varints are in their
 * shortest form (frame types MUST be, RFC 9000 §12.4), so the bytes are
 * what an encoder writes. A STREAM or DATAGRAM frame without a Length field
 * runs to the end of the packet: put it last.
 *
 * @example
 * ```ts
 * import fc from "fast-check";
 * import { quicFrame } from "httpwire/arbitraries";
 * fc.sample(quicFrame({ kinds: ["max-data"] }), 1); // [{ frame: { type: "max-data", maximumData: ... }, bytes: Uint8Array [0x10, ...] }]
 * ```
 */
export function quicFrame(options: { readonly kinds?: readonly QuicFrameKind[] } = {}): Arbitrary<QuicFrameCase> {
  const kinds = options.kinds ?? QUIC_FRAME_KINDS;
  return fc.oneof(...kinds.map((k) => FRAMES[k]()));
}

/**
 * A packet payload: several frames (PADDING never next to PADDING, so each
 * run is one frame; a STREAM or DATAGRAM without Length only last).
 */
export function quicFramePayload(
  options: { readonly maxFrames?: number } = {},
): Arbitrary<{ readonly frames: readonly QuicFrameValue[]; readonly bytes: Uint8Array }> {
  return fc.array(quicFrame(), { minLength: 1, maxLength: options.maxFrames ?? 6 }).map((cases) => {
    const kept: QuicFrameCase[] = [];
    for (const c of cases) {
      const prev = kept[kept.length - 1];
      if (prev !== undefined && prev.frame.type === "padding" && c.frame.type === "padding") continue;
      kept.push(c);
    }
    // Frames that run to the end of the packet go last; only one of them.
    const open = (c: QuicFrameCase) => (c.frame.type === "stream" || c.frame.type === "datagram") && c.frame.hasLength === false;
    const closed = kept.filter((c) => !open(c));
    const last = kept.find(open);
    const all = last === undefined ? closed : [...closed, last];
    // Removing frames may have put two PADDING runs side by side: merge them.
    const merged: QuicFrameCase[] = [];
    for (const c of all) {
      const prev = merged[merged.length - 1];
      if (prev !== undefined && prev.frame.type === "padding" && c.frame.type === "padding") {
        const n = (prev.frame.length as number) + (c.frame.length as number);
        merged[merged.length - 1] = { frame: { type: "padding", length: n }, bytes: new Uint8Array(n) };
      } else merged.push(c);
    }
    return { frames: merged.map((c) => c.frame), bytes: concatBytes(merged.map((c) => c.bytes)) };
  });
}

const FRAME_ENCODING_ERROR = 0x07;
const PROTOCOL_VIOLATION = 0x0a;
const STREAM_LIMIT_ERROR = 0x04;
const NAMES: Record<number, string> = { 4: "STREAM_LIMIT_ERROR", 7: "FRAME_ENCODING_ERROR", 10: "PROTOCOL_VIOLATION" };
const conn = (code: number, reason?: string): ExpectedError => ({
  code,
  codeName: NAMES[code]!,
  scope: "connection",
  ...(reason ? { reason } : {}),
});

/** The named single-frame defects {@link quicMalformedFrame} generates. */
export type QuicMalformedKind =
  | "unknown-frame-type"
  | "frame-type-not-minimal"
  | "frame-truncated"
  | "ack-range-underflow"
  | "stream-offset-too-large"
  | "max-streams-above-2-60"
  | "streams-blocked-above-2-60"
  | "new-connection-id-length-invalid"
  | "retire-prior-to-above-sequence-number"
  | "new-token-empty";

type M = MalformedCase<QuicMalformedKind>;

const MALFORMED: Record<QuicMalformedKind, () => Arbitrary<M>> = {
  // RFC 9000 §12.4: a frame of unknown type MUST be FRAME_ENCODING_ERROR
  "unknown-frame-type": () =>
    fc.oneof(fc.integer({ min: 0x1f, max: 0x2f }), fc.integer({ min: 0x32, max: 0x3fff })).chain((t) =>
      bytesArb(0, 8).map((rest) => ({
        kind: "unknown-frame-type" as const,
        bytes: concatBytes([varint(t), rest]),
        expected: conn(FRAME_ENCODING_ERROR, "unknown_frame_type"),
      })),
    ),
  // RFC 9000 §12.4: frame types MUST use the shortest encoding; receivers MAY treat a longer one as PROTOCOL_VIOLATION
  "frame-type-not-minimal": () =>
    fc.tuple(fc.constantFrom(0x01, 0x1e), fc.constantFrom(2, 4, 8) as Arbitrary<2 | 4 | 8>).map(([t, len]) => ({
      kind: "frame-type-not-minimal" as const,
      bytes: varintBytes(t, len),
      expected: conn(PROTOCOL_VIOLATION, "frame_type_not_minimal"),
    })),
  // RFC 9000 §12.4: a frame that ends before its fields do is malformed: FRAME_ENCODING_ERROR
  "frame-truncated": () =>
    quicFrame({ kinds: ["ack", "reset-stream", "crypto", "new-connection-id", "path-challenge", "connection-close", "max-stream-data"] })
      .filter((c) => c.bytes.length > 1)
      .chain((c) =>
        fc.integer({ min: 1, max: c.bytes.length - 1 }).map((keep) => ({
          kind: "frame-truncated" as const,
          bytes: c.bytes.slice(0, keep),
          expected: conn(FRAME_ENCODING_ERROR, "frame_truncated"),
        })),
      ),
  // RFC 9000 §19.3.1: a computed packet number below 0 MUST be FRAME_ENCODING_ERROR
  "ack-range-underflow": () =>
    fc.tuple(fc.bigInt({ min: 0n, max: 1000n }), fc.bigInt({ min: 1n, max: 1000n })).map(([largest, extra]) => ({
      kind: "ack-range-underflow" as const,
      bytes: concatBytes([u8(0x02), varint(largest), varint(0), varint(0), varint(largest + extra)]),
      expected: conn(FRAME_ENCODING_ERROR, "ack_range_underflow"),
    })),
  // RFC 9000 §19.8: offset + length above 2^62 - 1 MUST be FRAME_ENCODING_ERROR or FLOW_CONTROL_ERROR
  "stream-offset-too-large": () =>
    fc.tuple(fc.bigInt({ min: 0n, max: 16n }), bytesArb(17, 40)).map(([back, data]) => ({
      kind: "stream-offset-too-large" as const,
      bytes: concatBytes([u8(0x0e), varint(0), varint(MAX - back), varint(data.length), data]),
      expected: conn(FRAME_ENCODING_ERROR, "stream_offset_too_large"),
    })),
  // RFC 9000 §19.11: MAX_STREAMS above 2^60 MUST be FRAME_ENCODING_ERROR
  "max-streams-above-2-60": () =>
    fc.tuple(fc.constantFrom(0x12, 0x13), fc.bigInt({ min: 2n ** 60n + 1n, max: MAX })).map(([t, v]) => ({
      kind: "max-streams-above-2-60" as const,
      bytes: concatBytes([u8(t), varint(v)]),
      expected: conn(FRAME_ENCODING_ERROR, "max_streams_above_2_60"),
    })),
  // RFC 9000 §19.14: STREAMS_BLOCKED above 2^60 MUST be STREAM_LIMIT_ERROR or FRAME_ENCODING_ERROR
  "streams-blocked-above-2-60": () =>
    fc.tuple(fc.constantFrom(0x16, 0x17), fc.bigInt({ min: 2n ** 60n + 1n, max: MAX })).map(([t, v]) => ({
      kind: "streams-blocked-above-2-60" as const,
      bytes: concatBytes([u8(t), varint(v)]),
      expected: conn(STREAM_LIMIT_ERROR, "streams_blocked_above_2_60"),
    })),
  // RFC 9000 §19.15: a connection ID length below 1 or above 20 MUST be FRAME_ENCODING_ERROR
  "new-connection-id-length-invalid": () =>
    fc.constantFrom(0, 21, 64, 255).map((len) => ({
      kind: "new-connection-id-length-invalid" as const,
      bytes: concatBytes([u8(0x18, 0x01, 0x00, len), new Uint8Array(len + 16)]),
      expected: conn(FRAME_ENCODING_ERROR, "connection_id_length_invalid"),
    })),
  // RFC 9000 §19.15: Retire Prior To above Sequence Number MUST be FRAME_ENCODING_ERROR
  "retire-prior-to-above-sequence-number": () =>
    fc.tuple(fc.bigInt({ min: 0n, max: 1000n }), fc.bigInt({ min: 1n, max: 1000n })).map(([seq, extra]) => ({
      kind: "retire-prior-to-above-sequence-number" as const,
      bytes: concatBytes([u8(0x18), varint(seq), varint(seq + extra), u8(4, 1, 2, 3, 4), new Uint8Array(16)]),
      expected: conn(FRAME_ENCODING_ERROR, "retire_prior_to_above_sequence_number"),
    })),
  // RFC 9000 §19.7: an empty NEW_TOKEN MUST be FRAME_ENCODING_ERROR
  "new-token-empty": () =>
    fc.constant({ kind: "new-token-empty" as const, bytes: u8(0x07, 0x00), expected: conn(FRAME_ENCODING_ERROR, "new_token_empty") }),
};

/** Every kind {@link quicMalformedFrame} knows. */
export const QUIC_MALFORMED_KINDS: readonly QuicMalformedKind[] = Object.keys(MALFORMED) as QuicMalformedKind[];

/**
 * QUIC frames (a whole packet payload) that break one named rule of
 * RFC 9000 §12.4 or §19, each with the error a receiver must close the
 * connection with.
 *
 * @example
 * ```ts
 * import fc from "fast-check";
 * import { quicMalformedFrame } from "httpwire/arbitraries";
 * fc.sample(quicMalformedFrame({ kinds: ["new-token-empty"] }), 1)[0]!.expected.codeName; // => "FRAME_ENCODING_ERROR"
 * ```
 */
export function quicMalformedFrame(options: { readonly kinds?: readonly QuicMalformedKind[] } = {}): Arbitrary<M> {
  const kinds = options.kinds ?? QUIC_MALFORMED_KINDS;
  return fc.oneof(...kinds.map((k) => MALFORMED[k]()));
}

/** The decoded form of a generated packet, shaped like `httpwire/quic`'s headers (after `finishPacketHeader` for protected types). */
export interface QuicPacketValue {
  readonly type: "initial" | "0-rtt" | "handshake" | "retry" | "version-negotiation" | "1-rtt";
  readonly [field: string]: unknown;
}

/** A generated unprotected QUIC packet: its fields and its bytes. */
export interface QuicPacketCase {
  readonly packet: QuicPacketValue;
  readonly bytes: Uint8Array;
  /** For 1-RTT packets: the Destination Connection ID length a reader must be told. */
  readonly shortHeaderCidLength: number;
}

/** QUIC version 1 and 2 numbers. */
const V1 = 0x00000001;
const V2 = 0x6b3343cf;
/** Long packet type bits per version (RFC 9000 Table 5; RFC 9369 §3.2). */
const TYPE_BITS: Record<number, Record<string, number>> = {
  [V1]: { initial: 0, "0-rtt": 1, handshake: 2, retry: 3 },
  [V2]: { initial: 1, "0-rtt": 2, handshake: 3, retry: 0 },
};

function longPacket(): Arbitrary<QuicPacketCase> {
  return fc
    .record({
      version: fc.constantFrom(V1, V2),
      type: fc.constantFrom("initial" as const, "0-rtt" as const, "handshake" as const),
      dcid: bytesArb(0, 20),
      scid: bytesArb(0, 20),
      token: bytesArb(0, 24),
      pnLength: fc.integer({ min: 1, max: 4 }),
      pnRaw: fc.nat(),
      reserved: fc.integer({ min: 0, max: 3 }),
      payload: bytesArb(20, 64),
    })
    .map(({ version, type, dcid, scid, token, pnLength, pnRaw, reserved, payload }) => {
      const pn = pnRaw % 2 ** (8 * pnLength);
      const tok = type === "initial" ? token : new Uint8Array(0);
      const first = 0xc0 | (TYPE_BITS[version]![type]! << 4) | (reserved << 2) | (pnLength - 1);
      const length = pnLength + payload.length;
      const parts = [u8(first), uintBytes(version, 4), u8(dcid.length), dcid, u8(scid.length), scid];
      if (type === "initial") parts.push(varint(tok.length), tok);
      parts.push(varint(length), uintBytes(pn, 4).subarray(4 - pnLength), payload);
      return {
        packet: {
          type,
          version,
          destinationCid: dcid,
          sourceCid: scid,
          token: tok,
          payloadLength: length,
          packetNumberLength: pnLength,
          truncatedPacketNumber: pn,
          reservedBits: reserved,
          payload,
        },
        bytes: concatBytes(parts),
        shortHeaderCidLength: 0,
      };
    });
}

function shortPacket(): Arbitrary<QuicPacketCase> {
  return fc
    .record({
      dcid: bytesArb(0, 20),
      spin: fc.boolean(),
      keyPhase: fc.integer({ min: 0, max: 1 }),
      reserved: fc.integer({ min: 0, max: 3 }),
      pnLength: fc.integer({ min: 1, max: 4 }),
      pnRaw: fc.nat(),
      payload: bytesArb(20, 64),
    })
    .map(({ dcid, spin, keyPhase, reserved, pnLength, pnRaw, payload }) => {
      const pn = pnRaw % 2 ** (8 * pnLength);
      const first = 0x40 | (spin ? 0x20 : 0) | (reserved << 3) | (keyPhase << 2) | (pnLength - 1);
      return {
        packet: {
          type: "1-rtt",
          destinationCid: dcid,
          spinBit: spin,
          keyPhase,
          reservedBits: reserved,
          packetNumberLength: pnLength,
          truncatedPacketNumber: pn,
          payload,
        },
        bytes: concatBytes([u8(first), dcid, uintBytes(pn, 4).subarray(4 - pnLength), payload]),
        shortHeaderCidLength: dcid.length,
      };
    });
}

function retryPacket(): Arbitrary<QuicPacketCase> {
  return fc
    .record({
      version: fc.constantFrom(V1, V2),
      dcid: bytesArb(0, 20),
      scid: bytesArb(0, 20),
      token: bytesArb(0, 40),
      tag: fc.uint8Array({ minLength: 16, maxLength: 16 }),
      unused: fc.integer({ min: 0, max: 15 }),
    })
    .map(({ version, dcid, scid, token, tag, unused }) => ({
      packet: { type: "retry", version, destinationCid: dcid, sourceCid: scid, token, integrityTag: tag, unusedBits: unused },
      bytes: concatBytes([
        u8(0xc0 | (TYPE_BITS[version]!.retry! << 4) | unused),
        uintBytes(version, 4),
        u8(dcid.length),
        dcid,
        u8(scid.length),
        scid,
        token,
        tag,
      ]),
      shortHeaderCidLength: 0,
    }));
}

function versionNegotiation(): Arbitrary<QuicPacketCase> {
  return fc
    .record({
      dcid: bytesArb(0, 255),
      scid: bytesArb(0, 255),
      versions: fc.array(fc.nat({ max: 0xffffffff }), { minLength: 1, maxLength: 6 }),
      unused: fc.integer({ min: 0, max: 0x7f }),
    })
    .map(({ dcid, scid, versions, unused }) => ({
      packet: {
        type: "version-negotiation",
        version: 0,
        destinationCid: dcid,
        sourceCid: scid,
        supportedVersions: versions,
        unusedBits: unused,
      },
      bytes: concatBytes([
        u8(0x80 | unused),
        uintBytes(0, 4),
        u8(dcid.length),
        dcid,
        u8(scid.length),
        scid,
        ...versions.map((v) => uintBytes(v, 4)),
      ]),
      shortHeaderCidLength: 0,
    }));
}

/**
 * Unprotected QUIC packets of every header form, versions 1 and 2: Initial
 * (with tokens), 0-RTT, Handshake, Retry (with a 16-byte tag), Version
 * Negotiation and 1-RTT, with the fields a reader must find (for the
 * protected types, those `finishPacketHeader` gives with the first byte as
 * sent). `payload` is what follows the packet number.
 *
 * @example
 * ```ts
 * import fc from "fast-check";
 * import { quicPacket } from "httpwire/arbitraries";
 * fc.sample(quicPacket(), 1)[0]!.packet.type; // e.g. "handshake"
 * ```
 */
export function quicPacket(): Arbitrary<QuicPacketCase> {
  return fc.oneof(longPacket(), shortPacket(), retryPacket(), versionNegotiation());
}

/** A datagram of coalesced long-header packets, optionally ending with a 1-RTT packet (RFC 9000 §12.2). */
export function quicDatagram(): Arbitrary<{
  readonly packets: readonly QuicPacketCase[];
  readonly bytes: Uint8Array;
  readonly shortHeaderCidLength: number;
}> {
  return fc
    .tuple(fc.array(longPacket(), { minLength: 1, maxLength: 3 }), fc.option(shortPacket(), { nil: undefined }))
    .map(([longs, short]) => {
      const packets = short === undefined ? longs : [...longs, short];
      return { packets, bytes: concatBytes(packets.map((p) => p.bytes)), shortHeaderCidLength: short?.shortHeaderCidLength ?? 0 };
    });
}
