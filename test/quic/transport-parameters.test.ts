import {
  decodeTransportParameters,
  encodeTransportParameters,
  isReservedTransportParameter,
  TransportParameterId,
  type TransportParameters,
  transportParameterName,
} from "httpwire/quic";
import { describe, expect, test } from "vitest";
import { hex, toHex } from "../helpers/hex.js";
import { caught } from "./helpers.js";

/** The quic_transport_parameters extension of RFC 9001 Appendix A.2's ClientHello. */
const RFC9001_CLIENT = "0408ffffffffffffffff05048000ffff07048000ffff0801100104800075300901100f088394c8f03e51570806048000ffff";

describe("RFC 9001 Appendix A.2: the client's transport parameters", () => {
  test("decode, every field, and encode back byte for byte", () => {
    const bytes = hex(RFC9001_CLIENT);
    const p = decodeTransportParameters(bytes, { sender: "client" });
    expect(p).toEqual({
      initialMaxData: 2n ** 62n - 1n,
      initialMaxStreamDataBidiLocal: 0xffff,
      initialMaxStreamDataUni: 0xffff,
      initialMaxStreamsBidi: 16,
      maxIdleTimeout: 30000,
      initialMaxStreamsUni: 16,
      initialSourceConnectionId: hex("8394c8f03e515708"),
      initialMaxStreamDataBidiRemote: 0xffff,
      order: [4, 5, 7, 8, 1, 9, 15, 6],
    });
    expect(p.initialSourceConnectionId!.buffer).toBe(bytes.buffer); // a view
    expect(toHex(encodeTransportParameters(p))).toBe(RFC9001_CLIENT);
  });
});

const TOKEN = "00112233445566778899aabbccddeeff";

describe("every parameter of §18.2 (and 0x11, 0x20, 0x2ab2) both ways", () => {
  const full: TransportParameters = {
    originalDestinationConnectionId: hex("0102030405060708"),
    maxIdleTimeout: 30000,
    statelessResetToken: hex(TOKEN),
    maxUdpPayloadSize: 1472,
    initialMaxData: 1 << 20,
    initialMaxStreamDataBidiLocal: 1 << 18,
    initialMaxStreamDataBidiRemote: 1 << 18,
    initialMaxStreamDataUni: 1 << 18,
    initialMaxStreamsBidi: 100,
    initialMaxStreamsUni: 3,
    ackDelayExponent: 3,
    maxAckDelay: 25,
    disableActiveMigration: true,
    preferredAddress: {
      ipv4Address: hex("7f000001"),
      ipv4Port: 4433,
      ipv6Address: hex("00000000000000000000000000000001"),
      ipv6Port: 4434,
      connectionId: hex("a1a2a3a4"),
      statelessResetToken: hex(TOKEN),
    },
    activeConnectionIdLimit: 8,
    initialSourceConnectionId: hex("c1c2"),
    retrySourceConnectionId: hex("d1d2d3"),
    versionInformation: { chosenVersion: 0x6b3343cf, availableVersions: [0x6b3343cf, 1, 0x1a2a3a4a] },
    maxDatagramFrameSize: 65535,
    greaseQuicBit: true,
    unknown: [
      { id: 27, reserved: true, value: hex("") },
      { id: 31 * 1000 + 27, reserved: true, value: hex("abcdef") },
      { id: 0x4000, reserved: false, value: hex("01") },
    ],
  };

  test("round trip of a server's full set, in identifier order", () => {
    const bytes = encodeTransportParameters(full);
    const back = decodeTransportParameters(bytes, { sender: "server" });
    const { order, ...rest } = back;
    expect(rest).toEqual(full);
    expect(order!.slice(0, 3)).toEqual([0, 1, 2]);
    expect(toHex(encodeTransportParameters(back))).toBe(toHex(bytes));
  });

  test("exact bytes of a few", () => {
    expect(toHex(encodeTransportParameters({ maxIdleTimeout: 10000, disableActiveMigration: true }))).toBe("010267100c00");
    expect(toHex(encodeTransportParameters({ versionInformation: { chosenVersion: 1, availableVersions: [1] } }))).toBe(
      "11080000000100000001",
    );
    expect(toHex(encodeTransportParameters({ greaseQuicBit: true }))).toBe("6ab200");
  });

  test("names", () => {
    expect(transportParameterName(TransportParameterId.MAX_IDLE_TIMEOUT)).toBe("max_idle_timeout");
    expect(transportParameterName(0x11)).toBe("version_information");
    expect(transportParameterName(27)).toBe("GREASE_0x1b");
    expect(transportParameterName(0x4000)).toBe("UNKNOWN_0x4000");
    expect(isReservedTransportParameter(31n * 2n ** 50n + 27n)).toBe(true);
  });
});

describe("every rule of §7.4 and §18.2 (TRANSPORT_PARAMETER_ERROR)", () => {
  const rows: [string, string, string, ("client" | "server")?][] = [
    ["truncated value", "0104800075", "transport_parameter_truncated"],
    ["truncated length", "01", "transport_parameter_truncated"],
    ["duplicate parameter", "01010a01010a", "transport_parameter_duplicate"],
    ["duplicate GREASE parameter", "1b001b00", "transport_parameter_duplicate"],
    ["original_destination_connection_id from a client", "000101", "transport_parameter_server_only", "client"],
    ["stateless_reset_token from a client", `0210${TOKEN}`, "transport_parameter_server_only", "client"],
    ["retry_source_connection_id from a client", "100101", "transport_parameter_server_only", "client"],
    ["varint with trailing bytes", "01020a00", "transport_parameter_value_invalid"],
    ["varint value missing", "0100", "transport_parameter_value_invalid"],
    ["disable_active_migration not empty", "0c0100", "transport_parameter_value_invalid"],
    ["max_udp_payload_size below 1200", "030244af", "max_udp_payload_size_below_1200"],
    ["ack_delay_exponent above 20", "0a0115", "ack_delay_exponent_above_20"],
    ["max_ack_delay of 2^14", "0b0480004000", "max_ack_delay_above_2_14"],
    ["active_connection_id_limit below 2", "0e0101", "active_connection_id_limit_below_2"],
    ["initial_max_streams_bidi above 2^60", "0808d000000000000001", "max_streams_above_2_60"],
    ["initial_max_streams_uni above 2^60", "0908d000000000000001", "max_streams_above_2_60"],
    ["initial_source_connection_id of 21 bytes", `0f15${"ab".repeat(21)}`, "connection_id_too_long"],
    ["stateless_reset_token of 15 bytes", `020f${TOKEN.slice(2)}`, "stateless_reset_token_length_invalid"],
    ["preferred_address with an empty connection ID", `0d29${"00".repeat(24)}00${TOKEN}`, "preferred_address_invalid"],
    ["preferred_address too short", "0d0400000000", "preferred_address_invalid"],
    ["version_information of 3 bytes", "1103000001", "version_information_invalid"],
    ["version_information with chosen version 0", "110400000000", "version_information_invalid"],
    ["version_information with an available version 0", "11080000000100000000", "version_information_invalid"],
  ];
  test.each(rows)("%s", (_name, h, reason, sender) => {
    const e = caught(() => decodeTransportParameters(hex(h), { sender }));
    expect([e.code, e.codeName, e.scope, e.reason]).toEqual([0x08, "TRANSPORT_PARAMETER_ERROR", "connection", reason]);
  });

  test("the server-only ones are fine from a server or with no sender given", () => {
    expect(decodeTransportParameters(hex("000101"), { sender: "server" }).originalDestinationConnectionId).toEqual(hex("01"));
    expect(decodeTransportParameters(hex("000101")).originalDestinationConnectionId).toEqual(hex("01"));
  });

  test("boundaries that are valid", () => {
    expect(decodeTransportParameters(hex("030244b0")).maxUdpPayloadSize).toBe(1200);
    expect(decodeTransportParameters(hex("0a0114")).ackDelayExponent).toBe(20);
    expect(decodeTransportParameters(hex("0b027fff")).maxAckDelay).toBe(16383);
    expect(decodeTransportParameters(hex("0808d000000000000000")).initialMaxStreamsBidi).toBe(2n ** 60n);
    expect(decodeTransportParameters(hex("")).order).toEqual([]);
  });

  test("the encoder refuses what the decoder rejects", () => {
    expect(() => encodeTransportParameters({ maxUdpPayloadSize: 1199 })).toThrow(RangeError);
    expect(() => encodeTransportParameters({ ackDelayExponent: 21 })).toThrow(RangeError);
    expect(() => encodeTransportParameters({ initialMaxStreamsUni: 2n ** 60n + 1n })).toThrow(RangeError);
    expect(() => encodeTransportParameters({ initialSourceConnectionId: new Uint8Array(21) })).toThrow(RangeError);
    expect(() => encodeTransportParameters({ statelessResetToken: new Uint8Array(15) })).toThrow(RangeError);
    expect(() => encodeTransportParameters({ versionInformation: { chosenVersion: 0, availableVersions: [] } })).toThrow(RangeError);
    expect(() => encodeTransportParameters({ maxIdleTimeout: 1, order: [1, 2] })).toThrow(RangeError);
    expect(() => encodeTransportParameters({ unknown: [{ id: 1, reserved: false, value: hex("00") }] })).toThrow(RangeError);
  });
});
