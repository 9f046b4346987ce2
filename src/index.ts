/**
 * httpwire: HTTP/2 and HTTP/3 wire codecs.
 *
 * The root entry point exports the error model shared by every module. Each
 * protocol lives in its own subpath, usable alone:
 * `httpwire/quic`, `httpwire/hpack`, `httpwire/http2`, `httpwire/qpack`,
 * `httpwire/http3`, `httpwire/capture`, `httpwire/alt-svc`, `httpwire/upgrade`,
 * `httpwire/arbitraries`.
 *
 * @module
 */

export { AltSvcError } from "./alt-svc/errors.js";
export { CaptureError } from "./capture/errors.js";
export { HpackError } from "./hpack/errors.js";
export { Http2Error } from "./http2/errors.js";
export { Http3Error } from "./http3/errors.js";
export { QpackError } from "./qpack/errors.js";
export { QuicError } from "./quic/errors.js";
export type { ErrorScope, HttpwireErrorOptions } from "./shared/errors.js";
export { HttpwireError, isHttpwireError } from "./shared/errors.js";
export { UpgradeError } from "./upgrade/errors.js";
