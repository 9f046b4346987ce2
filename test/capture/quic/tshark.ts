/**
 * tshark's view of a QUIC capture, per stream, next to httpwire's: the
 * HTTP/3 frames (type, length) of every stream in order, and every STREAM
 * frame's range. Reads `tshark -T pdml` (node:child_process).
 */
import { execFileSync } from "node:child_process";
import type { CaptureEvent } from "httpwire/capture";
import { varintLength } from "httpwire/quic";
import { expect } from "vitest";

/** Whether tshark is installed. */
export function hasTshark(): boolean {
  try {
    execFileSync("tshark", ["-v"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** A stream of one direction: `"SRCPORT>DSTPORT#ID"`. */
export type StreamKey = string;

/** One HTTP/3 frame: `"TYPE/LENGTH"`. */
export type FrameText = string;

export interface StreamView {
  /** HTTP/3 frames per stream, in stream order. */
  readonly frames: Map<StreamKey, FrameText[]>;
  /** STREAM frames' ranges per stream: [offset, end) (retransmissions included). */
  readonly ranges: Map<StreamKey, [number, number][]>;
}

const push = <T>(m: Map<string, T[]>, k: string, v: T) => {
  const list = m.get(k);
  if (list === undefined) m.set(k, [v]);
  else list.push(v);
};

const attr = (line: string, name: string): string | undefined => new RegExp(`\\b${name}="([^"]*)"`).exec(line)?.[1];

/**
 * tshark's view from `-T pdml`: each `http3` protocol item is attributed to
 * the STREAM frame of its packet whose `quic.stream_data` holds its
 * position (both are positions in the decrypted packet), and lists the `http3.frame_type` and
 * `http3.frame_length` fields it holds.
 */
export function tsharkStreams(pcap: string, keys: string): StreamView {
  const args = ["-r", pcap, "-o", `tls.keylog_file:${keys}`, "-Y", "quic", "-T", "pdml", "-J", "udp quic http3"];
  const xml = execFileSync("tshark", args, {
    maxBuffer: 1 << 30,
    stdio: ["ignore", "pipe", "ignore"],
  }).toString();
  const frames = new Map<StreamKey, FrameText[]>();
  const ranges = new Map<StreamKey, [number, number][]>();
  let ports = "";
  let streams: { id: number; start: number; end: number }[] = [];
  let streamId = -1;
  let h3: StreamKey | undefined;
  let type: string | undefined;
  for (const line of xml.split("\n")) {
    const field = attr(line, "name");
    if (line.includes("<packet>")) {
      streams = [];
      h3 = undefined;
    } else if (field === "udp.srcport") {
      ports = `${attr(line, "show")}`;
    } else if (field === "udp.dstport") {
      ports += `>${attr(line, "show")}`;
    } else if (field === "quic.frame") {
      const m = /^STREAM id=(\d+) fin=\d off=(\d+) len=(\d+)/.exec(attr(line, "showname") ?? "");
      if (m !== null) {
        const [id, off, len] = [Number(m[1]), Number(m[2]), Number(m[3])];
        streamId = id;
        push(ranges, `${ports}#${id}`, [off, off + len] as [number, number]);
      }
    } else if (field === "quic.stream_data") {
      // Positions of the frame's sub-fields and of http3 items are in the decrypted packet.
      const start = Number(attr(line, "pos"));
      streams.push({ id: streamId, start, end: start + Number(attr(line, "size")) });
    } else if (line.includes('<proto name="http3"')) {
      const pos = Number(attr(line, "pos"));
      const s = streams.find((x) => pos >= x.start && pos < x.end);
      if (s === undefined) throw new Error(`an http3 item at ${pos} outside every STREAM frame of its packet`);
      h3 = `${ports}#${s.id}`;
    } else if (line.includes("<proto ")) {
      h3 = undefined;
    } else if (h3 !== undefined && field === "http3.frame_type") {
      type = attr(line, "show");
    } else if (h3 !== undefined && field === "http3.frame_length" && type !== undefined) {
      push(frames, h3, `${Number(type)}/${Number(attr(line, "show"))}`);
      type = undefined;
    }
  }
  return { frames, ranges };
}

/** One of httpwire's HTTP/3 frames with where it lies in its stream. */
export interface OurFrame {
  readonly text: FrameText;
  readonly frameType: number | bigint;
  readonly length: number;
  /** [first byte, end) in the stream, frame header included. */
  readonly start: number;
  readonly end: number;
}

/** httpwire's view: HTTP/3 frames per stream with their byte ranges, STREAM frames' ranges, each stream's frame end. */
export function ourStreams(events: readonly CaptureEvent[]) {
  const ports = new Map<number, { client: number; server: number }>();
  const key = (connection: number, dir: string, streamId: number): StreamKey => {
    const p = ports.get(connection)!;
    return dir === "client-to-server" ? `${p.client}>${p.server}#${streamId}` : `${p.server}>${p.client}#${streamId}`;
  };
  const frames = new Map<StreamKey, OurFrame[]>();
  const ranges = new Map<StreamKey, [number, number][]>();
  for (const e of events) {
    if (e.type === "quic-open") ports.set(e.connection, { client: e.client.port, server: e.server.port });
    if (e.type === "quic-packet") {
      for (const f of e.frames ?? []) {
        if (f.type === "stream") {
          const start = Number(f.offset);
          push(ranges, key(e.connection, e.direction, Number(f.streamId)), [start, start + f.data.length] as [number, number]);
        }
      }
    }
    if (e.type === "h3-frame") {
      const header = varintLength(e.frameType) + varintLength(e.length);
      push(frames, key(e.connection, e.direction, e.streamId), {
        text: `${Number(e.frameType)}/${e.length}`,
        frameType: e.frameType,
        length: e.length,
        start: e.offset,
        end: e.offset + header + e.length,
      });
    }
  }
  return { frames, ranges };
}

/** The end of a stream's data as STREAM frames show it (the largest offset + length). */
export function streamEnd(ranges: readonly [number, number][] | undefined): number {
  return Math.max(0, ...(ranges ?? []).map((r) => r[1]));
}

/** Whether [start, end) lies inside one STREAM frame's data. */
export function inOneStreamFrame(f: { start: number; end: number }, ranges: readonly [number, number][] | undefined): boolean {
  return (ranges ?? []).some(([s, e]) => f.start >= s && f.end <= e);
}

/**
 * Every stream's HTTP/3 frames agree with tshark's, in order.
 *
 * tshark 4.0 lists an HTTP/3 frame only when the whole frame (type, length
 * and payload) lies inside one STREAM frame: a frame that spans STREAM
 * frames (every DATA frame of a body larger than about one packet) is not
 * listed at all, not even its type and length, and tshark has no field for
 * it (`tshark -G fields | grep http3` offers `http3.frame_type`,
 * `http3.frame_length` and `http3.frame_payload` only, and the quic
 * dissector has no stream reassembly preference). So per stream (connection
 * and direction by UDP ports, stream ID):
 * - tshark's list equals httpwire's frames that lie inside one STREAM frame,
 *   in order, DATA frames included (a frame inside a retransmitted STREAM
 *   frame is listed once per transmission: tshark dissects each copy; the
 *   quic dissector says it does not handle out-of-order or overlapping
 *   STREAM data), and
 * - httpwire's frames tile the stream exactly: the first starts where the
 *   stream's frames start (after a unidirectional stream's type), each
 *   starts where the previous ended, and the last ends at the stream's end
 *   as tshark's STREAM frames show it (largest offset + length). So the
 *   lengths of the DATA frames tshark cannot list add up, with the others'
 *   bytes, to the stream tshark saw.
 * @returns how many frames were compared, how many of them DATA, and how many frames tshark could not list
 */
export function expectStreamsAgree(events: readonly CaptureEvent[], pcap: string, keys: string) {
  const theirs = tsharkStreams(pcap, keys);
  const ours = ourStreams(events);
  let compared = 0;
  let data = 0;
  let unlisted = 0;
  const streams = new Set([...theirs.frames.keys(), ...ours.frames.keys()]);
  for (const k of [...streams].sort()) {
    const frames = ours.frames.get(k) ?? [];
    // Per STREAM frame in capture order, the HTTP/3 frames inside it: tshark dissects a retransmission again.
    const listed = (ours.ranges.get(k) ?? []).flatMap(([s, e]) => frames.filter((f) => f.start >= s && f.end <= e));
    expect({ stream: k, frames: listed.map((f) => f.text) }).toEqual({ stream: k, frames: theirs.frames.get(k) ?? [] });
    compared += listed.length;
    data += listed.filter((f) => f.frameType === 0).length;
    unlisted += frames.filter((f) => !inOneStreamFrame(f, ours.ranges.get(k))).length;
    // The frames tile the stream up to the end tshark's STREAM frames show.
    const tiles = frames.map((f, i) => (i === 0 ? true : f.start === frames[i - 1]!.end));
    expect({ stream: k, tiles: tiles.every(Boolean) }).toEqual({ stream: k, tiles: true });
    expect({ stream: k, end: frames.at(-1)?.end ?? 0 }).toEqual({ stream: k, end: streamEnd(theirs.ranges.get(k)) });
    // A request stream's frames start at 0; a unidirectional stream's after its type (and push ID): 1 to 16 bytes.
    const start = frames[0]?.start ?? 0;
    const bidi = (Number(k.slice(k.indexOf("#") + 1)) & 2) === 0;
    expect({ stream: k, startOk: bidi ? start === 0 : start >= 1 && start <= 16 }).toEqual({ stream: k, startOk: true });
  }
  return { compared, data, unlisted };
}
