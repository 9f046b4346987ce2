/**
 * Header field types shared by the HPACK decoder and encoder.
 *
 * @module
 */

/**
 * How a field was represented on the wire (RFC 7541 §6), as reported by a
 * decoder created with `recordRepresentation: true`.
 */
export const RepresentationKind = {
  /** §6.1 Indexed Header Field. */
  INDEXED: "indexed",
  /** §6.2.1 Literal Header Field with Incremental Indexing. */
  LITERAL_WITH_INCREMENTAL_INDEXING: "literal-with-incremental-indexing",
  /** §6.2.2 Literal Header Field without Indexing. */
  LITERAL_WITHOUT_INDEXING: "literal-without-indexing",
  /** §6.2.3 Literal Header Field Never Indexed. */
  LITERAL_NEVER_INDEXED: "literal-never-indexed",
} as const;

/** One of the {@link RepresentationKind} values. */
export type RepresentationKind = (typeof RepresentationKind)[keyof typeof RepresentationKind];

/** How one field was represented on the wire. */
export interface FieldRepresentation {
  /** The §6 representation. */
  readonly kind: RepresentationKind;
  /**
   * The table index used: the whole field for `indexed`, the name for a
   * literal with an indexed name (1..61 static, 62+ dynamic), 0 for a literal
   * with a literal name.
   */
  readonly index: number;
  /** Whether the name was a Huffman-coded literal (false when indexed). */
  readonly nameHuffman: boolean;
  /** Whether the value was a Huffman-coded literal (false when indexed). */
  readonly valueHuffman: boolean;
}

/**
 * A header field. Names and values are Latin-1 strings mapped byte for byte
 * (each character is one octet), or `Uint8Array` from a decoder created with
 * `bytes: true`.
 *
 * Decoders set `sensitive: true` on fields sent as never-indexed literals
 * (RFC 7541 §7.1.3) and leave it absent otherwise; encoders send fields with
 * `sensitive: true` as never-indexed literals.
 */
export interface HeaderField<T extends string | Uint8Array = string> {
  /** Field name. */
  name: T;
  /** Field value. */
  value: T;
  /** Never-indexed field (§7.1.3): intermediaries must not index it either. */
  sensitive?: boolean;
  /** How the field was represented; only with `recordRepresentation: true`. */
  representation?: FieldRepresentation;
}

/** A field as accepted by the encoder: strings or bytes, byte for byte. */
export interface EncoderHeaderField {
  /** Field name: a Latin-1 string (each character at most U+00FF) or bytes. */
  readonly name: string | Uint8Array;
  /** Field value: a Latin-1 string or bytes. */
  readonly value: string | Uint8Array;
  /** Send as a never-indexed literal (RFC 7541 §7.1.3). */
  readonly sensitive?: boolean;
}
