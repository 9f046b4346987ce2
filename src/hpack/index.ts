/**
 * `httpwire/hpack`: HPACK header compression for HTTP/2 (RFC 7541).
 *
 * - {@link HpackDecoder} / {@link HpackEncoder}: one per direction per connection.
 * - The primitives they are built from, public on purpose for people
 *   building their own codecs: prefix integers (§5.1) and string literals
 *   (§5.2, Huffman-coded per Appendix B), plus the static table (Appendix A).
 *   Nothing else of the shared internals is exported.
 *
 * @module
 */
export { HpackError, COMPRESSION_ERROR } from "./errors.js";
export {
  HpackDecoder,
  DEFAULT_MAX_TABLE_SIZE,
  DEFAULT_MAX_HEADER_LIST_SIZE,
} from "./decoder.js";
export type { HpackDecoderOptions, FieldData } from "./decoder.js";
export { HpackEncoder, DEFAULT_TABLE_SIZE_LIMIT, defaultShouldIndex, defaultIsSensitive, validateField } from "./encoder.js";
export type { HpackEncoderOptions } from "./encoder.js";
export { RepresentationKind } from "./header-field.js";
export type { HeaderField, EncoderHeaderField, FieldRepresentation } from "./header-field.js";
export { ENTRY_OVERHEAD } from "../shared/table-entry.js";
export type { DynamicTableEntry, DynamicTableSnapshot } from "./dynamic-table.js";
export { STATIC_TABLE, STATIC_TABLE_LENGTH } from "./static-table.js";
export {
  readPrefixInt,
  encodePrefixInt,
  prefixIntLength,
  readStringLiteral,
  readStringLiteralBytes,
  encodeStringLiteral,
} from "./primitives.js";
export type {
  NeedMore,
  PrefixIntRead,
  StringLiteralRead,
  ReadStringLiteralOptions,
  EncodeStringLiteralOptions,
} from "./primitives.js";
