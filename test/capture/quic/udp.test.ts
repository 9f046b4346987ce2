import { decodeTcpSegment, decodeUdpDatagram, LinkType } from "httpwire/capture";
import { describe, expect, test } from "vitest";
import { hex, ipv4Framings } from "../builders.js";
import { ipv4Udp, ipv6Udp } from "./builders.js";

const payload = hex("c000000001");
const ip = ipv4Udp({ src: "192.0.2.1", dst: "198.51.100.2", sport: 40000, dport: 443, payload });
const expected = { src: "192.0.2.1", dst: "198.51.100.2", srcPort: 40000, dstPort: 443, payloadLength: 5 };

describe("decodeUdpDatagram", () => {
  test.each(ipv4Framings(ip))("%s", (_n, linkType, frame) => {
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
