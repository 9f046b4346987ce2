/**
 * QPACK offline interop over the QIF corpus (`../shared/corpora/qifs`):
 * - every `.out` file of ls-qpack, nghttp3 and qthingey decodes to exactly its
 *   QIF, stream by stream, with nothing left blocked;
 * - every `encoded/errors/` input is rejected with a QpackError (two
 *   exceptions, valid under RFC 9204, see below);
 * - every QIF encoded by QpackEncoder at capacities 0/256/512/4096 × blocked
 *   0/100 × ack 0/1 decodes back exactly; total bytes are printed next to
 *   ls-qpack's and nghttp3's for the same configuration.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import {
  decodeInterop,
  encodeInterop,
  type InteropRecord,
  parseInteropRecords,
  parseQifBytes,
  type QifSection,
  QpackError,
} from "httpwire/qpack";
import { describe, expect, test } from "vitest";
import { corpusPath, missingCorpusMessage } from "../helpers/corpora.js";

const qifsDir = corpusPath("qifs", "qifs");
const encodedDir = corpusPath("qifs", "encoded", "qpack-05");
const errorsDir = corpusPath("qifs", "encoded", "errors");

const qifCache = new Map<string, QifSection[]>();
function qif(name: string): QifSection[] {
  let q = qifCache.get(name);
  if (!q) {
    q = parseQifBytes(readFileSync(join(qifsDir!, `${name}.qif`)));
    qifCache.set(name, q);
  }
  return q;
}

/** Decodes records and checks the result against `want` by stream number. */
function expectDecodesTo(records: readonly InteropRecord[], capacity: number, blocked: number, want: QifSection[], what: string): void {
  const got = decodeInterop(records, { capacity, blocked });
  expect(got.blocked, `${what}: blocked at end`).toBe(0);
  expect(got.sections.length, `${what}: section count`).toBe(want.length);
  const byStream = new Map(got.sections.map((s) => [s.streamId, s.fields]));
  for (const s of want) {
    const g = byStream.get(s.streamId);
    if (g === undefined) throw new Error(`${what}: stream ${s.streamId} missing`);
    if (g.length !== s.fields.length || g.some((f, i) => f.name !== s.fields[i]!.name || f.value !== s.fields[i]!.value)) {
      expect(
        g.map((f) => ({ name: f.name, value: f.value })),
        `${what}: stream ${s.streamId}`,
      ).toEqual(s.fields);
    }
  }
}

const QIFS = ["fb-req-hq", "fb-req", "fb-resp-hq", "fb-resp", "netbsd-hq", "netbsd"];

describe.skipIf(!encodedDir || !qifsDir)("QIF corpus: decode other encoders' output", () => {
  if (!encodedDir || !qifsDir) {
    test.skip(missingCorpusMessage("qifs/encoded/qpack-05"), () => {});
    return;
  }
  for (const encoder of ["ls-qpack", "nghttp3", "qthingey"]) {
    const files = readdirSync(join(encodedDir, encoder)).sort();
    test(`${encoder}: all ${files.length} files decode to their QIF`, () => {
      expect(files.length).toBe(96);
      for (const f of files) {
        const m = /^(.+)\.out\.(\d+)\.(\d+)\.([01])$/.exec(f);
        if (!m) throw new Error(`unexpected file name ${f}`);
        const records = parseInteropRecords(readFileSync(join(encodedDir, encoder, f)));
        expectDecodesTo(records, Number(m[2]), Number(m[3]), qif(m[1]!), `${encoder}/${f}`);
      }
    });
  }
  test("draft-examples.out decodes to draft-examples.qif", () => {
    const records = parseInteropRecords(readFileSync(join(encodedDir, "draft-examples.out")));
    expectDecodesTo(records, 220, 100, qif("draft-examples"), "draft-examples.out");
  });
});

describe.skipIf(!errorsDir)("QIF corpus: error inputs", () => {
  if (!errorsDir) {
    test.skip(missingCorpusMessage("qifs/encoded/errors"), () => {});
    return;
  }
  // Each row: file, expected code name, reason token.
  const rows: Array<[string, string, string]> = [
    ["err1", "QPACK_DECOMPRESSION_FAILED", "truncated_field_section"], // RIC prefix 0xff, no continuation
    ["err2", "QPACK_DECOMPRESSION_FAILED", "truncated_field_section"], // RIC only, no Base
    ["err3", "QPACK_DECOMPRESSION_FAILED", "truncated_field_section"], // Base prefix 0xff, no continuation
    ["err4", "QPACK_DECOMPRESSION_FAILED", "negative_base"], // RIC 0, S=1, Delta Base 1
    ["err5", "QPACK_DECOMPRESSION_FAILED", "reference_not_below_ric"], // dynamic name ref with RIC 0
    ["err6", "QPACK_DECOMPRESSION_FAILED", "truncated_field_section"], // literal name length continues
    ["err7", "QPACK_DECOMPRESSION_FAILED", "truncated_field_section"], // value length continues
    ["err8", "QPACK_DECOMPRESSION_FAILED", "truncated_field_section"], // dynamic index continues
    ["err11", "QPACK_ENCODER_STREAM_ERROR", "reference_to_missing_entry"], // Duplicate of relative 1, empty table
    ["err12", "QPACK_ENCODER_STREAM_ERROR", "integer_overflow"], // name index past 2^32
  ];
  test.each(rows)("%s is rejected with %s (%s)", (file, codeName, reason) => {
    const records = parseInteropRecords(readFileSync(join(errorsDir, file)));
    let err: unknown;
    try {
      decodeInterop(records, { capacity: 4096, blocked: 100 });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(QpackError);
    expect((err as QpackError).codeName).toBe(codeName);
    expect((err as QpackError).reason).toBe(reason);
    expect((err as QpackError).scope).toBe("connection");
  });
  // err9 (0xc0) and err10 (0xfe) are Indexed Field Lines of static indices 0
  // and 62: errors against the draft-era 61-entry, 1-based static table, but
  // valid under RFC 9204 Appendix A (99 entries from 0). We follow the RFC.
  test.each([
    ["err9", ":authority", ""],
    ["err10", "x-xss-protection", "1; mode=block"],
  ])("%s is valid under RFC 9204 (static %s)", (file, name, value) => {
    const records = parseInteropRecords(readFileSync(join(errorsDir, file)));
    const got = decodeInterop(records, { capacity: 4096, blocked: 100 });
    expect(got.sections).toEqual([{ streamId: 1, fields: [{ name, value }] }]);
  });
  test("no other files", () => {
    expect(readdirSync(errorsDir).sort()).toEqual(
      ["err1", "err2", "err3", "err4", "err5", "err6", "err7", "err8", "err9", "err10", "err11", "err12"].sort(),
    );
  });
});

describe.skipIf(!qifsDir)("QIF corpus: QpackEncoder round trip", () => {
  if (!qifsDir) {
    test.skip(missingCorpusMessage("qifs/qifs"), () => {});
    return;
  }
  const summary: string[] = [];
  for (const capacity of [0, 256, 512, 4096]) {
    for (const blocked of [0, 100]) {
      for (const ack of [0, 1]) {
        const cfg = `${capacity}.${blocked}.${ack}`;
        test(`encode at ${cfg} and decode back`, () => {
          let ours = 0;
          let ls = 0;
          let ng = 0;
          for (const name of QIFS) {
            const sections = qif(name);
            const records = encodeInterop(sections, { capacity, blocked, ack: ack === 1 });
            for (const r of records) ours += r.data.length;
            expectDecodesTo(records, capacity, blocked, sections, `${name} at ${cfg}`);
            const lsFile = encodedDir && join(encodedDir, "ls-qpack", `${name}.out.${cfg}`);
            if (lsFile && existsSync(lsFile)) for (const r of parseInteropRecords(readFileSync(lsFile))) ls += r.data.length;
            const ngFile = encodedDir && join(encodedDir, "nghttp3", `${name}.out.${cfg}`);
            if (ngFile && existsSync(ngFile)) for (const r of parseInteropRecords(readFileSync(ngFile))) ng += r.data.length;
          }
          summary.push(
            `${cfg.padEnd(10)} ours ${String(ours).padStart(7)}  ls-qpack ${String(ls).padStart(7)}  nghttp3 ${String(ng).padStart(7)}`,
          );
          if (summary.length === 16) {
            console.log(`QPACK bytes (record payloads, ${QIFS.length} QIFs):\n${summary.join("\n")}`);
          }
        });
      }
    }
  }
});
