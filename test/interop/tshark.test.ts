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
import { expectSameAsTshark, haveTshark, type Seen, seenByHttpwire, viaTshark } from "../capture/tshark.js";
import { fixturePath } from "../helpers/corpora.js";

/** The ports scripts/record-captures.ts records on. */
const PORTS = [18080, 18081, 18082, 18083, 18084];

const captures = readdirSync(fixturePath("captures"))
  .filter((f) => /\.pcap(ng)?$/.test(f))
  .sort();

function viaHttpwire(file: string): { seen: Map<string, Seen>; problems: CaptureEvent[] } {
  return viaHttpwireBytes(captureBytes(file));
}

function viaHttpwireBytes(bytes: Uint8Array): { seen: Map<string, Seen>; problems: CaptureEvent[] } {
  const d = new CaptureDecoder({ ports: PORTS });
  return seenByHttpwire([...d.push(bytes), ...d.end()]);
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
    const theirs = viaTshark(
      fixturePath("captures", file),
      PORTS.flatMap((p) => ["-d", `tcp.port==${p},http2`]),
      PORTS,
    );
    const { seen: ours, problems } = viaHttpwire(file);
    expect(problems).toEqual([]);
    const { frames, fields } = expectSameAsTshark(theirs, ours, file);
    expect(frames).toBeGreaterThan(10);
    expect(fields).toBeGreaterThan(10);
  });
});

if (!haveTshark) {
  console.warn("SKIPPED: tshark not found on PATH; the Wireshark agreement test did not run (apt-get install tshark)");
  test.skip("tshark agreement (skipped: tshark is not installed; apt-get install tshark)", () => undefined);
}
