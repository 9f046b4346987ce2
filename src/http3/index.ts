/**
 * `httpwire/http3`: HTTP/3 framing (RFC 9114), with PRIORITY_UPDATE
 * (RFC 9218), SETTINGS_ENABLE_CONNECT_PROTOCOL (RFC 9220) and
 * SETTINGS_H3_DATAGRAM (RFC 9297).
 *
 * @example
 * ```ts
 * import { FrameType, Http3FrameDecoder, encodeFrame } from "httpwire/http3";
 * const bytes = encodeFrame({ type: FrameType.SETTINGS, settings: [{ id: 0x06, value: 16384 }] });
 * new Http3FrameDecoder({ stream: "control" }).push(bytes);
 * // [{ type: "frame", frame: { type: 0x04, settings: [{ id: 6, value: 16384 }] }, offset: 0, headerLength: 2, length: 5 }]
 * ```
 * @module
 */

/** What every `read*` function returns when the input ends inside the unit. */
export type { NeedMore } from "../shared/result.js";
export { Http3ErrorCode, http3ErrorName, isReservedHttp3ErrorCode } from "./error-codes.js";
export { Http3Error } from "./errors.js";
export type {
  DataEvent,
  DataStartEvent,
  FrameEvent,
  FramePosition,
  Http3FrameDecoderOptions,
  Http3StreamEvent,
  Http3StreamKind,
  StreamErrorEvent,
} from "./frame-decoder.js";
export { Http3FrameDecoder } from "./frame-decoder.js";
export {
  FrameType,
  frameTypeName,
  HTTP2_ONLY_FRAME_TYPES,
  isHttp2OnlyFrameType,
  isReservedFrameType,
} from "./frame-type.js";
export type {
  CancelPushFrame,
  DataFrame,
  FrameHeader,
  FrameLimits,
  GoawayFrame,
  HeadersFrame,
  Http3Frame,
  MaxPushIdFrame,
  PriorityUpdateFrame,
  PushPromiseFrame,
  ReadFrameResult,
  SettingsFrame,
  UnknownFrame,
} from "./frames.js";
export { DEFAULT_MAX_PAYLOAD_LENGTH, encodeFrame, encodeFrameHeader, readFrame, readFrameHeader } from "./frames.js";
export { greaseValue, isGreaseValue, MAX_GREASE_INDEX, randomGreaseValue } from "./grease.js";
export type { Http3Settings, Setting } from "./settings.js";
export {
  DEFAULT_HTTP3_SETTINGS,
  HTTP2_ONLY_SETTINGS_IDS,
  isHttp2OnlySettingsId,
  isReservedSettingsId,
  resolveSettings,
  SettingsId,
  settingsIdName,
} from "./settings.js";
export type { UniStreamHeader, UniStreamHeaderNeedMore } from "./stream-type.js";
export {
  encodeUniStreamHeader,
  isReservedStreamType,
  readUniStreamHeader,
  StreamType,
  streamTypeName,
} from "./stream-type.js";
