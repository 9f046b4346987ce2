/** The container readers and the link layer on the shipped captures (Node-only: reads files). */
import { readFileSync } from "node:fs";
import { decodeTcpSegment, PcapngReader, PcapReader, TcpFlag } from "httpwire/capture";
import { describe, expect, test } from "vitest";
import { fixturePath } from "../helpers/corpora.js";
import { concat, hex } from "./builders.js";

const captureBytes = (name: string) => new Uint8Array(readFileSync(fixturePath("captures", name)));

function readAll(reader: PcapReader | PcapngReader, bytes: Uint8Array, chunk = bytes.length) {
  const out = [];
  for (let i = 0; i < bytes.length; i += chunk) out.push(...reader.push(bytes.subarray(i, i + chunk)));
  reader.end();
  return out;
}

describe("the shipped captures", () => {
  test("reads the shipped pcap: 52 packets, Ethernet, microsecond timestamps", () => {
    const packets = readAll(new PcapReader(), captureBytes("h2-session.pcap"));
    expect(packets).toHaveLength(52); // tshark -r h2-session.pcap | wc -l
    expect(packets[0]!.linkType).toBe(1);
    expect(packets[0]!.data.length).toBe(74);
    expect(packets[0]!.nanoseconds % 1000).toBe(0);
  });

  test("any chunking gives the same packets (one byte at a time)", () => {
    const file = captureBytes("h2-session.pcap");
    const whole = readAll(new PcapReader(), file).map((p) => Array.from(p.data));
    const bytewise = readAll(new PcapReader(), file, 1).map((p) => Array.from(p.data));
    expect(bytewise).toEqual(whole);
  });

  test("reads the shipped pcapng: 52 packets with nanosecond timestamps (if_tsresol 9)", () => {
    const packets = readAll(new PcapngReader(), captureBytes("h2-session.pcapng"));
    expect(packets).toHaveLength(52);
    const pcap = readAll(new PcapReader(), captureBytes("h2-session.pcap"));
    expect(packets.map((p) => p.data.length)).toEqual(pcap.map((p) => p.data.length));
    // The pcap conversion truncated the nanoseconds to microseconds.
    expect(Math.floor(packets[0]!.nanoseconds / 1000)).toBe(pcap[0]!.nanoseconds / 1000);
    expect(packets[0]!.seconds).toBe(pcap[0]!.seconds);
  });

  test("IPv6 from h2-ipv6.pcapng, also as raw IPv6 (229) and BSD loopback AF_INET6 (30)", () => {
    const packets = new PcapngReader().push(captureBytes("h2-ipv6.pcapng"));
    const seg = decodeTcpSegment(packets[0]!.linkType, packets[0]!.data)!;
    expect(seg.src).toBe("::1");
    expect(seg.dstPort).toBe(18082);
    expect(seg.flags & TcpFlag.SYN).toBe(TcpFlag.SYN);
    const ip6 = packets[0]!.data.subarray(14);
    expect(decodeTcpSegment(229, ip6)).toMatchObject({ src: "::1", dstPort: 18082 });
    expect(decodeTcpSegment(0, concat([hex("1e000000"), ip6]))).toMatchObject({ src: "::1", dstPort: 18082 });
  });
});
