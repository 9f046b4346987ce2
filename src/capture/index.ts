/**
 * `httpwire/capture`: read pcap/pcapng captures, raw HTTP/2 byte streams and
 * hex dumps; reassemble TCP; decode the HTTP/2 inside.
 *
 * Node-free: runs anywhere a `Uint8Array` does. Feed chunks to
 * {@link CaptureDecoder} (or an async iterable to {@link decodeCapture}) and
 * get frames with their connection, direction, timestamp and decoded header
 * fields.
 * @module
 */

export type { AeadName, CipherSuite, HashName } from "./crypto.js";
export type { CaptureDecoderOptions } from "./decoder.js";
export { CaptureDecoder, decodeCapture } from "./decoder.js";
export type { InputKind } from "./detect.js";
export { CLIENT_PREFACE, detectInputKind } from "./detect.js";
export { CaptureError, CaptureErrorCode, captureErrorCodeName } from "./errors.js";
export type {
  CaptureEvent,
  CaptureHeaderField,
  CloseEvent,
  ErrorEvent,
  FrameEvent,
  GapEvent,
  NoticeEvent,
  NoticeReason,
  OpenEvent,
  UpgradeEvent,
} from "./events.js";
export type { FieldBlockDecoder } from "./h2-connection.js";
export type { Har, HarEntry, HarNameValue, HarOptions, HarRequest, HarResponse, HarTimings } from "./har.js";
export { captureToHar, HAR_MAX_BODY_SIZE, HarBuilder } from "./har.js";
export { HexDumpDecoder } from "./hex-dump.js";
export type { KeyLogEntry, KeyLogLabel, KeyLogProblem, ParsedKeyLog, Tls13SecretLabel } from "./keylog.js";
export { KeyLog, parseKeyLog } from "./keylog.js";
export type { TcpSegment, UdpDatagram } from "./net.js";
export { decodeTcpSegment, decodeUdpDatagram, TcpFlag } from "./net.js";
export type { CapturedPacket } from "./packet.js";
export { LinkType } from "./packet.js";
export type { PcapReaderOptions } from "./pcap.js";
export { PCAP_MAGIC_MICROSECONDS, PCAP_MAGIC_NANOSECONDS, PcapReader } from "./pcap.js";
export type { PcapngReaderOptions } from "./pcapng.js";
export { MAX_INTERFACES, PcapngBlockType, PcapngReader, SecretsType } from "./pcapng.js";
export type {
  Http3DataEvent,
  Http3FieldsEvent,
  Http3FrameEvent,
  Http3StreamRole,
  QuicCaptureEvent,
  QuicCloseEvent,
  QuicCloseHow,
  QuicHandshakeEvent,
  QuicInfo,
  QuicOpenEvent,
  QuicPacketEvent,
  QuicPacketType,
  QuicStreamEvent,
  QuicUndecryptableEvent,
  QuicUndecryptableReason,
} from "./quic/events.js";
export type { PacketKeys, QuicCipherSuite, UnmaskedHeader, UnprotectedPacket } from "./quic/protection.js";
export {
  derivePacketKeys,
  headerProtectionMask,
  initialKeys,
  initialSecrets,
  isDecryptableVersion,
  nextKeyPhase,
  openPayload,
  packetNonce,
  protectPacket,
  QUIC_CIPHER_SUITES,
  removeHeaderProtection,
  retryIntegrityTag,
  sealPayload,
  unprotectPacket,
  verifyRetryIntegrity,
} from "./quic/protection.js";
export type { Direction, Endpoint, TcpConnection, TcpSink, TcpTrackerOptions } from "./tcp.js";
export { PENDING_SEGMENT_OVERHEAD, TcpTracker } from "./tcp.js";
export type { TlsEvent, TlsInfo, TlsStreamOptions, TlsUndecryptableReason } from "./tls/stream.js";
export { looksLikeTls, MAX_TLS_RECORD_LENGTH, TlsStream } from "./tls/stream.js";
