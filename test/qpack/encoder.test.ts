import { QpackDecoder, QpackEncoder, type QpackField } from "httpwire/qpack";
import { describe, expect, test } from "vitest";
import { hex as b, toHex as hex } from "../helpers/hex.js";
import { qerr } from "../helpers/qpack.js";

const REQ: QpackField[] = [
  { name: ":method", value: "GET" },
  { name: ":scheme", value: "https" },
  { name: ":authority", value: "www.example.com" },
  { name: ":path", value: "/index.html" },
  { name: "user-agent", value: "httpwire-test/1.0" },
  { name: "x-custom", value: "one" },
];

/**
 * An encoder and a decoder at `capacity` (10 blocked streams), and a round
 * trip: encode, deliver the encoder stream, decode (checked), acknowledge.
 */
function connected(capacity: number) {
  const enc = new QpackEncoder({ maxTableCapacity: capacity, maxBlockedStreams: 10 });
  const dec = new QpackDecoder({ maxTableCapacity: capacity, maxBlockedStreams: 10 });
  const roundTrip = (id: number, fields: QpackField[]) => {
    const s = enc.encodeFieldSection(id, fields);
    const e = enc.drainEncoderStream();
    dec.onEncoderStream(e);
    expect(dec.decodeFieldSection(id, s)).toEqual({ status: "decoded", fields });
    enc.onDecoderStream(dec.drainDecoderStream());
    return { s, e };
  };
  return { enc, dec, roundTrip };
}

describe("QpackEncoder", () => {
  test("without a dynamic table: static references and literals only, nothing on the encoder stream", () => {
    const enc = new QpackEncoder();
    const s = enc.encodeFieldSection(0, [
      { name: ":method", value: "GET" },
      { name: ":path", value: "/index.html" },
    ]);
    // 0000 prefix; d1 = static 17; 51 = literal static name 1, value Huffman (8 < 11)
    expect(hex(s)).toBe("0000d1518860d5485f2bce9a68");
    expect(enc.drainEncoderStream().length).toBe(0);
  });

  test("Huffman only when strictly shorter; never / always on request", () => {
    const field = [{ name: "x-a", value: "zzzz" }];
    // "zzzz" is 4 x 7 bits -> 4 bytes Huffman: not shorter, so raw
    // 23 = literal name, H=0, length 3 ("x-a" = 78 2d 61); 04 = value length 4, raw
    expect(hex(new QpackEncoder().encodeFieldSection(0, field))).toBe("0000" + "23782d61" + "047a7a7a7a");
    const never = new QpackEncoder({ huffman: false }).encodeFieldSection(0, [{ name: ":path", value: "/index.html" }]);
    expect(hex(never)).toBe("0000510b2f696e6465782e68746d6c");
    const always = new QpackEncoder({ huffman: true }).encodeFieldSection(0, field);
    expect(always[2]! & 0x08).toBe(0x08); // H bit of the 3-bit-prefix name
  });

  test("sensitive fields: never-indexed literals (N bit), never inserted", () => {
    const enc = new QpackEncoder({ maxTableCapacity: 4096, maxBlockedStreams: 10 });
    enc.drainEncoderStream();
    const f = [{ name: "authorization", value: "x", sensitive: true }];
    for (let i = 0; i < 3; i++) {
      // 7f45 = 0101 1111 | N,T + 15+69 = static 84 (authorization); 01 78 = "x"
      expect(hex(enc.encodeFieldSection(i * 4, f))).toBe("00007f450178");
    }
    expect(enc.insertCount).toBe(0);
    expect(enc.drainEncoderStream().length).toBe(0);
    const g = new QpackEncoder().encodeFieldSection(0, [{ name: "x-secret", value: "v", sensitive: true }]);
    const d = new QpackDecoder().decodeFieldSection(0, g);
    expect(d).toEqual({ status: "decoded", fields: [{ name: "x-secret", value: "v", sensitive: true }] });
  });

  test("sets the capacity first, then inserts; blocking references within the limit", () => {
    const enc = new QpackEncoder({ maxTableCapacity: 220, maxBlockedStreams: 1 });
    const dec = new QpackDecoder({ maxTableCapacity: 220, maxBlockedStreams: 1 });
    const s1 = enc.encodeFieldSection(0, REQ);
    const e1 = enc.drainEncoderStream();
    expect(hex(e1.subarray(0, 3))).toBe("3fbd01"); // Set Dynamic Table Capacity 220
    dec.onEncoderStream(e1);
    expect(dec.decodeFieldSection(0, s1)).toEqual({ status: "decoded", fields: REQ });
    // Second time: fields seen before are inserted and referenced (post-base).
    const s2 = enc.encodeFieldSection(4, REQ);
    expect(enc.insertCount).toBeGreaterThan(0);
    expect(enc.blockingStreamCount).toBe(1);
    // Another stream may not block while stream 4 is unacknowledged.
    const s3 = enc.encodeFieldSection(8, REQ);
    expect(s3[0]).toBe(0); // Required Insert Count 0: no dynamic references
    // Deliver the section before the encoder stream: it blocks, then completes.
    expect(dec.decodeFieldSection(4, s2).status).toBe("blocked");
    const done = dec.onEncoderStream(enc.drainEncoderStream());
    expect(done).toEqual([{ streamId: 4, status: "decoded", fields: REQ }]);
    expect(dec.decodeFieldSection(8, s3)).toEqual({ status: "decoded", fields: REQ });
    enc.onDecoderStream(dec.drainDecoderStream());
    expect(enc.blockingStreamCount).toBe(0);
    expect(enc.knownReceived).toBe(enc.insertCount);
    // Now acknowledged entries are used without blocking.
    const s4 = enc.encodeFieldSection(12, REQ);
    expect(s4.length).toBeLessThan(s3.length);
    expect(dec.decodeFieldSection(12, s4)).toEqual({ status: "decoded", fields: REQ });
  });

  test("with maxBlockedStreams 0 only acknowledged entries are referenced", () => {
    const enc = new QpackEncoder({ maxTableCapacity: 4096 });
    const dec = new QpackDecoder({ maxTableCapacity: 4096 });
    for (let i = 0; i < 4; i++) {
      const s = enc.encodeFieldSection(i * 4, REQ);
      // Section first: must never block (the decoder allows no blocked stream).
      expect(dec.decodeFieldSection(i * 4, s)).toEqual({ status: "decoded", fields: REQ });
      dec.onEncoderStream(enc.drainEncoderStream());
      enc.onDecoderStream(dec.drainDecoderStream());
    }
  });

  test("several outstanding sections per stream are acknowledged in order", () => {
    const enc = new QpackEncoder({ maxTableCapacity: 4096, maxBlockedStreams: 4 });
    const dec = new QpackDecoder({ maxTableCapacity: 4096, maxBlockedStreams: 4 });
    const sections = [];
    for (let i = 0; i < 3; i++) sections.push(enc.encodeFieldSection(4, REQ));
    dec.onEncoderStream(enc.drainEncoderStream());
    for (const s of sections) expect(dec.decodeFieldSection(4, s).status).toBe("decoded");
    const acks = dec.drainDecoderStream();
    enc.onDecoderStream(acks);
    expect(enc.blockingStreamCount).toBe(0);
    // One more acknowledgment than sections with references: an error.
    const e = qerr(() => enc.onDecoderStream(b("84")));
    expect([e.codeName, e.reason]).toEqual(["QPACK_DECODER_STREAM_ERROR", "unexpected_section_acknowledgment"]);
  });

  test("Stream Cancellation releases references so entries can be evicted", () => {
    const enc = new QpackEncoder({ maxTableCapacity: 128, maxBlockedStreams: 4 });
    const f = [{ name: "x-a", value: "1" }];
    enc.encodeFieldSection(0, f);
    enc.encodeFieldSection(4, f); // inserted (seen twice) and referenced: stream 4 blocks
    expect(enc.insertCount).toBe(1);
    expect(enc.blockingStreamCount).toBe(1);
    enc.onDecoderStream(b("44")); // Stream Cancellation, stream 4
    expect(enc.blockingStreamCount).toBe(0);
  });

  describe("decoder-stream errors (§4.4)", () => {
    test.each([
      ["§4.4.3 Insert Count Increment of 0", "00", "insert_count_increment_zero"],
      ["§4.4.3 increment beyond the inserts sent", "01", "insert_count_increment_too_large"],
      ["§4.4.1 acknowledgment with nothing outstanding", "84", "unexpected_section_acknowledgment"],
      ["§4.4.1 acknowledgment for stream 2^62-1", "ff80ffffffffffffff3f", "unexpected_section_acknowledgment"],
      ["§4.1.1 integer above 2^62-1", "ff80ffffffffffffffff01", "integer_overflow"],
    ])("%s", (_n, bytes, reason) => {
      const enc = new QpackEncoder({ maxTableCapacity: 4096, maxBlockedStreams: 1 });
      const e = qerr(() => enc.onDecoderStream(b(bytes)));
      expect([e.codeName, e.reason, e.scope]).toEqual(["QPACK_DECODER_STREAM_ERROR", reason, "connection"]);
      expect(qerr(() => enc.encodeFieldSection(0, REQ))).toBe(e);
    });

    test("instructions split across chunks", () => {
      const enc = new QpackEncoder({ maxTableCapacity: 4096, maxBlockedStreams: 1 });
      enc.onDecoderStream(b("ff"));
      enc.onDecoderStream(b("80ffffffff"));
      enc.onDecoderStream(b("ffff"));
      const e = qerr(() => enc.onDecoderStream(b("ff3f")));
      expect(e.reason).toBe("unexpected_section_acknowledgment");
    });

    test("Stream Cancellation for an unknown stream is ignored", () => {
      const enc = new QpackEncoder({ maxTableCapacity: 4096 });
      enc.onDecoderStream(b("48"));
      expect(enc.blockingStreamCount).toBe(0);
    });
  });

  test("a TypeError mid-section leaves the encoder and its streams consistent", () => {
    const enc = new QpackEncoder({ maxTableCapacity: 220, maxBlockedStreams: 1 });
    const dec = new QpackDecoder({ maxTableCapacity: 220, maxBlockedStreams: 1 });
    const ok = [{ name: "x-a", value: "1" }];
    dec.decodeFieldSection(0, enc.encodeFieldSection(0, [...ok, { name: "x-b", value: "\u00e9" }]));
    // x-a is inserted and referenced, then x-b (seen before, so inserted too) fails.
    expect(() => enc.encodeFieldSection(4, [...ok, { name: "x-b", value: "\u0100" }])).toThrow(TypeError);
    expect(() => enc.encodeFieldSection(4, [{ name: "x-\u0100", value: "" }, ...ok])).toThrow(TypeError);
    expect(enc.blockingStreamCount).toBe(0);
    dec.onEncoderStream(enc.drainEncoderStream()); // only whole instructions
    expect(dec.hasPendingInstruction).toBe(false);
    const s = enc.encodeFieldSection(8, ok);
    dec.onEncoderStream(enc.drainEncoderStream());
    expect(dec.decodeFieldSection(8, s)).toEqual({ status: "decoded", fields: ok });
    enc.onDecoderStream(dec.drainDecoderStream());
    expect(enc.knownReceived).toBe(enc.insertCount);
  });

  test("§4.3.4 Duplicate refreshes a draining entry", () => {
    // Capacity 4096 (above the small-table policy): entries of 635 bytes.
    const { enc, roundTrip } = connected(4096);
    const f = (i: number) => ({ name: `x-${i}`, value: "v".repeat(600) }); // 635 bytes each
    const six = [0, 1, 2, 3, 4, 5].map(f);
    roundTrip(0, six);
    roundTrip(4, six); // second sighting: all six inserted, 3,810 of 4,096 bytes
    expect(enc.insertCount).toBe(6);
    // x-0 is now the oldest entry of a nearly full table: Duplicate (relative
    // index 5), and the section references the copy: RIC 7 (encoded 7 mod 256
    // + 1 = 8), Base 6 (S=1, Delta 0), post-base 0.
    const { s, e } = roundTrip(8, [f(0)]);
    expect(hex(e)).toBe("05");
    expect(hex(s)).toBe("088010");
    expect(enc.insertCount).toBe(7);
  });

  test("§4.3.4 small tables: the oldest 14% of the bytes drain, full or not", () => {
    const { enc, roundTrip } = connected(256);
    const f = (i: number) => ({ name: `x-${i}`, value: "v" }); // 36 bytes each
    const six = [0, 1, 2, 3, 4, 5].map(f);
    roundTrip(0, six);
    roundTrip(4, six); // six entries, 216 of 256 bytes: x-0 is not draining yet (216 <= 0.86 * 256)
    expect(enc.insertCount).toBe(6);
    expect(hex(roundTrip(8, [f(0)]).e)).toBe("");
    roundTrip(12, [f(6)]);
    roundTrip(16, [f(6)]); // seventh entry, 252 bytes: now x-0 is (252 > 220.16)
    expect(enc.insertCount).toBe(7);
    // Duplicate of x-0 (relative index 6), referenced post-base: RIC 8
    // (encoded 8 mod 16 + 1 = 9), Base 7 (S=1, Delta 0), post-base 0.
    const { s, e } = roundTrip(20, [f(0)]);
    expect(hex(e)).toBe("06");
    expect(hex(s)).toBe("098010");
    expect(enc.insertCount).toBe(8);
  });

  test("the history forgets a field after 16 others, whatever the lookup caches in front of it hold", () => {
    // Capacity 1024: a history of 16 distinct fields. x-a (55 bytes, above
    // the first-sight size) sits at position 1; 16 other fields at position
    // 0 push it out, dropping its record while position 1 still names it.
    const { enc, roundTrip } = connected(1024);
    const xa = { name: "x-a", value: "v".repeat(20) };
    const s = { name: ":method", value: "GET" };
    let id = 0;
    const send = (fields: QpackField[]) => {
      roundTrip(id, fields);
      id += 4;
    };
    send([s, xa]);
    for (let i = 0; i < 16; i++) send([{ name: `x-${i}`, value: "w".repeat(20) }]);
    expect(enc.insertCount).toBe(0);
    send([s, xa]); // a first sighting again
    expect(enc.insertCount).toBe(0);
    send([s, xa]); // the second: inserted and referenced
    expect(enc.insertCount).toBe(1);
    send([s, xa]); // the entry, found through the caches
    expect(enc.insertCount).toBe(1);
  });

  test("a name's cached history number expires with the history, though the name's record stays", () => {
    // user-agent is a static name: its record (and its last-value cache) is
    // never dropped, so only the history number's age says the field left.
    const { enc, roundTrip } = connected(1024);
    const ua = { name: "user-agent", value: "u".repeat(20) };
    let id = 0;
    const send = (fields: QpackField[]) => {
      roundTrip(id, fields);
      id += 4;
    };
    send([ua]); // first sighting
    for (let i = 0; i < 16; i++) send([{ name: `x-${i}`, value: "w".repeat(20) }]);
    send([ua]); // out of the history of 16: a first sighting again
    expect(enc.insertCount).toBe(0);
    send([ua]); // the second: inserted and referenced
    expect(enc.insertCount).toBe(1);
  });

  test("a name's cached dynamic entry follows Duplicates and evictions", () => {
    // Capacity 256: a duplicate of the draining entry, then the entry's
    // eviction; each round trip decodes, so a stale cached index would fail.
    const { enc, roundTrip } = connected(256);
    const a = { name: "x-a", value: "v" }; // 36 bytes
    const f = (i: number) => ({ name: `x-${i}`, value: "v" });
    let id = 0;
    const send = (fields: QpackField[]) => {
      id += 4;
      return roundTrip(id, fields);
    };
    send([a]); // inserted at first sight (a new small name)
    // Each x-i twice: inserted on its second sighting, evicting the oldest
    // entries; x-a, referenced every time, is duplicated when it drains.
    for (let i = 0; i < 12; i++) for (let k = 0; k < 2; k++) send([f(i), a]);
    const last = send([a]);
    expect(enc.insertCount).toBe(15);
    // RIC 15 (encoded 16), Base 15: relative 0 = entry 14, the Duplicate of
    // x-a queued with the previous section (encoder stream ending in 06).
    expect(hex(last.s)).toBe("100080");
  });

  test("small tables never insert fields whose values change per request (:path, etag, ...)", () => {
    const counts = [1024, 4096].map((cap) => {
      const enc = new QpackEncoder({ maxTableCapacity: cap, maxBlockedStreams: 10 });
      const fields = [
        { name: ":path", value: "/index.html" },
        { name: "etag", value: '"abc"' },
        { name: "content-type", value: "text/x-kept" },
      ];
      for (const id of [0, 4, 8]) enc.encodeFieldSection(id, fields);
      return enc.insertCount;
    });
    expect(counts).toEqual([1, 3]);
  });

  test("§2.1.1 no eviction of unacknowledged or referenced entries: the insert waits", () => {
    const enc = new QpackEncoder({ maxTableCapacity: 100, maxBlockedStreams: 10 });
    const dec = new QpackDecoder({ maxTableCapacity: 100, maxBlockedStreams: 10 });
    const f = (i: number) => ({ name: `x-${i}`, value: "v" }); // 36 bytes: two fit
    const fields = [f(0), f(1), f(2)];
    const pending: Array<[number, Uint8Array]> = [];
    for (const id of [0, 4, 8]) pending.push([id, enc.encodeFieldSection(id, fields)]);
    expect(enc.insertCount).toBe(2); // x-2 would evict x-0, which is unacknowledged and referenced
    dec.onEncoderStream(enc.drainEncoderStream());
    for (const [id, s] of pending) expect(dec.decodeFieldSection(id, s)).toEqual({ status: "decoded", fields });
    enc.onDecoderStream(dec.drainDecoderStream());
    // Acknowledged and released: now x-0 may be evicted for x-2 (unless the
    // same section references x-0, which would pin it again).
    const s = enc.encodeFieldSection(12, [f(2)]);
    expect(enc.insertCount).toBe(3);
    dec.onEncoderStream(enc.drainEncoderStream());
    expect(dec.decodeFieldSection(12, s)).toEqual({ status: "decoded", fields: [f(2)] });
    expect(dec.tableEntries()).toEqual([
      [1, "x-1", "v"],
      [2, "x-2", "v"],
    ]);
  });

  test("caller mistakes", () => {
    expect(() => new QpackEncoder({ maxTableCapacity: 100, tableCapacity: -1 })).toThrow(RangeError);
    expect(() => new QpackEncoder({ maxTableCapacity: 1.5 })).toThrow(RangeError);
    expect(() => new QpackEncoder({ maxTableCapacity: 2n ** 62n })).toThrow(RangeError);
    expect(() => new QpackEncoder({ maxBlockedStreams: -1n })).toThrow(RangeError);
    expect(() => new QpackEncoder().encodeFieldSection(-1, REQ)).toThrow(RangeError);
    expect(() => new QpackEncoder({ huffman: false }).encodeFieldSection(0, [{ name: "x", value: "\u0100" }])).toThrow(TypeError);
  });

  test("the capacity used is min(the peer's maximum, the local tableCapacity): a larger local choice is clamped", () => {
    // 3f45: Set Dynamic Table Capacity 100 (0x20 | 31, then 69).
    const e = new QpackEncoder({ maxTableCapacity: 100, tableCapacity: 200 });
    expect(e.tableCapacity).toBe(100);
    expect(hex(e.drainEncoderStream())).toBe("3f45");
  });

  test("the default local capacity is 4096 (nghttp3's), whatever the peer allows", () => {
    // 3fe11f: Set Dynamic Table Capacity 4096.
    for (const max of [4096, 65536, 2 ** 30, 2 ** 32 - 1, Number.MAX_SAFE_INTEGER, 2n ** 62n - 1n]) {
      const e = new QpackEncoder({ maxTableCapacity: max });
      expect(e.tableCapacity).toBe(4096);
      expect(hex(e.drainEncoderStream())).toBe("3fe11f");
    }
    expect(new QpackEncoder({ maxTableCapacity: 1000 }).tableCapacity).toBe(1000);
    expect(new QpackEncoder({ maxTableCapacity: 2n ** 62n - 1n }).maxTableCapacity).toBe(Number.MAX_SAFE_INTEGER);
  });
});
