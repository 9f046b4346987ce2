/**
 * `httpwire/qpack`: QPACK field compression (RFC 9204).
 * @module
 */
export { QpackError } from "./errors.js";
export { QpackErrorCode, qpackErrorName } from "./error-codes.js";
export { STATIC_TABLE, STATIC_TABLE_LENGTH } from "./static-table.js";
export { ENTRY_OVERHEAD, entrySize, maxEntries } from "./dynamic-table.js";
export {
  absoluteToEncoderRelative,
  absoluteToPostBase,
  absoluteToRelative,
  decodeBase,
  decodeRequiredInsertCount,
  encodeDeltaBase,
  encodeRequiredInsertCount,
  encoderRelativeToAbsolute,
  postBaseToAbsolute,
  relativeToAbsolute,
} from "./indexing.js";
export type { QpackField } from "./field-section.js";
export {
  writeFieldSectionPrefix,
  writeIndexedFieldLine,
  writeIndexedFieldLinePostBase,
  writeLiteralWithLiteralName,
  writeLiteralWithNameReference,
  writeLiteralWithPostBaseNameReference,
} from "./field-section.js";
export { ByteWriter } from "../shared/byte-writer.js";
export type { EncoderInstruction, ReadEncoderInstructionResult } from "./encoder-instructions.js";
export {
  readEncoderInstruction,
  writeDuplicate,
  writeInsertWithLiteralName,
  writeInsertWithNameReference,
  writeSetDynamicTableCapacity,
} from "./encoder-instructions.js";
export type { DecoderInstruction, ReadDecoderInstructionResult } from "./decoder-instructions.js";
export {
  readDecoderInstruction,
  writeInsertCountIncrement,
  writeSectionAcknowledgment,
  writeStreamCancellation,
} from "./decoder-instructions.js";
export { QpackDecoder, DEFAULT_MAX_FIELD_SECTION_SIZE, DEFAULT_MAX_BLOCKED_SECTIONS_PER_STREAM } from "./decoder.js";
export type { QpackDecoderOptions, FieldSectionResult, UnblockedSection } from "./decoder.js";
export type { InteropRecord, QifSection } from "./interop-format.js";
export {
  formatQif,
  formatQifBytes,
  parseInteropRecords,
  parseQif,
  parseQifBytes,
  writeInteropRecords,
} from "./interop-format.js";
export { QpackEncoder, DEFAULT_ENCODER_TABLE_CAPACITY } from "./encoder.js";
export type { QpackEncoderOptions } from "./encoder.js";
export { encodeInterop, decodeInterop } from "./interop.js";
export type { InteropConfig } from "./interop.js";
