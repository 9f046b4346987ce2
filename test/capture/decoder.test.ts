import { readFileSync } from "node:fs";
import { HttpwireError } from "httpwire";
import { CaptureDecoder, type CapturedPacket, type CaptureEvent, decodeCapture, type FrameEvent, PcapReader } from "httpwire/capture";
import { FrameType } from "httpwire/http2";
import { describe, expect, test } from "vitest";
import { fixturePath } from "../helpers/corpora.js";
import { ascii, concat, writePcap } from "./builders.js";

const captureBytes = (name: string) => new Uint8Array(readFileSync(fixturePath("captures", name)));

function decodeAll(bytes: Uint8Array, chunk = bytes.length, options = {}): CaptureEvent[] {
  const d = new CaptureDecoder(options);
  const out: CaptureEvent[] = [];
  for (let i = 0; i < bytes.length; i += chunk) out.push(...d.push(bytes.subarray(i, i + chunk)));
  out.push(...d.end());
  return out;
}

const frames = (evs: CaptureEvent[]) => evs.filter((e): e is FrameEvent => e.type === "frame");
const summary = (evs: CaptureEvent[]) =>
  frames(evs).map((e) => `${e.connection} ${e.direction} ${e.frameType} ${e.frame.streamId} ${e.frame.flags} ${e.length}`);
const kinds = (evs: CaptureEvent[]) =>
  evs
    .filter((e) => e.type !== "frame")
    .map((e) =>
      e.type === "error"
        ? `error ${e.connection} ${e.error.reason}`
        : e.type === "gap"
          ? `gap ${e.connection} ${e.direction} ${e.missing}`
          : e.type === "notice"
            ? `notice ${e.reason}`
            : `${e.type} ${e.connection}`,
    );

/** Packets of the shipped pcap, with their TCP payload offset. */
function packets(): CapturedPacket[] {
  const r = new PcapReader();
  const p = r.push(captureBytes("h2-session.pcap"));
  r.end();
  return p;
}
const tcpPayloadOffset = (d: Uint8Array) => 14 + (d[14]! & 0x0f) * 4 + (d[14 + (d[14]! & 0x0f) * 4 + 12]! >> 4) * 4;
const rewrite = (ps: readonly CapturedPacket[], edit: (d: Uint8Array, i: number) => Uint8Array | Uint8Array[] | undefined = (d) => d) =>
  writePcap(
    1,
    ps.flatMap((p, i) => {
      const d = edit(p.data.slice(), i);
      if (d === undefined) return [];
      return (Array.isArray(d) ? d : [d]).map((data) => ({
        data,
        seconds: p.seconds,
        nanoseconds: p.nanoseconds,
        originalLength: p.originalLength,
      }));
    }),
  );

const baseline = decodeAll(captureBytes("h2-session.pcap"));

describe("CaptureDecoder on the shipped captures", () => {
  test("h2-session: two connections, every frame, clean", () => {
    expect(kinds(baseline)).toEqual(["open 1", "open 2", "close 2", "close 2", "close 1", "close 1"]);
    expect(frames(baseline)).toHaveLength(69); // tshark -Y http2 -T fields -e http2.type, one per frame
    const first = frames(baseline).find((e) => e.frame.type === FrameType.HEADERS)!;
    expect(first).toMatchObject({ connection: 1, direction: "client-to-server", length: 82, frameType: 1 });
    expect(first.fields!.slice(0, 4)).toEqual([
      { name: ":method", value: "GET" },
      { name: ":path", value: "/hello/0" },
      { name: ":authority", value: "127.0.0.1:18080" },
      { name: ":scheme", value: "http" },
    ]);
  });

  test("the SETTINGS change shrinking the header table is applied at the ACK (RFC 7541 §4.2)", () => {
    // The server's next block must start with a size update (RFC 9113 §4.3.1); the decoder
    // would fail with size_update_missing if the new limit were applied at the wrong point.
    const after = frames(baseline).filter((e) => e.fields?.some((f) => f.value === "/hello/after-settings"));
    expect(after.map((e) => e.direction)).toEqual(["client-to-server", "server-to-client"]);
    const settings = frames(baseline).find((e) => e.frame.type === FrameType.SETTINGS && e.frame.settings.some((s) => s.id === 1))!;
    expect(settings.frame).toMatchObject({
      settings: [
        { id: 1, value: 512 },
        { id: 4, value: 1_048_576 },
      ],
    });
  });

  test("pcap and pcapng give the same frames; any chunking gives the same frames", () => {
    const ng = decodeAll(captureBytes("h2-session.pcapng"));
    expect(summary(ng)).toEqual(summary(baseline));
    expect(summary(decodeAll(captureBytes("h2-session.pcapng"), 997))).toEqual(summary(baseline));
    expect(summary(decodeAll(captureBytes("h2-session.pcap"), 1))).toEqual(summary(baseline));
  });

  test("CONTINUATION, padding and IPv6 captures decode cleanly", () => {
    const cont = decodeAll(captureBytes("h2-continuation-padding.pcapng"));
    expect(cont.filter((e) => e.type === "error" || e.type === "gap")).toEqual([]);
    expect(frames(cont).some((e) => e.frame.type === FrameType.CONTINUATION && e.fields !== undefined)).toBe(true);
    expect(frames(cont).some((e) => e.frame.type === FrameType.DATA && e.frame.padded)).toBe(true);
    const v6 = decodeAll(captureBytes("h2-ipv6.pcapng"));
    expect(v6[0]).toMatchObject({ type: "open", client: { address: "::1" }, server: { address: "::1", port: 18082 } });
  });

  test("decodeCapture streams from an async iterable", async () => {
    async function* chunks() {
      const b = captureBytes("h2-session.pcapng");
      for (let i = 0; i < b.length; i += 4096) yield b.subarray(i, i + 4096);
    }
    const out: CaptureEvent[] = [];
    for await (const e of decodeCapture(chunks())) out.push(e);
    expect(summary(out)).toEqual(summary(baseline));
  });
});

describe("raw byte streams and hex dumps", () => {
  const c2s = concat(
    packets()
      .slice(0, 26)
      .filter((p) => ((p.data[36]! << 8) | p.data[37]!) === 18080)
      .map((p) => p.data.subarray(tcpPayloadOffset(p.data))),
  );
  const expected = summary(baseline)
    .filter((s) => s.startsWith("1 client-to-server"))
    .slice(0, 20);

  test("a raw client byte stream (with preface) decodes as one client-to-server direction", () => {
    const evs = decodeAll(c2s, 100);
    expect(summary(evs)).toEqual(expected);
    expect(kinds(evs)).toEqual([]);
  });

  test("a server byte stream without preface is server-to-client", () => {
    const evs = decodeAll(Uint8Array.of(0, 0, 0, 4, 1, 0, 0, 0, 0));
    expect(summary(evs)).toEqual(["1 server-to-client 4 0 1 0"]);
  });

  test("the same stream as an xxd dump and as a hex stream", () => {
    const lines: string[] = [];
    for (let i = 0; i < c2s.length; i += 16) {
      const row = Array.from(c2s.subarray(i, i + 16), (b) => b.toString(16).padStart(2, "0"));
      const groups = [];
      for (let j = 0; j < row.length; j += 2) groups.push(row.slice(j, j + 2).join(""));
      lines.push(`${i.toString(16).padStart(8, "0")}: ${groups.join(" ").padEnd(40)}  ${"x".repeat(row.length)}`);
    }
    expect(summary(decodeAll(ascii(`${lines.join("\n")}\n`), 50))).toEqual(expected);
    const stream = Array.from(c2s, (b) => b.toString(16).padStart(2, "0")).join("");
    expect(summary(decodeAll(ascii(stream)))).toEqual(expected);
  });
});

describe("damaged captures", () => {
  const conn2 = summary(baseline).filter((s) => s.startsWith("2 "));

  test("a truncated file keeps what came before and reports TRUNCATED_CAPTURE", () => {
    const file = captureBytes("h2-session.pcap");
    const evs = decodeAll(file.subarray(0, 2000));
    const errs = evs.filter((e) => e.type === "error");
    expect(errs[0]).toMatchObject({ connection: undefined, error: { code: 0x03, reason: "truncated_pcap_record" } });
    expect(frames(evs).length).toBeGreaterThan(10);
    expect(summary(evs)).toEqual(summary(baseline).slice(0, frames(evs).length));
  });

  test("a snapshot length shorter than the packets: gaps, no crash", () => {
    const ps = packets();
    const file = writePcap(
      1,
      ps.map((p) => ({
        data: p.data.subarray(0, 200),
        originalLength: p.data.length,
        seconds: p.seconds,
        nanoseconds: p.nanoseconds,
      })),
      { snapLength: 200 },
    );
    const evs = decodeAll(file);
    const gaps = evs.filter((e) => e.type === "gap");
    expect(gaps.length).toBeGreaterThan(0);
    expect(gaps[0]).toMatchObject({ connection: 1, direction: "client-to-server" });
    for (const e of evs) if (e.type === "error") expect(e.error).toBeInstanceOf(HttpwireError);
  });

  test("a missing segment in connection 1 is a gap; connection 2 decodes in full", () => {
    const file = rewrite(packets(), (d, i) => (i === 10 ? undefined : d)); // packet 11: HEADERS + DATA of the POST
    const evs = decodeAll(file);
    expect(kinds(evs)).toContain("gap 1 client-to-server 3045");
    expect(summary(evs).filter((s) => s.startsWith("2 "))).toEqual(conn2);
  });

  test("repeated and reordered segments give the same frames", () => {
    expect(summary(decodeAll(rewrite(packets(), (d) => [d, d])))).toEqual(summary(baseline));
    const ps = packets();
    [ps[10], ps[11]] = [ps[11]!, ps[10]!];
    [ps[7], ps[9]] = [ps[9]!, ps[7]!];
    const evs = decodeAll(rewrite(ps));
    expect(kinds(evs)).toEqual(kinds(baseline));
    expect(summary(evs).sort()).toEqual(summary(baseline).sort());
  });

  test("a garbage frame in the middle of connection 1 stops that direction; the server's direction and connection 2 go on", () => {
    const ps = packets();
    // Packet 13 is the client's PING: put it on stream 1 (RFC 9113 §6.7: PROTOCOL_ERROR).
    const evs = decodeAll(
      rewrite(ps, (d, i) => {
        if (i === 12) d[tcpPayloadOffset(d) + 8] = 1;
        return d;
      }),
    );
    const err = evs.find((e) => e.type === "error")!;
    expect(err).toMatchObject({
      connection: 1,
      direction: "client-to-server",
      error: { code: 0x01, scope: "connection" },
    });
    const idx = evs.indexOf(err);
    const after = evs.slice(idx).filter((e) => e.type === "frame" && e.connection === 1);
    expect(after.filter((e) => e.type === "frame" && e.direction === "client-to-server")).toEqual([]);
    // The server's direction has its own frames and HPACK state: decoding it goes on (the PING ACK, and the rest).
    const serverAfter = summary(after).filter((s) => s.startsWith("1 server-to-client"));
    const serverAll = summary(baseline).filter((s) => s.startsWith("1 server-to-client"));
    expect(serverAfter.length).toBeGreaterThan(0);
    expect(serverAll.slice(-serverAfter.length)).toEqual(serverAfter);
    expect(summary(evs).filter((s) => s.startsWith("2 "))).toEqual(conn2);
  });

  test("connections that are not HTTP/2 are ignored unless their port is named", () => {
    const junk = rewrite(packets(), (d) => {
      const o = tcpPayloadOffset(d);
      if (d.length > o + 3 && d[o] === 0x50) d[o] = 0x51; // spoil "PRI"
      return d;
    });
    expect(frames(decodeAll(junk))).toEqual([]);
    const named = decodeAll(junk, junk.length, { ports: [18080] });
    expect(named.some((e) => e.type === "error" && e.connection === 1)).toBe(true);
  });

  test("empty and unknown inputs", () => {
    expect(decodeAll(new Uint8Array(0))).toMatchObject([{ type: "error", error: { reason: "empty_input" } }]);
    const evs = decodeAll(ascii("not hex at all"));
    expect(evs).toMatchObject([{ type: "error", error: { reason: "hex_dump_bad_character" } }]);
  });
});
