/**
 * `httpwire/arbitraries`: fast-check arbitraries for fuzzing HTTP/2 and
 * HTTP/3 stacks (fast-check is an optional peer dependency).
 * @module
 */
export {};
