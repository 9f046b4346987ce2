/**
 * `httpwire/http2`: HTTP/2 framing (RFC 9113) with the ALTSVC (RFC 7838),
 * ORIGIN (RFC 8336) and PRIORITY_UPDATE (RFC 9218) extensions, an
 * incremental frame decoder, and helpers for building endpoints.
 * @module
 */

/** The growable writer {@link encodeFrameInto} appends to (the same class `httpwire/hpack` exports). */
export { ByteWriter } from "../shared/byte-writer.js";
export type { NeedMore } from "../shared/result.js";
export { DEFAULT_CONNECTION_LIMITS, Http2Connection } from "./connection/connection.js";
export { dataFrames } from "./connection/data-frames.js";
export type {
  AltsvcEvent,
  ConnectionErrorEvent,
  DataEvent,
  GoawayEvent,
  Http2ConnectionEvent,
  Http2ConnectionLimits,
  Http2ConnectionOptions,
  Http2LocalSettings,
  Http2SettingsSnapshot,
  OriginEvent,
  OutgoingField,
  PingEvent,
  PriorityUpdateEvent,
  PushPromiseEvent,
  RequestEvent,
  ResponseEvent,
  SendOptions,
  SettingsAcknowledgedEvent,
  SettingsEvent,
  StreamEndEvent,
  StreamResetEvent,
  TerminatedEvent,
  TrailersEvent,
  WindowUpdateEvent,
  WindowUpdatePolicy,
} from "./connection/types.js";
export {
  CONNECTION_PREFACE,
  DEFAULT_HEADER_TABLE_SIZE,
  DEFAULT_INITIAL_WINDOW_SIZE,
  DEFAULT_MAX_FRAME_SIZE,
  DEFAULT_SETTINGS,
  Flags,
  FRAME_HEADER_LENGTH,
  FrameType,
  frameTypeName,
  MAX_MAX_FRAME_SIZE,
  MAX_STREAM_ID,
  MAX_WINDOW_SIZE,
  SettingsId,
  settingsIdName,
} from "./constants.js";
export { decodeFrame } from "./decode-frame.js";
export { encodeFrame, encodeFrameInto } from "./encode-frame.js";
export { ErrorCode, errorCodeName } from "./error-codes.js";
export { Http2Error } from "./errors.js";
export type { FieldBlockFramesOptions } from "./field-block.js";
export { fieldBlockFrames } from "./field-block.js";
export { adjustWindowForSettings, consumeWindow, flowControlledLength, increaseWindow } from "./flow-control.js";
export type {
  AltsvcFrame,
  ContinuationFrame,
  DataFrame,
  Frame,
  FrameInit,
  GoawayFrame,
  HeadersFrame,
  OriginFrame,
  PingFrame,
  PriorityFields,
  PriorityFrame,
  PriorityUpdateFrame,
  PushPromiseFrame,
  RstStreamFrame,
  Setting,
  SettingsFrame,
  UnknownFrame,
  WindowUpdateFrame,
} from "./frame.js";
export type {
  DataPieceEvent,
  DecodedHeaderField,
  EventSink,
  FieldBlockDecoder,
  FieldBlockEvent,
  FieldsOf,
  FrameCounters,
  FrameDecoderEvent,
  FrameDecoderEventOf,
  FrameDecoderOptions,
  FramePosition,
  PartialFrame,
  StreamErrorEvent,
} from "./frame-decoder.js";
export { FrameDecoder } from "./frame-decoder.js";
export type { FrameHeader, FrameHeaderResult } from "./frame-header.js";
export { readFrameHeader, writeFrameHeader } from "./frame-header.js";
export { base64urlDecode, base64urlEncode, decodeHttp2Settings, encodeHttp2Settings } from "./http2-settings.js";
export type { Field, RequestPseudoHeaders, RequestValidationOptions } from "./message.js";
export { validateRequestHeaders, validateResponseHeaders, validateTrailers } from "./message.js";
export type { Priority } from "./priority.js";
export { DEFAULT_PRIORITY, parsePriority, serializePriority } from "./priority.js";
export { validateSetting } from "./settings.js";
export type { StreamInitiator } from "./stream-id.js";
export { checkPeerStreamId, isClientStreamId, isServerStreamId, nextStreamId, streamInitiator } from "./stream-id.js";
export type { StreamEvent, StreamSide } from "./stream-state.js";
export { StreamState, transitionStream } from "./stream-state.js";
