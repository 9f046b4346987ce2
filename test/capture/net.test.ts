import { decodeTcpSegment, LinkType, TcpFlag } from "httpwire/capture";
import { describe, expect, test } from "vitest";
import { concat, hex, ipv4Framings, ipv4Tcp } from "./builders.js";

const payload = hex("505249202a");
const ip = ipv4Tcp({
  src: "192.0.2.1",
  dst: "198.51.100.2",
  sport: 40000,
  dport: 8080,
  seq: 0xfffffff0,
  flags: TcpFlag.ACK | TcpFlag.PSH,
  payload,
});

const expected = {
  src: "192.0.2.1",
  dst: "198.51.100.2",
  srcPort: 40000,
  dstPort: 8080,
  seq: 0xfffffff0,
  flags: 0x18,
  payloadLength: 5,
};

describe("decodeTcpSegment", () => {
  test.each(ipv4Framings(ip))("%s", (_n, linkType, frame) => {
    const seg = decodeTcpSegment(linkType, frame)!;
    expect(seg).toMatchObject(expected);
    expect(Array.from(seg.payload)).toEqual(Array.from(payload));
  });

  test("IPv6 with a hop-by-hop extension header, RFC 5952 text", () => {
    const tcp = ip.subarray(20);
    const v6 = new Uint8Array(40 + 8 + tcp.length);
    v6[0] = 0x60;
    new DataView(v6.buffer).setUint16(4, 8 + tcp.length);
    v6[6] = 0; // hop-by-hop options follow
    v6[7] = 64;
    v6.set(hex("20010db8000000000000000000000001"), 8);
    v6.set(hex("fe800000000000000000000000000002"), 24);
    v6[40] = 6; // then TCP; header extension length 0 (8 bytes)
    v6.set(tcp, 48);
    const seg = decodeTcpSegment(LinkType.LINKTYPE_IPV6, v6)!;
    expect(seg).toMatchObject({ src: "2001:db8::1", dst: "fe80::2", srcPort: 40000, dstPort: 8080, payloadLength: 5 });
    expect(decodeTcpSegment(LinkType.LINKTYPE_ETHERNET, concat([new Uint8Array(12), hex("86dd"), v6]))).toMatchObject({
      src: "2001:db8::1",
    });
    expect(decodeTcpSegment(LinkType.LINKTYPE_NULL, concat([hex("1c000000"), v6]))).toMatchObject({
      src: "2001:db8::1",
    });
  });

  test("a snapshot length shorter than the packet keeps the announced payload length", () => {
    const seg = decodeTcpSegment(101, ip.subarray(0, ip.length - 2))!;
    expect(seg.payload.length).toBe(3);
    expect(seg.payloadLength).toBe(5);
  });

  test.each([
    ["ARP", 1, concat([new Uint8Array(12), hex("0806"), new Uint8Array(28)])],
    [
      "UDP",
      101,
      (() => {
        const u = ip.slice();
        u[9] = 17;
        return u;
      })(),
    ],
    [
      "a later IP fragment",
      101,
      (() => {
        const u = ip.slice();
        u[6] = 0x00;
        u[7] = 0x10;
        return u;
      })(),
    ],
    ["an unknown link type", 147, ip],
    ["a frame cut inside the IP header", 101, ip.subarray(0, 10)],
  ])("not TCP: %s", (_n, linkType, frame) => {
    expect(decodeTcpSegment(linkType, frame)).toBeUndefined();
  });
});
