/**
 * QPACK indexing (RFC 9204 §3.2.4-§3.2.6) and the Required Insert Count /
 * Base encodings of the field section prefix (§4.5.1): the one place these
 * formulas are written; the decoder, the encoder and the field line readers
 * and writers all call these functions.
 *
 * One worked example. Eight entries were inserted (Insert Count n = 8); the
 * two oldest were evicted (d = 2). An encoder starts a field section with
 * Base = 6, then inserts two more entries while encoding it (n = 10 after):
 *
 * ```
 *                                   Base = 6
 *                                      |
 *   absolute        9     8     7     6  |  5     4     3     2   | 1  0
 *                +-----+-----+-----+-----+-----+-----+-----+-----+  evicted
 *   relative     |     |     |     |     |  0  |  1  |  2  |  3  |
 *   (field line) +-----+-----+-----+-----+-----+-----+-----+-----+
 *   post-base    |  3  |  2  |  1  |  0  |
 *                +-----+-----+-----+-----+
 *   relative     |  0  |  1  |  2  |  3  |  4  |  5  |  6  |  7  |
 *   (encoder stream, after both inserts: from Insert Count - 1)
 *
 *   field line, relative:   absolute = Base - 1 - relative   (5 = 6 - 1 - 0)
 *   field line, post-base:  absolute = Base + postBase       (9 = 6 + 3)
 *   encoder stream:         absolute = insertCount - 1 - relative
 * ```
 *
 * If the section references entry 9, its Required Insert Count is 10, and the
 * prefix carries EncInsertCount = 10 mod (2 * MaxEntries) + 1, a Sign bit of
 * 1 and Delta Base = RIC - Base - 1 = 3. A reference to absolute index 1 or 0
 * (evicted) or to 10 or above (>= RIC) is a QPACK_DECOMPRESSION_FAILED.
 *
 * @module
 */
import { QpackErrorCode } from "./error-codes.js";
import { connectionError } from "./errors.js";

/** Absolute index of a field-line relative index (RFC 9204 §3.2.5). */
export function relativeToAbsolute(base: number, relative: number): number {
  return base - 1 - relative;
}

/** Field-line relative index of absolute index `abs` (`abs < base`, RFC 9204 §3.2.5). */
export function absoluteToRelative(base: number, abs: number): number {
  return base - 1 - abs;
}

/** Absolute index of a post-base index (RFC 9204 §3.2.6). */
export function postBaseToAbsolute(base: number, postBase: number): number {
  return base + postBase;
}

/** Post-base index of absolute index `abs` (`abs >= base`, RFC 9204 §3.2.6). */
export function absoluteToPostBase(base: number, abs: number): number {
  return abs - base;
}

/** Absolute index of an encoder-stream relative index (RFC 9204 §3.2.5). */
export function encoderRelativeToAbsolute(insertCount: number, relative: number): number {
  return insertCount - 1 - relative;
}

/** Encoder-stream relative index of absolute index `abs` (RFC 9204 §3.2.5). */
export function absoluteToEncoderRelative(insertCount: number, abs: number): number {
  return insertCount - 1 - abs;
}

/**
 * RFC 9204 §4.5.1.1, encoder side:
 * EncInsertCount = ReqInsertCount mod (2 * MaxEntries) + 1, or 0 for 0.
 */
export function encodeRequiredInsertCount(requiredInsertCount: number, maxEntries: number): number {
  if (requiredInsertCount === 0) return 0;
  return (requiredInsertCount % (2 * maxEntries)) + 1;
}

/**
 * RFC 9204 §4.5.1.1, decoder side: the pseudocode with its three error
 * branches, each a connection error of type QPACK_DECOMPRESSION_FAILED ("a
 * value that a conformant encoder could not have produced").
 *
 * @returns the Required Insert Count
 * @throws QpackError QPACK_DECOMPRESSION_FAILED `ric_exceeds_full_range`
 *   (EncodedInsertCount > 2 * MaxEntries), `ric_invalid_wrap` (it cannot
 *   have wrapped one fewer time), `ric_zero_encoded_nonzero` (it decodes to
 *   0 but was not encoded as 0)
 */
export function decodeRequiredInsertCount(encoded: number, maxEntries: number, totalInserts: number): number {
  if (encoded === 0) return 0;
  const fullRange = 2 * maxEntries;
  if (encoded > fullRange) throw invalidRic(encoded, "ric_exceeds_full_range");
  const maxValue = totalInserts + maxEntries;
  const maxWrapped = Math.floor(maxValue / fullRange) * fullRange;
  let ric = maxWrapped + encoded - 1;
  if (ric > maxValue) {
    if (ric <= fullRange) throw invalidRic(encoded, "ric_invalid_wrap");
    ric -= fullRange;
  }
  if (ric === 0) throw invalidRic(encoded, "ric_zero_encoded_nonzero");
  return ric;
}

function invalidRic(encoded: number, reason: string) {
  return connectionError(
    QpackErrorCode.QPACK_DECOMPRESSION_FAILED,
    reason,
    `Cannot decode field section: invalid encoded Required Insert Count ${encoded}`,
    0,
  );
}

/**
 * RFC 9204 §4.5.1.2, encoder side: the Delta Base for `base`; its Sign bit
 * is `base < requiredInsertCount`.
 */
export function encodeDeltaBase(requiredInsertCount: number, base: number): number {
  return base >= requiredInsertCount ? base - requiredInsertCount : requiredInsertCount - base - 1;
}

/**
 * RFC 9204 §4.5.1.2, decoder side: the Base from the Sign bit and Delta Base.
 *
 * @throws QpackError QPACK_DECOMPRESSION_FAILED `negative_base` when the Sign
 *   is 1 and the Required Insert Count is at most the Delta Base
 */
export function decodeBase(requiredInsertCount: number, sign: boolean, deltaBase: number): number {
  if (!sign) return requiredInsertCount + deltaBase;
  if (requiredInsertCount <= deltaBase) {
    throw connectionError(
      QpackErrorCode.QPACK_DECOMPRESSION_FAILED,
      "negative_base",
      `Cannot decode field section: Base would be negative (Required Insert Count ${requiredInsertCount}, Delta Base ${deltaBase})`,
      1,
    );
  }
  return requiredInsertCount - deltaBase - 1;
}
