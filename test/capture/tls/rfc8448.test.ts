/**
 * RFC 8448 §3 (the simple 1-RTT handshake): the traffic keys and IVs derived
 * from its secrets, and its own records decrypted.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { KeyLog, type TlsEvent, TlsStream } from "httpwire/capture";
import { describe, expect, test } from "vitest";
import { CIPHER_SUITES } from "../../../src/capture/crypto.js";
import { openRecord, tls13Keys } from "../../../src/capture/tls/keys.js";
import { REPO_ROOT } from "../../helpers/corpora.js";
import { hex, toHex } from "../../helpers/hex.js";
import { collect } from "./sessions.js";

interface Fixture {
  clientRandom: string;
  secrets: Record<string, string>;
  keys: Record<"serverHandshake" | "clientHandshake" | "serverApplication" | "clientApplication", { key: string; iv: string }>;
  records: { name: string; direction: "client-to-server" | "server-to-client"; hex: string }[];
  serverFlightPlaintext: string;
  applicationData: string;
}

const fixture = JSON.parse(readFileSync(join(REPO_ROOT, "fixtures", "rfc8448", "simple-1rtt.json"), "utf8")) as Fixture;
const suite = CIPHER_SUITES.get(0x1301)!;
const keyLogText = Object.entries(fixture.secrets)
  .map(([label, secret]) => `${label} ${fixture.clientRandom} ${secret}`)
  .join("\n");

describe("RFC 8448 §3", () => {
  test.each([
    ["SERVER_HANDSHAKE_TRAFFIC_SECRET", "serverHandshake"],
    ["CLIENT_HANDSHAKE_TRAFFIC_SECRET", "clientHandshake"],
    ["SERVER_TRAFFIC_SECRET_0", "serverApplication"],
    ["CLIENT_TRAFFIC_SECRET_0", "clientApplication"],
  ] as const)("keys and IV from %s", (label, name) => {
    const keys = tls13Keys(suite, hex(fixture.secrets[label]!));
    expect(toHex(keys.key)).toBe(fixture.keys[name].key);
    expect(toHex(keys.iv)).toBe(fixture.keys[name].iv);
  });

  test("each record opens with its keys, in sequence", () => {
    const record = (i: number) => {
      const b = hex(fixture.records[i]!.hex);
      return [b.subarray(0, 5), b.subarray(5)] as const;
    };
    const serverHs = tls13Keys(suite, hex(fixture.secrets.SERVER_HANDSHAKE_TRAFFIC_SECRET!));
    const clientHs = tls13Keys(suite, hex(fixture.secrets.CLIENT_HANDSHAKE_TRAFFIC_SECRET!));
    const serverAp = tls13Keys(suite, hex(fixture.secrets.SERVER_TRAFFIC_SECRET_0!));
    const clientAp = tls13Keys(suite, hex(fixture.secrets.CLIENT_TRAFFIC_SECRET_0!));
    const flight = openRecord(serverHs, true, ...record(2));
    expect(flight).toEqual({ type: 22, data: hex(fixture.serverFlightPlaintext) });
    const finished = openRecord(clientHs, true, ...record(3));
    expect(finished).toMatchObject({ type: 22 });
    expect(toHex((finished as { data: Uint8Array }).data)).toBe("14000020a8ec436d677634ae525ac1fcebe11a039ec17694fac6e98527b642f2edd5ce61");
    expect(openRecord(serverAp, true, ...record(4))).toMatchObject({ type: 22 }); // NewSessionTicket
    expect(openRecord(clientAp, true, ...record(5))).toEqual({ type: 23, data: hex(fixture.applicationData) });
    expect(openRecord(serverAp, true, ...record(6))).toEqual({ type: 23, data: hex(fixture.applicationData) });
    expect(openRecord(clientAp, true, ...record(7))).toEqual({ type: 21, data: hex("0100") }); // close_notify
    expect(openRecord(serverAp, true, ...record(8))).toEqual({ type: 21, data: hex("0100") });
    expect([serverHs.seq, clientHs.seq, serverAp.seq, clientAp.seq]).toEqual([1, 1, 3, 2]);
  });

  test("TlsStream decrypts the whole trace, whole or a byte at a time", () => {
    for (const step of [Number.POSITIVE_INFINITY, 1]) {
      const stream = new TlsStream(new KeyLog(keyLogText));
      const out: TlsEvent[] = [];
      for (const r of fixture.records) {
        const bytes = hex(r.hex);
        for (let i = 0; i < bytes.length; i += Math.min(step, bytes.length)) stream.push(r.direction, bytes.subarray(i, i + step), out);
      }
      stream.end(out);
      const { client, server, other } = collect(out);
      expect(other).toEqual([
        {
          type: "tls-handshake",
          info: {
            version: "TLS 1.3",
            cipherSuite: 0x1301,
            cipherSuiteName: "TLS_AES_128_GCM_SHA256",
            serverName: "server",
            alpnOffered: [],
            clientRandom: fixture.clientRandom,
            resumed: false,
            helloRetry: false,
            decryptable: true,
          },
        },
      ]);
      expect(toHex(client)).toBe(fixture.applicationData);
      expect(toHex(server)).toBe(fixture.applicationData);
    }
  });
});
