/**
 * `httpwire/quic`: QUIC variable-length integers and stream IDs (RFC 9000).
 *
 * @example
 * ```ts
 * import { decodeVarint, encodeVarint } from "httpwire/quic";
 * decodeVarint(Uint8Array.of(0x7b, 0xbd)); // { status: "ok", value: 15293, length: 2 }
 * encodeVarint(15293); // Uint8Array [0x7b, 0xbd]
 * ```
 * @module
 */
export { QuicError } from "./errors.js";
export { TransportErrorCode, transportErrorName } from "./error-codes.js";
export {
  MAX_VARINT,
  MAX_VARINT_NUMBER,
  VARINT_NEED_MORE,
  VARINT_TOO_LARGE,
  decodeVarint,
  decodeVarintBig,
  encodeVarint,
  normalizeVarint,
  readVarint,
  readVarintAny,
  readVarintBig,
  varintLength,
  varintLengthOfFirstByte,
  writeVarint,
} from "./varint.js";
export type { DecodedVarint, VarintLength, VarintNeedMore, VarintResult } from "./varint.js";
/** The `{ buf, pos, end }` read position taken by {@link readVarint} and its twins. */
export type { Cursor } from "../shared/cursor.js";
export {
  MAX_STREAMS_LIMIT,
  MAX_STREAM_ID,
  StreamIdType,
  checkMaxStreams,
  checkStreamLimit,
  compareStreamIds,
  direction,
  initiator,
  isBidirectional,
  isClientInitiated,
  isValidStreamId,
  makeStreamId,
  maxStreamIdForCount,
  nextStreamId,
  streamCountToOpen,
  streamIdType,
  streamIndex,
} from "./stream-id.js";
export type { StreamDirection, StreamInitiator } from "./stream-id.js";
