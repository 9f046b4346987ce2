/**
 * Peak memory (RSS) of `httpwire decode` on a ~100 MB capture.
 *
 * The capture is generated in the temp directory (never committed) from the
 * recorded `fixtures/captures/h2-session.pcap` by repetition: copy k of the
 * file's packets gets new client ports (TCP checksums patched per RFC 1624)
 * and timestamps shifted past the previous copy, so it holds thousands of
 * distinct, well-formed HTTP/2 connections one after another, as a long
 * capture on a busy host would.
 *
 * The CLI runs in a child process (`bench/rss-probe.ts`, which calls the
 * CLI's `main(["decode", file])` with output discarded) and reports
 * `process.resourceUsage().maxRSS`, the kernel's high-water mark for that
 * process, next to the same process's RSS before decoding.
 */
import { spawnSync } from "node:child_process";
import { closeSync, existsSync, openSync, readFileSync, statSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { REPO_ROOT } from "../corpus.js";
import { fmtInt, table } from "../harness.js";
import type { SuiteReport } from "../report.js";

const SOURCE = join(REPO_ROOT, "fixtures", "captures", "h2-session.pcap");

function patchPort(pkt: Uint8Array, tcpOff: number, portOff: number, port: number): void {
  const dv = new DataView(pkt.buffer, pkt.byteOffset, pkt.byteLength);
  const old = dv.getUint16(tcpOff + portOff);
  dv.setUint16(tcpOff + portOff, port);
  // RFC 1624 eqn. 3: HC' = ~(~HC + ~m + m').
  let sum = (~dv.getUint16(tcpOff + 16) & 0xffff) + (~old & 0xffff) + port;
  sum = (sum & 0xffff) + (sum >>> 16);
  sum = (sum & 0xffff) + (sum >>> 16);
  dv.setUint16(tcpOff + 16, ~sum & 0xffff);
}

/** Writes a pcap of about `targetBytes` made of copies of the recorded session; returns its path and size. */
export function generateCapture(targetBytes: number): { path: string; bytes: number; copies: number } {
  const src = new Uint8Array(readFileSync(SOURCE));
  const dv = new DataView(src.buffer, src.byteOffset, src.byteLength);
  const magic = dv.getUint32(0, true);
  if (magic !== 0xa1b2c3d4) throw new Error("expected a little-endian microsecond pcap");
  if (dv.getUint32(20, true) !== 1) throw new Error("expected an Ethernet pcap");
  interface Rec {
    tsSec: number;
    tsUsec: number;
    data: Uint8Array;
    tcpOff: number;
    sport: number;
    dport: number;
  }
  const recs: Rec[] = [];
  let pos = 24;
  while (pos + 16 <= src.length) {
    const incl = dv.getUint32(pos + 8, true);
    const data = src.subarray(pos + 16, pos + 16 + incl);
    let tcpOff = -1;
    const etherType = (data[12]! << 8) | data[13]!;
    if (etherType === 0x0800 && data[23] === 6) tcpOff = 14 + (data[14]! & 0x0f) * 4;
    else if (etherType === 0x86dd && data[20] === 6) tcpOff = 14 + 40;
    const sport = tcpOff >= 0 ? (data[tcpOff]! << 8) | data[tcpOff + 1]! : 0;
    const dport = tcpOff >= 0 ? (data[tcpOff + 2]! << 8) | data[tcpOff + 3]! : 0;
    recs.push({ tsSec: dv.getUint32(pos, true), tsUsec: dv.getUint32(pos + 4, true), data, tcpOff, sport, dport });
    pos += 16 + incl;
  }
  // Server ports: destinations of SYNs without ACK.
  const servers = new Set<number>();
  for (const r of recs) if (r.tcpOff >= 0 && (r.data[r.tcpOff + 13]! & 0x12) === 0x02) servers.add(r.dport);
  const clients = [...new Set(recs.filter((r) => r.tcpOff >= 0).map((r) => (servers.has(r.dport) ? r.sport : r.dport)))];
  const first = recs[0]!;
  const last = recs[recs.length - 1]!;
  const spanUs = (last.tsSec - first.tsSec) * 1e6 + (last.tsUsec - first.tsUsec) + 1000;
  const per = src.length - 24;
  const copies = Math.max(1, Math.ceil(targetBytes / per));
  const path = join(tmpdir(), `httpwire-bench-${copies}x-h2-session.pcap`);
  if (existsSync(path) && statSync(path).size === 24 + per * copies) return { path, bytes: statSync(path).size, copies };
  const fd = openSync(path, "w");
  writeSync(fd, src.subarray(0, 24));
  const buf = new Uint8Array(per);
  const bdv = new DataView(buf.buffer);
  for (let k = 0; k < copies; k++) {
    let o = 0;
    for (const r of recs) {
      const us = r.tsUsec + k * spanUs;
      bdv.setUint32(o, r.tsSec + Math.floor(us / 1e6), true);
      bdv.setUint32(o + 4, us % 1e6, true);
      bdv.setUint32(o + 8, r.data.length, true);
      bdv.setUint32(o + 12, r.data.length, true);
      const pkt = buf.subarray(o + 16, o + 16 + r.data.length);
      pkt.set(r.data);
      if (r.tcpOff >= 0) {
        const clientIsSrc = !servers.has(r.sport);
        const ci = clients.indexOf(clientIsSrc ? r.sport : r.dport);
        const port = 1024 + ((k * clients.length + ci) % 64_000);
        patchPort(pkt, r.tcpOff, clientIsSrc ? 0 : 2, port);
      }
      o += 16 + r.data.length;
    }
    writeSync(fd, buf);
  }
  closeSync(fd);
  return { path, bytes: 24 + per * copies, copies };
}

interface ProbeOut {
  rssBeforeKiB?: number;
  maxRssKiB?: number;
  exitCode?: number;
  seconds?: number;
  error?: string;
}

export async function rssSuite(quick: boolean): Promise<SuiteReport> {
  const text: string[] = [];
  const decodeSrc = readFileSync(join(REPO_ROOT, "src", "cli", "commands", "decode.ts"), "utf8");
  if (decodeSrc.includes("not available yet")) {
    return {
      title: "Peak memory of `httpwire decode`",
      text: "- Not measured: `src/cli/commands/decode.ts` is still a placeholder.",
      ratios: {},
      targets: [],
    };
  }
  const target = quick ? 10e6 : 100e6;
  const cap = generateCapture(target);
  let out: ProbeOut;
  const child = spawnSync(process.execPath, ["--import", "tsx", join(REPO_ROOT, "bench", "rss-probe.ts"), cap.path], {
    cwd: REPO_ROOT,
    encoding: "utf8",
    stdio: ["ignore", "ignore", "pipe"],
    timeout: 600_000,
  });
  const last = (child.stderr ?? "").trim().split("\n").pop() ?? "";
  try {
    out = JSON.parse(last) as ProbeOut;
  } catch {
    out = { error: child.error?.message ?? (last || `exit status ${String(child.status)}`) };
  }
  text.push(
    `Input: ${fmtInt(cap.bytes)} bytes (${fmtInt(cap.copies)} copies of fixtures/captures/h2-session.pcap with distinct client ports), generated at ${cap.path}.`,
    "",
    table(
      ["measure", "value"],
      out.error !== undefined
        ? [["error", out.error]]
        : [
            ["RSS before decoding (Node + tsx + httpwire loaded)", `${((out.rssBeforeKiB ?? 0) / 1024).toFixed(1)} MiB`],
            ["peak RSS while decoding (maxRSS)", `${((out.maxRssKiB ?? 0) / 1024).toFixed(1)} MiB`],
            ["decode exit status", String(out.exitCode)],
            [
              "wall time",
              `${(out.seconds ?? 0).toFixed(1)} s (${(cap.bytes / 1e6 / (out.seconds ?? 1)).toFixed(1)} MB/s, output to /dev/null)`,
            ],
          ],
    ),
  );
  return { title: "Peak memory of `httpwire decode`", text: text.join("\n"), ratios: {}, targets: [] };
}
