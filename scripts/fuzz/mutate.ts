/**
 * The mutation engine: bit flips, interesting bytes, truncation, deletion,
 * duplication, insertion, splicing, repetition (to grow inputs for the
 * linearity check) and length-field edits, applied to valid encodings.
 */

import { concatBytes, prefixIntBytes as prefixInt } from "../../src/arbitraries/bytes.js";
import type { Rng } from "./rng.js";

const concat = (...parts: Uint8Array[]): Uint8Array => concatBytes(parts);

/** Where a target's length fields are, so mutations can edit them. */
export interface LengthField {
  /** Byte offset of the field. */
  readonly offset: number;
  /** Its encoding: a 24-bit big-endian length (HTTP/2), a QUIC varint, or an HPACK/QPACK prefix integer. */
  readonly kind: "u24" | "varint" | "prefix";
  /** Bytes the field takes now. */
  readonly size: number;
  /** Prefix bits for `prefix` fields. */
  readonly prefixBits?: number;
}

/** The mutation kinds, reported in the campaign table. */
export type MutationKind = "bitflip" | "interesting" | "truncate" | "delete" | "duplicate" | "insert" | "splice" | "repeat" | "length";

const INTERESTING = [0x00, 0x01, 0x3f, 0x40, 0x7f, 0x80, 0xbf, 0xc0, 0xfe, 0xff, 0x1f, 0x20, 0x0f, 0x10];

function varint8(v: bigint, size: number): Uint8Array {
  const len = size >= 8 ? 8 : size >= 4 ? 4 : size >= 2 ? 2 : 1;
  const max = [0n, 63n, 16383n, 0n, 1073741823n, 0n, 0n, 0n, 2n ** 62n - 1n][len]!;
  let x = v > max ? max : v;
  const out = new Uint8Array(len);
  for (let i = len - 1; i >= 0; i--) {
    out[i] = Number(x & 0xffn);
    x >>= 8n;
  }
  out[0] = (out[0]! & 0x3f) | [0, 0x00, 0x40, 0, 0x80, 0, 0, 0, 0xc0][len]!;
  return out;
}

/** A boundary-biased new value for a length field that currently spans `remaining` bytes of input. */
function newLength(rng: Rng, remaining: number): number {
  switch (rng.int(8)) {
    case 0:
      return 0;
    case 1:
      return remaining + 1;
    case 2:
      return Math.max(0, remaining - 1);
    case 3:
      return 0xffffff;
    case 4:
      return 16_384 + rng.int(2);
    case 5:
      return 2 ** 31 - 1;
    case 6:
      return rng.int(remaining + 16);
    default:
      return rng.int(1 << 20);
  }
}

/** Rewrites one length field with a boundary value, resizing the field if its encoding needs more bytes. */
export function editLength(input: Uint8Array, field: LengthField, rng: Rng): Uint8Array {
  const remaining = input.length - field.offset - field.size;
  const v = newLength(rng, remaining);
  let enc: Uint8Array;
  if (field.kind === "u24") enc = Uint8Array.of((v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff);
  else if (field.kind === "varint") {
    const huge = rng.chance(0.15);
    enc = varint8(huge ? 2n ** 62n - 1n - BigInt(rng.int(4)) : BigInt(v), huge ? 8 : rng.pick([1, 2, 4, 8]));
  } else {
    const bits = field.prefixBits ?? 7;
    const high = input[field.offset]! & ~((1 << bits) - 1) & 0xff;
    enc = rng.chance(0.1)
      ? concat(Uint8Array.of(high | ((1 << bits) - 1)), new Uint8Array(6 + rng.int(8)).fill(0xff), Uint8Array.of(0x7f))
      : prefixInt(v, bits, high);
  }
  return concat(input.subarray(0, field.offset), enc, input.subarray(field.offset + field.size));
}

/**
 * Applies one mutation to `input` (never modified in place). `other` is a
 * second seed for splicing; `lengths` lists the target's length fields.
 */
export function mutateOnce(
  input: Uint8Array,
  rng: Rng,
  other: Uint8Array,
  lengths: (b: Uint8Array) => LengthField[],
): [Uint8Array, MutationKind] {
  const n = input.length;
  const r = rng.int(100);
  if (r < 18 && n > 0) {
    const out = input.slice();
    const flips = 1 + rng.int(4);
    for (let i = 0; i < flips; i++) out[rng.int(n)]! ^= 1 << rng.int(8);
    return [out, "bitflip"];
  }
  if (r < 30 && n > 0) {
    const out = input.slice();
    out[rng.int(n)] = rng.pick(INTERESTING);
    return [out, "interesting"];
  }
  if (r < 40 && n > 0) return [input.slice(0, rng.int(n)), "truncate"];
  if (r < 47 && n > 1) {
    const a = rng.int(n);
    const b = Math.min(n, a + 1 + rng.int(16));
    return [concat(input.subarray(0, a), input.subarray(b)), "delete"];
  }
  if (r < 54 && n > 0) {
    const a = rng.int(n);
    const b = Math.min(n, a + 1 + rng.int(32));
    return [concat(input.subarray(0, b), input.subarray(a, b), input.subarray(b)), "duplicate"];
  }
  if (r < 60) {
    const a = rng.int(n + 1);
    return [concat(input.subarray(0, a), rng.bytes(1 + rng.int(8)), input.subarray(a)), "insert"];
  }
  if (r < 70) {
    const a = rng.int(n + 1);
    const b = rng.int(other.length + 1);
    return [concat(input.subarray(0, a), other.subarray(b)), "splice"];
  }
  if (r < 73 && n > 0) {
    // Repeat a segment to grow the input (to 1 KiB, now and then 16 KiB): the linearity check needs large inputs.
    const a = rng.int(n);
    const b = Math.min(n, a + 1 + rng.int(64));
    const budget = rng.chance(0.1) ? 16_384 : 1_024;
    const times = 2 + rng.int(Math.max(2, Math.floor(budget / (b - a))));
    const parts: Uint8Array[] = [input.subarray(0, b)];
    for (let i = 0; i < times; i++) parts.push(input.subarray(a, b));
    parts.push(input.subarray(b));
    return [concat(...parts), "repeat"];
  }
  const fields = lengths(input);
  if (fields.length > 0) return [editLength(input, rng.pick(fields), rng), "length"];
  const out = input.slice();
  if (n > 0) out[rng.int(n)] = 0xff;
  return [out, "interesting"];
}
