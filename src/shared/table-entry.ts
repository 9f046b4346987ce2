/**
 * RFC 7541 §4.1 and RFC 9204 §3.2.1: the size of a dynamic table entry is
 * the sum of its name's and value's lengths in octets plus 32.
 *
 * @module
 */

/** The 32 octets every dynamic-table entry costs beyond its name and value. */
export const ENTRY_OVERHEAD = 32;

/** Size of an entry whose name and value are `nameLength` and `valueLength` octets. */
export function entrySize(nameLength: number, valueLength: number): number {
  return nameLength + valueLength + ENTRY_OVERHEAD;
}

/**
 * One frozen `{ name, value }` object per entry of a static table, built
 * once and shared by every decoder: a field indexed from the static table
 * allocates nothing (HPACK decode +4.7%; QPACK within noise, kept so that
 * both decoders hand out static fields alike; docs/performance.md).
 * Shared objects must not be mutable, hence frozen.
 */
export function frozenFields(table: readonly (readonly [string, string])[]): readonly Readonly<{ name: string; value: string }>[] {
  return table.map(([name, value]) => Object.freeze({ name, value }));
}
