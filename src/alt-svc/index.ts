/**
 * `httpwire/alt-svc`: Alt-Svc field values (RFC 7838) and ALPN identifiers.
 * @module
 */
export {};
