/** Test builders for UDP/QUIC captures (no Node APIs). */
import { ipv4Header } from "../builders.js";

/** Builds an IPv4 + UDP packet (no link header). */
export function ipv4Udp(o: { src?: string; dst?: string; sport: number; dport: number; payload: Uint8Array }): Uint8Array {
  const out = new Uint8Array(28 + o.payload.length);
  const v = ipv4Header(out, 17, o.src, o.dst);
  v.setUint16(20, o.sport);
  v.setUint16(22, o.dport);
  v.setUint16(24, 8 + o.payload.length);
  out.set(o.payload, 28);
  return out;
}

/** Builds an IPv6 + UDP packet (no link header), optionally behind a hop-by-hop extension header. */
export function ipv6Udp(o: { sport: number; dport: number; payload: Uint8Array; hopByHop?: boolean }): Uint8Array {
  const ext = o.hopByHop ? 8 : 0;
  const out = new Uint8Array(40 + ext + 8 + o.payload.length);
  const v = new DataView(out.buffer);
  out[0] = 0x60;
  v.setUint16(4, ext + 8 + o.payload.length);
  out[6] = o.hopByHop ? 0 : 17;
  out[7] = 64;
  out[23] = 1; // ::1
  out[39] = 1;
  if (o.hopByHop) out[40] = 17;
  const p = 40 + ext;
  v.setUint16(p, o.sport);
  v.setUint16(p + 2, o.dport);
  v.setUint16(p + 4, 8 + o.payload.length);
  out.set(o.payload, p + 8);
  return out;
}
