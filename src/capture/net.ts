/**
 * Link layer, IPv4/IPv6, TCP and UDP header parsing: from a captured frame to
 * a TCP segment or a UDP datagram. Anything else (ARP, other protocols, IP
 * fragments after the first, unknown link types) gives `undefined`: a
 * capture holds all sorts of traffic and only TCP and UDP matter here.
 */
import { u16, u32 } from "./accumulator.js";
import { LinkType } from "./packet.js";

/** TCP flag bits (RFC 9293 §3.1). */
export const TcpFlag = { FIN: 0x01, SYN: 0x02, RST: 0x04, PSH: 0x08, ACK: 0x10, URG: 0x20 } as const;

/** A TCP segment pulled out of a captured frame. */
export interface TcpSegment {
  /** Source address, dotted IPv4 or RFC 5952 IPv6 text. */
  readonly src: string;
  readonly dst: string;
  readonly srcPort: number;
  readonly dstPort: number;
  /** Sequence number (unsigned 32-bit). */
  readonly seq: number;
  /** TCP flags byte (see {@link TcpFlag}). */
  readonly flags: number;
  /** The captured part of the payload (a view of the frame). */
  readonly payload: Uint8Array;
  /** The payload length the IP header announces; larger than `payload.length` when the snapshot length cut it. */
  readonly payloadLength: number;
}

const ETHERTYPE_IPV4 = 0x0800;
const ETHERTYPE_IPV6 = 0x86dd;
const ETHERTYPE_VLAN = 0x8100;
const ETHERTYPE_QINQ = 0x88a8;
const IPPROTO_TCP = 6;
const IPPROTO_UDP = 17;

/** A UDP datagram pulled out of a captured frame (RFC 768). */
export interface UdpDatagram {
  /** Source address, dotted IPv4 or RFC 5952 IPv6 text. */
  readonly src: string;
  readonly dst: string;
  readonly srcPort: number;
  readonly dstPort: number;
  /** The captured part of the payload (a view of the frame). */
  readonly payload: Uint8Array;
  /** The payload length the UDP header announces; larger than `payload.length` when the snapshot length cut it. */
  readonly payloadLength: number;
}

/** Where the transport header of an IP packet lies. */
interface IpPacket {
  readonly src: string;
  readonly dst: string;
  readonly protocol: number;
  /** Offset of the transport header in the frame. */
  readonly start: number;
  /** End of the IP packet (may exceed the frame when the capture cut it). */
  readonly end: number;
}

/**
 * Decodes a captured frame of the given link type down to its TCP segment.
 * @returns the segment, or `undefined` when the frame is not TCP over IP or is too short
 */
export function decodeTcpSegment(linkType: number, frame: Uint8Array): TcpSegment | undefined {
  const ip = decodeIp(linkType, frame);
  return ip?.protocol === IPPROTO_TCP ? decodeTcp(frame, ip.start, ip.end, ip.src, ip.dst) : undefined;
}

/**
 * Decodes a captured frame of the given link type down to its UDP datagram
 * (IPv4 or IPv6, every link type {@link decodeTcpSegment} reads).
 * @returns the datagram, or `undefined` when the frame is not UDP over IP or is too short
 *
 * @example
 * ```ts
 * // A raw IPv4 packet (link type 101): UDP 127.0.0.1:5000 → 127.0.0.1:443 carrying "hi".
 * const frame = Uint8Array.from([
 *   0x45, 0, 0, 30, 0, 0, 0x40, 0, 64, 17, 0, 0, 127, 0, 0, 1, 127, 0, 0, 1,
 *   0x13, 0x88, 0x01, 0xbb, 0, 10, 0, 0, 0x68, 0x69,
 * ]);
 * const d = decodeUdpDatagram(LinkType.LINKTYPE_RAW, frame)!;
 * [d.src, d.srcPort, d.dst, d.dstPort]; // => ["127.0.0.1", 5000, "127.0.0.1", 443]
 * new TextDecoder().decode(d.payload); // => "hi"
 * ```
 */
export function decodeUdpDatagram(linkType: number, frame: Uint8Array): UdpDatagram | undefined {
  const ip = decodeIp(linkType, frame);
  return ip?.protocol === IPPROTO_UDP ? decodeUdp(frame, ip.start, ip.end, ip.src, ip.dst) : undefined;
}

/** The link layer and IP header of a frame: addresses, protocol and where the transport header starts. */
function decodeIp(linkType: number, frame: Uint8Array): IpPacket | undefined {
  let p: number;
  let version: number;
  switch (linkType) {
    case LinkType.LINKTYPE_ETHERNET: {
      if (frame.length < 14) return undefined;
      let type = u16(frame, 12, false);
      p = 14;
      while ((type === ETHERTYPE_VLAN || type === ETHERTYPE_QINQ) && frame.length >= p + 4) {
        type = u16(frame, p + 2, false);
        p += 4;
      }
      version = etherTypeVersion(type);
      break;
    }
    case LinkType.LINKTYPE_LINUX_SLL:
      if (frame.length < 16) return undefined;
      version = etherTypeVersion(u16(frame, 14, false));
      p = 16;
      break;
    case LinkType.LINKTYPE_LINUX_SLL2:
      if (frame.length < 20) return undefined;
      version = etherTypeVersion(u16(frame, 0, false));
      p = 20;
      break;
    case LinkType.LINKTYPE_NULL:
    case LinkType.LINKTYPE_LOOP: {
      if (frame.length < 4) return undefined;
      // NULL stores the address family in the writer's byte order, LOOP in network order;
      // the values are small, so whichever half is non-zero tells.
      const be = u32(frame, 0, false);
      const family = linkType === LinkType.LINKTYPE_LOOP || be < 0x10000 ? be : u32(frame, 0, true);
      version = family === 2 ? 4 : family === 24 || family === 28 || family === 30 || family === 10 ? 6 : 0;
      p = 4;
      break;
    }
    case LinkType.LINKTYPE_RAW:
      if (frame.length < 1) return undefined;
      version = frame[0]! >> 4;
      p = 0;
      break;
    case LinkType.LINKTYPE_IPV4:
      version = 4;
      p = 0;
      break;
    case LinkType.LINKTYPE_IPV6:
      version = 6;
      p = 0;
      break;
    default:
      return undefined;
  }
  if (version === 4) return decodeIpv4(frame, p);
  if (version === 6) return decodeIpv6(frame, p);
  return undefined;
}

function etherTypeVersion(type: number): number {
  return type === ETHERTYPE_IPV4 ? 4 : type === ETHERTYPE_IPV6 ? 6 : 0;
}

function decodeIpv4(b: Uint8Array, p: number): IpPacket | undefined {
  if (b.length < p + 20 || b[p]! >> 4 !== 4) return undefined;
  const ihl = (b[p]! & 0x0f) * 4;
  if (ihl < 20 || b.length < p + ihl) return undefined;
  let total = u16(b, p + 2, false);
  // A zero total length appears with TCP segmentation offload: trust the capture.
  if (total === 0) total = b.length - p;
  if (total < ihl) return undefined;
  const frag = u16(b, p + 6, false);
  // Fragments carry no whole transport payload; IP reassembly is not done.
  if ((frag & 0x1fff) !== 0 || (frag & 0x2000) !== 0) return undefined;
  const src = `${b[p + 12]}.${b[p + 13]}.${b[p + 14]}.${b[p + 15]}`;
  const dst = `${b[p + 16]}.${b[p + 17]}.${b[p + 18]}.${b[p + 19]}`;
  return { src, dst, protocol: b[p + 9]!, start: p + ihl, end: p + total };
}

function decodeIpv6(b: Uint8Array, p: number): IpPacket | undefined {
  if (b.length < p + 40 || b[p]! >> 4 !== 6) return undefined;
  let payloadLen = u16(b, p + 4, false);
  if (payloadLen === 0) payloadLen = b.length - p - 40; // jumbogram or offload
  const end = p + 40 + payloadLen;
  let next = b[p + 6]!;
  const src = ipv6Text(b, p + 8);
  const dst = ipv6Text(b, p + 24);
  let q = p + 40;
  // Skip extension headers (RFC 8200 §4).
  for (;;) {
    if (next === IPPROTO_TCP || next === IPPROTO_UDP) break;
    if (b.length < q + 8) return undefined;
    if (next === 0 || next === 43 || next === 60) {
      next = b[q]!;
      q += (b[q + 1]! + 1) * 8;
    } else if (next === 44) {
      if ((u16(b, q + 2, false) & 0xfff9) !== 0) return undefined; // not the first fragment, or more follow
      next = b[q]!;
      q += 8;
    } else if (next === 51) {
      next = b[q]!;
      q += (b[q + 1]! + 2) * 4;
    } else {
      return undefined;
    }
  }
  return { src, dst, protocol: next, start: q, end };
}

function decodeTcp(b: Uint8Array, p: number, ipEnd: number, src: string, dst: string): TcpSegment | undefined {
  if (b.length < p + 20) return undefined;
  const off = (b[p + 12]! >> 4) * 4;
  if (off < 20 || b.length < p + off || ipEnd < p + off) return undefined;
  const start = p + off;
  return {
    src,
    dst,
    srcPort: u16(b, p, false),
    dstPort: u16(b, p + 2, false),
    seq: u32(b, p + 4, false),
    flags: b[p + 13]!,
    payload: b.subarray(start, Math.min(ipEnd, b.length)),
    payloadLength: ipEnd - start,
  };
}

function decodeUdp(b: Uint8Array, p: number, ipEnd: number, src: string, dst: string): UdpDatagram | undefined {
  if (b.length < p + 8 || ipEnd < p + 8) return undefined;
  // The UDP length counts the header; 0 (IPv6 jumbograms) or a value beyond the IP packet: trust IP.
  const udpLength = u16(b, p + 4, false);
  const end = udpLength >= 8 && p + udpLength <= ipEnd ? p + udpLength : ipEnd;
  const start = p + 8;
  return {
    src,
    dst,
    srcPort: u16(b, p, false),
    dstPort: u16(b, p + 2, false),
    payload: b.subarray(start, Math.min(end, b.length)),
    payloadLength: end - start,
  };
}

/** RFC 5952 text form of the IPv6 address at `p`. */
function ipv6Text(b: Uint8Array, p: number): string {
  const g: number[] = [];
  for (let i = 0; i < 8; i++) g.push(u16(b, p + 2 * i, false));
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = (xs: number[]) => xs.map((x) => x.toString(16)).join(":");
  if (bestStart < 0) return hex(g);
  return `${hex(g.slice(0, bestStart))}::${hex(g.slice(bestStart + bestLen))}`;
}
