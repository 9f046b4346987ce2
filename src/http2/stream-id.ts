/**
 * Stream identifier rules (RFC 9113 §5.1.1).
 * @module
 */
import { MAX_STREAM_ID } from "./constants.js";
import { ErrorCode } from "./error-codes.js";
import { connectionError, type Http2Error } from "./errors.js";

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
 * The next stream identifier of the same initiator after `streamId` (two
 * more), or `undefined` when the 31-bit space is exhausted (RFC 9113 §5.1.1:
 * identifiers cannot be reused; open a new connection). The first ones are
 * 1 (client) and 2 (server).
 *
 * @throws RangeError when `streamId` is not an integer in 1..2^31-1.
 * @example
 * ```ts
 * nextStreamId(1); // 3
 * nextStreamId(2); // 4
 * nextStreamId(2147483647); // undefined
 * ```
 */
export function nextStreamId(streamId: number): number | undefined {
  if (!Number.isInteger(streamId) || streamId < 1 || streamId > MAX_STREAM_ID)
    throw new RangeError(`Invalid stream identifier ${String(streamId)}`);
  const next = streamId + 2;
  return next > MAX_STREAM_ID ? undefined : next;
}

/**
 * Checks the identifier of a stream the peer opens (HEADERS on an idle
 * stream, or a promised stream): it must have the peer's parity and be
 * greater than every stream the peer opened before (RFC 9113 §5.1.1: "An
 * endpoint that receives an unexpected stream identifier MUST respond with a
 * connection error of type PROTOCOL_ERROR"). Pure: nothing is thrown.
 *
 * @param initiator who opens the stream (the peer).
 * @param lastPeerId the highest identifier the peer opened so far (0 if none).
 * @returns `undefined` when acceptable, else the connection error
 *   (`stream_id_zero`, `stream_id_wrong_parity`, `stream_id_not_increasing`).
 * @example
 * ```ts
 * checkPeerStreamId(5, "client", 3); // undefined
 * checkPeerStreamId(3, "client", 3); // Http2Error { code: 1, scope: "connection", reason: "stream_id_not_increasing" }
 * ```
 */
export function checkPeerStreamId(id: number, initiator: StreamInitiator, lastPeerId: number): Http2Error | undefined {
  if (id === 0) return connectionError(ErrorCode.PROTOCOL_ERROR, "stream_id_zero", "The peer opened stream 0");
  if ((id % 2 === 1) !== (initiator === "client"))
    return connectionError(
      ErrorCode.PROTOCOL_ERROR,
      "stream_id_wrong_parity",
      `The ${initiator} opened stream ${id}, which is not of its parity`,
    );
  if (id <= lastPeerId)
    return connectionError(
      ErrorCode.PROTOCOL_ERROR,
      "stream_id_not_increasing",
      `The ${initiator} opened stream ${id}, not above its last stream ${lastPeerId}`,
    );
  return undefined;
}
