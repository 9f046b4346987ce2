/**
 * The capture viewer: a drop zone, the connections, a table of frames with
 * the command line's filters (--stream, --type, --port), and a detail pane.
 * Decoding runs in a Web Worker (worker.ts); the table renders only the rows
 * in view, so a capture of millions of frames stays responsive.
 */
import type { DecodeProgress, DecodeRequest } from "./worker.js";

/** One decoded event, exactly as `httpwire decode --json` prints it. */
export type Row = Record<string, unknown>;

/** The mounted viewer, for scripts and tests. */
export interface Viewer {
  /** Every event decoded so far, in order. */
  readonly rows: readonly Row[];
  /** The rows the filters let through, in order (what the table shows). */
  readonly visible: readonly Row[];
  /** Decodes a capture (and a key log); resolves when the worker is done. */
  load(capture: Blob, keyLog?: string): Promise<void>;
}

const ROW_HEIGHT = 20;
const FLAG_SEPARATOR = ",";

function el<T extends HTMLElement>(doc: Document, id: string): T {
  const e = doc.getElementById(id);
  if (!e) throw new Error(`viewer: #${id} is missing from the page`);
  return e as T;
}

/** `"1,3"` → {1, 3}; empty → undefined (no filter). */
function numberSet(text: string): Set<number> | undefined {
  const parts = text
    .split(/[\s,]+/)
    .filter((p) => p !== "")
    .map(Number)
    .filter((n) => Number.isInteger(n) && n >= 0);
  return parts.length ? new Set(parts) : undefined;
}

function typeSet(text: string): Set<string> | undefined {
  const parts = text
    .split(/[\s,]+/)
    .filter((p) => p !== "")
    .map((p) => p.toUpperCase());
  return parts.length ? new Set(parts) : undefined;
}

/** The table's cells for one row (frames; other events show their kind and what they say). */
export function cells(row: Row, firstTime: number): string[] {
  const time = typeof row.time === "number" ? (row.time - firstTime).toFixed(6) : "";
  const dir = row.direction === "client-to-server" ? "C>S" : row.direction === "server-to-client" ? "S>C" : "";
  const conn = row.connection === undefined || row.connection === null ? "" : String(row.connection);
  if (row.kind === "frame") {
    const fields = Array.isArray(row.fields)
      ? (row.fields as { name: string; value: string }[]).map((f) => `${f.name}: ${f.value}`).join("  ")
      : "";
    const flags = Array.isArray(row.flagNames) ? (row.flagNames as string[]).join(FLAG_SEPARATOR) : "";
    return [time, conn, dir, String(row.streamId), String(row.type), flags, String(row.length), fields];
  }
  const ends = row.client as { address: string; port: number } | undefined;
  const server = row.server as { address: string; port: number } | undefined;
  if (row.kind === "open" && ends && server)
    return [time, conn, dir, "", "OPEN", "", "", `${ends.address}:${ends.port} → ${server.address}:${server.port}`];
  const said =
    typeof row.message === "string"
      ? row.message
      : Object.entries(row)
          .filter(([k]) => !["kind", "time", "connection", "direction"].includes(k))
          .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
          .join(" ");
  return [time, conn, dir, "", String(row.kind).toUpperCase(), "", "", said];
}

/** The TLS line of a connection: version, suite, SNI and ALPN, as the command's connection line. */
function tlsText(t: Record<string, unknown>): string {
  const parts = [t.version, t.cipherSuiteName, t.serverName ? `SNI ${t.serverName}` : undefined, t.alpn ? `ALPN ${t.alpn}` : undefined];
  return parts.filter((p) => p !== undefined && p !== "").join(", ");
}

/**
 * Mounts the viewer on a document that has the elements of index.html.
 * `makeWorker` starts the decoding worker (the page passes worker.js).
 */
export function mountViewer(doc: Document, makeWorker: () => Worker): Viewer {
  const drop = el(doc, "drop");
  const captureInput = el<HTMLInputElement>(doc, "capture-file");
  const keyLogInput = el<HTMLInputElement>(doc, "keylog-file");
  const portInput = el<HTMLInputElement>(doc, "port");
  const streamInput = el<HTMLInputElement>(doc, "filter-stream");
  const typeInput = el<HTMLInputElement>(doc, "filter-type");
  const progress = el<HTMLProgressElement>(doc, "progress");
  const status = el(doc, "status");
  const connections = el(doc, "connections");
  const viewport = el(doc, "viewport");
  const spacer = el(doc, "spacer");
  const rowsBox = el(doc, "rows");
  const detail = el(doc, "detail");

  const rows: Row[] = [];
  const opens: Row[] = [];
  let shownOpens = 0;
  const more = doc.createElement("span");
  let frameCount = 0;
  let visible: Row[] = [];
  let firstTime = Number.NaN;
  let selected: Row | undefined;
  let worker: Worker | undefined;
  let keyLogText: string | undefined;
  let lastCapture: Blob | undefined;

  const passes = (r: Row, streams: Set<number> | undefined, types: Set<string> | undefined) =>
    r.kind !== "frame"
      ? streams === undefined && types === undefined
      : (!streams || streams.has(r.streamId as number)) && (!types || types.has(String(r.type)) || types.has(String(r.typeCode)));

  function refilter(): void {
    const streams = numberSet(streamInput.value);
    const types = typeSet(typeInput.value);
    visible = rows.filter((r) => passes(r, streams, types));
    render();
  }

  function render(): void {
    spacer.style.height = `${visible.length * ROW_HEIGHT}px`;
    const first = Math.max(0, Math.floor(viewport.scrollTop / ROW_HEIGHT) - 5);
    const count = Math.ceil((viewport.clientHeight || 600) / ROW_HEIGHT) + 10;
    rowsBox.style.top = `${first * ROW_HEIGHT}px`;
    const frag = doc.createDocumentFragment();
    for (let i = first; i < Math.min(visible.length, first + count); i++) {
      const r = visible[i]!;
      const div = doc.createElement("div");
      div.className = `row${r.kind === "error" ? " error" : ""}${r.direction === "server-to-client" ? " s2c" : ""}${r === selected ? " selected" : ""}`;
      div.dataset.index = String(i);
      for (const c of cells(r, firstTime)) {
        const span = doc.createElement("span");
        span.textContent = c;
        span.title = c;
        div.append(span);
      }
      frag.append(div);
    }
    rowsBox.replaceChildren(frag);
  }

  /** Connection lines shown at most; the rest are counted (a capture can hold tens of thousands). */
  const MAX_CONNECTION_LINES = 200;

  /** Appends the lines of connections opened since the last call (work per new connection, not per connection). */
  function showConnections(): void {
    while (shownOpens < opens.length && shownOpens < MAX_CONNECTION_LINES) {
      const r = opens[shownOpens++]!;
      const c = r.client as { address: string; port: number } | undefined;
      const s = r.server as { address: string; port: number } | undefined;
      const extra = Object.entries(r)
        .filter(([k]) => !["kind", "connection", "client", "server", "time"].includes(k))
        .map(([k, v]) => (k === "tls" ? tlsText(v as Record<string, unknown>) : `${k}: ${typeof v === "string" ? v : JSON.stringify(v)}`))
        .join(", ");
      connections.append(
        `${shownOpens > 1 ? "\n" : ""}connection ${r.connection}: ${c ? `${c.address}:${c.port}` : "?"} → ${s ? `${s.address}:${s.port}` : "?"}${extra ? `  (${extra})` : ""}`,
      );
    }
    more.textContent = opens.length > shownOpens ? `\n… and ${opens.length - shownOpens} more connections` : "";
  }

  function load(capture: Blob, keyLog?: string): Promise<void> {
    worker?.terminate();
    rows.length = 0;
    opens.length = 0;
    shownOpens = 0;
    connections.replaceChildren();
    frameCount = 0;
    visible = [];
    firstTime = Number.NaN;
    selected = undefined;
    lastCapture = capture;
    detail.textContent = "Select a frame to see everything decoded from it.";
    progress.hidden = false;
    progress.value = 0;
    status.textContent = "Decoding…";
    const w = makeWorker();
    worker = w;
    return new Promise((resolve) => {
      w.onmessage = (m: MessageEvent<DecodeProgress>) => {
        const p = m.data;
        // Work per batch is proportional to the batch, never to the rows so far.
        const streams = numberSet(streamInput.value);
        const types = typeSet(typeInput.value);
        let opened = false;
        for (const r of p.rows) {
          if (Number.isNaN(firstTime) && typeof r.time === "number") firstTime = r.time;
          rows.push(r);
          if (r.kind === "frame" || r.kind === "h3-frame") frameCount++;
          if (r.kind === "open" || r.kind === "quic-open") {
            opens.push(r);
            opened = true;
          }
          if (passes(r, streams, types)) visible.push(r);
        }
        progress.value = p.size ? p.read / p.size : 1;
        status.textContent = p.done
          ? `${frameCount} frames, ${opens.length} connections${p.failure ? ` (stopped: ${p.failure})` : ""}.`
          : `Decoding… ${Math.round((100 * p.read) / Math.max(1, p.size))}%, ${frameCount} frames`;
        if (opened) {
          showConnections();
          connections.append(more);
        }
        render();
        if (p.done) {
          progress.hidden = true;
          w.terminate();
          resolve();
        }
      };
      const ports = (numberSet(portInput.value) ?? new Set<number>()).values();
      const req: DecodeRequest = { file: capture, ports: [...ports].filter((n) => n <= 65535), ...(keyLog ? { keyLog } : {}) };
      w.postMessage(req);
    });
  }

  async function takeFiles(files: FileList | readonly File[]): Promise<void> {
    let capture: File | undefined;
    for (const f of Array.from(files)) {
      const head = new Uint8Array(await f.slice(0, 64).arrayBuffer());
      const text = new TextDecoder().decode(head);
      if (/^(#|CLIENT_|SERVER_|EXPORTER_|RSA )/.test(text)) keyLogText = await f.text();
      else capture = f;
    }
    if (capture) await load(capture, keyLogText);
    else if (lastCapture && keyLogText) await load(lastCapture, keyLogText);
  }

  drop.addEventListener("dragover", (e) => {
    e.preventDefault();
    drop.classList.add("over");
  });
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  drop.addEventListener("drop", (e) => {
    e.preventDefault();
    drop.classList.remove("over");
    if (e.dataTransfer?.files.length) void takeFiles(e.dataTransfer.files);
  });
  captureInput.addEventListener("change", () => {
    if (captureInput.files?.length) void takeFiles(captureInput.files);
  });
  keyLogInput.addEventListener("change", () => {
    if (keyLogInput.files?.length) void takeFiles(keyLogInput.files);
  });
  portInput.addEventListener("change", () => {
    if (lastCapture) void load(lastCapture, keyLogText);
  });
  streamInput.addEventListener("input", refilter);
  typeInput.addEventListener("input", refilter);
  viewport.addEventListener("scroll", render);
  rowsBox.addEventListener("click", (e) => {
    const target = (e.target as HTMLElement).closest<HTMLElement>(".row");
    if (!target?.dataset.index) return;
    selected = visible[Number(target.dataset.index)];
    detail.textContent = JSON.stringify(selected, null, 2);
    render();
  });

  return {
    get rows() {
      return rows;
    },
    get visible() {
      return visible;
    },
    load,
  };
}
