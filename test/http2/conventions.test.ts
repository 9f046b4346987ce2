/**
 * The conventions of docs/architecture.md that a machine can check, for the
 * HTTP/2 paths: one frame-header length, one reader and writer of the
 * header, constants instead of magic frame-type and flag numbers, kebab-case
 * public literals, one error type.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { FRAME_HEADER_LENGTH, FrameDecoder, FrameType, readFrameHeader, StreamState } from "httpwire/http2";
import { describe, expect, test } from "vitest";
import { REPO_ROOT } from "../helpers/corpora.js";

function files(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...files(p));
    else if (p.endsWith(".ts")) out.push(p);
  }
  return out;
}

/** Source text without comments, so diagrams and RFC quotes do not count. */
function code(file: string): string {
  return readFileSync(file, "utf8")
    .replace(/\/\*[\s\S]*?\*\//g, "")
    .replace(/(^|[^:"'`])\/\/.*$/gm, "$1");
}

const SRC = join(REPO_ROOT, "src");
const h2Files = [...files(join(SRC, "http2")), join(SRC, "capture", "h2-connection.ts"), join(SRC, "cli", "commands", "decode.ts")];

describe("HTTP/2 conventions", () => {
  test("one definition of the frame-header length", () => {
    const defs = files(SRC).filter(
      (f) => /\bFRAME_HEADER_LENGTH\s*=\s*\d/.test(code(f)) || /const\s+\w*HEADER_LENGTH\s*=\s*9\b/.test(code(f)),
    );
    expect(defs.map((f) => relative(REPO_ROOT, f))).toEqual(["src/http2/constants.ts"]);
    expect(FRAME_HEADER_LENGTH).toBe(9);
  });

  test("the frame header is parsed in one place", () => {
    // The 24-bit length read `(b[p] << 16) | (b[p + 1] << 8) | b[p + 2]` appears in frame-header.ts only.
    const readers = h2Files.filter((f) => /<<\s*16\)\s*\|\s*\(\s*\w+\[[^\]]*\]!?\s*<<\s*8\)\s*\|/.test(code(f)));
    expect(readers.map((f) => relative(REPO_ROOT, f))).toEqual(["src/http2/frame-header.ts"]);
  });

  test("no magic frame-type or flag numbers", () => {
    const offenders: string[] = [];
    for (const f of h2Files) {
      const text = code(f);
      for (const m of text.matchAll(/case\s+0x[0-9a-f]+\b|flags\s*&\s*0x[0-9a-f]+|type:\s*0x[0-9a-f]+|InitOf<0x/gi))
        offenders.push(`${relative(REPO_ROOT, f)}: ${m[0]}`);
    }
    expect(offenders).toEqual([]);
  });

  test("one error type: no plain error objects with code and scope", () => {
    const offenders = h2Files.filter((f) => /return\s*\{\s*code[:,]/.test(code(f))).map((f) => relative(REPO_ROOT, f));
    expect(offenders).toEqual([]);
  });

  test("public string literals are kebab-case", () => {
    for (const s of Object.values(StreamState)) expect(s).toMatch(/^[a-z]+(-[a-z]+)*$/);
    const d = new FrameDecoder({ joinFieldBlocks: true });
    // A stream error (PRIORITY of 4 octets) and a field block (HEADERS with END_HEADERS).
    const events = d.push(Uint8Array.of(0, 0, 4, FrameType.PRIORITY, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, FrameType.HEADERS, 4, 0, 0, 0, 3));
    expect(events.map((e) => e.type)).toEqual(["stream-error", "field-block"]);
  });

  test("readFrameHeader has the public read* shape", () => {
    expect(readFrameHeader(new Uint8Array(3), 0)).toEqual({ status: "need-more", needed: 6 });
    expect(readFrameHeader(new Uint8Array(9), 0)).toEqual({ status: "ok", length: 0, type: 0, flags: 0, streamId: 0 });
  });
});
