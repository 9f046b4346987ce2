import { CaptureError, PcapngReader, PcapReader } from "httpwire/capture";
import { describe, expect, test } from "vitest";
import { concat, pcapngBlock, writePcap, writePcapng } from "./builders.js";

function readAll(reader: PcapReader | PcapngReader, bytes: Uint8Array, chunk = bytes.length) {
  const out = [];
  for (let i = 0; i < bytes.length; i += chunk) out.push(...reader.push(bytes.subarray(i, i + chunk)));
  reader.end();
  return out;
}

const pk = (n: number, fill: number) => new Uint8Array(n).fill(fill);

describe("PcapReader", () => {
  test.each([
    ["little-endian, µs", { le: true, nanos: false }],
    ["big-endian, µs", { le: false, nanos: false }],
    ["little-endian, ns", { le: true, nanos: true }],
    ["big-endian, ns", { le: false, nanos: true }],
  ])("%s", (_n, opts) => {
    const file = writePcap(
      101,
      [
        { data: pk(5, 1), seconds: 7, nanoseconds: 123_456_789 },
        { data: pk(3, 2), originalLength: 9 },
      ],
      opts,
    );
    const r = new PcapReader();
    const packets = readAll(r, file);
    expect(r.linkType).toBe(101);
    expect(packets.map((p) => [p.index, p.linkType, p.data.length, p.originalLength])).toEqual([
      [0, 101, 5, 5],
      [1, 101, 3, 9],
    ]);
    expect(packets[0]!.seconds).toBe(7);
    expect(packets[0]!.nanoseconds).toBe(opts.nanos ? 123_456_789 : 123_456_000);
  });

  test("rows: malformed and truncated files", () => {
    const cases: [string, Uint8Array, number, string][] = [
      ["bad magic", new Uint8Array(24).fill(0x11), 0x02, "bad_pcap_magic"],
      ["header cut short", writePcap(1, []).subarray(0, 10), 0x03, "truncated_pcap_header"],
      ["record cut short", writePcap(1, [{ data: pk(20, 0) }]).subarray(0, 24 + 16 + 5), 0x03, "truncated_pcap_record"],
    ];
    for (const [name, bytes, code, reason] of cases) {
      let err: unknown;
      try {
        readAll(new PcapReader(), bytes);
      } catch (e) {
        err = e;
      }
      expect(err, name).toBeInstanceOf(CaptureError);
      expect((err as CaptureError).code, name).toBe(code);
      expect((err as CaptureError).scope, name).toBe("connection");
      expect((err as CaptureError).reason, name).toBe(reason);
    }
    const huge = writePcap(1, [{ data: pk(4, 0) }]);
    new DataView(huge.buffer).setUint32(24 + 8, 0x7fffffff, true);
    expect(() => new PcapReader().push(huge)).toThrow(expect.objectContaining({ reason: "pcap_record_too_long" }));
  });
});

describe("PcapngReader", () => {
  test.each([
    ["little-endian, default µs resolution", { le: true }, 123_456_000],
    ["big-endian, if_tsresol 9 (ns)", { le: false, tsresol: 9 }, 123_456_789],
    ["if_tsresol 2^-10", { le: true, tsresol: 0x8a }, 123_046_875],
  ])("%s", (_n, opts, nanos) => {
    const file = writePcapng(113, [{ data: pk(6, 3), seconds: 1_700_000_000, nanoseconds: 123_456_789 }], opts);
    const [p] = readAll(new PcapngReader(), file);
    expect(p!.linkType).toBe(113);
    expect(p!.seconds).toBe(1_700_000_000);
    expect(p!.nanoseconds).toBe(nanos);
    expect(Array.from(p!.data)).toEqual([3, 3, 3, 3, 3, 3]);
  });

  test("if_tsoffset is added to the timestamps", () => {
    const file = writePcapng(1, [{ data: pk(4, 0), seconds: 100, nanoseconds: 5000 }]);
    // Rebuild the interface block with options: if_tsoffset (14) = 1 000 000 s, then opt_endofopt.
    const idb = pcapngBlock(1, Uint8Array.of(1, 0, 0, 0, 0, 0, 0, 0, 14, 0, 8, 0, 0x40, 0x42, 0x0f, 0, 0, 0, 0, 0, 0, 0, 0, 0), true);
    const shb = file.subarray(0, 28);
    const epb = file.subarray(28 + 20);
    const [p] = readAll(new PcapngReader(), concat([shb, idb, epb]));
    expect(p!.seconds).toBe(1_000_100);
    expect(p!.nanoseconds).toBe(5000);
  });

  test("simple packet blocks; unknown blocks are skipped; a second section may switch byte order", () => {
    const unknown = pcapngBlock(0x0bad, new Uint8Array([1, 2, 3, 4, 5]), true);
    const a = writePcapng(1, [{ data: pk(7, 9) }], { le: true, simple: true, extraBlocks: [unknown] });
    const b = writePcapng(101, [{ data: pk(2, 8) }], { le: false });
    const packets = readAll(new PcapngReader(), concat([a, b]), 3);
    expect(packets.map((p) => [p.index, p.linkType, p.data.length])).toEqual([
      [0, 1, 7],
      [1, 101, 2],
    ]);
  });

  test("rows: malformed and truncated files", () => {
    const good = writePcapng(1, [{ data: pk(4, 0) }]);
    const badBom = good.slice();
    badBom.set([9, 9, 9, 9], 8);
    const badLen = good.slice();
    new DataView(badLen.buffer).setUint32(28 + 4, 13, true); // IDB length not a multiple of 4
    const noIface = concat([good.subarray(0, 28), good.subarray(28 + 20)]);
    const cases: [string, Uint8Array, number, string][] = [
      ["byte-order magic", badBom, 0x02, "bad_pcapng_byte_order_magic"],
      ["block length", badLen, 0x02, "pcapng_block_length_invalid"],
      ["packet before its interface", noIface, 0x02, "pcapng_unknown_interface"],
      ["block before the section header", good.subarray(28), 0x02, "pcapng_block_before_section_header"],
      ["cut short", good.subarray(0, good.length - 3), 0x03, "truncated_pcapng_block"],
    ];
    for (const [name, bytes, code, reason] of cases) {
      let err: unknown;
      try {
        readAll(new PcapngReader(), bytes);
      } catch (e) {
        err = e;
      }
      expect(err, name).toBeInstanceOf(CaptureError);
      expect((err as CaptureError).code, name).toBe(code);
      expect((err as CaptureError).scope, name).toBe("connection");
      expect((err as CaptureError).reason, name).toBe(reason);
    }
  });
});
