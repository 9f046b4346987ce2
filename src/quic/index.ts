/**
 * `httpwire/quic`: QUIC variable-length integers and stream IDs (RFC 9000).
 *
 * @example
 * ```ts
 * import { readVarint, encodeVarint } from "httpwire/quic";
 * readVarint(Uint8Array.of(0x7b, 0xbd)); // { status: "ok", value: 15293, length: 2 }
 * encodeVarint(15293); // Uint8Array [0x7b, 0xbd]
 * ```
 * @module
 */

/** What every `read*` function returns when the input ends inside the unit. */
export type { NeedMore } from "../shared/result.js";
export { TransportErrorCode, transportErrorName } from "./error-codes.js";
export { QuicError } from "./errors.js";
export type { StreamDirection, StreamInitiator } from "./stream-id.js";
export {
  checkMaxStreams,
  checkStreamLimit,
  compareStreamIds,
  direction,
  initiator,
  isBidirectional,
  isClientInitiated,
  isValidStreamId,
  MAX_STREAM_ID,
  MAX_STREAMS_LIMIT,
  makeStreamId,
  maxStreamIdForCount,
  nextStreamId,
  StreamIdType,
  streamCountToOpen,
  streamIdType,
  streamIndex,
} from "./stream-id.js";
export type { DecodedVarint, ReadVarintResult, VarintLength, VarintNeedMore, VarintResult } from "./varint.js";
export {
  encodeVarint,
  MAX_VARINT,
  MAX_VARINT_NUMBER,
  normalizeVarint,
  readVarint,
  readVarintBig,
  varintLength,
  varintLengthOfFirstByte,
  writeVarint,
} from "./varint.js";
