/**
 * "Need more bytes": the one public result shape and the one internal
 * sentinel set (docs/architecture.md, "Conventions").
 *
 * @module
 */

/**
 * What a public pure `read*` function returns when the input ends inside the
 * unit it reads. Running out of bytes is normal on a network, so it is a
 * result, never an error.
 */
export interface NeedMore {
  readonly status: "need-more";
  /**
   * Bytes still needed before the unit can be read (at least 1). When only
   * a lower bound is known it is that bound: call again once it has arrived.
   */
  readonly needed: number;
}

/** Makes a {@link NeedMore} result. */
export function needMore(needed: number): NeedMore {
  return { status: "need-more", needed: Math.max(needed, 1) };
}

/** Whether a `read*` result is {@link NeedMore}. */
export function isNeedMore(result: unknown): result is NeedMore {
  return typeof result === "object" && result !== null && (result as { status?: unknown }).status === "need-more";
}

/*
 * The internal convention: pure internal readers that return a number, a
 * string or an object return one of these negative sentinels instead of
 * throwing for the common failures, so hot paths allocate nothing. Each
 * failure has its own value, defined here only.
 */

/** Internal sentinel: the input ended inside the unit. @internal */
export const NEED_MORE = -1;
/** Internal sentinel: a length is over the caller's limit. @internal */
export const TOO_LONG = -2;
/** Internal sentinel: an integer does not fit the implementation's range. @internal */
export const OVERFLOW = -3;
/** Internal sentinel: Huffman data decoded the EOS symbol. @internal */
export const HUFFMAN_EOS_DECODED = -4;
/** Internal sentinel: Huffman padding longer than 7 bits or not all ones. @internal */
export const HUFFMAN_BAD_PADDING = -5;

/** Any internal sentinel. @internal */
export type Sentinel = typeof NEED_MORE | typeof TOO_LONG | typeof OVERFLOW | typeof HUFFMAN_EOS_DECODED | typeof HUFFMAN_BAD_PADDING;
