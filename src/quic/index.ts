/**
 * `httpwire/quic`: the QUIC wire format (RFC 9000, RFC 9369 for version 2):
 * variable-length integers, stream IDs, packet headers and coalesced
 * packets, packet numbers, transport frames and transport parameters. Codec
 * level only: no cryptography (header and packet protection are the
 * caller's, e.g. `httpwire/capture`).
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
export { DATAGRAM_LEN_BIT, QuicFrameType, quicFrameTypeName, STREAM_FRAME_TYPE_LAST, StreamFrameBits } from "./frame-type.js";
export type { AckedRange, DecodeFramesOptions } from "./frames/decode.js";
export { ackedRanges, decodeFrames } from "./frames/decode.js";
export { encodeFrames, quicFrameTypeOf } from "./frames/encode.js";
export { checkFramePermitted, isFramePermitted } from "./frames/permitted.js";
export type {
  AckFrame,
  AckRange,
  ApplicationCloseFrame,
  ConnectionCloseFrame,
  CryptoFrame,
  DataBlockedFrame,
  DatagramFrame,
  EcnCounts,
  FramePacketType,
  HandshakeDoneFrame,
  MaxDataFrame,
  MaxStreamDataFrame,
  MaxStreamsFrame,
  NewConnectionIdFrame,
  NewTokenFrame,
  PaddingFrame,
  PathChallengeFrame,
  PathResponseFrame,
  PingFrame,
  QuicFrame,
  QuicFrameInput,
  ResetStreamFrame,
  RetireConnectionIdFrame,
  StopSendingFrame,
  StreamDataBlockedFrame,
  StreamFrame,
  StreamsBlockedFrame,
  TransportCloseFrame,
} from "./frames/types.js";
export type {
  DecodedDatagram,
  LongHeader,
  LongHeaderInput,
  PacketHeader,
  ProtectedLongHeader,
  ProtectedPacketHeader,
  ProtectedShortHeader,
  ReadPacketOptions,
  RetryInput,
  RetryPacket,
  ShortHeader,
  ShortHeaderInput,
  UnknownVersionPacket,
  VersionNegotiationInput,
  VersionNegotiationPacket,
} from "./packet.js";
export {
  checkReservedBits,
  decodeDatagram,
  encodePacketHeader,
  finishPacketHeader,
  HEADER_PROTECTION_SAMPLE_LENGTH,
  MAX_CONNECTION_ID_LENGTH,
  PacketBits,
  RETRY_INTEGRITY_TAG_LENGTH,
  readPacketHeader,
  retryPseudoPacket,
} from "./packet.js";
export type { PacketNumberLength } from "./packet-number.js";
export { decodePacketNumber, encodePacketNumber, MAX_PACKET_NUMBER, packetNumberLength } from "./packet-number.js";
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
export type {
  DecodeTransportParametersOptions,
  PreferredAddress,
  TransportParameters,
  UnknownTransportParameter,
  VersionInformation,
} from "./transport-parameters.js";
export {
  decodeTransportParameters,
  encodeTransportParameters,
  isReservedTransportParameter,
  TransportParameterId,
  transportParameterName,
} from "./transport-parameters.js";
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
export type { LongPacketType } from "./version.js";
export { isReservedVersion, isSupportedVersion, longPacketType, longPacketTypeBits, QuicVersion, quicVersionName } from "./version.js";
