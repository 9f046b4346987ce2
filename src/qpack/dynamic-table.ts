/**
 * The QPACK dynamic table (RFC 9204 §3.2), kept as a ring buffer indexed by
 * absolute index, shared by the decoder and (with reference counts, see
 * `encoder.ts`) the encoder.
 *
 * @module
 */

/** RFC 9204 §3.2.1: each entry costs the octets of its name and value plus 32. */
export const ENTRY_OVERHEAD = 32;

/**
 * Size of an entry (RFC 9204 §3.2.1). Names and values are Latin-1 strings,
 * one UTF-16 unit per octet, so `length` is the octet count.
 */
export function entrySize(name: string, value: string): number {
  return name.length + value.length + ENTRY_OVERHEAD;
}

/** RFC 9204 §4.5.1.1: MaxEntries = floor(MaxTableCapacity / 32). */
export function maxEntries(maxTableCapacity: number): number {
  return Math.floor(maxTableCapacity / ENTRY_OVERHEAD);
}

/**
 * Entries live at absolute indices `[dropped, insertCount)`. Each entry is
 * stored at ring slot `abs % ring`; the ring has room for MaxEntries entries,
 * the most a table of the maximum capacity can hold (each entry is at least
 * 32 octets), so live entries never collide and nothing is ever moved.
 */
export class DynamicTable {
  /** Current capacity set by the encoder (RFC 9204 §3.2.3). */
  capacity = 0;
  /** Sum of the sizes of the live entries. */
  size = 0;
  /** Total number of insertions so far (the Insert Count). */
  insertCount = 0;
  /** Absolute index of the oldest live entry (= number of evictions). */
  dropped = 0;
  /** The most the capacity may be set to (SETTINGS_QPACK_MAX_TABLE_CAPACITY). */
  readonly maxCapacity: number;
  protected readonly ring: number;
  protected readonly names: string[];
  protected readonly values: string[];

  constructor(maxCapacity: number) {
    this.maxCapacity = maxCapacity;
    this.ring = Math.max(1, maxEntries(maxCapacity));
    this.names = new Array<string>(this.ring).fill("");
    this.values = new Array<string>(this.ring).fill("");
  }

  /** Number of live entries. */
  get length(): number {
    return this.insertCount - this.dropped;
  }

  /** Whether absolute index `abs` names a live entry. */
  has(abs: number): boolean {
    return abs >= this.dropped && abs < this.insertCount;
  }

  /** Name of the live entry at `abs` (check {@link has} first). */
  name(abs: number): string {
    return this.names[abs % this.ring]!;
  }

  /** Value of the live entry at `abs` (check {@link has} first). */
  value(abs: number): string {
    return this.values[abs % this.ring]!;
  }

  /**
   * Adds an entry, evicting the oldest entries first until it fits
   * (RFC 9204 §3.2.2). The caller has checked `entrySize <= capacity`, and
   * has already read any name it references, so evicting that entry is safe.
   * @returns the new entry's absolute index
   */
  insert(name: string, value: string): number {
    const size = entrySize(name, value);
    this.evictTo(this.capacity - size);
    const abs = this.insertCount++;
    const slot = abs % this.ring;
    this.names[slot] = name;
    this.values[slot] = value;
    this.size += size;
    this.added(abs, name, value, size);
    return abs;
  }

  /** Sets the capacity, evicting entries until the table fits (RFC 9204 §3.2.3). */
  setCapacity(capacity: number): void {
    this.capacity = capacity;
    this.evictTo(capacity);
  }

  /** Evicts from the oldest end until `size <= target`. */
  protected evictTo(target: number): void {
    while (this.size > target && this.dropped < this.insertCount) {
      const abs = this.dropped++;
      const slot = abs % this.ring;
      const name = this.names[slot]!;
      const value = this.values[slot]!;
      this.size -= entrySize(name, value);
      this.evicted(abs, name, value);
      this.names[slot] = "";
      this.values[slot] = "";
    }
  }

  /** Hook for subclasses: an entry was added. */
  protected added(_abs: number, _name: string, _value: string, _size: number): void {}

  /** Hook for subclasses: an entry was evicted. */
  protected evicted(_abs: number, _name: string, _value: string): void {}
}
