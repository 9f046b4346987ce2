/**
 * Reserved ("GREASE") code points of HTTP/3: `0x1f * N + 0x21` for N >= 0.
 * RFC 9114 reserves this pattern for frame types (§7.2.8), unidirectional
 * stream types (§6.2.3), setting identifiers (§7.2.4.1) and error codes
 * (§8.1), so that peers exercise the rule that unknown values are ignored.
 *
 * @module
 */
import { MAX_VARINT, normalizeVarint } from "../quic/varint.js";
import { hexCode } from "../shared/errors.js";

/** The first reserved value (N = 0). */
const GREASE_FIRST = 0x21;
/** The distance between reserved values. */
const GREASE_STEP = 0x1f;
const GREASE_FIRST_BIG = BigInt(GREASE_FIRST);
const GREASE_STEP_BIG = BigInt(GREASE_STEP);

/** The largest N for which `0x1f * N + 0x21` is still a varint (<= 2^62 - 1). */
export const MAX_GREASE_INDEX = (MAX_VARINT - GREASE_FIRST_BIG) / GREASE_STEP_BIG;

/**
 * Whether `value` has the reserved form `0x1f * N + 0x21`. Never throws
 * (non-integers and negatives are simply not reserved).
 *
 * @example
 * ```ts
 * isGreaseValue(0x21); // true
 * isGreaseValue(0x40); // true (N = 1)
 * isGreaseValue(0x04); // false
 * ```
 */
export function isGreaseValue(value: number | bigint): boolean {
  if (typeof value === "number") {
    if (!Number.isSafeInteger(value)) return false;
    return value >= GREASE_FIRST && (value - GREASE_FIRST) % GREASE_STEP === 0;
  }
  return value >= GREASE_FIRST_BIG && value <= MAX_VARINT && (value - GREASE_FIRST_BIG) % GREASE_STEP_BIG === 0n;
}

/**
 * The name of a code point in one of HTTP/3's registries: its RFC name from
 * `names`, else `GREASE_0x..` for a reserved value or `UNKNOWN_0x..`. Never
 * throws. Shared by the frame type, setting and stream type tables.
 * @internal
 */
export function registryName(names: ReadonlyMap<number, string>, value: number | bigint): string {
  const name = typeof value === "number" ? names.get(value) : undefined;
  if (name !== undefined) return name;
  return (isGreaseValue(value) ? "GREASE_" : "UNKNOWN_") + hexCode(value);
}

/**
 * The `n`-th reserved value, `0x1f * n + 0x21`: a `number` when at most
 * `Number.MAX_SAFE_INTEGER`, else a `bigint`.
 *
 * @throws RangeError when `n` is not an integer 0..{@link MAX_GREASE_INDEX}
 * @example
 * ```ts
 * greaseValue(0); // 0x21
 * greaseValue(1); // 0x40
 * ```
 */
export function greaseValue(n: number | bigint): number | bigint {
  if (typeof n === "number" && !Number.isSafeInteger(n)) throw new RangeError(`Invalid GREASE index: ${String(n)} is not a safe integer`);
  if (typeof n !== "number" && typeof n !== "bigint")
    throw new TypeError(`Invalid GREASE index: expected a number or bigint, got ${typeof n}`);
  const big = BigInt(n);
  if (big < 0n || big > MAX_GREASE_INDEX) throw new RangeError(`Invalid GREASE index: ${n} is outside 0..${MAX_GREASE_INDEX}`);
  return normalizeVarint(GREASE_STEP_BIG * big + GREASE_FIRST_BIG);
}

/**
 * A random reserved value, N drawn uniformly from `0..maxIndex` with the
 * caller's random source (the library never calls `Math.random` itself).
 *
 * @param random returns a float in [0, 1), e.g. `Math.random` or a seeded PRNG
 * @param maxIndex largest N to draw (default {@link MAX_GREASE_INDEX}: the whole
 *   62-bit space, so 8-byte encodings get exercised too)
 * @throws RangeError when `maxIndex` is out of range or `random` returns a value outside [0, 1)
 * @example
 * ```ts
 * randomGreaseValue(() => 0); // 0x21
 * randomGreaseValue(Math.random, 1000); // one of 0x21, 0x40, ... 0x1f * 1000 + 0x21
 * ```
 */
export function randomGreaseValue(random: () => number, maxIndex: number | bigint = MAX_GREASE_INDEX): number | bigint {
  const max = BigInt(maxIndex);
  if (max < 0n || max > MAX_GREASE_INDEX) throw new RangeError(`Invalid GREASE index bound: ${maxIndex} is outside 0..${MAX_GREASE_INDEX}`);
  const draw = (): number => {
    const r = random();
    if (!(r >= 0 && r < 1)) throw new RangeError(`Random source returned ${r}, expected a value in [0, 1)`);
    return r;
  };
  const range = max + 1n;
  let n: bigint;
  if (range <= 2n ** 32n) {
    n = BigInt(Math.floor(draw() * Number(range)));
  } else {
    // Two draws give 60 random bits; the modulo bias is below 2^-3.
    const hi = BigInt(Math.floor(draw() * 2 ** 30));
    const lo = BigInt(Math.floor(draw() * 2 ** 30));
    n = ((hi << 30n) | lo) % range;
  }
  return greaseValue(n);
}
