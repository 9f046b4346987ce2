import { CaptureError, detectInputKind, HexDumpDecoder } from "httpwire/capture";
import { describe, expect, test } from "vitest";
import { ascii, writePcap, writePcapng } from "./builders.js";

const PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
const prefaceBytes = Array.from(ascii(PREFACE));

function unhex(text: string, chunk = text.length): number[] {
  const d = new HexDumpDecoder();
  const out: number[] = [];
  const bytes = ascii(text);
  for (let i = 0; i < bytes.length; i += chunk) out.push(...d.push(bytes.subarray(i, i + chunk)));
  out.push(...d.end());
  return out;
}

describe("HexDumpDecoder", () => {
  test.each([
    ["Wireshark hex stream", "505249202a20485454502f322e300d0a0d0a534d0d0a0d0a"],
    ["spaced, with 0x and colons", "0x50 0x52 49:20 2a 20 48 54 54 50 2f 32\n2e 30 0d 0a 0d 0a 53 4d 0d 0a 0d 0a\n"],
    [
      "xxd",
      "00000000: 5052 4920 2a20 4854 5450 2f32 2e30 0d0a  PRI * HTTP/2.0..\n00000010: 0d0a 534d 0d0a 0d0a                      ..SM....\n",
    ],
    [
      "tshark -x",
      "0000  50 52 49 20 2a 20 48 54 54 50 2f 32 2e 30 0d 0a   PRI * HTTP/2.0..\n0010  0d 0a 53 4d 0d 0a 0d 0a                           ..SM....\n",
    ],
    [
      "hexdump -C",
      "00000000  50 52 49 20 2a 20 48 54  54 50 2f 32 2e 30 0d 0a  |PRI * HTTP/2.0..|\n00000010  0d 0a 53 4d 0d 0a 0d 0a                           |..SM....|\n00000018\n",
    ],
    ["with comments and CRLF", "# the preface\r\n505249202a20485454502f322e30\r\n0d0a0d0a534d0d0a0d0a\r\n"],
  ])("%s", (_n, text) => {
    expect(unhex(text)).toEqual(prefaceBytes);
    expect(unhex(text, 3)).toEqual(prefaceBytes);
  });

  test.each([
    ["a non-hex character", "5052zz", "hex_dump_bad_character"],
    ["an odd number of digits", "50524", "hex_dump_odd_digits"],
    ["an xxd line among others", "00000000: 5052  PR\nhello there\n", "hex_dump_bad_character"],
  ])("rejects %s", (_n, text, reason) => {
    expect(() => unhex(text)).toThrow(CaptureError);
    expect(() => unhex(text)).toThrow(expect.objectContaining({ code: 0x04, reason }));
  });
});

describe("detectInputKind", () => {
  test.each([
    ["pcap", writePcap(1, [], { le: true }), "pcap"],
    ["big-endian pcap", writePcap(1, [], { le: false }), "pcap"],
    ["pcapng", writePcapng(1, []), "pcapng"],
    ["big-endian ns pcap", Uint8Array.of(0xa1, 0xb2, 0x3c, 0x4d), "pcap"],
    ["client preface", ascii(PREFACE), "h2"],
    ["a prefix of the preface", ascii("PRI * HT"), "h2"],
    ["server frames", Uint8Array.of(0, 0, 0, 4, 0, 0, 0, 0, 0), "h2"],
    ["hex text", ascii("505249202a"), "hex"],
    ["xxd text", ascii("00000000: 5052 4920  PRI "), "hex"],
  ])("%s", (_n, head, kind) => {
    expect(detectInputKind(head.subarray(0, 64))).toBe(kind);
  });
});
