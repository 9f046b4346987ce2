/**
 * QPACK indexing (RFC 9204 §3.2.4-§3.2.6) and the Required Insert Count /
 * Base encodings of the field section prefix (§4.5.1).
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

/** Absolute index of a field-line relative index (RFC 9204 §3.2.5). */
export function relativeToAbsolute(base: number, relative: number): number {
  return base - 1 - relative;
}

/** Absolute index of a post-base index (RFC 9204 §3.2.6). */
export function postBaseToAbsolute(base: number, postBase: number): number {
  return base + postBase;
}

/** Absolute index of an encoder-stream relative index (RFC 9204 §3.2.5). */
export function encoderRelativeToAbsolute(insertCount: number, relative: number): number {
  return insertCount - 1 - relative;
}

/**
 * RFC 9204 §4.5.1.1, encoder side:
 * EncInsertCount = ReqInsertCount mod (2 * MaxEntries) + 1, or 0 for 0.
 */
export function encodeRequiredInsertCount(requiredInsertCount: number, maxEntries: number): number {
  if (requiredInsertCount === 0) return 0;
  return (requiredInsertCount % (2 * maxEntries)) + 1;
}

/** {@link decodeRequiredInsertCount}: EncodedInsertCount > FullRange. */
export const RIC_EXCEEDS_FULL_RANGE = -1;
/** {@link decodeRequiredInsertCount}: the value cannot have wrapped one fewer time. */
export const RIC_INVALID_WRAP = -2;
/** {@link decodeRequiredInsertCount}: a Required Insert Count of 0 not encoded as 0. */
export const RIC_ZERO_NOT_ENCODED_AS_ZERO = -3;

/**
 * RFC 9204 §4.5.1.1, decoder side: the pseudocode with its three error
 * branches, returned as negative sentinels so the caller raises the error.
 *
 * @returns the Required Insert Count, or {@link RIC_EXCEEDS_FULL_RANGE},
 *   {@link RIC_INVALID_WRAP}, {@link RIC_ZERO_NOT_ENCODED_AS_ZERO}
 */
export function decodeRequiredInsertCount(encoded: number, maxEntries: number, totalInserts: number): number {
  if (encoded === 0) return 0;
  const fullRange = 2 * maxEntries;
  if (encoded > fullRange) return RIC_EXCEEDS_FULL_RANGE;
  const maxValue = totalInserts + maxEntries;
  const maxWrapped = Math.floor(maxValue / fullRange) * fullRange;
  let ric = maxWrapped + encoded - 1;
  if (ric > maxValue) {
    if (ric <= fullRange) return RIC_INVALID_WRAP;
    ric -= fullRange;
  }
  if (ric === 0) return RIC_ZERO_NOT_ENCODED_AS_ZERO;
  return ric;
}
