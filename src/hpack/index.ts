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

export { ENTRY_OVERHEAD } from "../shared/table-entry.js";
export type { FieldData, HpackDecoderOptions } from "./decoder.js";
export {
  DEFAULT_MAX_HEADER_LIST_SIZE,
  DEFAULT_MAX_TABLE_SIZE,
  HpackDecoder,
} from "./decoder.js";
export type { DynamicTableEntry, DynamicTableSnapshot } from "./dynamic-table.js";
export type { HpackEncoderOptions } from "./encoder.js";
export {
  DEFAULT_TABLE_SIZE_LIMIT,
  defaultIsSensitive,
  defaultShouldIndex,
  HpackEncoder,
  validateField,
} from "./encoder.js";
export { COMPRESSION_ERROR, HpackError } from "./errors.js";
export type { EncoderHeaderField, FieldRepresentation, HeaderField } from "./header-field.js";
export { RepresentationKind } from "./header-field.js";
export type {
  EncodeStringLiteralOptions,
  NeedMore,
  PrefixIntRead,
  ReadStringLiteralOptions,
  StringLiteralRead,
} from "./primitives.js";
export {
  encodePrefixInt,
  encodeStringLiteral,
  prefixIntLength,
  readPrefixInt,
  readStringLiteral,
  readStringLiteralBytes,
} from "./primitives.js";
export { STATIC_TABLE, STATIC_TABLE_LENGTH } from "./static-table.js";
