/**
 * Test builders: synthetic pcap/pcapng files and packets. No Node APIs, so
 * the tests that use only these also run in the browser suite.
 */

import { LinkType } from "httpwire/capture";

/** A packet to write. */
export interface TestPacket {
  readonly data: Uint8Array;
  readonly seconds?: number;
  readonly nanoseconds?: number;
  /** Defaults to data.length. */
  readonly originalLength?: number;
}

function put32(b: DataView, p: number, v: number, le: boolean): void {
  b.setUint32(p, v >>> 0, le);
}

/** Writes a classic pcap file. */
export function writePcap(
  linkType: number,
  packets: readonly TestPacket[],
  opts: { le?: boolean; nanos?: boolean; snapLength?: number } = {},
): Uint8Array {
  const le = opts.le ?? true;
  const total = 24 + packets.reduce((n, p) => n + 16 + p.data.length, 0);
  const out = new Uint8Array(total);
  const v = new DataView(out.buffer);
  put32(v, 0, opts.nanos ? 0xa1b23c4d : 0xa1b2c3d4, le);
  v.setUint16(4, 2, le);
  v.setUint16(6, 4, le);
  put32(v, 16, opts.snapLength ?? 262144, le);
  put32(v, 20, linkType, le);
  let p = 24;
  for (const pk of packets) {
    put32(v, p, pk.seconds ?? 1_700_000_000, le);
    put32(v, p + 4, opts.nanos ? (pk.nanoseconds ?? 0) : Math.floor((pk.nanoseconds ?? 0) / 1000), le);
    put32(v, p + 8, pk.data.length, le);
    put32(v, p + 12, pk.originalLength ?? pk.data.length, le);
    out.set(pk.data, p + 16);
    p += 16 + pk.data.length;
  }
  return out;
}

/** One pcapng block (type, body) in the given byte order. */
export function pcapngBlock(type: number, body: Uint8Array, le: boolean): Uint8Array {
  const padded = (body.length + 3) & ~3;
  const total = 12 + padded;
  const out = new Uint8Array(total);
  const v = new DataView(out.buffer);
  put32(v, 0, type, le);
  put32(v, 4, total, le);
  out.set(body, 8);
  put32(v, total - 4, total, le);
  return out;
}

/** Concatenates byte arrays. */
export function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Writes a pcapng file: one section, one interface, enhanced packet blocks (or simple ones). */
export function writePcapng(
  linkType: number,
  packets: readonly TestPacket[],
  opts: { le?: boolean; tsresol?: number; simple?: boolean; extraBlocks?: Uint8Array[]; snapLength?: number } = {},
): Uint8Array {
  const le = opts.le ?? true;
  const shb = new Uint8Array(16);
  const sv = new DataView(shb.buffer);
  put32(sv, 0, 0x1a2b3c4d, le);
  sv.setUint16(4, 1, le);
  sv.setUint16(6, 0, le);
  sv.setInt32(8, -1, le);
  sv.setInt32(12, -1, le);
  const idbOpts =
    opts.tsresol === undefined ? new Uint8Array(0) : new Uint8Array([...u16b(9, le), ...u16b(1, le), opts.tsresol, 0, 0, 0, 0, 0, 0, 0]);
  const idb = new Uint8Array(8 + idbOpts.length);
  const iv = new DataView(idb.buffer);
  iv.setUint16(0, linkType, le);
  put32(iv, 4, opts.snapLength ?? 0, le);
  idb.set(idbOpts, 8);
  const blocks = [pcapngBlock(0x0a0d0d0a, shb, le), pcapngBlock(1, idb, le), ...(opts.extraBlocks ?? [])];
  const res = opts.tsresol ?? 6;
  const unitsPerSecond = res & 0x80 ? 2n ** BigInt(res & 0x7f) : 10n ** BigInt(res);
  for (const pk of packets) {
    if (opts.simple) {
      const body = new Uint8Array(4 + pk.data.length);
      put32(new DataView(body.buffer), 0, pk.originalLength ?? pk.data.length, le);
      body.set(pk.data, 4);
      blocks.push(pcapngBlock(3, body, le));
      continue;
    }
    const units = BigInt(pk.seconds ?? 1_700_000_000) * unitsPerSecond + (BigInt(pk.nanoseconds ?? 0) * unitsPerSecond) / 1_000_000_000n;
    const body = new Uint8Array(20 + pk.data.length);
    const bv = new DataView(body.buffer);
    put32(bv, 0, 0, le);
    put32(bv, 4, Number(units >> 32n), le);
    put32(bv, 8, Number(units & 0xffffffffn), le);
    put32(bv, 12, pk.data.length, le);
    put32(bv, 16, pk.originalLength ?? pk.data.length, le);
    body.set(pk.data, 20);
    blocks.push(pcapngBlock(6, body, le));
  }
  return concat(blocks);
}

function u16b(v: number, le: boolean): number[] {
  return le ? [v & 0xff, v >> 8] : [v >> 8, v & 0xff];
}

/**
 * Writes a 20-byte IPv4 header (no options, TTL 64, checksum 0) at the start of `out`, whose length is the total
 * length; returns a view for the transport header that follows.
 */
export function ipv4Header(out: Uint8Array, protocol: number, src = "10.0.0.1", dst = "10.0.0.2"): DataView {
  const v = new DataView(out.buffer, out.byteOffset, out.byteLength);
  out[0] = 0x45;
  v.setUint16(2, out.length);
  out[8] = 64;
  out[9] = protocol;
  out.set(src.split(".").map(Number), 12);
  out.set(dst.split(".").map(Number), 16);
  return v;
}

/** Builds an IPv4 + TCP packet (no link header). */
export function ipv4Tcp(o: {
  src?: string;
  dst?: string;
  sport: number;
  dport: number;
  seq: number;
  flags: number;
  payload?: Uint8Array;
}): Uint8Array {
  const payload = o.payload ?? new Uint8Array(0);
  const out = new Uint8Array(40 + payload.length);
  const v = ipv4Header(out, 6, o.src, o.dst);
  v.setUint16(20, o.sport);
  v.setUint16(22, o.dport);
  v.setUint32(24, o.seq >>> 0);
  out[32] = 5 << 4;
  out[33] = o.flags;
  out.set(payload, 40);
  return out;
}

/** Wraps an IP packet in an Ethernet II header. */
export function ethernet(ip: Uint8Array): Uint8Array {
  const out = new Uint8Array(14 + ip.length);
  out[12] = ip[0]! >> 4 === 6 ? 0x86 : 0x08;
  out[13] = ip[0]! >> 4 === 6 ? 0xdd : 0x00;
  out.set(ip, 14);
  return out;
}

/** Bytes of an ASCII string. */
export function ascii(s: string): Uint8Array {
  return Uint8Array.from(s, (c) => c.charCodeAt(0));
}

/** Bytes from hex. */
export function hex(s: string): Uint8Array {
  const t = s.replace(/\s+/g, "");
  return Uint8Array.from({ length: t.length / 2 }, (_, i) => parseInt(t.slice(2 * i, 2 * i + 2), 16));
}

/** One HTTP/2 frame: a 9-byte header and the payload. */
export function h2Frame(type: number, flags: number, streamId: number, payload: Uint8Array): Uint8Array {
  const f = new Uint8Array(9 + payload.length);
  const v = new DataView(f.buffer);
  v.setUint32(0, payload.length << 8);
  f[3] = type;
  f[4] = flags;
  v.setUint32(5, streamId);
  f.set(payload, 9);
  return f;
}

/**
 * The IPv4 packet `ip` in every link-layer framing the capture decoder reads,
 * as `[name, link type, frame]` rows for `test.each`: Ethernet (plain, with an
 * 802.1Q tag, with trailing padding), Linux cooked v1 and v2, BSD loopback in
 * both byte orders, OpenBSD loopback, raw IP and raw IPv4.
 */
export function ipv4Framings(ip: Uint8Array): Array<[name: string, linkType: LinkType, frame: Uint8Array]> {
  return [
    ["Ethernet (1)", LinkType.LINKTYPE_ETHERNET, concat([new Uint8Array(12), hex("0800"), ip])],
    ["Ethernet with an 802.1Q tag", LinkType.LINKTYPE_ETHERNET, concat([new Uint8Array(12), hex("8100 0064 0800"), ip])],
    ["Ethernet with trailing padding", LinkType.LINKTYPE_ETHERNET, concat([new Uint8Array(12), hex("0800"), ip, new Uint8Array(6)])],
    ["Linux cooked v1 (113)", LinkType.LINKTYPE_LINUX_SLL, concat([new Uint8Array(14), hex("0800"), ip])],
    ["Linux cooked v2 (276)", LinkType.LINKTYPE_LINUX_SLL2, concat([hex("0800"), new Uint8Array(18), ip])],
    ["BSD loopback (0), little-endian AF_INET", LinkType.LINKTYPE_NULL, concat([hex("02000000"), ip])],
    ["BSD loopback (0), big-endian AF_INET", LinkType.LINKTYPE_NULL, concat([hex("00000002"), ip])],
    ["OpenBSD loopback (108)", LinkType.LINKTYPE_LOOP, concat([hex("00000002"), ip])],
    ["raw IP (101)", LinkType.LINKTYPE_RAW, ip],
    ["raw IPv4 (228)", LinkType.LINKTYPE_IPV4, ip],
  ];
}
