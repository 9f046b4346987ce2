import { HpackError, Http2Error, Http3Error, HttpwireError, isHttpwireError, QpackError, QuicError } from "httpwire";
import { describe, expect, test } from "vitest";

describe("error model", () => {
  test("Http2Error carries code, name, scope, stream, reason and offset", () => {
    const e = new Http2Error("Cannot decode PING frame: payload length 7 is not 8", 0x06, {
      reason: "ping_length",
      offset: 0,
    });
    expect(e).toBeInstanceOf(HttpwireError);
    expect(e.name).toBe("Http2Error");
    expect(e.code).toBe(0x06);
    expect(e.codeName).toBe("FRAME_SIZE_ERROR");
    expect(e.scope).toBe("connection");
    expect(e.streamId).toBeUndefined();
    expect(e.reason).toBe("ping_length");
    expect(e.offset).toBe(0);
    expect(isHttpwireError(e)).toBe(true);
    expect(isHttpwireError(new RangeError("x"))).toBe(false);
  });

  test("stream scope and cause are kept", () => {
    const inner = new HpackError("Index 0 is not valid", { reason: "index_zero", offset: 3 });
    const e = new Http2Error("Header block failed", 0x09, { reason: "hpack", scope: "stream", streamId: 5, cause: inner });
    expect(e.scope).toBe("stream");
    expect(e.streamId).toBe(5);
    expect(e.cause).toBe(inner);
    expect(inner.code).toBe(0x09);
    expect(inner.codeName).toBe("COMPRESSION_ERROR");
    expect(inner.scope).toBe("connection");
  });

  test("each protocol names its codes, unknown codes never throw", () => {
    expect(new QpackError("x", 0x0200, { reason: "r" }).codeName).toBe("QPACK_DECOMPRESSION_FAILED");
    expect(new Http3Error("x", 0x0105, { reason: "r" }).codeName).toBe("H3_FRAME_UNEXPECTED");
    expect(new Http3Error("x", 0x21, { reason: "r" }).codeName).toBe("H3_GREASE_0x21");
    expect(new QuicError("x", 0x07, { reason: "r" }).codeName).toBe("FRAME_ENCODING_ERROR");
    expect(new QuicError("x", 0x0128, { reason: "r" }).codeName).toBe("CRYPTO_ERROR_0x28");
    expect(new Http2Error("x", 0xabc, { reason: "r" }).codeName).toBe("UNKNOWN_0xabc");
  });
});
