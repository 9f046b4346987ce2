/**
 * `httpwire/arbitraries`: fast-check arbitraries for fuzzing HTTP/2 and
 * HTTP/3 stacks (fast-check is an optional peer dependency): varints, stream
 * IDs, QUIC packets and transport frames, header lists (valid and hostile),
 * HPACK blocks, QPACK sections with their encoder streams, every HTTP/2 and HTTP/3 frame (valid, and malformed
 * in named ways with the error a receiver must answer with), and chunkings
 * of a byte stream.
 *
 * @example
 * ```ts
 * import fc from "fast-check";
 * import { http2MalformedFrame } from "httpwire/arbitraries";
 * fc.assert(fc.property(http2MalformedFrame(), ({ bytes, expected }) => {
 *   // send `bytes` to your server after the preface and SETTINGS, then
 *   // check it answers with GOAWAY(expected.code) or RST_STREAM(expected.code)
 *   return bytes.length >= 9 && expected.code > 0;
 * }));
 * ```
 * @module
 */
export { concatBytes, fromHex, toHex } from "./bytes.js";
export { chunked, chunking, splitAt, splitPoints } from "./chunks.js";
export type { ExpectedError, MalformedCase } from "./expected.js";
export type { HeaderField, HostileHeaderKind, HostileHeaderList } from "./header-list.js";
export {
  headerField,
  headerList,
  headerName,
  headerValue,
  hostileHeaderList,
  opaqueFieldList,
  requestHeaderList,
  responseHeaderList,
} from "./header-list.js";
export type { HpackBlocksCase, HpackEncodedBlocksCase, HpackMalformedKind } from "./hpack.js";
export { HPACK_STATIC_TABLE, hpackBlocks, hpackEncodedBlocks, hpackMalformedBlock } from "./hpack.js";
export type { Http2FrameCase, Http2FrameKind, Http2FrameValue, Http2MalformedKind } from "./http2.js";
export {
  H2,
  HTTP2_CLIENT_PREFACE,
  HTTP2_MALFORMED_KINDS,
  http2Frame,
  http2FrameBytes,
  http2MalformedFrame,
  http2Setting,
} from "./http2.js";
export type { Http3FrameCase, Http3FrameKind, Http3FrameValue, Http3MalformedKind } from "./http3.js";
export {
  H3,
  H3_RESERVED_HTTP2_TYPES,
  H3_RESERVED_SETTINGS,
  HTTP3_MALFORMED_KINDS,
  http3Frame,
  http3FrameBytes,
  http3MalformedFrame,
} from "./http3.js";
export type { QpackMalformedCase, QpackMalformedKind, QpackSectionCase, QpackStream } from "./qpack.js";
export { qpackMalformed, qpackSection } from "./qpack.js";
export type {
  QuicFrameCase,
  QuicFrameKind,
  QuicFrameValue,
  QuicMalformedKind,
  QuicPacketCase,
  QuicPacketValue,
} from "./quic.js";
export {
  QUIC_FRAME_KINDS,
  QUIC_MALFORMED_KINDS,
  quicDatagram,
  quicFrame,
  quicFramePayload,
  quicMalformedFrame,
  quicPacket,
} from "./quic.js";
export type { Direction, Initiator } from "./stream-id.js";
export { http2StreamId, quicStreamId } from "./stream-id.js";
export type { VarintEncodingCase } from "./varint.js";
export { truncatedVarint, varintEncoding, varintNumber, varintValue } from "./varint.js";
