// Every input the fuzz campaign (npm run fuzz) found failing is kept in
// fixtures/regressions/<module>/*.json with the check it broke; this test
// replays each one. Fixture fields: module, check, input (hex), found, bug, fix.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { HttpwireError } from "httpwire";
import { HpackDecoder, HpackEncoder } from "httpwire/hpack";
import type { FrameInit } from "httpwire/http2";
import { decodeFrame, encodeFrame, FrameDecoder, readFrameHeader } from "httpwire/http2";
import { encodeFrame as encodeH3Frame, Http3FrameDecoder, readFrame } from "httpwire/http3";
import { QpackDecoder } from "httpwire/qpack";
import { describe, expect, test } from "vitest";
import { concatBytes, prefixIntBytes } from "../../src/arbitraries/bytes.js";
import { fixturePath } from "../helpers/corpora.js";
import { hex } from "../helpers/hex.js";
import { okHeader } from "../http2/hex.js";

interface Regression {
  readonly module: "hpack" | "http2" | "http3" | "qpack" | "capture";
  readonly check: "only-httpwire-errors" | "decode-encode-stable" | "blocked-sections-bounded" | "encoder-stream-chunked";
  /** Size of the unit a check builds (encoder-stream-chunked). */
  readonly size?: number;
  readonly input: string;
  readonly found: string;
  readonly bug: string;
  readonly fix: string;
  /** Set when the owner has not fixed it yet: the test is skipped and names the bug. */
  readonly open?: boolean;
}

/** Runs `f`; an HttpwireError is a legitimate answer to bad input, anything else fails the test. */
function onlyOurErrors(f: () => void): void {
  try {
    f();
  } catch (e) {
    if (!(e instanceof HttpwireError)) throw e;
  }
}

const CHECKS: Record<Regression["module"], (b: Uint8Array, check: Regression["check"], r: Regression) => void> = {
  hpack: (b) =>
    onlyOurErrors(() => {
      const fields = new HpackDecoder().decode(b);
      const again = new HpackDecoder().decode(new HpackEncoder({ validate: false }).encode(fields));
      expect(again.map((f) => [f.name, f.value])).toEqual(fields.map((f) => [f.name, f.value]));
    }),
  http2: (b) => {
    onlyOurErrors(() => {
      const d = new FrameDecoder();
      d.push(b);
      d.end();
    });
    onlyOurErrors(() => {
      const h = readFrameHeader(b);
      if (h.status !== "ok" || b.length < 9 + h.length) return;
      const f = decodeFrame(h, b.subarray(9, 9 + h.length));
      const again = encodeFrame(f as FrameInit);
      expect(decodeFrame(okHeader(again), again.subarray(9))).toEqual(f);
    });
  },
  http3: (b) => {
    onlyOurErrors(() => {
      const r = readFrame(b, 0);
      if (r.status !== "ok") return;
      // decode → encode → decode: the encoder must take what the decoder produced.
      const again = encodeH3Frame(r.frame);
      expect(readFrame(again, 0)).toMatchObject({ status: "ok", frame: r.frame });
    });
    onlyOurErrors(() => {
      const d = new Http3FrameDecoder({ stream: "any" });
      d.push(b);
      d.end();
    });
  },
  qpack: (b, check, r) => {
    if (check === "encoder-stream-chunked") {
      // Same table whether the instruction arrives whole or a byte at a time (the time it takes is the campaign's to check).
      const size = r.size ?? 1000;
      const unit = concatBytes([
        prefixIntBytes(size + 1000, 5, 0x20),
        Uint8Array.of(0x41, 0x78),
        prefixIntBytes(size, 7, 0),
        new Uint8Array(size).fill(0x76),
      ]);
      const whole = new QpackDecoder({ maxTableCapacity: size + 1000 });
      whole.onEncoderStream(unit);
      const bytewise = new QpackDecoder({ maxTableCapacity: size + 1000 });
      for (let p = 0; p < unit.length; p++) bytewise.onEncoderStream(unit.subarray(p, p + 1));
      expect(bytewise.tableEntries()).toEqual(whole.tableEntries());
      expect(whole.tableEntries().map((e) => e.slice(-2))).toEqual([["x", "v".repeat(size)]]);
      return;
    }
    if (check === "blocked-sections-bounded") {
      // RFC 9204 §2.1.2 bounds blocked streams; the memory they hold must be bounded too.
      const d = new QpackDecoder({ maxTableCapacity: 4096, maxBlockedStreams: 1 });
      let refused = false;
      for (let i = 0; i < 10_000 && !refused; i++) {
        try {
          d.decodeFieldSection(0, b);
        } catch (e) {
          if (!(e instanceof HttpwireError)) throw e;
          refused = true;
        }
      }
      expect(refused).toBe(true);
      return;
    }
    onlyOurErrors(() => {
      const d = new QpackDecoder({ maxTableCapacity: 4096, maxBlockedStreams: 16 });
      d.onEncoderStream(b);
    });
  },
  capture: () => undefined,
};

const root = fixturePath("regressions");
const cases: [string, Regression][] = [];
for (const mod of readdirSync(root, { withFileTypes: true })) {
  if (!mod.isDirectory()) continue;
  for (const f of readdirSync(join(root, mod.name))) {
    if (f.endsWith(".json")) cases.push([`${mod.name}/${f}`, JSON.parse(readFileSync(join(root, mod.name, f), "utf8")) as Regression]);
  }
}

describe("fuzz regressions (fixtures/regressions)", () => {
  test("the fixtures are there", () => {
    expect(cases.length).toBeGreaterThan(0);
  });
  for (const [name, r] of cases) {
    // An open regression names its bug in the fixture's "bug" field.
    (r.open === true ? test.skip : test)(`${name}: ${r.check}`, () => {
      CHECKS[r.module](hex(r.input), r.check, r);
    });
  }
});
