/**
 * `httpwire/upgrade`: protocol upgrades across HTTP/1.1, 2 and 3 (h2c,
 * extended CONNECT of RFC 8441 and RFC 9220).
 * @module
 */
export {};
