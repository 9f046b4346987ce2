import {
  derivePacketKeys,
  headerProtectionMask,
  initialKeys,
  initialSecrets,
  nextKeyPhase,
  packetNonce,
  protectPacket,
  retryIntegrityTag,
  unprotectPacket,
  verifyRetryIntegrity,
} from "httpwire/capture";
import { QuicVersion } from "httpwire/quic";
import { describe, expect, test } from "vitest";
import v1 from "../../../fixtures/rfc9001-appendix-a.json";
import v2 from "../../../fixtures/rfc9369-appendix-a.json";
import { hex } from "../builders.js";

const toHex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");

describe.each([
  ["RFC 9001 Appendix A (QUIC v1)", v1, QuicVersion.V1],
  ["RFC 9369 Appendix A (QUIC v2)", v2, QuicVersion.V2],
])("%s", (_name, f, version) => {
  const dcid = hex(f.dcid);
  const keys = initialKeys(version, dcid);
  const clientPayload = new Uint8Array(f.clientPayloadLength);
  clientPayload.set(hex(f.clientCryptoFrame));

  test("A.1: Initial keys", () => {
    if ("clientInitialSecret" in f) {
      const s = initialSecrets(version, dcid);
      expect(toHex(s.client)).toBe(f.clientInitialSecret);
      expect(toHex(s.server)).toBe(f.serverInitialSecret);
    }
    expect(toHex(keys.client.key)).toBe(f.clientKey);
    expect(toHex(keys.client.iv)).toBe(f.clientIv);
    expect(toHex(keys.client.hp)).toBe(f.clientHp);
    expect(toHex(keys.server.key)).toBe(f.serverKey);
    expect(toHex(keys.server.iv)).toBe(f.serverIv);
    expect(toHex(keys.server.hp)).toBe(f.serverHp);
  });

  test("A.2: the client Initial, protected and unprotected byte for byte", () => {
    const protectedPacket = hex(f.clientProtected);
    expect(protectedPacket.length).toBe(1200);
    expect(toHex(headerProtectionMask(keys.client, hex(f.clientSample)))).toBe(f.clientMask);
    expect(toHex(protectPacket(keys.client, hex(f.clientUnprotectedHeader), f.clientPacketNumber, clientPayload))).toBe(f.clientProtected);
    const p = unprotectPacket(keys.client, protectedPacket, 18, -1)!;
    expect(toHex(p.header)).toBe(f.clientUnprotectedHeader);
    expect(p.packetNumber).toBe(2);
    expect(p.packetNumberLength).toBe(4);
    expect(toHex(p.payload)).toBe(toHex(clientPayload));
  });

  test("A.3: the server Initial, both ways", () => {
    expect(toHex(headerProtectionMask(keys.server, hex(f.serverSample)))).toBe(f.serverMask);
    expect(toHex(protectPacket(keys.server, hex(f.serverUnprotectedHeader), f.serverPacketNumber, hex(f.serverPayload)))).toBe(
      f.serverProtected,
    );
    const p = unprotectPacket(keys.server, hex(f.serverProtected), 18, -1)!;
    expect(toHex(p.header)).toBe(f.serverUnprotectedHeader);
    expect(p.packetNumber).toBe(1);
    expect(toHex(p.payload)).toBe(f.serverPayload);
  });

  test("A.4: the Retry integrity tag, computed and verified", () => {
    const retry = hex(f.retry);
    expect(toHex(retryIntegrityTag(version, dcid, retry.subarray(0, retry.length - 16)))).toBe(f.retry.slice(-32));
    expect(verifyRetryIntegrity(version, dcid, retry)).toBe(true);
    const other = version === QuicVersion.V1 ? QuicVersion.V2 : QuicVersion.V1;
    expect(verifyRetryIntegrity(other, dcid, retry)).toBe(false);
    const flipped = retry.slice();
    flipped[flipped.length - 1]! ^= 1;
    expect(verifyRetryIntegrity(version, dcid, flipped)).toBe(false);
    expect(verifyRetryIntegrity(version, hex("0001020304050607"), retry)).toBe(false);
  });

  test("A.5: ChaCha20-Poly1305 short header, both ways, and the key update secret", () => {
    const k = derivePacketKeys(version, 0x1303, hex(f.applicationSecret));
    expect(toHex(k.key)).toBe(f.shortKey);
    expect(toHex(k.iv)).toBe(f.shortIv);
    expect(toHex(k.hp)).toBe(f.shortHp);
    expect(toHex(packetNonce(k.iv, f.shortPacketNumber))).toBe(f.shortNonce);
    expect(toHex(headerProtectionMask(k, hex(f.shortSample)))).toBe(f.shortMask);
    expect(toHex(protectPacket(k, hex(f.shortHeader), f.shortPacketNumber, hex(f.shortPayload)))).toBe(f.shortProtected);
    const p = unprotectPacket(k, hex(f.shortProtected), 1, f.shortPacketNumber - 1)!;
    expect(p.packetNumber).toBe(f.shortPacketNumber);
    expect(p.packetNumberLength).toBe(3);
    expect(p.keyPhase).toBe(0);
    expect(toHex(p.payload)).toBe(f.shortPayload);
    const next = nextKeyPhase(k);
    expect(toHex(next.secret)).toBe(f.shortKu);
    expect(toHex(next.hp)).toBe(f.shortHp); // header protection keys are not updated (RFC 9001 §6)
    expect(unprotectPacket(next, hex(f.shortProtected), 1, f.shortPacketNumber - 1)).toBeUndefined();
  });

  test("damaged packets: a flipped bit, a truncation, the wrong keys give undefined", () => {
    const packet = hex(f.clientProtected);
    for (const at of [0, 20, 600, 1199]) {
      const bad = packet.slice();
      bad[at]! ^= 0x10;
      expect(unprotectPacket(keys.client, bad, 18, -1)).toBeUndefined();
    }
    expect(unprotectPacket(keys.client, packet.subarray(0, 30), 18, -1)).toBeUndefined();
    expect(unprotectPacket(keys.client, packet.subarray(0, 1000), 18, -1)).toBeUndefined();
    expect(unprotectPacket(keys.server, packet, 18, -1)).toBeUndefined();
  });
});

describe("packet numbers and key updates", () => {
  test("a key update changes key and IV, keeps the header protection key, and round-trips each phase", () => {
    const k0 = derivePacketKeys(QuicVersion.V1, 0x1302, new Uint8Array(48).fill(7));
    const k1 = nextKeyPhase(k0);
    expect(k1.key.length).toBe(32);
    expect(toHex(k1.key)).not.toBe(toHex(k0.key));
    expect(toHex(k1.hp)).toBe(toHex(k0.hp));
    const header = hex("45 0102030405060708 0005"); // key phase 1, 2-byte packet number
    const packet = protectPacket(k1, header, 5, new Uint8Array(30).fill(1));
    expect(unprotectPacket(k0, packet, 9, 4)).toBeUndefined();
    const p = unprotectPacket(k1, packet, 9, 4)!;
    expect(p.keyPhase).toBe(1);
    expect(p.packetNumber).toBe(5);
  });

  test("unsupported versions and suites are caller mistakes (RangeError)", () => {
    expect(() => initialKeys(0xff00001c, new Uint8Array(8))).toThrow(RangeError);
    expect(() => derivePacketKeys(QuicVersion.V1, 0x1304, new Uint8Array(32))).toThrow(RangeError);
    expect(verifyRetryIntegrity(0x12345678, new Uint8Array(8), new Uint8Array(40))).toBe(false);
  });
});
