/**
 * `httpwire/capture`: read pcap/pcapng captures and raw dumps, reassemble
 * TCP, and decode the HTTP/2 inside.
 * @module
 */
export {};
