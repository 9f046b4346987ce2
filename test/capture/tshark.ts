/**
 * What tshark and httpwire see in a capture, in the same shape: per
 * connection (its client port) and direction, the HTTP/2 frames (type,
 * stream, length, flags) and the header fields in order. Used by the
 * Wireshark agreement tests (cleartext in test/interop/tshark.test.ts, TLS
 * in test/capture/tshark-tls.test.ts).
 */
import { spawnSync } from "node:child_process";
import type { CaptureEvent } from "httpwire/capture";
import { expect } from "vitest";

/** Whether tshark can be run. */
export const haveTshark = spawnSync("tshark", ["-v"], { encoding: "utf8" }).status === 0;

/** Frames and header fields of one direction of one connection. */
export interface Seen {
  frames: string[];
  fields: string[];
}

type Json = Record<string, unknown>;
const list = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/**
 * Runs `tshark -r FILE ARGS -Y http2 -T json` and collects its HTTP/2 frames,
 * keyed `"<client port> <direction>"` (a packet to one of `serverPorts` is
 * the client's).
 */
export function viaTshark(file: string, args: readonly string[], serverPorts: readonly number[]): Map<string, Seen> {
  const r = spawnSync("tshark", ["-r", file, ...args, "-Y", "http2", "-T", "json", "-J", "tcp http2", "--no-duplicate-keys"], {
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`tshark failed: ${r.stderr}`);
  const out = new Map<string, Seen>();
  for (const pkt of JSON.parse(r.stdout) as Json[]) {
    const layers = (pkt._source as Json).layers as Json;
    const tcp = layers.tcp as Json;
    const src = Number(list(tcp["tcp.srcport"])[0]);
    const dst = Number(list(tcp["tcp.dstport"])[0]);
    const key = serverPorts.includes(dst) ? `${src} client-to-server` : `${dst} server-to-client`;
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

/** httpwire's events in the shape of {@link viaTshark}, and the error and gap events. */
export function seenByHttpwire(events: readonly CaptureEvent[]): { seen: Map<string, Seen>; problems: CaptureEvent[] } {
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

/**
 * Expects httpwire to have seen exactly tshark's connections, and per
 * connection and direction the same frames and header fields in order.
 * @returns how many frames and fields were compared
 */
export function expectSameAsTshark(theirs: Map<string, Seen>, ours: Map<string, Seen>, label: string): { frames: number; fields: number } {
  expect([...ours.keys()].sort()).toEqual([...theirs.keys()].sort());
  let frames = 0;
  let fields = 0;
  for (const [key, t] of theirs) {
    const o = ours.get(key)!;
    expect(o.frames, `${label} ${key} frames`).toEqual(t.frames);
    expect(o.fields, `${label} ${key} header fields`).toEqual(t.fields);
    frames += t.frames.length;
    fields += t.fields.length;
  }
  return { frames, fields };
}
