/**
 * Stream identifier rules (RFC 9113 §5.1.1).
 * @module
 */
import type { ErrorScope } from "../shared/errors.js";
import { MAX_STREAM_ID } from "./constants.js";
import { ErrorCode } from "./error-codes.js";

/** Who opened a stream. */
export type StreamInitiator = "client" | "server";

/** Client-initiated streams are odd (RFC 9113 §5.1.1). */
export function isClientStreamId(id: number): boolean {
  return id % 2 === 1;
}

/** Server-initiated streams are even and non-zero (RFC 9113 §5.1.1). */
export function isServerStreamId(id: number): boolean {
  return id !== 0 && id % 2 === 0;
}

/**
 * Who initiated a non-zero stream: odd identifiers are the client's, even
 * ones the server's (RFC 9113 §5.1.1).
 *
 * @throws RangeError when `id` is not an integer in 1..2^31-1.
 * @example
 * ```ts
 * streamInitiator(3); // "client"
 * streamInitiator(4); // "server"
 * ```
 */
export function streamInitiator(id: number): StreamInitiator {
  if (!Number.isInteger(id) || id < 1 || id > MAX_STREAM_ID) throw new RangeError(`Invalid stream identifier ${String(id)}`);
  return id % 2 === 1 ? "client" : "server";
}

/**
 * The next stream identifier an endpoint may open after `lastId` (0 when
 * none yet), or `undefined` when the space is exhausted (RFC 9113 §5.1.1:
 * identifiers cannot be reused; open a new connection).
 *
 * @throws RangeError when `lastId` is not 0 or a stream identifier of
 *   `initiator`'s parity in 1..2^31-1.
 * @example
 * ```ts
 * nextStreamId("client", 0); // 1
 * nextStreamId("client", 2147483647); // undefined
 * ```
 */
export function nextStreamId(initiator: StreamInitiator, lastId: number): number | undefined {
  if (initiator !== "client" && initiator !== "server") throw new RangeError(`initiator must be "client" or "server", got ${String(initiator)}`);
  if (!Number.isInteger(lastId) || lastId < 0 || lastId > MAX_STREAM_ID || (lastId !== 0 && (lastId % 2 === 1) !== (initiator === "client")))
    throw new RangeError(`lastId ${String(lastId)} is not 0 or a ${initiator} stream identifier`);
  const next = lastId === 0 ? (initiator === "client" ? 1 : 2) : lastId + 2;
  return next > MAX_STREAM_ID ? undefined : next;
}

/** Why a peer's new stream identifier is unacceptable. */
export interface StreamIdError {
  readonly code: number;
  readonly scope: ErrorScope;
  readonly reason: "stream_id_wrong_parity" | "stream_id_not_increasing" | "stream_id_zero";
}

/**
 * Checks the identifier of a stream the peer opens (HEADERS on an idle
 * stream, or a promised stream): it must have the peer's parity and be
 * greater than every stream the peer opened before (RFC 9113 §5.1.1: "An
 * endpoint that receives an unexpected stream identifier MUST respond with a
 * connection error of type PROTOCOL_ERROR").
 *
 * @param peer who opens the stream.
 * @param lastPeerId the highest identifier the peer opened so far (0 if none).
 * @returns `undefined` when acceptable, else the error.
 * @example
 * ```ts
 * checkPeerStreamId(5, "client", 3); // undefined
 * checkPeerStreamId(3, "client", 3); // { code: 1, scope: "connection", reason: "stream_id_not_increasing" }
 * ```
 */
export function checkPeerStreamId(id: number, peer: StreamInitiator, lastPeerId: number): StreamIdError | undefined {
  if (id === 0) return { code: ErrorCode.PROTOCOL_ERROR, scope: "connection", reason: "stream_id_zero" };
  if ((id % 2 === 1) !== (peer === "client")) return { code: ErrorCode.PROTOCOL_ERROR, scope: "connection", reason: "stream_id_wrong_parity" };
  if (id <= lastPeerId) return { code: ErrorCode.PROTOCOL_ERROR, scope: "connection", reason: "stream_id_not_increasing" };
  return undefined;
}
