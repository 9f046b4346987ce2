// Issue 12, capture findings: chunking-independent results, linear work and
// bounded memory in the capture pipeline. Each test fails on the code before
// the fix it names.

import { CaptureDecoder, type CaptureEvent, HexDumpDecoder, MAX_INTERFACES, PcapngReader, PcapReader } from "httpwire/capture";
import { describe, expect, test } from "vitest";
import { CAPTURE_MAX_HEADER_LIST_SIZE } from "../../src/capture/decoder.js";
import { MAX_UNACKNOWLEDGED_SETTINGS } from "../../src/capture/h2-connection.js";
import { countWork, oneByteAtATime, workGrowth } from "../helpers/work.js";
import { ascii, concat, ethernet, h2Frame, ipv4Tcp, pcapngBlock, writePcap } from "./builders.js";
import { captureBytes } from "./fixtures.js";

function decode(chunks: readonly Uint8Array[], options: ConstructorParameters<typeof CaptureDecoder>[0] = {}): CaptureEvent[] {
  const d = new CaptureDecoder(options);
  const out: CaptureEvent[] = [];
  for (const c of chunks) out.push(...d.push(c));
  out.push(...d.end());
  return out;
}

const frames = (evs: readonly CaptureEvent[]) => evs.filter((e) => e.type === "frame").length;
const line = (e: CaptureEvent) =>
  e.type === "frame"
    ? `frame ${e.connection} ${e.direction} ${e.frameType} ${e.frame.streamId} ${e.length} ${JSON.stringify(e.fields ?? null)}`
    : e.type === "error"
      ? `error ${e.error.reason}`
      : e.type;

/** Bytes `f` copies with `Uint8Array.prototype.set` (where joining and holding copy). */
function copiedBytes(f: () => void): number {
  const detail: Record<string, number> = {};
  countWork(f, { detail });
  return detail["Uint8Array.set"] ?? 0;
}

describe("finding 7: a broken record keeps the packets before it", () => {
  const pcap = captureBytes("h2-session.pcap");
  // A record header claiming 2^31-1 bytes, after the shipped capture.
  const bad = new Uint8Array(16);
  new DataView(bad.buffer).setUint32(8, 2 ** 31 - 1, pcap[0] === 0xd4);

  test("pcap: whole and split before the bad record give the same frames", () => {
    const whole = decode([concat([pcap, bad])]);
    const split = decode([pcap, bad]);
    expect(frames(split)).toBe(69);
    expect(whole.map(line)).toEqual(split.map(line));
    expect(whole.filter((e) => e.type === "error").map((e) => e.type === "error" && e.error.reason)).toEqual(["pcap_record_too_long"]);
  });

  test("PcapReader.push(chunk, out) keeps the records before the error in out", () => {
    const out: unknown[] = [];
    expect(() => new PcapReader().push(concat([pcap, bad]), out as never)).toThrow(/exceeds the limit/);
    expect(out.length).toBeGreaterThan(0);
    expect(out.length).toBe(new PcapReader().push(pcap).length);
  });

  test("pcapng: whole and split before the bad block give the same frames", () => {
    const ng = captureBytes("h2-session.pcapng");
    const le = ng[8] === 0x4d;
    const badBlock = new Uint8Array(12);
    const v = new DataView(badBlock.buffer);
    v.setUint32(0, 6, le);
    v.setUint32(4, 2 ** 31 - 4, le);
    const whole = decode([concat([ng, badBlock])]);
    const split = decode([ng, badBlock]);
    expect(frames(split)).toBeGreaterThan(0);
    expect(whole.map(line)).toEqual(split.map(line));
    const out: unknown[] = [];
    expect(() => new PcapngReader().push(concat([ng, badBlock]), out as never)).toThrow(/total length/);
    expect(out.length).toBe(new PcapngReader().push(ng).length);
  });

  test("hex dump: whole and split before a bad line give the same frames", () => {
    const pcapHex = Array.from(pcap, (b) => b.toString(16).padStart(2, "0"))
      .join("")
      .replace(/(.{64})/g, "$1\n");
    const text = ascii(`${pcapHex}\nzz not hex\n`);
    const cut = pcapHex.length + 1;
    const whole = decode([text]);
    const split = decode([text.subarray(0, cut), text.subarray(cut)]);
    expect(frames(split)).toBe(69);
    expect(whole.map(line)).toEqual(split.map(line));
    expect(whole.at(-1)?.type === "error" && whole.at(-1)).toBeTruthy();
  });

  test("HexDumpDecoder.push(chunk, out) keeps the bytes of the lines before a bad one", () => {
    const out: Uint8Array[] = [];
    expect(() => new HexDumpDecoder().push(ascii("0102\n0304\nzz\n"), out)).toThrow(/not hex/);
    expect(Array.from(concat(out))).toEqual([1, 2, 3, 4]);
  });
});

describe("finding 5: held bytes are not re-joined on every chunk", () => {
  // A connection not yet known to be HTTP/2: its server direction is held until the client preface.
  function heldServerBytes(n: number): Uint8Array[] {
    const chunks: Uint8Array[] = [writePcap(1, [])];
    const syn = ipv4Tcp({ sport: 40000, dport: 9999, seq: 99, flags: 0x02 });
    chunks.push(writePcap(1, [{ data: ethernet(syn) }]).subarray(24));
    const one = new Uint8Array([0x41]);
    for (let i = 0; i < n; i++) {
      const seg = ipv4Tcp({ sport: 9999, dport: 40000, seq: 1000 + i, flags: 0x18, payload: one });
      chunks.push(writePcap(1, [{ data: ethernet(seg) }]).subarray(24));
    }
    // Whole records, one per push, so the reader holds nothing; what is held is the direction's bytes.
    return chunks;
  }

  test("1-byte segments held before a preface are copied a bounded number of times", () => {
    const n = 48000;
    const chunks = heldServerBytes(n);
    const input = chunks.reduce((k, c) => k + c.length, 0);
    const copied = copiedBytes(() => void decode(chunks, { maxUnrecognisedBytes: 1 << 20 }));
    // Before the fix every chunk re-joined all the held bytes: n^2/2 bytes copied.
    expect(copied).toBeLessThan(4 * input);
  });

  test("a large record fed one byte at a time is copied a bounded number of times", () => {
    const bytewise = (n: number) => {
      const file = writePcap(1, [{ data: new Uint8Array(n) }]);
      return () => {
        const r = new PcapReader();
        for (let i = 0; i < file.length; i++) r.push(file.subarray(i, i + 1));
        r.end();
      };
    };
    // Before the fix each byte re-joined the partial record: 8.6 G bytes copied for this one.
    expect(copiedBytes(bytewise(131072))).toBeLessThan(4 * 131072);
  });

  test("a long hex line fed one byte at a time costs linear work", () => {
    const text = (n: number) => ascii("ab".repeat(n));
    const bytewise = (b: Uint8Array) => () => {
      const d = new HexDumpDecoder();
      oneByteAtATime(b, (piece) => void d.push(piece));
      d.end();
    };
    // Before the fix every push re-split the whole partial line: n^2/2 characters scanned.
    const detail: Record<string, number> = {};
    const work = countWork(bytewise(text(65536)), { detail });
    expect(detail["String.split"] ?? 0).toBeLessThan(4 * 2 * 65536);
    // Everything counted (characters split, joined, sliced, matched; bytes scanned and copied)
    // is a bounded number of operations per character, the same at n and 8n.
    expect(work).toBeLessThan(32 * 2 * 65536);
    expect(workGrowth((n) => bytewise(text(n)), 8192)).toBeLessThan(1.5);
  });
});

const PREFACE = ascii("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");

describe("finding 6: capture state is bounded", () => {
  test("SETTINGS never acknowledged: the connection is reported once the outstanding ones pass the limit", () => {
    const settings = h2Frame(0x4, 0, 0, new Uint8Array(0));
    const input = concat([PREFACE, ...Array.from({ length: MAX_UNACKNOWLEDGED_SETTINGS + 1 }, () => settings)]);
    const evs = decode([input]);
    expect(frames(evs)).toBe(MAX_UNACKNOWLEDGED_SETTINGS);
    const errors = evs.flatMap((e) => (e.type === "error" ? [`${e.error.codeName} ${e.error.reason}`] : []));
    expect(errors).toEqual(["ENHANCE_YOUR_CALM too_many_unacknowledged_settings"]);
  });

  test("acknowledged SETTINGS do not count", () => {
    const settings = h2Frame(0x4, 0, 0, new Uint8Array(0));
    const ack = h2Frame(0x4, 0x1, 0, new Uint8Array(0));
    // One direction's ACKs come in the other direction: a pcap with both.
    const n = MAX_UNACKNOWLEDGED_SETTINGS * 2;
    const packets = [{ data: ethernet(ipv4Tcp({ src: "10.0.0.1", dst: "10.0.0.2", sport: 40000, dport: 80, seq: 0, flags: 0x02 })) }];
    let cseq = 1;
    let sseq = 1;
    packets.push({
      data: ethernet(ipv4Tcp({ src: "10.0.0.2", dst: "10.0.0.1", sport: 80, dport: 40000, seq: 0, flags: 0x12 })),
    });
    packets.push({
      data: ethernet(
        ipv4Tcp({
          src: "10.0.0.1",
          dst: "10.0.0.2",
          sport: 40000,
          dport: 80,
          seq: cseq,
          flags: 0x18,
          payload: PREFACE,
        }),
      ),
    });
    cseq += PREFACE.length;
    for (let i = 0; i < n; i++) {
      packets.push({
        data: ethernet(
          ipv4Tcp({
            src: "10.0.0.1",
            dst: "10.0.0.2",
            sport: 40000,
            dport: 80,
            seq: cseq,
            flags: 0x18,
            payload: settings,
          }),
        ),
      });
      cseq += settings.length;
      packets.push({
        data: ethernet(ipv4Tcp({ src: "10.0.0.2", dst: "10.0.0.1", sport: 80, dport: 40000, seq: sseq, flags: 0x18, payload: ack })),
      });
      sseq += ack.length;
    }
    const evs = decode([writePcap(1, packets)]);
    expect(evs.filter((e) => e.type === "error")).toEqual([]);
    expect(frames(evs)).toBe(2 * n);
  });

  test("pcapng: interfaces per section are limited (1 M IDBs held 63 MiB)", () => {
    const shbBody = new Uint8Array(16);
    const v = new DataView(shbBody.buffer);
    v.setUint32(0, 0x1a2b3c4d, true);
    v.setUint16(4, 1, true);
    v.setInt32(8, -1, true);
    v.setInt32(12, -1, true);
    const idb = pcapngBlock(1, Uint8Array.of(1, 0, 0, 0, 0, 0, 4, 0), true);
    const file = concat([pcapngBlock(0x0a0d0d0a, shbBody, true), ...Array.from({ length: MAX_INTERFACES + 1 }, () => idb)]);
    const out: unknown[] = [];
    expect(() => new PcapngReader().push(file, out as never)).toThrow(/more than 65536 interfaces/);
    expect(() => new PcapngReader({ maxInterfaces: 2 }).push(file.subarray(0, 28 + 3 * idb.length))).toThrow(/more than 2 interfaces/);
    // A new section starts a new interface list.
    const two = concat([pcapngBlock(0x0a0d0d0a, shbBody, true), idb, idb, pcapngBlock(0x0a0d0d0a, shbBody, true), idb, idb]);
    expect(new PcapngReader({ maxInterfaces: 2 }).push(two)).toEqual([]);
  });
});

describe("finding 9: header bombs are bounded by the capture's header list limit", () => {
  // A literal with incremental indexing (a 4,000-byte value), then 4,096 references to it.
  const bomb = concat([
    Uint8Array.of(0x40, 0x01, 0x78, 0x7f, 0xa1, 0x1e),
    new Uint8Array(4000).fill(0x61),
    new Uint8Array(4096).fill(0xbe),
  ]);
  const input = concat([PREFACE, h2Frame(0x1, 0x5, 1, bomb)]);

  test("4 KiB of 0xbe no longer decode to a 16.7 MB header list", () => {
    const evs = decode([input]);
    const fieldBytes = evs.reduce(
      (n, e) => n + (e.type === "frame" ? (e.fields ?? []).reduce((k, f) => k + f.name.length + f.value.length, 0) : 0),
      0,
    );
    expect(fieldBytes).toBeLessThanOrEqual(CAPTURE_MAX_HEADER_LIST_SIZE);
    const errors = evs.flatMap((e) => (e.type === "error" ? [e.error.codeName] : []));
    expect(errors).toEqual(["COMPRESSION_ERROR"]);
    expect(CAPTURE_MAX_HEADER_LIST_SIZE).toBe(1024 * 1024);
  });

  test("maxHeaderListSize is a capture option passed to the default HPACK decoders", () => {
    const small = concat([PREFACE, h2Frame(0x1, 0x5, 1, Uint8Array.of(0x40, 0x01, 0x78, 0x01, 0x79))]);
    expect(decode([small], { maxHeaderListSize: 10 }).some((e) => e.type === "error" && e.error.codeName === "COMPRESSION_ERROR")).toBe(
      true,
    );
    expect(decode([small], { maxHeaderListSize: 34 }).some((e) => e.type === "error")).toBe(false);
    expect(() => new CaptureDecoder({ maxHeaderListSize: -1 })).toThrow(RangeError);
  });
});

describe("minor: zeros filled in for missing DATA bytes are bounded", () => {
  test("truncated records claiming 16 KiB each do not become 1,800 times their size in zeros", () => {
    const c = { src: "10.0.0.1", dst: "10.0.0.2", sport: 40000, dport: 8080 };
    let seq = 1;
    const packets = [{ data: ethernet(ipv4Tcp({ ...c, seq: 0, flags: 0x02 })) }];
    const send = (payload: Uint8Array, claimed = payload.length) => {
      const ip = ipv4Tcp({ ...c, seq, flags: 0x18, payload });
      new DataView(ip.buffer).setUint16(2, 40 + claimed); // the IP header claims more than was captured
      packets.push({ data: ethernet(ip) });
      seq += claimed;
    };
    send(concat([PREFACE, h2Frame(0x1, 0x4, 1, Uint8Array.of(0x82))]));
    // Ten records, each a 9-byte DATA frame header whose 16,384-byte payload was not captured.
    for (let i = 0; i < 10; i++)
      send(
        h2Frame(0x0, 0, 1, new Uint8Array(0)).map((b, k) => (k === 2 ? 0x00 : k === 1 ? 0x40 : b)),
        9 + 16384,
      );
    const input = writePcap(1, packets);
    const evs = decode([input], { ports: [8080] });
    const zeros = evs.reduce((n, e) => n + (e.type === "frame" && e.frame.type === 0 ? e.frame.data.length : 0), 0);
    // Before the fix: 10 x 16,384 zeros from a file of about 1 KB.
    expect(zeros).toBeLessThanOrEqual(16 * input.length + 64 * 1024);
    expect(evs.some((e) => e.type === "gap" && !e.recovered)).toBe(true);
    expect(evs.some((e) => e.type === "gap" && e.recovered)).toBe(true);
  });
});
