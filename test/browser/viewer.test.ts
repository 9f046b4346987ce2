/**
 * The capture viewer in headless Chromium: the page is mounted, a shipped
 * capture is dropped on it, and the table must agree row for row with
 * `httpwire decode --json` on the same file (fixtures/viewer/*.jsonl, which
 * test/cli/viewer-fixtures.test.ts keeps equal to the command's output).
 */
import { describe, expect, test } from "vitest";
import captureUrl from "../../fixtures/captures/h2-session.pcapng?url";
import tlsKeys from "../../fixtures/captures/tls/tls13-aes128gcm.keys?raw";
import tlsCaptureUrl from "../../fixtures/captures/tls/tls13-aes128gcm.pcapng?url";
import expectedJsonl from "../../fixtures/viewer/h2-session.jsonl?raw";
import expectedTlsJsonl from "../../fixtures/viewer/tls13-aes128gcm.jsonl?raw";
import { cells, mountViewer } from "../../viewer/app.js";
import html from "../../viewer/index.html?raw";

const expected = expectedJsonl
  .trim()
  .split("\n")
  .map((l) => JSON.parse(l) as Record<string, unknown>);

function page(): Document {
  const body = /<body>([\s\S]*)<\/body>/.exec(html)![1]!.replace(/<script[\s\S]*?<\/script>/g, "");
  document.body.innerHTML = body;
  return document;
}

async function dropFile(doc: Document, ...files: File[]): Promise<void> {
  const dt = new DataTransfer();
  for (const file of files) dt.items.add(file);
  doc.getElementById("drop")!.dispatchEvent(new DragEvent("drop", { dataTransfer: dt, bubbles: true, cancelable: true }));
}

describe("capture viewer", () => {
  test("a dropped capture decodes in the worker; the rows equal `httpwire decode --json`, row for row", async () => {
    const doc = page();
    const viewer = mountViewer(doc, () => new Worker(new URL("../../viewer/worker.ts", import.meta.url), { type: "module" }));
    const bytes = new Uint8Array(await (await fetch(captureUrl)).arrayBuffer());
    const done = new Promise<void>((resolve) => {
      const check = () => (/^\d+ frames/.test(doc.getElementById("status")!.textContent ?? "") ? resolve() : setTimeout(check, 20));
      check();
    });
    await dropFile(doc, new File([bytes], "h2-session.pcapng"));
    await done;
    expect(JSON.parse(JSON.stringify(viewer.rows))).toEqual(expected);
    expect(doc.getElementById("status")!.textContent).toBe("69 frames, 2 connections.");

    // What the table shows: the first rendered rows are the first events' cells.
    const shown = Array.from(doc.querySelectorAll("#rows .row")).map((r) =>
      Array.from(r.querySelectorAll("span")).map((s) => s.textContent),
    );
    const first = expected[0]!.time as number;
    expect(shown.length).toBeGreaterThan(10);
    for (const [i, cellsShown] of shown.entries()) expect(cellsShown).toEqual(cells(expected[i]!, first));
  });

  test("the filters are the command line's: --stream and --type", async () => {
    const doc = page();
    const viewer = mountViewer(doc, () => new Worker(new URL("../../viewer/worker.ts", import.meta.url), { type: "module" }));
    const bytes = new Uint8Array(await (await fetch(captureUrl)).arrayBuffer());
    await viewer.load(new Blob([bytes]));
    const stream = doc.getElementById("filter-stream") as HTMLInputElement;
    const type = doc.getElementById("filter-type") as HTMLInputElement;
    stream.value = "1";
    type.value = "headers";
    type.dispatchEvent(new Event("input"));
    const want = expected.filter((r) => r.kind === "frame" && r.streamId === 1 && r.type === "HEADERS");
    expect(JSON.parse(JSON.stringify(viewer.visible))).toEqual(want);
    expect(want.length).toBe(4);
  });

  test("a TLS capture dropped with its key log is decrypted; the rows equal `httpwire decode --json --keylog`", async () => {
    const doc = page();
    const viewer = mountViewer(doc, () => new Worker(new URL("../../viewer/worker.ts", import.meta.url), { type: "module" }));
    const bytes = new Uint8Array(await (await fetch(tlsCaptureUrl)).arrayBuffer());
    const done = new Promise<void>((resolve) => {
      const check = () => (/^\d+ frames/.test(doc.getElementById("status")!.textContent ?? "") ? resolve() : setTimeout(check, 20));
      check();
    });
    await dropFile(doc, new File([tlsKeys], "keys.log"), new File([bytes], "tls13-aes128gcm.pcapng"));
    await done;
    const want = expectedTlsJsonl
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(want.some((r) => r.kind === "frame")).toBe(true);
    expect(JSON.parse(JSON.stringify(viewer.rows))).toEqual(want);
  });
});
