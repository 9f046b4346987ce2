/**
 * Agreement with Wireshark: every capture in fixtures/captures/ is decoded by
 * tshark (the recording ports decoded as HTTP/2) and by httpwire, and the two
 * must report the same frames (type, stream ID, length, flags) and the same
 * header fields in the same order, per connection and direction.
 *
 * Skips, saying so, when tshark is not installed (Debian: apt-get install tshark).
 */
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { CaptureDecoder, type CaptureEvent } from "httpwire/capture";
import { describe, expect, test } from "vitest";
import { captureBytes } from "../capture/fixtures.js";
import { fixturePath } from "../helpers/corpora.js";

/** The ports scripts/record-captures.ts records on. */
const PORTS = [18080, 18081, 18082, 18083, 18084];

const tshark = spawnSync("tshark", ["-v"], { encoding: "utf8" });
const haveTshark = tshark.status === 0;
const captures = readdirSync(fixturePath("captures"))
  .filter((f) => /\.pcap(ng)?$/.test(f))
  .sort();

interface Seen {
  frames: string[];
  fields: string[];
}

type Json = Record<string, unknown>;
const list = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

function viaTshark(file: string): Map<string, Seen> {
  const args = [
    "-r",
    fixturePath("captures", file),
    ...PORTS.flatMap((p) => ["-d", `tcp.port==${p},http2`]),
    "-Y",
    "http2",
    "-T",
    "json",
    "-J",
    "tcp http2",
    "--no-duplicate-keys",
  ];
  const r = spawnSync("tshark", args, { encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`tshark failed: ${r.stderr}`);
  const out = new Map<string, Seen>();
  for (const pkt of JSON.parse(r.stdout) as Json[]) {
    const layers = (pkt._source as Json).layers as Json;
    const tcp = layers.tcp as Json;
    const src = Number(list(tcp["tcp.srcport"])[0]);
    const dst = Number(list(tcp["tcp.dstport"])[0]);
    const key = PORTS.includes(dst) ? `${src} client-to-server` : `${dst} server-to-client`;
    const seen = out.get(key) ?? { frames: [], fields: [] };
    out.set(key, seen);
    for (const h of list(layers.http2 as Json | Json[])) {
      for (const s of list(h["http2.stream"] as Json | Json[])) {
        if (s["http2.type"] === undefined) continue; // the client preface ("Magic")
        seen.frames.push(`${s["http2.type"]} ${s["http2.streamid"]} ${s["http2.length"]} ${Number(s["http2.flags"])}`);
        for (const f of list(s["http2.header"] as Json | Json[]))
          seen.fields.push(`${f["http2.header.name"]}: ${f["http2.header.value"] ?? ""}`);
      }
    }
  }
  return out;
}

function viaHttpwire(file: string): { seen: Map<string, Seen>; problems: CaptureEvent[] } {
  return viaHttpwireBytes(captureBytes(file));
}

function viaHttpwireBytes(bytes: Uint8Array): { seen: Map<string, Seen>; problems: CaptureEvent[] } {
  const d = new CaptureDecoder({ ports: PORTS });
  const events = [...d.push(bytes), ...d.end()];
  const clientPort = new Map<number, number>();
  const seen = new Map<string, Seen>();
  for (const e of events) {
    if (e.type === "open") clientPort.set(e.connection, e.client.port);
    if (e.type !== "frame") continue;
    const key = `${clientPort.get(e.connection)} ${e.direction}`;
    const s = seen.get(key) ?? { frames: [], fields: [] };
    seen.set(key, s);
    s.frames.push(`${e.frameType} ${e.frame.streamId} ${e.length} ${e.frame.flags}`);
    for (const f of e.fields ?? []) s.fields.push(`${f.name}: ${f.value}`);
  }
  return { seen, problems: events.filter((e) => e.type === "error" || e.type === "gap") };
}

describe.skipIf(!haveTshark)("tshark agrees with httpwire on every shipped capture", () => {
  test.each(captures)("%s printed by tshark -x decodes to the same frames", (file) => {
    const r = spawnSync("tshark", ["-r", fixturePath("captures", file), ...PORTS.flatMap((p) => ["-d", `tcp.port==${p},http2`]), "-x"], {
      maxBuffer: 256 * 1024 * 1024,
    });
    expect(r.status).toBe(0);
    const fromDump = viaHttpwireBytes(new Uint8Array(r.stdout));
    const direct = viaHttpwire(file);
    expect(fromDump.problems).toEqual([]);
    expect([...fromDump.seen.entries()]).toEqual([...direct.seen.entries()]);
  });

  test("there are captures to compare", () => {
    expect(captures.length).toBeGreaterThanOrEqual(4);
  });
  test.each(captures)("%s", (file) => {
    const theirs = viaTshark(file);
    const { seen: ours, problems } = viaHttpwire(file);
    expect(problems).toEqual([]);
    expect([...ours.keys()].sort()).toEqual([...theirs.keys()].sort());
    let frames = 0;
    let fields = 0;
    for (const [key, t] of theirs) {
      const o = ours.get(key)!;
      expect(o.frames, `${file} ${key} frames`).toEqual(t.frames);
      expect(o.fields, `${file} ${key} header fields`).toEqual(t.fields);
      frames += t.frames.length;
      fields += t.fields.length;
    }
    expect(frames).toBeGreaterThan(10);
    expect(fields).toBeGreaterThan(10);
  });
});

if (!haveTshark) {
  console.warn("SKIPPED: tshark not found on PATH; the Wireshark agreement test did not run (apt-get install tshark)");
  test.skip("tshark agreement (skipped: tshark is not installed; apt-get install tshark)", () => undefined);
}
