/**
 * `httpwire/hpack`: HPACK header compression for HTTP/2 (RFC 7541).
 *
 * - {@link HpackDecoder} / {@link HpackEncoder}: one per direction per connection.
 * - The primitives they are built from: prefix integers (§5.1), string
 *   literals (§5.2) and the Huffman code (Appendix B), plus the static table
 *   (Appendix A).
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
export { HpackEncoder, defaultShouldIndex, defaultIsSensitive, validateField } from "./encoder.js";
export type { HpackEncoderOptions } from "./encoder.js";
export { RepresentationKind } from "./header-field.js";
export type { HeaderField, EncoderHeaderField, FieldRepresentation } from "./header-field.js";
export { ENTRY_OVERHEAD } from "./dynamic-table.js";
export type { DynamicTableEntry, DynamicTableSnapshot } from "./dynamic-table.js";
export { STATIC_TABLE, STATIC_TABLE_LENGTH } from "./static-table.js";
export {
  decodePrefixInt,
  writePrefixInt,
  prefixIntLength,
  PREFIX_INT_NEED_MORE,
  PREFIX_INT_OVERFLOW,
} from "../shared/prefix-int.js";
export {
  decodeStringLiteral,
  decodeStringLiteralBytes,
  writeStringLiteral,
  writeStringLiteralBytes,
  STRING_NEED_MORE,
  STRING_TOO_LONG,
  STRING_HUFFMAN_EOS,
  STRING_HUFFMAN_PADDING,
} from "../shared/string-literal.js";
export {
  huffmanEncode,
  huffmanEncodeBytes,
  huffmanEncodedLength,
  huffmanEncodedLengthBytes,
  huffmanDecode,
  huffmanDecodeBytes,
  HUFFMAN_TOO_LONG,
  HUFFMAN_EOS_DECODED,
  HUFFMAN_BAD_PADDING,
} from "../shared/huffman.js";
export { ByteWriter } from "../shared/byte-writer.js";
export { cursor } from "../shared/cursor.js";
export type { Cursor } from "../shared/cursor.js";
