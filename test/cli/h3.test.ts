import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { type CliResult, runCli } from "./run-cli.js";

function run(argv: string[], stdin = new Uint8Array(0)): Promise<CliResult> {
  return runCli(["h3", ...argv], { stdin });
}

const dir = mkdtempSync(join(tmpdir(), "httpwire-h3-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Control stream: type 0x00, SETTINGS {MAX_FIELD_SECTION_SIZE: 16}, a GREASE
// frame, GOAWAY 4, PRIORITY_UPDATE for stream 0 "u=1, i".
const CONTROL = "00 0402 0610 2102abcd 070104 800f07000700753d312c2069";
// Request stream: HEADERS (static-only QPACK: :method GET, :scheme https), DATA "abc", trailers.
const REQUEST = "0104 0000d1d7 0003 616263 0104 0000d1d7";

describe("httpwire h3 decode", () => {
  test("control stream, one line per frame", async () => {
    const r = await run(["decode", "--stream", "control", CONTROL]);
    expect(r).toEqual({
      status: 0,
      err: "",
      out: [
        "stream type CONTROL (0x00)",
        "@1 SETTINGS (0x04) len=2 SETTINGS_MAX_FIELD_SECTION_SIZE=16",
        "@5 GREASE_0x21 (0x21) len=2 payload=abcd (ignored)",
        "@9 GOAWAY (0x07) len=1 id=4",
        '@12 PRIORITY_UPDATE_REQUEST (0xf0700) len=7 element_id=0 priority="u=1, i"',
        "",
      ].join("\n"),
    });
  });
  test("request stream with QPACK-decoded HEADERS", async () => {
    const r = await run(["decode", "--stream", "request", REQUEST]);
    expect(r.out).toBe(
      [
        '@0 HEADERS (0x01) len=4 ":method: GET" ":scheme: https"',
        "@6 DATA (0x00) len=3 data=616263",
        '@11 HEADERS (0x01) len=4 ":method: GET" ":scheme: https"',
        "",
      ].join("\n"),
    );
    expect(r.status).toBe(0);
  });
  test("--json", async () => {
    const r = await run(["decode", "--stream", "push", "--json", "01 05 0104 0000d1d7 0001ff"]);
    expect(JSON.parse(r.out)).toEqual({
      stream: "push",
      streamType: "PUSH",
      pushId: 5,
      frames: [
        {
          offset: 2,
          type: 1,
          typeName: "HEADERS",
          length: 4,
          fields: [
            { name: ":method", value: "GET" },
            { name: ":scheme", value: "https" },
          ],
        },
        { offset: 8, type: 0, typeName: "DATA", length: 1, payload: "ff" },
      ],
    });
  });
  test("--json reports a violation in the output", async () => {
    const r = await run(["decode", "--stream", "request", "--json", "0003616263"]);
    expect(r.status).toBe(1);
    expect(JSON.parse(r.out)).toMatchObject({
      frames: [],
      error: { codeName: "H3_FRAME_UNEXPECTED", reason: "data_before_headers", scope: "connection", offset: 0 },
    });
  });
  test("a violation stops with the RFC code and exit 1", async () => {
    const r = await run(["decode", "--stream", "push", "01 05 0104 0000d1d7 050100"]);
    expect(r.status).toBe(1);
    expect(r.out).toBe('stream type PUSH (0x01) push_id=5\n@2 HEADERS (0x01) len=4 ":method: GET" ":scheme: https"\n');
    expect(r.err).toBe("httpwire h3: H3_FRAME_UNEXPECTED (push_promise_on_push_stream): PUSH_PROMISE frame on a push stream\n");
  });
  test("--receiver applies direction rules", async () => {
    const r = await run(["decode", "--stream", "request", "--receiver", "server", "0104 0000d1d7 050100"]);
    expect(r.err).toContain("push_promise_received_by_server");
  });
  test("--sender names the sending side, the other side of --receiver", async () => {
    const r = await run(["decode", "--stream", "request", "--sender", "client", "0104 0000d1d7 050100"]);
    expect(r.status).toBe(1);
    expect(r.err).toContain("push_promise_received_by_server");
    const ok = await run(["decode", "--stream", "request", "--sender", "server", "0104 0000d1d7 050100"]);
    expect(ok.status).toBe(0);
    expect(ok.out).toBe(
      '@0 HEADERS (0x01) len=4 ":method: GET" ":scheme: https"\n@6 PUSH_PROMISE (0x05) len=1 push_id=0  (QPACK: QPACK_DECOMPRESSION_FAILED truncated_field_section)\n',
    );
    const usage = await run(["decode", "--stream", "request", "--sender", "peer", "00"]);
    expect(usage.status).toBe(2);
    expect(usage.err).toContain("--sender needs client or server");
  });
  test("a client's request stream ending before HEADERS reports the stream error", async () => {
    const r = await run(["decode", "--stream", "request", "--sender", "client", "--json", "2102abcd"]);
    expect(r.status).toBe(1);
    expect(JSON.parse(r.out)).toMatchObject({
      frames: [{ offset: 0, type: 0x21, length: 2 }],
      error: { codeName: "H3_REQUEST_INCOMPLETE", scope: "stream", reason: "request_incomplete" },
    });
  });
  test("frames before a violation in one capture are printed, with their offsets", async () => {
    const r = await run(["decode", "--stream", "control", "--json", "00 0400 0d0105 0d0104"]);
    expect(r.status).toBe(1);
    expect(JSON.parse(r.out)).toMatchObject({
      frames: [
        { offset: 1, typeName: "SETTINGS" },
        { offset: 3, typeName: "MAX_PUSH_ID", pushId: 5 },
      ],
      error: { codeName: "H3_ID_ERROR", reason: "max_push_id_decreased", offset: 5 },
    });
  });
  test("truncated captures", async () => {
    const a = await run(["decode", "--stream", "control", "00 0402"]);
    expect(a).toEqual({
      status: 1,
      out: "stream type CONTROL (0x00)\n",
      err: "httpwire h3: the capture ends inside a frame at offset 1: 0402\n",
    });
    const b = await run(["decode", "--stream", "request", "0104 0000"]);
    expect(b.status).toBe(1);
    expect(b.err).toContain("H3_FRAME_ERROR (frame_truncated)");
    // A declared length far beyond the capture is not allocated.
    const c = await run(["decode", "--stream", "request", "01 c0000100000000 00 0000d1d7"]);
    expect(c.err).toContain("H3_FRAME_ERROR (frame_truncated)");
    const d = await run(["decode", "--stream", "control", "00 0400 07ffffffffffffffff"]);
    expect(d.err).toContain("H3_FRAME_ERROR");
  });
  test("a section that needs the dynamic table is shown as hex with the reason, or decoded with --qpack-encoder", async () => {
    // Field section prefix: Required Insert Count 1 (encoded as 02 for capacity 220), delta Base 0 (Base 1);
    // then 0x80: indexed field line, dynamic, relative index 0 = absolute entry 0.
    const section = "0103 020080";
    const a = await run(["decode", "--stream", "request", section]);
    expect(a.out).toBe("@0 HEADERS (0x01) len=3 020080 (QPACK: QPACK_DECOMPRESSION_FAILED ric_exceeds_full_range)\n");
    // Encoder stream: Set Dynamic Table Capacity 220, Insert With Name Reference static 0 (:authority) "www.example.com".
    const encoder = "02 3fbd01 c00f7777772e6578616d706c652e636f6d";
    const b = await run(["decode", "--stream", "request", "--qpack-encoder", encoder, "--max-table-capacity", "220", "0103 020080"]);
    expect(b.out).toBe('@0 HEADERS (0x01) len=3 ":authority: www.example.com"\n');
  });
  test("encoder and decoder streams list QPACK instructions", async () => {
    const e = await run(["decode", "--stream", "encoder", "02 3fbd01 c00f7777772e6578616d706c652e636f6d 00"]);
    expect(e.out).toBe(
      'stream type QPACK_ENCODER (0x02)\n@1 Set Dynamic Table Capacity 220\n@4 Insert With Name Reference static 0 value="www.example.com"\n@21 Duplicate 0\n',
    );
    const d = await run(["decode", "--stream", "decoder", "03 81 41 01"]);
    expect(d.out).toBe(
      "stream type QPACK_DECODER (0x03)\n@1 Section Acknowledgment stream 1\n@2 Stream Cancellation stream 1\n@3 Insert Count Increment 1\n",
    );
    const t = await run(["decode", "--stream", "encoder", "--frames-only", "c0"]);
    expect(t.status).toBe(1);
    expect(t.err).toBe("httpwire h3: the capture ends inside an instruction at offset 0: c0\n");
  });
  test("input from a raw file, a hex file and stdin", async () => {
    const raw = join(dir, "control.bin");
    writeFileSync(raw, Uint8Array.from([0x00, 0x04, 0x00]));
    expect((await run(["decode", "--stream", "control", raw])).out).toBe("stream type CONTROL (0x00)\n@1 SETTINGS (0x04) len=0\n");
    const hexFile = join(dir, "control.hex");
    writeFileSync(hexFile, "00 0400\n");
    expect((await run(["decode", "--stream", "control", hexFile])).out).toBe("stream type CONTROL (0x00)\n@1 SETTINGS (0x04) len=0\n");
    expect((await run(["decode", "--stream", "control", "-"], Uint8Array.from([0x00, 0x04, 0x00]))).out).toContain("SETTINGS");
  });
  test("--frames-only and a wrong stream type", async () => {
    expect((await run(["decode", "--stream", "control", "--frames-only", "0400"])).out).toBe("@0 SETTINGS (0x04) len=0\n");
    const r = await run(["decode", "--stream", "control", "0400"]);
    expect(r.status).toBe(2);
    expect(r.err).toContain("the stream type is UNKNOWN_0x04 (0x04), not CONTROL");
  });
  test.each([
    [["decode", "0400"], "--stream is required"],
    [["decode", "--stream", "bogus", "00"], "--stream needs one of"],
    [["decode", "--stream", "control"], "give the stream bytes"],
    [["decode", "--stream", "control", "zz"], "neither a file nor hex"],
    [["encode"], "unknown subcommand"],
    [["decode", "--bogus"], "unknown option"],
  ])("usage error %j", async (argv, msg) => {
    const r = await run(argv);
    expect(r.status).toBe(2);
    expect(r.err).toContain(msg);
  });
  test("--help", async () => {
    expect((await run(["--help"])).out).toContain("Usage: httpwire h3 decode");
    expect((await run(["decode", "--help"])).status).toBe(0);
    const anywhere = await run(["decode", "--stream", "control", "00", "--help"]);
    expect(anywhere).toEqual({ status: 0, out: (await run(["--help"])).out, err: "" });
    const bare = await run([]);
    expect(bare.status).toBe(2);
    expect(bare.out).toBe(anywhere.out);
  });
  test.each([
    [["decode", "--stream"], "httpwire h3: --stream needs one of control, request, push, encoder, decoder\n"],
    [["decode", "--stream", "--json", "00"], "httpwire h3: --stream needs one of control, request, push, encoder, decoder\n"],
    [["decode", "--stream", "control", "--sender"], "httpwire h3: --sender needs client or server\n"],
    [["decode", "--stream", "control", "--receiver=peer", "00"], "httpwire h3: --receiver needs client or server\n"],
    [["decode", "--stream", "control", "--stream-id"], "httpwire h3: --stream-id needs a decimal number\n"],
    [["decode", "--stream", "control", "--stream-id", "-5", "00"], "httpwire h3: --stream-id needs a decimal number\n"],
    [["decode", "--stream", "control", "--max-table-capacity=x", "00"], "httpwire h3: --max-table-capacity needs a decimal number\n"],
    [
      ["decode", "--stream", "control", "--max-table-capacity", "99999999999999999999", "00"],
      "httpwire h3: --max-table-capacity 99999999999999999999 is too large\n",
    ],
    [["decode", "--stream", "control", "--qpack-encoder"], "httpwire h3: --qpack-encoder needs hex bytes or a file\n"],
    [["decode", "--stream", "control", "00", "0400"], "httpwire h3: give one stream\n"],
    [
      ["decode", "--stream", "request", "--sender", "client", "--receiver", "client", "00"],
      "httpwire h3: --sender client and --receiver client name the same side\n",
    ],
  ])("usage message %j, exactly", async (argv, err) => {
    expect(await run(argv)).toEqual({ status: 2, out: "", err });
  });
  test("-- ends the options; - is standard input, also as a --qpack-encoder value", async () => {
    expect((await run(["decode", "--stream", "control", "--", "000400"])).out).toBe(
      "stream type CONTROL (0x00)\n@1 SETTINGS (0x04) len=0\n",
    );
    const encoder = "023fbd01c00f7777772e6578616d706c652e636f6d";
    const r = await run(
      ["decode", "--stream", "request", "--qpack-encoder", "-", "--max-table-capacity", "220", "0103020080"],
      new TextEncoder().encode(encoder),
    );
    expect(r).toEqual({ status: 0, out: '@0 HEADERS (0x01) len=3 ":authority: www.example.com"\n', err: "" });
  });
});
