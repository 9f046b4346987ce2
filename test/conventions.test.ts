/**
 * Enforces the conventions of docs/architecture.md ("Conventions") that a
 * machine can check: one definition per rule, constants instead of magic
 * numbers, one public "need more bytes" shape, one casing for public string
 * literals, one option name for the sender's role, one error helper pair per
 * module.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, test } from "vitest";
import * as hpack from "../src/hpack/index.js";
import * as http2Errors from "../src/http2/errors.js";
import * as http2 from "../src/http2/index.js";
import * as http3Errors from "../src/http3/errors.js";
import * as http3 from "../src/http3/index.js";
import * as qpackErrors from "../src/qpack/errors.js";
import * as qpack from "../src/qpack/index.js";
import * as quicErrors from "../src/quic/errors.js";
import * as quic from "../src/quic/index.js";
import { HttpwireError } from "../src/shared/errors.js";
import { REPO_ROOT } from "./helpers/corpora.js";

const SRC = join(REPO_ROOT, "src");

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...sourceFiles(p));
    else if (p.endsWith(".ts")) out.push(p);
  }
  return out;
}

const FILES = sourceFiles(SRC).map((f) => ({ path: relative(REPO_ROOT, f), text: readFileSync(f, "utf8") }));

/** Source text with comments removed (line and block), strings kept. */
function code(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:"'`])\/\/.*$/gm, "$1");
}

/** Files (by path) whose code matches `re`, with the matching lines. */
function matches(re: RegExp, filter: (path: string) => boolean = () => true): string[] {
  const out: string[] = [];
  for (const f of FILES) {
    if (!filter(f.path)) continue;
    const lines = code(f.text).split("\n");
    lines.forEach((line, i) => {
      if (re.test(line)) out.push(`${f.path}:${i + 1}: ${line.trim()}`);
    });
  }
  return out;
}

describe("one definition per rule", () => {
  // The frame header (one length constant, one reader, one writer) is checked in test/http2/conventions.test.ts.

  test("the 32-octet entry overhead is defined once", () => {
    expect(matches(/\bENTRY_OVERHEAD\s*=/)).toEqual([expect.stringMatching(/^src\/shared\/table-entry\.ts/)]);
  });

  test("Latin-1 decoding through String.fromCharCode.apply lives in shared/latin1.ts", () => {
    expect(matches(/String\.fromCharCode\.apply/).filter((m) => !m.startsWith("src/shared/latin1.ts"))).toEqual([]);
  });

  test("one output slab", () => {
    expect(matches(/new Uint8Array\(SLAB_SIZE\)/).filter((m) => !m.startsWith("src/shared/slab.ts"))).toEqual([]);
  });

  test("no private option checkers or byte joiners", () => {
    expect(matches(/function\s+(checkOption|concat|joinParts|joinBytes)\b/)).toEqual([]);
  });

  test("no module-level mutable state but the slab, lazily built tables and one scratch buffer", () => {
    // Each accepted `let` at module level, with why it is safe:
    const accepted = new Map([
      // The one output slab (see its module note).
      ["src/shared/slab.ts", /^let\s+(?:slab|slabPos|lent)\b/],
      // Lookup tables built on first use, never changed after.
      ["src/hpack/decoder.ts", /^let\s+staticBytes\b/],
      ["src/hpack/encoder.ts", /^let\s+staticIndex\b/],
      // A work area for Huffman decoding, used within one synchronous call and never handed out.
      ["src/shared/huffman.ts", /^let\s+(?:scratch|decodeTable)\b/],
    ]);
    const found: string[] = [];
    for (const f of FILES) {
      if (f.path.startsWith("src/cli/")) continue;
      code(f.text)
        .split("\n")
        .forEach((line, i) => {
          if (!/^let\s/.test(line)) return;
          const ok = accepted.get(f.path);
          if (ok === undefined || !ok.test(line)) found.push(`${f.path}:${i + 1}: ${line.trim()}`);
        });
    }
    expect(found).toEqual([]);
  });
});

describe("constants instead of magic numbers", () => {
  test("no frame type written as a number in a switch or comparison of http2/http3 code", () => {
    const framing = (p: string) =>
      (p.startsWith("src/http2/") || p.startsWith("src/http3/") || p.startsWith("src/capture/")) &&
      !/(constants|frame-type|error-codes|settings|stream-type)\.ts$/.test(p);
    expect(matches(/\bcase\s+0x[0-9a-fA-F]+\s*:/, framing)).toEqual([]);
    expect(matches(/\b(?:type|frameType)\s*[!=]==\s*0x[0-9a-fA-F]+\b/, framing)).toEqual([]);
  });

  test("src/http3, src/quic and the h3 command compare with the named constants only, outside the constant tables", () => {
    const tables = /\/(?:frame-type|settings|stream-type|error-codes|grease)\.ts$/;
    const inScope = (p: string) =>
      (p.startsWith("src/http3/") || p.startsWith("src/quic/") || p === "src/cli/commands/h3.ts") && !tables.test(p);
    // `case 0x04:`, `type === 0x01`, `id === 6` and the like.
    expect(matches(/case\s+0x[0-9a-f]+\s*:|(type|Type|id|Id)\s*[!=]==\s*0x[0-9a-f]+/, inScope)).toEqual([]);
  });

  test("no flag bit tested with a literal mask in http2 code", () => {
    const framing = (p: string) => (p.startsWith("src/http2/") || p.startsWith("src/capture/")) && !p.endsWith("constants.ts");
    expect(matches(/\bflags\s*&\s*0x[0-9a-fA-F]+/, framing)).toEqual([]);
  });
});

describe("one public 'need more bytes' shape", () => {
  const modules: Record<string, Record<string, unknown>> = { quic, hpack, http2, qpack, http3 };
  const readers: [string, (bytes: Uint8Array, offset: number) => unknown][] = [];
  for (const [mod, exports] of Object.entries(modules)) {
    for (const [name, value] of Object.entries(exports)) {
      if (/^read[A-Z]/.test(name) && typeof value === "function") {
        readers.push([`${mod}.${name}`, value as (bytes: Uint8Array, offset: number) => unknown]);
      }
    }
  }

  test("the modules export read* functions", () => {
    expect(readers.length).toBeGreaterThanOrEqual(5);
  });

  test.each(readers)("%s of empty input is { status: 'need-more', needed >= 1 }", (_name, read) => {
    const r = read(new Uint8Array(0), 0) as { status?: unknown; needed?: unknown };
    expect(r.status).toBe("need-more");
    expect(typeof r.needed).toBe("number");
    expect(r.needed as number).toBeGreaterThanOrEqual(1);
  });
});

describe("names", () => {
  test("public string literals in type positions are kebab-case", () => {
    // `type: "a_b"`, `status: "a_b"`, `kind: "a_b"`, `state: "a_b"` in declarations.
    const snake = matches(/\b(?:type|status|kind|state)\??\s*:\s*"[a-z0-9]+_[a-z0-9_]+"/, (p) => !p.startsWith("src/cli/"));
    expect(snake).toEqual([]);
  });

  test("the sender's role is called `sender` in every options type", () => {
    expect(matches(/\breadonly\s+(?:peer|receiver)\??\s*:\s*"client"\s*\|\s*"server"/)).toEqual([]);
  });

  test("'header block' is not used for RFC 9113's field block in public names", () => {
    expect(matches(/\b(?:HeaderBlock\w*|maxHeaderBlockSize|header_block)\b/, (p) => !p.startsWith("src/cli/"))).toEqual([]);
  });
});

describe("errors", () => {
  const modules = { http2: http2Errors, http3: http3Errors, qpack: qpackErrors, quic: quicErrors };
  test.each(Object.entries(modules))("%s has connectionError and streamError, one per scope", (_name, m) => {
    const c = m.connectionError(0x1, "some_check", "Cannot do it", 7);
    expect([c.scope, c.reason, c.offset, c.streamId, c.code]).toEqual(["connection", "some_check", 7, undefined, 0x1]);
    const s = m.streamError(0x1, 5, "some_check", "Cannot do it", 9);
    expect([s.scope, s.reason, s.offset, s.streamId]).toEqual(["stream", "some_check", 9, 5]);
    expect(s).toBeInstanceOf(HttpwireError);
  });
});
