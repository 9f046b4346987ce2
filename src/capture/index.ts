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
export { CaptureDecoder, decodeCapture } from "./decoder.js";
export type { CaptureDecoderOptions } from "./decoder.js";
export type { CaptureEvent, OpenEvent, FrameEvent, GapEvent, ErrorEvent, CloseEvent, CaptureHeaderField } from "./events.js";
export type { FieldBlockDecoder } from "./h2-connection.js";
export { detectInputKind, CLIENT_PREFACE } from "./detect.js";
export type { InputKind } from "./detect.js";
export { CaptureError, CaptureErrorCode, captureErrorCodeName } from "./errors.js";
export { HexDumpDecoder } from "./hex-dump.js";
export { PcapReader, PCAP_MAGIC_MICROSECONDS, PCAP_MAGIC_NANOSECONDS } from "./pcap.js";
export type { PcapReaderOptions } from "./pcap.js";
export { PcapngReader, PcapngBlockType, MAX_INTERFACES } from "./pcapng.js";
export type { PcapngReaderOptions } from "./pcapng.js";
export { LinkType } from "./packet.js";
export type { CapturedPacket } from "./packet.js";
export { decodeTcpSegment, TcpFlag } from "./net.js";
export type { TcpSegment } from "./net.js";
export { PENDING_SEGMENT_OVERHEAD, TcpTracker } from "./tcp.js";
export type { Direction, Endpoint, TcpConnection, TcpSink, TcpTrackerOptions } from "./tcp.js";
