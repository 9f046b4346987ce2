/**
 * The one error base class of the toolkit.
 *
 * Every protocol violation found while decoding is thrown as a subclass of
 * {@link HttpwireError} that carries the protocol's own numeric error code,
 * its RFC name, whether the error is connection- or stream-scoped, a short
 * machine token (`reason`) naming the check that failed, and the byte offset
 * where it was detected. "Not enough bytes yet" is never an error: the
 * decoders report it as a result so the caller can feed more.
 *
 * Mistakes by the caller (encoding a value out of range, a malformed
 * argument) are programming errors and throw `RangeError` / `TypeError`.
 *
 * @module
 */

/** Whether an error ends the whole connection or only one stream. */
export type ErrorScope = "connection" | "stream";

/** Options common to every {@link HttpwireError}. */
export interface HttpwireErrorOptions {
  /** Short token naming the failed check, e.g. `"settings_length_not_multiple_of_6"`. */
  readonly reason: string;
  /** Connection or stream error; defaults to `"connection"`. */
  readonly scope?: ErrorScope;
  /** The stream concerned, for stream errors and where known. */
  readonly streamId?: number | bigint;
  /** Byte offset in the input where the violation was detected. */
  readonly offset?: number;
  /** The lower-layer error that caused this one (ES2022 `cause`). */
  readonly cause?: unknown;
}

/**
 * Base class of every error the toolkit throws for bad input.
 *
 * @example
 * ```ts
 * import { HttpwireError } from "httpwire";
 * import { HpackDecoder } from "httpwire/hpack";
 * try {
 *   new HpackDecoder().decode(new Uint8Array([0x80])); // index 0
 * } catch (e) {
 *   if (e instanceof HttpwireError) console.log(e.codeName, e.reason);
 * }
 * ```
 */
export class HttpwireError extends Error {
  override name = "HttpwireError";
  /** The numeric error code exactly as it is sent on the wire. */
  readonly code: number;
  /** The RFC name of {@link code}, e.g. `"FRAME_SIZE_ERROR"`. */
  readonly codeName: string;
  /** Connection or stream error. */
  readonly scope: ErrorScope;
  /** The stream concerned, where known. */
  readonly streamId: number | bigint | undefined;
  /** Token naming the check that failed; stable, for tests and metrics. */
  readonly reason: string;
  /** Byte offset in the input where the violation was detected. */
  readonly offset: number | undefined;

  constructor(message: string, code: number, codeName: string, options: HttpwireErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.codeName = codeName;
    this.scope = options.scope ?? "connection";
    this.streamId = options.streamId;
    this.reason = options.reason;
    this.offset = options.offset;
  }
}

/** Type guard for {@link HttpwireError}. */
export function isHttpwireError(value: unknown): value is HttpwireError {
  return value instanceof HttpwireError;
}

/** Formats a code as `0x` followed by at least two hex digits. */
export function hexCode(code: number | bigint): string {
  const s = code.toString(16);
  return `0x${s.length < 2 ? `0${s}` : s}`;
}

/** How a module builds its errors: its {@link HttpwireError} subclass's constructor. */
export type ErrorConstructor<E extends HttpwireError> = new (message: string, code: number, options: HttpwireErrorOptions) => E;

/** The two error helpers every module has, one per scope (docs/architecture.md, "Conventions"). */
export interface ScopedErrors<E extends HttpwireError> {
  /** A connection-scoped error; the caller writes `throw`. */
  connectionError(code: number, reason: string, message: string, offset?: number): E;
  /**
   * A stream-scoped error for `streamId` (`undefined` when the caller does
   * not know it); the caller throws it or reports it as an event.
   */
  streamError(code: number, streamId: number | bigint | undefined, reason: string, message: string, offset?: number): E;
}

/**
 * Makes a module's {@link ScopedErrors} from its error class: the one place
 * where scope, stream and offset are put on an error.
 * @internal
 */
export function scopedErrors<E extends HttpwireError>(Class: ErrorConstructor<E>): ScopedErrors<E> {
  return {
    connectionError: (code, reason, message, offset) => new Class(message, code, { reason, scope: "connection", offset }),
    streamError: (code, streamId, reason, message, offset) => new Class(message, code, { reason, scope: "stream", streamId, offset }),
  };
}
