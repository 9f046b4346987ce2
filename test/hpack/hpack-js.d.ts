// Minimal types for the hpack.js dev dependency (used as an independent
// decoder in test/interop/hpack-differential.test.ts); it ships none. Note the
// table option is `maxSize` (its README says `size`, which leaves the table
// unbounded).
declare module "hpack.js" {
  interface HpackJsField {
    name: string;
    value: string;
    neverIndex: boolean;
  }
  interface Decompressor {
    write(chunk: Uint8Array): boolean;
    execute(): void;
    read(): HpackJsField | null;
    updateTableSize(size: number): void;
  }
  interface Compressor {
    write(fields: { name: string; value: string; neverIndex?: boolean; huffman?: boolean }[]): boolean;
    read(): Uint8Array | null;
    updateTableSize(size: number): void;
  }
  const hpackjs: {
    decompressor: { create(options: { table: { maxSize: number } }): Decompressor };
    compressor: { create(options: { table: { maxSize: number } }): Compressor };
  };
  export default hpackjs;
}
