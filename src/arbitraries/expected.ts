/**
 * The shape every "malformed" arbitrary yields: the bytes and the error a
 * conforming receiver must answer with.
 * @module
 */

/** The error a receiver must report for a malformed input. */
export interface ExpectedError {
  /** Numeric error code as sent on the wire (RFC 9113 §7, RFC 9114 §8.1, RFC 9204 §6). */
  readonly code: number;
  /** The RFC name of `code`, e.g. `"FRAME_SIZE_ERROR"`. */
  readonly codeName: string;
  /** Whether the error closes the connection or only resets a stream. */
  readonly scope: "connection" | "stream";
  /**
   * The `reason` token httpwire's decoder reports (`HttpwireError.reason`);
   * informative for other stacks.
   */
  readonly reason?: string;
}

/** A named malformed input and the error it must produce. */
export interface MalformedCase<K extends string = string> {
  /** The defect, e.g. `"ping-length-invalid"`. */
  readonly kind: K;
  /** The wire bytes. */
  readonly bytes: Uint8Array;
  /** What a conforming receiver must answer. */
  readonly expected: ExpectedError;
}
