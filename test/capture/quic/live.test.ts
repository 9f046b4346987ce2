/**
 * Large HTTP/3 sessions recorded on the spot (multi-megabyte bodies, a key
 * update, packet loss, UDP GSO batches): needs gtlsserver, gtlsclient and
 * dumpcap, and root to capture on `lo`; skipped visibly otherwise.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { BIG_SESSIONS, canRecord, recordQuicSession } from "../../../scripts/record-quic-captures.js";
import { checkExchanges, decodeFile } from "./helpers.js";
import { expectStreamsAgree, hasTshark } from "./tshark.js";

const available = canRecord();
const tshark = hasTshark();
const dir = available ? mkdtempSync(join(tmpdir(), "httpwire-quic-live-")) : "";
afterAll(() => {
  if (dir !== "") rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!available)(`live HTTP/3 sessions${available ? "" : " (SKIPPED: needs gtlsserver, gtlsclient, dumpcap and root)"}`, () => {
  test.each(BIG_SESSIONS.map((s) => [s.name, s] as const))(
    "%s decodes end to end",
    async (name, session) => {
      const r = await recordQuicSession(session, dir);
      const meta = JSON.parse(readFileSync(r.meta, "utf8"));
      const events = decodeFile(r.pcapng, r.keys, 64 * 1024);
      expect(events.filter((e) => e.type === "quic-undecryptable")).toEqual([]);
      if (name !== "h3-loss") expect(events.filter((e) => e.type === "error")).toEqual([]);
      checkExchanges(events, meta);
      if (name === "h3-key-update") {
        const phases = new Set(events.flatMap((e) => (e.type === "quic-packet" && e.keyPhase !== undefined ? [e.keyPhase] : [])));
        expect([...phases].sort()).toEqual([0, 1]);
      }
      if (name === "h3-loss") {
        // Lost packets are retransmitted: some STREAM data arrives twice or out of order and is still reassembled.
        expect(events.filter((e) => e.type === "quic-stream" && e.event === "gap")).toEqual([]);
      }
      // Every stream's HTTP/3 frames agree with tshark's (tshark cannot read GSO batches).
      if (tshark && name !== "h3-gso") {
        const { unlisted } = expectStreamsAgree(events, r.pcapng, r.keys);
        expect(unlisted).toBeGreaterThan(0); // multi-megabyte DATA frames span packets
      }
    },
    120_000,
  );
});
