/**
 * Converting between an HTTP/2 ALTSVC frame's fields (RFC 7838 §4) and the
 * parsed form. The frame codec itself is `httpwire/http2`'s; this module
 * takes and returns the frame's fields only, so it does not depend on it.
 * @module
 */
import { integerOption } from "../shared/options.js";
import { parseAltSvc } from "./parse.js";
import { serializeAltSvc } from "./serialize.js";
import type { AltSvc, AltSvcInit } from "./types.js";

/**
 * The fields of an ALTSVC frame, as `httpwire/http2`'s `AltsvcFrame` carries
 * them (octets mapped one to one onto string code units).
 */
export interface AltSvcFrameFields {
  /** The stream the frame arrived on. */
  readonly streamId: number;
  /** The ASCII serialisation of an origin (RFC 6454 §6.2), or `""`. */
  readonly origin: string;
  /** The Alt-Svc field value. */
  readonly fieldValue: string;
}

/** An advertisement taken from an ALTSVC frame. */
export interface AltSvcFromFrame {
  /**
   * The origin the advertisement is for: the frame's Origin on stream 0, or
   * `undefined` meaning "the origin of stream `streamId`".
   */
  readonly origin: string | undefined;
  /** The stream the frame arrived on. */
  readonly streamId: number;
  /** The parsed field value. */
  readonly advert: AltSvc;
}

/**
 * Reads the advertisement of a received ALTSVC frame (RFC 7838 §4).
 *
 * Returns `undefined` for a frame the client MUST ignore: on stream 0 with
 * an empty Origin, or on another stream with a non-empty Origin. Whether the
 * origin is authoritative for the connection (else the frame MUST be ignored
 * too) and whether we are the client (a server MUST ignore ALTSVC) are the
 * caller's to judge.
 *
 * @throws {AltSvcError} when the field value is malformed (see
 *   {@link parseAltSvc}); a client then ignores the frame.
 * @example
 * ```ts
 * altSvcFromFrame({ streamId: 0, origin: "https://example.com", fieldValue: 'h3=":443"' })?.advert.alternatives[0]?.port; // 443
 * altSvcFromFrame({ streamId: 0, origin: "", fieldValue: 'h3=":443"' }); // undefined
 * ```
 */
export function altSvcFromFrame(frame: AltSvcFrameFields): AltSvcFromFrame | undefined {
  if (frame.streamId === 0 ? frame.origin.length === 0 : frame.origin.length > 0) return undefined;
  return {
    origin: frame.streamId === 0 ? frame.origin : undefined,
    streamId: frame.streamId,
    advert: parseAltSvc(frame.fieldValue),
  };
}

/**
 * Builds the fields of an ALTSVC frame to send (RFC 7838 §4): with an
 * `origin`, the frame goes on stream 0; without one, on the stream whose
 * origin it concerns (`streamId`, which must then be non-zero).
 *
 * @throws TypeError for an origin on a non-zero stream, none on stream 0, or
 *   a non-ASCII origin; see {@link serializeAltSvc} for the advertisement.
 * @example
 * ```ts
 * altSvcToFrame({ alternatives: [{ protocolId: "h3", port: 443 }] }, { origin: "https://example.com" });
 * // { streamId: 0, origin: "https://example.com", fieldValue: 'h3=":443"' }
 * ```
 */
export function altSvcToFrame(
  advert: AltSvcInit,
  target: { readonly origin: string; readonly streamId?: 0 } | { readonly origin?: ""; readonly streamId: number },
): AltSvcFrameFields {
  const origin = target.origin ?? "";
  const streamId = target.streamId ?? 0;
  integerOption("altSvcToFrame", "streamId", streamId, 0, 0, 0x7fffffff);
  if (streamId === 0 && origin.length === 0) throw new TypeError("Cannot build ALTSVC frame: stream 0 needs an origin");
  if (streamId !== 0 && origin.length > 0) throw new TypeError("Cannot build ALTSVC frame: an origin is only allowed on stream 0");
  for (let k = 0; k < origin.length; k++) {
    const c = origin.charCodeAt(k);
    if (c < 0x21 || c > 0x7e) throw new TypeError(`Cannot build ALTSVC frame: origin character at index ${k} is not visible ASCII`);
  }
  if (origin.length > 0xffff) throw new RangeError("Cannot build ALTSVC frame: origin is longer than 65535 octets");
  return { streamId, origin, fieldValue: serializeAltSvc(advert) };
}
