/**
 * Compressed captures (`.gz`, as Wireshark's sample files often are),
 * decompressed with the platform's `DecompressionStream` (Node 18+,
 * browsers, Deno, Bun): no inflate of our own.
 * @internal
 */
import { CaptureError, CaptureErrorCode } from "./errors.js";

/** Whether bytes start with the gzip magic and the deflate method (RFC 1952 §2.3.1). */
export function isGzip(head: Uint8Array): boolean {
  return head.length >= 3 && head[0] === 0x1f && head[1] === 0x8b && head[2] === 0x08;
}

/**
 * Decompresses a gzip stream given in chunks, chunk by chunk (memory bounded
 * by the stream's buffers, never the whole file).
 * @throws {CaptureError} MALFORMED_CAPTURE (`gzip_corrupt`) when the data is not valid gzip,
 *   UNKNOWN_FORMAT (`gzip_unsupported`) when the platform has no DecompressionStream
 */
export async function* gunzip(source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  if (typeof DecompressionStream !== "function") {
    throw new CaptureError(
      "Cannot decompress the capture: this platform has no DecompressionStream; decompress it first (gunzip)",
      CaptureErrorCode.UNKNOWN_FORMAT,
      { reason: "gzip_unsupported" },
    );
  }
  const ds = new DecompressionStream("gzip");
  const writer = ds.writable.getWriter();
  const reader = ds.readable.getReader();
  // The compressed side is written concurrently; each write waits for the reader (backpressure).
  const writing = (async () => {
    try {
      for await (const chunk of source) await writer.write(chunk as Uint8Array<ArrayBuffer>);
      await writer.close();
    } catch (e) {
      await writer.abort(e).catch(() => undefined);
    }
  })();
  try {
    for (;;) {
      let r: ReadableStreamReadResult<Uint8Array>;
      try {
        r = await reader.read();
      } catch (e) {
        throw new CaptureError(`Cannot decompress the capture: ${(e as Error).message}`, CaptureErrorCode.MALFORMED_CAPTURE, {
          reason: "gzip_corrupt",
        });
      }
      if (r.done) break;
      yield r.value;
    }
  } finally {
    reader.releaseLock();
    await writing;
  }
}
