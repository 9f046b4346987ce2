// Fuzzing a real node:http2 server over loopback with httpwire/arbitraries:
// each run opens a TCP connection, sends the client preface, an empty
// SETTINGS and one malformed frame, then reads the server's answer with
// httpwire's own FrameDecoder and checks the server closed the connection
// with GOAWAY carrying the error code the arbitrary names. This is the
// example of docs/fuzzing.md, bounded to a few seconds.

import type { Http2Server, ServerHttp2Session } from "node:http2";
import { createServer } from "node:http2";
import type { AddressInfo } from "node:net";
import { connect } from "node:net";
import fc from "fast-check";
import type { Http2MalformedKind } from "httpwire/arbitraries";
import { concatBytes, HTTP2_CLIENT_PREFACE, HTTP2_MALFORMED_KINDS, http2MalformedFrame } from "httpwire/arbitraries";
import { FrameDecoder, FrameType } from "httpwire/http2";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

let server: Http2Server;
let port: number;
const sessions = new Set<ServerHttp2Session>();

beforeAll(async () => {
  server = createServer();
  server.on("stream", (stream) => stream.respond({ ":status": 200 }, { endStream: true }));
  // node:http2 reports peer protocol errors as session errors; they are expected here.
  server.on("sessionError", () => undefined);
  server.on("session", (s) => {
    sessions.add(s);
    s.on("close", () => sessions.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  for (const s of sessions) s.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

/** What the server answered: the first GOAWAY's error code, or undefined if it closed or went quiet without one. */
async function answer(frame: Uint8Array, timeoutMs = 1500): Promise<number | undefined> {
  const socket = connect(port, "127.0.0.1");
  const decoder = new FrameDecoder({ joinFieldBlocks: false });
  return new Promise<number | undefined>((resolve) => {
    let done = false;
    const finish = (code: number | undefined) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(code);
    };
    const timer = setTimeout(() => finish(undefined), timeoutMs);
    socket.on("connect", () => socket.write(concatBytes([HTTP2_CLIENT_PREFACE, Uint8Array.of(0, 0, 0, 4, 0, 0, 0, 0, 0), frame])));
    socket.on("data", (chunk: Uint8Array) => {
      try {
        for (const ev of decoder.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength))) {
          if (ev.type === FrameType.GOAWAY) finish(ev.errorCode);
        }
      } catch {
        finish(undefined);
      }
    });
    socket.on("close", () => finish(undefined));
    socket.on("error", () => finish(undefined));
  });
}

// Connection errors a server must answer with GOAWAY. Stream-scoped kinds need
// an open stream to be stream errors (on an idle stream RFC 9113 §5.1 makes
// most frames a connection error), so they are left out of this example, and
// so is PRIORITY_UPDATE (RFC 9218), an extension node:http2 does not
// implement and therefore ignores as an unknown frame type (RFC 9113 §5.5).
const CONNECTION_KINDS = HTTP2_MALFORMED_KINDS.filter(
  (k) =>
    !k.startsWith("priority-update") &&
    fc.sample(http2MalformedFrame({ kinds: [k] }), { numRuns: 1, seed: 1 })[0]!.expected.scope === "connection",
);

const PROTOCOL_ERROR = 0x1;
const INTERNAL_ERROR = 0x2;
// Where node:http2 (Node 20, nghttp2) answers with another code than RFC 9113
// names: it closes with INTERNAL_ERROR after a frame with an invalid stream
// identifier or setting value, and with PROTOCOL_ERROR for a PADDED DATA frame
// too short to hold its Pad Length (RFC 9113 §4.2 says FRAME_SIZE_ERROR).
// Found by this very test; see docs/fuzzing.md.
const NODE_DEVIATIONS: Partial<Record<Http2MalformedKind, number>> = {
  "data-too-short": PROTOCOL_ERROR,
  "settings-stream-nonzero": INTERNAL_ERROR,
  "goaway-stream-nonzero": INTERNAL_ERROR,
  "headers-stream-0": INTERNAL_ERROR,
  "priority-stream-0": INTERNAL_ERROR,
  "ping-stream-nonzero": INTERNAL_ERROR,
  "rst-stream-stream-0": INTERNAL_ERROR,
  "push-promise-stream-0": INTERNAL_ERROR,
  "push-promise-invalid-promised-stream-id": INTERNAL_ERROR,
  "window-update-zero-increment-stream-0": INTERNAL_ERROR,
  "settings-enable-push-invalid": INTERNAL_ERROR,
  "settings-initial-window-size-too-large": INTERNAL_ERROR,
  "settings-max-frame-size-invalid": INTERNAL_ERROR,
};

describe("fuzzing node:http2 over loopback with http2MalformedFrame", () => {
  test("the server answers malformed frames with GOAWAY and the RFC's error code (or a known node deviation)", async () => {
    let answered = 0;
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(http2MalformedFrame({ kinds: CONNECTION_KINDS }), async (c) => {
        runs++;
        const code = await answer(c.bytes);
        // A server that has not answered in time is inconclusive on a loaded machine, not a failure.
        if (code === undefined) return true;
        answered++;
        return code === c.expected.code || code === NODE_DEVIATIONS[c.kind];
      }),
      { numRuns: 25, seed: 20261121 },
    );
    expect(runs).toBe(25);
    expect(answered).toBeGreaterThan(runs / 2);
  });
});
