/**
 * The recorded HTTP/3 sessions (scripts/record-quic-captures.ts): decoded
 * end to end with their key logs, compared with what the client asked and
 * the server served, and with tshark when it is installed: packet for
 * packet, and every stream's HTTP/3 frames in order (see
 * {@link expectStreamsAgree} for the DATA frames tshark 4.0 cannot list).
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { CaptureDecoder, type CaptureEvent, KeyLog } from "httpwire/capture";
import { quicFrameTypeOf } from "httpwire/quic";
import { describe, expect, test } from "vitest";
import { fixturePath } from "../../helpers/corpora.js";
import { checkExchanges, decodeFile, type Meta } from "./helpers.js";
import { expectStreamsAgree, hasTshark } from "./tshark.js";

const file = (name: string) => fixturePath("captures", "quic", name);

const tshark = hasTshark();

/** tshark's view: every QUIC packet number and transport frame type, in capture order. */
function tsharkView(pcap: string, keys: string) {
  const json = execFileSync(
    "tshark",
    ["-r", pcap, "-o", `tls.keylog_file:${keys}`, "-Y", "quic", "-T", "json", "-e", "quic.packet_number", "-e", "quic.frame_type"],
    { maxBuffer: 1 << 30, stdio: ["ignore", "pipe", "ignore"] },
  ).toString();
  const rows = JSON.parse(json) as { _source: { layers: Record<string, string[]> } }[];
  const pns: number[] = [];
  const frames: number[] = [];
  for (const r of rows) {
    const l = r._source.layers;
    for (const x of l["quic.packet_number"] ?? []) pns.push(Number(x));
    for (const x of l["quic.frame_type"] ?? []) frames.push(Number(x));
  }
  return { pns, frames };
}

function ourView(events: CaptureEvent[]) {
  const pns: number[] = [];
  const frames: number[] = [];
  for (const e of events) {
    if (e.type === "quic-packet" && e.packetNumber !== undefined) {
      pns.push(e.packetNumber);
      for (const f of e.frames ?? []) frames.push(quicFrameTypeOf(f));
    }
  }
  return { pns, frames };
}

// The tshark here (4.0) does not decrypt the v2 draft; the others are compared packet for packet.
const SESSIONS = [
  ["h3-aes128gcm", "TLS_AES_128_GCM_SHA256", 1, true],
  ["h3-aes256gcm", "TLS_AES_256_GCM_SHA384", 1, true],
  ["h3-chacha20", "TLS_CHACHA20_POLY1305_SHA256", 1, true],
  ["h3-v2draft", "TLS_AES_128_GCM_SHA256", 0x709a50c4, false],
] as const;

describe.each(SESSIONS)("recorded session %s", (name, suite, version, compareWithTshark) => {
  const pcap = file(`${name}.pcapng`);
  const keys = file(`${name}.keys`);
  const meta = JSON.parse(readFileSync(file(`${name}.json`), "utf8")) as Meta;
  const events = decodeFile(pcap, keys);

  test("decodes end to end: connection line, handshake, no errors, every request and response", () => {
    expect(events.filter((e) => e.type === "error")).toEqual([]);
    expect(events.filter((e) => e.type === "quic-undecryptable")).toEqual([]);
    const open = events.find((e) => e.type === "quic-open");
    expect(open?.type === "quic-open" && open.info.serverName).toBe("localhost");
    expect(open?.type === "quic-open" && open.info.version).toBe(version);
    const hs = events.find((e) => e.type === "quic-handshake");
    expect(hs?.type === "quic-handshake" && hs.info.cipherSuiteName).toBe(suite);
    expect(hs?.type === "quic-handshake" && hs.info.alpn).toBe("h3");
    checkExchanges(events, meta);
    // The client closes the connection (H3_NO_ERROR, 0x100): one quic-close for the connection.
    const closes = events.filter((e) => e.type === "quic-close");
    expect(closes.map((e) => e.type === "quic-close" && [e.how, e.direction, e.application, e.errorCode])).toEqual([
      ["connection-close", "client-to-server", true, 0x100],
    ]);
    // Control streams with SETTINGS both ways, QPACK streams seen.
    const settings = events.filter((e) => e.type === "h3-frame" && e.frameType === 4);
    expect(settings.map((e) => e.type === "h3-frame" && e.direction).sort()).toEqual(["client-to-server", "server-to-client"]);
  });

  test("any chunking gives the same events", () => {
    const strip = (es: CaptureEvent[]) =>
      JSON.stringify(
        es.map((e) => ({
          ...e,
          ...(e.type === "quic-packet" ? { frames: e.frames?.length } : {}),
          ...(e.type === "h3-frame" ? { frame: undefined } : {}),
        })),
        (_k, v) => (typeof v === "bigint" ? v.toString() : v),
      );
    expect(strip(decodeFile(pcap, keys, 1000))).toBe(strip(events));
  });

  test.skipIf(!tshark || !compareWithTshark)(
    `agrees with tshark packet for packet${tshark ? (compareWithTshark ? "" : " (SKIPPED: tshark does not decrypt the v2 draft)") : " (SKIPPED: tshark not installed)"}`,
    () => {
      const theirs = tsharkView(pcap, keys);
      const ours = ourView(events);
      expect(ours.pns).toEqual(theirs.pns);
      expect(ours.frames).toEqual(theirs.frames);
    },
  );

  test.skipIf(!tshark || !compareWithTshark)(
    `every stream's HTTP/3 frames (type, length) agree with tshark's in order, DATA frames included${tshark ? (compareWithTshark ? "" : " (SKIPPED: tshark does not decrypt the v2 draft)") : " (SKIPPED: tshark not installed)"}`,
    () => {
      const { compared, data, unlisted } = expectStreamsAgree(events, pcap, keys);
      // The 6-byte /index.html's DATA frame lies in one packet and is compared; the larger bodies' DATA frames span
      // packets, so tshark cannot list them: they are checked by the tiling (their lengths add up to tshark's stream).
      const small = meta.requests.filter((r) => r.size < 100).length;
      expect(small).toBe(1);
      expect(data).toBe(small);
      expect(unlisted).toBe(meta.requests.length - small);
      // Both SETTINGS, the HEADERS of every request and response, the small DATA frame.
      expect(compared).toBe(2 + 2 * meta.requests.length + small);
    },
  );

  test("without the key log: Initial packets only, and one clear line per level", () => {
    const none = decodeFile(pcap, undefined);
    const u = none.filter((e) => e.type === "quic-undecryptable");
    expect(u.map((e) => e.type === "quic-undecryptable" && e.reason)).toContain("no-keys");
    expect(none.filter((e) => e.type === "h3-frame")).toEqual([]);
    const open = none.find((e) => e.type === "quic-open");
    expect(open?.type === "quic-open" && open.info.serverName).toBe("localhost");
    expect(none.filter((e) => e.type === "error")).toEqual([]);
  });

  test("a key log of another session: wrong keys, said once per level, never an exception", () => {
    const other = SESSIONS.find((s) => s[0] !== name)![0];
    const text = readFileSync(keys, "utf8");
    const random = text.split("\n")[0]!.split(" ")[1]!;
    const otherText = readFileSync(file(`${other}.keys`), "utf8").replace(/^(\S+) (\S+)/gm, `$1 ${random}`);
    const d = new CaptureDecoder({ keyLog: new KeyLog(otherText) });
    const es = [...d.push(new Uint8Array(readFileSync(pcap))), ...d.end()];
    const wrong = es.filter((e) => e.type === "quic-undecryptable" && e.reason === "wrong-keys");
    expect(wrong.length).toBeGreaterThan(0);
    expect(new Set(wrong.map((e) => e.type === "quic-undecryptable" && e.level)).size).toBe(wrong.length);
    expect(es.filter((e) => e.type === "h3-frame")).toEqual([]);
  });
});

describe("a client that offers RFC 9369 v2 without implementing it (ngtcp2 0.12's client with -v 0x6b3343cf)", () => {
  test("its first packet is named (v2 with version 1's Initial bits reads as a Retry), the Version Negotiation is listed", () => {
    const es = decodeFile(file("h3-version-negotiation.pcapng"), undefined);
    const open = es.find((e) => e.type === "quic-open");
    expect(open?.type === "quic-open" && open.info.versionName).toBe("v2");
    const err = es.find((e) => e.type === "error");
    expect(err?.type === "error" && err.error.reason).toBe("quic_client_packet_not_initial");
    expect(err?.type === "error" && err.connection).toBe(1);
    const vn = es.find((e) => e.type === "quic-packet" && e.packetType === "version-negotiation");
    expect(vn?.type === "quic-packet" && vn.versions).toContain(1);
  });
});
