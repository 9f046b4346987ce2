/**
 * Agreement with Wireshark on the recorded TLS, h2c-upgrade and CONNECT
 * captures: `tshark -o tls.keylog_file:KEYS -Y http2 -T json` and httpwire
 * (with the same key log, or the secrets embedded in the file) report the
 * same HTTP/2 frames (type, stream, length, flags) and header fields in
 * order, per connection and direction.
 *
 * Skips, saying so, when tshark is not installed (Debian: apt-get install tshark).
 */
import { describe, expect, test } from "vitest";
import { decodeFixture, TLS_FIXTURES, tlsFixturePath } from "./tls-fixtures.js";
import { expectSameAsTshark, haveTshark, seenByHttpwire, viaTshark } from "./tshark.js";

describe.skipIf(!haveTshark)("tshark agrees with httpwire on every recorded TLS / upgrade / tunnel capture", () => {
  test.each(TLS_FIXTURES.map((f) => [f.name, f] as const))("%s", (_name, f) => {
    const args = [
      ...(f.keys ? ["-o", `tls.keylog_file:${tlsFixturePath(`${f.name}.keys`)}`] : []),
      ...f.tsharkPorts.flatMap(([port, proto]) => ["-d", `tcp.port==${port},${proto}`]),
    ];
    const theirs = viaTshark(tlsFixturePath(`${f.name}.pcapng`), args, f.serverPorts);
    const { seen: ours, problems } = seenByHttpwire(decodeFixture(f));
    expect(problems).toEqual([]);
    const { frames, fields } = expectSameAsTshark(theirs, ours, f.name);
    expect(frames).toBeGreaterThanOrEqual(7);
    expect(fields).toBeGreaterThanOrEqual(3);
  });
});

if (!haveTshark) {
  console.warn("SKIPPED: tshark not found on PATH; the TLS Wireshark agreement test did not run (apt-get install tshark)");
  test.skip("tshark TLS agreement (skipped: tshark is not installed; apt-get install tshark)", () => undefined);
}
