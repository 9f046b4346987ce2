/**
 * The QPACK dynamic table (RFC 9204 §3.2), kept as a ring buffer indexed by
 * absolute index, shared by the decoder and (with reference counts, see
 * `encoder.ts`) the encoder.
 *
 * @module
 */
import { ENTRY_OVERHEAD, entrySize } from "../shared/table-entry.js";

export { ENTRY_OVERHEAD, entrySize };

/** RFC 9204 §4.5.1.1: MaxEntries = floor(MaxTableCapacity / 32). */
export function maxEntries(maxTableCapacity: number): number {
  return Math.floor(maxTableCapacity / ENTRY_OVERHEAD);
}

/** Slots of the first ring; then it doubles. */
const FIRST_RING = 16;

/**
 * Moves the live slots `[from, to)` (absolute indices) of a ring of
 * `oldRing` slots into a new ring of `newRing` slots.
 */
export function reslot<T>(slots: T[], oldRing: number, newRing: number, from: number, to: number, fill: T): T[] {
  const next = new Array<T>(newRing).fill(fill);
  for (let abs = from; abs < to; abs++) next[abs % newRing] = slots[abs % oldRing]!;
  return next;
}

/**
 * Entries live at absolute indices `[dropped, insertCount)`. Each entry is
 * stored at ring slot `abs % ring` (`abs & mask`). The ring is allocated as entries are
 * inserted, never from a setting: it starts empty and doubles when the live
 * entries fill it, so its size is at most twice the most entries ever live
 * at once (each entry costs at least 32 octets of the capacity), whatever
 * SETTINGS_QPACK_MAX_TABLE_CAPACITY says. Live entries never collide and
 * are moved only when the ring grows.
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
  /** Number of slots (0 until the first insert), a power of two. */
  protected ring = 0;
  /**
   * `ring - 1`: an entry's slot is `abs & mask` (= `abs % ring` for any
   * absolute index up to 2^53, as the ring divides 2^32), not a division.
   */
  protected mask = 0;
  protected names: string[] = [];
  protected values: string[] = [];
  /** Entry sizes by slot: accounting reads no string (the strings of old entries are cold in memory). */
  protected sizes: number[] = [];

  constructor(maxCapacity: number) {
    this.maxCapacity = maxCapacity;
  }

  /** Number of live entries. */
  get length(): number {
    return this.insertCount - this.dropped;
  }

  /** Number of slots allocated (for tests: memory follows the entries, not the settings). */
  get slotCount(): number {
    return this.ring;
  }

  /** Whether absolute index `abs` names a live entry. */
  has(abs: number): boolean {
    return abs >= this.dropped && abs < this.insertCount;
  }

  /** Name of the live entry at `abs` (check {@link has} first). */
  name(abs: number): string {
    return this.names[abs & this.mask]!;
  }

  /** Value of the live entry at `abs` (check {@link has} first). */
  value(abs: number): string {
    return this.values[abs & this.mask]!;
  }

  /** Size (RFC 9204 §3.2.1) of the live entry at `abs`. */
  sizeOf(abs: number): number {
    return this.sizes[abs & this.mask]!;
  }

  /**
   * Adds an entry, evicting the oldest entries first until it fits
   * (RFC 9204 §3.2.2). The caller has checked `entrySize <= capacity`, and
   * has already read any name it references, so evicting that entry is safe.
   * @returns the new entry's absolute index
   */
  insert(name: string, value: string): number {
    const size = entrySize(name.length, value.length);
    this.evictTo(this.capacity - size);
    if (this.insertCount - this.dropped === this.ring) this.grow(this.ring === 0 ? FIRST_RING : this.ring * 2);
    const abs = this.insertCount++;
    const slot = abs & this.mask;
    this.names[slot] = name;
    this.values[slot] = value;
    this.sizes[slot] = size;
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
      const slot = abs & this.mask;
      this.size -= this.sizes[slot]!;
      this.evicted(abs, this.names[slot]!, this.values[slot]!);
      this.names[slot] = "";
      this.values[slot] = "";
    }
  }

  /** Re-slots every per-entry array into a ring of `ring` slots; subclasses add theirs. */
  protected grow(ring: number): void {
    this.names = reslot(this.names, this.ring, ring, this.dropped, this.insertCount, "");
    this.values = reslot(this.values, this.ring, ring, this.dropped, this.insertCount, "");
    this.sizes = reslot(this.sizes, this.ring, ring, this.dropped, this.insertCount, 0);
    this.ring = ring;
    this.mask = ring - 1;
  }

  /** Hook for subclasses: an entry was added. */
  protected added(_abs: number, _name: string, _value: string, _size: number): void {}

  /** Hook for subclasses: an entry was evicted. */
  protected evicted(_abs: number, _name: string, _value: string): void {}
}
