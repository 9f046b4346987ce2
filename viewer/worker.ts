/**
 * The viewer's decoding worker: streams the dropped file through
 * `httpwire/capture` and posts the events back in batches, each as the same
 * JSON object `httpwire decode --json` prints for it.
 */
import { type CaptureDecoderOptions, decodeCapture } from "../src/capture/index.js";
import { toJson } from "../src/cli/json.js";

/** What the page asks for. */
export interface DecodeRequest {
  readonly file: Blob;
  readonly keyLog?: string;
  readonly ports: readonly number[];
}

/** What the worker answers, in order; the last message has `done: true`. */
export interface DecodeProgress {
  readonly rows: Record<string, unknown>[];
  /** Bytes of the file read so far. */
  readonly read: number;
  readonly size: number;
  readonly done: boolean;
  readonly failure?: string;
}

/** Rows are posted at most this often, and at most this many at once, so the page stays responsive on big files. */
const POST_INTERVAL_MS = 100;
const MAX_BATCH = 4000;

async function* counted(file: Blob, onRead: (n: number) => void): AsyncGenerator<Uint8Array> {
  const reader = file.stream().getReader();
  for (;;) {
    const r = await reader.read();
    if (r.done) return;
    onRead(r.value.length);
    yield r.value;
  }
}

async function decode(req: DecodeRequest, post: (p: DecodeProgress) => void): Promise<void> {
  let read = 0;
  let rows: Record<string, unknown>[] = [];
  let last = Date.now();
  const options = { ports: req.ports, ...(req.keyLog ? { keyLog: req.keyLog } : {}) } as CaptureDecoderOptions;
  try {
    for await (const e of decodeCapture(
      counted(req.file, (n) => {
        read += n;
      }),
      options,
    )) {
      // What the command never prints (DATA content, key log lines: on standard error) is not a row.
      if (e.type === "h3-data" || (e.type === "notice" && e.reason === "key-log-line")) continue;
      rows.push(toJson(e, false));
      if (rows.length >= MAX_BATCH || Date.now() - last >= POST_INTERVAL_MS) {
        post({ rows, read, size: req.file.size, done: false });
        rows = [];
        last = Date.now();
      }
    }
    post({ rows, read, size: req.file.size, done: true });
  } catch (e) {
    post({ rows, read, size: req.file.size, done: true, failure: e instanceof Error ? e.message : String(e) });
  }
}

const scope = globalThis as unknown as {
  onmessage: ((m: MessageEvent<DecodeRequest>) => void) | null;
  postMessage(p: DecodeProgress): void;
};
scope.onmessage = (m) => {
  void decode(m.data, (p) => scope.postMessage(p));
};
