import { decodeTcpSegment, decodeUdpDatagram, LinkType } from "httpwire/capture";
import { describe, expect, test } from "vitest";
import { concat, hex } from "../builders.js";
import { ipv4Udp, ipv6Udp } from "./builders.js";

const payload = hex("c000000001");
const ip = ipv4Udp({ src: "192.0.2.1", dst: "198.51.100.2", sport: 40000, dport: 443, payload });
const expected = { src: "192.0.2.1", dst: "198.51.100.2", srcPort: 40000, dstPort: 443, payloadLength: 5 };

describe("decodeUdpDatagram", () => {
  test.each([
    ["Ethernet (1)", LinkType.LINKTYPE_ETHERNET, concat([new Uint8Array(12), hex("0800"), ip])],
    ["Ethernet with an 802.1Q tag", LinkType.LINKTYPE_ETHERNET, concat([new Uint8Array(12), hex("8100 0064 0800"), ip])],
    ["Ethernet with trailing padding", LinkType.LINKTYPE_ETHERNET, concat([new Uint8Array(12), hex("0800"), ip, new Uint8Array(6)])],
    ["Linux cooked v1 (113)", LinkType.LINKTYPE_LINUX_SLL, concat([new Uint8Array(14), hex("0800"), ip])],
    ["Linux cooked v2 (276)", LinkType.LINKTYPE_LINUX_SLL2, concat([hex("0800"), new Uint8Array(18), ip])],
    ["BSD loopback (0), little-endian AF_INET", LinkType.LINKTYPE_NULL, concat([hex("02000000"), ip])],
    ["OpenBSD loopback (108)", LinkType.LINKTYPE_LOOP, concat([hex("00000002"), ip])],
    ["raw IP (101)", LinkType.LINKTYPE_RAW, ip],
    ["raw IPv4 (228)", LinkType.LINKTYPE_IPV4, ip],
  ])("%s", (_n, linkType, frame) => {
    const d = decodeUdpDatagram(linkType, frame)!;
    expect(d).toMatchObject(expected);
    expect([...d.payload]).toEqual([...payload]);
    expect(decodeTcpSegment(linkType, frame)).toBeUndefined();
  });

  test("IPv6, with and without a hop-by-hop extension header", () => {
    for (const hopByHop of [false, true]) {
      const d = decodeUdpDatagram(LinkType.LINKTYPE_IPV6, ipv6Udp({ sport: 1234, dport: 4433, payload, hopByHop }))!;
      expect(d).toMatchObject({ src: "::1", dst: "::1", srcPort: 1234, dstPort: 4433, payloadLength: 5 });
      expect([...d.payload]).toEqual([...payload]);
    }
  });

  test("a snapshot length cut: payload is what was captured, payloadLength what UDP announced", () => {
    const d = decodeUdpDatagram(LinkType.LINKTYPE_RAW, ip.subarray(0, ip.length - 2))!;
    expect(d.payload.length).toBe(3);
    expect(d.payloadLength).toBe(5);
  });

  test("too short, fragments and other protocols give undefined", () => {
    expect(decodeUdpDatagram(LinkType.LINKTYPE_RAW, ip.subarray(0, 27))).toBeUndefined();
    const frag = ip.slice();
    frag[6] = 0x20; // more fragments
    expect(decodeUdpDatagram(LinkType.LINKTYPE_RAW, frag)).toBeUndefined();
    const icmp = ip.slice();
    icmp[9] = 1;
    expect(decodeUdpDatagram(LinkType.LINKTYPE_RAW, icmp)).toBeUndefined();
    expect(decodeUdpDatagram(999, ip)).toBeUndefined();
  });
});
