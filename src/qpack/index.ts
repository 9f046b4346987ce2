/**
 * `httpwire/qpack`: QPACK field compression (RFC 9204).
 * @module
 */

export { ByteWriter } from "../shared/byte-writer.js";
export type { FieldSectionResult, QpackDecoderOptions, UnblockedSection } from "./decoder.js";
export { DEFAULT_MAX_BLOCKED_SECTIONS_PER_STREAM, DEFAULT_MAX_FIELD_SECTION_SIZE, QpackDecoder } from "./decoder.js";
export type { DecoderInstruction, ReadDecoderInstructionResult } from "./decoder-instructions.js";
export {
  readDecoderInstruction,
  writeInsertCountIncrement,
  writeSectionAcknowledgment,
  writeStreamCancellation,
} from "./decoder-instructions.js";
export { ENTRY_OVERHEAD, entrySize, maxEntries } from "./dynamic-table.js";
export type { QpackEncoderOptions } from "./encoder.js";
export { DEFAULT_ENCODER_TABLE_CAPACITY, QpackEncoder } from "./encoder.js";
export type { EncoderInstruction, ReadEncoderInstructionResult } from "./encoder-instructions.js";
export {
  readEncoderInstruction,
  writeDuplicate,
  writeInsertWithLiteralName,
  writeInsertWithNameReference,
  writeSetDynamicTableCapacity,
} from "./encoder-instructions.js";
export { QpackErrorCode, qpackErrorName } from "./error-codes.js";
export { QpackError } from "./errors.js";
export type { QpackField } from "./field-section.js";
export {
  writeFieldSectionPrefix,
  writeIndexedFieldLine,
  writeIndexedFieldLinePostBase,
  writeLiteralWithLiteralName,
  writeLiteralWithNameReference,
  writeLiteralWithPostBaseNameReference,
} from "./field-section.js";
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
export type { InteropConfig } from "./interop.js";
export { decodeInterop, encodeInterop } from "./interop.js";
export type { InteropRecord, QifSection } from "./interop-format.js";
export {
  formatQif,
  formatQifBytes,
  parseInteropRecords,
  parseQif,
  parseQifBytes,
  writeInteropRecords,
} from "./interop-format.js";
export { STATIC_TABLE, STATIC_TABLE_LENGTH } from "./static-table.js";
